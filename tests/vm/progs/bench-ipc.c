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
 * (a single line; ratios of medians). The numbers get no verdict: the
 * test passes when every measurement ran.
 */
#include <errno.h>
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

static unsigned int iters = 20000;
static unsigned int cur_iters;	/* this placement's */

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

/*
 * Time @round (one round trip; false on error) cur_iters times in batches,
 * after a warm-up; the result goes to @r. False on error.
 */
static bool measure(bool (*round)(void *), void *arg, struct result *r)
{
	unsigned int nb = cur_iters / BATCH, b, i;
	unsigned int warmup = cur_iters / 10 < WARMUP_MAX ? cur_iters / 10 :
			      WARMUP_MAX;
	double *samples = calloc(nb, sizeof(*samples));
	uint64_t total = 0;

	if (!samples)
		return false;
	for (i = 0; i < warmup; i++)
		if (!round(arg))
			goto out_fail;
	for (b = 0; b < nb; b++) {
		uint64_t t0 = now_ns(), dt;

		for (i = 0; i < BATCH; i++)
			if (!round(arg))
				goto out_fail;
		dt = now_ns() - t0;
		total += dt;
		samples[b] = (double)dt / BATCH;
	}
	qsort(samples, nb, sizeof(*samples), cmp_double);
	r->median_ns = nb % 2 ? samples[nb / 2] :
		       (samples[nb / 2 - 1] + samples[nb / 2]) / 2;
	r->mean_ns = (double)total / ((double)nb * BATCH);
	r->done = 1;
	free(samples);
	return true;

out_fail:
	free(samples);
	return false;
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

static int sendrec_client(struct child *self)
{
	struct sendrec_arg a = { .fd = self->fd, .server = eps[0] };
	struct mxsys_message quit = make_msg(QUIT_TYPE, 0);
	bool ok;

	if (!pin(cpu_client))
		return 1;
	ok = measure(sendrec_round, &a, &res[SENDREC]);
	/* Let the server go in any case. */
	if (ipc(self->fd, MXSYS_IOC_SEND, eps[0], &quit, NULL))
		ok = false;
	return !ok;
}

static int bench_sendrec(void)
{
	static const role_fn roles[] = { sendrec_server, sendrec_client };
	int ret;

	nr_children = 0;
	if (start_children(2, roles, true))
		return 1;
	ret = wait_children(NULL);
	/* Clear both slots now: the next placement starts afresh. */
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

/*
 * One kind without mxsys: a server and a client process, the transport
 * set up before the forks so that both inherit it.
 */
static int bench_plain(int kind)
{
	int a[2] = { -1, -1 }, b[2] = { -1, -1 }, status, ret = 0;
	struct stream_arg sa = { 0 };
	pid_t server, client;
	uint64_t n = 0;

	if (kind == PIPE && (pipe(a) < 0 || pipe(b) < 0))
		return fail("pipe: %s", strerror(errno));
	if (kind == UNIX && socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0)
		return fail("socketpair: %s", strerror(errno));
	atomic_store(&fpair->turn, 0);
	fflush(stdout);
	server = fork();
	if (server < 0)
		return fail("fork: %s", strerror(errno));
	if (server == 0) {
		if (!pin(cpu_server))
			_exit(1);
		if (kind == PIPE) {
			close(a[1]);
			close(b[0]);
			stream_server(a[0], b[1]);
		} else if (kind == UNIX) {
			close(a[0]);
			stream_server(a[1], a[1]);
		}
		futex_server();
	}
	client = fork();
	if (client < 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
		return fail("fork: %s", strerror(errno));
	}
	if (client == 0) {
		bool ok = pin(cpu_client);

		if (kind == PIPE)
			sa = (struct stream_arg){ .to_server = a[1], .from_server = b[0] };
		else
			sa = (struct stream_arg){ .to_server = a[0], .from_server = a[0] };
		if (ok && kind == FUTEX)
			ok = measure(futex_round, &n, &res[kind]);
		else if (ok)
			ok = measure(stream_round, &sa, &res[kind]);
		if (kind == FUTEX)
			futex_pass(2);
		_exit(!ok);
	}
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	if (waitpid(client, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = fail("%s client failed (wait status %#x)",
			   kind_name[kind], status);
	if (waitpid(server, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = ret ? ret : fail("%s server failed (wait status %#x)",
				       kind_name[kind], status);
	return ret;
}

static int run_placement(const char *name, int c_cpu, int s_cpu,
			 unsigned int n)
{
	int kind;

	cur_iters = n < BATCH ? BATCH : n / BATCH * BATCH;
	cpu_client = c_cpu;
	cpu_server = s_cpu;
	memset(res, 0, NR_KINDS * sizeof(*res));
	if (bench_sendrec())
		return 1;
	for (kind = PIPE; kind < NR_KINDS; kind++)
		if (bench_plain(kind))
			return 1;
	for (kind = 0; kind < NR_KINDS; kind++)
		if (!res[kind].done)
			return fail("cpus=%s: %s did not finish", name,
				    kind_name[kind]);
	printf("BENCH cpus=%s iters=%u", name, cur_iters);
	for (kind = 0; kind < NR_KINDS; kind++)
		printf(" %s_rtt_ns=%.0f %s_mean_ns=%.0f", kind_name[kind],
		       res[kind].median_ns, kind_name[kind], res[kind].mean_ns);
	printf(" ratio=%.2f ratio_unix=%.2f ratio_futex=%.2f\n",
	       res[SENDREC].median_ns / res[PIPE].median_ns,
	       res[SENDREC].median_ns / res[UNIX].median_ns,
	       res[SENDREC].median_ns / res[FUTEX].median_ns);
	fflush(stdout);
	return 0;
}

static int test_rtt(void)
{
	cpu_set_t set;
	int first = -1, second = -1, i;

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
	/* A 20000-round run takes seconds; let a slow machine finish. */
	alarm(600);
	if (run_placement("same", first, first, iters))
		return 1;
	if (second < 0)
		note("one CPU: no cpus=split measurement");
	else if (run_placement("split", first, second, iters))
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
