// SPDX-License-Identifier: MIT
/*
 * stress-test: a randomized exactly-once test of mxsys IPC while services
 * die and their slots are swapped (tests/vm/suites/50-stress.sh), with
 * clients and servers that each run several threads.
 *
 *   stress-test list
 *   stress-test stress [seed=N] [ops=K] [actions=A] [fill=N|max]
 *                      [threads=T] [client_threads=T] [server_threads=T]
 *
 * The program is a fake RS (lib/mxtest.h). It starts NR_SERVERS servers and
 * NR_CLIENTS clients, each allowed to send to every other. Every client
 * has a plan of K operations (ops=, default 2000), each to a random server
 * with a random call: SENDREC 30%, SEND 25%, SENDA 20%, SENDNB 15%, NOTIFY
 * 10%; one op in BURST_ODDS starts a burst of 64 to 127 SENDAs to one
 * server. A request carries its id, sender << 32 | seq, and the endpoint it
 * was sent to.
 *
 * THREADS. Each client process runs client_threads threads, each server
 * process server_threads (threads= sets both; default DEFAULT_THREADS, at
 * most MAX_THREADS; threads=1 is the single-threaded test). Thread t of a
 * client makes ops t, t + T, t + 2T, ... of its plan, one after the other,
 * so that a client has up to T calls in flight, to one server or to
 * several: two SENDRECs of one client to one server wait for each other in
 * the module (one SENDREC per destination per slot), other calls do not.
 * Every server thread receives from ANY, each receive into its own entry
 * of the receive log (below), and answers a SENDREC with SENDNB, the reply
 * carrying the request's id; one SENDREC in SLOW_REPLY_ODDS only after up
 * to SLOW_REPLY_US (the id decides), as a busy server would, so that kills
 * and swaps find requests in hand and a client's threads queue for one
 * server. One server process thus has up to T messages in hand at once.
 *
 * Meanwhile RS takes A actions (actions=, default 300), spread over the
 * run by the clients' progress. Each picks a random server and
 *   kills it (40%): SIGKILL, its death report (GETKSIG), and, after up to
 *     DOWNTIME_US, a new process on the same endpoint (SET_SYS with the
 *     endpoint, ALLOW);
 *   swaps it (40%): a new process in a spare slot (SET_SYS, not allowed),
 *     UPDATE(server, spare), retried while it says -EBUSY (the server is
 *     not quiescent: a thread runs or a reply is owed), after up to
 *     DOWNTIME_US ALLOW of the server endpoint (now the new process),
 *     SIGKILL of the old process, now in the spare slot, its death report
 *     (for the spare endpoint), CLEAR of the spare;
 *   or holds it (20%): DISALLOW, then SENDAs from RS itself until the
 *     first -EAGAIN (MXSYS_SENDA_MAX queued), then ALLOW after up to
 *     DOWNTIME_US or a kill as above (half each; see act() for why a
 *     held server is not swapped).
 * One action in CLIENT_KILL_ODDS also kills a random client and starts a
 * new process on its endpoint, whose threads go on with their shares of
 * the client's plan, each after the op the old process's thread was in
 * (drawn up front, the plan does not depend on which process runs it);
 * each of those ops is "cut short": its outcome is unknown. No endpoint is
 * cleared before the end. Clients wait at a gate a few operations past the
 * next action, so that every run takes all of its actions whatever the
 * speed of the machine. Once every client is done, RS sends each server
 * one QUIT per thread (SEND: queued behind whatever its slot still holds;
 * a thread stops receiving after its QUIT, so each goes to another
 * thread); the servers exit and the logs are checked.
 *
 * The seed (seed=, else from the clock) is printed and fixes the clients'
 * plans and RS's actions, not the interleaving. fill=N first prepares N
 * idle slots (fill=max: all but those the test needs, from the module's
 * nr_slots), so that the test runs in the last slots of the table.
 *
 * LOGS. A process SIGKILLed just after a message reached it never runs
 * another instruction, so nothing it would write after its receive can
 * be relied on. The receive buffer itself is the log: each receive of a
 * server thread goes into a fresh entry of an array shared with RS
 * (MAP_SHARED; entries handed out by an atomic counter shared by every
 * thread of every process), so the module's copy-out records every message
 * the moment the receive completes (the ioctl, copy-out included, finishes
 * before a pending SIGKILL takes effect; the entry was written just
 * before, so its page is present). Each entry also holds the instance and
 * thread that received (written before the call), the endpoint WHOAMI
 * gives after it, another request from the same client endpoint the
 * process had in hand when it took a SENDREC, and the result of the
 * reply. Clients log every operation (call, destination, result, reply)
 * in another shared array.
 *
 * INVARIANTS, checked once everything has stopped ("received" = a filled
 * entry, by any process of the endpoint):
 *  1. Every message received is one that was sent: a request from the
 *     sender (client or RS) that made its id, through the call it used, to
 *     the endpoint it chose, received by a process of that endpoint and
 *     (when it got to run WHOAMI) in that endpoint's slot; a notify from a
 *     client; or RS's QUIT. (With several server threads, a swap may come
 *     between one thread's receive and its WHOAMI: UPDATE sees the other
 *     threads blocked receiving, and a thread that runs is not the
 *     module's to see. WHOAMI may then give the spare slot the process was
 *     swapped into, and only that one; such entries are counted.)
 *  2. Every result is one the spec allows here: SEND 0 (a dead destination
 *     keeps its queued senders for its next process and is never
 *     cleared), SENDREC 0 or EDEADSRCDST (the process that took the
 *     request died before it answered), SENDNB 0 or ENOTREADY, SENDA 0 or
 *     EAGAIN (MXSYS_SENDA_MAX of the sender's queued), NOTIFY 0.
 *  3. Exactly once: a SEND, SENDREC, SENDNB or SENDA that returned 0 was
 *     received exactly once; so was a SENDREC that failed with EDEADSRCDST
 *     (that error only reaches a caller whose request was taken, as
 *     nothing here clears a server slot or its IPC references; a SENDREC
 *     held behind another thread's goes to the next process); a send that
 *     failed otherwise (ENOTREADY, EAGAIN) was never received; an op cut
 *     short was received at most once. So nothing queued on a slot,
 *     blocked senders or SENDA, is lost or duplicated when its process
 *     dies or is swapped out: a later process of the endpoint receives
 *     it; and a SENDA stays good when its sender dies.
 *  4. A SENDREC that returned 0 got its own answer: from its destination,
 *     through SENDNB, carrying its id, so the reply reached the thread
 *     that asked and no other. Every reply a server sent succeeded (its
 *     caller was waiting for it), but for a caller killed while it
 *     waited: the module drops that answer and says EDEADSRCDST (the
 *     slot's next process must not take it; ENOTREADY only if the module
 *     had no memory to remember it).
 *  5. Notifies are coalesced per source, so only bounds hold: from each
 *     client to each server, at least one was received if any was sent,
 *     and no more than were sent (counting the cut short ones).
 *  6. Each server endpoint received each of its QUITs exactly once and had
 *     nothing pending after the last (poll), so every queue was drained.
 *     Every kill gave exactly one death report, for the endpoint the
 *     process was in at the time (the spare after a swap), with its pid
 *     and SIGKILL (or, for a client that finished first, its exit); every
 *     client and server that exited gave one with its exit status.
 *  7. UPDATE gives 0 or -EBUSY; every other call RS makes succeeds (its
 *     SENDAs: 0 until the first -EAGAIN, which ends the series).
 *  8. One SENDREC per destination per slot: a server process never has
 *     two SENDRECs of one client endpoint in hand at once (each server
 *     process notes, per client, the request it took and has not yet
 *     answered; it forgets it just before the SENDNB, after which the
 *     client may send the next). The one exception is a request of a
 *     killed client process (cut short), which the endpoint's next process
 *     does not wait for (should the old request's answer then reach the
 *     new process's SENDREC, 4 says so).
 * Nothing is timed for a verdict. A watchdog (SIGALRM, re-armed whenever
 * something moves) turns a hang into a FAIL line that says where.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>

#include "mxtest.h"

#define NR_SERVERS	6
#define NR_CLIENTS	10
#define SPARE		(NR_SERVERS + NR_CLIENTS)	/* in children[] */
#define MAX_INSTANCES	4096	/* server processes in one run */
#define HANG_S		60	/* watchdog: nothing moved for this long */
#define MAX_NOTES	10	/* violations explained one by one */
#define BURST_ODDS	1000	/* 1 in this many ops starts a SENDA burst */
#define DOWNTIME_US	5000	/* at most, between a death and a restart */
#define RS_SENDER	NR_CLIENTS	/* in ids: RS's own SENDAs */
#define CLIENT_KILL_ODDS 5	/* 1 action in this many also kills a client */
#define MAX_THREADS	8	/* of a client or server process */
#define DEFAULT_THREADS	3
#define SLOW_REPLY_ODDS	8	/* 1 SENDREC in this many is answered late */
#define SLOW_REPLY_US	2000	/* at most this late */

