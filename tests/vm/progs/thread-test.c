// SPDX-License-Identifier: MIT
/*
 * thread-test: the module's IPC rules for a process with several threads
 * (tests/vm/suites/13-threads.sh), through raw ioctls on /dev/mxsys, with
 * the fake-RS harness of lib/mxtest.h: each test forks children, and a
 * child runs several threads on its one bound file.
 *
 *   thread-test SUBCOMMAND   one of the names in `tests` below
 *   thread-test list         the names, one a line
 *
 * Each rule of the uapi header's THREADS section has a test here that an
 * implementation without it fails (a reply taken by a receiving thread
 * leaves its caller hanging until the harness's alarm, for example).
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"

/* Message types of the tests' little protocols. */
enum {
	T_REQUEST = 7,		/* value v: answer T_REPLY with v + 1 */
	T_REPLY = 8,
	T_GO = 9,		/* go on with the next step */
	T_PUSH = 10,		/* unsolicited message to a receiver */
	T_NOREPLY = 20,
	T_LATE = 21,
};

/* ---- threads of one child ---- */

struct worker {
	pthread_t thread;
	atomic_int tid;
	int fd;
	int32_t peer;			/* whom the call is for */
	uint64_t value;			/* what it sends */
	int (*fn)(struct worker *w);
	atomic_bool done;
	int result;			/* fn's: 0 as expected */
	int ret;			/* of the last call */
	struct mxsys_message msg;	/* what the last call received */
	uint32_t status;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	atomic_store(&w->tid, (int)syscall(SYS_gettid));
	w->result = w->fn(w);
	atomic_store(&w->done, true);
	return NULL;
}

static bool start_worker(struct worker *w, int (*fn)(struct worker *), int fd,
			 int32_t peer, uint64_t value)
{
	int err;

	w->fn = fn;
	w->fd = fd;
	w->peer = peer;
	w->value = value;
	atomic_store(&w->tid, 0);
	atomic_store(&w->done, false);
	err = pthread_create(&w->thread, NULL, worker_main, w);
	if (err) {
		note("pthread_create: %s", strerror(err));
		return false;
	}
	while (!atomic_load(&w->tid))
		usleep(100);
	return true;
}

/* fn's result; the thread is gone afterwards. */
static int join_worker(struct worker *w)
{
	pthread_join(w->thread, NULL);
	return w->result;
}

/*
 * Wait until thread @tid of this process sleeps in ioctl(@request):
 * /proc reads a woken or preempted thread as running, so a thread seen
 * there is blocked in the module (the harness's alarm ends a test that
 * waits forever).
 */
static void await_thread_blocked(int tid, unsigned long request)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	for (;;) {
		unsigned long fd, req;
		long nr = -1;
		FILE *f = fopen(path, "r");
		int n = 0;

		if (f) {
			n = fscanf(f, "%ld %lx %lx", &nr, &fd, &req);
			fclose(f);
		}
		if (n == 3 && nr == SYS_ioctl && req == request)
			return;
		usleep(1000);
	}
}

/* Worker bodies: one call each, its outcome kept in the worker. */
static int receive_any(struct worker *w)
{
	w->ret = ipc(w->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &w->msg, &w->status);
	return w->ret;
}

static int receive_peer(struct worker *w)
{
	w->ret = ipc(w->fd, MXSYS_IOC_RECEIVE, w->peer, &w->msg, &w->status);
	return w->ret;
}

/* SENDREC T_REQUEST(value) to peer; 0 when T_REPLY(value + 1) came back. */
static int sendrec_value(struct worker *w)
{
	w->msg = make_msg(T_REQUEST, w->value);
	w->ret = ipc(w->fd, MXSYS_IOC_SENDREC, w->peer, &w->msg, NULL);
	if (w->ret)
		return w->ret;
	if (w->msg.m_source != w->peer || w->msg.m_type != T_REPLY ||
	    w->msg.m_u64[0] != w->value + 1) {
		note("sendrec(%llu): reply from %d type %d value %llu",
		     (unsigned long long)w->value, w->msg.m_source,
		     w->msg.m_type, (unsigned long long)w->msg.m_u64[0]);
		return 1;
	}
	return 0;
}

/* ---- messages ---- */

