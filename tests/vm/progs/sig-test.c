// SPDX-License-Identifier: MIT
/*
 * sig-test: in-guest tests of mxsys.ko's signal-manager routing: the
 * signal_generate probe, GETKSIG, ENDKSIG, KILL, EXIT and where deaths
 * are reported (tests/vm/suites/14-signal.sh).
 *
 *   sig-test SUBCOMMAND      one of the names in `tests` below
 *   sig-test list            the names, one a line
 *
 * The program is a fake RS (lib/mxtest.h). Its children get slots with
 * their own signal manager, backup and call mask (struct spec), block
 * their signals as libsef does, say "ready" through sync_pipe and then
 * wait for the parent's go-ahead on a pipe of their own (hold()).
 * Nothing depends on timing: a signal is routed while kill(2) runs, so
 * "nothing was routed" is a zero-timeout poll right after it, and "this
 * call is stuck" is read from /proc/PID/syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"

/* struct spec's mgr and bak: these, or the index of an earlier child. */
#define BY_RS		(-1)
#define BY_SELF		(-2)
#define NOBODY		(-3)

struct spec {
	role_fn role;
	int mgr;
	int bak;
	uint64_t kc;		/* call mask */
};

#define KC(x)		(1ULL << MXSYS_KC_##x)
#define BIT(sig)	MXSYS_SIGBIT(sig)

static int hold_pipe[MAX_CHILDREN][2];

/* ---- calls ---- */

static int getksig(int fd, struct mxsys_ksig *k)
{
	memset(k, 0xa5, sizeof(*k));
	return mx(fd, MXSYS_IOC_GETKSIG, k);
}

static int endksig(int fd, int32_t ep)
{
	struct mxsys_endpoint_arg arg = { .endpoint = ep };

	return mx(fd, MXSYS_IOC_ENDKSIG, &arg);
}

static int kill_ep(int fd, int32_t ep, int sig)
{
	struct mxsys_kill arg = { .endpoint = ep, .sig = sig };

	return mx(fd, MXSYS_IOC_KILL, &arg);
}

/* Block in receive(SYSTEM) until a notify comes; its sigset in *set. */
static bool await_system(int fd, uint64_t *set)
{
	struct mxsys_message m = { 0 };
	uint32_t status;
	int ret;

	ret = ipc(fd, MXSYS_IOC_RECEIVE, MXSYS_SYSTEM, &m, &status);
	if (ret) {
		note("receive(SYSTEM): %s", err_name(ret));
		return false;
	}
	if (!expect_msg("receive(SYSTEM)", &m, status, MXSYS_SYSTEM,
			MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY))
		return false;
	if (set)
		*set = m.m_u64[MXSYS_NOTIFY_SIGSET];
	return true;
}

/*
 * The next GETKSIG record on @fd must be signals @set of @ep (@dead
 * false) or the death of @ep with wait status @status; @pid > 0 is
 * checked too. @ep MXSYS_NONE: there must be no record.
 */
static bool expect_ksig(int fd, int32_t ep, uint64_t set, bool dead,
			int status, pid_t pid)
{
	struct mxsys_ksig k;
	int ret = getksig(fd, &k);

	if (ret) {
		note("GETKSIG: %s", err_name(ret));
		return false;
	}
	if (k.endpoint == ep &&
	    (ep == MXSYS_NONE ||
	     (k.flags == (dead ? MXSYS_KSIG_DEAD : 0) &&
	      (dead ? k.exit_status == status : k.sigset == set) &&
	      (pid <= 0 || k.pid == pid))))
		return true;
	note("GETKSIG: endpoint %d flags %#x sigset %#llx status %#x pid %d; expected endpoint %d %s %#llx",
	     k.endpoint, k.flags, (unsigned long long)k.sigset, k.exit_status,
	     k.pid, ep, dead ? "death with status" : "sigset",
	     dead ? (unsigned long long)status : (unsigned long long)set);
	return false;
}

/* Wait for the death record of @ep (after any notify); for a child. */
static bool expect_death(int fd, int32_t ep, int status)
{
	struct mxsys_ksig k;

	for (;;) {
		int ret = getksig(fd, &k);

		if (ret) {
			note("GETKSIG: %s", err_name(ret));
			return false;
		}
		if (k.endpoint != MXSYS_NONE)
			break;
		if (!await_system(fd, NULL))
			return false;
	}
	if (k.endpoint == ep && k.flags == MXSYS_KSIG_DEAD &&
	    k.exit_status == status)
		return true;
	note("GETKSIG: endpoint %d flags %#x sigset %#llx status %#x; expected the death of %d with status %#x",
	     k.endpoint, k.flags, (unsigned long long)k.sigset, k.exit_status,
	     ep, status);
	return false;
}

