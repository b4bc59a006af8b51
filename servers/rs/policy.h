/* SPDX-License-Identifier: MIT */
/*
 * Restart and heartbeat policy: pure functions of (state, now), so the
 * decisions RS takes can be unit-tested without processes or a module.
 * Times are milliseconds of CLOCK_MONOTONIC.
 */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t rs_time_t;
#define RS_TIME_NEVER		UINT64_MAX

/* MINIX's RS_DELTA_T: the default unit of the restart backoff (-P). */
#define RS_BACKOFF_PERIOD_MS	1000
/* MINIX's MAX_BACKOFF, in backoff periods. */
#define RS_MAX_BACKOFF		30
/* MINIX checks init against 2 * RS_INIT_T (10 s). */
#define RS_INIT_TIMEOUT_MS	20000
/* MINIX's 2 * RS_DELTA_T between the SIGTERM message and SIGKILL. */
#define RS_STOP_GRACE_MS	2000
/*
 * After SIGKILL the module reports the death within milliseconds; if it
 * has not after this long, RS stops waiting rather than hang forever.
 */
#define RS_KILL_WAIT_MS		5000
/*
 * A child reaped while its init is pending may never have bound its slot
 * (it died before opening /dev/mxsys), so the module will not report it.
 * A bound one is reported before its parent can reap it, give or take a
 * workqueue run: this only has to outlast that.
 */
#define RS_UNBOUND_DEATH_MS	1000
/*
 * A lethal signal routed to RS (SIGABRT from sys_exit, or a SIGSEGV sent
 * with kill) leaves the service frozen. One that is exiting dies within
 * this; any other is then killed, as MINIX's RS kills a terminated one.
 */
#define RS_EXIT_GRACE_MS	1000
/* MINIX's RS_INIT_T: the init deadline of a live update's new version. */
#define RS_INIT_T_MS		10000

/*
 * How many backoff periods to wait before restarting a service that has
 * already been restarted `restarts` times: none for the first crash, then
 * 2, 4, 8, 16, 30, 30, ...
 */
unsigned int policy_backoff_periods(unsigned int restarts);

/*
 * The same with the service's flags: -b (no_bin_exp) always waits one
 * period, -c (use_copy) at most one; the first crash never waits.
 */
unsigned int policy_restart_periods(unsigned int restarts, bool no_bin_exp,
				    bool use_copy);

/* Heartbeat bookkeeping of one service (MINIX r_period/r_check_tm/r_alive_tm). */
struct heartbeat {
	uint32_t period_ms;	/* 0: never pinged */
	rs_time_t check_tm;	/* last ping sent */
	rs_time_t alive_tm;	/* last sign of life (any notify) */
};

enum heartbeat_action {
	HEARTBEAT_NONE,
	HEARTBEAT_PING,
	HEARTBEAT_KILL,
};

/* Start counting from now: the service just became alive. */
void heartbeat_reset(struct heartbeat *hb, rs_time_t now);
/*
 * A new period for a running service (edit): counting starts again now.
 * Its last sign of life may be older than any 2P window of the new
 * period, which must not make the first ping count as already missed.
 */
void heartbeat_set_period(struct heartbeat *hb, uint32_t period_ms,
			  rs_time_t now);
/* A ping is outstanding while no sign of life came after it was sent. */
bool heartbeat_ping_outstanding(const struct heartbeat *hb);
enum heartbeat_action heartbeat_decide(const struct heartbeat *hb,
				       rs_time_t now);
/* The earliest time heartbeat_decide() may answer differently. */
rs_time_t heartbeat_deadline(const struct heartbeat *hb);

#endif /* RS_POLICY_H */
