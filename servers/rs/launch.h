/* SPDX-License-Identifier: MIT */
/*
 * Starting a service's processes, for the manager (fresh starts, standby
 * replicas) and for live updates (new versions) alike: the slot
 * privileges built from the service's system.conf entry and the services
 * running now, the fork and exec with them, and the RS_INIT that lets a
 * prepared process initialise. None of it changes the service's state:
 * the caller owns that.
 */
#ifndef RS_LAUNCH_H
#define RS_LAUNCH_H

#include <stdint.h>

#include "service.h"

/*
 * The privileges of a process of svc with the settings cfg: its call mask,
 * its send mask (the ipc list resolved to the slots of the services that
 * run now), its signal manager, and MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE |
 * extra_flags.
 */
void launch_privileges(const struct service *svc, const struct rs_config *cfg,
		       unsigned int extra_flags, struct mxsys_priv *priv);

/*
 * Fork and exec binary/args as a process of svc (its config, privileges
 * plus extra_flags: MXSYS_RST_SYS_PROC for a replica, MXSYS_LU_SYS_PROC
 * for a new version) into slot (or MXSYS_SLOT_DYNAMIC). The process is
 * prepared, not allowed to run. Returns 0 with *inst filled, or a
 * negative error with nothing left over.
 */
int launch_process(const struct service *svc, const char *binary,
		   const char *args, unsigned int extra_flags,
		   unsigned int slot, struct instance *inst);

/*
 * Put the process of `other` (svc's replica or update instance) behind
 * svc's endpoint by the slot swap; svc's process moves to other's spare
 * slot. Returns 0 or the negative error of the kernel call (logged;
 * nothing changed then).
 */
int launch_swap(struct service *svc, struct instance *other);

/*
 * Let the process behind svc's endpoint run and send it RS_INIT{type,
 * flags, old_endpoint, prepare_state} as its next incarnation (restarts +
 * 1; SEF_INIT_SCRIPT_RESTART when the service has a recovery script).
 * Returns 0 or a negative error (logged).
 */
int launch_init(const struct service *svc, int type, uint32_t flags,
		endpoint_t old_endpoint, int prepare_state);

/* Whether a service has this label (svclog.c closes the logs of others). */
bool launch_label_in_use(const char *label);

#endif /* RS_LAUNCH_H */
