// SPDX-License-Identifier: GPL-2.0
/*
 * MINIX kernel calls. Each one checks the caller's call mask
 * (-MXSYS_ECALLDENIED), except WHOAMI and RS_CLAIM. A caller whose file is not
 * bound to a slot gets -EPERM from every call but RS_CLAIM.
 */
#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "death.h"
#include "fdstore.h"
#include "ipc.h"
#include "kcall.h"
#include "netlink.h"
#include "proc.h"
#include "slot.h"

#define MX_KNOWN_FLAGS	(MXSYS_PREEMPTIBLE | MXSYS_DYN_PRIV_ID | \
			 MXSYS_SYS_PROC | MXSYS_ROOT_SYS_PROC | \
			 MXSYS_LU_SYS_PROC | MXSYS_RST_SYS_PROC)

int mx_kcall_caller_locked(struct mx_proc *proc, unsigned int kcall,
			   struct mx_slot **selfp)
{
	lockdep_assert_held(&mx_lock);
	if (!proc->slot)
		return -EPERM;
	if (!(proc->slot->call_mask & BIT_ULL(kcall)))
		return -MXSYS_ECALLDENIED;
	*selfp = proc->slot;
	return 0;
}

/*
 * Only RS (ROOT_SYS_PROC) may change, freeze or swap RS's own slot: a
 * service holding PRIVCTL or UPDATE must not disable or impersonate it.
 */
bool mx_kcall_may_manage_locked(const struct mx_slot *self,
				const struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	return !(slot->flags & MXSYS_ROOT_SYS_PROC) ||
	       (self->flags & MXSYS_ROOT_SYS_PROC);
}

/* PRIVCTL and UPDATE callers: the call in the mask, and a system process. */
int mx_kcall_sys_caller_locked(struct mx_proc *proc, unsigned int kcall,
			       struct mx_slot **selfp)
{
	int ret;

	lockdep_assert_held(&mx_lock);
	ret = mx_kcall_caller_locked(proc, kcall, selfp);
	if (!ret && !((*selfp)->flags & MXSYS_SYS_PROC))
		ret = -EPERM;
	return ret;
}

static void fill_whoami_locked(const struct mx_slot *slot,
			       struct mxsys_whoami *who)
{
	lockdep_assert_held(&mx_lock);
	memset(who, 0, sizeof(*who));
	who->endpoint = mx_slot_endpoint(slot);
	who->flags = slot->flags;
	who->init_flags = slot->init_flags;
	memcpy(who->name, slot->name, sizeof(who->name));
}

/* An unbound caller has no identity: -EPERM. */
long mx_kcall_whoami(struct mx_proc *proc, struct mxsys_whoami __user *uarg)
{
	struct mxsys_whoami who;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&mx_lock, flags);
	if (proc->slot)
		fill_whoami_locked(proc->slot, &who);
	else
		ret = -EPERM;
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	return copy_to_user(uarg, &who, sizeof(who)) ? -EFAULT : 0;
}

/*
 * Bind an unbound file of a CAP_SYS_ADMIN process to the RS slot. A dead
 * RS slot is taken over with its endpoint, queue and notifications.
 */
