// SPDX-License-Identifier: GPL-2.0
/*
 * Signal-manager routing, as MINIX's cause_sig(): a probe on the
 * signal_generate tracepoint turns a signal for a bound process into
 * pending state of its slot and a notify from SYSTEM to the slot's signal
 * manager, which pulls it with GETKSIG and finishes it with ENDKSIG. KILL
 * and EXIT are the kernel calls that cause signals on purpose.
 *
 * Which signals are routed. A tracepoint cannot stop a delivery, so only a
 * signal that Linux leaves pending is routed: one the target has blocked
 * (services block every catchable signal in sef_startup()). SIGKILL,
 * SIGSTOP and synchronous faults (force_sig*() unblocks them) cannot be
 * blocked; they act as usual and show up as a death, or a stop that the
 * heartbeat catches. A signal the kernel drops (result IGNORED, or a
 * real-time signal that did not fit in the queue) or that the process has
 * set to SIG_IGN is never acted on, so it is not routed either.
 */
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <trace/events/signal.h>

#include "ipc.h"
#include "kcall.h"
#include "proc.h"
#include "signal.h"
#include "slot.h"

static struct tracepoint *signal_tp;

/* MINIX's SIGS_IS_LETHAL (SIGEMT has no Linux counterpart). */
static bool sig_is_lethal(int sig)
{
	return sig == SIGILL || sig == SIGBUS || sig == SIGFPE ||
	       sig == SIGSEGV || sig == SIGABRT;
}

/*
 * The slot told about @slot's signals and death: NULL for an unmanaged
 * slot (sig_mgr NONE: RS itself), @slot itself for SELF. A manager whose
 * slot was freed is replaced by RS, MINIX's default manager, so that
 * nothing is lost; a DEAD manager stays (its next process picks the events
 * up). GETKSIG and ENDKSIG ask the same function, so the slot that is
 * notified is the one that may pull.
 */
static struct mx_slot *manager_locked(struct mx_slot *slot)
{
	struct mx_slot *mgr;

	lockdep_assert_held(&mx_lock);
	if (slot->sig_mgr == MXSYS_NONE)
		return NULL;
	mgr = mx_slot_sig_mgr_locked(slot);
	if (mgr)
		return mgr;
	slot->sig_mgr = MXSYS_RS_ENDPOINT;
	return mx_slot_sig_mgr_locked(slot);
}

/* @slot's backup manager if a process is bound to it, else NULL. */
static struct mx_slot *live_backup_locked(struct mx_slot *slot)
{
	struct mx_slot *bak;

	lockdep_assert_held(&mx_lock);
	if (slot->bak_sig_mgr == MXSYS_NONE ||
	    mx_slot_lookup_locked(slot->bak_sig_mgr, &bak) ||
	    bak == slot || bak->state != MX_SLOT_BOUND)
		return NULL;
	return bak;
}

/* The backup takes over for good, as in MINIX (which also lets it run). */
static struct mx_slot *switch_to_backup_locked(struct mx_slot *slot,
					       struct mx_slot *bak)
{
	lockdep_assert_held(&mx_lock);
	slot->sig_mgr = slot->bak_sig_mgr;
	slot->bak_sig_mgr = MXSYS_NONE;
	if (!bak->allowed) {
		bak->allowed = true;
		wake_up(&bak->proc->wq);
	}
	return bak;
}

/*
 * MINIX cause_sig(): record @sig for @slot and tell whoever handles it.
 * A slot that is its own manager gets its signal in the notify from SYSTEM
 * (self_sigs), unless the signal is lethal and a backup is alive: then the
 * backup becomes the manager (where MINIX panics without one, the slot
 * just gets the signal itself). Any other slot is frozen (sig_frozen: its
 * new IPC calls wait) until its manager has pulled the signals and called
 * ENDKSIG; the manager is notified once per batch (when sig_pending was
 * empty).
 */
