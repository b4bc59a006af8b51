// SPDX-License-Identifier: GPL-2.0
/*
 * MINIX message IPC. Locking rules are in slot.h: everything below that
 * ends in _locked runs under mx_lock.
 */
#include <linux/bitmap.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "ipc.h"
#include "proc.h"
#include "slot.h"

static void wake_slot_locked(struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	if (slot->proc)
		wake_up(&slot->proc->wq);
}

static struct mx_orphan *find_orphan_locked(struct mx_slot *slot, s32 peer)
{
	struct mx_orphan *o;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(o, &slot->orphans, link)
		if (o->peer == peer)
			return o;
	return NULL;
}

/*
 * @slot's turn to send a SENDREC to @peer is free again: the oldest
 * SENDREC of its process held back for that peer may go. Not while an
 * orphan still waits for @peer's answer, nor while no process is there.
 */
static void pass_turn_locked(struct mx_slot *slot, s32 peer)
{
	struct mx_waiter *next;

	lockdep_assert_held(&mx_lock);
	if (!slot->proc || find_orphan_locked(slot, peer))
		return;
	list_for_each_entry(next, &slot->waiters, link) {
		if (next->phase == MX_HELD && next->peer == peer) {
			WRITE_ONCE(next->phase, MX_GO);
			wake_up(&next->wq);
			return;
		}
	}
}

/*
 * A SENDREC to @peer dies with its request in @peer's hands (its process
 * is going): the slot keeps an orphan for @peer's answer, which must not
 * reach the slot's next process. @o is preallocated, or NULL.
 */
static void orphan_locked(struct mx_slot *slot, s32 peer, struct mx_orphan *o)
{
	lockdep_assert_held(&mx_lock);
	if (find_orphan_locked(slot, peer)) {
		kfree(o);
		return;
	}
	/* A death in atomic context (no slot for a preallocation): rare. */
	if (!o)
		o = kmalloc(sizeof(*o), GFP_ATOMIC);
	if (!o)
		return;
	o->peer = peer;
	list_add_tail(&o->link, &slot->orphans);
}

/*
 * A message from @src to @dst that may be a reply: if @dst has an orphan
 * for @src, it is that answer, to a process that is gone: dropped (the
 * sender gets -MXSYS_EDEADSRCDST), and @dst's turn to @src is free again.
 */
static bool take_orphan_locked(struct mx_slot *dst, s32 src)
{
	struct mx_orphan *o = find_orphan_locked(dst, src);

	lockdep_assert_held(&mx_lock);
	if (!o)
		return false;
	list_del(&o->link);
	kfree(o);
	pass_turn_locked(dst, src);
	return true;
}

/* @peer will never answer (it died, or was cleared): forget its orphans. */
static void drop_orphans_of_locked(s32 peer)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++)
		take_orphan_locked(&mx_slots[i], peer);
}

/* End a listed call with @result and wake its thread. */
static void finish_locked(struct mx_waiter *w, int result)
{
	bool had_turn = w->call == MXSYS_CALL_SENDREC && w->phase != MX_HELD;

	lockdep_assert_held(&mx_lock);
	if (w->phase == MX_SENDING)
		list_del(&w->q.link);
	list_del(&w->link);
	w->result = result;
	if (had_turn && w->owner->proc == w->proc)
		pass_turn_locked(w->owner, w->peer);
	WRITE_ONCE(w->phase, MX_DONE);
	wake_up(&w->wq);
}

/* A SENDREC whose request was taken, waiting for the reply? */
static bool reply_awaited(const struct mx_waiter *w)
{
	return w->phase == MX_RECEIVING && w->reply_pending;
}

static void deliver_locked(struct mx_waiter *rw, const struct mxsys_message *msg,
			   u32 call)
{
	lockdep_assert_held(&mx_lock);
	rw->msg = *msg;
	rw->status = call;
	finish_locked(rw, 0);
}

