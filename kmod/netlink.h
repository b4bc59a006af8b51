/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink family "mxsys": relays service requests from any user to
 * the registered RS, and RS's replies back to the requesters.
 */
#ifndef _MX_NETLINK_H
#define _MX_NETLINK_H

int mx_netlink_init(void);
void mx_netlink_uninit(void);

#endif /* _MX_NETLINK_H */
