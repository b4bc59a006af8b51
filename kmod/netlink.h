/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink family "mxsys": relays service requests from any user to
 * the registered RS and RS's replies back, dumps the slot table, and
 * multicasts slot events.
 */
#ifndef _MX_NETLINK_H
#define _MX_NETLINK_H

#include <linux/types.h>

/*
 * A slot event, filled in under mx_lock (so that the timestamp orders it
 * with the state change) and sent with mx_nl_slot_event() after the lock
 * is dropped.
 */
struct mx_slot_event {
	u32 type;		/* MXSYS_EVENT_* */
	s32 endpoint;
	s32 other;		/* SWAPPED: the other endpoint */
	s32 pid;		/* BOUND, DIED: the process */
	s32 status;		/* DIED: wait(2) status */
	u64 timestamp;		/* ktime_get_ns() */
};

int mx_netlink_init(void);
void mx_netlink_uninit(void);
void mx_nl_slot_event(const struct mx_slot_event *ev);

#endif /* _MX_NETLINK_H */