static void cause_sig_locked(struct mx_slot *slot, int sig)
{
	struct mx_slot *mgr, *bak;

	lockdep_assert_held(&mx_lock);
	mgr = manager_locked(slot);
	if (!mgr)
		return;
	if (mgr == slot) {
		bak = sig_is_lethal(sig) ? live_backup_locked(slot) : NULL;
		if (!bak) {
			slot->self_sigs |= MXSYS_SIGBIT(sig);
			mx_ipc_notify_kernel_locked(slot, MXSYS_SYSTEM);
			return;
		}
		mgr = switch_to_backup_locked(slot, bak);
	}
	if (slot->sig_pending) {
		slot->sig_pending |= MXSYS_SIGBIT(sig);
		return;
	}
	slot->sig_pending = MXSYS_SIGBIT(sig);
	slot->sig_frozen = true;
	mx_ipc_notify_kernel_locked(mgr, MXSYS_SYSTEM);
}

/*
 * Would Linux leave @sig pending in @t, for the manager to decide? Called
 * under @t's siglock, which keeps masks, handlers and the thread list
 * still. First the cheap tests, for every signal in the system.
 */
static bool sig_blocked(int sig, struct task_struct *t, int result)
{
	if (result == TRACE_SIGNAL_IGNORED ||
	    result == TRACE_SIGNAL_OVERFLOW_FAIL)
		return false;
	/* The tracepoint's caller holds t's siglock: sighand cannot change. */
	if (rcu_dereference_protected(t->sighand, 1)->action[sig - 1].sa.sa_handler ==
	    SIG_IGN)
		return false;
	return sigismember(&t->blocked, sig);
}

/* A process-directed signal goes to any thread that does not block it. */
static bool sig_blocked_by_group(int sig, struct task_struct *t)
{
	struct task_struct *th;

	for_each_thread(t, th)
		if (!(th->flags & PF_EXITING) && !sigismember(&th->blocked, sig))
			return false;
	return true;
}

/*
 * signal_generate fires for every signal in the system, in the sender's
 * context with the target's siglock held and interrupts off: no sleeping,
 * no allocation, and mx_lock nests inside siglock (never the reverse).
 */
static void mx_probe_signal(void *data, int sig, struct kernel_siginfo *info,
			    struct task_struct *t, int group, int result)
{
	struct mx_proc *proc;
	unsigned long flags;

	if (!atomic_read(&mx_nr_bound) || sig < 1 || sig > MXSYS_NSIG ||
	    !sig_blocked(sig, t, result))
		return;
	spin_lock_irqsave(&mx_lock, flags);
	proc = mx_slot_bound_proc_locked(task_tgid(t));
	if (proc && proc->slot && (!group || sig_blocked_by_group(sig, t)))
		cause_sig_locked(proc->slot, sig);
	spin_unlock_irqrestore(&mx_lock, flags);
}

/*
 * @slot's process died (mx_death_reap()). Nothing is left to freeze or to
 * hand its own signals to, but signals already routed stay for the
 * manager, which pulls them before the death. A slot that was its own
 * manager hands over to its live backup, else to RS, so that its death is
 * never lost; GETKSIG then finds the death under that manager.
 */
void mx_signal_death_locked(struct mx_slot *slot)
{
	struct mx_slot *mgr;

	lockdep_assert_held(&mx_lock);
	slot->sig_frozen = false;
	slot->self_sigs = 0;
	mgr = manager_locked(slot);
	if (mgr == slot) {
		mgr = live_backup_locked(slot);
		if (mgr) {
			switch_to_backup_locked(slot, mgr);
		} else {
			slot->sig_mgr = MXSYS_RS_ENDPOINT;
			mgr = manager_locked(slot);
		}
	}
	if (mgr && mgr != slot)
		mx_ipc_notify_kernel_locked(mgr, MXSYS_SYSTEM);
}

