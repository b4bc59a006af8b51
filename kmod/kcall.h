/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MINIX kernel calls as ioctls: WHOAMI, RS_CLAIM, PRIVCTL, GETKSIG,
 * ENDKSIG, CLEAR. Each takes the user pointer and does its own copying.
 */
#ifndef _MX_KCALL_H
#define _MX_KCALL_H

#include <mxsys.h>

struct mx_proc;

long mx_kcall_whoami(struct mx_proc *proc, struct mxsys_whoami __user *uarg);
long mx_kcall_rs_claim(struct mx_proc *proc, struct mxsys_whoami __user *uarg);
long mx_kcall_privctl(struct mx_proc *proc,
		      struct mxsys_privctl __user *uarg);
long mx_kcall_getksig(struct mx_proc *proc, struct mxsys_ksig __user *uarg);
long mx_kcall_endksig(struct mx_proc *proc,
		      struct mxsys_endpoint_arg __user *uarg);
long mx_kcall_clear(struct mx_proc *proc,
		    struct mxsys_endpoint_arg __user *uarg);

#endif /* _MX_KCALL_H */