static bool send_value(int fd, int32_t to, int32_t type, uint64_t value)
{
	struct mxsys_message m = make_msg(type, value);

	return expect_ret("send", ipc(fd, MXSYS_IOC_SEND, to, &m, NULL), 0);
}

/* Receive from @from (or ANY); true if it is @type from @want_src. */
static bool receive_type(int fd, int32_t from, int32_t want_src, int32_t type,
			 struct mxsys_message *m)
{
	uint32_t status;

	if (!expect_ret("receive", ipc(fd, MXSYS_IOC_RECEIVE, from, m, &status), 0))
		return false;
	if (m->m_source == want_src && m->m_type == type)
		return true;
	note("received type %d from %d, expected type %d from %d",
	     m->m_type, m->m_source, type, want_src);
	return false;
}

/* Serve one T_REQUEST from anyone; its sender in *from. */
static bool answer_one(int fd, int32_t *from)
{
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret("receive request",
			ipc(fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0))
		return false;
	if (m.m_type != T_REQUEST) {
		note("expected a request, got type %d from %d", m.m_type,
		     m.m_source);
		return false;
	}
	if (from)
		*from = m.m_source;
	return send_value(fd, m.m_source, T_REPLY, m.m_u64[0] + 1);
}

static bool got(const struct worker *w, const char *what, int32_t src,
		int32_t type, uint64_t value)
{
	if (w->ret == 0 && w->msg.m_source == src && w->msg.m_type == type &&
	    w->msg.m_u64[0] == value)
		return true;
	note("%s: ret %s, type %d from %d value %llu; expected type %d from %d value %llu",
	     what, err_name(w->ret), w->msg.m_type, w->msg.m_source,
	     (unsigned long long)w->msg.m_u64[0], type, src,
	     (unsigned long long)value);
	return false;
}

/* ---- reply-to-caller: a reply goes to its SENDREC, not to receivers ---- */

static int reply_client(struct child *self)
{
	struct worker any = { 0 }, from_x = { 0 }, caller = { 0 };
	int32_t x = eps[1];

	/* Two receivers block first; either would take X's reply if it could. */
	if (!start_worker(&any, receive_any, self->fd, 0, 0))
		return 1;
	await_thread_blocked(any.tid, MXSYS_IOC_RECEIVE);
	if (!start_worker(&from_x, receive_peer, self->fd, x, 0))
		return 1;
	await_thread_blocked(from_x.tid, MXSYS_IOC_RECEIVE);

	if (!start_worker(&caller, sendrec_value, self->fd, x, 41) ||
	    join_worker(&caller))
		return 1;
	if (atomic_load(&any.done) || atomic_load(&from_x.done)) {
		note("a receiving thread returned with the reply's arrival");
		return 1;
	}
	/* Then X's own messages: the oldest receiver first. */
	if (!send_value(self->fd, x, T_GO, 0))
		return 1;
	join_worker(&any);
	join_worker(&from_x);
	return !(got(&any, "receiver from ANY", x, T_PUSH, 1) &&
		 got(&from_x, "receiver from X", x, T_PUSH, 2));
}

static int reply_server(struct child *self)
{
	struct mxsys_message m;
	int32_t client = eps[0];

	return !(answer_one(self->fd, NULL) &&
		 receive_type(self->fd, client, client, T_GO, &m) &&
		 send_value(self->fd, client, T_PUSH, 1) &&
		 send_value(self->fd, client, T_PUSH, 2));
}

