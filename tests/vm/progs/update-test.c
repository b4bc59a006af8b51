// SPDX-License-Identifier: MIT
/*
 * update-test: in-guest tests of mxsys.ko's slot swap (UPDATE), of the
 * PRIVCTL requests YIELD, CLEAR_IPC_REFS and UPDATE_SYS with the privilege
 * checks of PRIVCTL, and of alarms (SETALARM), through raw ioctls on
 * /dev/mxsys (tests/vm/suites/16-update.sh).
 *
 *   update-test SUBCOMMAND   one of the names in `tests` below
 *   update-test list         the names, one a line
 *
 * The program is a fake RS with the harness of lib/mxtest.h. Each child's
 * slot is described by a struct spec (privilege flags, kernel calls, static
 * slot, whether it is allowed or bound at once); child i is named "upd<i>"
 * with init flags 0x100 + i, so that WHOAMI tells whose privileges a slot
 * holds. A swap moves processes between slots: the test then swaps the
 * children's endpoints too (swap_children()), so that the harness files
 * each death under the right child. No assertion depends on timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mxsys.h>
#include <minix/syslib.h>

#include "mxtest.h"

#define KC(call)	(1ULL << MXSYS_KC_##call)
#define HOUR_MS		3600000ULL
/* The largest alarm the module takes: KTIME_MAX in ms. */
#define MAX_ALARM_MS	(INT64_MAX / 1000000)

/* Message types of the scenarios. */
enum {
	T_REQUEST = 100,
	T_REPLY_OLD = 200,	/* a reply by the old instance */
	T_REPLY_NEW = 201,	/* a reply by the new instance */
	T_FROM_OLD = 202,	/* the old instance, from its new slot */
	T_READY = 300,		/* "ready to be swapped" to RS */
	T_READY_NEW = 302,
	T_GO = 301,		/* RS's answer to a T_READY */
	T_GO_NEW = 303,
};

/* ---- children and their slots ---- */

enum {
	HELD = 0x1,		/* gets the endpoint table (binds) at release() */
	DISALLOWED = 0x2,	/* SET_SYS without ALLOW */
	NO_DESTS = 0x4,		/* may send to RS only, not to earlier children */
	UNPREPARED = 0x8,	/* a plain process: no slot, never released */
};

struct spec {
	role_fn role;
	uint32_t flags;		/* privilege flags asked for */
	uint64_t calls;		/* kernel-call mask */
	uint32_t slot;		/* static slot index; 0: a dynamic slot */
	unsigned int opts;
};

static struct spec cur[MAX_CHILDREN];	/* each child's, set before its fork */
static bool held[MAX_CHILDREN];		/* prepared, not yet released */
/* Where child i's WHOAMI must find it: eps[expect_at[i] - 1]; 0: eps[i]. */
static int expect_at[MAX_CHILDREN];

/* Fork children[nr_children] for @s; for fail(). */
static int spawn(const struct spec *s)
{
	cur[nr_children] = *s;
	return fork_child(s->role);
}

/* The flags WHOAMI reports for child @i: DYN_PRIV_ID is the module's. */
static uint32_t slot_flags(int i)
{
	uint32_t flags = cur[i].flags & ~MXSYS_DYN_PRIV_ID;

	return cur[i].slot ? flags : flags | MXSYS_DYN_PRIV_ID;
}

/*
 * SET_SYS for child @i as its spec says, on endpoint @ep (a dead one) or a
 * new slot (MXSYS_NONE), then ALLOW unless DISALLOWED; for fail(). Child i
 * may send to each earlier child unless NO_DESTS.
 */
static int prepare(int i, int32_t ep)
{
	const struct spec *s = &cur[i];
	char name[MXSYS_NAME_LEN];
	struct mxsys_priv p;
	int j, ret;

	snprintf(name, sizeof(name), "upd%d", i);
	p = make_priv(s->flags, s->calls, 0x100 + i, name);
	for (j = 0; !(s->opts & NO_DESTS) && j < i; j++) {
		int slot = MXSYS_ENDPOINT_SLOT(eps[j]);

		if (!(cur[j].opts & UNPREPARED))
			p.send_mask[slot / 64] |= 1ULL << (slot % 64);
	}
	ret = privctl_fd(rs_fd, MXSYS_PRIV_SET_SYS, ep, children[i].pid,
			 s->slot ? s->slot : MXSYS_SLOT_DYNAMIC, &p, &eps[i]);
	if (ret)
		return fail("SET_SYS child %d: %s", i, err_name(ret));
	children[i].ep = eps[i];
	if (s->opts & DISALLOWED)
		return 0;
	ret = privctl(MXSYS_PRIV_ALLOW, eps[i], 0, NULL, NULL);
	if (ret)
		return fail("ALLOW child %d: %s", i, err_name(ret));
	return 0;
}

/* Give child @i the endpoint table: it opens /dev/mxsys, binds, runs. */
static int release(int i)
{
	held[i] = false;
	return give_table(&children[i]);
}

/* Fork, prepare and (unless HELD) release one child per spec. */
static int start(int n, const struct spec *specs)
{
	int i;

	for (i = 0; i < n; i++)
		if (spawn(&specs[i]))
			return 1;
	for (i = 0; i < n; i++) {
		if (cur[i].opts & UNPREPARED)
			continue;
		if (prepare(i, MXSYS_NONE))
			return 1;
		held[i] = cur[i].opts & HELD;
	}
	for (i = 0; i < n; i++)
		if (!(cur[i].opts & (HELD | UNPREPARED)) && release(i))
			return 1;
	return 0;
}

/*
 * A new process for the dead child @i (death pulled), prepared on the same
 * endpoint with the privileges of @s; for fail().
 */
static int respawn(int i, const struct spec *s)
{
	cur[i] = *s;
	children[i].role = s->role;
	if (refork_child(&children[i]) || prepare(i, children[i].ep))
		return 1;
	return release(i);
}

/*
 * A held child never binds: free its prepared slot, which the harness
 * would wait for a death on. Its process dies in cleanup().
 */
