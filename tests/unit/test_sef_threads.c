/* SPDX-License-Identifier: MIT */
/*
 * libsef from several threads at once, on a thread-safe fake of the
 * module: worker threads make DS calls, sendrecs, grants and sef_self()
 * while the SEF thread serves pings, signals, live-update requests and the
 * service's own messages in sef_receive(). Built twice: under ASan/UBSan
 * (test_sef_threads) and under ThreadSanitizer (test_sef_threads_tsan),
 * which fails the test on any data race in libsef.
 *
 * The fake stands in for libsef/ipc.c, kernel_call.c and sef_slot.c (as
 * test_sef_fake.c does for the scripted tests). The module's own routing
 * rules (a reply reaches the thread that asked) are tested in the VM
 * (tests/vm/progs/thread-test.c); here a sendrec is answered in the
 * calling thread, and the SEF thread's receive blocks on a queue that the
 * test fills.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/ipc.h>
#include <minix/safecopies.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../libsef/sef_internal.h"

#if defined(__SANITIZE_THREAD__)
/* A race is a failure, not a warning at exit. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "halt_on_error=1";
}
#endif

#define SELF_EP		MXSYS_ENDPOINT(3, 11)
#define ECHO_EP		MXSYS_ENDPOINT(1, 12)
#define T_ECHO		0x7e01	/* to ECHO_EP: value comes back + 1 */
#define T_WORK		0x7e02	/* a message for the service itself */
#define T_QUIT		0x7e03	/* ends the SEF thread's loop */

#define WORKERS		8
#define ROUNDS		400
#define DS_KEYS		64
#define QUEUE_MAX	256

/* ---- the fake module ---- */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	/* Messages for the process's receive, in order. */
	message queue[QUEUE_MAX];
	int queue_call[QUEUE_MAX];
	int head, count;
	int receivers;		/* threads blocked in ipc_receive */
	/* A little DS: u32 keys. */
	char keys[DS_KEYS][DS_MAX_KEYLEN];
	uint32_t values[DS_KEYS];
	int nkeys;
	/* What libsef did. */
	int pongs;		/* notify to RS */
	int lu_replies;		/* RS_LU_PREPARE sendrecs */
	int live_grants;
	int next_grant;
} fk = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
};

static void fake_reset(void)
{
	pthread_mutex_lock(&fk.lock);
	fk.head = fk.count = fk.nkeys = 0;
	fk.pongs = fk.lu_replies = fk.live_grants = fk.next_grant = 0;
	pthread_mutex_unlock(&fk.lock);
}

/* Queue a message for the process; the SEF thread's receive takes it. */
static void deliver_msg(const message *msg, int call)
{
	int tail;

	pthread_mutex_lock(&fk.lock);
	ck_assert_int_lt(fk.count, QUEUE_MAX);
	tail = (fk.head + fk.count) % QUEUE_MAX;
	fk.queue[tail] = *msg;
	fk.queue_call[tail] = call;
	fk.count++;
	pthread_cond_broadcast(&fk.changed);
	pthread_mutex_unlock(&fk.lock);
}

/* A message of @type from @src with @value in its first payload word. */
static void deliver(endpoint_t src, int32_t type, int call, int32_t value)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_source = src;
	m.m_type = type;
	m.m_i32.i[0] = value;
	deliver_msg(&m, call);
}

/* Wait until a thread is blocked in ipc_receive with nothing to take. */
static void await_receiver(void)
{
	pthread_mutex_lock(&fk.lock);
	while (fk.receivers == 0 || fk.count > 0)
		pthread_cond_wait(&fk.changed, &fk.lock);
	pthread_mutex_unlock(&fk.lock);
}

/* Wait until the process has taken everything queued for it. */
static void await_drained(void)
{
	pthread_mutex_lock(&fk.lock);
	while (fk.count > 0)
		pthread_cond_wait(&fk.changed, &fk.lock);
	pthread_mutex_unlock(&fk.lock);
}

int ipc_fd(void)
{
	errno = ENODEV;
	return -1;
}

int ipc_receive(endpoint_t src, message *m, int *status)
{
	(void)src;
	if (!m)
		return -EINVAL;
	pthread_mutex_lock(&fk.lock);
	fk.receivers++;
	pthread_cond_broadcast(&fk.changed);
	while (fk.count == 0)
		pthread_cond_wait(&fk.changed, &fk.lock);
	fk.receivers--;
	*m = fk.queue[fk.head];
	if (status)
		*status = fk.queue_call[fk.head];
	fk.head = (fk.head + 1) % QUEUE_MAX;
	fk.count--;
	pthread_cond_broadcast(&fk.changed);
	pthread_mutex_unlock(&fk.lock);
	return OK;
}

