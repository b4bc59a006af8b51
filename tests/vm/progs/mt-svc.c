// SPDX-License-Identifier: MIT
/*
 * mt-svc: multithreaded SEF services for suite 66-threads, under the real
 * rs-daemon and ds-daemon. One binary, three roles (-args "ROLE ..."):
 *
 *   echo      answers MT_ECHO(v) with MT_ECHO_REPLY(v + 1). On
 *             MT_PUSH_START(n) it sends the requester n MT_PUSH messages
 *             with asynsend3(AMF_NOREPLY), from a thread of its own, while
 *             its SEF thread goes on answering: the pushes must reach the
 *             requester's receiving threads, never a thread of it waiting
 *             for an MT_ECHO_REPLY. Live-updatable: its prepare callback
 *             says ready only when no push thread runs.
 *   pusher    on MT_PUSH_START(n) sends n MT_PUSH with ipc_send from a
 *             thread of its own.
 *   client ROUNDS PUSHES
 *             CALLERS threads each make ROUNDS round trips, in turn a DS
 *             publish of its own key, a DS retrieve of it (it must read
 *             back what it wrote) and a sendrec to echo (the reply must
 *             carry its own value + 1); meanwhile the SEF thread
 *             (sef_receive from ANY), a second thread receiving from ANY
 *             and a third receiving from pusher only take PUSHES pushes
 *             from echo and PUSHES from pusher. Each push must arrive
 *             exactly once, at a receiver that accepts its sender, and no
 *             receiver may see a reply.
 *
 *   watch KEY
 *             every 50 ms, writes KEY's u32 value in DS (or "none") to
 *             /tmp/mt-svc/KEY.value, for the suite to read DS.
 *
 * The client writes one line to /tmp/mt-svc/LABEL.result when it is done:
 *   ok calls=N pushes=N receivers=A/B/C
 * or `fail WHY`, also written by a watchdog thread when nothing moved for
 * MT_STALL_S seconds (a lost reply hangs its caller forever). The client
 * then stays up, idle, until it is taken down.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/ipc.h>
#include <minix/sef.h>

#define MT_DIR		"/tmp/mt-svc"
#define MT_ECHO		0x3100
#define MT_ECHO_REPLY	0x3101
#define MT_PUSH_START	0x3102
#define MT_PUSH		0x3103

#define CALLERS		8
#define MAX_PUSHES	100000
#define MT_STALL_S	60

static const char *label = "mt";

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mt-svc %s: ", label);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static message make(int32_t type, uint64_t value)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_u64[0] = value;
	return m;
}

/* ---- echo and pusher: pushes from a thread of their own ---- */

struct push_job {
	endpoint_t target;
	uint64_t count;
	bool noreply;		/* asynsend3(AMF_NOREPLY), else ipc_send */
};

static atomic_int pushers_running;

static void *push_thread(void *arg)
{
	struct push_job *job = arg;

	for (uint64_t seq = 0; seq < job->count; seq++) {
		message m = make(MT_PUSH, seq);
		int r;

		for (;;) {
			r = job->noreply ? asynsend3(job->target, &m, AMF_NOREPLY) :
					   ipc_send(job->target, &m);
			/* A full queue of ours: the receivers catch up. */
			if (r != -EAGAIN)
				break;
			usleep(1000);
		}
		if (r != OK)
			die("push %llu to %d: %d", (unsigned long long)seq,
			    job->target, r);
	}
	free(job);
	atomic_fetch_sub(&pushers_running, 1);
	return NULL;
}

static void start_pushing(const message *m, bool noreply)
{
	struct push_job *job = malloc(sizeof(*job));
	pthread_t t;

	if (!job)
		die("out of memory");
	job->target = m->m_source;
	job->count = m->m_u64[0];
	job->noreply = noreply;
	atomic_fetch_add(&pushers_running, 1);
	if (pthread_create(&t, NULL, push_thread, job) != 0)
		die("pthread_create failed");
	pthread_detach(t);
}

/* A live update waits until no push is under way: then the SEF thread
 * is all there is, and it is between two messages. */
static int prepare_when_no_push(int state)
{
	(void)state;
	return atomic_load(&pushers_running) ? -ENOTREADY : OK;
}

static int init_server(int type, sef_init_info_t *info)
{
	(void)info;
	fprintf(stderr, "mt-svc %s: init type %d\n", label, type);
	return OK;
}

static void serve(bool noreply)
{
	sef_setcb_init_fresh(init_server);
	sef_setcb_init_restart(init_server);
	sef_setcb_init_lu(init_server);
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	sef_setcb_lu_prepare(prepare_when_no_push);
	sef_startup();
	for (;;) {
		message m;
		int status, r;

		r = sef_receive_status(ANY, &m, &status);
		if (r != OK)
			die("receive: %d", r);
		if (m.m_type == MT_ECHO) {
			message reply = make(MT_ECHO_REPLY, m.m_u64[0] + 1);

			r = ipc_sendnb(m.m_source, &reply);
			if (r != OK)
				die("reply to %d: %d", m.m_source, r);
		} else if (m.m_type == MT_PUSH_START) {
			start_pushing(&m, noreply);
		}
	}
}

