// SPDX-License-Identifier: MIT
/*
 * ipc-test: in-guest tests of mxsys.ko's IPC and kernel calls through raw
 * ioctls on /dev/mxsys (tests/vm/suites/10-ipc.sh).
 *
 *   ipc-test SUBCOMMAND      one of the names in `tests` below
 *   ipc-test list            the names, one a line
 *
 * The program acts as a fake RS with the harness of lib/mxtest.h: each
 * test forks children with one role each and prints `PASS: NAME` or
 * `FAIL: NAME: WHY`; the program exits 0 only on a pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"

/* ---- rendezvous ---- */

static int rendezvous_a(struct child *self)
{
	struct mxsys_message m1 = make_msg(100, 0x1122334455667788ULL);
	struct mxsys_message m2 = make_msg(101, 2);

	strcpy((char *)&m1.m_payload[8], "hello");
	return !(expect_ret("send 1", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m1, NULL), 0) &&
		 expect_ret("send 2", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m2, NULL), 0));
}

static int rendezvous_b(struct child *self)
{
	struct mxsys_message msg;
	uint32_t status;

	if (!expect_ret("receive(A)", ipc(self->fd, MXSYS_IOC_RECEIVE, eps[0], &msg, &status), 0) ||
	    !expect_msg("receive(A)", &msg, status, eps[0], 100, MXSYS_CALL_SEND))
		return 1;
	if (msg.m_u64[0] != 0x1122334455667788ULL ||
	    strcmp((char *)&msg.m_payload[8], "hello")) {
		note("payload corrupted");
		return 1;
	}
	if (!expect_ret("receive(C)", ipc(self->fd, MXSYS_IOC_RECEIVE, eps[2], &msg, &status), 0) ||
	    !expect_msg("receive(C)", &msg, status, eps[2], 200, MXSYS_CALL_SEND))
		return 1;
	if (!expect_ret("receive(ANY)", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &msg, &status), 0) ||
	    !expect_msg("receive(ANY)", &msg, status, eps[0], 101, MXSYS_CALL_SEND))
		return 1;
	return 0;
}

static int rendezvous_c(struct child *self)
{
	struct mxsys_message m = make_msg(200, 0);

	return !expect_ret("send", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m, NULL), 0);
}

static int test_rendezvous(void)
{
	static const role_fn roles[] = { rendezvous_a, rendezvous_b, rendezvous_c };

	if (start_children(3, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- sendrec ---- */

static int sendrec_a(struct child *self)
{
	struct mxsys_message m = make_msg(7, 41);

	if (!expect_ret("sendrec", ipc(self->fd, MXSYS_IOC_SENDREC, eps[1], &m, NULL), 0))
		return 1;
	if (m.m_source != eps[1] || m.m_type != 8 || m.m_u64[0] != 42) {
		note("reply: source %d type %d value %llu", m.m_source,
		     m.m_type, (unsigned long long)m.m_u64[0]);
		return 1;
	}
	return 0;
}

static int sendrec_b(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("request", &m, status, eps[0], 7, MXSYS_CALL_SENDREC))
		return 1;
	m = make_msg(8, m.m_u64[0] + 1);
	return !expect_ret("reply", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m, NULL), 0);
}

static int test_sendrec(void)
{
	static const role_fn roles[] = { sendrec_a, sendrec_b };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- restart: signals interrupt blocked calls, which restart ---- */

static volatile sig_atomic_t handled;

/* Tells the parent that the handler ran: the call was interrupted. */
static void count_signal(int sig)
{
	char c = 1;

	(void)sig;
	handled++;
	if (write(sync_pipe[1], &c, 1) != 1)
		handled = -1000;
}

/*
 * The client takes SIGUSR1 with a handler and no SA_RESTART, so only the
 * module's restart keeps its calls from failing with EINTR.
 */
static int restart_client(struct child *self)
{
	struct sigaction sa = { .sa_handler = count_signal };
	struct mxsys_message m = make_msg(7, 41);
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigaction(SIGUSR1, &sa, NULL) < 0 ||
	    sigprocmask(SIG_UNBLOCK, &usr1, NULL) < 0)
		return 1;
	if (!expect_ret("interrupted sendrec", ipc(self->fd, MXSYS_IOC_SENDREC, eps[1], &m, NULL), 0))
		return 1;
	if (m.m_type != 8 || m.m_u64[0] != 42 || handled != 1) {
		note("reply type %d value %llu after %d signals", m.m_type,
		     (unsigned long long)m.m_u64[0], (int)handled);
		return 1;
	}
	/* The next call gets its own reply, not a leftover of the first. */
	m = make_msg(7, 43);
	if (!expect_ret("second sendrec", ipc(self->fd, MXSYS_IOC_SENDREC, eps[1], &m, NULL), 0))
		return 1;
	if (m.m_u64[0] != 44) {
		note("second reply value %llu, expected 44", (unsigned long long)m.m_u64[0]);
		return 1;
	}
	handled = 0;
	m = make_msg(9, 45);
	if (!expect_ret("interrupted send", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m, NULL), 0))
		return 1;
	m = make_msg(9, 46);
	if (!expect_ret("last send", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m, NULL), 0))
		return 1;
	if (handled != 1) {
		note("%d signals reached the blocked send, expected 1", (int)handled);
		return 1;
	}
	return 0;
}