/* @w (new, sending, or its turn come) now waits for a message from @src. */
static void start_receive_locked(struct mx_waiter *w, s32 src, bool reply)
{
	lockdep_assert_held(&mx_lock);
	if (w->phase == MX_SENDING)
		list_del(&w->q.link);
	else if (w->phase == MX_DONE)
		list_add_tail(&w->link, &w->owner->waiters);
	w->phase = MX_RECEIVING;
	w->src = src;
	w->reply_pending = reply;
}

/*
 * The call of @dst that a message from @src goes to: the thread waiting
 * for @src's reply in SENDREC, unless the message cannot be a reply
 * (a notification, SENDA_NOREPLY); else the oldest thread receiving from
 * @src or from ANY. NULL: none, the message waits.
 */
static struct mx_waiter *find_receiver_locked(struct mx_slot *dst, s32 src,
					      bool may_be_reply)
{
	struct mx_waiter *w;

	lockdep_assert_held(&mx_lock);
	if (may_be_reply) {
		list_for_each_entry(w, &dst->waiters, link)
			if (w->phase == MX_RECEIVING && w->reply_pending &&
			    w->src == src)
				return w;
	}
	list_for_each_entry(w, &dst->waiters, link)
		if (w->phase == MX_RECEIVING && !w->reply_pending &&
		    (w->src == MXSYS_ANY || w->src == src))
			return w;
	return NULL;
}

static void build_notify(struct mxsys_message *msg, s32 src, u64 timestamp,
			 u64 sigset)
{
	memset(msg, 0, sizeof(*msg));
	msg->m_source = src;
	msg->m_type = MXSYS_NOTIFY_MESSAGE;
	msg->m_u64[MXSYS_NOTIFY_TIMESTAMP] = timestamp;
	msg->m_u64[MXSYS_NOTIFY_SIGSET] = sigset;
}

/*
 * The signals of a slot that is its own signal manager (signal.c) travel
 * in its notify from SYSTEM: the notify that carries them hands them over.
 */
static u64 pending_sigset_locked(struct mx_slot *slot)
{
	u64 set;

	lockdep_assert_held(&mx_lock);
	set = slot->self_sigs;
	slot->self_sigs = 0;
	return set;
}

static bool is_slot_endpoint(s32 ep)
{
	return ep >= 0 && ep != MXSYS_ANY && ep != MXSYS_NONE &&
	       ep != MXSYS_SELF;
}

/* Take the first pending notification @self accepts from @src. */
static bool take_notify_locked(struct mx_slot *self, s32 src,
			       struct mxsys_message *msg)
{
	struct mx_notify *n;
	unsigned int from;

	lockdep_assert_held(&mx_lock);
	if (self->system_notify && (src == MXSYS_ANY || src == MXSYS_SYSTEM)) {
		self->system_notify = false;
		build_notify(msg, MXSYS_SYSTEM, self->system_notify_ts,
			     pending_sigset_locked(self));
		return true;
	}
	if (self->clock_notify && (src == MXSYS_ANY || src == MXSYS_CLOCK)) {
		self->clock_notify = false;
		build_notify(msg, MXSYS_CLOCK, self->clock_notify_ts, 0);
		return true;
	}
	if (src == MXSYS_ANY)
		from = find_first_bit(self->notify_bits, mx_nr_slots);
	else if (is_slot_endpoint(src))
		from = MXSYS_ENDPOINT_SLOT(src);
	else
		return false;
	if (from >= mx_nr_slots || !test_bit(from, self->notify_bits))
		return false;
	clear_bit(from, self->notify_bits);
	list_for_each_entry(n, &self->notifies, link) {
		if (n->src != from)
			continue;
		build_notify(msg, mx_slot_endpoint(&mx_slots[from]),
			     n->timestamp, 0);
		list_del(&n->link);
		kfree(n);
		return true;
	}
	return false;
}

static void drop_queued_locked(struct mx_queued *q)
{
	lockdep_assert_held(&mx_lock);
	list_del(&q->link);
	mx_slots[q->src].senda_count--;
	kfree(q);
}

