/* SPDX-License-Identifier: MIT */
/*
 * kv-load: kv-server's load generator and judge (kv(8)).
 *
 *   kv-load [-a ADDR] [-c CONNS] [-d SECONDS | -S STOPFILE] [-s SEED]
 *           [-m MIX] [-k KEYS] [-r RETRY_MS] [-p PREFIX] [-h SPLIT_MS]
 *           [-P PROGRESS]
 *
 * CONNS connections each send one request at a time on keys of their own
 * (PREFIX-cN-K, KEYS of them), ops drawn from MIX with SEED, and check
 * every reply against a model of the store (model.c): a reply has one
 * right answer. A request unanswered after RETRY_MS is sent again with the
 * same id; a broken connection is opened again and the request sent again
 * on it. It stops after SECONDS or once STOPFILE exists, waits for the
 * requests still out, reads every key back (a write acknowledged and then
 * lost is wrong there), and prints one line:
 *
 *   kv-load sent= answered= retried= lost= wrong= conns_lost= dups=
 *     errors= verified= max_stall_us= elapsed_ms= rps= events=
 *     stall_median_us= stall_max_us= stall_before_us= stall_between_us=
 *     blackout_median_us= blackout_max_us= blackout_before_us=
 *     event_stalls_us= event_blackouts_us= event_retried= event_conns_lost=
 *
 * lost: requests never answered; wrong: answers the model disagrees with
 * (the reads back included); dups: replies to an id already answered;
 * max_stall_us: the longest a request waited for its answer; rps: answers
 * per second until the stop. -h SPLIT_MS
 * sends each request in two halves SPLIT_MS apart (a request half read
 * when the server dies). Each SIGUSR1 marks an event (a crash, an
 * update: events.h), and a SIGUSR2 may close its window early: the fields
 * from events= on give the longest stall, the longest blackout (no
 * answer on any connection), the retries and the connections lost per
 * event. -P PROGRESS: the file
 * gets "answered wrong last_answer_us" (CLOCK_MONOTONIC) every 20 ms, for
 * a runner that waits for the service to answer again. Exit 0 when lost
 * and wrong are 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "model.h"
#include "net.h"
#include "proto.h"
#include "rng.h"
#include "version.h"

#define MAX_CONNS	256
/* After the stop: how long the requests still out may take. */
#define DRAIN_MS	30000
#define RECONNECT_MS	10
#define PROGRESS_MS	20

enum cstate { C_DOWN, C_IDLE, C_HALF, C_WAIT, C_DONE };

struct lconn {
	int fd;
	enum cstate st;
	struct rng rng;
	struct kv_model model;
	struct kv_request req;	/* the request out (C_HALF, C_WAIT) */
	size_t key;
	char line[KV_LINE_MAX + 8];
	size_t line_len;
	int resend;		/* the request is out again (a retry) */
	long long first_sent;	/* us */
	long long timer;	/* us: retry, second half, reconnect */
	char in[KV_REPLY_MAX * 4];
	size_t have;
	int verifying;		/* reading the keys back: next key */
	int counted_retry;
};

static struct {
	const char *addr;
	int nconns;
	double seconds;
	const char *stop_file;
	const char *progress_file;
	uint64_t seed;
	struct kv_mix mix;
	size_t keys;
	long retry_ms, split_ms;
	char prefix[24];
	uint64_t next_id;
	/* The report. */
	unsigned long long sent, answered, retried, wrong, conns_lost, dups,
		errors, verified;
	long long max_stall, last_answer;
	int wrong_shown;
	struct kv_events ev;
	/* At the stop: the load's own rate, without the drain and reads. */
	unsigned long long answered_at_stop;
	long long stopped_at;
} L = {
	.nconns = 32,
	.seconds = 10,
	.seed = 1,
	.mix = { .get = 40, .set = 30, .incr = 20, .del = 10 },
	.keys = 8,
	.retry_ms = 1000,
	.next_id = 1,
};

static struct lconn conns[MAX_CONNS];

/* SIGUSR1's marks and SIGUSR2's closes, in the order they came, taken in
 * the handler (the moment the signal came); the main loop hands them to
 * the pure accounting (events.h). */
