/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MINIX kernel calls as ioctls: WHOAMI, RS_CLAIM, PRIVCTL, CLEAR, and the
 * checks every kernel call shares. Each takes the user pointer and does
 * its own copying.
 */
#ifndef _MX_KCALL_H
#define _MX_KCALL_H

#include <mxsys.h>

struct mx_proc;
struct mx_slot;

int mx_kcall_caller_locked(struct mx_proc *proc, unsigned int kcall,
			   struct mx_slot **selfp);
bool mx_kcall_may_manage_locked(const struct mx_slot *self,
				const struct mx_slot *slot);
int mx_kcall_sys_caller_locked(struct mx_proc *proc, unsigned int kcall,
			       struct mx_slot **selfp);
long mx_endpoint_kcall(struct mx_proc *proc, unsigned int kcall,
		       struct mxsys_endpoint_arg __user *uarg,
		       int (*act_locked)(struct mx_slot *self,
					 struct mx_slot *slot));
long mx_kcall_whoami(struct mx_proc *proc, struct mxsys_whoami __user *uarg);
long mx_kcall_rs_claim(struct mx_proc *proc, struct mxsys_whoami __user *uarg);
long mx_kcall_privctl(struct mx_proc *proc,
		      struct mxsys_privctl __user *uarg);
long mx_kcall_clear(struct mx_proc *proc,
		    struct mxsys_endpoint_arg __user *uarg);

#endif /* _MX_KCALL_H */
