// SPDX-License-Identifier: MIT
/*
 * testclient: a steady stream of TS_ECHO requests to a testsvc, through
 * crashes and live updates of it, counting what happens to each request.
 * Only a slot may do IPC, so it is itself a service started by rs-daemon:
 *
 *   minix-service up /tests/bin/testclient -label C \
 *       -args "TARGET STATFILE [interval=MS] [watchdog=S]"
 *
 * It finds TARGET's endpoint with ds_retrieve_label_endpt(), then loops:
 * SENDREC a request with the next sequence number, check the answer, wait
 * INTERVAL ms (default 2) in sef_receive for an alarm. A request that
 * fails with EDEADSRCDST (the server died holding it) is sent again with
 * the same number; one that fails with EDEADEPT (the endpoint is gone: a
 * reset) is sent again after looking the label up again. Any other error
 * is counted and the request retried after a pause. A watchdog thread
 * counts a request as lost when neither answer nor error came within
 * WATCHDOG seconds (default 30). SIGTERM (minix-service down) stops it.
 *
 * STATFILE is rewritten (atomically, by rename) every few answers and at
 * the end, one key=value a line:
 *   state       running | stopped | lost
 *   sent        requests sent (distinct sequence numbers)
 *   answered    answers with the right sequence number
 *   retries     EDEADSRCDST retries
 *   relookups   EDEADEPT: the label looked up again
 *   errors      other errors; last_error their last code
 *   mismatches  answers with another sequence number or m_type
 *   lost        requests the watchdog gave up on
 *   max_gap_us  the longest time between two answers
 *   pid, pids   the last answering pid; how often it changed
 *   restarts    the last answer's incarnation
 *   served, served_regressions
 *               the service's served counter in the last answer; how often
 *               it went down (state lost: expected on a crash, not on LU)
 *   gen, tag    live-update generation and version tag of the last answer
 *   endpoint    the target endpoint in use
 *
 * `testclient --floor BINARY N` is no service: it fork+execs `BINARY
 * --probe` N times and prints the median time of one fork, exec and exit
 * in microseconds (`floor_us=...`), the floor bench.sh compares recovery
 * against.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "testsvc.h"

#define DEFAULT_INTERVAL_MS	2
#define DEFAULT_WATCHDOG_S	30
#define STAT_EVERY_ANSWERS	50
#define STAT_EVERY_US		250000u
#define LOOKUP_TRIES		1000
#define LOOKUP_PAUSE_MS		10
#define ERROR_PAUSE_MS		10

static struct {
	const char *target;
	const char *statfile;
	long interval_ms;
	long watchdog_s;
} opt = {
	.interval_ms = DEFAULT_INTERVAL_MS,
	.watchdog_s = DEFAULT_WATCHDOG_S,
};

static struct {
	uint64_t sent, answered, retries, relookups, errors, mismatches, lost;
	int last_error;
	uint64_t max_gap_us;
	int32_t pid;
	uint64_t pids;
	int32_t restarts;
	uint32_t served;
	uint64_t served_regressions;
	uint32_t generation;
	int32_t tag;
	endpoint_t endpoint;
} st = {
	.endpoint = NONE,
};

static pthread_mutex_t stat_lock = PTHREAD_MUTEX_INITIALIZER;
/* Start of the request in flight (us), 0 when none: the watchdog's view. */
static _Atomic uint64_t in_flight_since;
static _Atomic uint64_t in_flight_seq;
static atomic_bool stopping;

static uint64_t mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static long parse_number(const char *text, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (text[0] == '\0' || *end != '\0' || errno || v <= 0 || v > INT_MAX) {
		fprintf(stderr, "testclient: %s wants a positive number, not '%s'\n",
			what, text);
		exit(2);
	}
	return v;
}