/* ---- child side ---- */

static bool block_all(void)
{
	sigset_t all;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0) {
		note("sigprocmask: %s", strerror(errno));
		return false;
	}
	return true;
}

/*
 * Wait for the parent's go-ahead: false if it gave up, or died (EOF once
 * no child keeps a write end open either).
 */
static bool hold(struct child *self)
{
	static bool closed;
	char c;
	int i;

	for (i = 0; !closed && i < MAX_CHILDREN; i++)
		if (hold_pipe[i][1] > 0)
			close(hold_pipe[i][1]);
	closed = true;
	return read(hold_pipe[self->index][0], &c, 1) == 1;
}

/* A service: every signal blocked; exits 0 when told to. */
static int blocked_holder(struct child *self)
{
	if (!block_all())
		return 1;
	sync_signal();
	return hold(self) ? 0 : 1;
}

/* ---- parent side ---- */

static int32_t endpoint_of(int who)
{
	switch (who) {
	case BY_RS:
		return MXSYS_RS_ENDPOINT;
	case BY_SELF:
		return MXSYS_SELF;
	case NOBODY:
		return MXSYS_NONE;
	default:
		return eps[who];
	}
}

/* SET_SYS + ALLOW for @pid with the manager, backup and mask of @s. */
static int prepare(pid_t pid, const struct spec *s, int32_t *ep)
{
	char name[MXSYS_NAME_LEN];
	struct mxsys_priv p;
	int ret;

	snprintf(name, sizeof(name), "sig%d", (int)pid);
	p = make_priv(MXSYS_SYS_PROC, s->kc, 0, name);
	p.sig_mgr = endpoint_of(s->mgr);
	p.bak_sig_mgr = endpoint_of(s->bak);
	ret = set_sys(rs_fd, pid, &p, ep);
	if (ret)
		return ret;
	return privctl(MXSYS_PRIV_ALLOW, *ep, 0, NULL, NULL);
}

/*
 * Wait for @n "done" bytes from the children (through sync_pipe). A child
 * that exits instead fails the test at once rather than hanging it; the
 * poll timeout is only how often that is checked.
 */
static int await_steps(int n)
{
	struct pollfd p = { .fd = sync_pipe[0], .events = POLLIN };
	int i;

	while (n > 0) {
		char c;

		if (poll(&p, 1, 100) == 1) {
			if (read(sync_pipe[0], &c, 1) != 1)
				return fail("sync read: %s", strerror(errno));
			n--;
			continue;
		}
		for (i = 0; i < nr_children; i++) {
			struct child *ch = &children[i];

			if (ch->reaped ||
			    waitpid(ch->pid, &ch->wait_status, WNOHANG) != ch->pid)
				continue;
			ch->reaped = true;
			return fail("child %d exited early (wait status %#x)",
				    i, ch->wait_status);
		}
	}
	return 0;
}

/*
 * Fork one child per spec (a spec names only earlier children), prepare
 * its slot, let it bind, and wait until each one said it is ready.
 */
static int start(int n, const struct spec *specs)
{
	int i, ret;

	for (i = 0; i < n; i++)
		if (pipe(hold_pipe[i]) < 0)
			return fail("pipe: %s", strerror(errno));
	for (i = 0; i < n; i++)
		if (fork_child(specs[i].role))
			return 1;
	for (i = 0; i < n; i++) {
		ret = prepare(children[i].pid, &specs[i], &eps[i]);
		if (ret)
			return fail("preparing child %d: %s", i, err_name(ret));
		children[i].ep = eps[i];
	}
	for (i = 0; i < n; i++)
		if (give_table(&children[i]))
			return 1;
	return await_steps(n);
}

/* Let child @i go on; for fail(). */
static int release(int i)
{
	if (write(hold_pipe[i][1], "", 1) != 1)
		return fail("write to child %d: %s", i, strerror(errno));
	return 0;
}

/* Nothing was routed to RS: no notify, no record; for fail(). */
static int expect_rs_quiet(const char *when)
{
	struct mxsys_ksig k;
	int ret;

	if (rs_has_input())
		return fail("%s: RS has a notify or message", when);
	ret = getksig(rs_fd, &k);
	if (ret || k.endpoint != MXSYS_NONE)
		return fail("%s: GETKSIG gave %s, endpoint %d sigset %#llx flags %#x",
			    when, err_name(ret), k.endpoint,
			    (unsigned long long)k.sigset, k.flags);
	return 0;
}

