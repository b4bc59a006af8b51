/* SPDX-License-Identifier: GPL-2.0 */
/* The misc device /dev/mxsys: open/bind, release, ioctl dispatch, poll. */
#ifndef _MX_DEVICE_H
#define _MX_DEVICE_H

#include <linux/types.h>

struct file;

int mx_device_init(void);
void mx_device_uninit(void);
/* Is @file an open file of /dev/mxsys? */
bool mx_device_file(const struct file *file);

#endif /* _MX_DEVICE_H */