/*
 * Take the oldest queued message (blocked sender or async) that @w, the
 * receiver, accepts. A SENDREC caller whose request is taken now waits
 * for the reply from @self.
 */
static bool take_queued_locked(struct mx_slot *self, struct mx_waiter *w)
{
	struct mx_queued *q;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(q, &self->queue, link) {
		struct mx_waiter *sender = q->waiter;

		if (w->src != MXSYS_ANY &&
		    w->src != mx_slot_endpoint(&mx_slots[q->src]))
			continue;
		w->msg = q->msg;
		w->status = q->call;
		if (!sender)
			drop_queued_locked(q);
		else if (q->call == MXSYS_CALL_SENDREC)
			start_receive_locked(sender, mx_slot_endpoint(self), true);
		else
			finish_locked(sender, 0);
		return true;
	}
	return false;
}

/* Live threads of @slot's process, 0 when it has none. */
static int nr_threads_locked(const struct mx_slot *slot)
{
	struct task_struct *task;
	int n = 0;

	lockdep_assert_held(&mx_lock);
	if (!slot->proc)
		return 0;
	rcu_read_lock();
	task = pid_task(slot->pid, PIDTYPE_TGID);
	if (task)
		n = get_nr_threads(task);
	rcu_read_unlock();
	return n;
}

/*
 * The slot a blocked call can only be ended by, or NULL: a receive from
 * ANY, SYSTEM or CLOCK, a turn already come, or a parked SENDREC (its
 * thread may be running its signal handler) may end otherwise.
 */
static struct mx_slot *call_target_locked(const struct mx_waiter *w)
{
	struct mx_slot *target;
	s32 ep;

	lockdep_assert_held(&mx_lock);
	if (w->parked)
		return NULL;
	switch (w->phase) {
	case MX_SENDING:
		return w->dst;
	case MX_RECEIVING:
		ep = w->src;
		break;
	case MX_HELD:
		ep = w->peer;
		break;
	default:
		return NULL;
	}
	if (!is_slot_endpoint(ep) || mx_slot_lookup_locked(ep, &target))
		return NULL;
	return target;
}

/*
 * The one slot that every thread of @slot's process is blocked on, with
 * one more call on @extra (the caller's, not listed yet) when not NULL.
 * NULL when a thread is outside IPC (it may still receive), when calls
 * wait on different slots, or when one can end without any slot.
 */
static struct mx_slot *blocked_on_locked(struct mx_slot *slot,
					 struct mx_slot *extra)
{
	struct mx_slot *on = extra;
	int blocked = extra ? 1 : 0;
	struct mx_waiter *w;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(w, &slot->waiters, link) {
		struct mx_slot *target = call_target_locked(w);

		if (!target || (on && target != on))
			return NULL;
		on = target;
		blocked++;
	}
	if (!on || blocked < nr_threads_locked(slot))
		return NULL;
	return on;
}

/*
 * Would @self blocking on @dst close a cycle of blocked calls that
 * nothing can break? Each slot on the way counts only when all of its
 * threads wait on the next one (for a single-threaded process, MINIX's
 * rule: its one blocked call), and so must @self with this new call.
 */
static bool deadlock_locked(struct mx_slot *self, struct mx_slot *dst)
{
	struct mx_slot *cur = dst;
	unsigned int hops;

	lockdep_assert_held(&mx_lock);
	for (hops = 0; hops < mx_nr_slots; hops++) {
		struct mx_slot *next = blocked_on_locked(cur, NULL);

		if (!next)
			return false;
		if (next == self)
			return blocked_on_locked(self, dst) == dst;
		cur = next;
	}
	return false;
}

/* The checks every send makes on its destination. */
static int check_dst_locked(struct mx_slot *self, s32 ep, struct mx_slot **dstp)
{
	int ret;

	lockdep_assert_held(&mx_lock);
	if (!is_slot_endpoint(ep))
		return -EINVAL;
	ret = mx_slot_lookup_locked(ep, dstp);
	if (ret)
		return ret;
	if (*dstp == self)
		return -EINVAL;
	if (!mx_slot_can_send_locked(self, *dstp))
		return -MXSYS_ECALLDENIED;
	return 0;
}

