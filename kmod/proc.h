/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct mx_proc: one open file of /dev/mxsys, owned by the thread group
 * that opened it. A bound mx_proc is the process behind a slot.
 */
#ifndef _MX_PROC_H
#define _MX_PROC_H

#include <linux/kref.h>
#include <linux/pid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ipc.h"

struct mx_grant_table;
struct mx_slot;

/* Bits in mx_proc.flags. */
enum {
	MX_PROC_EXITED,		/* the exit probe recorded exit_code */
	MX_PROC_REAPED,		/* death handling ran (once) */
};

struct mx_proc {
	struct kref ref;
	struct pid *tgid;		/* owner; every ioctl checks it */
	struct mx_slot *slot;		/* under mx_lock; NULL: unbound */
	struct hlist_node bound_node;	/* mx_lock: in the table while bound */
	struct mx_grant_table *grants;	/* grant.c; moves with the process */
	unsigned long flags;
	int exit_code;			/* under mx_lock, wait(2) status */
	wait_queue_head_t wq;		/* waits to run IPC, and poll() */
	struct list_head parked;	/* mx_lock: struct mx_parked */
	struct work_struct death_work;
};

struct mx_proc *mx_proc_create(void);
void mx_proc_put(struct mx_proc *proc);

static inline void mx_proc_get(struct mx_proc *proc)
{
	kref_get(&proc->ref);
}

#endif /* _MX_PROC_H */
