// SPDX-License-Identifier: GPL-2.0
/*
 * sys_update(src, dst, flags): exchange the processes behind two slots,
 * as MINIX's do_update. A restart or live update prepares the new process
 * in a spare slot and swaps it in; rollback is the same call again.
 *
 * What moves with the process: its binding (pid, mx_proc, state, allowed),
 * its blocked calls and its privileges (flags, init flags, call mask,
 * signal managers, name). What stays with the slot, its identity: index,
 * generation and so the endpoint, callers queued on it, pending
 * notifications, signals and alarm, a pending death report, the async
 * messages it sent, and its send mask, which dst first extends with src's.
 */
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ipc.h"
#include "kcall.h"
#include "netlink.h"
#include "proc.h"
#include "slot.h"
#include "update.h"

/*
 * Has @slot's process taken a SENDREC request it has not answered? The
 * caller waits for a reply from the endpoint, which after a swap would
 * belong to a process that never saw the request, while the one that did
 * would answer from the other endpoint, to a caller not listening to it.
 */
static bool owes_reply_locked(const struct mx_slot *slot)
{
	s32 ep = mx_slot_endpoint(slot);
	struct mx_waiter *w;
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++) {
		struct mx_orphan *o;

		list_for_each_entry(w, &mx_slots[i].waiters, link)
			if (w->phase == MX_RECEIVING && w->reply_pending &&
			    w->src == ep)
				return true;
		/* A reply owed to a process that died is owed all the same. */
		list_for_each_entry(o, &mx_slots[i].orphans, link)
			if (o->peer == ep)
				return true;
	}
	return false;
}

/*
 * A slot may be swapped when its process cannot be in the middle of
 * anything: there is none (prepared or dead), or it owes no reply and
 * either may not run (not yet allowed, DISALLOWed, or frozen by a signal
 * for its manager) or has every call blocked receiving (typically the
 * SENDREC to RS that reported it ready). Anything else gives -EBUSY.
 */
static bool quiescent_locked(const struct mx_slot *slot)
{
	struct mx_waiter *w;

	lockdep_assert_held(&mx_lock);
	if (slot->state != MX_SLOT_BOUND)
		return true;
	if (owes_reply_locked(slot))
		return false;
	if (!mx_slot_may_run_locked(slot))
		return true;
	if (list_empty(&slot->waiters))
		return false;
	list_for_each_entry(w, &slot->waiters, link)
		if (w->phase != MX_RECEIVING)
			return false;
	return true;
}

/* @dst may reach every slot @src may, and each of them may answer @dst. */
static void inherit_send_mask_locked(struct mx_slot *dst,
				     const struct mx_slot *src)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for_each_set_bit(i, src->send_mask, mx_nr_slots) {
		if (i == dst->index)
			continue;
		set_bit(i, dst->send_mask);
		set_bit(dst->index, mx_slots[i].send_mask);
	}
}

/*
 * A send still queued (its process was not allowed to run, so it was
 * quiescent) now comes from the process's new endpoint: the receiver's
 * answer must reach the process, not its old slot.
 */
static void move_waiters_locked(struct list_head *from, struct mx_slot *to)
{
	struct mx_waiter *w;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(w, from, link) {
		w->owner = to;
		if (w->phase == MX_SENDING) {
			w->q.src = to->index;
			w->q.msg.m_source = mx_slot_endpoint(to);
		}
	}
	list_splice_init(from, &to->waiters);
}

static void swap_locked(struct mx_slot *a, struct mx_slot *b)
{
	char name[MXSYS_NAME_LEN];
	LIST_HEAD(a_calls);

	lockdep_assert_held(&mx_lock);
	swap(a->pid, b->pid);
	swap(a->proc, b->proc);
	swap(a->state, b->state);
	swap(a->allowed, b->allowed);
	swap(a->flags, b->flags);
	swap(a->init_flags, b->init_flags);
	swap(a->call_mask, b->call_mask);
	swap(a->sig_mgr, b->sig_mgr);
	swap(a->bak_sig_mgr, b->bak_sig_mgr);
	memcpy(name, a->name, sizeof(name));
	memcpy(a->name, b->name, sizeof(name));
	memcpy(b->name, name, sizeof(name));

	list_splice_init(&a->waiters, &a_calls);
	move_waiters_locked(&b->waiters, a);
	move_waiters_locked(&a_calls, b);
	if (a->proc) {
		a->proc->slot = a;
		wake_up(&a->proc->wq);
	}
	if (b->proc) {
		b->proc->slot = b;
		wake_up(&b->proc->wq);
	}
}

static int update_locked(struct mx_slot *self, struct mx_slot *src,
			 struct mx_slot *dst)
{
	lockdep_assert_held(&mx_lock);
	if (src == dst)
		return -EINVAL;
	if (!(src->flags & MXSYS_SYS_PROC) || !(dst->flags & MXSYS_SYS_PROC) ||
	    !mx_kcall_may_manage_locked(self, src) ||
	    !mx_kcall_may_manage_locked(self, dst))
		return -EPERM;
	if (!quiescent_locked(src) || !quiescent_locked(dst))
		return -EBUSY;
	inherit_send_mask_locked(dst, src);
	swap_locked(src, dst);
	return 0;
}

long mx_update(struct mx_proc *proc, struct mxsys_update __user *uarg)
{
	struct mx_slot_event ev = { .type = MXSYS_EVENT_SWAPPED };
	struct mx_slot *self, *src, *dst;
	struct mxsys_update arg;
	unsigned long flags;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad || (arg.flags & ~MXSYS_UPD_ROLLBACK))
		return -EINVAL;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_sys_caller_locked(proc, MXSYS_KC_UPDATE, &self);
	if (!ret)
		ret = mx_slot_lookup_locked(arg.src, &src);
	if (!ret)
		ret = mx_slot_lookup_locked(arg.dst, &dst);
	if (!ret)
		ret = update_locked(self, src, dst);
	if (!ret) {
		ev.endpoint = mx_slot_endpoint(src);
		ev.other = mx_slot_endpoint(dst);
		ev.pid = pid_nr(src->pid);
		mx_nl_slot_event_locked(&ev);
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (!ret)
		mx_nl_slot_events_send();
	return ret;
}
