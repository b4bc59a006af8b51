// SPDX-License-Identifier: GPL-2.0
/*
 * Death detection. The exit tracepoint's probe runs in the exiting task
 * with preemption disabled: it only records the status under mx_lock and
 * queues work. The death itself is handled in process context.
 */
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "death.h"
#include "ipc.h"
#include "netlink.h"
#include "proc.h"
#include "signal.h"
#include "slot.h"

static struct tracepoint *exit_tp;
static struct workqueue_struct *death_wq;

/*
 * Fires once per exiting thread. Only the thread group's end matters:
 * signal->live has dropped to zero (possibly seen by several threads, so
 * MX_PROC_EXITED deduplicates).
 */
static void mx_probe_exit(void *data, struct task_struct *t)
{
	struct mx_proc *proc;
	unsigned long flags;

	if (!atomic_read(&mx_nr_bound) || atomic_read(&t->signal->live))
		return;
	spin_lock_irqsave(&mx_lock, flags);
	proc = mx_slot_bound_proc_locked(task_tgid(t));
	if (proc && !test_and_set_bit(MX_PROC_EXITED, &proc->flags)) {
		if (t->signal->flags & SIGNAL_GROUP_EXIT)
			proc->exit_code = t->signal->group_exit_code;
		else
			proc->exit_code = t->exit_code;
		mx_proc_get(proc);
		queue_work(death_wq, &proc->death_work);
	}
	spin_unlock_irqrestore(&mx_lock, flags);
}

/*
 * The process behind @proc is gone (or closed its file): its slot becomes
 * DEAD, waiters on it fail, and its signal manager hears from SYSTEM.
 * Runs once per mx_proc.
 */
void mx_death_reap(struct mx_proc *proc)
{
	struct mx_slot_event ev = { .type = MXSYS_EVENT_DIED };
	struct mx_slot *slot;
	unsigned long flags;

	if (test_and_set_bit(MX_PROC_REAPED, &proc->flags))
		return;
	spin_lock_irqsave(&mx_lock, flags);
	slot = proc->slot;
	if (slot) {
		mx_slot_unbind_locked(slot);
		slot->death_pending = true;
		slot->exit_status = proc->exit_code;
		put_pid(slot->exit_pid);
		slot->exit_pid = get_pid(proc->tgid);
		mx_ipc_slot_died_locked(slot);
		mx_signal_death_locked(slot);
		ev.endpoint = mx_slot_endpoint(slot);
		ev.pid = pid_nr(slot->pid);
		ev.status = proc->exit_code;
		mx_nl_slot_event_locked(&ev);
	}
	wake_up(&proc->wq);
	spin_unlock_irqrestore(&mx_lock, flags);
	if (slot)
		mx_nl_slot_events_send();
}

void mx_death_work(struct work_struct *work)
{
	struct mx_proc *proc = container_of(work, struct mx_proc, death_work);

	mx_death_reap(proc);
	mx_proc_put(proc);
}

static void find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		exit_tp = tp;
}

int mx_death_init(void)
{
	int ret;

	for_each_kernel_tracepoint(find_exit_tp, NULL);
	if (!exit_tp) {
		pr_err("tracepoint sched_process_exit not found\n");
		return -ENOENT;
	}
	death_wq = alloc_workqueue("mxsys_death", 0, 0);
	if (!death_wq)
		return -ENOMEM;
	ret = tracepoint_probe_register(exit_tp, mx_probe_exit, NULL);
	if (ret)
		goto err_register;
	return 0;

err_register:
	destroy_workqueue(death_wq);
	return ret;
}

void mx_death_uninit(void)
{
	tracepoint_probe_unregister(exit_tp, mx_probe_exit, NULL);
	tracepoint_synchronize_unregister();
	destroy_workqueue(death_wq);
}