static int test_reply_to_caller(void)
{
	static const role_fn roles[] = { reply_client, reply_server };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- not-a-reply: notifications and SENDA_NOREPLY go to receivers ---- */

static int noreply_client(struct child *self)
{
	struct worker rcv = { 0 };
	int32_t x = eps[1];
	struct mxsys_message m;
	uint32_t status;

	/*
	 * X answers our request with a notify, a SENDA_NOREPLY and a SENDA:
	 * only the last is the reply.
	 */
	if (!receive_type(self->fd, x, x, T_GO, &m))
		return 1;
	m = make_msg(T_REQUEST, 1);
	if (!expect_ret("sendrec", ipc(self->fd, MXSYS_IOC_SENDREC, x, &m, &status), 0))
		return 1;
	if (m.m_type != T_LATE || MXSYS_STATUS_CALL(status) != MXSYS_CALL_SENDA) {
		note("sendrec's reply: type %d call %u, expected the SENDA (type %d)",
		     m.m_type, status, T_LATE);
		return 1;
	}
	/* What was not a reply waits for a receiver: the notify first. */
	if (!start_worker(&rcv, receive_any, self->fd, 0, 0))
		return 1;
	join_worker(&rcv);
	if (rcv.ret || rcv.msg.m_source != x ||
	    MXSYS_STATUS_CALL(rcv.status) != MXSYS_CALL_NOTIFY) {
		note("first receive: %s, call %u from %d, expected X's notify",
		     err_name(rcv.ret), rcv.status, rcv.msg.m_source);
		return 1;
	}
	if (!receive_type(self->fd, MXSYS_ANY, x, T_NOREPLY, &m))
		return 1;
	return !send_value(self->fd, x, T_GO, 0);
}

static int noreply_server(struct child *self)
{
	int32_t client = eps[0];
	struct mxsys_message m;
	uint32_t status;

	if (!send_value(self->fd, client, T_GO, 0) ||
	    !receive_type(self->fd, client, client, T_REQUEST, &m))
		return 1;
	m = make_msg(T_NOREPLY, 0);
	if (!expect_ret("notify", ipc(self->fd, MXSYS_IOC_NOTIFY, client, NULL, NULL), 0) ||
	    !expect_ret("senda noreply",
			ipc(self->fd, MXSYS_IOC_SENDA_NOREPLY, client, &m, NULL), 0))
		return 1;
	m = make_msg(T_LATE, 0);
	if (!expect_ret("senda", ipc(self->fd, MXSYS_IOC_SENDA, client, &m, NULL), 0))
		return 1;
	/* Stay until the client has all three: its slot keeps our notify. */
	return !(expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, client, &m, &status), 0) &&
		 m.m_type == T_GO);
}

static int test_not_a_reply(void)
{
	static const role_fn roles[] = { noreply_client, noreply_server };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- one-sendrec-per-peer: a server sees one request per client ---- */

#define SERIAL_THREADS	4
#define SERIAL_ROUNDS	50

static int serial_thread(struct worker *w)
{
	for (int i = 0; i < SERIAL_ROUNDS; i++) {
		w->value = ((uint64_t)w->tid << 20) | (uint64_t)i;
		if (sendrec_value(w))
			return 1;
	}
	return 0;
}

static int serial_client(struct child *self)
{
	struct worker w[SERIAL_THREADS] = { 0 };
	int failed = 0, i;

	for (i = 0; i < SERIAL_THREADS; i++)
		if (!start_worker(&w[i], serial_thread, self->fd, eps[1], 0))
			return 1;
	for (i = 0; i < SERIAL_THREADS; i++)
		failed |= join_worker(&w[i]);
	return failed;
}

static int serial_server(struct child *self)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct mxsys_message m;
	uint32_t status;

	for (int i = 0; i < SERIAL_THREADS * SERIAL_ROUNDS; i++) {
		if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0))
			return 1;
		/* The client's other requests wait in the client, not here. */
		if (poll(&pfd, 1, 0) != 0) {
			note("request %d: another request of the client is queued too", i);
			return 1;
		}
		if (!send_value(self->fd, m.m_source, T_REPLY, m.m_u64[0] + 1))
			return 1;
	}
	return 0;
}

