// SPDX-License-Identifier: GPL-2.0
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "death.h"
#include "grant.h"
#include "ipc.h"
#include "proc.h"

struct mx_proc *mx_proc_create(void)
{
	struct mx_proc *proc = kzalloc(sizeof(*proc), GFP_KERNEL);

	if (!proc)
		return NULL;
	kref_init(&proc->ref);
	proc->tgid = get_pid(task_tgid(current));
	init_waitqueue_head(&proc->wq);
	INIT_LIST_HEAD(&proc->parked);
	INIT_WORK(&proc->death_work, mx_death_work);
	return proc;
}

static void mx_proc_release(struct kref *ref)
{
	struct mx_proc *proc = container_of(ref, struct mx_proc, ref);

	mx_ipc_free_parked(proc);
	mx_grant_release(proc);
	put_pid(proc->tgid);
	kfree(proc);
}

void mx_proc_put(struct mx_proc *proc)
{
	kref_put(&proc->ref, mx_proc_release);
}
