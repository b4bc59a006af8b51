// SPDX-License-Identifier: MIT
/* The standby waits for RS's death and takes its slot. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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

static struct {
	bool active;
	uint64_t at_us[TAKEOVER_STEPS];	/* 0: not reached */
} timeline;

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void stamp(enum takeover_step step)
{
	if (!timeline.at_us[step])
		timeline.at_us[step] = now_us();
}

void takeover_mark(enum takeover_step step)
{
	static const char *const names[TAKEOVER_STEPS] = {
		"signalled", "dead", "swapped", "logs", "state_read", "relay",
		"restored", "resumed", "registered", "served",
	};
	uint64_t t0 = timeline.at_us[TAKEOVER_SIGNALLED];
	char line[320];
	size_t len = 0;

	if (!timeline.active)
		return;
	stamp(step);
	if (step != TAKEOVER_SERVED)
		return;
	timeline.active = false;
	for (int i = 0; i < TAKEOVER_STEPS && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" %s=%lld", names[i],
					timeline.at_us[i] ?
					(long long)(timeline.at_us[i] - t0) : -1LL);
	rs_debug("takeover timeline (us after the first wake):%s", line);
}

/*
 * Every page mapped now (rs-daemon's code, its libraries, its tables)
 * faulted in while there is time: after RS's death each fault would
 * delay the takeover (they cost most under emulation). They stay mapped;
 * only the lock is let go.
 */
static void prefault(void)
{
	if (mlockall(MCL_CURRENT) < 0)
		rs_debug("standby: cannot fault its pages in: %s",
			 strerror(errno));
	else
		(void)munlockall();
}

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
	bool dead;
	endpoint_t self;
	int r;

	r = sys_whoami(&self, name, sizeof(name), &priv_flags, &init_flags);
	if (r < 0) {
		rs_warn("standby: not a slot RS prepared: %s", sef_strerror(r));
		return r;
	}
	rs_info("standby: waiting for RS (ep %d)", self);
	prefault();
	/*
	 * RS may be dead already; the look also opens the socket and learns
	 * the family that the takeover then uses without asking.
	 */
	dead = rs_dead(&status);
	while (!dead) {
		struct pollfd p = { .fd = ipc_fd(), .events = POLLIN };

		r = poll(&p, 1, CHECK_MS);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
			return -EIO;
		if (r > 0) {
			message m;
			int st;

			/*
			 * The death itself, or the lethal signal before it.
			 * The notify is taken first (readable: no wait), or
			 * it would stay readable and spin this loop while RS
			 * dies; one that comes after the pull is not taken.
			 */
			stamp(TAKEOVER_SIGNALLED);
			(void)ipc_receive(ANY, &m, &st);
			dead = death_pulled(&status);
		} else if (r == 0) {
			/* No notify for a while: was one lost? */
			dead = rs_dead(&status);
		}
	}
	timeline.active = true;
	stamp(TAKEOVER_SIGNALLED);
	stamp(TAKEOVER_DEAD);
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
	stamp(TAKEOVER_SWAPPED);
	describe(status, why, len);
	rs_notice("%s; now RS (ep %d)", why, RS_PROC_NR);
	return 0;
}
