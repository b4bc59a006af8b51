/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MINIX message IPC between slots: send, receive, sendrec, notify, sendnb,
 * senda. Every blocked call is a struct mx_waiter on the caller's kernel
 * stack, linked into its own slot's waiters list; a blocked sender's
 * message also sits in the destination slot's queue. Messages move from
 * kernel buffer to kernel buffer under mx_lock; user memory is touched
 * only by the caller, outside the lock.
 *
 * A signal the process has not blocked interrupts a blocked call, which
 * then restarts transparently (-ERESTARTNOINTR) once the handler ran. A
 * SENDREC whose request was already taken cannot be sent again: its
 * waiter is parked in the mx_proc, keeps waiting for the reply there,
 * and the restarted SENDREC picks it up.
 */
#ifndef _MX_IPC_H
#define _MX_IPC_H

#include <linux/list.h>
#include <linux/types.h>
#include <mxsys.h>

struct mx_proc;
struct mx_slot;

/* A message waiting in a destination slot's FIFO. */
struct mx_queued {
	struct list_head link;
	unsigned int src;		/* sender's slot */
	u32 call;			/* MXSYS_CALL_* */
	struct mxsys_message msg;
	struct mx_waiter *waiter;	/* blocked sender; NULL: senda, kmalloc'ed */
};

enum mx_phase {
	MX_SENDING,
	MX_RECEIVING,
	MX_DONE,
};

struct mx_waiter {
	struct list_head link;		/* in owner->waiters until MX_DONE */
	struct mx_slot *owner;
	struct mx_proc *proc;
	enum mx_phase phase;
	struct mx_slot *dst;		/* MX_SENDING: q is in dst->queue */
	s32 src;			/* MX_RECEIVING: MXSYS_ANY or endpoint */
	bool reply_pending;		/* SENDREC reply: notifications wait */
	struct mx_queued q;
	struct mxsys_message msg;	/* what was received */
	u32 status;
	int result;
};

long mx_ipc_call(struct mx_proc *proc, unsigned int call,
		 struct mxsys_ipc *ipc);
bool mx_ipc_pending_locked(const struct mx_slot *slot);
void mx_ipc_notify_kernel_locked(struct mx_slot *dst, s32 src);
void mx_ipc_slot_died_locked(struct mx_slot *slot);
void mx_ipc_clear_refs_locked(struct mx_slot *slot);
void mx_ipc_clear_slot_locked(struct mx_slot *slot);

#endif /* _MX_IPC_H */
