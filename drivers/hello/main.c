/* SPDX-License-Identifier: MIT */
/*
 * hello: MINIX's example driver on mxsys. SEF initialises it (one callback
 * for fresh start, live update and restart), the device is served by CUSE
 * in a thread, and the main thread answers RS in sef_receive(). The device
 * outlives the process (device.c): a crash or an update of hello is not
 * seen by the programs that use /dev/hello.
 *
 *   hello [stall-read=MS]
 *
 * stall-read=MS (for tests): every read waits MS ms before it answers, so
 * that a test can crash hello with a read in hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/sef.h>

#include "hello.h"
#include "version.h"

#define HELLO_DS_KEY		"drv.chr." HELLO_DEVICE_NAME
#define HELLO_STATE_KEY		"open_counter"
#define DS_DRIVER_UP		1

/* A live update may leave the counter in DS; take it back once. */
static void restore_state(void)
{
	u32_t saved;

	if (ds_retrieve_u32(HELLO_STATE_KEY, &saved) != OK)
		return;
	(void)ds_delete_u32(HELLO_STATE_KEY);
	hello_set_open_count((int)saved);
}

void hello_opened(int count)
{
	int r = ds_publish_u32(HELLO_OPENS_KEY, (u32_t)count, DSF_OVERWRITE);

	if (r != OK)
		fprintf(stderr, "hello: cannot publish the open counter: %d\n",
			r);
}

static int announce(void)
{
	int r = ds_publish_u32(HELLO_DS_KEY, DS_DRIVER_UP, DSF_OVERWRITE);

	if (r != OK)
		fprintf(stderr, "hello: cannot announce %s in DS: %d\n",
			HELLO_DS_KEY, r);
	return r;
}

static int init_hello(int type, sef_init_info_t *info)
{
	int r;

	(void)info;
	hello_set_open_count(0);

	switch (type) {
	case SEF_INIT_FRESH:
		printf("%s", HELLO_MESSAGE);
		break;
	case SEF_INIT_LU:
		restore_state();
		printf("%sHey, I'm a new version!\n", HELLO_MESSAGE);
		break;
	case SEF_INIT_RESTART:
		/* Stateless restart: the counter starts again from zero. */
		printf("%sHey, I've just been restarted!\n", HELLO_MESSAGE);
		break;
	default:
		return -EINVAL;
	}

	hello_opened(hello_open_count());

	/* The device of an earlier instance, if the fd store kept one. */
	r = hello_device_start();
	if (r != OK)
		return r;
	/* A live update keeps the endpoint, so clients need no news. */
	if (type == SEF_INIT_LU)
		return OK;
	/* Announce only a device that exists: clients open it on sight. */
	return announce();
}

/*
 * Live update, old version: ready once the device thread stopped taking
 * requests (it finishes the one it serves), so that the new version can
 * take the session over; SEF asks again at its next turn if not yet.
 */
static int prepare(int state)
{
	(void)state;
	return hello_device_pause();
}

/*
 * The update ended without us being replaced: serve the device again,
 * and take back the counter saved for the new version that never came
 * (it would otherwise stay in DS, unread, until the next update).
 */
static void state_changed(int old_state, int state)
{
	(void)old_state;
	if (state != SEF_LU_STATE_NULL)
		return;
	(void)ds_delete_u32(HELLO_STATE_KEY);
	hello_device_resume();
}

/*
 * Live update, old version: prepared, hand the counter to the new version
 * through DS. If the update is rolled back we serve on (state_changed).
 */
static int save_state(int state, int flags)
{
	int r;

	(void)state;
	(void)flags;
	r = ds_publish_u32(HELLO_STATE_KEY, (u32_t)hello_open_count(),
			   DSF_OVERWRITE);
	if (r != OK)
		fprintf(stderr, "hello: cannot save the open counter: %d\n",
			r);
	return r;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		unsigned int ms;
		char end;

		if (sscanf(argv[i], "stall-read=%u%c", &ms, &end) == 1) {
			hello_set_stall_read(ms);
		} else {
			fprintf(stderr, "hello: unknown argument '%s' "
				"(usage: hello [stall-read=MS])\n", argv[i]);
			exit(2);
		}
	}
}

int main(int argc, char *argv[])
{
	version_help_options(argc, argv, "hello",
		"usage: minix-service up /path/to/hello -label hello\n"
		"The example mxsys driver: reading /dev/hello (CUSE) gives\n"
		"Hello, World! rs-daemon starts it; it cannot run on its own.\n");
	/* Console output must reach RS's log line by line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);

	sef_setcb_init_fresh(init_hello);
	sef_setcb_init_lu(init_hello);
	sef_setcb_init_restart(init_hello);
	sef_setcb_lu_prepare(prepare);
	sef_setcb_lu_state_changed(state_changed);
	sef_setcb_lu_state_save(save_state);
	sef_startup();

	for (;;) {
		message m;
		int r = sef_receive(ANY, &m);

		if (r == -EINTR)
			continue;
		if (r != OK) {
			fprintf(stderr, "hello: receive failed: %d\n", r);
			return 1;
		}
		fprintf(stderr, "hello: ignoring unexpected message 0x%x "
			"from endpoint %d\n", (unsigned int)m.m_type,
			m.m_source);
	}
}