/* ---- client ---- */

static struct {
	endpoint_t echo, pusher;
	uint64_t rounds, pushes;
	atomic_ullong progress;		/* calls and pushes done */
	atomic_ullong calls;
	atomic_ullong pushes_seen;
	/* One bit per push, per sender: exactly once. */
	atomic_uchar seen[2][MAX_PUSHES / 8 + 1];
	atomic_ullong by_receiver[3];
	pthread_mutex_t lock;
	bool finished;
} cl = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Write the verdict once; the first one counts. */
static void verdict(const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	pthread_mutex_lock(&cl.lock);
	if (cl.finished) {
		pthread_mutex_unlock(&cl.lock);
		return;
	}
	cl.finished = true;
	snprintf(path, sizeof(path), "%s/%s.result", MT_DIR, label);
	f = fopen(path, "w");
	if (f) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
		fputc('\n', f);
		fclose(f);
	}
	va_start(ap, fmt);
	fprintf(stderr, "mt-svc %s: ", label);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	pthread_mutex_unlock(&cl.lock);
}

/* The verdict, from whichever thread finishes the last call or push. */
static void check_done(void)
{
	if (atomic_load(&cl.calls) == cl.rounds * CALLERS &&
	    atomic_load(&cl.pushes_seen) == 2 * cl.pushes)
		verdict("ok calls=%llu pushes=%llu receivers=%llu/%llu/%llu",
			(unsigned long long)atomic_load(&cl.calls),
			(unsigned long long)atomic_load(&cl.pushes_seen),
			(unsigned long long)atomic_load(&cl.by_receiver[0]),
			(unsigned long long)atomic_load(&cl.by_receiver[1]),
			(unsigned long long)atomic_load(&cl.by_receiver[2]));
}

static void *caller(void *arg)
{
	unsigned int index = (unsigned int)(uintptr_t)arg;
	uint32_t written = 0;
	char key[DS_MAX_KEYLEN];

	snprintf(key, sizeof(key), "mt.%s.%u", label, index);
	for (uint64_t round = 0; round < cl.rounds; round++) {
		message m;
		u32_t value;
		int r;

		switch (round % 3) {
		case 0:
			written = (uint32_t)round;
			r = ds_publish_u32(key, written, DSF_OVERWRITE);
			if (r != OK) {
				verdict("fail caller %u: ds_publish_u32: %d", index, r);
				return NULL;
			}
			break;
		case 1:
			r = ds_retrieve_u32(key, &value);
			if (r != OK || value != written) {
				verdict("fail caller %u: ds_retrieve_u32: %d, %u instead of %u",
					index, r, value, written);
				return NULL;
			}
			break;
		default:
			m = make(MT_ECHO, ((uint64_t)index << 40) | round);
			r = ipc_sendrec(cl.echo, &m);
			if (r != OK || m.m_source != cl.echo ||
			    m.m_type != MT_ECHO_REPLY ||
			    m.m_u64[0] != (((uint64_t)index << 40) | round) + 1) {
				verdict("fail caller %u round %llu: sendrec %d, type %#x from %d value %#llx",
					index, (unsigned long long)round, r,
					(unsigned int)m.m_type, m.m_source,
					(unsigned long long)m.m_u64[0]);
				return NULL;
			}
		}
		atomic_fetch_add(&cl.calls, 1);
		atomic_fetch_add(&cl.progress, 1);
	}
	check_done();
	return NULL;
}

/* A message one of the receivers took; false after a verdict. */
static bool take_push(int receiver, const message *m)
{
	int sender = m->m_source == cl.echo ? 0 :
		     m->m_source == cl.pusher ? 1 : -1;
	uint64_t seq = m->m_u64[0];
	unsigned char bit;

	if (m->m_type != MT_PUSH || sender < 0) {
		verdict("fail receiver %d took type %#x from %d (a reply, or not for it)",
			receiver, (unsigned int)m->m_type, m->m_source);
		return false;
	}
	if (receiver == 2 && sender != 1) {
		verdict("fail the receiver from pusher took a push from echo");
		return false;
	}
	if (seq >= cl.pushes) {
		verdict("fail push %llu from %d: out of range",
			(unsigned long long)seq, m->m_source);
		return false;
	}
	bit = (unsigned char)(1u << (seq % 8));
	if (atomic_fetch_or(&cl.seen[sender][seq / 8], bit) & bit) {
		verdict("fail push %llu from %d arrived twice",
			(unsigned long long)seq, m->m_source);
		return false;
	}
	atomic_fetch_add(&cl.by_receiver[receiver], 1);
	atomic_fetch_add(&cl.pushes_seen, 1);
	atomic_fetch_add(&cl.progress, 1);
	check_done();
	return true;
}