static int test_one_sendrec_per_peer(void)
{
	static const role_fn roles[] = { serial_client, serial_server };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- receivers-in-order: oldest receiver first, none starves ---- */

#define FIFO_THREADS	3
#define FIFO_ROUNDS	20

struct fifo_thread {
	struct worker w;
	uint64_t got[FIFO_ROUNDS];
	atomic_int count;
};

static int fifo_receiver(struct worker *w)
{
	struct fifo_thread *t = (struct fifo_thread *)w;

	for (int r = 0; r < FIFO_ROUNDS; r++) {
		if (receive_any(w) || w->msg.m_type != T_PUSH)
			return 1;
		t->got[r] = w->msg.m_u64[0];
		atomic_fetch_add(&t->count, 1);
	}
	return 0;
}

static int fifo_client(struct child *self)
{
	struct fifo_thread t[FIFO_THREADS];
	int i, r;

	memset(t, 0, sizeof(t));
	/* Block one after the other: that is their order of arrival. */
	for (i = 0; i < FIFO_THREADS; i++) {
		if (!start_worker(&t[i].w, fifo_receiver, self->fd, 0, 0))
			return 1;
		await_thread_blocked(t[i].w.tid, MXSYS_IOC_RECEIVE);
	}
	for (r = 0; r < FIFO_ROUNDS; r++) {
		/* All three wait before each burst of three messages. */
		for (i = 0; i < FIFO_THREADS; i++) {
			while (atomic_load(&t[i].count) < r)
				usleep(100);
			await_thread_blocked(t[i].w.tid, MXSYS_IOC_RECEIVE);
		}
		if (!send_value(self->fd, eps[1], T_GO, (uint64_t)r))
			return 1;
	}
	for (i = 0; i < FIFO_THREADS; i++)
		if (join_worker(&t[i].w))
			return 1;
	/* The first burst in the order the threads blocked. */
	for (i = 0; i < FIFO_THREADS; i++) {
		if (t[i].got[0] != (uint64_t)i) {
			note("thread %d blocked %d-th but got message %llu first",
			     i, i + 1, (unsigned long long)t[i].got[0]);
			return 1;
		}
	}
	/* Then one message of every burst each: nobody starves. */
	for (i = 0; i < FIFO_THREADS; i++) {
		for (r = 0; r < FIFO_ROUNDS; r++) {
			if (t[i].got[r] / FIFO_THREADS != (uint64_t)r) {
				note("thread %d: message %llu in round %d",
				     i, (unsigned long long)t[i].got[r], r);
				return 1;
			}
		}
	}
	return 0;
}

static int fifo_server(struct child *self)
{
	struct mxsys_message m;

	for (int r = 0; r < FIFO_ROUNDS; r++) {
		if (!receive_type(self->fd, eps[0], eps[0], T_GO, &m))
			return 1;
		for (int i = 0; i < FIFO_THREADS; i++) {
			m = make_msg(T_PUSH, (uint64_t)(r * FIFO_THREADS + i));
			if (!expect_ret("senda", ipc(self->fd, MXSYS_IOC_SENDA, eps[0], &m, NULL), 0))
				return 1;
		}
	}
	return 0;
}

static int test_receivers_in_order(void)
{
	static const role_fn roles[] = { fifo_client, fifo_server };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- deadlock: ELOCKED only when no thread can take the message ---- */

/* Until a receive would not block: a sender waits in our slot. */
static void await_queued(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, 10) != 1)
		;
}

/*
 * X is blocked sending to S while S's other thread receives from Y only:
 * S's SENDREC to X is no deadlock (that thread may yet take X's message),
 * and it completes once it does.
 */
static int nolock_x(struct child *self)
{
	/* Blocks until S's second receive takes it, then serves S. */
	return !(send_value(self->fd, eps[0], T_PUSH, 30) &&
		 answer_one(self->fd, NULL));
}

static int nolock_y(struct child *self)
{
	struct mxsys_message m;

	if (!order_wait() || !send_value(self->fd, eps[0], T_PUSH, 31))
		return 1;
	/* S's receiver, freed, now takes X's message from the queue. */
	return !receive_type(self->fd, eps[0], eps[0], T_GO, &m);
}

/* S's receiver thread, after Y's message, takes X's and frees Y. */
static int nolock_s_then(struct worker *w)
{
	if (receive_peer(w) || !got(w, "from Y", w->peer, T_PUSH, 31))
		return 1;
	w->peer = MXSYS_ANY;
	if (receive_peer(w) || w->msg.m_type != T_PUSH || w->msg.m_u64[0] != 30) {
		note("second receive: type %d value %llu, expected X's 30",
		     w->msg.m_type, (unsigned long long)w->msg.m_u64[0]);
		return 1;
	}
	return !send_value(w->fd, eps[2], T_GO, 0);
}

static int nolock_s(struct child *self)
{
	struct worker rcv = { 0 };
	struct mxsys_message m = make_msg(T_REQUEST, 5);

	if (!start_worker(&rcv, nolock_s_then, self->fd, eps[2], 0))
		return 1;
	await_thread_blocked(rcv.tid, MXSYS_IOC_RECEIVE);
	await_queued(self->fd);
	if (!expect_ret("sendrec to a sender", ipc(self->fd, MXSYS_IOC_SENDREC, eps[1], &m, NULL), 0))
		return 1;
	if (m.m_type != T_REPLY || m.m_u64[0] != 6) {
		note("reply type %d value %llu", m.m_type, (unsigned long long)m.m_u64[0]);
		return 1;
	}
	return join_worker(&rcv);
}