static bool take_value(struct child *self, const char *what, uint64_t want)
{
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret(what, ipc(self->fd, MXSYS_IOC_RECEIVE, eps[0], &m, &status), 0))
		return false;
	if (m.m_u64[0] == want)
		return true;
	note("%s: value %llu, expected %llu", what,
	     (unsigned long long)m.m_u64[0], (unsigned long long)want);
	return false;
}

static bool reply_value(struct child *self, uint64_t value)
{
	struct mxsys_message m = make_msg(8, value);

	return expect_ret("reply", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m, NULL), 0);
}

static int restart_server(struct child *self)
{
	if (!take_value(self, "request", 41))
		return 1;
	sync_signal();			/* the client now waits for the reply */
	if (!order_wait() || !reply_value(self, 42) ||
	    !take_value(self, "second request", 43) || !reply_value(self, 44))
		return 1;
	if (!order_wait())
		return 1;
	/* Exactly once: 45 arrives once, then 46. */
	return !(take_value(self, "interrupted send", 45) &&
		 take_value(self, "last send", 46));
}

/*
 * Signal the client once it blocks in @request and wait until its handler
 * ran: with waits that only a fatal signal ends, it would run only after
 * the call returned, and the hang guard would fail the test.
 */
static int signal_blocked_call(struct child *client, unsigned long request)
{
	if (await_blocked(client, request))
		return 1;
	if (kill(client->pid, SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	sync_wait();
	return 0;
}

/* The state letter of /proc/PID/stat: 'T' once a stop took effect. */
static char proc_state(pid_t pid)
{
	char path[64], state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	/* "pid (comm) S ...": the comm may hold spaces, not ')'. */
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = '?';
	fclose(f);
	return state;
}

/*
 * Job control works on a process blocked in IPC: SIGSTOP stops it there
 * (a wait only a fatal signal could end would keep it running until the
 * call returned), and after SIGCONT it is blocked in the same call again.
 */
static int stop_blocked_call(struct child *client, unsigned long request)
{
	if (kill(client->pid, SIGSTOP) < 0)
		return fail("kill: %s", strerror(errno));
	while (proc_state(client->pid) != 'T')
		usleep(1000);
	if (kill(client->pid, SIGCONT) < 0)
		return fail("kill: %s", strerror(errno));
	return await_blocked(client, request);
}

static int test_restart(void)
{
	static const role_fn roles[] = { restart_client, restart_server };
	struct child *client = &children[0];

	if (start_children(2, roles, true))
		return 1;
	sync_wait();
	if (signal_blocked_call(client, MXSYS_IOC_SENDREC) ||
	    stop_blocked_call(client, MXSYS_IOC_SENDREC))
		return 1;
	order_signal();
	if (signal_blocked_call(client, MXSYS_IOC_SEND))
		return 1;
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- notify ---- */

static int notify_a(struct child *self)
{
	struct mxsys_message m = make_msg(55, 0);

	if (!expect_ret("senda", ipc(self->fd, MXSYS_IOC_SENDA, eps[1], &m, NULL), 0) ||
	    !expect_ret("notify 1", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[1], NULL, NULL), 0) ||
	    !expect_ret("notify 2", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[1], NULL, NULL), 0))
		return 1;
	sync_signal();
	return 0;
}

static int notify_b(struct child *self)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct mxsys_message m;
	uint32_t status;

	sync_wait();
	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN)) {
		note("poll: no POLLIN with messages pending");
		return 1;
	}
	if (!expect_ret("receive 1", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("notify first", &m, status, eps[0], MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY))
		return 1;
	if (m.m_u64[MXSYS_NOTIFY_TIMESTAMP] == 0) {
		note("notify without a timestamp");
		return 1;
	}
	if (!expect_ret("receive 2", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("then the message", &m, status, eps[0], 55, MXSYS_CALL_SENDA))
		return 1;
	/* Coalesced: nothing else is pending now. */
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) != 0) {
		note("second notification was not coalesced (poll %#x)", pfd.revents);
		return 1;
	}
	return 0;
}

