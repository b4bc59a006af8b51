/* SPDX-License-Identifier: MIT */
/*
 * Processes of a service: forked into a privilege slot built from the
 * service's system.conf entry (call mask, send mask, signal manager) and
 * dropped to its uid, capabilities and limits before exec. The instance
 * API proper (create, destroy, swap) is declared in manager.h for
 * update.c; this header adds what only RS's own files use.
 */
#ifndef RS_INSTANCE_H
#define RS_INSTANCE_H

#include <stdbool.h>
#include <sys/types.h>

#include "service.h"

/*
 * Fork and exec binary/args for svc into a slot: *ep != NONE re-prepares
 * that endpoint (a restart in place), else a new slot is taken (index
 * `slot`, or MXSYS_SLOT_DYNAMIC). The process is prepared, not allowed
 * to run. Returns 0 with *ep and *pid set, or a negative error with
 * nothing left behind.
 */
int instance_spawn(struct service *svc, const char *binary, const char *args,
		   unsigned int priv_flags, unsigned int slot, endpoint_t *ep,
		   pid_t *pid);

/*
 * SIGKILL pid unless it is 0 or reaped (then it may be someone else's
 * by now); *killed is set either way. The one kill of RS's processes.
 */
void process_kill(pid_t pid, bool reaped, bool *killed);
/* The same for an instance. */
void instance_kill(struct instance *inst);

/*
 * Give the running process of svc the privileges of cfg (call mask, send
 * mask, signal manager) through PRIVCTL UPDATE_SYS; svc->config is not
 * changed. Returns 0 or the kernel call's negative error.
 */
int instance_apply_config(struct service *svc, const struct rs_config *cfg);

#endif /* RS_INSTANCE_H */