/*
 * Kill, reap and free every child's slot, whoever manages it (a death
 * reported to a child manager never reaches RS, so the harness's
 * cleanup() would wait for it forever).
 */
static void teardown(void)
{
	int i;

	for (i = 0; i < nr_children; i++) {
		struct child *c = &children[i];
		struct mxsys_endpoint_arg arg = { .endpoint = c->ep };
		int tries, ret = 0;

		if (!c->reaped) {
			kill(c->pid, SIGKILL);
			wait_child(c);
		}
		if (c->cleared || !c->ep)
			continue;
		/* The module may still be turning the slot DEAD: not BOUND. */
		for (tries = 0; tries < 10000; tries++) {
			ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
			if (ret != -EBUSY)
				break;
			usleep(1000);
		}
		if (ret)
			note("child %d: CLEAR: %s", i, err_name(ret));
		else
			c->cleared = true;
	}
	for (i = 0; i < nr_children; i++) {
		close(hold_pipe[i][0]);
		close(hold_pipe[i][1]);
	}
}

/* ---- route-term: kill(2) of a managed child reaches its manager ---- */

static int test_route_term(void)
{
	static const struct spec specs[] = {
		{ blocked_holder, BY_RS, NOBODY, 0 },
	};
	struct child *c = &children[0];
	uint64_t set = ~0ULL;

	if (rs_drain() || start(1, specs))
		return 1;
	if (kill(c->pid, SIGTERM) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, &set))
		return fail("no notify from SYSTEM after kill -TERM");
	if (set)
		return fail("RS's notify carries its own sigset %#llx",
			    (unsigned long long)set);
	if (!expect_ksig(rs_fd, c->ep, BIT(SIGTERM), false, 0, c->pid))
		return fail("no (endpoint, SIGTERM) record");
	if (!expect_ksig(rs_fd, MXSYS_NONE, 0, false, 0, 0))
		return fail("a second record for one signal");
	/* Blocked, so still pending in Linux: the child lives. */
	if (waitpid(c->pid, &c->wait_status, WNOHANG) != 0)
		return fail("the child did not survive SIGTERM");
	if (endksig(rs_fd, c->ep))
		return fail("ENDKSIG by the manager failed");
	if (release(0) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- frozen-ipc: new IPC of a signalled child waits for ENDKSIG ---- */

static int frozen_child(struct child *self)
{
	struct mxsys_message m = { 0 };
	uint32_t status;

	if (!block_all())
		return 1;
	sync_signal();
	/* Blocked before the signal came: not affected. */
	if (!expect_ret("receive(RS)", ipc(self->fd, MXSYS_IOC_RECEIVE,
					   MXSYS_RS_ENDPOINT, &m, &status), 0) ||
	    !expect_msg("receive(RS)", &m, status, MXSYS_RS_ENDPOINT, 31,
			MXSYS_CALL_SENDNB))
		return 1;
	/* Started while frozen: a notify, which never blocks otherwise. */
	return !expect_ret("notify(RS)", ipc(self->fd, MXSYS_IOC_NOTIFY,
					     MXSYS_RS_ENDPOINT, NULL, NULL), 0);
}

static int test_frozen_ipc(void)
{
	static const struct spec specs[] = {
		{ frozen_child, BY_RS, NOBODY, 0 },
	};
	struct child *c = &children[0];
	struct mxsys_message m;
	uint32_t status;
	int ret;

	if (rs_drain() || start(1, specs))
		return 1;
	if (await_blocked(c, MXSYS_IOC_RECEIVE))
		return 1;
	if (kill(c->pid, SIGTERM) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL) ||
	    !expect_ksig(rs_fd, c->ep, BIT(SIGTERM), false, 0, c->pid))
		return fail("SIGTERM was not routed to RS");
	m = make_msg(31, 0);
	ret = ipc(rs_fd, MXSYS_IOC_SENDNB, c->ep, &m, NULL);
	if (ret)
		return fail("sendnb to the receive blocked before the signal: %s",
			    err_name(ret));
	if (await_blocked_unless(c, MXSYS_IOC_NOTIFY, rs_has_input,
				 "a notify started while frozen"))
		return 1;
	ret = endksig(rs_fd, c->ep);
	if (ret)
		return fail("ENDKSIG: %s", err_name(ret));
	memset(&m, 0, sizeof(m));
	ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, c->ep, &m, &status);
	if (ret || m.m_source != c->ep || MXSYS_STATUS_CALL(status) != MXSYS_CALL_NOTIFY)
		return fail("after ENDKSIG: receive %s, source %d call %u, expected the child's notify",
			    err_name(ret), m.m_source, MXSYS_STATUS_CALL(status));
	if (expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- endksig: who may end signals, when, and coalescing ---- */

/*
 * The callers that must be refused check when told to, say so, and stay
 * alive until the end: a death would notify RS in the middle of the test.
 */
static int endksig_other_manager(struct child *self)
{
	struct mxsys_ksig k;
	bool ok;

	sync_signal();
	if (!hold(self))
		return 1;
	/* A signal record of child 0 is pending, but not for this caller. */
	ok = expect_ret("GETKSIG", getksig(self->fd, &k), 0);
	if (ok && k.endpoint != MXSYS_NONE) {
		note("GETKSIG by a non-manager gave endpoint %d", k.endpoint);
		ok = false;
	}
	ok = ok && expect_ret("ENDKSIG by a non-manager",
			      endksig(self->fd, eps[0]), -EPERM);
	sync_signal();
	return hold(self) && ok ? 0 : 1;
}

static int endksig_no_calls(struct child *self)
{
	struct mxsys_ksig k;
	bool ok;

	sync_signal();
	if (!hold(self))
		return 1;
	ok = expect_ret("GETKSIG", getksig(self->fd, &k), -MXSYS_ECALLDENIED) &&
	     expect_ret("ENDKSIG", endksig(self->fd, eps[0]), -MXSYS_ECALLDENIED) &&
	     expect_ret("KILL", kill_ep(self->fd, eps[0], SIGUSR1), -MXSYS_ECALLDENIED) &&
	     expect_ret("EXIT", mx(self->fd, MXSYS_IOC_EXIT, NULL), -MXSYS_ECALLDENIED);
	sync_signal();
	return hold(self) && ok ? 0 : 1;
}

static int test_endksig(void)
{
	static const struct spec specs[] = {
		{ blocked_holder, BY_RS, NOBODY, 0 },
		{ endksig_other_manager, BY_RS, NOBODY, KC(GETKSIG) | KC(ENDKSIG) },
		{ endksig_no_calls, BY_RS, NOBODY, 0 },
	};
	struct child *c = &children[0];
	struct mxsys_endpoint_arg bad = { .endpoint = 0, .pad = 1 };
	int32_t stale;
	int ret;

	if (rs_drain() || start(3, specs))
		return 1;
	stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(c->ep) + 1,
			       MXSYS_ENDPOINT_SLOT(c->ep));
	ret = endksig(rs_fd, c->ep);
	if (ret != -EINVAL)
		return fail("ENDKSIG with nothing pending: %s, expected EINVAL",
			    err_name(ret));
	ret = endksig(rs_fd, stale);
	if (ret != -MXSYS_EDEADEPT)
		return fail("ENDKSIG of a stale endpoint: %s, expected EDEADEPT",
			    err_name(ret));
	ret = endksig(rs_fd, MXSYS_ENDPOINT(0, MXSYS_SLOT_MASK));
	if (ret != -EINVAL)
		return fail("ENDKSIG of a slot out of range: %s, expected EINVAL",
			    err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_ENDKSIG, &bad);
	if (ret != -EINVAL)
		return fail("ENDKSIG with nonzero padding: %s, expected EINVAL",
			    err_name(ret));

	if (kill(c->pid, SIGTERM) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL))
		return fail("no notify for SIGTERM");
	if (release(1) || release(2))
		return 1;
	if (await_steps(2))
		return 1;
	if (!expect_ksig(rs_fd, c->ep, BIT(SIGTERM), false, 0, c->pid))
		return fail("no SIGTERM record for RS");

	/* A signal after the pull notifies again and keeps the child frozen. */
	if (kill(c->pid, SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL))
		return fail("no new notify for a signal after the pull");
	ret = endksig(rs_fd, c->ep);
	if (ret)
		return fail("ENDKSIG with a new signal pending: %s", err_name(ret));
	if (!expect_ksig(rs_fd, c->ep, BIT(SIGUSR1), false, 0, c->pid))
		return fail("no SIGUSR1 record");
	ret = endksig(rs_fd, c->ep);
	if (ret)
		return fail("ENDKSIG after the second pull: %s (the first one must not have unfrozen the child)",
			    err_name(ret));
	ret = endksig(rs_fd, c->ep);
	if (ret != -EINVAL)
		return fail("ENDKSIG once more: %s, expected EINVAL", err_name(ret));

	/*
	 * Signals before the pull: one notify, one record with both. (Not
	 * SIGINT or SIGHUP: a test started in the background ignores them.)
	 * SIGWINCH is ignored by default, but blocked: routed all the same.
	 */
	if (kill(c->pid, SIGUSR2) < 0 || kill(c->pid, SIGWINCH) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL))
		return fail("no notify for SIGUSR2");
	if (rs_has_input())
		return fail("a second notify for a slot already signalled");
	if (!expect_ksig(rs_fd, c->ep, BIT(SIGUSR2) | BIT(SIGWINCH), false, 0, 0) ||
	    !expect_ksig(rs_fd, MXSYS_NONE, 0, false, 0, 0))
		return fail("SIGUSR2 and SIGWINCH did not come as one record");
	if (endksig(rs_fd, c->ep))
		return fail("last ENDKSIG failed");
	if (release(1) || expect_exit(1, 0) || release(2) || expect_exit(2, 0) ||
	    release(0) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- self: a slot that is its own manager hears its own signals ---- */

static int self_child(struct child *self)
{
	uint64_t set = 0;
	uint64_t want = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGABRT);

	if (!block_all())
		return 1;
	sync_signal();
	if (!hold(self))
		return 1;
	if (!await_system(self->fd, &set))
		return 1;
	if (set != want) {
		note("own notify carries sigset %#llx, expected %#llx",
		     (unsigned long long)set, (unsigned long long)want);
		return 1;
	}
	/* Not frozen: a notify goes through. */
	return !expect_ret("notify(RS)", ipc(self->fd, MXSYS_IOC_NOTIFY,
					     MXSYS_RS_ENDPOINT, NULL, NULL), 0);
}