static int test_notify(void)
{
	static const role_fn roles[] = { notify_a, notify_b };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- sendnb ---- */

static int sendnb_a(struct child *self)
{
	struct mxsys_message m = make_msg(9, 0);
	int ret, tries;

	if (!expect_ret("sendnb to a busy slot", ipc(self->fd, MXSYS_IOC_SENDNB, eps[1], &m, NULL), -MXSYS_ENOTREADY))
		return 1;
	sync_signal();
	/* B now blocks in receive; wait (bounded) until it does. */
	for (tries = 0; tries < 500; tries++) {
		ret = ipc(self->fd, MXSYS_IOC_SENDNB, eps[1], &m, NULL);
		if (ret != -MXSYS_ENOTREADY)
			break;
		usleep(10000);
	}
	return !expect_ret("sendnb to a receiver", ret, 0);
}

static int sendnb_b(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;

	sync_wait();
	return !(expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) &&
		 expect_msg("sendnb message", &m, status, eps[0], 9, MXSYS_CALL_SENDNB));
}

static int test_sendnb(void)
{
	static const role_fn roles[] = { sendnb_a, sendnb_b };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- senda ---- */

static int senda_a(struct child *self)
{
	struct mxsys_message m;
	int i;

	/* B is not receiving yet: none of these may block. */
	for (i = 0; i < MXSYS_SENDA_MAX; i++) {
		m = make_msg(1000 + i, i);
		if (!expect_ret("senda", ipc(self->fd, MXSYS_IOC_SENDA, eps[1], &m, NULL), 0))
			return 1;
	}
	m = make_msg(1, 0);
	if (!expect_ret("senda over the cap", ipc(self->fd, MXSYS_IOC_SENDA, eps[1], &m, NULL), -EAGAIN))
		return 1;
	sync_signal();
	return 0;
}

static int senda_b(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;
	int i;

	sync_wait();
	for (i = 0; i < MXSYS_SENDA_MAX; i++) {
		if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
		    !expect_msg("senda in order", &m, status, eps[0], 1000 + i, MXSYS_CALL_SENDA))
			return 1;
	}
	return 0;
}

static int test_senda(void)
{
	static const role_fn roles[] = { senda_a, senda_b };

	if (start_children(2, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- sendmask ---- */

static int sendmask_a(struct child *self)
{
	struct mxsys_message m = make_msg(1, 0);

	return !(expect_ret("send outside the mask", ipc(self->fd, MXSYS_IOC_SEND, eps[1], &m, NULL), -MXSYS_ECALLDENIED) &&
		 expect_ret("notify outside the mask", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[1], NULL, NULL), -MXSYS_ECALLDENIED) &&
		 expect_ret("senda outside the mask", ipc(self->fd, MXSYS_IOC_SENDA, eps[1], &m, NULL), -MXSYS_ECALLDENIED));
}

static int sendmask_b(struct child *self)
{
	struct mxsys_message m = make_msg(1, 0);

	return !expect_ret("sendnb outside the mask", ipc(self->fd, MXSYS_IOC_SENDNB, eps[0], &m, NULL), -MXSYS_ECALLDENIED);
}

static int test_sendmask(void)
{
	static const role_fn roles[] = { sendmask_a, sendmask_b };

	if (start_children(2, roles, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- badendpoint ---- */

static int badendpoint_a(struct child *self)
{
	struct mxsys_message m = make_msg(1, 0);
	int32_t stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[1]) + 1,
				       MXSYS_ENDPOINT_SLOT(eps[1]));

	return !(expect_ret("stale generation", ipc(self->fd, MXSYS_IOC_SEND, stale, &m, NULL), -MXSYS_EDEADEPT) &&
		 expect_ret("free slot", ipc(self->fd, MXSYS_IOC_SEND, MXSYS_ENDPOINT(0, MXSYS_NR_STATIC_SLOTS - 1), &m, NULL), -MXSYS_EDEADEPT) &&
		 expect_ret("slot out of range", ipc(self->fd, MXSYS_IOC_SEND, MXSYS_ENDPOINT(0, MXSYS_MAX_SLOTS + 5), &m, NULL), -EINVAL) &&
		 expect_ret("ANY", ipc(self->fd, MXSYS_IOC_SEND, MXSYS_ANY, &m, NULL), -EINVAL) &&
		 expect_ret("SYSTEM", ipc(self->fd, MXSYS_IOC_NOTIFY, MXSYS_SYSTEM, NULL, NULL), -EINVAL) &&
		 expect_ret("self", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m, NULL), -EINVAL) &&
		 expect_ret("receive from a stale endpoint", ipc(self->fd, MXSYS_IOC_RECEIVE, stale, &m, NULL), -MXSYS_EDEADSRCDST));
}

static int idle_role(struct child *self)
{
	(void)self;
	sync_wait();
	return 0;
}

static int test_badendpoint(void)
{
	static const role_fn roles[] = { badendpoint_a, idle_role };
	int ret;

	if (start_children(2, roles, true))
		return 1;
	if (wait_child(&children[0]))
		return 1;
	sync_signal();
	ret = wait_children(NULL);
	return ret ? ret : pass();
}

/* ---- deadlock ---- */

/* Exactly one of two mutual senders must get ELOCKED. */
static int deadlock_role(struct child *self)
{
	int peer = eps[1 - self->index];
	struct mxsys_message m = make_msg(5, self->index);
	uint32_t status;
	int ret;

	ret = ipc(self->fd, MXSYS_IOC_SEND, peer, &m, NULL);
	if (ret == 0)
		return 11;
	if (!expect_ret("send in a cycle", ret, -MXSYS_ELOCKED))
		return 1;
	if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, peer, &m, &status), 0) ||
	    !expect_msg("peer's message", &m, status, peer, 5, MXSYS_CALL_SEND))
		return 1;
	return 10;
}

