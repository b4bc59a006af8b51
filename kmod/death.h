/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Death detection: a probe on the sched_process_exit tracepoint records
 * the exit status of a bound thread group, and deferred work (or the
 * file's release, whichever comes first) turns its slot DEAD.
 */
#ifndef _MX_DEATH_H
#define _MX_DEATH_H

#include <linux/atomic.h>
#include <linux/workqueue.h>

struct mx_proc;

/* Bound slots: lets the exit probe return at once when there are none. */
extern atomic_t mx_nr_bound;

int mx_death_init(void);
void mx_death_uninit(void);
void mx_death_work(struct work_struct *work);
void mx_death_reap(struct mx_proc *proc);

#endif /* _MX_DEATH_H */
