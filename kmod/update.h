/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys_update: atomically swap the processes behind two slots, for restarts
 * and live updates that clients do not notice.
 */
#ifndef _MX_UPDATE_H
#define _MX_UPDATE_H

#include <mxsys.h>

struct mx_proc;

long mx_update(struct mx_proc *proc, struct mxsys_update __user *uarg);

#endif /* _MX_UPDATE_H */