static int test_deadlock(void)
{
	static const role_fn roles[] = { deadlock_role, deadlock_role };
	int a, b;

	if (start_children(2, roles, true))
		return 1;
	if (wait_child(&children[0]) || wait_child(&children[1]))
		return 1;
	a = WIFEXITED(children[0].wait_status) ? WEXITSTATUS(children[0].wait_status) : -1;
	b = WIFEXITED(children[1].wait_status) ? WEXITSTATUS(children[1].wait_status) : -1;
	if (!((a == 10 && b == 11) || (a == 11 && b == 10)))
		return fail("children exited %d and %d, expected 10 and 11", a, b);
	return pass();
}

/* ---- unprivileged ---- */

static int unprivileged_open(void)
{
	int fd;

	if (setgid(65534) || setuid(65534)) {
		note("setuid: %s", strerror(errno));
		return 1;
	}
	fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != EPERM) {
		note("open as uid 65534: %s", fd >= 0 ? "succeeded" : strerror(errno));
		return 1;
	}
	return 0;
}

static int unprivileged_claim(void)
{
	struct mxsys_whoami who;
	int fd;

	fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		note("open as root: %s", strerror(errno));
		return 1;
	}
	if (!expect_ret("WHOAMI unbound", mx(fd, MXSYS_IOC_WHOAMI, &who), -EPERM) ||
	    !expect_ret("RS_CLAIM while RS lives", mx(fd, MXSYS_IOC_RS_CLAIM, &who), -EBUSY))
		return 1;
	if (setgid(65534) || setuid(65534)) {
		note("setuid: %s", strerror(errno));
		return 1;
	}
	return !expect_ret("RS_CLAIM without CAP_SYS_ADMIN", mx(fd, MXSYS_IOC_RS_CLAIM, &who), -EPERM);
}

static int test_unprivileged(void)
{
	if (run_in_child(unprivileged_open))
		return fail("an unprepared uid 65534 process could open /dev/mxsys");
	if (run_in_child(unprivileged_claim))
		return fail("RS_CLAIM was not refused");
	return pass();
}

/* ---- otherprocess ---- */

static int other_uses_rs_fd(void)
{
	struct mxsys_whoami who;

	return !expect_ret("WHOAMI on the parent's file", mx(rs_fd, MXSYS_IOC_WHOAMI, &who), -EPERM);
}

