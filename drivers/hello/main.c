/* SPDX-License-Identifier: MIT */
/*
 * hello: MINIX's example driver on mxsys. SEF initialises it (one callback
 * for fresh start, live update and restart), the device is served by CUSE
 * in a thread, and the main thread answers RS in sef_receive().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/sef.h>

#include "hello.h"

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

	/* Announce only a device that exists: clients open it on sight. */
	r = hello_device_start();
	if (r != OK)
		return r;
	/* A live update keeps the endpoint, so clients need no news. */
	return type == SEF_INIT_LU ? OK : announce();
}

int main(void)
{
	/* Console output must reach RS's log line by line. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	sef_setcb_init_fresh(init_hello);
	sef_setcb_init_lu(init_hello);
	sef_setcb_init_restart(init_hello);
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