/*
 * Check the receive source: ANY, SYSTEM, CLOCK or a live slot.
 * A free, stale or dead source gives -MXSYS_EDEADSRCDST unless something
 * it sent is still pending (checked by the caller first).
 */
static int check_src_locked(struct mx_slot *self, s32 src,
			    struct mx_slot **srcp)
{
	int ret;

	lockdep_assert_held(&mx_lock);
	*srcp = NULL;
	if (src == MXSYS_ANY || src == MXSYS_SYSTEM || src == MXSYS_CLOCK)
		return 0;
	if (!is_slot_endpoint(src))
		return -EINVAL;
	ret = mx_slot_lookup_locked(src, srcp);
	if (ret == -MXSYS_EDEADEPT)
		return -MXSYS_EDEADSRCDST;
	if (ret)
		return ret;
	if (*srcp == self)
		return -EINVAL;
	return 0;
}

static int do_notify_locked(struct mx_slot *self, struct mx_slot *dst,
			    struct mx_notify **prealloc)
{
	s32 src = mx_slot_endpoint(self);
	u64 now = ktime_get_ns();
	struct mx_waiter *rw;
	struct mx_notify *n;

	lockdep_assert_held(&mx_lock);
	rw = find_receiver_locked(dst, src, false);
	if (rw) {
		struct mxsys_message msg;

		build_notify(&msg, src, now, 0);
		deliver_locked(rw, &msg, MXSYS_CALL_NOTIFY);
		return 0;
	}
	if (test_and_set_bit(self->index, dst->notify_bits)) {
		list_for_each_entry(n, &dst->notifies, link)
			if (n->src == self->index)
				n->timestamp = now;
		return 0;
	}
	n = *prealloc;
	*prealloc = NULL;
	n->src = self->index;
	n->timestamp = now;
	list_add_tail(&n->link, &dst->notifies);
	wake_slot_locked(dst);
	return 0;
}

static int do_senda_locked(struct mx_slot *self, struct mx_slot *dst,
			   const struct mxsys_message *msg, bool may_be_reply,
			   struct mx_queued **prealloc)
{
	struct mx_waiter *rw;
	struct mx_queued *q;

	lockdep_assert_held(&mx_lock);
	if (may_be_reply && take_orphan_locked(dst, msg->m_source))
		return -MXSYS_EDEADSRCDST;
	rw = find_receiver_locked(dst, msg->m_source, may_be_reply);
	if (rw) {
		deliver_locked(rw, msg, MXSYS_CALL_SENDA);
		return 0;
	}
	if (self->senda_count >= MXSYS_SENDA_MAX)
		return -EAGAIN;
	q = *prealloc;
	*prealloc = NULL;
	q->src = self->index;
	q->call = MXSYS_CALL_SENDA;
	q->msg = *msg;
	q->waiter = NULL;
	list_add_tail(&q->link, &dst->queue);
	self->senda_count++;
	wake_slot_locked(dst);
	return 0;
}

/*
 * SEND and SENDREC of @w (a new call, or a SENDREC whose turn came): hand
 * the message to a waiting receiver, or queue @w in the destination.
 * Returns 1 when @w must now wait, else 0 or an error (@w unchanged).
 */
static int do_send_locked(struct mx_slot *self, struct mx_slot *dst,
			  struct mx_waiter *w)
{
	struct mx_waiter *rw;