static int test_self(void)
{
	static const struct spec specs[] = {
		{ self_child, BY_SELF, NOBODY, 0 },
	};
	struct child *c = &children[0];
	struct mxsys_message m = { 0 };
	uint32_t status;
	int ret;

	if (rs_drain() || start(1, specs))
		return 1;
	if (kill(c->pid, SIGUSR1) < 0 || kill(c->pid, SIGUSR2) < 0)
		return fail("kill: %s", strerror(errno));
	/* Lethal, but there is no backup: the slot gets it itself. */
	ret = kill_ep(rs_fd, c->ep, SIGABRT);
	if (ret)
		return fail("KILL SIGABRT by RS: %s", err_name(ret));
	if (expect_rs_quiet("signals of a SELF child"))
		return 1;
	if (release(0))
		return 1;
	ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, c->ep, &m, &status);
	if (ret || MXSYS_STATUS_CALL(status) != MXSYS_CALL_NOTIFY)
		return fail("no notify from the SELF child: %s", err_name(ret));
	if (expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- self-backup: a lethal signal hands a SELF slot to its backup ---- */

static int backup_manager(struct child *self)
{
	int32_t s = eps[1];

	sync_signal();
	if (!await_system(self->fd, NULL) ||
	    !expect_ksig(self->fd, s, BIT(SIGABRT), false, 0, 0) ||
	    !expect_ret("ENDKSIG", endksig(self->fd, s), 0))
		return 1;
	sync_signal();
	/* The backup stays the manager, for every signal. */
	if (!await_system(self->fd, NULL) ||
	    !expect_ksig(self->fd, s, BIT(SIGUSR1), false, 0, 0) ||
	    !expect_ret("ENDKSIG", endksig(self->fd, s), 0))
		return 1;
	sync_signal();
	/* And it hears of the death. */
	return expect_death(self->fd, s, 0) ? 0 : 1;
}

static int test_self_backup(void)
{
	static const struct spec specs[] = {
		{ backup_manager, BY_RS, NOBODY, KC(GETKSIG) | KC(ENDKSIG) },
		{ blocked_holder, BY_SELF, 0, 0 },
	};
	struct child *s = &children[1];
	int ret;

	if (rs_drain() || start(2, specs))
		return 1;
	ret = kill_ep(rs_fd, s->ep, SIGABRT);
	if (ret)
		return fail("KILL SIGABRT by RS: %s", err_name(ret));
	if (await_steps(1))
		return 1;
	if (kill(s->pid, SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	if (await_steps(1))
		return 1;
	if (expect_rs_quiet("signals for the backup"))
		return 1;
	if (release(1) || expect_exit(1, 0) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- self-death: a SELF slot's death goes to its backup, else RS ---- */

static int death_backup(struct child *self)
{
	sync_signal();
	return expect_death(self->fd, eps[2], SIGKILL) ? 0 : 1;
}

static int test_self_death(void)
{
	static const struct spec specs[] = {
		{ death_backup, BY_RS, NOBODY, KC(GETKSIG) },
		{ blocked_holder, BY_SELF, NOBODY, 0 },
		{ blocked_holder, BY_SELF, 0, 0 },
	};
	struct child *s1 = &children[1], *s2 = &children[2];

	if (rs_drain() || start(3, specs))
		return 1;
	kill(s1->pid, SIGKILL);
	if (wait_child(s1))
		return 1;
	if (!expect_death(rs_fd, s1->ep, SIGKILL))
		return fail("RS did not get the death of a SELF slot without backup");
	s1->deaths = 1;
	kill(s2->pid, SIGKILL);
	if (wait_child(s2) || expect_exit(0, 0))
		return 1;
	/* The backup, now dead too, is RS's; s2's death was not. */
	for (;;) {
		struct mxsys_ksig k;
		int ret = getksig(rs_fd, &k);

		if (ret)
			return fail("GETKSIG: %s", err_name(ret));
		if (k.endpoint == MXSYS_NONE)
			break;
		if (k.endpoint == s2->ep)
			return fail("RS got a record of the SELF slot with a backup");
	}
	return pass();
}

/* ---- kill: sys_kill by endpoint ---- */

static int kill_manager(struct child *self)
{
	int32_t c = eps[1];
	int32_t stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(c) + 1,
				       MXSYS_ENDPOINT_SLOT(c));

	sync_signal();
	if (!hold(self))
		return 1;
	if (!expect_ret("KILL sig 0", kill_ep(self->fd, c, 0), -EINVAL) ||
	    !expect_ret("KILL sig NSIG + 1", kill_ep(self->fd, c, MXSYS_NSIG + 1), -EINVAL) ||
	    !expect_ret("KILL sig -1", kill_ep(self->fd, c, -1), -EINVAL) ||
	    !expect_ret("KILL slot out of range",
			kill_ep(self->fd, MXSYS_ENDPOINT(0, MXSYS_SLOT_MASK), SIGUSR1), -EINVAL) ||
	    !expect_ret("KILL ANY", kill_ep(self->fd, MXSYS_ANY, SIGUSR1), -EINVAL) ||
	    !expect_ret("KILL stale endpoint", kill_ep(self->fd, stale, SIGUSR1), -MXSYS_EDEADEPT) ||
	    !expect_ret("KILL RS, not managed", kill_ep(self->fd, MXSYS_RS_ENDPOINT, SIGUSR1), -EPERM))
		return 1;
	if (!expect_ret("KILL SIGUSR2", kill_ep(self->fd, c, SIGUSR2), 0) ||
	    !await_system(self->fd, NULL) ||
	    !expect_ksig(self->fd, c, BIT(SIGUSR2), false, 0, 0) ||
	    !expect_ret("ENDKSIG", endksig(self->fd, c), 0))
		return 1;
	sync_signal();
	return expect_death(self->fd, c, 0) ? 0 : 1;
}

static int kill_not_manager(struct child *self)
{
	sync_signal();
	if (!hold(self))
		return 1;
	return !expect_ret("KILL by a non-manager", kill_ep(self->fd, eps[1], SIGUSR1),
			   -EPERM);
}

static int kill_no_call(struct child *self)
{
	sync_signal();
	if (!hold(self))
		return 1;
	return !expect_ret("KILL without KC_KILL", kill_ep(self->fd, eps[1], SIGUSR1),
			   -MXSYS_ECALLDENIED);
}

/* KILL of a slot prepared for a process that never bound: ESRCH. */
static int kill_prepared(void)
{
	static const struct spec spec = { NULL, BY_RS, NOBODY, 0 };
	struct mxsys_endpoint_arg arg;
	int hold_fds[2], status, ret;
	int32_t ep = MXSYS_NONE;
	pid_t pid;
	char c;

	if (pipe(hold_fds) < 0)
		return fail("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(hold_fds[1]);
		_exit(read(hold_fds[0], &c, 1) < 0);
	}
	close(hold_fds[0]);
	ret = prepare(pid, &spec, &ep);
	if (!ret)
		ret = kill_ep(rs_fd, ep, SIGTERM) == -ESRCH ? 0 : -EPROTO;
	arg = (struct mxsys_endpoint_arg){ .endpoint = ep };
	if (ep != MXSYS_NONE && mx(rs_fd, MXSYS_IOC_CLEAR, &arg))
		note("CLEAR of the prepared slot failed");
	close(hold_fds[1]);
	waitpid(pid, &status, 0);
	if (ret == -EPROTO)
		return fail("KILL of a prepared slot did not give ESRCH");
	if (ret)
		return fail("preparing a slot: %s", err_name(ret));
	return 0;
}

static int test_kill(void)
{
	static const struct spec specs[] = {
		{ kill_manager, BY_RS, NOBODY, KC(KILL) | KC(GETKSIG) | KC(ENDKSIG) },
		{ blocked_holder, 0, NOBODY, 0 },
		{ kill_not_manager, BY_RS, NOBODY, KC(KILL) },
		{ kill_no_call, BY_RS, NOBODY, MXSYS_KC_BASIC },
	};
	struct child *c = &children[1];
	int ret;

	if (rs_drain() || start(4, specs))
		return 1;
	if (release(0))
		return 1;
	if (await_steps(1))
		return 1;
	if (waitpid(c->pid, &c->wait_status, WNOHANG) != 0)
		return fail("the child did not survive the routed SIGUSR2");
	if (expect_rs_quiet("KILL by the manager"))
		return 1;
	if (release(2) || expect_exit(2, 0) || release(3) || expect_exit(3, 0))
		return 1;
	if (kill_prepared())
		return 1;
	if (release(1) || expect_exit(1, 0) || expect_exit(0, 0))
		return 1;
	ret = kill_ep(rs_fd, c->ep, SIGTERM);
	if (ret != -ESRCH)
		return fail("KILL of a dead slot: %s, expected ESRCH", err_name(ret));
	return pass();
}

/* ---- kill-sigkill: KILL SIGKILL kills; the death says so ---- */

static int test_kill_sigkill(void)
{
	static const struct spec specs[] = {
		{ blocked_holder, BY_RS, NOBODY, 0 },
	};
	struct child *c = &children[0];
	int ret;

	if (rs_drain() || start(1, specs))
		return 1;
	ret = kill_ep(rs_fd, c->ep, SIGKILL);
	if (ret)
		return fail("KILL SIGKILL: %s", err_name(ret));
	if (wait_child(c))
		return 1;
	if (!WIFSIGNALED(c->wait_status) || WTERMSIG(c->wait_status) != SIGKILL)
		return fail("wait status %#x, expected killed by SIGKILL",
			    c->wait_status);
	if (!expect_death(rs_fd, c->ep, SIGKILL))
		return fail("no death with status SIGKILL");
	c->deaths = 1;
	ret = endksig(rs_fd, c->ep);
	if (ret)
		return fail("ENDKSIG of the dead slot: %s, expected OK", err_name(ret));
	return pass();
}

/* ---- exit: EXIT is SIGABRT to the manager, then the death ---- */

static int exit_child(struct child *self)
{
	if (!block_all())
		return 1;
	sync_signal();
	if (!hold(self))
		return 1;
	if (!expect_ret("EXIT", mx(self->fd, MXSYS_IOC_EXIT, NULL), 0))
		return 1;
	return 7;
}

static int test_exit(void)
{
	static const struct spec specs[] = {
		{ exit_child, BY_RS, NOBODY, MXSYS_KC_BASIC },
	};
	struct child *c = &children[0];

	if (rs_drain() || start(1, specs))
		return 1;
	if (release(0) || expect_exit(0, 7))
		return 1;
	/* No Linux signal: it exited with its own status, not SIGABRT. */
	if (!await_system(rs_fd, NULL) ||
	    !expect_ksig(rs_fd, c->ep, BIT(SIGABRT), false, 0, c->pid))
		return fail("no SIGABRT record first");
	if (!expect_death(rs_fd, c->ep, 7 << 8))
		return fail("no death with exit status 7 after the SIGABRT");
	c->deaths = 1;
	if (!expect_ksig(rs_fd, MXSYS_NONE, 0, false, 0, 0))
		return fail("more records than the signal and the death");
	return pass();
}

/* ---- not-routed: unblocked, ignored, stop, and RS's own signals ---- */

static volatile sig_atomic_t got_usr1;
static int usr1_pipe[2];

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
	if (write(usr1_pipe[1], "", 1) < 0)
		got_usr1 = 2;
}

static bool catch_usr1(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (pipe(usr1_pipe) < 0 || sigaction(SIGUSR1, &sa, NULL) < 0) {
		note("catching SIGUSR1: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Wait for the handler, through its pipe. */
static bool await_usr1(void)
{
	char c;

	while (read(usr1_pipe[0], &c, 1) < 0)
		if (errno != EINTR)
			return false;
	return got_usr1 == 1;
}

/*
 * kill(2) SIGUSR1 to @c, whose handler takes it and says so (a step), and
 * nothing reaches RS; for fail().
 */
static int expect_handled(struct child *c, const char *what)
{
	if (kill(c->pid, SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	if (await_steps(1))
		return 1;
	return expect_rs_quiet(what);
}

/* Everything blocked but SIGUSR1, which has a handler; SIGUSR2 ignored. */
static int unblocked_child(struct child *self)
{
	sigset_t mask;

	if (!catch_usr1() || signal(SIGUSR2, SIG_IGN) == SIG_ERR)
		return 1;
	sigfillset(&mask);
	sigdelset(&mask, SIGUSR1);
	if (sigprocmask(SIG_SETMASK, &mask, NULL) < 0)
		return 1;
	sync_signal();
	if (!await_usr1())
		return 1;
	sync_signal();
	return hold(self) ? 0 : 1;
}

static int test_not_routed(void)
{
	static const struct spec specs[] = {
		{ unblocked_child, BY_RS, NOBODY, 0 },
		{ blocked_holder, BY_RS, NOBODY, 0 },
	};
	struct timespec zero = { 0, 0 };
	struct child *c = &children[0], *d = &children[1];
	sigset_t usr1, old;
	int sig;

	if (rs_drain() || start(2, specs))
		return 1;
	/* Unblocked: the handler runs, as without the module. */
	if (expect_handled(c, "an unblocked signal"))
		return 1;
	/* Blocked but SIG_IGN: never acted upon. */
	if (kill(c->pid, SIGUSR2) < 0)
		return fail("kill: %s", strerror(errno));
	if (expect_rs_quiet("an ignored signal"))
		return 1;

	/* SIGSTOP cannot be blocked: it stops; the blocked SIGCONT is routed. */
	if (kill(d->pid, SIGSTOP) < 0)
		return fail("kill: %s", strerror(errno));
	if (waitpid(d->pid, &d->wait_status, WUNTRACED) != d->pid ||
	    !WIFSTOPPED(d->wait_status))
		return fail("the child did not stop");
	if (expect_rs_quiet("SIGSTOP"))
		return 1;
	if (kill(d->pid, SIGCONT) < 0)
		return fail("kill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL) ||
	    !expect_ksig(rs_fd, d->ep, BIT(SIGCONT), false, 0, d->pid) ||
	    endksig(rs_fd, d->ep))
		return fail("the blocked SIGCONT was not routed");

	/* RS has no manager: its own signals are Linux's business. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, &old) < 0)
		return fail("sigprocmask: %s", strerror(errno));
	if (kill(getpid(), SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	if (expect_rs_quiet("a signal for RS itself"))
		return 1;
	sig = sigtimedwait(&usr1, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (sig != SIGUSR1)
		return fail("RS's own SIGUSR1 is not pending as usual");

	if (release(0) || expect_exit(0, 0) || release(1) || expect_exit(1, 0))
		return 1;
	return pass();
}

/* ---- threads: process- vs thread-directed signals ---- */

static void *usr1_thread(void *arg)
{
	sigset_t usr1;

	(void)arg;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	sync_signal();
	if (await_usr1())
		sync_signal();
	return NULL;
}

/* The main thread blocks everything; a second one takes SIGUSR1. */
static int threads_child(struct child *self)
{
	pthread_t t;

	if (!catch_usr1() || !block_all())
		return 1;
	if (pthread_create(&t, NULL, usr1_thread, NULL)) {
		note("pthread_create failed");
		return 1;
	}
	if (!hold(self))
		return 1;
	pthread_join(t, NULL);
	return got_usr1 == 1 ? 0 : 1;
}

static int test_threads(void)
{
	static const struct spec specs[] = {
		{ threads_child, BY_RS, NOBODY, 0 },
	};
	struct child *c = &children[0];

	if (rs_drain() || start(1, specs))
		return 1;
	/* For the process: the thread that does not block it takes it. */
	if (expect_handled(c, "a signal one thread takes"))
		return 1;
	/* For the main thread, which blocks it: routed. */
	if (syscall(SYS_tgkill, c->pid, c->pid, SIGUSR1) < 0)
		return fail("tgkill: %s", strerror(errno));
	if (!await_system(rs_fd, NULL) ||
	    !expect_ksig(rs_fd, c->ep, BIT(SIGUSR1), false, 0, c->pid))
		return fail("a thread-directed blocked signal was not routed");
	if (endksig(rs_fd, c->ep))
		return fail("ENDKSIG failed");
	if (release(0) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- the table ---- */

static const struct mxt_test tests[] = {
	{ "route-term", test_route_term },
	{ "frozen-ipc", test_frozen_ipc },
	{ "endksig", test_endksig },
	{ "self", test_self },
	{ "self-backup", test_self_backup },
	{ "self-death", test_self_death },
	{ "kill", test_kill },
	{ "kill-sigkill", test_kill_sigkill },
	{ "exit", test_exit },
	{ "not-routed", test_not_routed },
	{ "threads", test_threads },
};

int main(int argc, char **argv)
{
	/* Each test ends with every child dead and its slot free. */
	mxt_teardown = teardown;
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "sig-test");
}
