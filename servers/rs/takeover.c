// SPDX-License-Identifier: MIT
/* The standby waits for RS's death and takes its slot. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <minix/syslib.h>

#include "log.h"
#include "nl.h"
#include "takeover.h"

/* How often the standby looks at RS's slot when no notify comes. */
#define CHECK_MS	1000
/* A swap refused while the module still releases RS's process. */
#define SWAP_TRIES	100
#define SWAP_PAUSE_MS	10

static void pause_ms(long ms)
{
	const struct timespec t = { .tv_nsec = ms * 1000000L };

	nanosleep(&t, NULL);
}

/* RS's slot is dead (the table says so); its wait status in *status. */
static bool rs_dead(int *status)
{
	static struct slot_view slots[MXSYS_MAX_SLOTS];
	int n = relay_slot_table(slots, MXSYS_MAX_SLOTS);

	for (int i = 0; i < n; i++)
		if (slots[i].endpoint == RS_PROC_NR) {
			*status = slots[i].exit_status;
			return slots[i].state == MXSYS_SLOT_STATE_DEAD;
		}
	/* No RS slot at all: nobody to take over from. */
	return false;
}

/*
 * The notify from SYSTEM: RS's death handed to us as its backup manager.
 * Pull it so that it is not reported again to the RS we become.
 */
static bool death_pulled(int *status)
{
	struct mxsys_ksig k;
	bool dead = false;

	for (int i = 0; i < 64 && sys_getksig(&k) == 0 && k.endpoint != NONE;
	     i++) {
		if (k.endpoint == RS_PROC_NR && (k.flags & MXSYS_KSIG_DEAD)) {
			*status = k.exit_status;
			dead = true;
		}
		(void)sys_endksig(k.endpoint);
	}
	return dead;
}

static void describe(int status, char *why, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(why, len, "standby took over: RS killed by signal %d",
			 WTERMSIG(status));
	else if (WIFEXITED(status))
		snprintf(why, len, "standby took over: RS exited with %d",
			 WEXITSTATUS(status));
	else
		snprintf(why, len, "standby took over: RS died");
}

int takeover_wait(char *why, size_t len)
{
	char name[MXSYS_NAME_LEN];
	int priv_flags, init_flags, status = 0;
	endpoint_t self;
	int r;

	r = sys_whoami(&self, name, sizeof(name), &priv_flags, &init_flags);
	if (r < 0) {
		rs_warn("standby: not a slot RS prepared: %s", sef_strerror(r));
		return r;
	}
	rs_info("standby: waiting for RS (ep %d)", self);
	for (;;) {
		struct pollfd p = { .fd = ipc_fd(), .events = POLLIN };

		r = poll(&p, 1, CHECK_MS);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
			return -EIO;
		if ((r > 0 && death_pulled(&status)) || rs_dead(&status))
			break;
	}
	/* Quiescent for the swap: our own IPC may not run meanwhile. */
	r = sys_privctl(self, MXSYS_PRIV_DISALLOW);
	if (r < 0)
		rs_err("standby: cannot hold itself: %s", sef_strerror(r));
	for (int i = 0; i < SWAP_TRIES; i++) {
		r = sys_update(RS_PROC_NR, self, 0);
		if (r != -EBUSY)
			break;
		pause_ms(SWAP_PAUSE_MS);
	}
	if (r < 0) {
		rs_err("standby: cannot take RS's slot: %s", sef_strerror(r));
		return r;
	}
	r = sys_privctl(RS_PROC_NR, MXSYS_PRIV_ALLOW);
	if (r < 0)
		rs_err("standby: cannot run as RS: %s", sef_strerror(r));
	describe(status, why, len);
	rs_notice("%s; now RS (ep %d)", why, RS_PROC_NR);
	return 0;
}