/* Call with stat_lock held. */
static void write_stats_locked(const char *state)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.statfile);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "state=%s\nsent=%llu\nanswered=%llu\nretries=%llu\n"
		"relookups=%llu\nerrors=%llu\nlast_error=%d\nmismatches=%llu\n"
		"lost=%llu\nmax_gap_us=%llu\npid=%d\npids=%llu\nrestarts=%d\n"
		"served=%u\nserved_regressions=%llu\ngen=%u\ntag=%d\n"
		"endpoint=%d\n",
		state, (unsigned long long)st.sent,
		(unsigned long long)st.answered,
		(unsigned long long)st.retries,
		(unsigned long long)st.relookups,
		(unsigned long long)st.errors, st.last_error,
		(unsigned long long)st.mismatches, (unsigned long long)st.lost,
		(unsigned long long)st.max_gap_us, (int)st.pid,
		(unsigned long long)st.pids, (int)st.restarts, st.served,
		(unsigned long long)st.served_regressions, st.generation,
		(int)st.tag, (int)st.endpoint);
	if (fclose(f) == 0)
		rename(tmp, opt.statfile);
}

static void write_stats(const char *state)
{
	pthread_mutex_lock(&stat_lock);
	write_stats_locked(state);
	pthread_mutex_unlock(&stat_lock);
}

/* Counts a request as lost once, and says so in the file at once. */
static void *watchdog(void *unused)
{
	uint64_t reported_seq = 0;

	(void)unused;
	for (;;) {
		uint64_t since = atomic_load(&in_flight_since);
		uint64_t seq = atomic_load(&in_flight_seq);

		if (since && seq != reported_seq &&
		    mono_us() - since > (uint64_t)opt.watchdog_s * 1000000u) {
			reported_seq = seq;
			pthread_mutex_lock(&stat_lock);
			st.lost++;
			fprintf(stderr, "testclient: request %llu got no answer "
				"in %ld s: lost\n", (unsigned long long)seq,
				opt.watchdog_s);
			write_stats_locked("lost");
			pthread_mutex_unlock(&stat_lock);
		}
		usleep(200000);
	}
	return NULL;
}

static void on_signal(int signo)
{
	if (signo == SIGTERM) {
		atomic_store(&stopping, true);
		sef_cancel();
	}
}

/*
 * Wait @ms in sef_receive (an alarm ends it), so that SEF events get in:
 * SIGTERM from `minix-service down` arrives as a message.
 */
static void sef_pause(long ms)
{
	message m;
	int status, r;

	if (sys_setalarm((uint64_t)ms, 0) != OK) {
		usleep((useconds_t)ms * 1000);
		return;
	}
	for (;;) {
		r = sef_receive_status(ANY, &m, &status);
		if (r != OK || atomic_load(&stopping))
			return;
		if (is_ipc_notify(status) && m.m_source == CLOCK)
			return;
	}
}

/* The target's endpoint from DS, waiting while RS republishes it. */
static int lookup_target(void)
{
	endpoint_t ep;
	int r = -ESRCH, i;

	for (i = 0; i < LOOKUP_TRIES && !atomic_load(&stopping); i++) {
		r = ds_retrieve_label_endpt(opt.target, &ep);
		if (r == OK) {
			pthread_mutex_lock(&stat_lock);
			st.endpoint = ep;
			pthread_mutex_unlock(&stat_lock);
			return OK;
		}
		sef_pause(LOOKUP_PAUSE_MS);
	}
	return r;
}

static void record_answer(uint64_t seq, const message *m, uint64_t *last_us)
{
	struct ts_echo_reply rp;
	uint64_t now = mono_us();

	ts_get_reply(m, &rp);
	pthread_mutex_lock(&stat_lock);
	if (m->m_type != OK || rp.seq != seq) {
		st.mismatches++;
		pthread_mutex_unlock(&stat_lock);
		return;
	}
	st.answered++;
	if (*last_us && now - *last_us > st.max_gap_us)
		st.max_gap_us = now - *last_us;
	*last_us = now;
	if (st.pid && rp.pid != st.pid)
		st.pids++;
	st.pid = rp.pid;
	st.restarts = rp.restarts;
	if (st.answered > 1 && rp.served < st.served)
		st.served_regressions++;
	st.served = rp.served;
	st.generation = rp.generation;
	st.tag = rp.tag;
	pthread_mutex_unlock(&stat_lock);
}