/*
 * Every thread of S waits on X (one sending to it, the new one held
 * behind it) while X is blocked sending to S: that is a deadlock, and
 * the call that closes it fails; S then takes X's message itself.
 */
static int lock_s(struct child *self)
{
	struct worker first = { 0 };
	struct mxsys_message m = make_msg(T_REQUEST, 1);
	int ret;

	await_queued(self->fd);
	if (!start_worker(&first, sendrec_value, self->fd, eps[1], 1))
		return 1;
	await_thread_blocked(first.tid, MXSYS_IOC_SENDREC);
	ret = ipc(self->fd, MXSYS_IOC_SENDREC, eps[1], &m, NULL);
	if (!expect_ret("sendrec closing the cycle", ret, -MXSYS_ELOCKED))
		return 1;
	if (!receive_type(self->fd, eps[1], eps[1], T_PUSH, &m))
		return 1;
	return join_worker(&first);
}

static int lock_x(struct child *self)
{
	return !(send_value(self->fd, eps[0], T_PUSH, 30) &&
		 answer_one(self->fd, NULL));
}

static int test_no_false_deadlock(void)
{
	static const role_fn roles[] = { nolock_s, nolock_x, nolock_y };

	if (start_children(3, roles, true))
		return 1;
	if (await_blocked(&children[0], MXSYS_IOC_SENDREC))
		return 1;
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

static int test_deadlock_all_threads(void)
{
	static const role_fn roles[] = { lock_s, lock_x };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- signals: each thread's interrupted SENDREC is parked on its own ---- */

static int handler_pipe[2];

static void note_handler(int sig)
{
	int tid = (int)syscall(SYS_gettid);

	(void)sig;
	if (write(handler_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		_exit(3);
}

static int park_s(struct child *self)
{
	struct sigaction sa = { .sa_handler = note_handler };
	struct worker to_x = { 0 }, to_y = { 0 };
	struct mxsys_message m;
	int tids[2];

	if (pipe(handler_pipe) < 0 || sigaction(SIGUSR1, &sa, NULL) < 0)
		return 1;
	if (!start_worker(&to_x, sendrec_value, self->fd, eps[1], 100) ||
	    !start_worker(&to_y, sendrec_value, self->fd, eps[2], 200))
		return 1;
	/* X and Y notify once they hold the requests. */
	for (int i = 1; i <= 2; i++) {
		if (!expect_ret("receive notify", ipc(self->fd, MXSYS_IOC_RECEIVE, eps[i], &m, NULL), 0))
			return 1;
	}
	await_thread_blocked(to_x.tid, MXSYS_IOC_SENDREC);
	await_thread_blocked(to_y.tid, MXSYS_IOC_SENDREC);
	pthread_kill(to_x.thread, SIGUSR1);
	pthread_kill(to_y.thread, SIGUSR1);
	/* Both handlers run now, with both replies still to come. */
	for (int i = 0; i < 2; i++)
		if (read(handler_pipe[0], &tids[i], sizeof(tids[i])) != sizeof(tids[i]))
			return 1;
	if (!((tids[0] == to_x.tid && tids[1] == to_y.tid) ||
	      (tids[0] == to_y.tid && tids[1] == to_x.tid))) {
		note("handlers ran in threads %d and %d", tids[0], tids[1]);
		return 1;
	}
	if (atomic_load(&to_x.done) || atomic_load(&to_y.done)) {
		note("a sendrec returned before its reply");
		return 1;
	}
	if (!send_value(self->fd, eps[1], T_GO, 0) ||
	    !send_value(self->fd, eps[2], T_GO, 0))
		return 1;
	return join_worker(&to_x) || join_worker(&to_y);
}

static int park_server(struct child *self)
{
	struct mxsys_message m, req;
	uint32_t status;

	if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, eps[0], &req, &status), 0) ||
	    !expect_ret("notify", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[0], NULL, NULL), 0) ||
	    !receive_type(self->fd, eps[0], eps[0], T_GO, &m))
		return 1;
	return !send_value(self->fd, eps[0], T_REPLY, req.m_u64[0] + 1);
}