	lockdep_assert_held(&mx_lock);
	if (take_orphan_locked(dst, w->q.msg.m_source))
		return -MXSYS_EDEADSRCDST;
	rw = find_receiver_locked(dst, w->q.msg.m_source, true);
	if (rw) {
		deliver_locked(rw, &w->q.msg, w->call);
		if (w->call == MXSYS_CALL_SEND)
			return 0;
		start_receive_locked(w, mx_slot_endpoint(dst), true);
		return 1;
	}
	if (deadlock_locked(self, dst))
		return -MXSYS_ELOCKED;
	if (w->phase == MX_DONE)
		list_add_tail(&w->link, &self->waiters);
	w->phase = MX_SENDING;
	w->dst = dst;
	w->q.src = self->index;
	w->q.call = w->call;
	w->q.waiter = w;
	list_add_tail(&w->q.link, &dst->queue);
	wake_slot_locked(dst);
	return 1;
}

/*
 * Does a SENDREC of @self to @peer already hold the turn or wait for it?
 * Then a new one waits behind it.
 */
static bool sendrec_queued_locked(struct mx_slot *self, s32 peer)
{
	struct mx_waiter *w;

	lockdep_assert_held(&mx_lock);
	if (find_orphan_locked(self, peer))
		return true;
	list_for_each_entry(w, &self->waiters, link)
		if (w->call == MXSYS_CALL_SENDREC && w->peer == peer)
			return true;
	return false;
}

static int do_sendrec_locked(struct mx_slot *self, struct mx_slot *dst,
			     struct mx_waiter *w)
{
	lockdep_assert_held(&mx_lock);
	if (!sendrec_queued_locked(self, w->peer))
		return do_send_locked(self, dst, w);
	/* Held behind a call that waits on @dst, this one waits on it too. */
	if (deadlock_locked(self, dst))
		return -MXSYS_ELOCKED;
	w->phase = MX_HELD;
	list_add_tail(&w->link, &self->waiters);
	return 1;
}

/* Returns 1 when @w must wait. */
static int do_receive_locked(struct mx_slot *self, struct mx_waiter *w)
{
	struct mx_slot *src_slot;
	int ret;

	lockdep_assert_held(&mx_lock);
	ret = check_src_locked(self, w->src, &src_slot);
	if (ret)
		return ret;
	if (take_notify_locked(self, w->src, &w->msg)) {
		w->status = MXSYS_CALL_NOTIFY;
		return 0;
	}
	if (take_queued_locked(self, w))
		return 0;
	if (src_slot && src_slot->state == MX_SLOT_DEAD)
		return -MXSYS_EDEADSRCDST;
	w->phase = MX_RECEIVING;
	w->reply_pending = false;
	list_add_tail(&w->link, &self->waiters);
	return 1;
}

/* Condition for a caller that is bound but may not run its IPC yet. */
static bool may_run(struct mx_proc *proc)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&mx_lock, flags);
	ret = !proc->slot || mx_slot_may_run_locked(proc->slot);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

/*
 * How a call that was interrupted before it completed returns: a dying
 * process never sees the value; anything else runs its signal handler and
 * the kernel restarts the call, whatever SA_RESTART says.
 */
static int interrupted(void)
{
	return fatal_signal_pending(current) ? -EINTR : -ERESTARTNOINTR;
}

/* Move @w, a SENDREC waiting for its reply, into @p in its mx_proc. */
static void park_locked(struct mx_waiter *w, struct mx_parked *p)
{
	lockdep_assert_held(&mx_lock);
	p->w = *w;
	init_waitqueue_head(&p->w.wq);
	p->w.parked = true;
	list_replace(&w->link, &p->w.link);
	p->thread = get_pid(task_pid(current));
	list_add_tail(&p->link, &w->proc->parked);
}

/* The calling thread's parked SENDREC to @ep, if this call restarts it. */
static struct mx_parked *find_parked_locked(struct mx_proc *proc,
					    unsigned int call, s32 ep)
{
	struct mx_parked *p;

	lockdep_assert_held(&mx_lock);
	if (call != MXSYS_CALL_SENDREC)
		return NULL;
	list_for_each_entry(p, &proc->parked, link)
		if (p->thread == task_pid(current) && p->w.peer == ep)
			return p;
	return NULL;
}

static bool settled(const struct mx_waiter *w)
{
	enum mx_phase phase = READ_ONCE(w->phase);

	return phase == MX_DONE || phase == MX_GO;
}

