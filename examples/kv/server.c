/* SPDX-License-Identifier: MIT */
/*
 * kv-server: a key/value server over TCP and a UNIX socket whose clients
 * lose nothing when it crashes or is updated (kv(8), README.md here).
 *
 *   kv-server [tcp=IP:PORT|none] [unix=PATH|none] [store=ds|file:DIR]
 *             [standalone] [listen-fd=N]
 *
 * Under RS (the normal way: minix-service up .../kv-server -label kv) three
 * things outlive the process:
 *   - the fd store keeps the listening sockets ("kv.tcp", "kv.unix") and
 *     every accepted connection ("kv.c.N"): the kernel holds them while no
 *     instance runs, so clients stay connected and new ones queue in the
 *     backlog;
 *   - a memfd in the fd store ("kv.state") holds each connection's
 *     protocol state (struct kv_conn, conn.h): the bytes of a request not
 *     yet whole, the write being applied and the last reply, so that the
 *     next instance finishes what the dead one was doing, once;
 *   - DS holds the keys: a write is in DS before its reply goes out.
 * A crash, a restart by RS (with a standby replica: -p) and a live update
 * all start the next instance through the same init: take the sockets and
 * the state back, finish each connection's interrupted step, serve.
 *
 * The sockets are served by one poll loop in a thread of its own; the main
 * thread answers RS in sef_receive(). RS's heartbeat is answered by the
 * loop, not by the main thread: a loop stuck in a fault (an endless loop,
 * a lock never released) while the main thread goes on is a service that
 * serves no one, and RS must see it as the hang it is. A live update
 * pauses the loop between two events (prepare), so the new version takes
 * over a state no one is changing; a rollback resumes it.
 *
 * standalone: no RS, no fd store, no DS (the baselines: the same server
 * under runsv or s6-supervise); store=file:DIR then keeps the keys, and
 * listen-fd=N serves a listening socket handed down (s6-fdholder).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <minix/sef.h>

#include "conn.h"
#include "net.h"
#include "store.h"
#include "version.h"

#define KV_MAX_CONNS		256
#define KV_STATE_MAGIC		0x6b763031	/* "kv01" */
#define KV_STORE_STATE		"kv.state"
#define KV_STORE_TCP		"kv.tcp"
#define KV_STORE_UNIX		"kv.unix"
#define KV_STORE_CONN		"kv.c."
/* How long a pause waits for the loop to reach the end of an event. */
#define KV_PAUSE_WAIT_MS	2000

/* What survives the process, in the memfd KV_STORE_STATE. */
struct kv_table {
	uint32_t magic;
	uint32_t size;			/* sizeof(struct kv_table) */
	struct kv_conn conns[KV_MAX_CONNS];
};

enum loop_state { LOOP_RUNNING, LOOP_PAUSING, LOOP_PAUSED };

static struct {
	/* Arguments. */
	char tcp[80], unix_path[120];
	const char *store_arg;
	bool standalone;
	int listen_fd_arg;

	struct kv_store *store;
	struct kv_table *tab;
	int lfd[2];			/* TCP, UNIX; -1 when off */
	int cfd[KV_MAX_CONNS];		/* -1 for a free slot */
	/*
	 * TCP's count of bytes written (tcp_written), kept here: read from
	 * the socket once when a connection is accepted or adopted, then
	 * advanced by what each send takes, so that a reply costs no
	 * getsockopt (a third system call per request). -1: not TCP, or
	 * the kernel keeps no count.
	 */
	int64_t written[KV_MAX_CONNS];
	int wake;			/* eventfd: a pause was asked for */
	int ping;			/* eventfd: RS pinged (ping_from) */
	endpoint_t ping_from;		/* under lock */
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;		/* loop */
	pthread_cond_t changed;
	enum loop_state loop;
} kv = {
	.tcp = KV_DEFAULT_TCP,
	.unix_path = KV_DEFAULT_UNIX,
	.store_arg = "ds",
	.listen_fd_arg = -1,
	.wake = -1,
	.ping = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
};

