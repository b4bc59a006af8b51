// SPDX-License-Identifier: GPL-2.0
/*
 * Signal-manager routing: GETKSIG, ENDKSIG, KILL and EXIT.
 */
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "kcall.h"
#include "proc.h"
#include "signal.h"
#include "slot.h"

long mx_signal_getksig(struct mx_proc *proc, struct mxsys_ksig __user *uarg)
{
	struct mxsys_ksig ksig = { .endpoint = MXSYS_NONE };
	struct mx_slot *self;
	unsigned long flags;
	unsigned int i;
	int ret;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, MXSYS_KC_GETKSIG, &self);
	for (i = 0; !ret && i < mx_nr_slots; i++) {
		struct mx_slot *slot = &mx_slots[i];

		if (!slot->death_pending ||
		    slot->sig_mgr != mx_slot_endpoint(self))
			continue;
		slot->death_pending = false;
		ksig.endpoint = mx_slot_endpoint(slot);
		ksig.flags = MXSYS_KSIG_DEAD;
		ksig.exit_status = slot->exit_status;
		ksig.pid = pid_vnr(slot->pid);
		break;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	return copy_to_user(uarg, &ksig, sizeof(ksig)) ? -EFAULT : 0;
}

/* Only the target's signal manager may end its kernel signals. */
static int endksig_locked(struct mx_slot *self, struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	if (slot->sig_mgr != mx_slot_endpoint(self))
		return -EPERM;
	return 0;
}

long mx_signal_endksig(struct mx_proc *proc,
		      struct mxsys_endpoint_arg __user *uarg)
{
	return mx_endpoint_kcall(proc, MXSYS_KC_ENDKSIG, uarg, endksig_locked);
}

long mx_signal_kill(struct mx_proc *proc, struct mxsys_kill __user *uarg)
{
	return -ENOSYS;
}

long mx_signal_exit(struct mx_proc *proc)
{
	return -ENOSYS;
}

int mx_signal_init(void)
{
	return 0;
}

void mx_signal_uninit(void)
{
}
