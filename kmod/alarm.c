// SPDX-License-Identifier: GPL-2.0
/*
 * Alarms. The timer runs in softirq context and only takes mx_lock, so
 * under mx_lock it may be re-armed but only try-cancelled: a callback that
 * is already waiting for the lock finds the alarm disarmed or not yet due
 * and does nothing.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>

#include "alarm.h"
#include "ipc.h"
#include "kcall.h"
#include "proc.h"
#include "slot.h"

static enum hrtimer_restart alarm_fired(struct hrtimer *timer)
{
	struct mx_slot *slot = container_of(timer, struct mx_slot, alarm);
	unsigned long flags;

	spin_lock_irqsave(&mx_lock, flags);
	if (slot->alarm_armed && ktime_get() >= slot->alarm_expires) {
		slot->alarm_armed = false;
		mx_ipc_notify_kernel_locked(slot, MXSYS_CLOCK);
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	return HRTIMER_NORESTART;
}

void mx_alarm_init(struct mx_slot *slot)
{
	hrtimer_init(&slot->alarm, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	slot->alarm.function = alarm_fired;
}

void mx_alarm_stop_locked(struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	slot->alarm_armed = false;
	hrtimer_try_to_cancel(&slot->alarm);
}

/* Module exit: nothing can arm the timer any more. */
void mx_alarm_uninit(struct mx_slot *slot)
{
	hrtimer_cancel(&slot->alarm);
}

/* Milliseconds until the armed alarm of @slot, rounded up; 0 if none. */
static u64 alarm_left_ms_locked(const struct mx_slot *slot, ktime_t now)
{
	lockdep_assert_held(&mx_lock);
	if (!slot->alarm_armed || slot->alarm_expires <= now)
		return 0;
	return DIV_ROUND_UP_ULL(slot->alarm_expires - now, NSEC_PER_MSEC);
}

long mx_alarm_set(struct mx_proc *proc, struct mxsys_alarm __user *uarg)
{
	struct mxsys_alarm arg;
	struct mx_slot *self;
	unsigned long flags;
	ktime_t now, expires;
	u64 left;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad || (arg.flags & ~MXSYS_ALARM_ABS) ||
	    arg.ms > KTIME_MAX / NSEC_PER_MSEC)
		return -EINVAL;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, MXSYS_KC_SETALARM, &self);
	if (ret)
		goto out_unlock;
	now = ktime_get();
	left = alarm_left_ms_locked(self, now);
	if (!arg.ms) {
		mx_alarm_stop_locked(self);
		goto out_unlock;
	}
	expires = arg.ms * NSEC_PER_MSEC;
	if (!(arg.flags & MXSYS_ALARM_ABS))
		expires = ktime_add_safe(now, expires);
	self->alarm_expires = expires;
	self->alarm_armed = true;
	hrtimer_start(&self->alarm, expires, HRTIMER_MODE_ABS_SOFT);
out_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	arg.ms = left;
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}
