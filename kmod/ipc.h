/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MINIX message IPC between slots: send, receive, sendrec, notify, sendnb,
 * senda. Every blocked call is a struct mx_waiter on the calling thread's
 * kernel stack, linked into its own slot's waiters list in the order the
 * calls blocked; a blocked sender's message also sits in the destination
 * slot's queue. Messages move from kernel buffer to kernel buffer under
 * mx_lock; user memory is touched only by the caller, outside the lock.
 *
 * THREADS
 *
 *   A slot's process may block in many calls at once, one per thread.
 *   Which of them a message from endpoint X goes to:
 *     1. the thread waiting for X's reply in SENDREC (there is at most one:
 *        below), unless the message is a notification or a SENDA_NOREPLY;
 *     2. else the oldest thread receiving from X or from ANY;
 *     3. else it is queued, and the next receive that accepts X takes it.
 *   A slot has at most one SENDREC outstanding to each destination, so
 *   that X's reply is never ambiguous: a thread whose SENDREC finds
 *   another thread's SENDREC to the same destination not yet answered
 *   waits its turn (MX_HELD), first come first served, and is handed the
 *   turn (MX_GO) when that one ends; it then sends from its own context.
 *   The turn belongs to the slot, not to the process: a SENDREC that dies
 *   with its process while X holds the request leaves an orphan (struct
 *   mx_orphan) that keeps the turn until X's answer comes and is dropped.
 *
 *   A signal the process has not blocked interrupts a blocked call, which
 *   then restarts transparently (-ERESTARTNOINTR) once the handler ran. A
 *   SENDREC whose request was already taken cannot be sent again: its
 *   waiter is parked (struct mx_parked, one per interrupted thread) in
 *   the mx_proc, keeps waiting for the reply there, and the restarted
 *   SENDREC of the same thread to the same endpoint picks it up.
 */
#ifndef _MX_IPC_H
#define _MX_IPC_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <mxsys.h>

struct mx_proc;
struct mx_slot;
struct pid;

/* A message waiting in a destination slot's FIFO. */
struct mx_queued {
	struct list_head link;
	unsigned int src;		/* sender's slot */
	u32 call;			/* MXSYS_CALL_* */
	struct mxsys_message msg;
	struct mx_waiter *waiter;	/* blocked sender; NULL: senda, kmalloc'ed */
};

enum mx_phase {
	MX_SENDING,	/* q is in dst->queue */
	MX_RECEIVING,	/* waits for a message from src */
	MX_HELD,	/* SENDREC waiting for its turn to peer */
	MX_GO,		/* SENDREC whose turn came: its thread sends */
	MX_DONE,	/* result (and msg) are final; off every list */
};

struct mx_waiter {
	struct list_head link;		/* in owner->waiters until MX_DONE */
	struct mx_slot *owner;
	struct mx_proc *proc;
	wait_queue_head_t wq;		/* the blocked thread sleeps here */
	enum mx_phase phase;
	u32 call;			/* MXSYS_CALL_* of the blocked call */
	s32 peer;			/* SENDREC: the destination endpoint */
	struct mx_slot *dst;		/* MX_SENDING: q is in dst->queue */
	s32 src;			/* MX_RECEIVING: MXSYS_ANY or endpoint */
	bool reply_pending;		/* SENDREC reply: notifications wait */
	bool parked;			/* in a struct mx_parked */
	struct mx_queued q;
	struct mxsys_message msg;	/* what was received */
	u32 status;
	int result;
};

/*
 * A SENDREC whose process died with its request in the destination's
 * hands (slot->orphans): peer's answer is still to come, and is nobody's
 * any more. It is dropped when it comes (the sender gets -MXSYS_EDEADSRCDST);
 * until then it holds the slot's turn to peer, so that the slot's next
 * process does not take it for the answer to a request of its own. Peer's
 * death or CLEAR ends it too.
 */
struct mx_orphan {
	struct list_head link;
	s32 peer;
};

/* An interrupted SENDREC of one thread, waiting for its reply. */
struct mx_parked {
	struct list_head link;		/* in proc->parked */
	struct pid *thread;		/* whose call it is (not a tid: reused) */
	struct mx_waiter w;
};

/* mx_ipc_call() of MXSYS_IOC_SENDA_NOREPLY; received as MXSYS_CALL_SENDA. */
#define MX_CALL_SENDA_NOREPLY	0x100

long mx_ipc_call(struct mx_proc *proc, unsigned int call,
		 struct mxsys_ipc *ipc);
void mx_ipc_free_parked(struct mx_proc *proc);
bool mx_ipc_pending_locked(const struct mx_slot *slot);
void mx_ipc_notify_kernel_locked(struct mx_slot *dst, s32 src);
void mx_ipc_slot_died_locked(struct mx_slot *slot);
void mx_ipc_clear_refs_locked(struct mx_slot *slot);
void mx_ipc_clear_slot_locked(struct mx_slot *slot);

#endif /* _MX_IPC_H */