static int ds_slot(const char *key, bool create)
{
	for (int i = 0; i < fk.nkeys; i++)
		if (!strcmp(fk.keys[i], key))
			return i;
	if (!create || fk.nkeys == DS_KEYS)
		return -1;
	snprintf(fk.keys[fk.nkeys], DS_MAX_KEYLEN, "%s", key);
	return fk.nkeys++;
}

/* DS's answer to a u32 request, in place. */
static void fake_ds(message *m)
{
	int i;

	switch (m->m_type) {
	case DS_PUBLISH:
		i = ds_slot(m->m_ds.key, true);
		if (i >= 0)
			fk.values[i] = m->m_ds.val_u32;
		m->m_type = i >= 0 ? OK : -ENOMEM;
		break;
	case DS_RETRIEVE:
		i = ds_slot(m->m_ds.key, false);
		if (i >= 0)
			m->m_ds.val_u32 = fk.values[i];
		m->m_type = i >= 0 ? OK : -ESRCH;
		break;
	default:
		m->m_type = -EINVAL;
	}
}

int ipc_sendrec(endpoint_t dst, message *m)
{
	if (!m)
		return -EINVAL;
	pthread_mutex_lock(&fk.lock);
	if (dst == DS_PROC_NR) {
		fake_ds(m);
	} else if (dst == ECHO_EP && m->m_type == T_ECHO) {
		m->m_u64[0]++;
	} else if (dst == RS_PROC_NR && m->m_type == RS_LU_PREPARE) {
		/* The update was rolled back: the old process goes on. */
		fk.lu_replies++;
		m->m_type = -ERESTART;
	} else if (dst == RS_PROC_NR && m->m_type == RS_INIT) {
		m->m_type = OK;
	} else {
		m->m_type = -EBADREQUEST;
	}
	m->m_source = dst;
	pthread_mutex_unlock(&fk.lock);
	return OK;
}

int ipc_notify(endpoint_t dst)
{
	pthread_mutex_lock(&fk.lock);
	if (dst == RS_PROC_NR)
		fk.pongs++;
	pthread_mutex_unlock(&fk.lock);
	return OK;
}

int ipc_send(endpoint_t dst, message *m)
{
	(void)dst;
	return m ? OK : -EINVAL;
}

int ipc_sendnb(endpoint_t dst, message *m)
{
	(void)dst;
	return m ? OK : -EINVAL;
}

int ipc_senda(endpoint_t dst, message *m)
{
	(void)dst;
	return m ? OK : -EINVAL;
}

int asynsend3(endpoint_t dst, message *m, int flags)
{
	return flags & ~AMF_NOREPLY ? -EINVAL : ipc_senda(dst, m);
}

static int fake_setgrant(struct mxsys_grant *g)
{
	int r = OK;

	pthread_mutex_lock(&fk.lock);
	if (g->request == MXSYS_GRANT_DIRECT) {
		g->grant = fk.next_grant++;
		fk.live_grants++;
	} else if (g->request == MXSYS_GRANT_REVOKE && fk.live_grants > 0) {
		fk.live_grants--;
	} else {
		r = -EINVAL;
	}
	pthread_mutex_unlock(&fk.lock);
	return r;
}

int kernel_call(unsigned long request, void *arg)
{
	struct mxsys_whoami *who = arg;
	struct mxsys_ksig *k = arg;

	switch (request) {
	case MXSYS_IOC_WHOAMI:
		memset(who, 0, sizeof(*who));
		who->endpoint = SELF_EP;
		who->flags = MXSYS_SYS_PROC;
		strcpy(who->name, "svc");
		return OK;
	case MXSYS_IOC_SETGRANT:
		return fake_setgrant(arg);
	case MXSYS_IOC_GETKSIG:
		memset(k, 0, sizeof(*k));
		k->endpoint = NONE;
		return OK;
	case MXSYS_IOC_EXIT:
		return OK;
	default:
		return -ECALLDENIED;
	}
}

int sef_slot_signal_manager(endpoint_t ep, endpoint_t *mgr)
{
	(void)ep;
	*mgr = RS_PROC_NR;
	return OK;
}

int sef_slot_sig_pending(endpoint_t ep, uint64_t *pending)
{
	(void)ep;
	*pending = 0;
	return OK;
}

/* ---- the service ---- */

static atomic_int signals_handled;

static void count_signal(int signo)
{
	if (signo == SIGUSR1)
		atomic_fetch_add(&signals_handled, 1);
}

static void start_service(void)
{
	fake_reset();
	atomic_store(&signals_handled, 0);
	sef_setcb_signal_handler(count_signal);
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_workfree);
	/* A zeroed RS_INIT is SEF_INIT_FRESH. */
	deliver(RS_PROC_NR, RS_INIT, MXSYS_CALL_SENDA, 0);
	sef_startup();
}

