/* SPDX-License-Identifier: MIT */
/*
 * ticker: a first mxsys service. Once a second it counts a tick, prints
 * it, and keeps the count in the Data Store (DS), so that a restarted or
 * updated ticker carries on counting where the old one stopped.
 *
 *   minix-service up /usr/local/libexec/mxsys/ticker -label ticker
 */
#include <stdio.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#define COUNT_KEY	"ticker.count"
#define PERIOD_MS	1000

static u32_t ticks;

/* RS calls this once per process, before any message: fresh, restart or update. */
static int init(int type, sef_init_info_t *info)
{
	(void)info;
	if (type == SEF_INIT_FRESH) {
		ticks = 0;
		printf("started fresh\n");
	} else {
		/* A restart or a new version: the count is in DS. */
		if (ds_retrieve_u32(COUNT_KEY, &ticks) != OK)
			ticks = 0;
		printf("%s, carrying on from tick %u\n",
		       type == SEF_INIT_LU ? "new version" : "restarted",
		       (unsigned int)ticks);
	}
	/* The first tick: the alarm comes back as a message from CLOCK. */
	return sys_setalarm(PERIOD_MS, 0);
}

static void tick(void)
{
	ticks++;
	printf("tick %u\n", (unsigned int)ticks);
	ds_publish_u32(COUNT_KEY, ticks, DSF_OVERWRITE);
	sys_setalarm(PERIOD_MS, 0);
}

int main(void)
{
	/*
	 * Each line reaches the service's log as soon as it is written;
	 * rs-daemon adds the label and the time.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);

	sef_setcb_init_fresh(init);
	sef_setcb_init_restart(init);	/* a crash keeps the endpoint */
	sef_setcb_init_lu(init);	/* and so does a live update */
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_startup();			/* returns once RS has initialised us */

	for (;;) {
		message m;
		int status;

		if (sef_receive_status(ANY, &m, &status) != OK)
			continue;
		if (is_ipc_notify(status) && m.m_source == CLOCK)
			tick();
	}
}