static int other_role(struct child *self)
{
	struct mxsys_message m = make_msg(1, 0);
	int fd = self->fd;
	struct mxsys_whoami who;
	int status;
	pid_t pid;

	if (!expect_ret("own WHOAMI", mx(fd, MXSYS_IOC_WHOAMI, &who), 0))
		return 1;
	if (who.endpoint != self->ep) {
		note("WHOAMI endpoint %d, expected %d", who.endpoint, self->ep);
		return 1;
	}
	pid = fork();
	if (pid == 0)
		_exit(!(expect_ret("grandchild WHOAMI", mx(fd, MXSYS_IOC_WHOAMI, &who), -EPERM) &&
			expect_ret("grandchild send", ipc(fd, MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, &m, NULL), -EPERM)));
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static int test_otherprocess(void)
{
	static const role_fn roles[] = { other_role };

	if (run_in_child(other_uses_rs_fd))
		return fail("a forked child could use the parent's file");
	if (start_children(1, roles, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- unknownioctl ---- */

static int test_unknownioctl(void)
{
	int ret = mx(rs_fd, _IO(MXSYS_IOC_MAGIC, 0x7f), NULL);

	if (ret != -ENOTTY)
		return fail("unknown ioctl returned %s", err_name(ret));
	ret = mx(rs_fd, _IOR(MXSYS_IOC_MAGIC, MXSYS_CALL_SEND, struct mxsys_ipc), NULL);
	if (ret != -ENOTTY)
		return fail("SEND with the wrong direction returned %s", err_name(ret));
	/* The size is part of the number: a struct of another length is refused. */
	ret = mx(rs_fd, _IOWR(MXSYS_IOC_MAGIC, MXSYS_CALL_RECEIVE, struct mxsys_message), NULL);
	if (ret != -ENOTTY)
		return fail("RECEIVE with a 64-byte argument returned %s", err_name(ret));
	ret = mx(rs_fd, _IOWR(MXSYS_IOC_MAGIC, 0x22, struct mxsys_priv), NULL);
	if (ret != -ENOTTY)
		return fail("PRIVCTL with a struct mxsys_priv argument returned %s", err_name(ret));
	/* A bad pointer of the right size is a fault, not a crash. */
	ret = mx(rs_fd, MXSYS_IOC_WHOAMI, (void *)16);
	if (ret != -EFAULT)
		return fail("WHOAMI into a bad pointer returned %s", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_SEND, (void *)16);
	if (ret != -EFAULT)
		return fail("SEND from a bad pointer returned %s", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, (void *)16);
	if (ret != -EFAULT)
		return fail("PRIVCTL from a bad pointer returned %s", err_name(ret));
	return pass();
}

/* ---- death ---- */

/* Takes the sender's request, tells the parent, then waits to be killed. */
static int victim_role(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0))
		return 1;
	sync_signal();
	for (;;)
		pause();
}

static int caller_role(struct child *self)
{
	struct mxsys_message m = make_msg(3, 0);

	return !expect_ret("sendrec to a dying slot", ipc(self->fd, MXSYS_IOC_SENDREC, eps[0], &m, NULL), -MXSYS_EDEADSRCDST);
}

/* Queues messages on the dead victim's slot for its next instance. */
static int queuer_role(struct child *self)
{
	struct mxsys_message m = make_msg(78, 0);

	/* Only once the victim is dead. */
	if (!order_wait())
		return 1;
	if (!expect_ret("senda to a dead slot", ipc(self->fd, MXSYS_IOC_SENDA, eps[0], &m, NULL), 0))
		return 1;
	sync_signal();
	m = make_msg(77, 0);
	return !expect_ret("send to a dead slot", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m, NULL), 0);
}

static int reborn_role(struct child *self)
{
	struct mxsys_whoami who;
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret("WHOAMI", mx(self->fd, MXSYS_IOC_WHOAMI, &who), 0))
		return 1;
	if (who.endpoint != eps[0]) {
		note("reborn endpoint %d, expected %d", who.endpoint, eps[0]);
		return 1;
	}
	if (!expect_ret("receive 1", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("queued senda", &m, status, eps[2], 78, MXSYS_CALL_SENDA) ||
	    !expect_ret("receive 2", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("queued send", &m, status, eps[2], 77, MXSYS_CALL_SEND))
		return 1;
	return 3;
}

static int check_death(const struct mxsys_ksig *k, int32_t ep, pid_t pid)
{
	if (k->endpoint != ep || !(k->flags & MXSYS_KSIG_DEAD) || k->pid != pid)
		return fail("GETKSIG: endpoint %d flags %#x pid %d, expected %d DEAD %d",
			    k->endpoint, k->flags, k->pid, ep, (int)pid);
	return 0;
}

static int test_death(void)
{
	static const role_fn roles[] = { victim_role, caller_role, queuer_role };
	struct mxsys_endpoint_arg arg;
	struct mxsys_message m;
	struct mxsys_ksig ksig;
	struct child *victim = &children[0];
	uint32_t status;
	int32_t victim_ep;
	int ret;

	if (start_children(3, roles, true))
		return 1;
	victim_ep = victim->ep;
	sync_wait();		/* the victim took the caller's request */
	kill(victim->pid, SIGKILL);
	if (wait_child(victim))
		return 1;
	if (!WIFSIGNALED(victim->wait_status))
		return fail("victim was not killed");

	ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status);
	if (ret)
		return fail("RS receive: %s", err_name(ret));
	if (m.m_source != MXSYS_SYSTEM || m.m_type != MXSYS_NOTIFY_MESSAGE ||
	    MXSYS_STATUS_CALL(status) != MXSYS_CALL_NOTIFY)
		return fail("RS got source %d type %#x, expected a notify from SYSTEM",
			    m.m_source, m.m_type);
	if (pull_deaths())
		return 1;
	if (victim->deaths != 1)
		return fail("%d death reports for the victim after the notify",
			    victim->deaths);
	if (check_death(&victim->ksig, victim_ep, victim->pid))
		return 1;
	ksig = victim->ksig;
	if (!WIFSIGNALED(ksig.exit_status) || WTERMSIG(ksig.exit_status) != SIGKILL)
		return fail("exit status %#x, expected killed by SIGKILL", ksig.exit_status);
	/* Pulling cleared it: no second report. */
	if (pull_deaths())
		return 1;
	if (victim->deaths != 1)
		return fail("the victim's death was reported twice");
	arg = (struct mxsys_endpoint_arg){ .endpoint = victim_ep };
	ret = mx(rs_fd, MXSYS_IOC_ENDKSIG, &arg);
	if (ret)
		return fail("ENDKSIG: %s", err_name(ret));

	/* The caller blocked in sendrec got EDEADSRCDST. */
	if (expect_exit(1, 0))
		return 1;

	order_signal();
	sync_wait();		/* the queuer's senda is queued on the dead slot */

	/* A new process takes over the same endpoint. */
	victim->role = reborn_role;
	if (respawn_child(victim))
		return 1;

	if (expect_exit(0, 3) || await_death(victim))
		return 1;
	ksig = victim->ksig;
	if (check_death(&ksig, victim_ep, victim->pid))
		return 1;
	if (!WIFEXITED(ksig.exit_status) || WEXITSTATUS(ksig.exit_status) != 3)
		return fail("exit status %#x, expected exit(3)", ksig.exit_status);
	/* The queuer's blocked send went through. */
	if (expect_exit(2, 0))
		return 1;

	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
	if (ret)
		return fail("CLEAR: %s", err_name(ret));
	victim->cleared = true;
	m = make_msg(1, 0);
	ret = ipc(rs_fd, MXSYS_IOC_SENDA, victim_ep, &m, NULL);
	if (ret != -MXSYS_EDEADEPT)
		return fail("send to a cleared endpoint: %s, expected EDEADEPT", err_name(ret));
	ret = privctl(MXSYS_PRIV_SET_SYS, victim_ep, 1, NULL, NULL);
	if (ret != -MXSYS_EDEADEPT)
		return fail("SET_SYS of a cleared endpoint: %s", err_name(ret));
	return pass();
}

/* ---- privctl ---- */

static int test_privctl(void)
{
	struct mxsys_privctl pc;
	int ret;

	memset(&pc, 0, sizeof(pc));
	pc.request = MXSYS_PRIV_SET_SYS;
	pc.endpoint = MXSYS_NONE;
	pc.pid = getpid();
	pc.slot = MXSYS_SLOT_DYNAMIC;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -EBUSY)
		return fail("SET_SYS for RS's own pid: %s, expected EBUSY", err_name(ret));
	memset(pc.priv.name, 'x', sizeof(pc.priv.name));
	pc.pid = 1;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -EINVAL)
		return fail("unterminated name: %s, expected EINVAL", err_name(ret));
	memset(pc.priv.name, 0, sizeof(pc.priv.name));
	pc.pid = 0x3fffffff;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -ESRCH)
		return fail("no such pid: %s, expected ESRCH", err_name(ret));
	pc.pid = 1;
	pc.slot = MXSYS_RS_SLOT;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -EBUSY)
		return fail("static RS slot: %s, expected EBUSY", err_name(ret));
	pc.slot = MXSYS_NR_STATIC_SLOTS;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -EINVAL)
		return fail("non-static slot index: %s, expected EINVAL", err_name(ret));
	pc.request = 99;
	ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
	if (ret != -EINVAL)
		return fail("unknown request: %s, expected EINVAL", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &(struct mxsys_endpoint_arg){ .endpoint = MXSYS_RS_ENDPOINT, .pad = 1 });
	if (ret != -EINVAL)
		return fail("CLEAR with pad set: %s, expected EINVAL", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &(struct mxsys_endpoint_arg){ .endpoint = MXSYS_RS_ENDPOINT });
	if (ret != -EBUSY)
		return fail("CLEAR of the live RS: %s, expected EBUSY", err_name(ret));
	/* A static slot cleared and prepared again keeps its endpoint. */
	for (int round = 0; round < 2; round++) {
		memset(&pc, 0, sizeof(pc));
		pc.request = MXSYS_PRIV_SET_SYS;
		pc.endpoint = MXSYS_NONE;
		pc.pid = 1;
		pc.slot = MXSYS_DS_SLOT;
		pc.priv = make_priv(MXSYS_SYS_PROC, 0, 0, "ds");
		ret = mx(rs_fd, MXSYS_IOC_PRIVCTL, &pc);
		if (ret || pc.endpoint != MXSYS_DS_ENDPOINT)
			return fail("SET_SYS of DS's slot (round %d): %s, endpoint %d",
				    round, err_name(ret), pc.endpoint);
		ret = mx(rs_fd, MXSYS_IOC_CLEAR, &(struct mxsys_endpoint_arg){ .endpoint = MXSYS_DS_ENDPOINT });
		if (ret)
			return fail("CLEAR of DS's slot: %s", err_name(ret));
	}
	return pass();
}

