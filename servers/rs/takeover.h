/* SPDX-License-Identifier: MIT */
/*
 * The standby's side (`rs-daemon --standby`): wait until RS dies, then
 * take RS's slot (the module's swap, so RS's endpoint, queue and fd store
 * are ours) and return, to run as RS from its saved state.
 */
#ifndef RS_TAKEOVER_H
#define RS_TAKEOVER_H

#include <stddef.h>

/*
 * Block until RS is dead, then become RS. Returns 0 with why (what
 * happened to RS, for the log and status rs) filled, or a negative error
 * (the standby then exits: RS replaces it).
 */
int takeover_wait(char *why, size_t len);

/*
 * The takeover's steps, stamped with CLOCK_MONOTONIC so that rs-daemon -v
 * logs where the time from RS's death to the first request served goes.
 * SIGNALLED: the standby first woke (the module notifies the backup when
 * the lethal signal is sent, before RS is gone); DEAD: it saw the death;
 * SERVED: the first request handled.
 */
enum takeover_step {
	TAKEOVER_SIGNALLED,
	TAKEOVER_DEAD,
	TAKEOVER_SWAPPED,
	TAKEOVER_LOGS,		/* the services' log pipes taken over */
	TAKEOVER_STATE_READ,	/* the saved state found in the fd store */
	TAKEOVER_RELAY,		/* RS's relay socket adopted */
	TAKEOVER_RESTORED,	/* the state loaded into the manager */
	TAKEOVER_RESUMED,	/* checked against the slot table, committed */
	TAKEOVER_REGISTERED,
	TAKEOVER_SERVED,
	TAKEOVER_STEPS
};

/*
 * Stamp @step (the first time only) of a takeover in progress; nothing in
 * an RS that did not take over. SERVED ends it: the timeline is logged.
 */
void takeover_mark(enum takeover_step step);

#endif /* RS_TAKEOVER_H */
