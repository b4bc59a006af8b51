/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink family "mxsys": relays service requests from any user to
 * the registered RS and RS's replies back, dumps the slot table, and
 * multicasts slot events.
 */
#ifndef _MX_NETLINK_H
#define _MX_NETLINK_H

#include <linux/types.h>
#include <mxsys.h>

/*
 * A slot event. The caller fills in type, endpoint and what the type
 * carries (see the uapi header) under mx_lock, right where the state
 * changes, and queues it there with mx_nl_slot_event_locked(), which sets
 * timestamp and seq. Queueing under the lock is what makes the order of
 * the events, their sequence numbers and their timestamps the order of
 * the state changes: two events raised on different CPUs (a death being
 * reaped while the manager clears the slot) cannot overtake each other
 * between the unlock and the send. After dropping the lock, in process
 * context, the caller sends the queue with mx_nl_slot_events_send().
 *
 *	spin_lock_irqsave(&mx_lock, flags);
 *	... change the slot ...
 *	ev.endpoint = mx_slot_endpoint(slot);
 *	mx_nl_slot_event_locked(&ev);
 *	spin_unlock_irqrestore(&mx_lock, flags);
 *	mx_nl_slot_events_send();
 */
struct mx_slot_event {
	u32 type;		/* MXSYS_EVENT_* */
	s32 endpoint;
	s32 other;		/* SWAPPED: the other endpoint */
	s32 pid;		/* BOUND, DIED: the process (initial pid ns) */
	s32 status;		/* DIED: wait(2) status */
	u64 timestamp;		/* set when queued: ktime_get_ns() */
	u64 seq;		/* set when queued: 1, 2, ...; 0: not queued */
	char fd_name[MXSYS_FD_NAME_LEN];	/* FD_STORED, FD_CLOSED */
};

int mx_netlink_init(void);
void mx_netlink_uninit(void);
void mx_nl_slot_event_locked(struct mx_slot_event *ev);
void mx_nl_slot_events_send(void);

#endif /* _MX_NETLINK_H */