#define REQ_TYPE	0x5301
#define REPLY_TYPE	0x5302
#define QUIT_TYPE	0x5303
#define NOT_YET		1	/* rx: WHOAMI or reply not tried (yet) */
#define INTERRUPTED	1	/* op: its client was killed during it */

_Static_assert(SPARE < MAX_CHILDREN, "raise MAX_CHILDREN in mxtest.h");

/* Options. */
static unsigned long long seed;
static unsigned int nr_ops = 2000;
static unsigned int nr_actions = 300;
static long fill_arg;		/* idle slots to prepare; -1: as many as fit */
static unsigned int client_threads = DEFAULT_THREADS;
static unsigned int server_threads = DEFAULT_THREADS;

/* One client operation, written by the client. */
struct op {
	uint64_t id;
	uint64_t t_start;		/* CLOCK_MONOTONIC ns */
	int32_t dst;
	int32_t ret;			/* 0, -errno or INTERRUPTED */
	uint32_t call;			/* MXSYS_CALL_* */
	uint32_t server;		/* clients': index of dst */
	uint32_t reply_status;		/* SENDREC */
	struct mxsys_message reply;	/* SENDREC */
};

/* One receive of a server thread. */
struct rx {
	uint32_t inst;			/* written before the receive */
	uint32_t thread;		/* of the instance; likewise */
	int32_t who;			/* WHOAMI's endpoint after it */
	int32_t who_ret;		/* NOT_YET, or WHOAMI's result */
	int32_t reply_ret;		/* SENDREC: NOT_YET, or SENDNB's result */
	/*
	 * SENDREC: 1 + the id of another SENDREC from the same client
	 * endpoint that the process had in hand when this one came, else 0.
	 */
	uint64_t also_in_hand;
	struct mxsys_ipc ipc;		/* the module writes the message here */
};

/* One server process. */
struct instance {
	pid_t pid;
	int server;
	uint64_t t_start;	/* before its endpoint became its own */
	int ready;		/* set by the process, once bound */
	uint32_t quits;		/* QUITs its threads received */
	int leftover;		/* poll() after the last QUIT: something pending */
	int32_t swapped_to;	/* the spare endpoint UPDATE moved it to, or 0 */
};

struct shared {
	uint32_t nr_rx;				/* entries handed out */
	uint32_t gate;				/* clients stop at this op */
	/*
	 * The op each client thread makes next (t, t + T, ...; nr_ops or
	 * more when done), written by the thread once an op is over, and by
	 * RS when it restarts a killed client.
	 */
	uint32_t next_seq[NR_CLIENTS][MAX_THREADS];
	int client_ready[NR_CLIENTS];	/* its process is bound (RS resets) */
	struct instance inst[MAX_INSTANCES];
};

static struct shared *sh;
static struct op *ops;		/* [NR_CLIENTS][nr_ops] */
static struct rx *rxs;
static uint32_t rx_cap;
static int my_inst = -1;	/* set by RS before it forks a server */

/* RS's side. */
static unsigned int nr_inst;
static unsigned int cur[NR_SERVERS];	/* each server's current instance */
static uint64_t rs_rng;		/* the actions */
static uint64_t pause_rng;	/* RS's sleeps, apart: their number varies */
static const char *volatile phase = "setup";
static volatile pid_t killing;	/* the process RS waits for after a kill */
static const char *volatile kill_step = "";
static pid_t *filler_pids;
static int32_t *filler_eps;
static long nr_fillers;
static unsigned int kills, swaps, stalls, update_busy;
static unsigned int client_kills, interrupted;
static struct op *rs_ops;	/* RS's SENDAs while it holds a server */
static uint32_t rs_cap, rs_nops;

