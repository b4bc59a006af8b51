/* SPDX-License-Identifier: MIT */
/*
 * Instances: a privilege slot (its endpoint) and the process RS put
 * behind it. A service has up to three: the active one, which serves the
 * service's endpoint; a standby replica (prepared with RST_SYS_PROC, never
 * allowed to run until it takes over); the new version of a live update
 * (LU_SYS_PROC). The slot swap exchanges the processes of two instances,
 * never their endpoints: after a restart the replica's instance holds the
 * dead process, after an update the update's instance holds the old one.
 *
 * This file knows slots and processes, not services: what a process runs
 * and with which privileges comes in a struct instance_image.
 */
#ifndef RS_INSTANCE_H
#define RS_INSTANCE_H

#include <stdbool.h>
#include <sys/types.h>

#include <minix/ipc.h>

#include "config.h"

/* What RS knows of a process it started. */
struct process {
	pid_t pid;		/* 0: none, or its death was reported */
	bool reaped;		/* waited for: its pid may be someone else's */
	bool killed;		/* SIGKILL sent */
};

struct instance {
	endpoint_t endpoint;	/* its slot; NONE: no such instance */
	struct process process;
};

#define INSTANCE_NONE	((struct instance){ .endpoint = NONE })

/* What a new process runs, and with which privileges. */
struct instance_image {
	const char *label;		/* of its service, for the log */
	const char *binary;
	const char *args;		/* space-separated */
	/*
	 * Or the whole vector (argv[0] first, NULL last), passed intact: no
	 * argument is split at its blanks. NULL: binary, then args.
	 */
	char *const *argv;
	const struct rs_config *config;	/* uid, capabilities, limits */
	const struct mxsys_priv *priv;	/* its slot's privileges */
	bool use_copy;			/* -c: run the kept copy (binary.h) */
	bool rs_itself;			/* RS's standby: systemd's env kept */
};

/*
 * Fork and exec image into a new slot: index `slot`, or a dynamic one
 * (MXSYS_SLOT_DYNAMIC). The process is prepared, not allowed to run.
 * Returns 0 with *inst filled, or a negative error (logged) with nothing
 * left behind and *inst unchanged.
 */
int instance_spawn(struct instance *inst, const struct instance_image *image,
		   unsigned int slot);

/*
 * Kill its process, or free its slot when it has none; inst becomes
 * empty. A killed process's slot is freed when its death is reported.
 */
void instance_destroy(struct instance *inst);

/*
 * Free the slot of an instance whose process is gone (sys_clear): callers
 * still blocked on it fail with EDEADSRCDST. Returns 0 or the negative
 * error of the kernel call; inst is unchanged.
 */
int instance_clear(const struct instance *inst);

/*
 * sys_update(a, b): the processes behind a's and b's endpoints trade
 * places, and with them what RS knows of them. Returns 0 or the negative
 * error of the kernel call (nothing changed then).
 */
int instance_swap(struct instance *a, struct instance *b);

/* SIGKILL its process unless it has none or it was reaped. */
void instance_kill(struct instance *inst);

/* Let its prepared process run, or hold it (quiescent for a swap). */
int instance_allow(const struct instance *inst);
int instance_disallow(const struct instance *inst);

/* New privileges for its slot (PRIVCTL UPDATE_SYS): 0 or an error. */
int instance_set_privileges(const struct instance *inst,
			    const struct mxsys_priv *priv);

/* The module reported its process's death: it has none any more. */
void instance_process_died(struct instance *inst);

/* Its process lives, as far as RS knows: started, neither dead nor reaped. */
static inline bool instance_has_process(const struct instance *inst)
{
	return inst->process.pid > 0 && !inst->process.reaped;
}

#endif /* RS_INSTANCE_H */
