/* SPDX-License-Identifier: GPL-2.0 */
/* The misc device /dev/mxsys: open/bind, release, ioctl dispatch, poll. */
#ifndef _MX_DEVICE_H
#define _MX_DEVICE_H

int mx_device_init(void);
void mx_device_uninit(void);

#endif /* _MX_DEVICE_H */
