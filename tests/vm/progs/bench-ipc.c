// SPDX-License-Identifier: MIT
/*
 * bench-ipc: the cost of an mxsys round trip against a pipe's, a UNIX
 * socket's and a futex hand-over's, measured in the same run
 * (tests/vm/suites/bench.sh, `make bench`).
 *
 *   bench-ipc list
 *   bench-ipc rtt [iters=N]
 *
 * Each moves the same 64 bytes (one struct mxsys_message) there and back
 * between two processes:
 *   sendrec  the client SENDRECs to the server, which RECEIVEs from ANY and
 *            answers with SENDNB, as a MINIX server does; both are bound
 *            to slots this program prepares as a fake RS (lib/mxtest.h);
 *   pipe     the client writes the bytes to a pipe, the server reads them
 *            and writes them back through a second pipe;
 *   unix     the same through one UNIX stream socket pair;
 *   futex    the bytes in shared memory, handed over with a futex word:
 *            the floor of any kernel-mediated wake-up.
 * Each is measured with both processes pinned to one CPU ("same"), then
 * to two CPUs ("split") when the machine has two. After a warm-up (a
 * tenth as many, at most 1000), N round trips (default 20000) are timed
 * in batches of BATCH; each batch's time per round trip is one sample.
 * Under emulation, a busy host makes the split case slow (each round trip
 * wakes the other virtual CPU) and every number noisy: compare numbers
 * from the same run. One line per placement:
 *   BENCH cpus=same|split iters=N sendrec_rtt_ns=MEDIAN sendrec_mean_ns=MEAN
 *         pipe_rtt_ns=... pipe_mean_ns=... unix_rtt_ns=... unix_mean_ns=...
 *         futex_rtt_ns=... futex_mean_ns=... ratio=SENDREC/PIPE
 *         ratio_unix=SENDREC/UNIX ratio_futex=SENDREC/FUTEX
 * (a single line; ratios of medians).
 *
 * Then sendrec and pipe with T = 1, 2, 4 and 8 client threads in one
 * process, each thread against a server process of its own (its own slot,
 * or its own pair of pipes), so that the threads share the client's slot,
 * as a service's workers do, but no destination (a slot's SENDRECs to one
 * destination take turns). Nothing is pinned: the scheduler spreads the
 * 2T processes' threads over the CPUs. Each thread makes N / T round trips
 * after its own warm-up, the timed part starting together (a barrier);
 * the samples of all threads are pooled, so the median is the round trip
 * as one thread sees it while the others run too. One line per T:
 *   BENCH cpus=any threads=T iters=N/T sendrec_rtt_ns=... sendrec_mean_ns=...
 *         pipe_rtt_ns=... pipe_mean_ns=... ratio=SENDREC/PIPE
 * The numbers get no verdict: the test passes when every measurement ran.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <linux/futex.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mxtest.h"

#define WARMUP_MAX	1000
#define BATCH		100
#define QUIT_TYPE	0x4251
#define MAX_PAIRS	8	/* client threads, each with its own server */
#define ANY_CPU		(-1)	/* pin(): leave the thread to the scheduler */
#define MEASURE_S	600	/* watchdog: one measurement's longest run */

static unsigned int iters = 20000;
static unsigned int cur_iters;	/* per client thread, this measurement's */
static unsigned int cur_pairs = 1;	/* client threads = server processes */

/* Written by the measuring process, read by the parent. */
struct result {
	double median_ns;
	double mean_ns;
	int done;
};