static struct { long long t; int close; } marks[2 * KV_EVENTS_MAX];
static volatile sig_atomic_t nmarks;
static size_t marks_taken;

static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void on_mark(int sig)
{
	struct timespec t;

	if (nmarks < (sig_atomic_t)(sizeof(marks) / sizeof(marks[0]))) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		marks[nmarks].t = (long long)t.tv_sec * 1000000 +
				  t.tv_nsec / 1000;
		marks[nmarks].close = sig == SIGUSR2;
		nmarks = nmarks + 1;
	}
}

static void take_marks(void)
{
	/* One refused (out of order, or a close with nothing open) is
	 * skipped: the accounting stays as it was. */
	for (; marks_taken < (size_t)nmarks; marks_taken++)
		if (marks[marks_taken].close)
			kv_events_close(&L.ev, marks[marks_taken].t);
		else
			kv_events_mark(&L.ev, marks[marks_taken].t);
}

static void conn_down(struct lconn *c, long long now)
{
	if (c->fd >= 0) {
		close(c->fd);
		L.conns_lost++;
		kv_events_conn_lost(&L.ev, now);
	}
	c->fd = -1;
	c->have = 0;
	c->st = C_DOWN;
	c->timer = now + RECONNECT_MS * 1000;
}

/* Write the request (or its first half) and arm its timer. */
static void send_request(struct lconn *c, long long now)
{
	size_t n = c->line_len;

	if (L.split_ms > 0 && n > 2)
		n /= 2;
	if (write(c->fd, c->line, n) != (ssize_t)n) {
		conn_down(c, now);
		return;
	}
	if (n < c->line_len) {
		c->st = C_HALF;
		c->timer = now + L.split_ms * 1000;
	} else {
		c->st = C_WAIT;
		c->timer = now + L.retry_ms * 1000;
	}
}

static void send_second_half(struct lconn *c, long long now)
{
	size_t half = c->line_len / 2, rest = c->line_len - half;

	if (write(c->fd, c->line + half, rest) != (ssize_t)rest) {
		conn_down(c, now);
		return;
	}
	c->st = C_WAIT;
	c->timer = now + L.retry_ms * 1000;
}

/* A request out again, same id: once per request in the count. */
static void resend(struct lconn *c, long long now)
{
	if (!c->counted_retry) {
		L.retried++;
		kv_events_retry(&L.ev, now);
		c->counted_retry = 1;
	}
	send_request(c, now);
}

static void new_request(struct lconn *c, int stopping, long long now)
{
	if (stopping) {
		if ((size_t)c->verifying >= c->model.nkeys) {
			c->st = C_DONE;
			return;
		}
		c->key = (size_t)c->verifying++;
		memset(&c->req, 0, sizeof(c->req));
		c->req.op = KV_GET;
		snprintf(c->req.key, sizeof(c->req.key), "%s",
			 c->model.keys[c->key].name);
	} else {
		c->key = (size_t)rng_below(&c->rng, c->model.nkeys);
		kv_model_request(&c->model, c->key, &L.mix,
				 (unsigned int)rng_below(&c->rng, 100),
				 rng_next(&c->rng), &c->req);
	}
	c->req.id = L.next_id++;
	c->line_len = kv_format_request(&c->req, c->line, sizeof(c->line));
	c->first_sent = now;
	c->counted_retry = 0;
	L.sent++;
	send_request(c, now);
}

static void got_reply(struct lconn *c, const struct kv_reply *rep,
		      long long now)
{
	char why[300];

	if (c->st != C_WAIT && c->st != C_HALF) {
		L.dups++;
		return;
	}
	if (rep->id != c->req.id) {
		L.dups++;
		return;
	}
	L.answered++;
	if (now - c->first_sent > L.max_stall)
		L.max_stall = now - c->first_sent;
	kv_events_answer(&L.ev, now, now - c->first_sent);
	L.last_answer = now;
	if (c->verifying)
		L.verified++;
	if (rep->status == KV_R_ERR)
		L.errors++;
	if (kv_model_check(&c->model, c->key, &c->req, rep, why, sizeof(why))) {
		L.wrong++;
		if (L.wrong_shown++ < 10)
			fprintf(stderr, "kv-load: wrong: %" PRIu64 " %s %s: %s: "
				"%s\n", c->req.id, kv_op_name(c->req.op),
				c->req.key, rep->text[0] ? rep->text : "-", why);
	}
	c->st = C_IDLE;
}

