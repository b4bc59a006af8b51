/* SPDX-License-Identifier: MIT */
/*
 * RS's standby: a second rs-daemon (`rs-daemon --standby ARGS`, the same
 * binary and arguments), prepared in a dynamic slot named "rs.standby"
 * and never allowed to run its IPC. RS makes it the backup signal manager
 * of its own slot, so the module hands RS's death to it (see the uapi
 * header, SIGNALS): it then takes RS's slot by the swap and resumes RS's
 * state (takeover.c), and starts a standby of its own.
 *
 * A standby that dies is replaced a second later; shutdown kills it.
 */
#ifndef RS_STANDBY_H
#define RS_STANDBY_H

#include <stdbool.h>

#include <minix/ipc.h>

#include "nl.h"
#include "policy.h"

/* How RS was started: the standby gets the same arguments. */
void standby_set_args(int argc, char *const argv[]);
/* Keep a standby from now on (no-op until standby_set_args). */
void standby_enable(void);
/*
 * Slots of RS's own (a standby, an old RS swapped out) in a resumed
 * slot table: live ones are killed, dead ones freed, so that RS starts
 * a standby of its own.
 */
void standby_forget_old(const struct slot_view *slots, unsigned int n);
/* ep is the standby's: its death (or signals) are handled here. */
bool standby_owns(endpoint_t ep);
void standby_died(endpoint_t ep);
/* Start one when due. */
void standby_timeout(rs_time_t now);
rs_time_t standby_next_deadline(void);
/* Shutdown: kill it, and no new one. */
void standby_stop(void);
/* The standby's pid (0: none), for status rs. */
pid_t standby_pid(void);

#endif /* RS_STANDBY_H */