static void *raw_receiver(void *arg)
{
	int receiver = (int)(intptr_t)arg;
	endpoint_t from = receiver == 2 ? cl.pusher : ANY;

	for (;;) {
		message m;
		int r = ipc_receive(from, &m, NULL);

		if (r != OK) {
			verdict("fail receiver %d: ipc_receive: %d", receiver, r);
			return NULL;
		}
		if (!take_push(receiver, &m))
			return NULL;
	}
}

static void *watchdog(void *arg)
{
	unsigned long long last = 0;
	int still = 0;

	(void)arg;
	for (;;) {
		unsigned long long now;

		sleep(1);
		now = atomic_load(&cl.progress);
		still = now == last ? still + 1 : 0;
		last = now;
		if (still >= MT_STALL_S) {
			verdict("fail nothing moved for %d s: calls %llu of %llu, pushes %llu of %llu",
				MT_STALL_S, (unsigned long long)atomic_load(&cl.calls),
				(unsigned long long)(cl.rounds * CALLERS),
				(unsigned long long)atomic_load(&cl.pushes_seen),
				(unsigned long long)(2 * cl.pushes));
			return NULL;
		}
	}
}

static endpoint_t lookup(const char *name)
{
	endpoint_t ep;
	int r = ds_retrieve_label_endpt(name, &ep);

	if (r != OK)
		die("no label %s in ds: %d", name, r);
	return ep;
}

static void spawn(void *(*fn)(void *), void *arg, pthread_t *t)
{
	pthread_t tmp;

	if (pthread_create(t ? t : &tmp, NULL, fn, arg) != 0)
		die("pthread_create failed");
	if (!t)
		pthread_detach(tmp);
}

static void client(void)
{
	message m;

	sef_startup();
	cl.echo = lookup("mt-echo");
	cl.pusher = lookup("mt-pusher");
	spawn(watchdog, NULL, NULL);
	spawn(raw_receiver, (void *)(intptr_t)1, NULL);
	spawn(raw_receiver, (void *)(intptr_t)2, NULL);
	for (unsigned int i = 0; i < CALLERS; i++)
		spawn(caller, (void *)(uintptr_t)i, NULL);

	/* Start both pushers: requests, not replies, so NOREPLY. */
	m = make(MT_PUSH_START, cl.pushes);
	if (asynsend3(cl.echo, &m, AMF_NOREPLY) != OK ||
	    asynsend3(cl.pusher, &m, AMF_NOREPLY) != OK)
		die("cannot start the pushers");

	/* The SEF thread is receiver 0; it stays up, idle, once all is done
	 * (an exit would be a crash to RS). */
	for (;;) {
		int r = sef_receive(ANY, &m);

		if (r != OK)
			die("sef_receive: %d", r);
		if (!take_push(0, &m))
			break;
	}
	for (;;)
		sef_receive(ANY, &m);
}

static void watch(const char *key)
{
	char path[256], tmp[300];

	snprintf(path, sizeof(path), "%s/%s.value", MT_DIR, key);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	sef_startup();
	for (;;) {
		u32_t value;
		FILE *f = fopen(tmp, "w");

		if (!f)
			die("%s: cannot write", tmp);
		if (ds_retrieve_u32(key, &value) == OK)
			fprintf(f, "%u\n", value);
		else
			fprintf(f, "none\n");
		fclose(f);
		rename(tmp, path);
		usleep(50 * 1000);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stderr, NULL, _IOLBF, 0);
	mkdir(MT_DIR, 0777);
	if (argc >= 2 && !strcmp(argv[1], "echo")) {
		label = "mt-echo";
		serve(true);
	} else if (argc >= 2 && !strcmp(argv[1], "pusher")) {
		label = "mt-pusher";
		serve(false);
	} else if (argc == 3 && !strcmp(argv[1], "watch")) {
		label = "mt-watch";
		watch(argv[2]);
	} else if (argc == 5 && !strcmp(argv[1], "client")) {
		label = argv[2];
		cl.rounds = strtoull(argv[3], NULL, 10);
		cl.pushes = strtoull(argv[4], NULL, 10);
		if (!cl.rounds || !cl.pushes || cl.pushes > MAX_PUSHES)
			die("client LABEL ROUNDS PUSHES (PUSHES at most %d)",
			    MAX_PUSHES);
		client();
	}
	fprintf(stderr, "usage: mt-svc echo | pusher | watch KEY | client LABEL ROUNDS PUSHES\n");
	return 2;
}
