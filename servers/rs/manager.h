/* SPDX-License-Identifier: MIT */
/*
 * The service life cycle: starting, init handshake, heartbeat, death,
 * restart, stop and shutdown. Every transition of enum service_state
 * happens in manager.c, driven by the events below.
 */
#ifndef RS_MANAGER_H
#define RS_MANAGER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"
#include "service.h"

/*
 * Start the boot service ds; once it runs, the `boot` entries of the
 * system.conf set with manager_set_config_path(). Returns 0 or a
 * negative error.
 */
int manager_boot(const char *ds_path);
void manager_set_config_path(const char *path);
/* The unit of the restart backoff (MINIX's RS_DELTA_T, 1 s). */
void manager_set_backoff_period(rs_time_t period_ms);
/* True once ds has initialised: RS may serve requests. */
bool manager_booted(void);

/*
 * Start a new service (label, binary, args and period filled in).
 * On failure the service is removed again and the error returned.
 */
int manager_up(struct service *svc);
/* Take a service down for good; its late reply gets `result`. */
void manager_stop(struct service *svc, int result);
/* SIGTERM, then a restart once it died: 0 or -EBUSY. */
int manager_refresh(struct service *svc);
/* Restart a TERMINATED service (its script asked): 0 or -EBUSY. */
int manager_restart(struct service *svc);
/* Keep a standby replica (-p): 0, -EEXIST, or a start error. */
int manager_clone(struct service *svc);
/* Stop keeping one: 0 or -ENOENT. */
int manager_unclone(struct service *svc);
/* After an edit: the standby replica is remade with the new settings. */
void manager_replace_replica(struct service *svc);
/*
 * The service's active process died while RUNNING (also called by
 * update.c once an update is out of the way; svc->pid is already 0):
 * restart, backoff, script.
 */
void manager_crash(struct service *svc, int wait_status);

/* Events. */
/* RS_INIT{result, restart_policy} from endpoint (by sendrec). */
void manager_init_ready(endpoint_t endpoint, int result, unsigned int policy);
void manager_alive(endpoint_t endpoint, rs_time_t when);
void manager_death(endpoint_t endpoint, int wait_status, pid_t pid);
void manager_signals(endpoint_t endpoint, uint64_t sigset);
void manager_reaped(pid_t pid);
void manager_timeout(rs_time_t now);

rs_time_t manager_next_deadline(void);

/*
 * Instances besides the active process (used by update.c and for
 * replicas). instance_create() forks and execs binary/args with the
 * service's config into a new dynamic slot with priv_flags added
 * (MXSYS_RST_SYS_PROC or MXSYS_LU_SYS_PROC); the process is prepared but
 * not allowed to run. Returns 0 or a negative error (nothing left over).
 */
int instance_create(struct service *svc, const char *binary,
		    const char *args, unsigned int priv_flags,
		    struct instance *inst);
/* Kill its process and free its slot; inst becomes empty. */
void instance_destroy(struct instance *inst);
/*
 * sys_update(svc->endpoint, inst->endpoint): the two processes trade
 * places; RS's bookkeeping (pid, reaped, killed) follows the processes.
 * Returns 0 or the negative error of the kernel call (nothing changed).
 */
int instance_swap(struct service *svc, struct instance *inst);
/*
 * Allow the service's endpoint to run and send it RS_INIT{type, flags,
 * old_endpoint, prepare_state, restarts}. Changes neither svc->state nor
 * deadlines: the caller owns those. Returns 0 or a negative error.
 */
int manager_send_init(struct service *svc, int type, uint32_t flags,
		      endpoint_t old_endpoint, int prepare_state);
/*
 * The service runs again after an init or a live update (update.c calls
 * it): hand it the signals that arrived while it was blocked in a sendrec
 * to RS.
 */
void manager_resumed(struct service *svc);
/* SIGKILL the service's active process; its death report follows. */
void manager_kill(struct service *svc);
/* A late reply to a service blocked in sendrec (m_type = result). */
int manager_reply_to(endpoint_t endpoint, int result);

/* Stop every service, newest first, then finish with exit_code. */
void manager_shutdown(int exit_code);
bool manager_shutting_down(void);
/* Bookkeeping after each event; true when RS should exit. */
bool manager_finished(int *exit_code);

#endif /* RS_MANAGER_H */
