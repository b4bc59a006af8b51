// SPDX-License-Identifier: GPL-2.0
#include "proc.h"
#include "update.h"

long mx_update(struct mx_proc *proc, struct mxsys_update __user *uarg)
{
	return -ENOSYS;
}