enum { SENDREC, PIPE, UNIX, FUTEX, NR_KINDS };
static const char *const kind_name[NR_KINDS] = {
	"sendrec", "pipe", "unix", "futex",
};
static struct result *res;	/* shared: one per kind */
static int cpu_client, cpu_server;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool pin(int cpu)
{
	cpu_set_t set;

	if (cpu == ANY_CPU)
		return true;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		return true;
	note("pin to CPU %d: %s", cpu, strerror(errno));
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One thread's timed batches: ns per round trip in each. */
struct samples {
	double *ns;
	unsigned int n;
	uint64_t total_ns;
	uint64_t rounds;
};

/*
 * Time @round (one round trip; false on error) cur_iters times in batches,
 * after a warm-up, into @s; when @start is given, the timed part begins
 * once every thread that shares it is warm. False on error.
 */
static bool measure(bool (*round)(void *), void *arg, pthread_barrier_t *start,
		    struct samples *s)
{
	unsigned int nb = cur_iters / BATCH, b, i;
	unsigned int warmup = cur_iters / 10 < WARMUP_MAX ? cur_iters / 10 :
			      WARMUP_MAX;
	bool warm = true;

	memset(s, 0, sizeof(*s));
	s->ns = calloc(nb, sizeof(*s->ns));
	for (i = 0; i < warmup && warm && s->ns; i++)
		warm = round(arg);
	/* Even a thread that failed goes through, or the others wait forever. */
	if (start)
		pthread_barrier_wait(start);
	if (!s->ns || !warm)
		return false;
	for (b = 0; b < nb; b++) {
		uint64_t t0 = now_ns(), dt;

		for (i = 0; i < BATCH; i++)
			if (!round(arg))
				return false;
		dt = now_ns() - t0;
		s->total_ns += dt;
		s->ns[s->n++] = (double)dt / BATCH;
	}
	s->rounds = (uint64_t)nb * BATCH;
	return true;
}

/* Median of the pooled samples of @n threads, and their mean, into @r. */
static bool summarize(const struct samples *s, unsigned int n,
		      struct result *r)
{
	unsigned int total = 0, i, k = 0;
	uint64_t ns = 0, rounds = 0;
	double *all;

	for (i = 0; i < n; i++)
		total += s[i].n;
	all = calloc(total ? total : 1, sizeof(*all));
	if (!all || !total) {
		free(all);
		return false;
	}
	for (i = 0; i < n; i++) {
		memcpy(all + k, s[i].ns, s[i].n * sizeof(*all));
		k += s[i].n;
		ns += s[i].total_ns;
		rounds += s[i].rounds;
	}
	qsort(all, total, sizeof(*all), cmp_double);
	r->median_ns = total % 2 ? all[total / 2] :
		       (all[total / 2 - 1] + all[total / 2]) / 2;
	r->mean_ns = (double)ns / rounds;
	r->done = 1;
	free(all);
	return true;
}

struct client_thread {
	bool (*round)(void *);
	void *arg;
	pthread_barrier_t *start;
	struct samples *samples;
	bool ok;
	pthread_t id;
};

static void *client_thread_main(void *p)
{
	struct client_thread *ct = p;

	ct->ok = measure(ct->round, ct->arg, ct->start, ct->samples);
	return NULL;
}

/*
 * Measure @round in cur_pairs threads of this process at once, thread i
 * on @args + i * @arg_size; the pooled result goes to @r. One pair runs
 * in the calling thread, as it always did. False on error.
 */
static bool measure_pairs(bool (*round)(void *), void *args, size_t arg_size,
			  struct result *r)
{
	struct samples samples[MAX_PAIRS] = { 0 };
	struct client_thread ct[MAX_PAIRS];
	pthread_barrier_t start;
	unsigned int i;
	bool ok = true;

	if (cur_pairs == 1) {
		ok = measure(round, args, NULL, &samples[0]) &&
		     summarize(samples, 1, r);
		free(samples[0].ns);
		return ok;
	}
	if (pthread_barrier_init(&start, NULL, cur_pairs))
		return false;
	for (i = 0; i < cur_pairs; i++) {
		int err;

		ct[i] = (struct client_thread){
			.round = round, .arg = (char *)args + i * arg_size,
			.start = &start, .samples = &samples[i],
		};
		err = pthread_create(&ct[i].id, NULL, client_thread_main, &ct[i]);
		if (err) {
			/* The barrier would never open for the others. */
			note("pthread_create: %s", strerror(err));
			_exit(1);
		}
	}
	for (i = 0; i < cur_pairs; i++) {
		pthread_join(ct[i].id, NULL);
		ok = ok && ct[i].ok;
	}
	ok = ok && summarize(samples, cur_pairs, r);
	for (i = 0; i < cur_pairs; i++)
		free(samples[i].ns);
	pthread_barrier_destroy(&start);
	return ok;
}

/* ---- sendrec ---- */

static int sendrec_server(struct child *self)
{
	if (!pin(cpu_server))
		return 1;
	for (;;) {
		struct mxsys_ipc call = { .endpoint = MXSYS_ANY };
		int32_t client;

		if (ioctl(self->fd, MXSYS_IOC_RECEIVE, &call) < 0) {
			note("server: receive: %s", err_name(-errno));
			return 1;
		}
		if (call.msg.m_type == QUIT_TYPE)
			return 0;
		client = call.msg.m_source;
		call.endpoint = client;
		if (ioctl(self->fd, MXSYS_IOC_SENDNB, &call) < 0) {
			note("server: reply: %s", err_name(-errno));
			return 1;
		}
	}
}

struct sendrec_arg {
	int fd;
	int32_t server;
	uint64_t n;
};

static bool sendrec_round(void *p)
{
	struct sendrec_arg *a = p;
	struct mxsys_ipc call = { .endpoint = a->server };

	call.msg.m_type = 1;
	call.msg.m_u64[0] = a->n;
	if (ioctl(a->fd, MXSYS_IOC_SENDREC, &call) < 0) {
		note("client: sendrec: %s", err_name(-errno));
		return false;
	}
	if (call.msg.m_u64[0] != a->n++) {
		note("client: reply %llu to request %llu",
		     (unsigned long long)call.msg.m_u64[0],
		     (unsigned long long)a->n - 1);
		return false;
	}
	return true;
}

/* Thread i of the client SENDRECs to server i (children[i]). */
static int sendrec_client(struct child *self)
{
	struct sendrec_arg a[MAX_PAIRS];
	struct mxsys_message quit = make_msg(QUIT_TYPE, 0);
	unsigned int i;
	bool ok;

	if (!pin(cpu_client))
		return 1;
	for (i = 0; i < cur_pairs; i++)
		a[i] = (struct sendrec_arg){ .fd = self->fd, .server = eps[i] };
	ok = measure_pairs(sendrec_round, a, sizeof(a[0]), &res[SENDREC]);
	/* Let the servers go in any case. */
	for (i = 0; i < cur_pairs; i++)
		if (ipc(self->fd, MXSYS_IOC_SEND, eps[i], &quit, NULL))
			ok = false;
	return !ok;
}

static int bench_sendrec(void)
{
	role_fn roles[MAX_PAIRS + 1];
	unsigned int i;
	int ret;

	for (i = 0; i < cur_pairs; i++)
		roles[i] = sendrec_server;
	roles[cur_pairs] = sendrec_client;
	nr_children = 0;
	if (start_children(cur_pairs + 1, roles, true))
		return 1;
	ret = wait_children(NULL);
	/* Clear the slots now: the next measurement starts afresh. */
	cleanup();
	return ret;
}

/* ---- pipe, unix: a byte stream there and back ---- */

struct stream_arg {
	int to_server;
	int from_server;
	uint64_t n;
};

static bool stream_round(void *p)
{
	struct stream_arg *a = p;
	struct mxsys_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.m_type = 1;
	msg.m_u64[0] = a->n;
	if (write(a->to_server, &msg, sizeof(msg)) != sizeof(msg) ||
	    read(a->from_server, &msg, sizeof(msg)) != sizeof(msg)) {
		note("stream client: %s", strerror(errno));
		return false;
	}
	if (msg.m_u64[0] != a->n++) {
		note("stream client: echo out of order");
		return false;
	}
	return true;
}

/* Echo until the client closes its end. */
static void stream_server(int in, int out)
{
	struct mxsys_message msg;

	while (read(in, &msg, sizeof(msg)) == sizeof(msg))
		if (write(out, &msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
	_exit(0);
}

/* ---- futex: the bytes in shared memory, a futex word to hand over ---- */

struct futex_pair {
	_Atomic uint32_t turn;		/* 0: the client's, 1: the server's, 2: quit */
	struct mxsys_message msg;
};

static struct futex_pair *fpair;

static void futex_wait_while(uint32_t value)
{
	while (atomic_load(&fpair->turn) == value)
		syscall(SYS_futex, &fpair->turn, FUTEX_WAIT, value, NULL,
			NULL, 0);
}

static void futex_pass(uint32_t value)
{
	atomic_store(&fpair->turn, value);
	syscall(SYS_futex, &fpair->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* The server answers with the request's number plus one. */
static bool futex_round(void *p)
{
	uint64_t *n = p;

	memset(&fpair->msg, 0, sizeof(fpair->msg));
	fpair->msg.m_type = 1;
	fpair->msg.m_u64[0] = *n;
	futex_pass(1);
	futex_wait_while(1);
	if (fpair->msg.m_u64[0] != ++*n) {
		note("futex client: echo out of order");
		return false;
	}
	return true;
}

static void futex_server(void)
{
	for (;;) {
		futex_wait_while(0);
		if (atomic_load(&fpair->turn) == 2)
			_exit(0);
		fpair->msg.m_u64[0]++;
		futex_pass(0);
	}
}

/* One client-server byte stream: a pair of pipes or a socket pair. */
struct stream_ends {
	int client_out, client_in;
	int server_in, server_out;
};

/* @e for @kind; a futex needs none (all -1). False after a fail(). */
static bool open_stream(int kind, struct stream_ends *e)
{
	int a[2], b[2];

	*e = (struct stream_ends){ -1, -1, -1, -1 };
	if (kind == PIPE) {
		if (pipe(a) < 0)
			return !fail("pipe: %s", strerror(errno));
		if (pipe(b) < 0) {
			close(a[0]);
			close(a[1]);
			return !fail("pipe: %s", strerror(errno));
		}
		*e = (struct stream_ends){ a[1], b[0], a[0], b[1] };
	} else if (kind == UNIX) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0)
			return !fail("socketpair: %s", strerror(errno));
		*e = (struct stream_ends){ a[0], a[0], a[1], a[1] };
	}
	return true;
}

/*
 * Close the client's ends of @e[0..n) (@client) and the servers' ends
 * (@server), but those of pair @keep (-1: none). A socket's one
 * descriptor serves both ways: closed once.
 */
static void close_ends(const struct stream_ends *e, unsigned int n,
		       bool client, bool server, int keep)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if ((int)i == keep)
			continue;
		if (client && e[i].client_out >= 0)
			close(e[i].client_out);
		if (client && e[i].client_in >= 0 &&
		    e[i].client_in != e[i].client_out)
			close(e[i].client_in);
		if (server && e[i].server_in >= 0)
			close(e[i].server_in);
		if (server && e[i].server_out >= 0 &&
		    e[i].server_out != e[i].server_in)
			close(e[i].server_out);
	}
}

/* Reap @pid; fail() unless it exited 0. */
static int reap(pid_t pid, int kind, const char *who)
{
	int status = 0;

	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return fail("%s %s failed (wait status %#x)", kind_name[kind],
			    who, status);
	return 0;
}

/*
 * One kind without mxsys: a server process per pair (cur_pairs; the
 * futex has one) and one client process, the transports set up before
 * the forks so that they inherit them. Each process closes the ends that
 * are not its own: a server sees its client go (end of file) only once no
 * other process holds the client's end.
 */
static int bench_plain(int kind)
{
	struct stream_ends ends[MAX_PAIRS];
	struct stream_arg sa[MAX_PAIRS];
	pid_t servers[MAX_PAIRS], client = -1;
	unsigned int i, nr_ends = 0, nr_servers = 0;
	uint64_t n = 0;
	int ret = 0;

	for (i = 0; i < cur_pairs; i++, nr_ends++)
		if (!open_stream(kind, &ends[i])) {
			ret = 1;
			goto out;
		}
	atomic_store(&fpair->turn, 0);
	for (i = 0; i < cur_pairs; i++, nr_servers++) {
		fflush(stdout);
		servers[i] = fork();
		if (servers[i] < 0) {
			ret = fail("fork: %s", strerror(errno));
			goto out;
		}
		if (servers[i] == 0) {
			if (!pin(cpu_server))
				_exit(1);
			if (kind == FUTEX)
				futex_server();
			close_ends(ends, cur_pairs, true, true, i);
			close_ends(&ends[i], 1, true, false, -1);
			stream_server(ends[i].server_in, ends[i].server_out);
		}
	}
	fflush(stdout);
	client = fork();
	if (client < 0) {
		ret = fail("fork: %s", strerror(errno));
		goto out;
	}
	if (client == 0) {
		bool ok = pin(cpu_client);

		close_ends(ends, cur_pairs, false, true, -1);
		for (i = 0; i < cur_pairs; i++)
			sa[i] = (struct stream_arg){
				.to_server = ends[i].client_out,
				.from_server = ends[i].client_in,
			};
		if (ok && kind == FUTEX)
			ok = measure_pairs(futex_round, &n, sizeof(n), &res[kind]);
		else if (ok)
			ok = measure_pairs(stream_round, sa, sizeof(sa[0]),
					   &res[kind]);
		if (kind == FUTEX)
			futex_pass(2);
		_exit(!ok);
	}

out:
	close_ends(ends, nr_ends, true, true, -1);
	for (i = 0; i < nr_servers; i++) {
		/* Without a client, a futex server would wait forever. */
		if (client < 0)
			kill(servers[i], SIGKILL);
	}
	if (client > 0 && reap(client, kind, "client"))
		ret = 1;
	for (i = 0; i < nr_servers; i++)
		if (reap(servers[i], kind, "server") && client > 0)
			ret = 1;
	return ret;
}

/*
 * Set up the next measurement: @pairs client threads, N / @pairs round
 * trips each in whole batches, the client and servers on these CPUs.
 */
static void set_measurement(unsigned int pairs, unsigned int n, int c_cpu,
			    int s_cpu)
{
	n /= pairs;
	cur_pairs = pairs;
	cur_iters = n < BATCH ? BATCH : n / BATCH * BATCH;
	cpu_client = c_cpu;
	cpu_server = s_cpu;
	memset(res, 0, NR_KINDS * sizeof(*res));
	/* A 20000-round run takes seconds; let a slow machine finish. */
	alarm(MEASURE_S);
}

/* Run @kinds (SENDREC first) as set up; for fail(). */
static int run_kinds(const char *what, const int *kinds, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (kinds[k] == SENDREC ? bench_sendrec() : bench_plain(kinds[k]))
			return 1;
	for (k = 0; k < n; k++)
		if (!res[kinds[k]].done)
			return fail("%s: %s did not finish", what,
				    kind_name[kinds[k]]);
	return 0;
}

/* The figures of @kinds, then SENDREC's ratio to each other kind. */
static void print_kinds(const int *kinds, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		printf(" %s_rtt_ns=%.0f %s_mean_ns=%.0f", kind_name[kinds[k]],
		       res[kinds[k]].median_ns, kind_name[kinds[k]],
		       res[kinds[k]].mean_ns);
	for (k = 0; k < n; k++)
		if (kinds[k] == PIPE)
			printf(" ratio=%.2f", res[SENDREC].median_ns /
			       res[PIPE].median_ns);
		else if (kinds[k] != SENDREC)
			printf(" ratio_%s=%.2f", kind_name[kinds[k]],
			       res[SENDREC].median_ns / res[kinds[k]].median_ns);
	printf("\n");
	fflush(stdout);
}

/* One client thread against one server, pinned as @name says. */
static int run_placement(const char *name, int c_cpu, int s_cpu,
			 unsigned int n)
{
	static const int kinds[] = { SENDREC, PIPE, UNIX, FUTEX };

	set_measurement(1, n, c_cpu, s_cpu);
	if (run_kinds(name, kinds, MXT_ARRAY_SIZE(kinds)))
		return 1;
	printf("BENCH cpus=%s iters=%u", name, cur_iters);
	print_kinds(kinds, MXT_ARRAY_SIZE(kinds));
	return 0;
}

/* @pairs client threads of one process, each with a server of its own. */
static int run_pairs(unsigned int pairs, unsigned int n)
{
	static const int kinds[] = { SENDREC, PIPE };
	char what[32];

	set_measurement(pairs, n, ANY_CPU, ANY_CPU);
	snprintf(what, sizeof(what), "threads=%u", pairs);
	if (run_kinds(what, kinds, MXT_ARRAY_SIZE(kinds)))
		return 1;
	printf("BENCH cpus=any threads=%u iters=%u", pairs, cur_iters);
	print_kinds(kinds, MXT_ARRAY_SIZE(kinds));
	return 0;
}

static int test_rtt(void)
{
	static const unsigned int pair_counts[] = { 1, 2, 4, MAX_PAIRS };
	cpu_set_t set;
	int first = -1, second = -1, i;
	size_t k;

	res = mmap(NULL, NR_KINDS * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fpair = mmap(NULL, sizeof(*fpair), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED || fpair == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return fail("sched_getaffinity: %s", strerror(errno));
	for (i = 0; i < CPU_SETSIZE && second < 0; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (first < 0)
			first = i;
		else
			second = i;
	}
	if (run_placement("same", first, first, iters))
		return 1;
	if (second < 0)
		note("one CPU: no cpus=split measurement");
	else if (run_placement("split", first, second, iters))
		return 1;
	for (k = 0; k < MXT_ARRAY_SIZE(pair_counts); k++)
		if (run_pairs(pair_counts[k], iters))
			return 1;
	return pass();
}

static const struct mxt_test tests[] = {
	{ "rtt", test_rtt },
};

int main(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc; i++) {
		char *end;
		unsigned long v;

		if (strncmp(argv[i], "iters=", 6)) {
			fprintf(stderr, "usage: bench-ipc rtt [iters=N]\n");
			return 2;
		}
		errno = 0;
		v = strtoul(argv[i] + 6, &end, 0);
		if (errno || *end || v < BATCH || v > 100000000) {
			fprintf(stderr, "bench-ipc: iters is %d..100000000\n",
				BATCH);
			return 2;
		}
		iters = v;
	}
	return mxt_main(argc < 2 ? argc : 2, argv, tests,
			MXT_ARRAY_SIZE(tests), "bench-ipc");
}