/* ---- a child without kernel-call privileges ---- */

static int nocalls_role(struct child *self)
{
	struct mxsys_whoami who;
	struct mxsys_ksig ksig;
	struct mxsys_privctl pc;

	memset(&pc, 0, sizeof(pc));
	pc.request = MXSYS_PRIV_ALLOW;
	pc.endpoint = self->ep;
	return !(expect_ret("PRIVCTL", mx(self->fd, MXSYS_IOC_PRIVCTL, &pc), -MXSYS_ECALLDENIED) &&
		 expect_ret("GETKSIG", mx(self->fd, MXSYS_IOC_GETKSIG, &ksig), -MXSYS_ECALLDENIED) &&
		 expect_ret("RS_CLAIM while bound", mx(self->fd, MXSYS_IOC_RS_CLAIM, &who), -EBUSY));
}

static int test_callmask(void)
{
	static const role_fn roles[] = { nocalls_role };

	if (start_children(1, roles, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- netlink: the service request relay, over raw generic netlink ---- */

static int nl_request(int fd, uint32_t seq, const void *payload, size_t len)
{
	struct nl_msg m;

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REQUEST, 0, seq);
	nl_put(&m, MXSYS_A_PAYLOAD, payload, len);
	return nl_send(fd, &m);
}

/* As uid 65534: a request is relayed and its reply comes back. */
static int nl_requester(void)
{
	struct nlattr *payload;
	struct nl_msg m;
	int fd, ret;

	if (setgid(65534) || setuid(65534))
		return 1;
	fd = nl_open();
	if (fd < 0 || nl_resolve(fd))
		return 1;
	ret = nl_request(fd, 4242, "hello", 5);
	if (!expect_ret("request as nobody", ret, 0))
		return 1;
	ret = nl_recv(fd, &m);
	if (!expect_ret("reply", ret, 0))
		return 1;
	payload = nl_attr(&m, MXSYS_A_PAYLOAD);
	if (m.g.cmd != MXSYS_CMD_SERVICE_REPLY || m.n.nlmsg_seq != 4242 ||
	    !payload || payload->nla_len != NLA_HDRLEN + 5 ||
	    memcmp(NLA_DATA(payload), "world", 5)) {
		note("bad reply: cmd %d seq %u", m.g.cmd, m.n.nlmsg_seq);
		return 1;
	}
	return 0;
}

static int nl_take_request(int rs, uint32_t *id, uint32_t *uid, int32_t *pid)
{
	struct nlattr *a_id, *a_uid, *a_pid, *a_payload;
	struct nl_msg m;
	int ret = nl_recv(rs, &m);

	if (ret)
		return fail("RS receiving a request: %s", err_name(ret));
	a_id = nl_attr(&m, MXSYS_A_REQUEST_ID);
	a_uid = nl_attr(&m, MXSYS_A_UID);
	a_pid = nl_attr(&m, MXSYS_A_PID);
	a_payload = nl_attr(&m, MXSYS_A_PAYLOAD);
	if (m.g.cmd != MXSYS_CMD_SERVICE_REQUEST || !a_id || !a_uid || !a_pid ||
	    !a_payload)
		return fail("malformed relayed request (cmd %d)", m.g.cmd);
	*id = *(uint32_t *)NLA_DATA(a_id);
	*uid = *(uint32_t *)NLA_DATA(a_uid);
	*pid = *(int32_t *)NLA_DATA(a_pid);
	return 0;
}

static int test_netlink(void)
{
	static char big[MXSYS_PAYLOAD_MAX + 1];
	struct nlattr *err;
	uint32_t id, uid;
	int rs, req, ret, status;
	struct nl_msg m;
	int32_t pid;
	pid_t child;

	rs = nl_open();
	req = nl_open();
	if (rs < 0 || req < 0)
		return fail("netlink sockets");
	ret = nl_resolve(rs);
	if (ret)
		return fail("family %s not found: %s", MXSYS_GENL_NAME, err_name(ret));

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REQUEST, NLM_F_ACK, 1);
	nl_put(&m, MXSYS_A_PAYLOAD, "x", 1);
	ret = nl_call(req, &m);
	if (ret != -ESRCH)
		return fail("request without RS: %s, expected ESRCH", err_name(ret));

	nl_init(&m, nl_family, MXSYS_CMD_RS_REGISTER, NLM_F_ACK, 2);
	ret = nl_call(rs, &m);
	if (ret)
		return fail("RS_REGISTER: %s", err_name(ret));

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REQUEST, NLM_F_ACK, 3);
	nl_put(&m, MXSYS_A_PAYLOAD, big, sizeof(big));
	ret = nl_call(req, &m);
	if (ret >= 0)
		return fail("a payload over MXSYS_PAYLOAD_MAX was accepted");

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, 4);
	id = 0xdeadbeef;
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	ret = nl_call(rs, &m);
	if (ret != -EINVAL)
		return fail("reply with neither payload nor error: %s, expected EINVAL", err_name(ret));

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, 40);
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	nl_put(&m, MXSYS_A_PAYLOAD, "x", 1);
	ret = nl_call(rs, &m);
	if (ret != -ENOENT)
		return fail("reply to an unknown request: %s, expected ENOENT", err_name(ret));

	fflush(stdout);
	child = fork();
	if (child < 0)
		return fail("fork: %s", strerror(errno));
	if (child == 0)
		_exit(nl_requester());
	if (nl_take_request(rs, &id, &uid, &pid))
		return 1;
	if (uid != 65534 || pid != child)
		return fail("relayed credentials uid %u pid %d, expected 65534 %d",
			    uid, pid, (int)child);
	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, 5);
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	nl_put(&m, MXSYS_A_PAYLOAD, "world", 5);
	ret = nl_call(rs, &m);
	if (ret)
		return fail("SERVICE_REPLY: %s", err_name(ret));
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return fail("the requester did not get its reply");

	/* RS goes away with a request pending: the requester hears ESRCH. */
	ret = nl_request(req, 6, "y", 1);
	if (ret)
		return fail("request: %s", err_name(ret));
	if (nl_take_request(rs, &id, &uid, &pid))
		return 1;
	close(rs);
	ret = nl_recv(req, &m);
	err = ret ? NULL : nl_attr(&m, MXSYS_A_ERROR);
	if (!err || m.n.nlmsg_seq != 6 || *(int32_t *)NLA_DATA(err) != -ESRCH)
		return fail("after RS closed: %s, no MXSYS_A_ERROR = -ESRCH", err_name(ret));
	return pass();
}

static const struct mxt_test tests[] = {
	{ "rendezvous", test_rendezvous },
	{ "sendrec", test_sendrec },
	{ "restart", test_restart },
	{ "notify", test_notify },
	{ "sendnb", test_sendnb },
	{ "senda", test_senda },
	{ "sendmask", test_sendmask },
	{ "badendpoint", test_badendpoint },
	{ "deadlock", test_deadlock },
	{ "unprivileged", test_unprivileged },
	{ "otherprocess", test_otherprocess },
	{ "death", test_death },
	{ "privctl", test_privctl },
	{ "callmask", test_callmask },
	{ "unknownioctl", test_unknownioctl },
	{ "netlink", test_netlink },
};

int main(int argc, char **argv)
{
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "ipc-test");
}