static void discard_held(void)
{
	int i;

	for (i = 0; i < nr_children; i++) {
		struct mxsys_endpoint_arg arg = { .endpoint = children[i].ep };
		int ret;

		if (!held[i] || children[i].cleared)
			continue;
		ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
		if (ret)
			note("CLEAR of held child %d: %s", i, err_name(ret));
		else
			children[i].cleared = true;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- the calls ---- */

static int update_raw(int fd, int32_t src, int32_t dst, uint32_t flags,
		      uint32_t pad)
{
	struct mxsys_update u = {
		.src = src, .dst = dst, .flags = flags, .pad = pad,
	};

	return mx(fd, MXSYS_IOC_UPDATE, &u);
}

static int update(int fd, int32_t src, int32_t dst, uint32_t flags)
{
	return update_raw(fd, src, dst, flags, 0);
}

/*
 * As RS: UPDATE the slots of children @a and @b. On success their
 * processes, and so the endpoints the children are known by, trade places.
 */
static int swap_children(int a, int b, uint32_t flags)
{
	int ret = update(rs_fd, children[a].ep, children[b].ep, flags);

	if (!ret) {
		int32_t ep = children[a].ep;

		children[a].ep = children[b].ep;
		children[b].ep = ep;
	}
	return ret;
}

/* As RS: UPDATE(child @a, child @b) must give @want; for fail(). */
static int expect_update(const char *what, int a, int b, int want)
{
	int ret = update(rs_fd, children[a].ep, children[b].ep, 0);

	if (ret != want)
		return fail("UPDATE %s: %s, expected %s", what, err_name(ret),
			    err_name(want));
	return 0;
}

/* As RS: receive from @from a message of @type sent with @call; for fail(). */
static int rs_take(const char *what, int32_t from, int32_t type, uint32_t call,
		   struct mxsys_message *m)
{
	uint32_t status;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, from, m, &status);
	if (ret || !expect_msg("RS", m, status, from, type, call))
		return fail("RS receiving %s: %s", what, err_name(ret));
	return 0;
}

/* As RS: send a message of @type to @ep; for fail(), which names @what. */
static int rs_send(const char *what, int32_t ep, int32_t type)
{
	struct mxsys_message m = make_msg(type, 0);
	int ret = ipc(rs_fd, MXSYS_IOC_SEND, ep, &m, NULL);

	if (ret)
		return fail("%s: %s", what, err_name(ret));
	return 0;
}

static int alarm_raw(int fd, uint64_t ms, uint32_t flags, uint32_t pad,
		     uint64_t *left)
{
	struct mxsys_alarm a = { .ms = ms, .flags = flags, .pad = pad };
	int ret = mx(fd, MXSYS_IOC_SETALARM, &a);

	if (!ret && left)
		*left = a.ms;
	return ret;
}

static int setalarm(int fd, uint64_t ms, uint32_t flags, uint64_t *left)
{
	return alarm_raw(fd, ms, flags, 0, left);
}

/* PRIVCTL @request for @ep through @fd; @priv for UPDATE_SYS, or NULL. */
static int privctl_ep(int fd, uint32_t request, int32_t ep,
		      const struct mxsys_priv *priv)
{
	return privctl_fd(fd, request, ep, 0, 0, priv, NULL);
}

/* ---- child side ---- */

/* WHOAMI: the slot @ep holds this child's process and privileges. */
static bool expect_whoami(struct child *self, int32_t ep, uint32_t flags)
{
	struct mxsys_whoami who;
	char name[MXSYS_NAME_LEN];

	if (!expect_ret("WHOAMI", mx(self->fd, MXSYS_IOC_WHOAMI, &who), 0))
		return false;
	snprintf(name, sizeof(name), "upd%d", self->index);
	if (who.endpoint == ep && who.flags == flags &&
	    who.init_flags == 0x100U + self->index &&
	    !strncmp(who.name, name, sizeof(who.name)))
		return true;
	note("child %d: WHOAMI endpoint %d flags %#x init flags %#x name '%.16s', expected %d %#x %#x '%s'",
	     self->index, who.endpoint, who.flags, who.init_flags, who.name,
	     ep, flags, 0x100 + self->index, name);
	return false;
}

static bool expect_self(struct child *self, int32_t ep)
{
	return expect_whoami(self, ep, slot_flags(self->index));
}

/* Receive from @from: a message from @source, @type, sent with @call. */
static bool take(struct child *self, const char *what, int32_t from,
		 int32_t source, int32_t type, uint32_t call,
		 struct mxsys_message *m)
{
	uint32_t status;

	memset(m, 0, sizeof(*m));
	return expect_ret(what, ipc(self->fd, MXSYS_IOC_RECEIVE, from, m, &status), 0) &&
	       expect_msg(what, m, status, source, type, call);
}

static bool send_to(struct child *self, const char *what, unsigned long call,
		    int32_t ep, int32_t type, uint64_t value)
{
	struct mxsys_message m = make_msg(type, value);

	return expect_ret(what, ipc(self->fd, call, ep, &m, NULL), 0);
}

/* SENDREC @type/@value to @ep; the reply must be @rtype/@rvalue from @ep. */
static bool call_expect(struct child *self, const char *what, int32_t ep,
			int32_t type, uint64_t value, int32_t rtype,
			uint64_t rvalue)
{
	struct mxsys_message m = make_msg(type, value);
	uint32_t status;

	if (!expect_ret(what, ipc(self->fd, MXSYS_IOC_SENDREC, ep, &m, &status), 0) ||
	    !expect_msg(what, &m, status, ep, rtype, MXSYS_CALL_SEND))
		return false;
	if (m.m_u64[0] == rvalue)
		return true;
	note("child %d: %s: reply value %llu, expected %llu", self->index,
	     what, (unsigned long long)m.m_u64[0], (unsigned long long)rvalue);
	return false;
}

static bool expect_quiet(struct child *self, const char *when)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };

	if (poll(&p, 1, 0) == 0)
		return true;
	note("child %d: %s: something is still pending", self->index, when);
	return false;
}

static bool expect_left(const char *what, uint64_t left, uint64_t lo,
			uint64_t hi)
{
	if (left >= lo && left <= hi)
		return true;
	note("%s: %llu ms left, expected %llu..%llu", what,
	     (unsigned long long)left, (unsigned long long)lo,
	     (unsigned long long)hi);
	return false;
}

/* WHOAMI where expect_at says. */
static int whoami_role(struct child *self)
{
	int at = expect_at[self->index] ? expect_at[self->index] - 1 : self->index;

	return !expect_self(self, eps[at]);
}

static int idle_role(struct child *self)
{
	(void)self;
	return 0;
}

/* Runs (blocked in read(), not in IPC) until told. */
static int runner_role(struct child *self)
{
	(void)self;
	sync_signal();
	return order_wait() ? 0 : 1;
}

/* ---- update-args: every way UPDATE refuses its arguments ---- */

/* In update-args' table: child @i's endpoint, and a stale one. */
#define CHILD_EP(i)	(-100 - (i))
#define STALE_EP	(-99)

static int32_t resolve(int32_t ep)
{
	if (ep == STALE_EP)
		return MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[1]) + 1,
				      MXSYS_ENDPOINT_SLOT(eps[1]));
	if (ep <= CHILD_EP(0) && ep > CHILD_EP(MAX_CHILDREN))
		return eps[CHILD_EP(0) - ep];
	return ep;
}

static int test_update_args(void)
{
	static const struct spec specs[] = {
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
		{ idle_role, 0, 0, 0, HELD | DISALLOWED },
	};
	static const struct {
		const char *what;
		int32_t src, dst;
		uint32_t flags, pad;
		int want;
	} cases[] = {
		{ "with pad set", CHILD_EP(0), CHILD_EP(1), 0, 1, -EINVAL },
		{ "with an unknown flag", CHILD_EP(0), CHILD_EP(1), 0x2, 0, -EINVAL },
		{ "of a slot with itself", CHILD_EP(0), CHILD_EP(0), 0, 0, -EINVAL },
		{ "to a slot out of range", CHILD_EP(0), MXSYS_ENDPOINT(0, MXSYS_MAX_SLOTS + 5), 0, 0, -EINVAL },
		{ "from ANY", MXSYS_ANY, CHILD_EP(1), 0, 0, -EINVAL },
		{ "from SYSTEM", MXSYS_SYSTEM, CHILD_EP(1), 0, 0, -EINVAL },
		{ "to a stale endpoint", CHILD_EP(0), STALE_EP, 0, 0, -EDEADEPT },
		{ "from a free slot", MXSYS_ENDPOINT(0, MXSYS_NR_STATIC_SLOTS - 1), CHILD_EP(1), 0, 0, -EDEADEPT },
		{ "to a slot without SYS_PROC", CHILD_EP(0), CHILD_EP(2), 0, 0, -EPERM },
		{ "from a slot without SYS_PROC", CHILD_EP(2), CHILD_EP(0), 0, 0, -EPERM },
		{ "of the running caller (RS)", MXSYS_RS_ENDPOINT, CHILD_EP(0), 0, 0, -EBUSY },
	};
	size_t i;
	int ret;

	/* Each finds the other's slot: the two swap once. */
	expect_at[0] = 1 + 1;
	expect_at[1] = 0 + 1;
	if (start(3, specs))
		return 1;
	for (i = 0; i < MXT_ARRAY_SIZE(cases); i++) {
		ret = update_raw(rs_fd, resolve(cases[i].src),
				 resolve(cases[i].dst), cases[i].flags,
				 cases[i].pad);
		if (ret != cases[i].want)
			return fail("UPDATE %s: %s, expected %s", cases[i].what,
				    err_name(ret), err_name(cases[i].want));
	}
	/* RS passes ROLLBACK when it swaps back: a swap like any other. */
	ret = swap_children(0, 1, MXSYS_UPD_ROLLBACK);
	if (ret)
		return fail("UPDATE with ROLLBACK of two prepared slots: %s",
			    err_name(ret));
	if (release(0) || release(1) || expect_exit(0, 0) || expect_exit(1, 0))
		return 1;
	return pass();
}