static void conn_name(int i, char *buf, size_t size)
{
	snprintf(buf, size, KV_STORE_CONN "%d", i);
}

/*
 * TCP's count of the bytes written to the socket, all time: those sent
 * (once: retransmissions aside) and those still waiting to be. It tells
 * the next instance whether a send the dead one made went out (conn.h,
 * kv_conn_recover_output). 0 when the kernel does not say.
 */
static int tcp_written(int fd, uint64_t *count)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_retrans) +
		  sizeof(ti.tcpi_bytes_retrans))
		return 0;
	*count = ti.tcpi_bytes_sent - ti.tcpi_bytes_retrans +
		 ti.tcpi_notsent_bytes;
	return 1;
}

static bool is_tcp(int fd)
{
	int domain = 0;
	socklen_t len = sizeof(domain);

	return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
	       (domain == AF_INET || domain == AF_INET6);
}

/* The count kept for a connection: -1 where the socket keeps none. */
static int64_t written_at_start(int fd)
{
	uint64_t count = 0;

	return is_tcp(fd) && tcp_written(fd, &count) ? (int64_t)count : -1;
}

/* ---- connections ---- */

static void set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * A connection ends: its record is freed first, so that a crash between
 * the two steps leaves a stored connection with no record, which the next
 * instance adopts afresh (and finds at its end again).
 */
static void conn_close(int i)
{
	char name[SEF_FD_NAME_LEN];

	kv.tab->conns[i].in_use = 0;
	if (!kv.standalone) {
		conn_name(i, name, sizeof(name));
		sef_fd_remove(name);
	}
	close(kv.cfd[i]);
	kv.cfd[i] = -1;
}

static void conn_accept(int lfd)
{
	char name[SEF_FD_NAME_LEN];
	int fd, i, r;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			fprintf(stderr, "kv-server: accept: %s\n",
				strerror(errno));
		return;
	}
	for (i = 0; i < KV_MAX_CONNS && kv.cfd[i] >= 0; i++)
		;
	if (i == KV_MAX_CONNS) {
		static const char full[] = "0 ERR too many connections\n";

		if (send(fd, full, sizeof(full) - 1, MSG_NOSIGNAL) < 0)
			fprintf(stderr, "kv-server: %s\n", strerror(errno));
		close(fd);
		return;
	}
	/* Record zeroed, connection stored, then the record in use. */
	kv_conn_init(&kv.tab->conns[i]);
	if (!kv.standalone) {
		conn_name(i, name, sizeof(name));
		r = sef_fd_replace(name, fd);
		if (r != OK)
			fprintf(stderr, "kv-server: cannot keep connection %d "
				"in the fd store (%d): a crash would lose it\n",
				i, r);
	}
	kv.tab->conns[i].in_use = 1;
	kv.cfd[i] = fd;
	kv.written[i] = written_at_start(fd);
}

/* Send what is pending; false when the socket is full or gone. */
static bool conn_flush(int i, bool *gone)
{
	struct kv_conn *c = &kv.tab->conns[i];
	const char *out;
	size_t n;
	ssize_t w;

	while ((n = kv_conn_output(c, &out)) > 0) {
		int64_t count = kv.written[i];

		kv_conn_sending(c, !kv.standalone && count >= 0,
				(uint64_t)count);
		w = send(kv.cfd[i], out, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return false;
			*gone = true;
			return false;
		}
		if (count >= 0)
			kv.written[i] += w;
		kv_conn_sent(c, (size_t)w);
	}
	return true;
}

/* Step the connection until it waits for input or for room to send. */
static void conn_serve(int i)
{
	struct kv_conn *c = &kv.tab->conns[i];
	bool gone = false;

	for (;;) {
		enum kv_step st = kv_conn_step(c, kv.store);

		if (st == KV_STEP_IDLE)
			return;
		if (!conn_flush(i, &gone)) {
			if (gone)
				conn_close(i);
			return;
		}
		if (st == KV_STEP_CLOSE) {
			conn_close(i);
			return;
		}
	}
}

