/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory grants: a process grants another endpoint access to a range of
 * its memory (SETGRANT); the grantee copies from or to it (SAFECOPYFROM,
 * SAFECOPYTO), checked against the granter's table.
 */
#ifndef _MX_GRANT_H
#define _MX_GRANT_H

#include <mxsys.h>

struct mx_proc;

long mx_grant_set(struct mx_proc *proc, struct mxsys_grant __user *uarg);
long mx_grant_copy(struct mx_proc *proc, bool to_granter,
		   struct mxsys_safecopy __user *uarg);
/* Free the grant table of a process being released; may sleep. */
void mx_grant_release(struct mx_proc *proc);

#endif /* _MX_GRANT_H */