/* ---- update-caller: who may call UPDATE (and PRIVCTL) ---- */

/* Through libsef's wrapper, on the child's own (libsef) descriptor. */
static int caller_without_call(struct child *self)
{
	(void)self;
	return !expect_ret("UPDATE without the call", sys_update(eps[2], eps[3], 0), -ECALLDENIED);
}

/* Has the calls, but is not a system process. */
static int caller_not_sys(struct child *self)
{
	struct mxsys_priv p = make_priv(MXSYS_SYS_PROC, 0, 0, "x");

	return !(expect_ret("UPDATE by a non-system process", update(self->fd, eps[2], eps[3], 0), -EPERM) &&
		 expect_ret("ALLOW by a non-system process", privctl_ep(self->fd, MXSYS_PRIV_ALLOW, eps[2], NULL), -EPERM) &&
		 expect_ret("YIELD by a non-system process", privctl_ep(self->fd, MXSYS_PRIV_YIELD, eps[2], NULL), -EPERM) &&
		 expect_ret("CLEAR_IPC_REFS by a non-system process", privctl_ep(self->fd, MXSYS_PRIV_CLEAR_IPC_REFS, eps[2], NULL), -EPERM) &&
		 expect_ret("UPDATE_SYS by a non-system process", privctl_ep(self->fd, MXSYS_PRIV_UPDATE_SYS, eps[2], &p), -EPERM) &&
		 expect_ret("SET_SYS by a non-system process", set_sys(self->fd, getpid(), &p, NULL), -EPERM));
}

static int test_update_caller(void)
{
	static const struct spec specs[] = {
		{ caller_without_call, MXSYS_SYS_PROC, KC(PRIVCTL) | KC(SETALARM), 0, 0 },
		{ caller_not_sys, 0, KC(UPDATE) | KC(PRIVCTL), 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};

	if (start(4, specs) || expect_exit(0, 0) || expect_exit(1, 0))
		return 1;
	/* The refused calls changed nothing: each is still in its own slot. */
	if (release(2) || release(3) || expect_exit(2, 0) || expect_exit(3, 0))
		return 1;
	return pass();
}

/* ---- unbound: a file bound to no slot may call none of them ---- */

static int unbound_calls(void)
{
	struct mxsys_priv p = make_priv(MXSYS_SYS_PROC, 0, 0, "x");
	int fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		note("open as root: %s", strerror(errno));
		return 1;
	}
	return !(expect_ret("UPDATE", update(fd, MXSYS_RS_ENDPOINT, MXSYS_DS_ENDPOINT, 0), -EPERM) &&
		 expect_ret("SETALARM", setalarm(fd, 10, 0, NULL), -EPERM) &&
		 expect_ret("YIELD", privctl_ep(fd, MXSYS_PRIV_YIELD, MXSYS_RS_ENDPOINT, NULL), -EPERM) &&
		 expect_ret("CLEAR_IPC_REFS", privctl_ep(fd, MXSYS_PRIV_CLEAR_IPC_REFS, MXSYS_RS_ENDPOINT, NULL), -EPERM) &&
		 expect_ret("UPDATE_SYS", privctl_ep(fd, MXSYS_PRIV_UPDATE_SYS, MXSYS_RS_ENDPOINT, &p), -EPERM));
}

static int test_unbound(void)
{
	if (run_in_child(unbound_calls))
		return fail("an unbound file could call UPDATE, SETALARM or PRIVCTL");
	return pass();
}

/* ---- update-busy: a slot whose process may be doing something ---- */

static int busy_sender(struct child *self)
{
	return !send_to(self, "send to RS", MXSYS_IOC_SEND, MXSYS_RS_ENDPOINT, 51, 0);
}

static int busy_caller(struct child *self)
{
	/* RS answers once it swapped this process into child 3's slot. */
	return !(call_expect(self, "sendrec to RS", MXSYS_RS_ENDPOINT, 52, 0, 53, 0) &&
		 expect_self(self, eps[3]));
}