/* wait_done(): a held SENDREC's turn came; its thread sends now. */
#define MX_TURN 2

/*
 * Sleep until @w is done and copy what it received to @out, or until its
 * turn comes (MX_TURN). A signal ends the sleep early: a call whose
 * message was not taken is withdrawn and restarts from scratch; a SENDREC
 * whose request was taken is parked, so that the restarted call only
 * waits for the reply. Should no memory be left to park it, the call
 * waits on, killably.
 */
static int wait_done(struct mx_waiter *w, struct mx_waiter *out)
{
	struct mx_parked *parked = w->parked ?
		container_of(w, struct mx_parked, w) : NULL;
	struct mx_orphan *orphan = NULL;
	struct mx_parked *spare = NULL;
	unsigned long flags;
	int ret;

	while (wait_event_interruptible(w->wq, settled(w))) {
		if (parked)
			return interrupted();
		if (fatal_signal_pending(current) && !orphan)
			orphan = kmalloc(sizeof(*orphan), GFP_KERNEL);
		spin_lock_irqsave(&mx_lock, flags);
		if (settled(w)) {
			spin_unlock_irqrestore(&mx_lock, flags);
			break;
		}
		if (!reply_awaited(w) || fatal_signal_pending(current)) {
			/* The process dies: the reply it awaits is nobody's. */
			if (reply_awaited(w)) {
				orphan_locked(w->owner, w->src, orphan);
				orphan = NULL;
			}
			finish_locked(w, -EINTR);
			spin_unlock_irqrestore(&mx_lock, flags);
			kfree(spare);
			kfree(orphan);
			return interrupted();
		}
		if (spare) {
			park_locked(w, spare);
			spin_unlock_irqrestore(&mx_lock, flags);
			return interrupted();
		}
		spin_unlock_irqrestore(&mx_lock, flags);
		spare = kmalloc(sizeof(*spare), GFP_KERNEL);
		if (!spare)
			wait_event_killable(w->wq, settled(w));
	}
	kfree(spare);
	kfree(orphan);

	spin_lock_irqsave(&mx_lock, flags);
	if (w->phase == MX_GO) {
		spin_unlock_irqrestore(&mx_lock, flags);
		return MX_TURN;
	}
	ret = w->result;
	out->msg = w->msg;
	out->status = w->status;
	if (parked)
		list_del(&parked->link);
	spin_unlock_irqrestore(&mx_lock, flags);
	if (parked) {
		put_pid(parked->thread);
		kfree(parked);
	}
	return ret;
}

/*
 * The held SENDREC @w may go: send it now, from its process's current
 * slot (a swap may have moved it). Returns 1 when it must wait again, or
 * the error that ended it.
 */
static int take_turn(struct mx_waiter *w)
{
	struct mx_slot *dst;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&mx_lock, flags);
	if (w->phase != MX_GO) {
		/* Ended meanwhile (its process died): collect the result. */
		spin_unlock_irqrestore(&mx_lock, flags);
		return 1;
	}
	ret = check_dst_locked(w->owner, w->peer, &dst);
	if (!ret) {
		w->q.msg.m_source = mx_slot_endpoint(w->owner);
		ret = do_send_locked(w->owner, dst, w);
	}
	if (ret < 0)
		finish_locked(w, ret);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

long mx_ipc_call(struct mx_proc *proc, unsigned int call,
		 struct mxsys_ipc *ipc)
{
	struct mx_queued *async = NULL;
	struct mx_notify *notify = NULL;
	struct mx_waiter w = {
		.proc = proc,
		.phase = MX_DONE,
		.call = call == MX_CALL_SENDA_NOREPLY ? MXSYS_CALL_SENDA : call,
	};
	struct mx_waiter *result = &w;
	struct mx_parked *parked;
	struct mx_slot *self, *dst;
	unsigned long flags;
	int ret;

