// SPDX-License-Identifier: GPL-2.0
/*
 * Memory grants.
 */
#include <linux/uaccess.h>

#include "grant.h"
#include "proc.h"

long mx_grant_set(struct mx_proc *proc, struct mxsys_grant __user *uarg)
{
	return -ENOSYS;
}

long mx_grant_copy(struct mx_proc *proc, bool to_granter,
		   struct mxsys_safecopy __user *uarg)
{
	return -ENOSYS;
}

void mx_grant_release(struct mx_proc *proc)
{
}
