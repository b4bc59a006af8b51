/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signal-manager routing: a probe on signal_generate turns a signal for a
 * bound process into pending state of its slot and a notify from SYSTEM
 * to the slot's signal manager, which pulls it with GETKSIG. Deaths are
 * reported to the same manager (mx_signal_death_locked()).
 */
#ifndef _MX_SIGNAL_H
#define _MX_SIGNAL_H

#include <mxsys.h>

struct mx_proc;
struct mx_slot;

int mx_signal_init(void);
void mx_signal_uninit(void);
void mx_signal_death_locked(struct mx_slot *slot);
long mx_signal_getksig(struct mx_proc *proc, struct mxsys_ksig __user *uarg);
long mx_signal_endksig(struct mx_proc *proc,
		       struct mxsys_endpoint_arg __user *uarg);
long mx_signal_kill(struct mx_proc *proc, struct mxsys_kill __user *uarg);
long mx_signal_exit(struct mx_proc *proc);

#endif /* _MX_SIGNAL_H */
