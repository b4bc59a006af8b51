// SPDX-License-Identifier: MIT
/*
 * ping-svc: a minimal SEF service whose misbehaviour is chosen on the
 * command line, for the service-level VM tests (tests/vm/suites/30-service.sh).
 *
 *   ping-svc                     serve: answer pings, exit on SIGTERM
 *   ping-svc hang-after N        answer N pings, then never receive again,
 *                                so only RS's heartbeat can notice (0: hang
 *                                at the first ping, without answering it)
 *   ping-svc init-fail           the init callback fails (up: EDEADEPT)
 *   ping-svc init-hang           the init callback never returns
 *   ping-svc exit-after-init C   exit with status C right after init
 *
 * Every event goes to stderr, prefixed with the pid, for the RS log.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minix/sef.h>

enum behaviour {
	SERVE,
	HANG_AFTER,
	INIT_FAIL,
	INIT_HANG,
	EXIT_AFTER_INIT,
};

static enum behaviour behaviour = SERVE;
static long behaviour_arg;
static long pings_answered;

__attribute__((format(printf, 1, 2)))
static void event(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ping-svc[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int init_cb(int type, sef_init_info_t *info)
{
	event("init type %d endpoint %d restarts %d", type,
	      (int)info->endpoint, info->restarts);
	if (behaviour == INIT_FAIL) {
		event("failing init as asked");
		return -EIO;
	}
	if (behaviour == INIT_HANG) {
		event("hanging in init as asked");
		for (;;)
			pause();
	}
	return OK;
}

static void ping_cb(endpoint_t src)
{
	pings_answered++;
	event("ping %ld from %d", pings_answered, (int)src);
	sef_cb_ping_reply_pong(src);
	/*
	 * sef_receive answers pings itself and never returns them, so the
	 * hang has to start here. Signals are blocked in a service: only
	 * SIGKILL ends it.
	 */
	if (behaviour == HANG_AFTER && pings_answered >= behaviour_arg) {
		event("hanging after %ld pings", pings_answered);
		for (;;)
			pause();
	}
}

static int parse_count(const char *text, long *value)
{
	char *end;

	errno = 0;
	*value = strtol(text, &end, 10);
	return text[0] != '\0' && *end == '\0' && errno == 0 && *value >= 0 &&
	       *value <= INT_MAX ? 0 : -1;
}

static void usage_exit(void)
{
	fprintf(stderr, "usage: ping-svc [hang-after N | init-fail | init-hang | exit-after-init CODE]\n");
	/* Exiting before sef_startup: RS sees the death during init. */
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	if (argc == 1)
		return;
	if (argc == 3 && strcmp(argv[1], "hang-after") == 0) {
		behaviour = HANG_AFTER;
		if (parse_count(argv[2], &behaviour_arg) < 0)
			usage_exit();
	} else if (argc == 2 && strcmp(argv[1], "init-fail") == 0) {
		behaviour = INIT_FAIL;
	} else if (argc == 2 && strcmp(argv[1], "init-hang") == 0) {
		behaviour = INIT_HANG;
	} else if (argc == 3 && strcmp(argv[1], "exit-after-init") == 0) {
		behaviour = EXIT_AFTER_INIT;
		if (parse_count(argv[2], &behaviour_arg) < 0 ||
		    behaviour_arg > 255)
			usage_exit();
	} else {
		usage_exit();
	}
}

int main(int argc, char **argv)
{
	message m;
	int r;

	parse_args(argc, argv);
	sef_setcb_init_fresh(init_cb);
	/* Stateless restart: the new process keeps the endpoint. */
	sef_setcb_init_restart(init_cb);
	sef_setcb_ping_reply(ping_cb);
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_startup();

	if (behaviour == EXIT_AFTER_INIT) {
		event("exiting with status %ld as asked", behaviour_arg);
		exit((int)behaviour_arg);
	}

	for (;;) {
		r = sef_receive(ANY, &m);
		if (r != OK) {
			/* Retrying a broken receive would spin; let RS see a death. */
			event("sef_receive failed: %d", r);
			exit(1);
		}
		event("message type 0x%x from %d ignored", (unsigned)m.m_type,
		      (int)m.m_source);
	}
}