static void conn_read(int i)
{
	struct kv_conn *c = &kv.tab->conns[i];
	char *space;
	size_t room = kv_conn_input_space(c, &space);
	ssize_t n;

	if (room == 0) {
		conn_serve(i);
		return;
	}
	/* Straight into the record: see conn.h, "read". */
	n = recv(kv.cfd[i], space, room, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0 && memchr(space, '\0', (size_t)n)) {
		/* Our input's length is its strlen: refuse NUL bytes. */
		static const char bad[] = "0 ERR NUL byte in request\n";

		ssize_t w = send(kv.cfd[i], bad, sizeof(bad) - 1,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		/* Counted too: the replies still to go are marked after it. */
		if (w > 0 && kv.written[i] >= 0)
			kv.written[i] += w;
		n = 0;
	}
	if (n <= 0) {
		/* The client is gone (or broke the protocol): answer what is
		 * whole, then close. */
		conn_serve(i);
		if (kv.cfd[i] >= 0)
			conn_close(i);
		return;
	}
	conn_serve(i);
}

/* ---- the loop ---- */

/* A pause was asked for: say so and wait until resumed. */
static void pause_here(void)
{
	uint64_t n;

	if (read(kv.wake, &n, sizeof(n)) < 0 && errno != EAGAIN)
		fprintf(stderr, "kv-server: eventfd: %s\n", strerror(errno));
	pthread_mutex_lock(&kv.lock);
	if (kv.loop == LOOP_PAUSING) {
		kv.loop = LOOP_PAUSED;
		pthread_cond_broadcast(&kv.changed);
		while (kv.loop == LOOP_PAUSED)
			pthread_cond_wait(&kv.changed, &kv.lock);
	}
	pthread_mutex_unlock(&kv.lock);
}

/*
 * RS pinged (SEF's thread): the loop answers, between two events, so
 * that the answer says the loop turns. Paused for a live update, or not
 * started yet, it cannot; nor is it meant to, and SEF's thread answers.
 */
static void ping_to_loop(endpoint_t src)
{
	uint64_t one = 1;
	bool loop_answers;

	pthread_mutex_lock(&kv.lock);
	loop_answers = kv.thread_started && kv.loop == LOOP_RUNNING;
	if (loop_answers)
		kv.ping_from = src;
	pthread_mutex_unlock(&kv.lock);
	if (!loop_answers || write(kv.ping, &one, sizeof(one)) < 0)
		sef_cb_ping_reply_pong(src);
}

static void answer_ping(void)
{
	endpoint_t src;
	uint64_t n;

	if (read(kv.ping, &n, sizeof(n)) < 0)
		return;
	pthread_mutex_lock(&kv.lock);
	src = kv.ping_from;
	pthread_mutex_unlock(&kv.lock);
	sef_cb_ping_reply_pong(src);
}

/* Who each polled descriptor is: >= 0 a connection. */
#define WHO_WAKE	-1
#define WHO_PING	-2
#define WHO_LISTEN(l)	(-3 - (l))

static void *serve_loop(void *arg)
{
	static struct pollfd p[3 + KV_MAX_CONNS];
	static int who[3 + KV_MAX_CONNS];

	(void)arg;
	for (;;) {
		int n = 0;

		if (kv.wake >= 0) {
			p[n] = (struct pollfd){ .fd = kv.wake, .events = POLLIN };
			who[n++] = WHO_WAKE;
		}
		if (kv.ping >= 0) {
			p[n] = (struct pollfd){ .fd = kv.ping, .events = POLLIN };
			who[n++] = WHO_PING;
		}
		for (int l = 0; l < 2; l++)
			if (kv.lfd[l] >= 0) {
				p[n] = (struct pollfd){ .fd = kv.lfd[l],
							.events = POLLIN };
				who[n++] = WHO_LISTEN(l);
			}
		for (int i = 0; i < KV_MAX_CONNS; i++) {
			const char *out;

			if (kv.cfd[i] < 0)
				continue;
			p[n] = (struct pollfd){ .fd = kv.cfd[i] };
			p[n].events = kv_conn_output(&kv.tab->conns[i], &out)
				? POLLOUT : POLLIN;
			who[n++] = i;
		}
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "kv-server: poll: %s\n", strerror(errno));
			exit(1);
		}
		for (int k = 0; k < n; k++) {
			if (!p[k].revents)
				continue;
			if (who[k] == WHO_WAKE) {
				pause_here();
				break;	/* the descriptors may have changed */
			} else if (who[k] == WHO_PING) {
				answer_ping();
			} else if (who[k] <= WHO_LISTEN(0)) {
				conn_accept(p[k].fd);
			} else if (kv.cfd[who[k]] == p[k].fd) {
				if (p[k].events & POLLOUT)
					conn_serve(who[k]);
				else
					conn_read(who[k]);
			}
		}
	}
	return NULL;
}

