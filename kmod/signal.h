/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signal-manager routing: a probe on signal_generate turns a signal for a
 * bound process into pending state of its slot and a notify from SYSTEM
 * to the slot's signal manager, which pulls it with GETKSIG.
 */
#ifndef _MX_SIGNAL_H
#define _MX_SIGNAL_H

#include <mxsys.h>

struct mx_proc;

int mx_signal_init(void);
void mx_signal_uninit(void);
long mx_signal_getksig(struct mx_proc *proc, struct mxsys_ksig __user *uarg);
long mx_signal_endksig(struct mx_proc *proc,
		       struct mxsys_endpoint_arg __user *uarg);
long mx_signal_kill(struct mx_proc *proc, struct mxsys_kill __user *uarg);
long mx_signal_exit(struct mx_proc *proc);

#endif /* _MX_SIGNAL_H */