/*
 * Signals before the death: they were caused first, and a manager that
 * sees the death last knows the slot is done.
 */
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

		if (!slot->sig_pending && !slot->death_pending)
			continue;
		if (manager_locked(slot) != self)
			continue;
		ksig.endpoint = mx_slot_endpoint(slot);
		ksig.pid = pid_vnr(slot->sig_pending ? slot->pid : slot->exit_pid);
		if (slot->sig_pending) {
			ksig.sigset = slot->sig_pending;
			slot->sig_pending = 0;
		} else {
			slot->death_pending = false;
			ksig.flags = MXSYS_KSIG_DEAD;
			ksig.exit_status = slot->exit_status;
		}
		break;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	return copy_to_user(uarg, &ksig, sizeof(ksig)) ? -EFAULT : 0;
}

/*
 * MINIX do_endksig(): only the manager, only for a slot with signals in
 * hand. Signals that came in after the pull keep the slot frozen (the
 * manager was notified of them). A dead slot has nothing to resume: ending
 * it succeeds, so a manager may end every record it pulled, deaths too.
 */
static int endksig_locked(struct mx_slot *self, struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	if (manager_locked(slot) != self)
		return -EPERM;
	if (slot->state == MX_SLOT_DEAD)
		return 0;
	if (!slot->sig_frozen)
		return -EINVAL;
	if (!slot->sig_pending) {
		slot->sig_frozen = false;
		if (slot->proc)
			wake_up(&slot->proc->wq);
	}
	return 0;
}

long mx_signal_endksig(struct mx_proc *proc,
		       struct mxsys_endpoint_arg __user *uarg)
{
	return mx_endpoint_kcall(proc, MXSYS_KC_ENDKSIG, uarg, endksig_locked);
}

/*
 * MINIX sys_kill(): a real signal to the target's thread group, sent by
 * endpoint, so a manager cannot hit a recycled pid. It goes through the
 * probe like any other: a blocked signal comes back to the manager,
 * SIGKILL kills. Sent after mx_lock is dropped (the probe takes it under
 * the target's siglock), with a reference on the pid.
 */
long mx_signal_kill(struct mx_proc *proc, struct mxsys_kill __user *uarg)
{
	struct mx_slot *self, *slot;
	struct mxsys_kill arg;
	struct pid *pid = NULL;
	unsigned long flags;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, MXSYS_KC_KILL, &self);
	if (ret)
		goto out_unlock;
	if (arg.sig < 1 || arg.sig > MXSYS_NSIG) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = mx_slot_lookup_locked(arg.endpoint, &slot);
	if (ret)
		goto out_unlock;
	if (!(self->flags & MXSYS_ROOT_SYS_PROC) && manager_locked(slot) != self) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (slot->state != MX_SLOT_BOUND) {
		ret = -ESRCH;
		goto out_unlock;
	}
	pid = get_pid(slot->pid);
out_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;
	ret = kill_pid(pid, arg.sig, 1);
	put_pid(pid);
	return ret;
}

/*
 * MINIX sys_exit(): SIGABRT for the caller, routed as a kernel signal.
 * The caller then exits; its death is reported on its own, after it.
 */
long mx_signal_exit(struct mx_proc *proc)
{
	struct mx_slot *self;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, MXSYS_KC_EXIT, &self);
	if (!ret)
		cause_sig_locked(self, SIGABRT);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

static void find_signal_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "signal_generate"))
		signal_tp = tp;
}

int mx_signal_init(void)
{
	for_each_kernel_tracepoint(find_signal_tp, NULL);
	if (!signal_tp) {
		pr_err("tracepoint signal_generate not found\n");
		return -ENOENT;
	}
	return tracepoint_probe_register(signal_tp, mx_probe_signal, NULL);
}

void mx_signal_uninit(void)
{
	tracepoint_probe_unregister(signal_tp, mx_probe_signal, NULL);
	tracepoint_synchronize_unregister();
}