	init_waitqueue_head(&w.wq);
	if (w.call == MXSYS_CALL_SENDA) {
		async = kmalloc(sizeof(*async), GFP_KERNEL);
		if (!async)
			return -ENOMEM;
	} else if (call == MXSYS_CALL_NOTIFY) {
		notify = kmalloc(sizeof(*notify), GFP_KERNEL);
		if (!notify)
			return -ENOMEM;
	}

	for (;;) {
		spin_lock_irqsave(&mx_lock, flags);
		self = proc->slot;
		if (!self) {
			ret = -EPERM;
			goto out_unlock;
		}
		if (mx_slot_may_run_locked(self))
			break;
		spin_unlock_irqrestore(&mx_lock, flags);
		if (wait_event_interruptible(proc->wq, may_run(proc))) {
			ret = interrupted();
			goto out_free;
		}
	}

	parked = find_parked_locked(proc, call, ipc->endpoint);
	if (parked) {
		result = &parked->w;
		ret = 1;
		goto out_wait;
	}

	w.owner = self;
	if (call == MXSYS_CALL_RECEIVE) {
		w.src = ipc->endpoint;
		ret = do_receive_locked(self, &w);
		goto out_wait;
	}

	ret = check_dst_locked(self, ipc->endpoint, &dst);
	if (ret)
		goto out_unlock;
	w.peer = ipc->endpoint;
	w.q.msg = ipc->msg;
	w.q.msg.m_source = mx_slot_endpoint(self);

	switch (call) {
	case MXSYS_CALL_SEND:
		ret = do_send_locked(self, dst, &w);
		break;
	case MXSYS_CALL_SENDREC:
		ret = do_sendrec_locked(self, dst, &w);
		break;
	case MXSYS_CALL_NOTIFY:
		ret = do_notify_locked(self, dst, &notify);
		break;
	case MXSYS_CALL_SENDNB: {
		struct mx_waiter *rw;

		if (take_orphan_locked(dst, w.q.msg.m_source)) {
			ret = -MXSYS_EDEADSRCDST;
			break;
		}
		rw = find_receiver_locked(dst, w.q.msg.m_source, true);
		if (rw)
			deliver_locked(rw, &w.q.msg, MXSYS_CALL_SENDNB);
		ret = rw ? 0 : -MXSYS_ENOTREADY;
		break;
	}
	case MXSYS_CALL_SENDA:
	case MX_CALL_SENDA_NOREPLY:
		ret = do_senda_locked(self, dst, &w.q.msg,
				      call == MXSYS_CALL_SENDA, &async);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

out_wait:
	spin_unlock_irqrestore(&mx_lock, flags);
	while (ret == 1) {
		ret = wait_done(result, &w);
		if (ret == MX_TURN)
			ret = take_turn(&w);
	}
	if (ret == 0 && (call == MXSYS_CALL_RECEIVE ||
			 call == MXSYS_CALL_SENDREC)) {
		ipc->msg = w.msg;
		ipc->status = w.status;
	}
	goto out_free;

out_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
out_free:
	kfree(async);
	kfree(notify);
	return ret;
}

/*
 * @proc is being freed: its parked SENDRECs whose threads never came back
 * for them. The death of its process ended every one (nothing may still
 * wait in a slot's list).
 */
void mx_ipc_free_parked(struct mx_proc *proc)
{
	struct mx_parked *p, *tmp;

	list_for_each_entry_safe(p, tmp, &proc->parked, link) {
		WARN_ON_ONCE(p->w.phase != MX_DONE);
		put_pid(p->thread);
		kfree(p);
	}
}

bool mx_ipc_pending_locked(const struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	return slot->system_notify || slot->clock_notify ||
	       !list_empty(&slot->queue) ||
	       !bitmap_empty(slot->notify_bits, mx_nr_slots);
}

/*
 * Notify @dst from the module itself: SYSTEM (a death or signal it
 * manages) or CLOCK (its alarm). Coalesced like any notify; never blocks.
 */
void mx_ipc_notify_kernel_locked(struct mx_slot *dst, s32 src)
{
	struct mx_waiter *rw;
	u64 now = ktime_get_ns();

	lockdep_assert_held(&mx_lock);
	rw = find_receiver_locked(dst, src, false);
	if (rw) {
		struct mxsys_message msg;

		build_notify(&msg, src, now, src == MXSYS_SYSTEM ?
			     pending_sigset_locked(dst) : 0);
		deliver_locked(rw, &msg, MXSYS_CALL_NOTIFY);
		return;
	}
	if (src == MXSYS_SYSTEM) {
		dst->system_notify = true;
		dst->system_notify_ts = now;
	} else {
		dst->clock_notify = true;
		dst->clock_notify_ts = now;
	}
	wake_slot_locked(dst);
}

/* Fail every call of another slot that waits for a message from @slot. */
static void fail_receivers_of_locked(struct mx_slot *slot)
{
	s32 ep = mx_slot_endpoint(slot);
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++) {
		struct mx_waiter *w, *tmp;

		list_for_each_entry_safe(w, tmp, &mx_slots[i].waiters, link)
			if (w->phase == MX_RECEIVING && w->src == ep)
				finish_locked(w, -MXSYS_EDEADSRCDST);
	}
	drop_orphans_of_locked(ep);
}

