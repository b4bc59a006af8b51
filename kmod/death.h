/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Death detection: a probe on the sched_process_exit tracepoint records
 * the exit status of a bound thread group, and deferred work (or the
 * file's release, whichever comes first) turns its slot DEAD.
 */
#ifndef _MX_DEATH_H
#define _MX_DEATH_H

#include <linux/workqueue.h>

struct mx_proc;

int mx_death_init(void);
void mx_death_uninit(void);
void mx_death_work(struct work_struct *work);
void mx_death_reap(struct mx_proc *proc);

#endif /* _MX_DEATH_H */