static int test_update_busy(void)
{
	static const struct spec specs[] = {
		{ runner_role, MXSYS_SYS_PROC, 0, 0, 0 },
		{ busy_sender, MXSYS_SYS_PROC, 0, 0, 0 },
		{ busy_caller, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	struct mxsys_message m;
	int ret;

	expect_at[3] = 2 + 1;
	if (rs_drain() || start(4, specs))
		return 1;
	sync_wait();		/* child 0 runs, or sleeps in read() */
	if (expect_update("of a running process", 0, 3, -EBUSY) ||
	    expect_update("into a running process", 3, 0, -EBUSY))
		return 1;
	if (await_blocked(&children[1], MXSYS_IOC_SEND) ||
	    await_blocked(&children[2], MXSYS_IOC_SENDREC))
		return 1;
	if (expect_update("of a process blocked in SEND", 1, 3, -EBUSY) ||
	    expect_update("into a process blocked in SEND", 3, 1, -EBUSY) ||
	    expect_update("of a process whose SENDREC was not taken", 2, 3, -EBUSY))
		return 1;
	if (rs_take("child 1's send", eps[1], 51, MXSYS_CALL_SEND, &m))
		return 1;
	if (rs_take("child 2's sendrec", eps[2], 52, MXSYS_CALL_SENDREC, &m))
		return 1;
	/* Waiting for RS's reply is quiescent. */
	ret = swap_children(2, 3, 0);
	if (ret)
		return fail("UPDATE of a process waiting for RS's reply: %s",
			    err_name(ret));
	if (rs_send("reply to the swapped process", children[2].ep, 53))
		return 1;
	order_signal();
	if (release(3) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- update-owed: a process holding a request it has not answered ---- */

static int owing_server(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;

	if (!expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status), 0) ||
	    !expect_msg("request", &m, status, eps[1], 71, MXSYS_CALL_SENDREC))
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	return !send_to(self, "reply", MXSYS_IOC_SEND, eps[1], 72, 0);
}

static int owed_client(struct child *self)
{
	return !call_expect(self, "sendrec to the server", eps[0], 71, 0, 72, 0);
}

/*
 * Swapped with the request in hand, the server would answer from the
 * other endpoint while its caller waits on this one, forever: -EBUSY even
 * though the server is DISALLOWed, until it has answered.
 */
static int test_update_owed(void)
{
	static const struct spec specs[] = {
		{ owing_server, MXSYS_SYS_PROC, 0, 0, 0 },
		{ owed_client, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	int ret;

	if (rs_drain() || start(3, specs))
		return 1;
	sync_wait();		/* the server holds the request */
	ret = privctl(MXSYS_PRIV_DISALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW of the server: %s", err_name(ret));
	if (expect_update("of a process that owes a reply", 0, 2, -EBUSY) ||
	    expect_update("into a process that owes a reply", 2, 0, -EBUSY))
		return 1;
	ret = privctl(MXSYS_PRIV_ALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("ALLOW of the server: %s", err_name(ret));
	order_signal();
	if (expect_exit(0, 0) || expect_exit(1, 0) || release(2) ||
	    expect_exit(2, 0))
		return 1;
	return pass();
}

/* ---- update-signals: signals stay with the endpoint ---- */

static int signaled_old(struct child *self)
{
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL) < 0)
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	/* Swapped out while frozen: here, nothing holds its IPC. */
	return !(expect_self(self, eps[1]) &&
		 send_to(self, "senda from the old process", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 81, 0));
}

static int signaled_new(struct child *self)
{
	return !(expect_self(self, eps[0]) &&
		 send_to(self, "senda from the new process", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 82, 0));
}

/*
 * A process frozen by a signal for its manager may be swapped (MINIX's
 * SIG_PENDING); the signal stays with the endpoint: the manager pulls it
 * for that endpoint, and the process now there is the one held until
 * ENDKSIG.
 */
static int test_update_signals(void)
{
	static const struct spec specs[] = {
		{ signaled_old, MXSYS_SYS_PROC, 0, 0, 0 },
		{ signaled_new, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	struct mxsys_endpoint_arg arg = { 0 };
	struct mxsys_message m;
	struct mxsys_ksig k;
	int32_t x, y;
	int ret;

	if (rs_drain() || start(2, specs))
		return 1;
	x = eps[0];
	y = eps[1];
	sync_wait();		/* SIGUSR1 blocked, running in read() */
	if (expect_update("of a running process", 0, 1, -EBUSY))
		return 1;
	if (kill(children[0].pid, SIGUSR1) < 0)
		return fail("kill: %s", strerror(errno));
	if (rs_take("the signal's notify", MXSYS_SYSTEM, MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m))
		return 1;
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of a process frozen by a signal: %s", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_GETKSIG, &k);
	if (ret || k.endpoint != x || k.flags || k.sigset != MXSYS_SIGBIT(SIGUSR1))
		return fail("GETKSIG after the swap: %s, endpoint %d flags %#x set %#llx; expected %d, SIGUSR1",
			    err_name(ret), k.endpoint, k.flags,
			    (unsigned long long)k.sigset, x);
	ret = privctl(MXSYS_PRIV_ALLOW, x, 0, NULL, NULL);
	if (ret)
		return fail("ALLOW: %s", err_name(ret));
	if (release(1) || await_blocked(&children[1], MXSYS_IOC_SENDA))
		return 1;
	if (rs_has_input())
		return fail("the new process's senda went through before ENDKSIG");
	arg.endpoint = x;
	ret = mx(rs_fd, MXSYS_IOC_ENDKSIG, &arg);
	if (ret)
		return fail("ENDKSIG: %s", err_name(ret));
	if (rs_take("the new process's senda", x, 82, MXSYS_CALL_SENDA, &m))
		return 1;
	order_signal();
	if (rs_take("the old process's senda", y, 81, MXSYS_CALL_SENDA, &m) ||
	    expect_exit(0, 0) || expect_exit(1, 0))
		return 1;
	return pass();
}

/* ---- the quiescent kinds: prepared, dead, DISALLOWed, sending, receiving ---- */

static int test_update_prepared(void)
{
	static const struct spec specs[] = {
		{ whoami_role, MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE, 0, 0, HELD | DISALLOWED },
		{ whoami_role, MXSYS_SYS_PROC | MXSYS_LU_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	int ret;

	expect_at[0] = 1 + 1;
	expect_at[1] = 0 + 1;
	if (start(2, specs))
		return 1;
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of two prepared slots: %s", err_name(ret));
	/* Each process binds to the other's slot, with its own privileges. */
	if (release(0) || release(1) || wait_children(NULL))
		return 1;
	return pass();
}

static int test_update_dead(void)
{
	static const struct spec specs[] = {
		{ idle_role, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	int ret;

	expect_at[1] = 0 + 1;
	if (start(2, specs) || expect_exit(0, 0) || await_death(&children[0]))
		return 1;
	/* A restart: the new process takes over the dead one's endpoint. */
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of a dead slot: %s", err_name(ret));
	if (release(1) || expect_exit(1, 0))
		return 1;
	return pass();
}

static int disallowed_runner(struct child *self)
{
	sync_signal();
	if (!order_wait())
		return 1;
	return !(expect_self(self, eps[1]) &&
		 send_to(self, "senda from the new slot", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 61, 0));
}

static int test_update_disallowed(void)
{
	static const struct spec specs[] = {
		{ disallowed_runner, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	struct mxsys_message m = { 0 };
	int ret;

	expect_at[1] = 0 + 1;
	if (rs_drain() || start(2, specs))
		return 1;
	sync_wait();
	if (expect_update("of a running process", 0, 1, -EBUSY))
		return 1;
	ret = privctl(MXSYS_PRIV_DISALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW: %s", err_name(ret));
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of a DISALLOWed process: %s", err_name(ret));
	/* Not allowed moved with the process: RS lets it run again. */
	ret = privctl(MXSYS_PRIV_ALLOW, eps[1], 0, NULL, NULL);
	if (ret)
		return fail("ALLOW: %s", err_name(ret));
	order_signal();
	/* From it alone: its death, right after, would be a notify, first. */
	if (rs_take("from the swapped process", eps[1], 61, MXSYS_CALL_SENDA, &m))
		return 1;
	if (release(1) || wait_children(NULL))
		return 1;
	return pass();
}

static int sending_role(struct child *self)
{
	return !(send_to(self, "send to RS", MXSYS_IOC_SEND, MXSYS_RS_ENDPOINT, 71, 0) &&
		 expect_self(self, eps[1]));
}

static int test_update_sending(void)
{
	static const struct spec specs[] = {
		{ sending_role, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	struct mxsys_message m = { 0 };
	uint32_t status;
	int ret;

	expect_at[1] = 0 + 1;
	if (rs_drain() || start(2, specs) ||
	    await_blocked(&children[0], MXSYS_IOC_SEND))
		return 1;
	ret = privctl(MXSYS_PRIV_DISALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW: %s", err_name(ret));
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of a DISALLOWed sender: %s", err_name(ret));
	/* The blocked send moved with its process: it now comes from there. */
	ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, &status);
	if (ret)
		return fail("RS receive: %s", err_name(ret));
	if (m.m_source != eps[1] || m.m_type != 71)
		return fail("the send blocked across the swap came from %d type %d, expected its process's new endpoint %d type 71",
			    m.m_source, m.m_type, eps[1]);
	if (expect_exit(0, 0) || release(1) || expect_exit(1, 0))
		return 1;
	return pass();
}

static int receiving_role(struct child *self)
{
	struct mxsys_message m;

	return !(take(self, "receive from RS", MXSYS_RS_ENDPOINT, MXSYS_RS_ENDPOINT, 81, MXSYS_CALL_SEND, &m) &&
		 expect_self(self, eps[1]));
}

static int test_update_receiving(void)
{
	static const struct spec specs[] = {
		{ receiving_role, MXSYS_SYS_PROC, 0, 0, 0 },
		{ whoami_role, MXSYS_SYS_PROC, 0, 0, HELD | DISALLOWED },
	};
	int ret;

	expect_at[1] = 0 + 1;
	if (start(2, specs) || await_blocked(&children[0], MXSYS_IOC_RECEIVE))
		return 1;
	ret = swap_children(0, 1, 0);
	if (ret)
		return fail("UPDATE of a process blocked in RECEIVE: %s", err_name(ret));
	if (rs_send("send to the receiver's new endpoint", eps[1], 81))
		return 1;
	if (release(1) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- live-update: the new instance takes over behind the endpoint ---- */

/*
 * As RS: UPDATE(X, Y), X being child 0's slot and Y child 2's, then ALLOW
 * X: the new instance runs behind the old one's endpoint; for fail().
 */
static int swap_in_new(void)
{
	int ret = swap_children(0, 2, 0);

	if (ret)
		return fail("UPDATE(X, Y): %s", err_name(ret));
	ret = privctl(MXSYS_PRIV_ALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("ALLOW(X): %s", err_name(ret));
	return 0;
}

/* A, the old instance in slot X (eps[0]). */
static int live_old(struct child *self)
{
	struct mxsys_message m;
	uint64_t left = 1;

	if (!expect_self(self, eps[0]) ||
	    !take(self, "request 1", MXSYS_ANY, eps[1], T_REQUEST, MXSYS_CALL_SENDREC, &m) ||
	    !send_to(self, "reply 1", MXSYS_IOC_SEND, eps[1], T_REPLY_OLD, m.m_u64[0] + 1))
		return 1;
	/* An alarm of slot X: it rings for whoever is there then. */
	if (!expect_ret("SETALARM", setalarm(self->fd, 20, 0, &left), 0) ||
	    !expect_left("first alarm", left, 0, 0))
		return 1;
	/* Now quiescent: waiting for RS, which swaps B in meanwhile. */
	if (!call_expect(self, "ready", MXSYS_RS_ENDPOINT, T_READY, 0, T_GO, 0))
		return 1;
	/* In slot Y now, and Y may reach the client as X could. */
	return !(expect_self(self, eps[2]) &&
		 send_to(self, "send to the client from Y", MXSYS_IOC_SEND, eps[1], T_FROM_OLD, 0));
}

/* C, the client. */
static int live_client(struct child *self)
{
	struct mxsys_message m;

	if (!call_expect(self, "request 1", eps[0], T_REQUEST, 1, T_REPLY_OLD, 2) ||
	    !expect_ret("notify X", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[0], NULL, NULL), 0))
		return 1;
	/* Queued on X while A waits for RS; B answers it. */
	if (!call_expect(self, "request 2", eps[0], T_REQUEST, 10, T_REPLY_NEW, 11))
		return 1;
	return !take(self, "A from Y", eps[2], eps[2], T_FROM_OLD, MXSYS_CALL_SEND, &m);
}

/* B, the new instance, prepared in slot Y (eps[2]) with no destinations. */
static int live_new(struct child *self)
{
	struct mxsys_message m;

	if (!expect_self(self, eps[2]))
		return 1;
	sync_signal();		/* bound; its first IPC waits for ALLOW */
	if (!take(self, "X's alarm", MXSYS_CLOCK, MXSYS_CLOCK, MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m) ||
	    !expect_self(self, eps[0]) ||
	    !take(self, "C's notify to X", eps[1], eps[1], MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m) ||
	    !take(self, "C's queued request", MXSYS_ANY, eps[1], T_REQUEST, MXSYS_CALL_SENDREC, &m))
		return 1;
	if (m.m_u64[0] != 10) {
		note("request value %llu, expected 10", (unsigned long long)m.m_u64[0]);
		return 1;
	}
	/* X's destinations stayed with X. */
	return !send_to(self, "reply 2", MXSYS_IOC_SEND, eps[1], T_REPLY_NEW, 11);
}

static int test_live_update(void)
{
	static const struct spec specs[] = {
		{ live_old, MXSYS_SYS_PROC, KC(SETALARM), 0, 0 },
		{ live_client, MXSYS_SYS_PROC, 0, 0, 0 },
		{ live_new, MXSYS_SYS_PROC | MXSYS_LU_SYS_PROC, KC(SETALARM), 0,
		  DISALLOWED | NO_DESTS },
	};
	struct mxsys_message m = { 0 };

	if (rs_drain() || start(3, specs))
		return 1;
	sync_wait();		/* B is bound in Y */
	if (rs_take("A's ready", eps[0], T_READY, MXSYS_CALL_SENDREC, &m))
		return 1;
	/* C's second request sits in X's queue. */
	if (await_blocked(&children[1], MXSYS_IOC_SENDREC))
		return 1;
	if (swap_in_new())
		return 1;
	if (expect_exit(2, 0))
		return 1;
	if (rs_send("answering A in Y", eps[2], T_GO))
		return 1;
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- rollback: UPDATE again puts the old instance back ---- */

static int rollback_old(struct child *self)
{
	struct mxsys_message m;

	/* RS answers after the swap and the swap back. */
	if (!call_expect(self, "ready", MXSYS_RS_ENDPOINT, T_READY, 0, T_GO, 0) ||
	    !expect_self(self, eps[0]) ||
	    !take(self, "request", MXSYS_ANY, eps[1], T_REQUEST, MXSYS_CALL_SENDREC, &m))
		return 1;
	return !send_to(self, "reply", MXSYS_IOC_SEND, eps[1], T_REPLY_OLD, m.m_u64[0] + 1);
}

static int rollback_client(struct child *self)
{
	if (!order_wait())
		return 1;
	return !call_expect(self, "request", eps[0], T_REQUEST, 20, T_REPLY_OLD, 21);
}

static int rollback_new(struct child *self)
{
	if (!expect_self(self, eps[2]))
		return 1;
	sync_signal();
	/* Sent from X once allowed; answered in Y after the rollback. */
	return !(call_expect(self, "ready", MXSYS_RS_ENDPOINT, T_READY_NEW, 0, T_GO_NEW, 0) &&
		 expect_self(self, eps[2]));
}

static int test_rollback(void)
{
	static const struct spec specs[] = {
		{ rollback_old, MXSYS_SYS_PROC, 0, 0, 0 },
		{ rollback_client, MXSYS_SYS_PROC, 0, 0, 0 },
		{ rollback_new, MXSYS_SYS_PROC | MXSYS_LU_SYS_PROC, 0, 0,
		  DISALLOWED | NO_DESTS },
	};
	struct mxsys_message m = { 0 };
	int ret;

	if (rs_drain() || start(3, specs))
		return 1;
	sync_wait();
	if (rs_take("A's ready", eps[0], T_READY, MXSYS_CALL_SENDREC, &m))
		return 1;
	if (swap_in_new())
		return 1;
	if (rs_take("B's ready from X", eps[0], T_READY_NEW, MXSYS_CALL_SENDREC, &m))
		return 1;
	ret = swap_children(0, 2, MXSYS_UPD_ROLLBACK);
	if (ret)
		return fail("rollback UPDATE(X, Y): %s", err_name(ret));
	if (rs_send("answering A in X", eps[0], T_GO))
		return 1;
	if (rs_send("answering B in Y", eps[2], T_GO_NEW))
		return 1;
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- privctl-yield: allow the target, stop the caller ---- */

static int yield_caller(struct child *self)
{
	return !(expect_ret("YIELD", privctl_ep(self->fd, MXSYS_PRIV_YIELD, eps[1], NULL), 0) &&
		 send_to(self, "senda after YIELD", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 401, 0));
}

/* Stays alive until told: its death would notify RS. */
static int yield_target(struct child *self)
{
	return !(send_to(self, "senda once allowed", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 402, 0) &&
		 order_wait());
}

static int test_privctl_yield(void)
{
	static const struct spec specs[] = {
		{ yield_caller, MXSYS_SYS_PROC, KC(PRIVCTL), 0, 0 },
		{ yield_target, MXSYS_SYS_PROC, 0, 0, DISALLOWED },
	};
	struct mxsys_message m = { 0 };
	int ret;

	if (rs_drain() || start(2, specs))
		return 1;
	/* The target runs: only the caller's YIELD allowed it. */
	if (rs_take("from the target", eps[1], 402, MXSYS_CALL_SENDA, &m))
		return 1;
	/* The caller's next IPC waits to be allowed. */
	if (await_blocked(&children[0], MXSYS_IOC_SENDA))
		return 1;
	if (rs_has_input())
		return fail("the caller's senda went through after its YIELD");
	ret = privctl(MXSYS_PRIV_ALLOW, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("ALLOW: %s", err_name(ret));
	if (rs_take("from the re-allowed caller", eps[0], 401, MXSYS_CALL_SENDA, &m))
		return 1;
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- privctl-clearrefs: calls blocked on a slot fail ---- */

static int refs_target(struct child *self)
{
	struct mxsys_message m;

	if (!take(self, "child 1's request", eps[1], eps[1], 501, MXSYS_CALL_SENDREC, &m))
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	/* What was sent asynchronously is still there, and only that. */
	return !(take(self, "notify", MXSYS_ANY, eps[4], MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m) &&
		 take(self, "senda", MXSYS_ANY, eps[4], 504, MXSYS_CALL_SENDA, &m) &&
		 expect_quiet(self, "after CLEAR_IPC_REFS"));
}

static int refs_reply_waiter(struct child *self)
{
	struct mxsys_message m = make_msg(501, 0);

	return !expect_ret("sendrec whose reply never comes", ipc(self->fd, MXSYS_IOC_SENDREC, eps[0], &m, NULL), -EDEADSRCDST);
}

static int refs_receiver(struct child *self)
{
	struct mxsys_message m = { 0 };

	return !expect_ret("receive from the target", ipc(self->fd, MXSYS_IOC_RECEIVE, eps[0], &m, NULL), -EDEADSRCDST);
}

static int refs_sender(struct child *self)
{
	struct mxsys_message m = make_msg(503, 0);

	return !expect_ret("send never received", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m, NULL), -EDEADSRCDST);
}

static int refs_async(struct child *self)
{
	return !(send_to(self, "senda", MXSYS_IOC_SENDA, eps[0], 504, 0) &&
		 expect_ret("notify", ipc(self->fd, MXSYS_IOC_NOTIFY, eps[0], NULL, NULL), 0));
}

static int test_privctl_clearrefs(void)
{
	static const struct spec specs[] = {
		{ refs_target, MXSYS_SYS_PROC, 0, 0, 0 },
		{ refs_reply_waiter, MXSYS_SYS_PROC, 0, 0, 0 },
		{ refs_receiver, MXSYS_SYS_PROC, 0, 0, 0 },
		{ refs_sender, MXSYS_SYS_PROC, 0, 0, 0 },
		{ refs_async, MXSYS_SYS_PROC, 0, 0, 0 },
	};
	int ret;

	if (start(5, specs))
		return 1;
	sync_wait();		/* child 1 waits for the target's reply */
	if (await_blocked(&children[2], MXSYS_IOC_RECEIVE) ||
	    await_blocked(&children[3], MXSYS_IOC_SEND) || expect_exit(4, 0))
		return 1;
	ret = privctl(MXSYS_PRIV_CLEAR_IPC_REFS, eps[0], 0, NULL, NULL);
	if (ret)
		return fail("CLEAR_IPC_REFS: %s", err_name(ret));
	if (expect_exit(1, 0) || expect_exit(2, 0) || expect_exit(3, 0))
		return 1;
	order_signal();
	if (expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- privctl-updatesys: new privileges for a live slot ---- */

static int updatesys_role(struct child *self)
{
	uint64_t left;

	if (!expect_ret("SETALARM with the call", setalarm(self->fd, 0, 0, &left), 0))
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	if (!expect_ret("SETALARM without the call", setalarm(self->fd, 0, 0, &left), -ECALLDENIED))
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	return !(expect_ret("SETALARM with the call again", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_self(self, eps[0]));
}

static int test_privctl_updatesys(void)
{
	static const struct spec specs[] = {
		{ updatesys_role, MXSYS_SYS_PROC, KC(SETALARM), 0, 0 },
	};
	struct mxsys_priv less = make_priv(MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE, 0, 0x55, "renamed");
	struct mxsys_priv back = make_priv(MXSYS_SYS_PROC, KC(SETALARM), 0x100, "upd0");
	struct mxsys_priv bad;
	int32_t stale;
	int ret;

	if (start(1, specs))
		return 1;
	stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[0]) + 1, MXSYS_ENDPOINT_SLOT(eps[0]));
	sync_wait();
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &less);
	if (ret)
		return fail("UPDATE_SYS without SETALARM: %s", err_name(ret));
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, stale, &back);
	if (ret != -EDEADEPT)
		return fail("UPDATE_SYS of a stale endpoint: %s, expected EDEADEPT", err_name(ret));
	bad = back;
	memset(bad.name, 'x', sizeof(bad.name));
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &bad);
	if (ret != -EINVAL)
		return fail("UPDATE_SYS with an unterminated name: %s, expected EINVAL", err_name(ret));
	order_signal();
	sync_wait();
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &back);
	if (ret)
		return fail("UPDATE_SYS with SETALARM: %s", err_name(ret));
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* The name, flags and init flags UPDATE_SYS gave (checked in the middle). */
static int updatesys_whoami(struct child *self)
{
	struct mxsys_whoami who;

	if (!expect_ret("WHOAMI", mx(self->fd, MXSYS_IOC_WHOAMI, &who), 0))
		return 1;
	if (who.endpoint != eps[0] || strcmp(who.name, "renamed") ||
	    who.init_flags != 0x55 ||
	    who.flags != (MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE | MXSYS_DYN_PRIV_ID)) {
		note("WHOAMI after UPDATE_SYS: endpoint %d name '%.16s' flags %#x init flags %#x",
		     who.endpoint, who.name, who.flags, who.init_flags);
		return 1;
	}
	return 0;
}

static int test_privctl_whoami(void)
{
	static const struct spec specs[] = {
		{ updatesys_whoami, MXSYS_SYS_PROC, 0, 0, HELD },
	};
	struct mxsys_priv p = make_priv(MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE, 0, 0x55, "renamed");
	int ret;

	if (start(1, specs))
		return 1;
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &p);
	if (ret)
		return fail("UPDATE_SYS: %s", err_name(ret));
	if (release(0) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* ---- privctl-dynprivid: the module decides DYN_PRIV_ID ---- */

static int dyn_role(struct child *self)
{
	uint32_t flags = slot_flags(self->index);

	if (!expect_self(self, eps[self->index]))
		return 1;
	sync_signal();
	if (!order_wait())
		return 1;
	/* UPDATE_SYS asked for the opposite. */
	return !expect_whoami(self, eps[self->index], flags);
}

static int test_privctl_dynprivid(void)
{
	static const struct spec specs[] = {
		{ dyn_role, MXSYS_SYS_PROC, 0, 0, 0 },
		{ dyn_role, MXSYS_SYS_PROC | MXSYS_DYN_PRIV_ID, 0, 5, 0 },
	};
	struct mxsys_priv dyn = make_priv(MXSYS_SYS_PROC, 0, 0x100, "upd0");
	struct mxsys_priv stat = make_priv(MXSYS_SYS_PROC | MXSYS_DYN_PRIV_ID, 0, 0x101, "upd1");
	int ret;

	if (start(2, specs))
		return 1;
	if (MXSYS_ENDPOINT_SLOT(eps[1]) != 5)
		return fail("static slot 5 gave endpoint %d", eps[1]);
	sync_wait();
	sync_wait();
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &dyn);
	if (!ret)
		ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[1], &stat);
	if (ret)
		return fail("UPDATE_SYS: %s", err_name(ret));
	order_signal();
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- privctl-escalation: nobody hands out more than it has ---- */

static int escalating_role(struct child *self)
{
	pid_t spare = children[0].pid;	/* forked before this child */
	struct mxsys_priv calls = make_priv(MXSYS_SYS_PROC, KC(PRIVCTL) | KC(KILL), 0x101, "upd1");
	struct mxsys_priv root = make_priv(MXSYS_SYS_PROC | MXSYS_ROOT_SYS_PROC, KC(PRIVCTL), 0x101, "upd1");
	struct mxsys_priv same = make_priv(MXSYS_SYS_PROC, KC(PRIVCTL), 0x101, "upd1");
	int32_t ep = 0;

	if (!(expect_ret("SET_SYS with a call the caller lacks", set_sys(self->fd, spare, &calls, NULL), -EPERM) &&
	      expect_ret("SET_SYS with ROOT_SYS_PROC", set_sys(self->fd, spare, &root, NULL), -EPERM) &&
	      expect_ret("UPDATE_SYS of itself with a call it lacks", privctl_ep(self->fd, MXSYS_PRIV_UPDATE_SYS, eps[1], &calls), -EPERM) &&
	      expect_ret("UPDATE_SYS of itself with ROOT_SYS_PROC", privctl_ep(self->fd, MXSYS_PRIV_UPDATE_SYS, eps[1], &root), -EPERM) &&
	      expect_self(self, eps[1])))
		return 1;
	/* RS's own slot is RS's alone, whatever calls a service holds. */
	if (!(expect_ret("DISALLOW of RS", privctl_ep(self->fd, MXSYS_PRIV_DISALLOW, MXSYS_RS_ENDPOINT, NULL), -EPERM) &&
	      expect_ret("CLEAR_IPC_REFS of RS", privctl_ep(self->fd, MXSYS_PRIV_CLEAR_IPC_REFS, MXSYS_RS_ENDPOINT, NULL), -EPERM) &&
	      expect_ret("UPDATE_SYS of RS", privctl_ep(self->fd, MXSYS_PRIV_UPDATE_SYS, MXSYS_RS_ENDPOINT, &same), -EPERM) &&
	      expect_ret("UPDATE of RS's slot", update(self->fd, MXSYS_RS_ENDPOINT, eps[1], 0), -EPERM)))
		return 1;
	/* What it has, it may hand out. */
	if (!(expect_ret("UPDATE_SYS of itself with its own calls", privctl_ep(self->fd, MXSYS_PRIV_UPDATE_SYS, eps[1], &same), 0) &&
	      expect_ret("SET_SYS with its own calls", set_sys(self->fd, spare, &same, &ep), 0)))
		return 1;
	return !send_to(self, "report", MXSYS_IOC_SENDA, MXSYS_RS_ENDPOINT, 601, (uint64_t)ep);
}

static int test_privctl_escalation(void)
{
	static const struct spec specs[] = {
		{ idle_role, 0, 0, 0, UNPREPARED },
		{ escalating_role, MXSYS_SYS_PROC, KC(PRIVCTL) | KC(UPDATE), 0, 0 },
	};
	struct mxsys_endpoint_arg arg = { 0 };
	struct mxsys_message m = { 0 };
	int ret;

	if (rs_drain() || start(2, specs))
		return 1;
	if (rs_take("the report", eps[1], 601, MXSYS_CALL_SENDA, &m))
		return 1;
	/* The slot the child prepared exists; RS frees it. */
	arg.endpoint = (int32_t)m.m_u64[0];
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
	if (ret)
		return fail("CLEAR of the slot the child prepared: %s", err_name(ret));
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
	if (ret != -EDEADEPT)
		return fail("second CLEAR: %s, expected EDEADEPT", err_name(ret));
	if (expect_exit(1, 0))
		return 1;
	return pass();
}

/* ---- privctl-args: requests, flags and endpoints PRIVCTL refuses ---- */

static int test_privctl_args(void)
{
	/* RS, the root, may hand out ROOT_SYS_PROC. */
	static const struct spec specs[] = {
		{ whoami_role, MXSYS_SYS_PROC | MXSYS_ROOT_SYS_PROC, 0, 0, 0 },
	};
	static const uint32_t on_slot[] = {
		MXSYS_PRIV_ALLOW, MXSYS_PRIV_DISALLOW, MXSYS_PRIV_YIELD,
		MXSYS_PRIV_CLEAR_IPC_REFS, MXSYS_PRIV_UPDATE_SYS,
	};
	static const uint32_t unknown[] = { 0, 7, 0x100, 0xffffffff };
	struct mxsys_priv p = make_priv(MXSYS_SYS_PROC, 0, 0x100, "upd0");
	struct mxsys_priv bad;
	int32_t stale;
	size_t i;
	int ret;

	if (start(1, specs) || expect_exit(0, 0))
		return 1;
	stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[0]) + 1, MXSYS_ENDPOINT_SLOT(eps[0]));
	for (i = 0; i < MXT_ARRAY_SIZE(unknown); i++) {
		ret = privctl_ep(rs_fd, unknown[i], eps[0], &p);
		if (ret != -EINVAL)
			return fail("request %u: %s, expected EINVAL", unknown[i], err_name(ret));
	}
	for (i = 0; i < MXT_ARRAY_SIZE(on_slot); i++) {
		ret = privctl_ep(rs_fd, on_slot[i], stale, &p);
		if (ret != -EDEADEPT)
			return fail("request %u on a stale endpoint: %s, expected EDEADEPT",
				    on_slot[i], err_name(ret));
		ret = privctl_ep(rs_fd, on_slot[i], MXSYS_ENDPOINT(0, MXSYS_MAX_SLOTS + 5), &p);
		if (ret != -EINVAL)
			return fail("request %u on a slot out of range: %s, expected EINVAL",
				    on_slot[i], err_name(ret));
	}
	bad = p;
	bad.flags |= 0x1000;
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &bad);
	if (ret != -EINVAL)
		return fail("UPDATE_SYS with an unknown flag: %s, expected EINVAL", err_name(ret));
	ret = set_sys(rs_fd, 1, &bad, NULL);
	if (ret != -EINVAL)
		return fail("SET_SYS with an unknown flag: %s, expected EINVAL", err_name(ret));
	bad = p;
	bad.flags |= 0x4;	/* MINIX's BILLABLE: not a flag of the module */
	ret = set_sys(rs_fd, 1, &bad, NULL);
	if (ret != -EINVAL)
		return fail("SET_SYS with BILLABLE: %s, expected EINVAL", err_name(ret));
	bad = p;
	bad.call_mask = 1ULL << MXSYS_KC_COUNT;
	ret = privctl_ep(rs_fd, MXSYS_PRIV_UPDATE_SYS, eps[0], &bad);
	if (ret != -EINVAL)
		return fail("UPDATE_SYS with an unknown call: %s, expected EINVAL", err_name(ret));
	ret = set_sys(rs_fd, 1, &bad, NULL);
	if (ret != -EINVAL)
		return fail("SET_SYS with an unknown call: %s, expected EINVAL", err_name(ret));
	return pass();
}

/* ---- alarms ---- */

/* Receive the CLOCK notify of an alarm armed at @t0, stamped no earlier. */
static bool take_alarm(struct child *self, const char *what, uint64_t t0)
{
	struct mxsys_message m;

	if (!take(self, what, MXSYS_ANY, MXSYS_CLOCK, MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m))
		return false;
	if (m.m_notify_timestamp >= t0)
		return true;
	note("CLOCK notify stamped %llu, before the arming at %llu",
	     (unsigned long long)m.m_notify_timestamp, (unsigned long long)t0);
	return false;
}

static int alarm_relative(struct child *self)
{
	uint64_t t0 = now_ns(), left = 1;

	if (!expect_ret("SETALARM 20 ms", setalarm(self->fd, 20, 0, &left), 0) ||
	    !expect_left("nothing armed before", left, 0, 0) ||
	    !take_alarm(self, "the alarm", t0))
		return 1;
	/* It rang: nothing is armed any more. */
	return !(expect_ret("cancel", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_left("after it rang", left, 0, 0));
}

static int alarm_rearm(struct child *self)
{
	struct mxsys_message m;
	uint64_t left = 1;

	/* Through libsef's wrapper, as a service would. */
	if (!(expect_ret("arm 1 h", sys_setalarm2(HOUR_MS, 0, &left), 0) &&
	      expect_left("first", left, 0, 0) &&
	      expect_ret("re-arm 1 h", sys_setalarm2(HOUR_MS, 0, &left), 0) &&
	      expect_left("re-armed", left, 1, HOUR_MS) &&
	      expect_ret("cancel", sys_setalarm2(0, 0, &left), 0) &&
	      expect_left("cancelled", left, 1, HOUR_MS) &&
	      expect_ret("cancel again", sys_setalarm2(0, 0, &left), 0) &&
	      expect_left("cancelled twice", left, 0, 0)))
		return 1;
	/* A probe: one CLOCK notify, its own, and nothing after it. */
	return !(expect_ret("probe", setalarm(self->fd, 1, 0, &left), 0) &&
		 expect_left("probe", left, 0, 0) &&
		 take(self, "the probe", MXSYS_CLOCK, MXSYS_CLOCK, MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m) &&
		 expect_quiet(self, "after the probe"));
}

static int alarm_abs(struct child *self)
{
	uint64_t t0 = now_ns(), left = 1;

	/* 1 ms after boot: long past, it rings at once. */
	if (!expect_ret("ABS in the past", setalarm(self->fd, 1, MXSYS_ALARM_ABS, &left), 0) ||
	    !take_alarm(self, "the past alarm", t0))
		return 1;
	return !(expect_ret("ABS in an hour", setalarm(self->fd, now_ns() / 1000000 + HOUR_MS, MXSYS_ALARM_ABS, &left), 0) &&
		 expect_left("nothing armed", left, 0, 0) &&
		 expect_ret("cancel", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_left("ABS alarm", left, 1, HOUR_MS));
}

static int alarm_args(struct child *self)
{
	uint64_t left = 1;

	return !(expect_ret("pad set", alarm_raw(self->fd, 10, 0, 1, NULL), -EINVAL) &&
		 expect_ret("unknown flag", alarm_raw(self->fd, 10, 0x2, 0, NULL), -EINVAL) &&
		 expect_ret("ABS and an unknown flag", alarm_raw(self->fd, 10, MXSYS_ALARM_ABS | 0x80000000U, 0, NULL), -EINVAL) &&
		 expect_ret("beyond KTIME_MAX", setalarm(self->fd, MAX_ALARM_MS + 1, 0, NULL), -EINVAL) &&
		 expect_ret("ABS beyond KTIME_MAX", setalarm(self->fd, MAX_ALARM_MS + 1, MXSYS_ALARM_ABS, NULL), -EINVAL) &&
		 expect_ret("all ones", setalarm(self->fd, UINT64_MAX, 0, NULL), -EINVAL) &&
		 expect_ret("bad pointer", mx(self->fd, MXSYS_IOC_SETALARM, (void *)8), -EFAULT) &&
		 /* The largest is taken, relative or absolute. */
		 expect_ret("KTIME_MAX", setalarm(self->fd, MAX_ALARM_MS, 0, &left), 0) &&
		 expect_left("nothing armed", left, 0, 0) &&
		 expect_ret("ABS KTIME_MAX", setalarm(self->fd, MAX_ALARM_MS, MXSYS_ALARM_ABS, &left), 0) &&
		 expect_left("the relative one", left, HOUR_MS, MAX_ALARM_MS) &&
		 expect_ret("cancel", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_left("the absolute one", left, HOUR_MS, MAX_ALARM_MS));
}

static int alarm_denied(struct child *self)
{
	return !(expect_ret("SETALARM without the call", setalarm(self->fd, 10, 0, NULL), -ECALLDENIED) &&
		 expect_ret("cancel without the call", setalarm(self->fd, 0, 0, NULL), -ECALLDENIED));
}

static int run_alarm_roles(role_fn a, role_fn b)
{
	const struct spec specs[] = {
		{ a, MXSYS_SYS_PROC, KC(SETALARM), 0, 0 },
		{ b, MXSYS_SYS_PROC, 0, 0, 0 },
	};

	if (start(b ? 2 : 1, specs) || wait_children(NULL))
		return 1;
	return pass();
}

static int test_alarm_relative(void)
{
	return run_alarm_roles(alarm_relative, NULL);
}

static int test_alarm_rearm(void)
{
	return run_alarm_roles(alarm_rearm, NULL);
}

static int test_alarm_abs(void)
{
	return run_alarm_roles(alarm_abs, NULL);
}

static int test_alarm_args(void)
{
	return run_alarm_roles(alarm_args, alarm_denied);
}

/* The alarm of a dead process rings for the next one on its endpoint. */
static int alarm_setter(struct child *self)
{
	uint64_t left = 1;

	return !(expect_ret("SETALARM", setalarm(self->fd, 30, 0, &left), 0) &&
		 expect_left("nothing armed", left, 0, 0));
}

static int alarm_heir(struct child *self)
{
	struct mxsys_message m;
	uint64_t left = 1;

	return !(expect_self(self, eps[0]) &&
		 take(self, "the predecessor's alarm", MXSYS_ANY, MXSYS_CLOCK, MXSYS_NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY, &m) &&
		 expect_ret("cancel", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_left("after it rang", left, 0, 0));
}

static int test_alarm_death(void)
{
	static const struct spec specs[] = {
		{ alarm_setter, MXSYS_SYS_PROC, KC(SETALARM), 0, 0 },
	};
	static const struct spec heir = {
		alarm_heir, MXSYS_SYS_PROC, KC(SETALARM), 0, 0,
	};

	if (start(1, specs) || expect_exit(0, 0) || await_death(&children[0]) ||
	    respawn(0, &heir) || expect_exit(0, 0))
		return 1;
	return pass();
}

/* CLEAR stops the alarm: the slot's next endpoint has none armed. */
static int alarm_far(struct child *self)
{
	uint64_t left = 1;

	return !(expect_ret("SETALARM 1 h", setalarm(self->fd, HOUR_MS, 0, &left), 0) &&
		 expect_left("nothing armed", left, 0, 0));
}

static int alarm_none(struct child *self)
{
	uint64_t left = 1;

	return !(expect_ret("cancel", setalarm(self->fd, 0, 0, &left), 0) &&
		 expect_left("the cleared slot's alarm", left, 0, 0) &&
		 expect_quiet(self, "in the reused slot"));
}

static int test_alarm_clear(void)
{
	static const struct spec specs[] = {
		{ alarm_far, MXSYS_SYS_PROC, KC(SETALARM), 4, 0 },
	};
	static const struct spec next = {
		alarm_none, MXSYS_SYS_PROC, KC(SETALARM), 4, 0,
	};
	struct mxsys_endpoint_arg arg = { 0 };
	int32_t old;
	int ret;

	if (start(1, specs) || expect_exit(0, 0) || await_death(&children[0]))
		return 1;
	old = children[0].ep;
	arg.endpoint = old;
	ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
	if (ret)
		return fail("CLEAR: %s", err_name(ret));
	children[0].cleared = true;
	if (spawn(&next) || prepare(1, MXSYS_NONE))
		return 1;
	/* A static slot keeps its well-known endpoint across CLEAR: the
	 * next process has the same endpoint, and still none of the
	 * cleared process's alarm. */
	if (eps[1] != old)
		return fail("static slot 4 gave endpoint %d after %d", eps[1], old);
	if (release(1) || expect_exit(1, 0))
		return 1;
	return pass();
}

static const struct mxt_test tests[] = {
	{ "update-args", test_update_args },
	{ "update-caller", test_update_caller },
	{ "unbound", test_unbound },
	{ "update-busy", test_update_busy },
	{ "update-owed", test_update_owed },
	{ "update-signals", test_update_signals },
	{ "update-prepared", test_update_prepared },
	{ "update-dead", test_update_dead },
	{ "update-disallowed", test_update_disallowed },
	{ "update-sending", test_update_sending },
	{ "update-receiving", test_update_receiving },
	{ "live-update", test_live_update },
	{ "rollback", test_rollback },
	{ "privctl-yield", test_privctl_yield },
	{ "privctl-clearrefs", test_privctl_clearrefs },
	{ "privctl-updatesys", test_privctl_updatesys },
	{ "privctl-whoami", test_privctl_whoami },
	{ "privctl-dynprivid", test_privctl_dynprivid },
	{ "privctl-escalation", test_privctl_escalation },
	{ "privctl-args", test_privctl_args },
	{ "alarm-relative", test_alarm_relative },
	{ "alarm-rearm", test_alarm_rearm },
	{ "alarm-abs", test_alarm_abs },
	{ "alarm-args", test_alarm_args },
	{ "alarm-death", test_alarm_death },
	{ "alarm-clear", test_alarm_clear },
};

int main(int argc, char **argv)
{
	/* Free the slots of the children a test never let bind. */
	mxt_teardown = discard_held;
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "update-test");
}