long mx_kcall_rs_claim(struct mx_proc *proc, struct mxsys_whoami __user *uarg)
{
	struct mx_slot *rs = NULL;
	struct mxsys_whoami who;
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	spin_lock_irqsave(&mx_lock, flags);
	if (proc->slot || test_bit(MX_PROC_REAPED, &proc->flags) ||
	    mx_slot_of_pid_locked(proc->tgid)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	rs = &mx_slots[MXSYS_RS_SLOT];
	if (rs->state == MX_SLOT_PREPARED || rs->state == MX_SLOT_BOUND) {
		ret = -EBUSY;
		goto out_unlock;
	}
	put_pid(rs->pid);
	rs->pid = get_pid(proc->tgid);
	rs->flags = MXSYS_ROOT_SYS_PROC | MXSYS_SYS_PROC;
	rs->init_flags = 0;
	rs->sig_mgr = MXSYS_NONE;
	rs->bak_sig_mgr = MXSYS_NONE;
	rs->call_mask = MXSYS_KC_ALL;
	strscpy(rs->name, "rs", sizeof(rs->name));
	for (i = 0; i < mx_nr_slots; i++) {
		if (i == MXSYS_RS_SLOT)
			continue;
		set_bit(i, rs->send_mask);
		set_bit(MXSYS_RS_SLOT, mx_slots[i].send_mask);
	}
	rs->death_pending = false;
	rs->allowed = true;
	mx_slot_bind_locked(rs, proc);
	fill_whoami_locked(rs, &who);
out_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	mx_nl_slot_events_send();
	return copy_to_user(uarg, &who, sizeof(who)) ? -EFAULT : 0;
}

static int check_priv(const struct mxsys_priv *priv)
{
	if (!memchr(priv->name, '\0', sizeof(priv->name)))
		return -EINVAL;
	if (priv->call_mask & ~MXSYS_KC_ALL)
		return -EINVAL;
	if (priv->flags & ~MX_KNOWN_FLAGS)
		return -EINVAL;
	return 0;
}

/* Nobody hands out more than it has: kernel calls, and RS's root flag. */
static int check_priv_grant_locked(const struct mx_slot *self,
				   const struct mxsys_priv *priv)
{
	lockdep_assert_held(&mx_lock);
	if (priv->call_mask & ~self->call_mask)
		return -EPERM;
	if ((priv->flags & MXSYS_ROOT_SYS_PROC) &&
	    !(self->flags & MXSYS_ROOT_SYS_PROC))
		return -EPERM;
	return 0;
}

/* Pick the slot SET_SYS prepares: a new one, or a dead/prepared endpoint. */
static int target_slot_locked(const struct mxsys_privctl *pc,
			      struct mx_slot **slotp)
{
	struct mx_slot *slot;
	unsigned int i;
	int ret;

	lockdep_assert_held(&mx_lock);
	if (pc->endpoint != MXSYS_NONE) {
		ret = mx_slot_lookup_locked(pc->endpoint, &slot);
		if (ret)
			return ret;
		if (slot->state != MX_SLOT_DEAD &&
		    slot->state != MX_SLOT_PREPARED)
			return -EBUSY;
		*slotp = slot;
		return 0;
	}
	if (pc->slot == MXSYS_SLOT_DYNAMIC) {
		for (i = MXSYS_NR_STATIC_SLOTS; i < mx_nr_slots; i++) {
			if (mx_slots[i].state == MX_SLOT_FREE) {
				*slotp = &mx_slots[i];
				return 0;
			}
		}
		return -EAGAIN;
	}
	if (pc->slot >= MXSYS_NR_STATIC_SLOTS)
		return -EINVAL;
	slot = &mx_slots[pc->slot];
	if (pc->slot == MXSYS_RS_SLOT || slot->state != MX_SLOT_FREE)
		return -EBUSY;
	*slotp = slot;
	return 0;
}

static void apply_priv_locked(struct mx_slot *slot,
			      const struct mxsys_priv *priv)
{
	lockdep_assert_held(&mx_lock);
	/* DYN_PRIV_ID says what the slot is, whatever the caller asked. */
	slot->flags = priv->flags & ~MXSYS_DYN_PRIV_ID;
	if (slot->index >= MXSYS_NR_STATIC_SLOTS)
		slot->flags |= MXSYS_DYN_PRIV_ID;
	slot->init_flags = priv->init_flags;
	slot->call_mask = priv->call_mask;
	if (priv->sig_mgr == MXSYS_NONE || priv->sig_mgr == 0)
		slot->sig_mgr = MXSYS_RS_ENDPOINT;
	else
		slot->sig_mgr = priv->sig_mgr;
	slot->bak_sig_mgr = priv->bak_sig_mgr;
	memcpy(slot->name, priv->name, sizeof(slot->name));
	mx_slot_set_send_mask_locked(slot, priv->send_mask);
	/* RS must reach every service (init, ping) and be reachable. */
	set_bit(MXSYS_RS_SLOT, slot->send_mask);
	set_bit(slot->index, mx_slots[MXSYS_RS_SLOT].send_mask);
}

static long set_sys(struct mx_proc *proc, struct mxsys_privctl *pc,
		    struct mxsys_privctl __user *uarg)
{
	struct mx_slot *self, *slot;
	unsigned long flags;
	struct pid *pid;
	bool alive;
	int ret;

	ret = check_priv(&pc->priv);
	if (ret)
		return ret;
	if (pc->pid <= 0)
		return -ESRCH;
	pid = find_get_pid(pc->pid);
	if (!pid)
		return -ESRCH;
	rcu_read_lock();
	alive = pid_task(pid, PIDTYPE_TGID);
	rcu_read_unlock();
	if (!alive) {
		ret = -ESRCH;
		goto out_put;
	}

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_sys_caller_locked(proc, MXSYS_KC_PRIVCTL, &self);
	if (!ret)
		ret = check_priv_grant_locked(self, &pc->priv);
	if (ret)
		goto out_unlock;
	if (mx_slot_of_pid_locked(pid)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = target_slot_locked(pc, &slot);
	if (ret)
		goto out_unlock;
	swap(slot->pid, pid);
	apply_priv_locked(slot, &pc->priv);
	slot->state = MX_SLOT_PREPARED;
	slot->allowed = false;
	slot->death_pending = false;
	slot->exit_status = 0;
	pc->endpoint = mx_slot_endpoint(slot);
out_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
out_put:
	put_pid(pid);
	if (ret)
		return ret;
	return copy_to_user(uarg, pc, sizeof(*pc)) ? -EFAULT : 0;
}

/*
 * The PRIVCTL requests that act on an existing slot, all under mx_lock:
 * ALLOW, DISALLOW, YIELD (allow the target, disallow the caller: RS
 * handing over), CLEAR_IPC_REFS and UPDATE_SYS.
 */
static int slot_privctl_locked(struct mx_slot *self, struct mx_slot *slot,
			       const struct mxsys_privctl *pc)
{
	int ret;

	lockdep_assert_held(&mx_lock);
	if (!mx_kcall_may_manage_locked(self, slot))
		return -EPERM;
	switch (pc->request) {
	case MXSYS_PRIV_ALLOW:
	case MXSYS_PRIV_YIELD:
		slot->allowed = true;
		if (pc->request == MXSYS_PRIV_YIELD && slot != self)
			self->allowed = false;
		break;
	case MXSYS_PRIV_DISALLOW:
		slot->allowed = false;
		break;
	case MXSYS_PRIV_CLEAR_IPC_REFS:
		mx_ipc_clear_refs_locked(slot);
		break;
	case MXSYS_PRIV_UPDATE_SYS:
		ret = check_priv(&pc->priv);
		if (!ret)
			ret = check_priv_grant_locked(self, &pc->priv);
		if (ret)
			return ret;
		apply_priv_locked(slot, &pc->priv);
		break;
	}
	if (slot->proc)
		wake_up(&slot->proc->wq);
	if (self->proc)
		wake_up(&self->proc->wq);
	return 0;
}

static long slot_privctl(struct mx_proc *proc, const struct mxsys_privctl *pc)
{
	struct mx_slot *self, *slot;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_sys_caller_locked(proc, MXSYS_KC_PRIVCTL, &self);
	if (!ret)
		ret = mx_slot_lookup_locked(pc->endpoint, &slot);
	if (!ret)
		ret = slot_privctl_locked(self, slot, pc);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

long mx_kcall_privctl(struct mx_proc *proc, struct mxsys_privctl __user *uarg)
{
	struct mxsys_privctl pc;

	if (copy_from_user(&pc, uarg, sizeof(pc)))
		return -EFAULT;
	switch (pc.request) {
	case MXSYS_PRIV_SET_SYS:
		return set_sys(proc, &pc, uarg);
	case MXSYS_PRIV_ALLOW:
	case MXSYS_PRIV_DISALLOW:
	case MXSYS_PRIV_YIELD:
	case MXSYS_PRIV_CLEAR_IPC_REFS:
	case MXSYS_PRIV_UPDATE_SYS:
		return slot_privctl(proc, &pc);
	default:
		return -EINVAL;
	}
}

/*
 * ENDKSIG and CLEAR name a target endpoint: check the argument and the
 * caller, look the target up and let @act_locked decide, all under mx_lock.
 */
long mx_endpoint_kcall(struct mx_proc *proc, unsigned int kcall,
		       struct mxsys_endpoint_arg __user *uarg,
		       int (*act_locked)(struct mx_slot *self,
					 struct mx_slot *slot))
{
	struct mxsys_endpoint_arg arg;
	struct mx_slot *self, *slot;
	unsigned long flags;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad)
		return -EINVAL;
	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, kcall, &self);
	if (!ret)
		ret = mx_slot_lookup_locked(arg.endpoint, &slot);
	if (!ret)
		ret = act_locked(self, slot);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

/* A slot whose process is alive (or not yet reaped) cannot be cleared. */
static int clear_locked(struct mx_slot *self, struct mx_slot *slot)
{
	struct mx_slot_event ev = {
		.type = MXSYS_EVENT_CLEARED,
		.endpoint = mx_slot_endpoint(slot),
	};

	lockdep_assert_held(&mx_lock);
	if (slot->state == MX_SLOT_BOUND || slot->index == MXSYS_RS_SLOT)
		return -EBUSY;
	mx_slot_free_locked(slot);
	mx_nl_slot_event_locked(&ev);
	return 0;
}

long mx_kcall_clear(struct mx_proc *proc,
		    struct mxsys_endpoint_arg __user *uarg)
{
	long ret = mx_endpoint_kcall(proc, MXSYS_KC_CLEAR, uarg, clear_locked);

	if (!ret) {
		mx_fd_put_dropped();
		mx_nl_slot_events_send();
	}
	return ret;
}