/* ---- start: what the previous instance left, or a fresh start ---- */

static int map_table(int fd, bool fresh)
{
	void *p;

	if (fresh && ftruncate(fd, sizeof(struct kv_table)) < 0)
		return -errno;
	p = mmap(NULL, sizeof(struct kv_table), PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	kv.tab = p;
	if (fresh) {
		kv.tab->size = sizeof(struct kv_table);
		kv.tab->magic = KV_STATE_MAGIC;
	}
	return kv.tab->magic == KV_STATE_MAGIC &&
	       kv.tab->size == sizeof(struct kv_table) ? OK : -EINVAL;
}

static int attach_table(void)
{
	int fd, r;

	if (kv.standalone) {
		kv.tab = calloc(1, sizeof(*kv.tab));
		return kv.tab ? OK : -ENOMEM;
	}
	fd = sef_fd_fetch(KV_STORE_STATE);
	if (fd >= 0) {
		r = map_table(fd, false);
		close(fd);
		if (r == OK)
			return OK;
		fprintf(stderr, "kv-server: the saved state is unusable (%d); "
			"starting afresh\n", r);
		munmap(kv.tab, sizeof(struct kv_table));
	}
	fd = memfd_create(KV_STORE_STATE, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = map_table(fd, true);
	if (r == OK)
		r = sef_fd_replace(KV_STORE_STATE, fd);
	close(fd);
	return r;
}

/* The listening socket kept as name, or a new one on addr, kept. */
static int open_listener(const char *name, const char *addr)
{
	char err[200];
	int fd, r;

	if (!strcmp(addr, "none"))
		return -1;
	if (!kv.standalone) {
		fd = sef_fd_fetch(name);
		if (fd >= 0) {
			set_nonblocking(fd);
			return fd;
		}
	}
	fd = kv_listen(addr, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "kv-server: %s\n", err);
		return -2;
	}
	if (!kv.standalone && (r = sef_fd_replace(name, fd)) != OK)
		fprintf(stderr, "kv-server: cannot keep %s in the fd store (%d)\n",
			addr, r);
	return fd;
}

/* Adopt the stored connections, and finish what each was doing. */
static void adopt_connections(void)
{
	static char names[SEF_FD_MAX][SEF_FD_NAME_LEN];
	int n = kv.standalone ? 0 : sef_fd_list(names, SEF_FD_MAX);
	int adopted = 0;

	for (int k = 0; k < n && k < SEF_FD_MAX; k++) {
		struct kv_conn *c;
		char *end;
		long i;
		int fd;

		if (strncmp(names[k], KV_STORE_CONN, strlen(KV_STORE_CONN)))
			continue;
		i = strtol(names[k] + strlen(KV_STORE_CONN), &end, 10);
		if (*end || i < 0 || i >= KV_MAX_CONNS)
			continue;
		fd = sef_fd_fetch(names[k]);
		if (fd < 0)
			continue;
		set_nonblocking(fd);
		c = &kv.tab->conns[i];
		if (!c->in_use) {
			/* Stored just before its record was: a new one. */
			kv_conn_init(c);
			c->in_use = 1;
		}
		if (kv_conn_recover(c, kv.store))
			fprintf(stderr, "kv-server: connection %ld: finished "
				"request %llu's write\n", i,
				(unsigned long long)c->pend.id);
		kv.written[i] = written_at_start(fd);
		kv_conn_recover_output(c, kv.written[i] >= 0,
				       (uint64_t)kv.written[i]);
		if (kv_conn_input_length(c) &&
		    !kv_line_length(c->in[c->cur], kv_conn_input_length(c)))
			fprintf(stderr, "kv-server: connection %ld: resuming a "
				"partial request (%zu bytes)\n", i,
				kv_conn_input_length(c));
		kv.cfd[i] = fd;
		adopted++;
	}
	/* Records whose connection is not stored: it went with a crash. */
	for (int i = 0; i < KV_MAX_CONNS; i++)
		if (kv.tab->conns[i].in_use && kv.cfd[i] < 0)
			kv.tab->conns[i].in_use = 0;
	if (adopted)
		fprintf(stderr, "kv-server: serving %d connection(s) again\n",
			adopted);
}

static int start_serving(void)
{
	int r;

	for (int i = 0; i < KV_MAX_CONNS; i++)
		kv.cfd[i] = -1;
	r = attach_table();
	if (r != OK) {
		fprintf(stderr, "kv-server: no state: %s\n", strerror(-r));
		return r;
	}
	if (kv.listen_fd_arg >= 0) {
		kv.lfd[0] = kv.listen_fd_arg;
		set_nonblocking(kv.lfd[0]);
	} else {
		kv.lfd[0] = open_listener(KV_STORE_TCP, kv.tcp);
	}
	kv.lfd[1] = open_listener(KV_STORE_UNIX, kv.unix_path);
	if (kv.lfd[0] == -2 || kv.lfd[1] == -2)
		return -EADDRINUSE;
	if (kv.lfd[0] < 0 && kv.lfd[1] < 0) {
		fprintf(stderr, "kv-server: nothing to listen on\n");
		return -EINVAL;
	}
	adopt_connections();
	/* Connections finished by recovery may have replies to send. */
	for (int i = 0; i < KV_MAX_CONNS; i++)
		if (kv.cfd[i] >= 0)
			conn_serve(i);
	return OK;
}

/* ---- SEF ---- */

static int init_kv(int type, sef_init_info_t *info)
{
	int r;

	(void)info;
	kv.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	kv.ping = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (kv.wake < 0 || kv.ping < 0)
		return -errno;
	r = start_serving();
	if (r != OK)
		return r;
	r = pthread_create(&kv.thread, NULL, serve_loop, NULL);
	if (r != 0)
		return -r;
	/* Named, so that ps, gdb and a test can tell it from SEF's thread. */
	pthread_setname_np(kv.thread, "kv-serve");
	pthread_mutex_lock(&kv.lock);
	kv.thread_started = true;
	pthread_mutex_unlock(&kv.lock);
	fprintf(stderr, "kv-server: serving (%s)\n",
		type == SEF_INIT_FRESH ? "fresh start" :
		type == SEF_INIT_LU ? "live update" : "restart");
	return OK;
}

/* Live update, old version: ready once the loop stopped between events. */
static int prepare(int state)
{
	struct timespec deadline;
	uint64_t one = 1;
	int r = OK;

	(void)state;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += KV_PAUSE_WAIT_MS / 1000;
	pthread_mutex_lock(&kv.lock);
	if (kv.loop == LOOP_RUNNING) {
		kv.loop = LOOP_PAUSING;
		if (write(kv.wake, &one, sizeof(one)) < 0)
			r = -errno;
	}
	while (r == OK && kv.loop == LOOP_PAUSING)
		if (pthread_cond_timedwait(&kv.changed, &kv.lock,
					   &deadline) == ETIMEDOUT)
			r = -ENOTREADY;
	pthread_mutex_unlock(&kv.lock);
	return r;
}

/*
 * The update ended without us being replaced: serve again. The new
 * version may have served a while before it failed (accepted, closed,
 * answered), so take the connections from the store again, as it left
 * them. The loop is paused: the table is ours.
 */
static void state_changed(int old_state, int state)
{
	bool paused;

	(void)old_state;
	if (state != SEF_LU_STATE_NULL)
		return;
	pthread_mutex_lock(&kv.lock);
	paused = kv.loop == LOOP_PAUSED;
	pthread_mutex_unlock(&kv.lock);
	if (paused) {
		for (int i = 0; i < KV_MAX_CONNS; i++)
			if (kv.cfd[i] >= 0) {
				close(kv.cfd[i]);
				kv.cfd[i] = -1;
			}
		adopt_connections();
	}
	pthread_mutex_lock(&kv.lock);
	kv.loop = LOOP_RUNNING;
	pthread_cond_broadcast(&kv.changed);
	pthread_mutex_unlock(&kv.lock);
}

static void usage_exit(const char *arg)
{
	fprintf(stderr, "kv-server: unknown argument '%s' (usage: kv-server "
		"[tcp=IP:PORT|none] [unix=PATH|none] [store=ds|file:DIR] "
		"[standalone] [listen-fd=N])\n", arg);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int n;

		if (!strncmp(a, "tcp=", 4)) {
			n = snprintf(kv.tcp, sizeof(kv.tcp), "%s%s",
				     strcmp(a + 4, "none") ? "tcp:" : "", a + 4);
		} else if (!strncmp(a, "unix=", 5)) {
			n = snprintf(kv.unix_path, sizeof(kv.unix_path), "%s%s",
				     strcmp(a + 5, "none") ? "unix:" : "", a + 5);
		} else if (!strncmp(a, "store=", 6)) {
			kv.store_arg = a + 6;
			n = 0;
		} else if (!strcmp(a, "standalone")) {
			kv.standalone = true;
			n = 0;
		} else if (sscanf(a, "listen-fd=%d", &kv.listen_fd_arg) == 1 &&
			   kv.listen_fd_arg >= 0) {
			n = 0;
		} else {
			usage_exit(a);
			return;
		}
		if (n >= 80)
			usage_exit(a);
	}
	if (!strcmp(kv.store_arg, "ds")) {
		if (kv.standalone) {
			fprintf(stderr, "kv-server: standalone has no DS: "
				"give store=file:DIR\n");
			exit(2);
		}
		kv.store = kv_store_ds();
	} else if (!strncmp(kv.store_arg, "file:", 5) && kv.store_arg[5]) {
		kv.store = kv_store_file(kv.store_arg + 5);
	} else {
		usage_exit(kv.store_arg);
	}
	kv.store = kv_store_cached(kv.store);
	if (!kv.store) {
		fprintf(stderr, "kv-server: out of memory\n");
		exit(1);
	}
}