static int test_park_per_thread(void)
{
	static const role_fn roles[] = { park_s, park_server, park_server };

	if (start_children(3, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- stop: SIGSTOP stops every thread wherever it is blocked ---- */

static int stop_s(struct child *self)
{
	struct worker rcv = { 0 }, first = { 0 }, held = { 0 };
	int failed;

	if (!start_worker(&rcv, receive_any, self->fd, 0, 0) ||
	    !start_worker(&first, sendrec_value, self->fd, eps[1], 10))
		return 1;
	await_thread_blocked(first.tid, MXSYS_IOC_SENDREC);
	if (!start_worker(&held, sendrec_value, self->fd, eps[1], 20))
		return 1;
	await_thread_blocked(held.tid, MXSYS_IOC_SENDREC);
	await_thread_blocked(rcv.tid, MXSYS_IOC_RECEIVE);
	sync_signal();
	failed = join_worker(&first) | join_worker(&held) | join_worker(&rcv);
	return failed || !got(&rcv, "receiver", eps[1], T_PUSH, 3);
}

static int stop_x(struct child *self)
{
	struct mxsys_message m;

	/* The first request is in hand (its reply pending) during the stop. */
	if (!receive_type(self->fd, eps[0], eps[0], T_REQUEST, &m) ||
	    !order_wait())
		return 1;
	return !(send_value(self->fd, eps[0], T_REPLY, m.m_u64[0] + 1) &&
		 answer_one(self->fd, NULL) &&
		 send_value(self->fd, eps[0], T_PUSH, 3));
}

/* Every thread of @pid in state @want ('T' stopped, 'S' sleeping). */
static bool all_threads(pid_t pid, char want)
{
	char path[300];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return false;
	while ((d = readdir(dir))) {
		char state = '?';
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid,
			 d->d_name);
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
				state = '?';
			fclose(f);
		}
		if (state != want)
			break;
		n++;
	}
	closedir(dir);
	return d == NULL && n > 0;
}

static int test_stop_threads(void)
{
	static const role_fn roles[] = { stop_s, stop_x };
	struct child *s = &children[0];

	if (start_children(2, roles, true))
		return 1;
	sync_wait();
	if (kill(s->pid, SIGSTOP) < 0)
		return fail("kill: %s", strerror(errno));
	while (!all_threads(s->pid, 'T'))
		usleep(1000);
	if (kill(s->pid, SIGCONT) < 0)
		return fail("kill: %s", strerror(errno));
	while (!all_threads(s->pid, 'S'))
		usleep(1000);
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- death: each waiting thread gets EDEADSRCDST or its reply, once ---- */

#define DEATH_C1_THREADS	4
#define DEATH_C2_THREADS	2

static int death_incarnation;	/* set by the parent before each (re)fork */
static atomic_int death_held;

static int hold_request(struct worker *w)
{
	if (receive_any(w) || w->msg.m_type != T_REQUEST)
		return 1;
	atomic_fetch_add(&death_held, 1);
	pause();	/* holds it until killed */
	return 0;
}

static int death_server(struct child *self)
{
	struct worker hold[3] = { 0 };

	if (death_incarnation == 0) {
		/*
		 * Three threads take what comes: one request of each client,
		 * whose other threads wait in their own slot.
		 */
		for (int i = 0; i < 3; i++)
			if (!start_worker(&hold[i], hold_request, self->fd, 0, 0))
				return 1;
		while (atomic_load(&death_held) < 2)
			usleep(1000);
		usleep(100 * 1000);
		if (atomic_load(&death_held) != 2) {
			note("%d requests in hand, expected one per client",
			     atomic_load(&death_held));
			return 1;
		}
		sync_signal();
		pause();
		return 1;
	}
	/* The next process serves the requests held back in the clients. */
	for (int i = 0; i < DEATH_C1_THREADS + DEATH_C2_THREADS - 2; i++)
		if (!answer_one(self->fd, NULL))
			return 1;
	return 0;
}

static int death_client(struct child *self)
{
	int n = self->index == 1 ? DEATH_C1_THREADS : DEATH_C2_THREADS;
	struct worker w[DEATH_C1_THREADS] = { 0 };
	int dead = 0, replied = 0;

	for (int i = 0; i < n; i++)
		if (!start_worker(&w[i], sendrec_value, self->fd, eps[0],
				  (uint64_t)(self->index * 100 + i)))
			return 1;
	for (int i = 0; i < n; i++) {
		int r = join_worker(&w[i]);

		if (r == -MXSYS_EDEADSRCDST)
			dead++;
		else if (r == 0)
			replied++;
		else
			return 1;
	}
	if (dead != 1 || replied != n - 1) {
		note("%d EDEADSRCDST and %d replies of %d calls; expected 1 and %d",
		     dead, replied, n, n - 1);
		return 1;
	}
	return 0;
}

static int test_death_threads(void)
{
	static const role_fn roles[] = { death_server, death_client, death_client };
	struct child *server = &children[0];

	death_incarnation = 0;
	if (start_children(3, roles, true))
		return 1;
	sync_wait();
	if (kill(server->pid, SIGKILL) < 0)
		return fail("kill: %s", strerror(errno));
	if (await_death(server))
		return 1;
	death_incarnation = 1;
	if (respawn_child(server))
		return 1;
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- a dead caller's reply does not reach its endpoint's next process ---- */

static int orphan_incarnation;	/* set by the parent before each (re)fork */
static atomic_int orphan_answering;	/* thread A started answering the dead */

static int orphan_second_thread(struct worker *w)
{
	/* The next process's request may come only after the dead one's answer. */
	if (receive_any(w) || w->msg.m_type != T_REQUEST)
		return 1;
	if (!atomic_load(&orphan_answering)) {
		note("the next process's request reached the server while the dead one's was still in hand");
		return 1;
	}
	return !send_value(w->fd, w->msg.m_source, T_REPLY, w->msg.m_u64[0] + 1);
}

static int orphan_server(struct child *self)
{
	struct worker b = { 0 };
	struct mxsys_message m, reply;
	int ret;

	if (!receive_type(self->fd, MXSYS_ANY, eps[1], T_REQUEST, &m) || m.m_u64[0] != 1 ||
	    !start_worker(&b, orphan_second_thread, self->fd, 0, 0))
		return 1;
	await_thread_blocked(b.tid, MXSYS_IOC_RECEIVE);
	sync_signal();		/* in hand: the parent kills the caller */
	if (!order_wait())
		return 1;
	atomic_store(&orphan_answering, 1);
	reply = make_msg(T_REPLY, 2);
	ret = ipc(self->fd, MXSYS_IOC_SENDNB, m.m_source, &reply, NULL);
	if (!expect_ret("the answer to a dead caller", ret, -MXSYS_EDEADSRCDST))
		return 1;
	return join_worker(&b);
}

static int orphan_client(struct child *self)
{
	struct worker w = { .fd = self->fd, .peer = eps[0] };

	w.value = orphan_incarnation ? 2 : 1;
	/* The first process dies waiting; the next gets its own answer, 3. */
	return sendrec_value(&w);
}

static int test_reply_of_a_dead_caller(void)
{
	static const role_fn roles[] = { orphan_server, orphan_client };
	struct child *client = &children[1];

	orphan_incarnation = 0;
	if (start_children(2, roles, true))
		return 1;
	sync_wait();
	if (kill(client->pid, SIGKILL) < 0)
		return fail("kill: %s", strerror(errno));
	if (await_death(client))
		return 1;
	orphan_incarnation = 1;
	if (respawn_child(client) || await_blocked(client, MXSYS_IOC_SENDREC))
		return 1;
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

static const struct mxt_test tests[] = {
	{ "reply-to-caller", test_reply_to_caller },
	{ "not-a-reply", test_not_a_reply },
	{ "one-sendrec-per-peer", test_one_sendrec_per_peer },
	{ "receivers-in-order", test_receivers_in_order },
	{ "no-false-deadlock", test_no_false_deadlock },
	{ "deadlock-all-threads", test_deadlock_all_threads },
	{ "park-per-thread", test_park_per_thread },
	{ "stop-threads", test_stop_threads },
	{ "death-threads", test_death_threads },
	{ "reply-of-a-dead-caller", test_reply_of_a_dead_caller },
};

int main(int argc, char **argv)
{
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "thread-test");
}