/* One request until it is answered (or we are told to stop). */
static void one_request(uint64_t seq, uint64_t *last_us)
{
	struct ts_echo_request rq = { .seq = seq };
	message m;
	int r;

	atomic_store(&in_flight_seq, seq);
	atomic_store(&in_flight_since, mono_us());
	for (;;) {
		ts_put_request(&m, &rq);
		r = ipc_sendrec(st.endpoint, &m);
		if (r == OK) {
			record_answer(seq, &m, last_us);
			break;
		}
		pthread_mutex_lock(&stat_lock);
		if (r == -EDEADSRCDST) {
			st.retries++;
		} else if (r == -EDEADEPT) {
			st.relookups++;
		} else {
			st.errors++;
			st.last_error = r;
		}
		pthread_mutex_unlock(&stat_lock);
		if (atomic_load(&stopping))
			break;
		if (r == -EDEADEPT) {
			if (lookup_target() != OK)
				sef_pause(ERROR_PAUSE_MS);
		} else if (r != -EDEADSRCDST) {
			sef_pause(ERROR_PAUSE_MS);
		}
	}
	atomic_store(&in_flight_since, 0);
}

static int fork_exec_floor(const char *binary, long n)
{
	uint64_t *samples = calloc((size_t)n, sizeof(*samples));
	long i, j;

	if (!samples)
		return 1;
	for (i = 0; i < n; i++) {
		uint64_t t0 = mono_us();
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl(binary, binary, "--probe", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "testclient: %s --probe failed\n", binary);
			return 1;
		}
		samples[i] = mono_us() - t0;
	}
	/* Insertion sort: N is small. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && samples[j - 1] > samples[j]; j--) {
			uint64_t t = samples[j];

			samples[j] = samples[j - 1];
			samples[j - 1] = t;
		}
	printf("floor_us=%llu\n", (unsigned long long)samples[n / 2]);
	free(samples);
	return 0;
}

static void parse_args(int argc, char **argv)
{
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: testclient TARGET STATFILE "
			"[interval=MS] [watchdog=S]\n"
			"       testclient --floor BINARY N\n");
		exit(2);
	}
	opt.target = argv[1];
	opt.statfile = argv[2];
	for (i = 3; i < argc; i++) {
		if (!strncmp(argv[i], "interval=", 9))
			opt.interval_ms = parse_number(argv[i] + 9, "interval");
		else if (!strncmp(argv[i], "watchdog=", 9))
			opt.watchdog_s = parse_number(argv[i] + 9, "watchdog");
		else {
			fprintf(stderr, "testclient: unknown option '%s'\n",
				argv[i]);
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t seq, last_us = 0, last_write_us = 0;
	pthread_t wd;
	int r;

	if (argc == 4 && !strcmp(argv[1], "--floor"))
		return fork_exec_floor(argv[2], parse_number(argv[3], "N"));
	parse_args(argc, argv);
	sef_setcb_signal_handler(on_signal);
	sef_startup();

	r = lookup_target();
	if (r != OK) {
		pthread_mutex_lock(&stat_lock);
		st.errors++;
		st.last_error = r;
		pthread_mutex_unlock(&stat_lock);
		fprintf(stderr, "testclient: cannot find '%s': %d\n",
			opt.target, r);
	}
	write_stats("running");
	/* Created after sef_startup: it inherits the blocked signals. */
	if (pthread_create(&wd, NULL, watchdog, NULL) != 0)
		fprintf(stderr, "testclient: no watchdog thread\n");

	for (seq = 1; r == OK && !atomic_load(&stopping); seq++) {
		pthread_mutex_lock(&stat_lock);
		st.sent++;
		pthread_mutex_unlock(&stat_lock);
		one_request(seq, &last_us);
		if (st.answered % STAT_EVERY_ANSWERS == 0 ||
		    mono_us() - last_write_us > STAT_EVERY_US) {
			write_stats(st.lost ? "lost" : "running");
			last_write_us = mono_us();
		}
		if (!atomic_load(&stopping))
			sef_pause(opt.interval_ms);
	}
	/* Wait for SIGTERM if the target was never found. */
	while (!atomic_load(&stopping)) {
		message m;

		if (sef_receive(ANY, &m) == -EINTR)
			break;
	}
	write_stats(st.lost ? "lost" : "stopped");
	exit(0);
}