static const struct {
	uint32_t call;
	unsigned long request;
	unsigned int weight;	/* percent */
	const char *name;
} mix[] = {
	{ MXSYS_CALL_SENDREC, MXSYS_IOC_SENDREC, 30, "SENDREC" },
	{ MXSYS_CALL_SEND, MXSYS_IOC_SEND, 25, "SEND" },
	{ MXSYS_CALL_SENDA, MXSYS_IOC_SENDA, 20, "SENDA" },
	{ MXSYS_CALL_SENDNB, MXSYS_IOC_SENDNB, 15, "SENDNB" },
	{ MXSYS_CALL_NOTIFY, MXSYS_IOC_NOTIFY, 10, "NOTIFY" },
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return n ? splitmix(s) % n : 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static const char *call_name(uint32_t call)
{
	size_t k;

	for (k = 0; k < MXT_ARRAY_SIZE(mix); k++)
		if (mix[k].call == call)
			return mix[k].name;
	return "call?";
}

/* Ops client thread @t has finished when it is to make op @next_seq. */
static uint32_t thread_done(uint32_t next_seq, unsigned int t)
{
	return next_seq > t ? (next_seq - t) / client_threads : 0;
}

static uint64_t total_progress(void)
{
	uint64_t sum = 0;
	unsigned int c, t;

	for (c = 0; c < NR_CLIENTS; c++)
		for (t = 0; t < client_threads; t++)
			sum += thread_done(__atomic_load_n(&sh->next_seq[c][t],
							   __ATOMIC_ACQUIRE), t);
	return sum;
}

/* Has every thread of client @c made its last op? */
static bool client_done(unsigned int c)
{
	unsigned int t;

	for (t = 0; t < client_threads; t++)
		if (__atomic_load_n(&sh->next_seq[c][t], __ATOMIC_ACQUIRE) <
		    nr_ops)
			return false;
	return true;
}

/* The client at endpoint @ep (in the table every process has), or -1. */
static int client_of(int32_t ep)
{
	int c;

	for (c = 0; c < NR_CLIENTS; c++)
		if (eps[NR_SERVERS + c] == ep)
			return c;
	return -1;
}

/* ---- the processes ---- */

/*
 * Start @fn(@args[t]) in threads 1..@n - 1 of this process and run
 * @fn(@args[0]) in this one; returns once all of them did, or exits the
 * process when a thread cannot be made.
 */
static void run_threads(void *(*fn)(void *), void *args, size_t arg_size,
			unsigned int n)
{
	pthread_t ids[MAX_THREADS];
	unsigned int t;

	for (t = 1; t < n; t++) {
		int err = pthread_create(&ids[t], NULL, fn,
					 (char *)args + t * arg_size);

		if (err) {
			note("pthread_create: %s", strerror(err));
			_exit(12);
		}
	}
	fn(args);
	for (t = 1; t < n; t++)
		pthread_join(ids[t], NULL);
}

/*
 * Per client: 1 + the id of the SENDREC this server process has in hand
 * (taken, not yet answered), else 0; shared by its threads.
 */
static uint64_t in_hand[NR_CLIENTS];

/*
 * Hold some requests a while before the reply, as a server busy with them
 * would (which one and how long follows from the id, so the seed fixes
 * it): the caller's other threads then queue behind it for this server,
 * a kill or a swap finds it in hand, and other threads take the next
 * messages meanwhile.
 */
static void answer_late(uint64_t id)
{
	uint64_t h = id ^ seed;

	h = splitmix(&h);
	if (h % SLOW_REPLY_ODDS == 0)
		usleep((h >> 32) % SLOW_REPLY_US);
}

/*
 * Answer the SENDREC in @r, from client @c (-1: from another sender). It
 * leaves the client's hand just before the reply: once the reply is in,
 * the client's next SENDREC here may come, to any thread.
 */
static void answer(int fd, struct rx *r, int c)
{
	const struct mxsys_message *m = &r->ipc.msg;
	struct mxsys_message reply = make_msg(REPLY_TYPE, m->m_u64[0]);
	uint64_t mine = m->m_u64[0] + 1;

	answer_late(m->m_u64[0]);
	if (c >= 0)
		__atomic_compare_exchange_n(&in_hand[c], &mine, 0, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	r->reply_ret = ipc(fd, MXSYS_IOC_SENDNB, m->m_source, &reply, NULL);
}

struct server_thread {
	int fd;
	int inst;
	uint32_t thread;
};

/*
 * The receive loop of one server thread, until its QUIT. Any failure ends
 * the whole process: its threads share the slot, and RS sees the exit.
 */
static void *server_thread(void *arg)
{
	const struct server_thread *st = arg;
	struct instance *in = &sh->inst[st->inst];

	for (;;) {
		uint32_t i = __atomic_fetch_add(&sh->nr_rx, 1, __ATOMIC_RELAXED);
		struct mxsys_whoami who = { 0 };
		struct mxsys_message *m;
		bool sendrec;
		struct rx *r;
		int c;

		if (i >= rx_cap) {
			note("server instance %d: receive log full", st->inst);
			_exit(10);
		}
		r = &rxs[i];
		r->inst = st->inst;
		r->thread = st->thread;
		r->who_ret = NOT_YET;
		r->reply_ret = NOT_YET;
		r->also_in_hand = 0;
		/* Also makes the entry's pages present for the copy-out. */
		memset(&r->ipc, 0, sizeof(r->ipc));
		r->ipc.endpoint = MXSYS_ANY;
		if (ioctl(st->fd, MXSYS_IOC_RECEIVE, &r->ipc) < 0) {
			note("server instance %d thread %u: receive: %s",
			     st->inst, st->thread, err_name(-errno));
			_exit(11);
		}
		m = &r->ipc.msg;
		sendrec = MXSYS_STATUS_CALL(r->ipc.status) == MXSYS_CALL_SENDREC;
		c = sendrec ? client_of(m->m_source) : -1;
		/* In hand from here (WHOAMI included) to just before the reply. */
		if (c >= 0)
			r->also_in_hand = __atomic_exchange_n(&in_hand[c],
							      m->m_u64[0] + 1,
							      __ATOMIC_ACQ_REL);
		r->who_ret = mx(st->fd, MXSYS_IOC_WHOAMI, &who);
		r->who = who.endpoint;
		if (m->m_type == QUIT_TYPE) {
			struct pollfd p = { .fd = st->fd, .events = POLLIN };

			/* The last thread to stop: nothing may be left. */
			if (__atomic_add_fetch(&in->quits, 1, __ATOMIC_ACQ_REL) ==
			    server_threads)
				in->leftover = poll(&p, 1, 0);
			return NULL;
		}
		if (sendrec)
			answer(st->fd, r, c);
	}
}

static int server_role(struct child *self)
{
	int id = my_inst >= 0 ? my_inst : self->index;
	struct server_thread st[MAX_THREADS];
	unsigned int t;

	__atomic_store_n(&sh->inst[id].ready, 1, __ATOMIC_RELEASE);
	for (t = 0; t < server_threads; t++)
		st[t] = (struct server_thread){
			.fd = self->fd, .inst = id, .thread = t,
		};
	run_threads(server_thread, st, sizeof(st[0]), server_threads);
	return 0;
}

/*
 * Draw every client's operations up front, so that a client restarted
 * after a kill goes on with the same plan; the clients fill in dst.
 */
static void plan_ops(void)
{
	unsigned int c, seq;

	for (c = 0; c < NR_CLIENTS; c++) {
		uint64_t rng = seed ^ (0x5bd1e995ULL * (c + 1));
		unsigned int burst = 0, s = 0;

		for (seq = 0; seq < nr_ops; seq++) {
			struct op *op = &ops[(size_t)c * nr_ops + seq];
			unsigned int w = rnd(&rng, 100), k = 0;

			if (!burst && rnd(&rng, BURST_ODDS) == 0)
				burst = MXSYS_SENDA_MAX +
					rnd(&rng, MXSYS_SENDA_MAX);
			if (burst) {
				/* SENDA after SENDA to one server. */
				burst--;
				w = mix[0].weight + mix[1].weight;
			} else {
				s = rnd(&rng, NR_SERVERS);
			}
			while (w >= mix[k].weight)
				w -= mix[k++].weight;
			op->id = (uint64_t)c << 32 | seq;
			op->server = s;
			op->call = mix[k].call;
		}
	}
}

static unsigned long call_request(uint32_t call)
{
	size_t k;

	for (k = 0; k < MXT_ARRAY_SIZE(mix); k++)
		if (mix[k].call == call)
			return mix[k].request;
	return 0;
}

/*
 * Client threads sleep at the gate (a futex word in the shared mapping)
 * until RS moves it: dozens of threads polling it would take the CPU from
 * those that work.
 */
static void wait_at_gate(uint32_t seq)
{
	uint32_t gate;

	while (seq >= (gate = __atomic_load_n(&sh->gate, __ATOMIC_ACQUIRE)))
		syscall(SYS_futex, &sh->gate, FUTEX_WAIT, gate, NULL, NULL, 0);
}

static void move_gate(uint32_t gate)
{
	__atomic_store_n(&sh->gate, gate, __ATOMIC_RELEASE);
	syscall(SYS_futex, &sh->gate, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

struct client_thread {
	int fd;
	unsigned int client;
	unsigned int thread;
};

/*
 * One thread's share of its client's plan, from where RS says (after a
 * restart): ops thread, thread + T, ...
 */
static void *client_thread(void *arg)
{
	const struct client_thread *ct = arg;
	uint32_t *next = &sh->next_seq[ct->client][ct->thread];
	uint32_t seq;

	for (seq = *next; seq < nr_ops; seq += client_threads) {
		struct op *op = &ops[(size_t)ct->client * nr_ops + seq];
		struct mxsys_ipc call;

		wait_at_gate(seq);
		op->dst = eps[op->server];
		memset(&call, 0, sizeof(call));
		call.endpoint = op->dst;
		if (op->call != MXSYS_CALL_NOTIFY) {
			call.msg.m_type = REQ_TYPE;
			call.msg.m_u64[0] = op->id;
			call.msg.m_u64[1] = (uint32_t)op->dst;
		}
		/* Set first: a kill from here on leaves the outcome open. */
		__atomic_store_n(&op->t_start, now_ns(), __ATOMIC_RELEASE);
		op->ret = ioctl(ct->fd, call_request(op->call), &call) < 0 ?
			  -errno : 0;
		if (op->call == MXSYS_CALL_SENDREC) {
			op->reply = call.msg;
			op->reply_status = call.status;
		}
		__atomic_store_n(next, seq + client_threads, __ATOMIC_RELEASE);
	}
	return NULL;
}

static int client_role(struct child *self)
{
	struct client_thread ct[MAX_THREADS];
	unsigned int t;

	__atomic_store_n(&sh->client_ready[self->index - NR_SERVERS], 1,
			 __ATOMIC_RELEASE);
	for (t = 0; t < client_threads; t++)
		ct[t] = (struct client_thread){
			.fd = self->fd, .client = self->index - NR_SERVERS,
			.thread = t,
		};
	run_threads(client_thread, ct, sizeof(ct[0]), client_threads);
	return 0;
}

/* ---- the watchdog ---- */

static void kick(void)
{
	alarm(HANG_S);
}

/* Up to @size - 1 bytes of file @path, NUL-terminated; "" if unreadable. */
static void read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

/*
 * For a hang: the state and kernel stack of each thread of @pid, which
 * tell a process stuck in the module from one that was never woken.
 */
static void dump_threads(pid_t pid)
{
	char path[64], stat[512], stack[2048], line[3072];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		const char *state;
		char *nl;
		int n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/stat",
			 (int)pid, e->d_name);
		read_text(path, stat, sizeof(stat));
		state = strrchr(stat, ')');
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/stack",
			 (int)pid, e->d_name);
		read_text(path, stack, sizeof(stack));
		while ((nl = strchr(stack, '\n')))
			*nl = ' ';
		n = snprintf(line, sizeof(line),
			     "# %s: pid %d thread %s: state %c, kernel stack: %s\n",
			     test_name, (int)pid, e->d_name,
			     state && state[1] ? state[2] : '?', stack);
		if (write(STDOUT_FILENO, line,
			  n < (int)sizeof(line) ? n : (int)sizeof(line) - 1) < 0)
			break;
	}
	if (d)
		closedir(d);
}

/*
 * Say where it hangs (the clients inside a call, not at the gate, with
 * that call; the threads of a process that RS killed and waits for), kill
 * everything, and go: cleanup() could hang too.
 */
static void on_hang(int sig)
{
	char buf[4096];
	size_t n, room = sizeof(buf) - 64;
	uint32_t gate = sh ? __atomic_load_n(&sh->gate, __ATOMIC_RELAXED) : 0;
	unsigned int t;
	int i;
	long f;

	(void)sig;
	n = snprintf(buf, room, "FAIL: %s: hang: nothing moved for %d s while %s%s",
		     test_name, HANG_S, phase, kill_step);
	if (killing)
		n += snprintf(buf + n, room - n, " (pid %d)", (int)killing);
	n += snprintf(buf + n, room - n, "; blocked:");
	for (i = 0; sh && i < NR_CLIENTS; i++) {
		for (t = 0; t < client_threads && n < room; t++) {
			uint32_t p = __atomic_load_n(&sh->next_seq[i][t],
						     __ATOMIC_RELAXED);
			const struct op *op;

			if (p >= nr_ops || p >= gate)
				continue;
			op = &ops[(size_t)i * nr_ops + p];
			if (op->t_start)
				n += snprintf(buf + n, room - n,
					      " client %d thread %u in %s to %d (op %u);",
					      i, t, call_name(op->call),
					      op->dst, p);
		}
	}
	for (i = 0; sh && i < NR_CLIENTS && n < room; i++) {
		uint32_t done = 0;

		for (t = 0; t < client_threads; t++)
			done += thread_done(__atomic_load_n(&sh->next_seq[i][t],
							    __ATOMIC_RELAXED), t);
		n += snprintf(buf + n, room - n, "%s %u", i ? "" : " ops done",
			      done);
	}
	if (n > room)
		n = room - 1;
	n += snprintf(buf + n, sizeof(buf) - n, " of %u\n", nr_ops);
	if (write(STDOUT_FILENO, buf, n) < 0)
		n = 0;
	if (killing)
		dump_threads(killing);
	for (i = 0; i < nr_children; i++)
		if (children[i].pid > 0 && !children[i].reaped)
			kill(children[i].pid, SIGKILL);
	for (f = 0; f < nr_fillers; f++)
		kill(filler_pids[f], SIGKILL);
	_exit(1);
}

/* ---- RS's actions ---- */

/*
 * Wait until a process RS started says it is bound to its slot (@ready),
 * so that its death is reported: one killed before it opened /dev/mxsys
 * was never the slot's process.
 */
static void wait_bound(const int *ready)
{
	while (!__atomic_load_n(ready, __ATOMIC_ACQUIRE))
		usleep(500);
}

static void wait_ready(unsigned int inst)
{
	wait_bound(&sh->inst[inst].ready);
}

static unsigned int new_instance(int server)
{
	struct instance *in = &sh->inst[nr_inst];

	memset(in, 0, sizeof(*in));
	in->server = server;
	in->t_start = now_ns();
	return nr_inst++;
}

/*
 * SIGKILL @c's process, reap it and pull its death report (a process that
 * does not go, or a report that does not come, is the watchdog's to say);
 * for fail().
 */
static int kill_child(struct child *c)
{
	killing = c->pid;
	kill(c->pid, SIGKILL);
	kill_step = ": waiting for the killed process to exit";
	if (wait_child(c))
		return 1;
	kill_step = ": waiting for the death report of the killed process";
	if (await_death(c))
		return 1;
	kill_step = "";
	killing = 0;
	return 0;
}

/* SIGKILL @c's process and check its one death report; for fail(). */
static int kill_and_reap(struct child *c)
{
	pid_t pid = c->pid;
	int st;

	if (c->deaths)
		return fail("endpoint %d: death report for pid %d before it was killed",
			    c->ep, c->ksig.pid);
	if (kill_child(c))
		return 1;
	if (!WIFSIGNALED(c->wait_status) || WTERMSIG(c->wait_status) != SIGKILL)
		return fail("pid %d (endpoint %d) was not killed: wait status %#x",
			    (int)pid, c->ep, c->wait_status);
	st = c->ksig.exit_status;
	if (c->deaths != 1 || c->ksig.endpoint != c->ep || c->ksig.pid != pid ||
	    !(c->ksig.flags & MXSYS_KSIG_DEAD) || !WIFSIGNALED(st) ||
	    WTERMSIG(st) != SIGKILL)
		return fail("death of pid %d in %d: %d report(s), the last for %d pid %d flags %#x status %#x",
			    (int)pid, c->ep, c->deaths, c->ksig.endpoint,
			    c->ksig.pid, c->ksig.flags, st);
	return 0;
}

/* Kill server @s and start a new process on its endpoint. */
static int action_kill(int s)
{
	struct child *c = &children[s];
	unsigned int n;

	phase = "killing a server";
	wait_ready(cur[s]);
	if (kill_and_reap(c))
		return 1;
	phase = "restarting a server";
	/* Let messages pile up on the dead slot meanwhile. */
	usleep(rnd(&pause_rng, DOWNTIME_US));
	n = new_instance(s);
	my_inst = n;
	if (respawn_child(c))
		return 1;
	sh->inst[n].pid = c->pid;
	cur[s] = n;
	kills++;
	return 0;
}

/*
 * Hold server @s (DISALLOW: its next call waits) and fill its queue with
 * RS's own SENDAs, up to the first -EAGAIN; the caller then lets it go
 * or kills it, and the next process must receive them.
 */
static int action_stall(int s)
{
	int32_t ep = children[s].ep;
	unsigned int i;
	int ret;

	phase = "holding a server";
	ret = privctl(MXSYS_PRIV_DISALLOW, ep, 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW %d: %s", ep, err_name(ret));
	for (i = 0; i <= MXSYS_SENDA_MAX && rs_nops < rs_cap; i++) {
		struct op *op = &rs_ops[rs_nops];
		struct mxsys_message m = make_msg(REQ_TYPE, 0);

		op->id = (uint64_t)RS_SENDER << 32 | rs_nops++;
		op->dst = ep;
		op->call = MXSYS_CALL_SENDA;
		m.m_u64[0] = op->id;
		m.m_u64[1] = (uint32_t)ep;
		op->t_start = now_ns();
		op->ret = ipc(rs_fd, MXSYS_IOC_SENDA, ep, &m, NULL);
		if (op->ret)
			break;
	}
	stalls++;
	return 0;
}

/* Let server @s run again after a while. */
static int action_release(int s)
{
	int ret;

	phase = "releasing a server";
	usleep(rnd(&pause_rng, DOWNTIME_US));
	ret = privctl(MXSYS_PRIV_ALLOW, children[s].ep, 0, NULL, NULL);
	if (ret)
		return fail("ALLOW %d: %s", children[s].ep, err_name(ret));
	return 0;
}

/* Swap a new process into server @s's slot through the spare slot. */
static int action_swap(int s)
{
	struct child *c = &children[s], *sp = &children[SPARE];
	struct mxsys_endpoint_arg clear = { 0 };
	struct mxsys_update upd = { .src = c->ep };
	unsigned int n;
	pid_t old;
	int ret;

	phase = "preparing a spare";
	wait_ready(cur[s]);
	n = new_instance(s);
	my_inst = n;
	if (refork_child(sp))
		return 1;
	sh->inst[n].pid = sp->pid;
	ret = privctl(MXSYS_PRIV_SET_SYS, MXSYS_NONE, sp->pid, NULL, &sp->ep);
	if (ret)
		return fail("SET_SYS of a spare slot: %s", err_name(ret));
	eps[SPARE] = sp->ep;
	if (give_table(sp))
		return 1;

	phase = "swapping a server (UPDATE until it is quiescent)";
	upd.dst = sp->ep;
	while ((ret = mx(rs_fd, MXSYS_IOC_UPDATE, &upd)) == -EBUSY) {
		update_busy++;
		usleep(50 + rnd(&pause_rng, 200));
	}
	if (ret)
		return fail("UPDATE(%d, %d): %s", upd.src, upd.dst, err_name(ret));
	/* The processes changed places; the endpoints stayed. */
	sh->inst[cur[s]].swapped_to = sp->ep;
	old = c->pid;
	c->pid = sp->pid;
	sp->pid = old;
	/* The new process may not run yet: messages pile up meanwhile. */
	usleep(rnd(&pause_rng, DOWNTIME_US));
	ret = privctl(MXSYS_PRIV_ALLOW, c->ep, 0, NULL, NULL);
	if (ret)
		return fail("ALLOW %d after UPDATE: %s", c->ep, err_name(ret));
	cur[s] = n;

	phase = "killing a swapped-out server";
	if (kill_and_reap(sp))
		return 1;
	clear.endpoint = sp->ep;
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &clear);
	if (ret)
		return fail("CLEAR of the spare %d: %s", sp->ep, err_name(ret));
	sp->cleared = true;
	swaps++;
	return 0;
}

/*
 * Kill client @c and start a new process on its endpoint, whose threads go
 * on each with the op after the one the old process's thread was in
 * (whose outcome stays open: it may or may not have been received). A
 * client may have finished its last op and exited first: then it is not
 * restarted.
 */
static int action_kill_client(int c)
{
	struct child *ch = &children[NR_SERVERS + c];
	pid_t pid = ch->pid;
	bool killed, finished;
	unsigned int t;
	int st;

	phase = "killing a client";
	wait_bound(&sh->client_ready[c]);
	if (ch->deaths)
		return fail("client endpoint %d: death report for pid %d before it was killed",
			    ch->ep, ch->ksig.pid);
	if (kill_child(ch))
		return 1;
	st = ch->ksig.exit_status;
	killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	finished = WIFEXITED(st) && !WEXITSTATUS(st) && client_done(c);
	if (ch->deaths != 1 || ch->ksig.pid != pid || st != ch->wait_status ||
	    (!killed && !finished))
		return fail("death of client pid %d in %d: %d report(s), the last for pid %d status %#x, wait status %#x",
			    (int)pid, ch->ep, ch->deaths, ch->ksig.pid, st,
			    ch->wait_status);
	if (finished)
		return 0;
	for (t = 0; t < client_threads; t++) {
		uint32_t *next = &sh->next_seq[c][t];
		struct op *op;

		if (*next >= nr_ops)
			continue;
		op = &ops[(size_t)c * nr_ops + *next];
		if (op->t_start) {
			op->ret = INTERRUPTED;
			interrupted++;
			*next += client_threads;
		}
	}
	phase = "restarting a client";
	sh->client_ready[c] = 0;
	if (respawn_child(ch))
		return 1;
	client_kills++;
	return 0;
}

/*
 * One action on server @s: kill 40%, swap 40%, hold 20% (then release or
 * kill it, half each). A held server is never swapped: UPDATE counts a
 * process that may not run as quiescent, but where MINIX's DISALLOW
 * freezes a process wherever it is, mxsys's only stops its next IPC call.
 * A server held just after it took a request is still working on it, so
 * a swap then would move it to the spare slot with the request in hand,
 * its reply would leave from the spare endpoint, and the caller would
 * wait for one from the server endpoint forever. Only RS's own protocol
 * (swap a process that said it is idle) can rule that out.
 */
static int act(int s)
{
	unsigned int r = rnd(&rs_rng, 10);

	/* And, in one action out of CLIENT_KILL_ODDS, kill a client too. */
	if (rnd(&rs_rng, CLIENT_KILL_ODDS) == 0 &&
	    action_kill_client(rnd(&rs_rng, NR_CLIENTS)))
		return 1;
	if (r >= 8) {
		if (action_stall(s))
			return 1;
		return rnd(&rs_rng, 2) ? action_kill(s) : action_release(s);
	}
	return r < 4 ? action_kill(s) : action_swap(s);
}

/* ---- idle slots ---- */

static long slots_to_fill(void)
{
	unsigned int nr_slots = 0;
	FILE *f;

	if (fill_arg >= 0)
		return fill_arg;
	f = fopen("/sys/module/mxsys/parameters/nr_slots", "r");
	if (!f || fscanf(f, "%u", &nr_slots) != 1)
		nr_slots = 0;
	if (f)
		fclose(f);
	if (nr_slots < MXSYS_NR_STATIC_SLOTS + SPARE + 1)
		return -1;
	return nr_slots - MXSYS_NR_STATIC_SLOTS - (SPARE + 1);
}

/* Prepare @n slots for idle processes; for fail(). */
static int fill(long n)
{
	phase = "filling the slot table";
	filler_pids = calloc(n + 1, sizeof(*filler_pids));
	filler_eps = calloc(n + 1, sizeof(*filler_eps));
	if (!filler_pids || !filler_eps)
		return fail("out of memory");
	while (nr_fillers < n) {
		pid_t pid;
		int ret;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return fail("fork of idle process %ld: %s", nr_fillers,
				    strerror(errno));
		if (pid == 0)
			for (;;)
				pause();
		filler_pids[nr_fillers] = pid;
		ret = privctl(MXSYS_PRIV_SET_SYS, MXSYS_NONE, pid, NULL,
			      &filler_eps[nr_fillers]);
		nr_fillers++;
		if (ret)
			return fail("SET_SYS of idle slot %ld: %s", nr_fillers,
				    err_name(ret));
		kick();
	}
	return 0;
}

/* Kill the idle processes and free their (never bound) slots. */
static int unfill(void)
{
	long i, bad = 0;

	for (i = 0; i < nr_fillers; i++)
		kill(filler_pids[i], SIGKILL);
	for (i = 0; i < nr_fillers; i++) {
		struct mxsys_endpoint_arg arg = { .endpoint = filler_eps[i] };

		waitpid(filler_pids[i], NULL, 0);
		if (filler_eps[i] && mx(rs_fd, MXSYS_IOC_CLEAR, &arg))
			bad++;
	}
	nr_fillers = 0;
	return bad ? fail("%ld idle slot(s) could not be cleared", bad) : 0;
}

/* ---- the verdict ---- */

static bool allowed_result(uint32_t call, int ret)
{
	if (ret == INTERRUPTED)
		return true;
	switch (call) {
	case MXSYS_CALL_SENDREC:
		return ret == 0 || ret == -MXSYS_EDEADSRCDST;
	case MXSYS_CALL_SENDNB:
		return ret == 0 || ret == -MXSYS_ENOTREADY;
	case MXSYS_CALL_SENDA:
		return ret == 0 || ret == -EAGAIN;
	default:
		return ret == 0;
	}
}

static unsigned int violations;

__attribute__((format(printf, 1, 2)))
static void violation(const char *fmt, ...)
{
	va_list ap;

	if (violations++ >= MAX_NOTES)
		return;
	printf("# %s: violation: ", test_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static const char *inst_desc(uint32_t i)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "instance %u (pid %d) of server %d", i,
		 (int)sh->inst[i].pid, sh->inst[i].server);
	return buf;
}

/* Ops are numbered clients' first ([client][seq]), then RS's. */
static size_t op_index(unsigned int sender, uint32_t seq)
{
	if (sender == RS_SENDER)
		return (size_t)NR_CLIENTS * nr_ops + seq;
	return (size_t)sender * nr_ops + seq;
}

static struct op *op_at(size_t i)
{
	size_t nops = (size_t)NR_CLIENTS * nr_ops;

	return i < nops ? &ops[i] : &rs_ops[i - nops];
}

/* What the receive log adds up to. */
struct tally {
	uint8_t *count;		/* per op (op_index()): times received */
	unsigned int notify_got[NR_CLIENTS][NR_SERVERS];
	unsigned int quit_got[NR_SERVERS][MAX_THREADS];	/* per QUIT number */
	unsigned int carried;	/* sent before its receiver was started */
	unsigned int whoami_spare;	/* WHOAMI after a swap: the spare */
	unsigned int dead_in_hand;	/* SENDREC taken with a cut short one */
};

/*
 * The SENDREC @id in @r came while the process had the SENDREC
 * r->also_in_hand - 1 from the same client endpoint in hand: allowed only
 * when that one was cut short (its process was killed; the next one does
 * not wait for its answer).
 */
static void check_in_hand(const struct rx *r, uint64_t id, struct tally *t)
{
	uint64_t other = r->also_in_hand - 1;
	unsigned int c = other >> 32, seq = (uint32_t)other;
	const struct op *op;

	if (c >= NR_CLIENTS || c != id >> 32 || seq >= nr_ops) {
		violation("%s: SENDREC id %#llx came while it had id %#llx of the same client in hand",
			  inst_desc(r->inst), (unsigned long long)id,
			  (unsigned long long)other);
		return;
	}
	op = op_at(op_index(c, seq));
	if (op->ret == INTERRUPTED) {
		t->dead_in_hand++;
		return;
	}
	violation("%s thread %u: took SENDREC id %#llx from %d while its process had SENDREC id %#llx of the same client in hand (which returned %s): two SENDRECs of one slot to one destination",
		  inst_desc(r->inst), r->thread, (unsigned long long)id,
		  r->ipc.msg.m_source, (unsigned long long)other,
		  err_name(op->ret));
}

/* Check one filled receive entry; count what it says. */
static void check_rx(const struct rx *r, struct tally *t)
{
	const struct mxsys_message *m = &r->ipc.msg;
	uint32_t call = MXSYS_STATUS_CALL(r->ipc.status);
	const struct op *op;
	unsigned int c, seq;
	int32_t ep;
	uint64_t id;
	size_t i;
	int s;

	if (r->inst >= nr_inst) {
		violation("receive entry of unknown instance %u", r->inst);
		return;
	}
	s = sh->inst[r->inst].server;
	ep = children[s].ep;
	if (r->who_ret == 0 && r->who != ep && server_threads > 1 &&
	    sh->inst[r->inst].swapped_to && r->who == sh->inst[r->inst].swapped_to)
		t->whoami_spare++;
	else if (r->who_ret == 0 && r->who != ep)
		violation("%s (endpoint %d) received in slot %d: source %d type %#x",
			  inst_desc(r->inst), ep, r->who, m->m_source, m->m_type);
	else if (r->who_ret != 0 && r->who_ret != NOT_YET)
		violation("%s: WHOAMI after a receive: %s", inst_desc(r->inst),
			  err_name(r->who_ret));
	switch (m->m_type) {
	case QUIT_TYPE:
		if (m->m_source != MXSYS_RS_ENDPOINT || call != MXSYS_CALL_SEND ||
		    m->m_u64[0] >= server_threads)
			violation("%s: QUIT %llu from %d through %s",
				  inst_desc(r->inst),
				  (unsigned long long)m->m_u64[0], m->m_source,
				  call_name(call));
		else
			t->quit_got[s][m->m_u64[0]]++;
		return;
	case MXSYS_NOTIFY_MESSAGE:
		c = client_of(m->m_source);
		if (c >= NR_CLIENTS || call != MXSYS_CALL_NOTIFY) {
			violation("%s: notify from %d through %s",
				  inst_desc(r->inst), m->m_source, call_name(call));
			return;
		}
		t->notify_got[c][s]++;
		return;
	case REQ_TYPE:
		break;
	default:
		violation("%s: message of type %#x from %d through %s",
			  inst_desc(r->inst), m->m_type, m->m_source,
			  call_name(call));
		return;
	}
	id = m->m_u64[0];
	c = id >> 32;
	seq = (uint32_t)id;
	if (c > RS_SENDER || seq >= (c == RS_SENDER ? rs_nops : nr_ops)) {
		violation("%s: request with unknown id %#llx from %d",
			  inst_desc(r->inst), (unsigned long long)id,
			  m->m_source);
		return;
	}
	i = op_index(c, seq);
	op = op_at(i);
	if (m->m_source != (c == RS_SENDER ? MXSYS_RS_ENDPOINT :
			    children[NR_SERVERS + c].ep) ||
	    op->call == MXSYS_CALL_NOTIFY || call != op->call ||
	    (int32_t)m->m_u64[1] != op->dst || op->dst != ep)
		violation("%s (endpoint %d): id %#llx from %d through %s for %d; sender %u sent it with %s to %d",
			  inst_desc(r->inst), ep, (unsigned long long)id,
			  m->m_source, call_name(call), (int32_t)m->m_u64[1],
			  c, call_name(op->call), op->dst);
	if (t->count[i] < 255)
		t->count[i]++;
	if (call == MXSYS_CALL_SENDREC && r->also_in_hand)
		check_in_hand(r, id, t);
	/* A killed caller was not there to take its reply. */
	if (call == MXSYS_CALL_SENDREC && r->reply_ret != NOT_YET &&
	    r->reply_ret != 0 &&
	    !(op->ret == INTERRUPTED && (r->reply_ret == -MXSYS_EDEADSRCDST ||
					 r->reply_ret == -MXSYS_ENOTREADY)))
		violation("%s: reply to id %#llx: %s", inst_desc(r->inst),
			  (unsigned long long)id, err_name(r->reply_ret));
	if (call != MXSYS_CALL_SENDNB && op->t_start < sh->inst[r->inst].t_start)
		t->carried++;
}

static int verdict(double secs)
{
	static unsigned int notify_sent[NR_CLIENTS][NR_SERVERS];
	static unsigned int notify_maybe[NR_CLIENTS][NR_SERVERS];
	static struct tally t;
	unsigned int n_ok[MXT_ARRAY_SIZE(mix)] = { 0 };
	unsigned int n_err[MXT_ARRAY_SIZE(mix)] = { 0 };
	size_t i, nops = (size_t)NR_CLIENTS * nr_ops + rs_nops;
	uint32_t nr_rx = sh->nr_rx < rx_cap ? sh->nr_rx : rx_cap;
	unsigned int q;
	int c, s;

	t.count = calloc(nops, 1);
	if (!t.count)
		return fail("out of memory");
	for (i = 0; i < nr_rx; i++)
		if (rxs[i].ipc.status)
			check_rx(&rxs[i], &t);

	for (i = 0; i < nops; i++) {
		const struct op *op = op_at(i);
		unsigned int want, k;

		for (k = 0; k < MXT_ARRAY_SIZE(mix); k++)
			if (mix[k].call == op->call)
				break;
		if (k == MXT_ARRAY_SIZE(mix)) {
			violation("op %zu: unknown call %u", i, op->call);
			continue;
		}
		if (!op->ret)
			n_ok[k]++;
		else if (op->ret != INTERRUPTED)
			n_err[k]++;
		if (!allowed_result(op->call, op->ret))
			violation("%s id %#llx to %d returned %s",
				  call_name(op->call),
				  (unsigned long long)op->id, op->dst,
				  err_name(op->ret));
		if (op->call == MXSYS_CALL_NOTIFY) {
			for (s = 0; s < NR_SERVERS; s++) {
				if (children[s].ep != op->dst)
					continue;
				if (op->ret == INTERRUPTED)
					notify_maybe[i / nr_ops][s]++;
				else
					notify_sent[i / nr_ops][s]++;
			}
			continue;
		}
		want = !op->ret || (op->call == MXSYS_CALL_SENDREC &&
				    op->ret == -MXSYS_EDEADSRCDST);
		if (op->ret == INTERRUPTED ? t.count[i] > 1 : t.count[i] != want)
			violation("%s id %#llx to %d returned %s and was received %u time(s)",
				  call_name(op->call),
				  (unsigned long long)op->id, op->dst,
				  err_name(op->ret), t.count[i]);
		if (op->call == MXSYS_CALL_SENDREC && !op->ret &&
		    (op->reply.m_source != op->dst ||
		     op->reply.m_type != REPLY_TYPE ||
		     op->reply.m_u64[0] != op->id ||
		     MXSYS_STATUS_CALL(op->reply_status) != MXSYS_CALL_SENDNB))
			violation("SENDREC id %#llx to %d: reply from %d type %#x id %#llx through %s",
				  (unsigned long long)op->id, op->dst,
				  op->reply.m_source, op->reply.m_type,
				  (unsigned long long)op->reply.m_u64[0],
				  call_name(MXSYS_STATUS_CALL(op->reply_status)));
	}
	free(t.count);

	for (c = 0; c < NR_CLIENTS; c++)
		for (s = 0; s < NR_SERVERS; s++)
			if ((notify_sent[c][s] && !t.notify_got[c][s]) ||
			    t.notify_got[c][s] >
			    notify_sent[c][s] + notify_maybe[c][s])
				violation("client %d sent %u notifies (and maybe %u more) to server %d, which received %u",
					  c, notify_sent[c][s],
					  notify_maybe[c][s], s,
					  t.notify_got[c][s]);
	for (s = 0; s < NR_SERVERS; s++)
		for (q = 0; q < server_threads; q++)
			if (t.quit_got[s][q] != 1)
				violation("server %d received QUIT %u %u times",
					  s, q, t.quit_got[s][q]);
	for (i = 0; i < nr_inst; i++)
		if (sh->inst[i].leftover)
			violation("%s: something still pending after QUIT",
				  inst_desc(i));

	note("%u ops (%u of them RS's SENDAs) in %.1f s: SENDREC %u ok %u EDEADSRCDST, SEND %u, SENDA %u ok %u EAGAIN, SENDNB %u ok %u ENOTREADY, NOTIFY %u",
	     (unsigned int)nops, rs_nops, secs, n_ok[0], n_err[0], n_ok[1] + n_err[1],
	     n_ok[2], n_err[2], n_ok[3], n_err[3], n_ok[4] + n_err[4]);
	note("%u server kills, %u swaps (%u UPDATE -EBUSY), %u holds, %u client kills (%u ops cut short), %u server processes, %u receives; %u messages sent before the process that received them was started",
	     kills, swaps, update_busy, stalls, client_kills, interrupted,
	     nr_inst, nr_rx, t.carried);
	note("%u client and %u server threads: %u receives whose WHOAMI came after a swap (the spare slot), %u SENDRECs taken while a killed client's own was in hand",
	     client_threads, server_threads, t.whoami_spare, t.dead_in_hand);
	if (violations)
		return fail("%u violation(s) of exactly-once delivery",
			    violations);
	return 0;
}

/* ---- the test ---- */

static void *shared_array(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * When RS takes action @j: after about (j + 1) / (A + 1) of all operations,
 * give or take half the mean gap, so that all A fall inside the run.
 */
static uint64_t threshold(unsigned int j, uint64_t total, uint64_t mean_gap)
{
	return (j + 1) * total / (nr_actions + 1) - mean_gap / 2 +
	       rnd(&rs_rng, mean_gap);
}

/* The op count clients may reach before RS's action at @threshold. */
static uint32_t gate_for(uint64_t threshold, unsigned int slack)
{
	uint64_t g = threshold / NR_CLIENTS + slack;

	return g < nr_ops ? g : nr_ops;
}

/* Everyone is done: drain the servers, reap and clear every slot. */
static int finish(void)
{
	unsigned int q;
	int i, ret;

	phase = "waiting for the clients to exit";
	for (i = NR_SERVERS; i < SPARE; i++)
		if (wait_child(&children[i]))
			return 1;
	phase = "sending QUIT";
	for (i = 0; i < NR_SERVERS; i++) {
		wait_ready(cur[i]);
		/* One per thread: each stops receiving after its QUIT. */
		for (q = 0; q < server_threads; q++) {
			struct mxsys_message quit = make_msg(QUIT_TYPE, q);

			ret = ipc(rs_fd, MXSYS_IOC_SEND, children[i].ep, &quit,
				  NULL);
			if (ret)
				return fail("SEND QUIT %u to %d: %s", q,
					    children[i].ep, err_name(ret));
			kick();
		}
	}
	phase = "reaping";
	for (i = 0; i < SPARE; i++) {
		struct child *c = &children[i];
		struct mxsys_endpoint_arg arg = { .endpoint = c->ep };
		pid_t pid = c->pid;

		if (wait_child(c))
			return 1;
		if (!WIFEXITED(c->wait_status) || WEXITSTATUS(c->wait_status))
			return fail("%s %d (pid %d) ended with wait status %#x",
				    i < NR_SERVERS ? "server" : "client", i,
				    (int)pid, c->wait_status);
		if (await_death(c))
			return 1;
		if (c->deaths != 1 || c->ksig.pid != pid ||
		    c->ksig.exit_status != c->wait_status)
			return fail("exit of pid %d in %d: %d report(s), the last for pid %d status %#x",
				    (int)pid, c->ep, c->deaths, c->ksig.pid,
				    c->ksig.exit_status);
		ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
		if (ret)
			return fail("CLEAR %d: %s", c->ep, err_name(ret));
		c->cleared = true;
	}
	return 0;
}

static int run(void)
{
	role_fn roles[SPARE];
	uint64_t total = (uint64_t)NR_CLIENTS * nr_ops, done, last = 0;
	uint64_t next, mean_gap, t0;
	unsigned int actions = 0, slack, t;
	int i;

	sh = shared_array(sizeof(*sh));
	ops = shared_array(total * sizeof(*ops));
	rs_cap = nr_actions * (MXSYS_SENDA_MAX + 1);
	rs_ops = calloc(rs_cap + 1, sizeof(*rs_ops));
	/* Each thread of each process also leaves one entry unfilled. */
	rx_cap = total + rs_cap +
		 (MAX_INSTANCES + NR_SERVERS) * server_threads + 16;
	rxs = shared_array((size_t)rx_cap * sizeof(*rxs));
	if (!sh || !ops || !rxs || !rs_ops)
		return fail("mmap: %s", strerror(errno));
	for (i = 0; i < NR_CLIENTS; i++)
		for (t = 0; t < client_threads; t++)
			sh->next_seq[i][t] = t;

	mean_gap = total / (nr_actions + 1);
	slack = mean_gap / NR_CLIENTS / 2 + 2;
	next = threshold(0, total, mean_gap);
	sh->gate = nr_actions ? gate_for(next, slack) : nr_ops;

	phase = "starting";
	for (i = 0; i < SPARE; i++)
		roles[i] = i < NR_SERVERS ? server_role : client_role;
	for (i = 0; i < NR_SERVERS; i++)
		new_instance(i);
	plan_ops();
	t0 = now_ns();
	if (start_children(SPARE, roles, true))
		return 1;
	for (i = 0; i < NR_SERVERS; i++) {
		sh->inst[i].pid = children[i].pid;
		cur[i] = i;
	}
	/* The spare entry: no process, no slot, until a swap. */
	memset(&children[SPARE], 0, sizeof(children[SPARE]));
	children[SPARE].index = SPARE;
	children[SPARE].role = server_role;
	children[SPARE].reaped = true;
	children[SPARE].cleared = true;
	nr_children = SPARE + 1;

	while ((done = total_progress()) < total) {
		if (done != last) {
			last = done;
			kick();
		}
		if (actions < nr_actions && done >= next &&
		    nr_inst < MAX_INSTANCES) {
			int s = rnd(&rs_rng, NR_SERVERS);

			if (act(s))
				return 1;
			actions++;
			next = threshold(actions, total, mean_gap);
			move_gate(actions < nr_actions ? gate_for(next, slack) :
				  nr_ops);
			phase = "running";
			kick();
			continue;
		}
		usleep(1000);
	}
	if (finish())
		return 1;
	return verdict((now_ns() - t0) / 1e9);
}

static int test_stress(void)
{
	struct sigaction sa;
	long n = slots_to_fill();
	int ret;

	if (!seed)
		seed = now_ns() ^ ((uint64_t)getpid() << 32);
	rs_rng = seed;
	pause_rng = ~seed;
	note("seed=%llu ops=%u actions=%u fill=%ld client_threads=%u server_threads=%u (replay: stress-test stress seed=%llu ops=%u actions=%u fill=%ld client_threads=%u server_threads=%u)",
	     seed, nr_ops, nr_actions, n, client_threads, server_threads,
	     seed, nr_ops, nr_actions, n, client_threads, server_threads);
	if (n < 0)
		return fail("cannot tell how many slots to fill");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hang;
	sigaction(SIGALRM, &sa, NULL);
	kick();
	ret = fill(n);
	if (!ret)
		ret = run();
	/*
	 * On failure, cleanup() kills and clears what is left, still under
	 * the watchdog.
	 */
	phase = "cleaning up";
	kick();
	if (unfill() && !ret)
		ret = 1;
	return ret ? ret : pass();
}

static const struct mxt_test tests[] = {
	{ "stress", test_stress },
};

static int parse_opt(const char *arg)
{
	unsigned long long v;
	char *end;

	if (!strcmp(arg, "fill=max")) {
		fill_arg = -1;
		return 0;
	}
	if (!strchr(arg, '='))
		return -1;
	errno = 0;
	v = strtoull(strchr(arg, '=') + 1, &end, 0);
	if (errno || *end || end == strchr(arg, '=') + 1)
		return -1;
	if (!strncmp(arg, "seed=", 5))
		seed = v;
	else if (!strncmp(arg, "ops=", 4) && v >= 1 && v <= 100000)
		nr_ops = v;
	else if (!strncmp(arg, "actions=", 8) &&
		 v <= MAX_INSTANCES - NR_SERVERS)
		nr_actions = v;
	else if (!strncmp(arg, "fill=", 5) && v <= MXSYS_MAX_SLOTS)
		fill_arg = v;
	else if (v < 1 || v > MAX_THREADS)
		return -1;
	else if (!strncmp(arg, "threads=", 8))
		client_threads = server_threads = v;
	else if (!strncmp(arg, "client_threads=", 15))
		client_threads = v;
	else if (!strncmp(arg, "server_threads=", 15))
		server_threads = v;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc; i++) {
		if (parse_opt(argv[i])) {
			fprintf(stderr, "stress-test: bad option '%s'\n"
				"usage: stress-test stress [seed=N] [ops=K] [actions=A] [fill=N|max]\n"
				"                          [threads=T] [client_threads=T] [server_threads=T] (T: 1..%d)\n",
				argv[i], MAX_THREADS);
			return 2;
		}
	}
	return mxt_main(argc < 2 ? argc : 2, argv, tests,
			MXT_ARRAY_SIZE(tests), "stress-test");
}