/*
 * PRIVCTL CLEAR_IPC_REFS: every call blocked sending to @slot or waiting
 * for a message from it fails with -MXSYS_EDEADSRCDST. Async messages and
 * notifications stay.
 */
void mx_ipc_clear_refs_locked(struct mx_slot *slot)
{
	struct mx_queued *q, *tmp;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry_safe(q, tmp, &slot->queue, link)
		if (q->waiter)
			finish_locked(q->waiter, -MXSYS_EDEADSRCDST);
	fail_receivers_of_locked(slot);
}

/*
 * @slot's process is gone. Its own calls were withdrawn when its threads
 * died; those still listed (none, normally) fail. Whoever waits for a reply
 * or a message from it fails with -MXSYS_EDEADSRCDST. Senders queued on it stay
 * queued for its next instance.
 */
void mx_ipc_slot_died_locked(struct mx_slot *slot)
{
	struct mx_waiter *w, *tmp;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry_safe(w, tmp, &slot->waiters, link) {
		/* A parked SENDREC whose thread is gone: its answer too. */
		if (reply_awaited(w))
			orphan_locked(slot, w->src, NULL);
		finish_locked(w, -MXSYS_EDEADSRCDST);
	}
	fail_receivers_of_locked(slot);
}

/* sys_clear: nothing may keep waiting on, or hold messages of, @slot. */
void mx_ipc_clear_slot_locked(struct mx_slot *slot)
{
	struct mx_queued *q, *qtmp;
	struct mx_notify *n, *ntmp;
	struct mx_orphan *o;
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	mx_ipc_slot_died_locked(slot);
	list_for_each_entry_safe(q, qtmp, &slot->queue, link) {
		if (q->waiter)
			finish_locked(q->waiter, -MXSYS_EDEADSRCDST);
		else
			drop_queued_locked(q);
	}
	for (i = 0; i < mx_nr_slots; i++) {
		struct mx_slot *other = &mx_slots[i];

		list_for_each_entry_safe(q, qtmp, &other->queue, link)
			if (!q->waiter && q->src == slot->index)
				drop_queued_locked(q);
		if (!test_and_clear_bit(slot->index, other->notify_bits))
			continue;
		list_for_each_entry_safe(n, ntmp, &other->notifies, link) {
			if (n->src == slot->index) {
				list_del(&n->link);
				kfree(n);
			}
		}
	}
	while ((o = list_first_entry_or_null(&slot->orphans, struct mx_orphan,
					     link))) {
		list_del(&o->link);
		kfree(o);
	}
	list_for_each_entry_safe(n, ntmp, &slot->notifies, link) {
		list_del(&n->link);
		kfree(n);
	}
	bitmap_zero(slot->notify_bits, mx_nr_slots);
	slot->system_notify = false;
	slot->clock_notify = false;
}