/* The SEF thread: the service's loop, counting its own messages. */
static void *sef_thread(void *arg)
{
	atomic_int *work = arg;
	message m;

	for (;;) {
		ck_assert_int_eq(sef_receive(ANY, &m), OK);
		if (m.m_type == T_QUIT)
			return NULL;
		ck_assert_int_eq(m.m_type, T_WORK);
		atomic_fetch_add(work, 1);
	}
}

struct worker {
	pthread_t thread;
	int index;
	int failures;
};

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	char key[DS_MAX_KEYLEN];
	char buf[16];

	snprintf(key, sizeof(key), "worker.%d", w->index);
	for (uint32_t i = 0; i < ROUNDS; i++) {
		message m;
		u32_t got = 0;
		cp_grant_id_t g;

		/* DS: this thread's key holds what it last wrote. */
		if (ds_publish_u32(key, i, DSF_OVERWRITE) != OK ||
		    ds_retrieve_u32(key, &got) != OK || got != i)
			w->failures++;
		/* Another server. */
		memset(&m, 0, sizeof(m));
		m.m_type = T_ECHO;
		m.m_u64[0] = ((uint64_t)w->index << 32) | i;
		if (ipc_sendrec(ECHO_EP, &m) != OK ||
		    m.m_u64[0] != (((uint64_t)w->index << 32) | i) + 1)
			w->failures++;
		if (sef_self() != SELF_EP)
			w->failures++;
		g = cpf_grant_direct(ECHO_EP, (vir_bytes)buf, sizeof(buf),
				     CPF_READ);
		if (g == GRANT_INVALID || cpf_revoke(g) != OK)
			w->failures++;
	}
	return NULL;
}

START_TEST(workers_beside_the_sef_thread)
{
	struct worker workers[WORKERS];
	atomic_int work = 0;
	pthread_t sef;

	start_service();
	ck_assert_int_eq(pthread_create(&sef, NULL, sef_thread, &work), 0);
	for (int i = 0; i < WORKERS; i++) {
		workers[i] = (struct worker){ .index = i };
		ck_assert_int_eq(pthread_create(&workers[i].thread, NULL,
						worker_thread, &workers[i]), 0);
	}
	/* Meanwhile RS pings, signals and asks for updates, and clients call. */
	for (int i = 0; i < 40; i++) {
		message lu;

		deliver(RS_PROC_NR, NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, 0);
		deliver(RS_PROC_NR, SIGS_SIGNAL_RECEIVED, MXSYS_CALL_SENDA,
			SIGUSR1);
		memset(&lu, 0, sizeof(lu));
		lu.m_source = RS_PROC_NR;
		lu.m_type = RS_LU_PREPARE;
		lu.m_rs_lu_prepare.state = SEF_LU_STATE_WORK_FREE;
		deliver_msg(&lu, MXSYS_CALL_SENDA);
		deliver(ECHO_EP, T_WORK, MXSYS_CALL_SEND, 0);
		await_drained();
	}
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(workers[i].thread, NULL);
		ck_assert_msg(workers[i].failures == 0,
			      "worker %d: %d calls went wrong", i,
			      workers[i].failures);
	}
	deliver(ECHO_EP, T_QUIT, MXSYS_CALL_SEND, 0);
	pthread_join(sef, NULL);

	ck_assert_int_eq(atomic_load(&work), 40);
	ck_assert_int_eq(fk.pongs, 40);
	ck_assert_int_eq(atomic_load(&signals_handled), 40);
	ck_assert_int_eq(fk.lu_replies, 40);
	ck_assert_int_eq(fk.live_grants, 0);
	ck_assert_int_eq(fk.nkeys, WORKERS);
}
END_TEST

static void *second_receiver(void *arg)
{
	message m;

	*(int *)arg = sef_receive(ANY, &m);
	return NULL;
}

START_TEST(one_thread_receives)
{
	atomic_int work = 0;
	pthread_t sef, other;
	int r = OK;

	start_service();
	ck_assert_int_eq(pthread_create(&sef, NULL, sef_thread, &work), 0);
	await_receiver();
	ck_assert_int_eq(pthread_create(&other, NULL, second_receiver, &r), 0);
	pthread_join(other, NULL);
	ck_assert_int_eq(r, -EBUSY);
	deliver(ECHO_EP, T_QUIT, MXSYS_CALL_SEND, 0);
	pthread_join(sef, NULL);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("sef_threads");
	TCase *tc = tcase_create("threads");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, workers_beside_the_sef_thread);
	tcase_add_test(tc, one_thread_receives);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(threads_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
