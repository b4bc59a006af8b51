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

/* Start the boot service ds. Returns 0 or a negative error. */
int manager_boot(const char *ds_path);
/* True once ds has initialised: RS may serve requests. */
bool manager_booted(void);

/*
 * Start a new service (label, binary, args and period filled in).
 * On failure the service is removed again and the error returned.
 */
int manager_up(struct service *svc);
/* Take a service down for good; its late reply gets `result`. */
void manager_stop(struct service *svc, int result);

/* Events. */
void manager_init_ready(endpoint_t endpoint, int result);
void manager_alive(endpoint_t endpoint, rs_time_t when);
void manager_death(endpoint_t endpoint, int wait_status, pid_t pid);
void manager_signals(endpoint_t endpoint, uint64_t sigset);
void manager_reaped(pid_t pid);
void manager_timeout(rs_time_t now);

rs_time_t manager_next_deadline(void);

/* Stop every service, newest first, then finish with exit_code. */
void manager_shutdown(int exit_code);
bool manager_shutting_down(void);
/* Bookkeeping after each event; true when RS should exit. */
bool manager_finished(int *exit_code);

#endif /* RS_MANAGER_H */