int main(int argc, char *argv[])
{
	version_help_options(argc, argv, "kv-server",
		"usage: minix-service up /path/to/kv-server -label kv "
		"[-args '...']\n"
		"       kv-server standalone store=file:DIR [...]\n"
		"The example key/value server: kv(8). Arguments: tcp=IP:PORT|none "
		"(default\n127.0.0.1:7070), unix=PATH|none (default "
		"/run/kv.sock), store=ds|file:DIR,\nstandalone (no RS: the "
		"baselines), listen-fd=N (a listening socket handed down).\n");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);

	if (kv.standalone) {
		if (start_serving() != OK)
			return 1;
		fprintf(stderr, "kv-server: serving (standalone)\n");
		serve_loop(NULL);
		return 1;
	}

	sef_setcb_init_fresh(init_kv);
	sef_setcb_init_lu(init_kv);
	sef_setcb_init_restart(init_kv);
	sef_setcb_lu_prepare(prepare);
	sef_setcb_lu_state_changed(state_changed);
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_setcb_ping_reply(ping_to_loop);
	sef_startup();

	for (;;) {
		message m;
		int r = sef_receive(ANY, &m);

		if (r == -EINTR)
			continue;
		if (r != OK) {
			fprintf(stderr, "kv-server: receive failed: %d\n", r);
			return 1;
		}
		fprintf(stderr, "kv-server: ignoring message 0x%x from %d\n",
			(unsigned int)m.m_type, m.m_source);
	}
}