static void conn_input(struct lconn *c, long long now)
{
	ssize_t n = read(c->fd, c->in + c->have, sizeof(c->in) - c->have);
	size_t len;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		conn_down(c, now);
		return;
	}
	c->have += (size_t)n;
	while ((len = kv_line_length(c->in, c->have)) > 0) {
		struct kv_reply rep;

		if (kv_parse_reply(c->in, len - 1, &rep) == 0)
			got_reply(c, &rep, now);
		else
			L.wrong++;
		memmove(c->in, c->in + len, c->have - len);
		c->have -= len;
	}
	if (c->have == sizeof(c->in))
		conn_down(c, now);
}

/* The progress file, replaced whole (a reader never sees half). */
static void write_progress(void)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", L.progress_file);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%llu %llu %lld\n", L.answered, L.wrong, L.last_answer);
	if (fclose(f) == 0)
		rename(tmp, L.progress_file);
}

static void usage(void)
{
	fprintf(stderr, "usage: kv-load [-a ADDR] [-c CONNS] [-d SECONDS | -S "
		"STOPFILE] [-s SEED] [-m MIX] [-k KEYS] [-r RETRY_MS] "
		"[-p PREFIX] [-h SPLIT_MS] [-P PROGRESS]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "a:c:d:S:s:m:k:r:p:h:P:")) != -1) {
		switch (opt) {
		case 'a': L.addr = optarg; break;
		case 'c': L.nconns = atoi(optarg); break;
		case 'd': L.seconds = atof(optarg); break;
		case 'S': L.stop_file = optarg; break;
		case 's': L.seed = strtoull(optarg, NULL, 10); break;
		case 'm':
			if (kv_mix_parse(optarg, &L.mix)) {
				fprintf(stderr, "kv-load: bad mix '%s' (e.g. "
					"get=40,set=30,incr=20,del=10, adding "
					"up to 100)\n", optarg);
				exit(2);
			}
			break;
		case 'k': L.keys = (size_t)atol(optarg); break;
		case 'r': L.retry_ms = atol(optarg); break;
		case 'p': snprintf(L.prefix, sizeof(L.prefix), "%s", optarg);
			break;
		case 'h': L.split_ms = atol(optarg); break;
		case 'P': L.progress_file = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || L.nconns < 1 || L.nconns > MAX_CONNS ||
	    L.keys < 1 || L.keys > 1000 || L.retry_ms < 1 || L.seconds <= 0)
		usage();
	if (!L.addr)
		L.addr = getenv("KV_ADDR") ? getenv("KV_ADDR") : KV_DEFAULT_TCP;
	if (!L.prefix[0])
		snprintf(L.prefix, sizeof(L.prefix), "L%d", (int)getpid());
}

int main(int argc, char *argv[])
{
	static struct pollfd p[MAX_CONNS];
	static int who[MAX_CONNS];
	long long start, stop_at, drain_end = 0, now, next_progress = 0;
	int stopping = 0, done;
	char err[256];

	/* -h SPLIT_MS is an option of kv-load: only -h alone asks for help. */
	if (!(argc > 2 && strcmp(argv[1], "-h") == 0))
		version_help_options(argc, argv, "kv-load",
			"usage: kv-load [-a ADDR] [-c CONNS] [-d SECONDS | -S STOPFILE] "
			"[-s SEED] [-m MIX]\n               [-k KEYS] [-r RETRY_MS] "
			"[-p PREFIX] [-h SPLIT_MS] [-P PROGRESS]\n"
			"kv-server's load generator: CONNS connections, a MIX of "
			"requests (default\nget=40,set=30,incr=20,del=10), a model of "
			"the store; prints what was sent,\nanswered, retried, lost "
			"and wrong, connections lost and the longest stall,\nin all and per event "
			"(each SIGUSR1 marks one,\nSIGUSR2 closes its window).\n");
	parse_args(argc, argv);
	kv_events_init(&L.ev);
	{
		struct sigaction sa = { .sa_handler = on_mark };

		/* One handler at a time: marks are taken in order. */
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR1);
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaction(SIGUSR1, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
	}

	for (int i = 0; i < L.nconns; i++) {
		char prefix[48];

		snprintf(prefix, sizeof(prefix), "%sc%d", L.prefix, i);
		if (kv_model_init(&conns[i].model, prefix, L.keys)) {
			fprintf(stderr, "kv-load: out of memory\n");
			return 1;
		}
		rng_seed(&conns[i].rng, L.seed * 1000003 + (uint64_t)i);
		conns[i].fd = kv_connect(L.addr, err, sizeof(err));
		if (conns[i].fd < 0) {
			fprintf(stderr, "kv-load: %s\n", err);
			return 1;
		}
		conns[i].st = C_IDLE;
	}
	start = now_us();
	stop_at = start + (long long)(L.seconds * 1e6);

	for (;;) {
		long long next = -1;
		int n = 0;

		now = now_us();
		take_marks();
		if (L.progress_file && now >= next_progress) {
			write_progress();
			next_progress = now + PROGRESS_MS * 1000;
		}
		if (!stopping && (L.stop_file ? access(L.stop_file, F_OK) == 0
					      : now >= stop_at)) {
			stopping = 1;
			drain_end = now + DRAIN_MS * 1000LL;
			L.answered_at_stop = L.answered;
			L.stopped_at = now;
		}
		done = 1;
		for (int i = 0; i < L.nconns; i++) {
			struct lconn *c = &conns[i];

			if (c->st == C_DOWN && now >= c->timer) {
				c->fd = kv_connect(L.addr, err, sizeof(err));
				if (c->fd < 0) {
					c->timer = now + RECONNECT_MS * 1000;
				} else {
					c->st = C_IDLE;
					/* The request out goes again on it. */
					if (c->req.id && c->first_sent &&
					    c->line_len)
						resend(c, now);
				}
			}
			if (c->st == C_IDLE) {
				c->line_len = 0;
				new_request(c, stopping, now);
			}
			if (c->st == C_HALF && now >= c->timer)
				send_second_half(c, now);
			if (c->st == C_WAIT && now >= c->timer)
				resend(c, now);
			if (c->st != C_DONE)
				done = 0;
			if (c->st != C_DONE && (next < 0 || c->timer < next))
				next = c->timer;
			if (c->fd >= 0 && c->st != C_DONE) {
				p[n] = (struct pollfd){ .fd = c->fd,
							.events = POLLIN };
				who[n++] = i;
			}
		}
		if (done || (stopping && now >= drain_end))
			break;
		{
			long long wait = next < 0 ? 100000 : next - now;
			int ms = wait <= 0 ? 0 : (int)((wait + 999) / 1000);

			if (ms > 100)
				ms = 100;	/* the stop file, now and then */
			if (L.progress_file && ms > PROGRESS_MS)
				ms = PROGRESS_MS;
			if (poll(p, (nfds_t)n, ms) < 0 && errno != EINTR) {
				perror("kv-load: poll");
				return 1;
			}
		}
		now = now_us();
		take_marks();
		for (int k = 0; k < n; k++)
			if (p[k].revents)
				conn_input(&conns[who[k]], now);
	}

	{
		unsigned long long lost = L.sent - L.answered;
		long long elapsed = now_us() - start;
		long long loaded = L.stopped_at - start;
		char events[KV_EVENTS_MAX * 24 + 256];

		kv_events_format(&L.ev, events, sizeof(events));
		if (L.progress_file)
			write_progress();
		printf("kv-load sent=%llu answered=%llu retried=%llu lost=%llu "
		       "wrong=%llu conns_lost=%llu dups=%llu errors=%llu "
		       "verified=%llu max_stall_us=%lld elapsed_ms=%lld "
		       "rps=%.0f%s\n", L.sent, L.answered, L.retried, lost,
		       L.wrong, L.conns_lost, L.dups, L.errors, L.verified,
		       L.max_stall, elapsed / 1000,
		       loaded > 0 ? L.answered_at_stop * 1e6 / (double)loaded
				  : 0.0, events);
		return lost || L.wrong ? 1 : 0;
	}
}
