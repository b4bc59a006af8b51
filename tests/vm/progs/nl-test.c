// SPDX-License-Identifier: MIT
/*
 * nl-test: in-guest tests of the mxsys generic netlink family beyond the
 * service relay itself (ipc-test `netlink`): the slot-table dump and
 * SLOT_GET, slot events, strict attribute validation, and the RS
 * registration with several sockets (tests/vm/suites/15-netlink.sh).
 *
 *   nl-test dump-empty   the dump of an untouched module, with no RS: run
 *                        it right after loading, before anything else
 *                        (every other test claims the RS slot, which
 *                        stays DEAD after it)
 *   nl-test list         the other tests' names, one a line
 *   nl-test NAME         one of them, as a fake RS (lib/mxtest.h)
 *
 * Besides mxtest's children (bound processes), tests use "sleepers":
 * plain processes a slot is prepared for (SET_SYS) and which never open
 * /dev/mxsys, so the slot stays PREPARED; they are cheap enough to fill
 * the table.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"


/* ---- SLOT_GET messages ---- */

struct slot_entry {
	uint32_t slot;
	int32_t ep;
	uint32_t state;
	char name[MXSYS_NAME_LEN];
	uint32_t flags;
	uint8_t allowed;
	int32_t sig_mgr;
	int32_t bak_sig_mgr;
	int32_t pid;
	uint64_t call_mask;
	uint64_t sig_pending;
	uint8_t death_pending;
	bool has_status;
	int32_t status;
};

/* Attribute @type of @m with exactly @len bytes into @v. */
static bool get_attr(struct nl_msg *m, uint16_t type, void *v, size_t len)
{
	struct nlattr *a = nl_attr(m, type);

	if (!a || a->nla_len != NLA_HDRLEN + len)
		return false;
	memcpy(v, NLA_DATA(a), len);
	return true;
}

#define GET(m, type, v)	get_attr((m), (type), &(v), sizeof(v))

/* @m is one SLOT_GET message; every attribute but STATUS must be there. */
static int parse_slot(struct nl_msg *m, struct slot_entry *e)
{
	struct nlattr *name = nl_attr(m, MXSYS_A_NAME);
	size_t len;

	memset(e, 0, sizeof(*e));
	if (m->g.cmd != MXSYS_CMD_SLOT_GET) {
		note("message with command %d, not SLOT_GET", m->g.cmd);
		return -1;
	}
	if (!GET(m, MXSYS_A_SLOT, e->slot) || !GET(m, MXSYS_A_ENDPOINT, e->ep) ||
	    !GET(m, MXSYS_A_STATE, e->state) || !GET(m, MXSYS_A_FLAGS, e->flags) ||
	    !GET(m, MXSYS_A_ALLOWED, e->allowed) ||
	    !GET(m, MXSYS_A_SIG_MGR, e->sig_mgr) ||
	    !GET(m, MXSYS_A_BAK_SIG_MGR, e->bak_sig_mgr) ||
	    !GET(m, MXSYS_A_PID, e->pid) ||
	    !GET(m, MXSYS_A_CALL_MASK, e->call_mask) ||
	    !GET(m, MXSYS_A_SIG_PENDING, e->sig_pending) ||
	    !GET(m, MXSYS_A_DEATH_PENDING, e->death_pending) || !name) {
		note("SLOT_GET message lacks an attribute or has a wrong length");
		return -1;
	}
	len = name->nla_len - NLA_HDRLEN;
	if (len < 1 || len > MXSYS_NAME_LEN ||
	    ((char *)NLA_DATA(name))[len - 1] != '\0') {
		note("MXSYS_A_NAME is not a NUL-terminated name (%zu bytes)", len);
		return -1;
	}
	memcpy(e->name, NLA_DATA(name), len);
	e->has_status = GET(m, MXSYS_A_STATUS, e->status);
	return 0;
}

static uint32_t next_seq = 100;

/*
 * Dump the slot table through @fd into @out (at most @max entries): *n
 * entries, *parts the number of recv() calls that carried any, which is
 * how many skbs the dump took. 0, the error of an error ack or of
 * NLMSG_DONE, or -EBADMSG after a note().
 */
static int dump_slots(int fd, struct slot_entry *out, int max, int *n,
		      int *parts)
{
	/*
	 * Receive into a struct nl_msg, as nl_resolve() does: the kernel
	 * sizes a dump's skbs by the largest buffer the socket has read
	 * with, so a part is at most this big.
	 */
	static struct nl_msg buf;
	uint32_t seq = next_seq++;
	struct nl_msg m;
	int ret;

	*n = 0;
	*parts = 0;
	nl_init(&m, nl_family, MXSYS_CMD_SLOT_GET, NLM_F_DUMP, seq);
	ret = nl_send(fd, &m);
	if (ret)
		return ret;
	for (;;) {
		ssize_t len = recv(fd, &buf, sizeof(buf), 0);
		struct nlmsghdr *h;
		bool any = false;

		if (len < 0)
			return -errno;
		for (h = &buf.n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq) {
				note("dump message with seq %u, not %u",
				     h->nlmsg_seq, seq);
				return -EBADMSG;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				*parts += any;
				return *(int *)NLMSG_DATA(h);
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type != nl_family ||
			    !(h->nlmsg_flags & NLM_F_MULTI)) {
				note("dump message of type %u flags %#x",
				     h->nlmsg_type, h->nlmsg_flags);
				return -EBADMSG;
			}
			if (*n >= max) {
				note("more than %d slots in the dump", max);
				return -EBADMSG;
			}
			if (parse_slot((struct nl_msg *)h, &out[*n]))
				return -EBADMSG;
			(*n)++;
			any = true;
		}
		*parts += any;
	}
}

/* SLOT_GET of one slot, by @ep (if @name is NULL) or by @name. */
static int get_slot(int fd, int32_t ep, const char *name, struct slot_entry *e)
{
	struct nl_msg m;
	int ret;

	nl_init(&m, nl_family, MXSYS_CMD_SLOT_GET, 0, next_seq++);
	if (name)
		nl_put(&m, MXSYS_A_NAME, name, strlen(name) + 1);
	else
		nl_put(&m, MXSYS_A_ENDPOINT, &ep, sizeof(ep));
	ret = nl_call(fd, &m);
	if (ret)
		return ret;
	return parse_slot(&m, e) ? -EBADMSG : 0;
}

static const struct slot_entry *find_entry(const struct slot_entry *e, int n,
					   int32_t ep)
{
	int i;

	for (i = 0; i < n; i++)
		if (e[i].ep == ep)
			return &e[i];
	return NULL;
}

/*
 * A netlink socket with the family resolved and, with @events, joined to
 * "events"; -1 after a note().
 */
static int open_socket(bool events)
{
	const char *step = "family " MXSYS_GENL_NAME;
	int fd = nl_open();
	int ret;

	if (fd < 0)
		return -1;
	ret = nl_resolve(fd);
	if (!ret && events) {
		step = "joining " MXSYS_GENL_MCGRP_EVENTS;
		ret = nl_join_events(fd);
	}
	if (ret) {
		note("%s: %s", step, err_name(ret));
		close(fd);
		return -1;
	}
	return fd;
}

/* A netlink socket with the family resolved. */
static int nl_socket(void)
{
	return open_socket(false);
}

/* A socket joined to "events". */
static int listener(void)
{
	return open_socket(true);
}

/*
 * Check the entries of a dump: none free, slots in increasing order, each
 * endpoint naming its own slot; for fail().
 */
static int check_dump_order(const struct slot_entry *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (e[i].state == MXSYS_SLOT_STATE_FREE)
			return fail("the dump lists free slot %u", e[i].slot);
		if ((uint32_t)MXSYS_ENDPOINT_SLOT(e[i].ep) != e[i].slot)
			return fail("slot %u has endpoint %d", e[i].slot, e[i].ep);
		if (i && e[i].slot <= e[i - 1].slot)
			return fail("slot %u listed after slot %u", e[i].slot,
				    e[i - 1].slot);
	}
	return 0;
}

/* dump_slots() through a socket of its own, then check_dump_order(). */
static int dump_ordered(struct slot_entry *e, int max, int *n, int *parts)
{
	int fd = nl_socket();
	int ret;

	if (fd < 0)
		return fail("no netlink socket");
	ret = dump_slots(fd, e, max, n, parts);
	close(fd);
	if (ret)
		return fail("dump: %s", err_name(ret));
	return check_dump_order(e, *n);
}

/* ---- sleepers ---- */

#define MAX_SLEEPERS	256

static pid_t sleeper_pid[MAX_SLEEPERS];
static int32_t sleeper_ep[MAX_SLEEPERS];
static int nr_sleepers;

/* Fork @n sleepers and prepare a slot for each; for fail(). */
static int start_sleepers(int n)
{
	pid_t parent = getpid();
	int i, ret;

	for (i = 0; i < n; i++) {
		pid_t pid;

		if (nr_sleepers >= MAX_SLEEPERS)
			return fail("more than %d sleepers", MAX_SLEEPERS);
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return fail("fork: %s", strerror(errno));
		if (pid == 0) {
			/* Gone with the test, however it ends. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			for (;;)
				pause();
		}
		sleeper_pid[nr_sleepers] = pid;
		sleeper_ep[nr_sleepers] = 0;
		nr_sleepers++;
		ret = privctl(MXSYS_PRIV_SET_SYS, MXSYS_NONE, pid, NULL,
			      &sleeper_ep[nr_sleepers - 1]);
		if (ret)
			return fail("SET_SYS for sleeper %d: %s%s", i, err_name(ret),
				    ret == -EAGAIN ?
				    " (slot table full: load with nr_slots=1024)" : "");
	}
	return 0;
}

/* Kill and reap every sleeper and clear its slot; for fail(). */
static int stop_sleepers(void)
{
	int i, bad = 0;

	for (i = 0; i < nr_sleepers; i++) {
		struct mxsys_endpoint_arg arg = { .endpoint = sleeper_ep[i] };

		kill(sleeper_pid[i], SIGKILL);
		waitpid(sleeper_pid[i], NULL, 0);
		if (sleeper_ep[i] && mx(rs_fd, MXSYS_IOC_CLEAR, &arg))
			bad++;
	}
	nr_sleepers = 0;
	return bad ? fail("%d sleeper slot(s) could not be cleared", bad) : 0;
}

/* Run @body, then stop the sleepers it started: its result, or 1. */
static int with_sleepers(int (*body)(void))
{
	int ret = body();

	return stop_sleepers() ? 1 : ret;
}

/* ---- roles ---- */

/* Bound; says so, then waits for one byte on order_pipe. */
static int idle_role(struct child *self)
{
	(void)self;
	sync_signal();
	return order_wait() ? 0 : 1;
}

/* Bound; says so and exits with status 3. */
static int exit3_role(struct child *self)
{
	(void)self;
	sync_signal();
	return 3;
}

/* Bound; says so and waits to be killed. */
static int victim_role(struct child *self)
{
	(void)self;
	sync_signal();
	for (;;)
		pause();
	return 1;	/* not reached */
}

static void release_idle(int n)
{
	while (n-- > 0)
		order_signal();
}

/* ---- dump-empty (no RS) ---- */

static int test_dump_empty(void)
{
	struct slot_entry e[8], one;
	int fd, n, parts, ret;

	fd = nl_socket();
	if (fd < 0)
		return fail("no netlink socket");
	ret = dump_slots(fd, e, 8, &n, &parts);
	if (ret)
		return fail("dump: %s", err_name(ret));
	if (n || parts)
		return fail("dump of an untouched table gave %d slot(s) (first: slot %u state %u)",
			    n, e[0].slot, e[0].state);
	ret = get_slot(fd, MXSYS_RS_ENDPOINT, NULL, &one);
	if (ret != -ENOENT)
		return fail("SLOT_GET of the free RS slot: %s, expected ENOENT",
			    err_name(ret));
	ret = get_slot(fd, 0, "rs", &one);
	if (ret != -ENOENT)
		return fail("SLOT_GET by the name rs: %s, expected ENOENT",
			    err_name(ret));
	return pass();
}

/* ---- dump ---- */

static int check_entry(const struct slot_entry *e, const char *who,
		       uint32_t state, pid_t pid, uint8_t allowed)
{
	if (!e)
		return fail("%s is not in the dump", who);
	if (e->state != state || e->pid != pid || e->allowed != allowed)
		return fail("%s: state %u pid %d allowed %u, expected %u %d %u",
			    who, e->state, e->pid, e->allowed, state, (int)pid,
			    allowed);
	return 0;
}

static int check_child_entry(const struct slot_entry *e, const char *who,
			     pid_t named_for)
{
	char name[MXSYS_NAME_LEN];

	/* SET_SYS gave SYS_PROC; a dynamic slot adds DYN_PRIV_ID. */
	snprintf(name, sizeof(name), "child%d", (int)named_for);
	if (strcmp(e->name, name) ||
	    e->flags != (MXSYS_SYS_PROC | MXSYS_DYN_PRIV_ID) ||
	    e->sig_mgr != MXSYS_RS_ENDPOINT || e->bak_sig_mgr != MXSYS_NONE ||
	    e->call_mask != mxt_call_mask)
		return fail("%s: name '%s' flags %#x sig_mgr %d bak %d calls %#llx, expected '%s' %#x %d %d %#llx",
			    who, e->name, e->flags, e->sig_mgr, e->bak_sig_mgr,
			    (unsigned long long)e->call_mask, name,
			    MXSYS_SYS_PROC | MXSYS_DYN_PRIV_ID,
			    MXSYS_RS_ENDPOINT, MXSYS_NONE,
			    (unsigned long long)mxt_call_mask);
	return 0;
}

/*
 * Once ep's slot is dead, its DEATH_PENDING is want: 1 until the manager
 * pulls the death with GETKSIG, 0 after (how a new RS tells a death its
 * predecessor took and never handled).
 */
static int check_death_pending(int32_t ep, uint8_t want)
{
	struct slot_entry e;
	int fd = nl_socket(), ret = -1;

	if (fd < 0)
		return fail("no netlink socket");
	for (int i = 0; i < 500; i++) {
		ret = get_slot(fd, ep, NULL, &e);
		if (ret || e.state == MXSYS_SLOT_STATE_DEAD)
			break;
		usleep(10000);
	}
	close(fd);
	if (ret)
		return fail("SLOT_GET of the dead child: %s", err_name(ret));
	if (e.state != MXSYS_SLOT_STATE_DEAD)
		return fail("the child's slot is not dead (state %u)", e.state);
	if (e.death_pending != want)
		return fail("dead child: DEATH_PENDING %u, expected %u",
			    e.death_pending, want);
	return 0;
}

static int dump_body(void)
{
	static const role_fn roles[] = { idle_role, idle_role, exit3_role };
	struct slot_entry e[64];
	const struct slot_entry *rs, *c0, *c1, *c2, *sl;
	int n, parts, i, ret;

	if (start_sleepers(1) ||
	    start_children(MXT_ARRAY_SIZE(roles), roles, false))
		return 1;
	for (i = 0; i < nr_children; i++)
		sync_wait();
	if (wait_child(&children[2]) || check_death_pending(eps[2], 1) ||
	    await_death(&children[2]) || check_death_pending(eps[2], 0))
		return 1;
	ret = privctl(MXSYS_PRIV_DISALLOW, eps[1], 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW: %s", err_name(ret));

	ret = dump_ordered(e, MXT_ARRAY_SIZE(e), &n, &parts);
	release_idle(2);
	if (ret)
		return 1;

	rs = find_entry(e, n, MXSYS_RS_ENDPOINT);
	if (check_entry(rs, "RS", MXSYS_SLOT_STATE_BOUND, getpid(), 1))
		return 1;
	if (strcmp(rs->name, "rs") || rs->slot != MXSYS_RS_SLOT ||
	    rs->flags != (MXSYS_ROOT_SYS_PROC | MXSYS_SYS_PROC) ||
	    rs->sig_mgr != MXSYS_NONE || rs->call_mask != MXSYS_KC_ALL ||
	    rs->has_status)
		return fail("RS: name '%s' slot %u flags %#x sig_mgr %d calls %#llx",
			    rs->name, rs->slot, rs->flags, rs->sig_mgr,
			    (unsigned long long)rs->call_mask);

	c0 = find_entry(e, n, eps[0]);
	c1 = find_entry(e, n, eps[1]);
	c2 = find_entry(e, n, eps[2]);
	sl = find_entry(e, n, sleeper_ep[0]);
	if (check_entry(c0, "bound child", MXSYS_SLOT_STATE_BOUND,
			children[0].pid, 1) ||
	    check_child_entry(c0, "bound child", children[0].pid) ||
	    check_entry(c1, "disallowed child", MXSYS_SLOT_STATE_BOUND,
			children[1].pid, 0) ||
	    check_child_entry(c1, "disallowed child", children[1].pid) ||
	    check_entry(c2, "dead child", MXSYS_SLOT_STATE_DEAD, 0, 0) ||
	    check_child_entry(c2, "dead child", children[2].pid) ||
	    check_entry(sl, "sleeper", MXSYS_SLOT_STATE_PREPARED,
			sleeper_pid[0], 0) ||
	    check_child_entry(sl, "sleeper", sleeper_pid[0]))
		return 1;
	if (!c2->has_status || c2->status != 0x300)
		return fail("dead child: status %s%#x, expected 0x300 (exit 3)",
			    c2->has_status ? "" : "missing, ", c2->status);
	if (c0->has_status || sl->has_status)
		return fail("MXSYS_A_STATUS on a slot that is not dead");
	if (c0->death_pending || c2->death_pending || rs->death_pending)
		return fail("DEATH_PENDING on a live slot or a death pulled");
	if (wait_children((const int[]){ 0, 0, 3 }))
		return 1;
	return pass();
}

static int test_dump(void)
{
	return with_sleepers(dump_body);
}

/* ---- get: SLOT_GET without NLM_F_DUMP ---- */

static int test_get(void)
{
	static const role_fn roles[] = { idle_role };
	struct slot_entry e, d[16];
	char name[MXSYS_NAME_LEN];
	int fd, n, parts, ret;
	struct nl_msg m;
	int32_t ep;

	if (start_children(1, roles, false))
		return 1;
	sync_wait();
	fd = nl_socket();
	if (fd < 0)
		return fail("no netlink socket");

	ret = get_slot(fd, eps[0], NULL, &e);
	if (ret)
		return fail("SLOT_GET of the child: %s", err_name(ret));
	if (check_entry(&e, "child", MXSYS_SLOT_STATE_BOUND, children[0].pid, 1) ||
	    check_child_entry(&e, "child", children[0].pid))
		return 1;
	ret = dump_slots(fd, d, MXT_ARRAY_SIZE(d), &n, &parts);
	if (ret)
		return fail("dump: %s", err_name(ret));
	if (!find_entry(d, n, eps[0]) ||
	    memcmp(find_entry(d, n, eps[0]), &e, sizeof(e)))
		return fail("SLOT_GET and the dump disagree about the child");

	snprintf(name, sizeof(name), "child%d", (int)children[0].pid);
	ret = get_slot(fd, 0, name, &e);
	if (ret || e.ep != eps[0])
		return fail("SLOT_GET by name %s: %s, endpoint %d", name,
			    err_name(ret), e.ep);
	ret = get_slot(fd, 0, "rs", &e);
	if (ret || e.ep != MXSYS_RS_ENDPOINT || e.pid != getpid())
		return fail("SLOT_GET by name rs: %s, endpoint %d pid %d",
			    err_name(ret), e.ep, e.pid);

	/* Failures: stale generation, free slot, no such name, range. */
	ep = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[0]) + 1,
			    MXSYS_ENDPOINT_SLOT(eps[0]));
	ret = get_slot(fd, ep, NULL, &e);
	if (ret != -ENOENT)
		return fail("stale endpoint: %s, expected ENOENT", err_name(ret));
	ret = get_slot(fd, MXSYS_ENDPOINT(0, MXSYS_NR_STATIC_SLOTS - 1), NULL, &e);
	if (ret != -ENOENT)
		return fail("free static slot: %s, expected ENOENT", err_name(ret));
	ret = get_slot(fd, 0, "nosuch", &e);
	if (ret != -ENOENT)
		return fail("unknown name: %s, expected ENOENT", err_name(ret));
	ret = get_slot(fd, MXSYS_ENDPOINT(0, MXSYS_MAX_SLOTS + 1), NULL, &e);
	if (ret != -EINVAL)
		return fail("slot beyond the table: %s, expected EINVAL",
			    err_name(ret));
	ret = get_slot(fd, MXSYS_ANY, NULL, &e);
	if (ret != -EINVAL)
		return fail("MXSYS_ANY: %s, expected EINVAL", err_name(ret));

	nl_init(&m, nl_family, MXSYS_CMD_SLOT_GET, NLM_F_ACK, next_seq++);
	ret = nl_call(fd, &m);
	if (ret != -EINVAL)
		return fail("SLOT_GET with neither endpoint nor name: %s, expected EINVAL",
			    err_name(ret));
	nl_init(&m, nl_family, MXSYS_CMD_SLOT_GET, NLM_F_ACK, next_seq++);
	nl_put(&m, MXSYS_A_ENDPOINT, &eps[0], sizeof(eps[0]));
	nl_put(&m, MXSYS_A_NAME, "rs", 3);
	ret = nl_call(fd, &m);
	if (ret != -EINVAL)
		return fail("SLOT_GET with endpoint and name: %s, expected EINVAL",
			    err_name(ret));
	close(fd);
	release_idle(1);
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- dump-multi: a dump that takes several skbs ---- */

#define MULTI_SLEEPERS	200

static int dump_multi_body(void)
{
	static struct slot_entry e[MULTI_SLEEPERS + 16];
	int n, parts, i, found = 0;

	if (start_sleepers(MULTI_SLEEPERS))
		return 1;
	if (dump_ordered(e, MXT_ARRAY_SIZE(e), &n, &parts))
		return 1;
	if (parts < 2)
		return fail("%d slots came in %d part(s): the dump never resumed",
			    n, parts);
	for (i = 0; i < nr_sleepers; i++) {
		const struct slot_entry *s = find_entry(e, n, sleeper_ep[i]);

		if (check_entry(s, "sleeper", MXSYS_SLOT_STATE_PREPARED,
				sleeper_pid[i], 0))
			return 1;
		found++;
	}
	note("%d slots in %d parts", n, parts);
	return found == MULTI_SLEEPERS ? pass() :
	       fail("%d of %d sleepers in the dump", found, MULTI_SLEEPERS);
}

static int test_dump_multi(void)
{
	return with_sleepers(dump_multi_body);
}

/* ---- dump-pidns: pids as the requester's pid namespace sees them ---- */

/* pid 1 of a new pid namespace: dump, expect itself as 1 and RS as 0. */
static int pidns_child(int go, pid_t rs_pid)
{
	struct slot_entry e[16];
	const struct slot_entry *self, *rs;
	int32_t ep;
	int fd, n, parts, ret;

	if (read(go, &ep, sizeof(ep)) != sizeof(ep))
		return 1;
	fd = nl_socket();
	if (fd < 0)
		return 1;
	ret = dump_slots(fd, e, MXT_ARRAY_SIZE(e), &n, &parts);
	if (ret) {
		note("dump in the new namespace: %s", err_name(ret));
		return 1;
	}
	self = find_entry(e, n, ep);
	rs = find_entry(e, n, MXSYS_RS_ENDPOINT);
	if (!self || !rs || self->pid != 1 || rs->pid != 0) {
		note("in a new pid namespace: own slot pid %d, RS pid %d (global %d), expected 1 and 0",
		     self ? self->pid : -1, rs ? rs->pid : -1, (int)rs_pid);
		return 1;
	}
	ret = get_slot(fd, ep, NULL, e);
	if (ret || e[0].pid != 1) {
		note("SLOT_GET in the new namespace: %s, pid %d", err_name(ret),
		     e[0].pid);
		return 1;
	}
	return 0;
}

static int test_dump_pidns(void)
{
	struct mxsys_endpoint_arg arg = { 0 };
	pid_t pid, rs_pid = getpid();
	int go[2], status, ret;

	if (pipe(go))
		return fail("pipe: %s", strerror(errno));
	fflush(stdout);
	/* fork() into a new pid namespace: the child is its pid 1. */
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0)
		return fail("clone(CLONE_NEWPID): %s", strerror(errno));
	if (pid == 0) {
		close(go[1]);
		_exit(pidns_child(go[0], rs_pid));
	}
	close(go[0]);
	ret = privctl(MXSYS_PRIV_SET_SYS, MXSYS_NONE, pid, NULL, &arg.endpoint);
	if (!ret && write(go[1], &arg.endpoint, sizeof(arg.endpoint)) !=
		    sizeof(arg.endpoint))
		ret = -EIO;
	close(go[1]);
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid: %s", strerror(errno));
	if (arg.endpoint && mx(rs_fd, MXSYS_IOC_CLEAR, &arg))
		return fail("CLEAR of the namespace's slot failed");
	if (ret)
		return fail("SET_SYS: %s", err_name(ret));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the dump in a new pid namespace was wrong (status %#x)",
			    status);
	return pass();
}

/* ---- events ---- */

struct event {
	uint32_t type;
	int32_t ep;
	uint64_t timestamp;
	uint64_t seq;
	bool has_pid, has_status, has_other;
	int32_t pid, status, other;
};

/*
 * Every event already queued on @fd (without waiting: the module has
 * sent them before the call that caused them returned), at most @max;
 * the count, or -1 after a note().
 */
static int read_events(int fd, struct event *ev, int max)
{
	int n = 0;

	for (;;) {
		struct nl_msg m;
		struct event *e = &ev[n];
		ssize_t len = recv(fd, &m, sizeof(m), MSG_DONTWAIT);

		if (len < 0 && errno == EAGAIN)
			return n;
		if (len < 0) {
			note("recv on the listener: %s", strerror(errno));
			return -1;
		}
		if (len < (ssize_t)NLMSG_LENGTH(GENL_HDRLEN) ||
		    m.n.nlmsg_len != (size_t)len || m.n.nlmsg_type != nl_family ||
		    m.g.cmd != MXSYS_CMD_SLOT_EVENT) {
			note("not a SLOT_EVENT: type %u cmd %u len %zd",
			     m.n.nlmsg_type, m.g.cmd, len);
			return -1;
		}
		if (n == max) {
			note("more than %d events", max);
			return -1;
		}
		memset(e, 0, sizeof(*e));
		if (!GET(&m, MXSYS_A_EVENT, e->type) ||
		    !GET(&m, MXSYS_A_ENDPOINT, e->ep) ||
		    !GET(&m, MXSYS_A_TIMESTAMP, e->timestamp) ||
		    !GET(&m, MXSYS_A_SEQ, e->seq)) {
			note("event %d lacks EVENT, ENDPOINT, TIMESTAMP or SEQ", n);
			return -1;
		}
		e->has_pid = GET(&m, MXSYS_A_PID, e->pid);
		e->has_status = GET(&m, MXSYS_A_STATUS, e->status);
		e->has_other = GET(&m, MXSYS_A_OTHER, e->other);
		n++;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sequence numbers +1 each, timestamps in order and within [t0, t1]. */
static int check_event_order(const struct event *ev, int n, uint64_t t0,
			     uint64_t t1)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ev[i].timestamp < t0 || ev[i].timestamp > t1)
			return fail("event %d: timestamp %llu outside the test's %llu..%llu (CLOCK_MONOTONIC)",
				    i, (unsigned long long)ev[i].timestamp,
				    (unsigned long long)t0, (unsigned long long)t1);
		if (!i)
			continue;
		if (ev[i].seq != ev[i - 1].seq + 1)
			return fail("event %d: seq %llu after %llu", i,
				    (unsigned long long)ev[i].seq,
				    (unsigned long long)ev[i - 1].seq);
		if (ev[i].timestamp < ev[i - 1].timestamp)
			return fail("event %d: timestamp goes back", i);
	}
	return 0;
}

/* The events about @ep, in order; for fail() unless they are @want. */
static int check_events_of(const struct event *ev, int n, int32_t ep,
			   const char *who, const uint32_t *want, int nwant,
			   pid_t pid, int32_t status)
{
	int i, k = 0;

	for (i = 0; i < n; i++) {
		const struct event *e = &ev[i];

		if (e->ep != ep)
			continue;
		if (k == nwant || e->type != want[k])
			return fail("%s: event %d has type %u, expected %u", who,
				    k, e->type, k < nwant ? want[k] : 0);
		switch (e->type) {
		case MXSYS_EVENT_BOUND:
			if (!e->has_pid || e->pid != pid)
				return fail("%s: BOUND without pid %d", who,
					    (int)pid);
			break;
		case MXSYS_EVENT_DIED:
			if (!e->has_pid || e->pid != pid || !e->has_status ||
			    e->status != status)
				return fail("%s: DIED pid %d status %#x, expected %d %#x",
					    who, e->pid, e->status, (int)pid,
					    status);
			break;
		}
		k++;
	}
	return k == nwant ? 0 :
	       fail("%s: %d event(s), expected %d", who, k, nwant);
}

static int clear_child(struct child *c)
{
	struct mxsys_endpoint_arg arg = { .endpoint = c->ep };
	int ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);

	if (ret)
		return fail("CLEAR %d: %s", c->ep, err_name(ret));
	c->cleared = true;
	return 0;
}

static int test_events(void)
{
	static const role_fn roles[] = { victim_role, idle_role };
	static const uint32_t life[] = {
		MXSYS_EVENT_BOUND, MXSYS_EVENT_DIED, MXSYS_EVENT_CLEARED
	};
	struct child *victim = &children[0], *quitter = &children[1];
	struct event ev[16];
	uint64_t t0, t1;
	int fd, n;

	fd = listener();
	if (fd < 0)
		return fail("no listener");
	t0 = now_ns();
	if (start_children(MXT_ARRAY_SIZE(roles), roles, false))
		return 1;
	sync_wait();
	sync_wait();
	/* SIGKILL: wait(2) status 9. */
	kill(victim->pid, SIGKILL);
	if (wait_child(victim) || await_death(victim))
		return 1;
	/* A normal exit after the victim's death: status 0. */
	release_idle(1);
	if (wait_child(quitter) || await_death(quitter))
		return 1;
	if (clear_child(victim) || clear_child(quitter))
		return 1;
	t1 = now_ns();

	n = read_events(fd, ev, MXT_ARRAY_SIZE(ev));
	close(fd);
	if (n < 0)
		return fail("reading events");
	if (n != 6)
		note("%d events, expected 6", n);
	if (check_event_order(ev, n, t0, t1) ||
	    check_events_of(ev, n, victim->ep, "killed child", life, 3,
			    victim->pid, SIGKILL) ||
	    check_events_of(ev, n, quitter->ep, "exiting child", life, 3,
			    quitter->pid, 0))
		return 1;
	if (n != 6)
		return fail("%d events, expected 6 (two lives)", n);
	return pass();
}

/* RS's file closes (DIED, status 0) and RS claims its slot again (BOUND). */
static int test_events_rs(void)
{
	static const uint32_t want[] = { MXSYS_EVENT_DIED, MXSYS_EVENT_BOUND };
	struct event ev[8];
	uint64_t t0, t1;
	int fd, n;

	fd = listener();
	if (fd < 0)
		return fail("no listener");
	t0 = now_ns();
	close(rs_fd);
	if (rs_claim())
		return 1;
	t1 = now_ns();
	n = read_events(fd, ev, MXT_ARRAY_SIZE(ev));
	close(fd);
	if (n < 0)
		return fail("reading events");
	if (check_event_order(ev, n, t0, t1) ||
	    check_events_of(ev, n, MXSYS_RS_ENDPOINT, "RS", want, 2, getpid(), 0))
		return 1;
	if (n != 2)
		return fail("%d events, expected 2", n);
	return pass();
}

/* Events are sent to every listener, and a listener that left is fine. */
static int test_events_listeners(void)
{
	static const role_fn roles[] = { idle_role };
	struct event a[8], b[8];
	int fa, fb, gone, na, nb;
	uint64_t t0, t1;

	fa = listener();
	fb = listener();
	gone = listener();
	if (fa < 0 || fb < 0 || gone < 0)
		return fail("no listeners");
	close(gone);
	t0 = now_ns();
	if (start_children(1, roles, false))
		return 1;
	sync_wait();
	release_idle(1);
	if (wait_child(&children[0]) || await_death(&children[0]) ||
	    clear_child(&children[0]))
		return 1;
	t1 = now_ns();
	na = read_events(fa, a, MXT_ARRAY_SIZE(a));
	nb = read_events(fb, b, MXT_ARRAY_SIZE(b));
	if (na != 3 || nb != 3)
		return fail("listeners got %d and %d events, expected 3 each",
			    na, nb);
	if (memcmp(a, b, sizeof(a[0]) * 3))
		return fail("two listeners got different events");
	if (check_event_order(a, na, t0, t1))
		return 1;
	return pass();
}

/* ---- swapped ---- */

static int swapped_body(void)
{
	struct mxsys_update upd;
	struct slot_entry s0, s1;
	struct event ev[8];
	int fd, nfd, n, ret;
	uint64_t t0, t1;

	/* Two prepared, never-allowed slots: quiescent, as sys_update wants. */
	if (start_sleepers(2))
		return 1;
	fd = listener();
	nfd = nl_socket();
	if (fd < 0 || nfd < 0)
		return fail("no netlink sockets");
	memset(&upd, 0, sizeof(upd));
	upd.src = sleeper_ep[0];
	upd.dst = sleeper_ep[1];
	t0 = now_ns();
	ret = mx(rs_fd, MXSYS_IOC_UPDATE, &upd);
	t1 = now_ns();
	if (ret)
		return fail("UPDATE of two prepared slots: %s", err_name(ret));
	n = read_events(fd, ev, MXT_ARRAY_SIZE(ev));
	if (n != 1)
		return fail("%d events after UPDATE, expected one SWAPPED", n);
	if (check_event_order(ev, n, t0, t1))
		return 1;
	if (ev[0].type != MXSYS_EVENT_SWAPPED || ev[0].ep != upd.src ||
	    !ev[0].has_other || ev[0].other != upd.dst)
		return fail("event type %u endpoint %d other %d, expected SWAPPED %d %d",
			    ev[0].type, ev[0].ep, ev[0].other, upd.src, upd.dst);
	/* The processes moved, the endpoints stayed. */
	if (get_slot(nfd, upd.src, NULL, &s0) || get_slot(nfd, upd.dst, NULL, &s1))
		return fail("SLOT_GET after UPDATE");
	if (s0.pid != sleeper_pid[1] || s1.pid != sleeper_pid[0])
		return fail("after UPDATE src has pid %d, dst %d; expected %d, %d",
			    s0.pid, s1.pid, (int)sleeper_pid[1],
			    (int)sleeper_pid[0]);
	return pass();
}

static int test_swapped(void)
{
	return with_sleepers(swapped_body);
}

/* ---- malformed requests ---- */

/* The extack message of the error ack in @m, or "". */
static const char *ack_msg(struct nl_msg *m)
{
	struct nlmsgerr *err = NLMSG_DATA(&m->n);
	char *p = (char *)(err + 1), *end = (char *)m + m->n.nlmsg_len;

	/* NETLINK_CAP_ACK: only the request's header is echoed. */
	if (m->n.nlmsg_type != NLMSG_ERROR || !(m->n.nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if (a->nla_type == NLMSGERR_ATTR_MSG &&
		    memchr(NLA_DATA(a), '\0', a->nla_len - NLA_HDRLEN))
			return NLA_DATA(a);
		p += NLA_ALIGN(a->nla_len);
	}
	return "";
}

struct bad_request {
	const char *what;
	uint8_t cmd;
	uint16_t flags;		/* besides NLM_F_REQUEST | NLM_F_ACK */
	uint16_t type;		/* attribute, 0: none */
	const void *data;
	size_t len;
	int want;
	const char *msg;	/* in the extack message, or NULL */
	void (*tweak)(struct nl_msg *m);
};

static void tweak_reserved(struct nl_msg *m)
{
	m->g.reserved = 1;
}

static void tweak_nested(struct nl_msg *m)
{
	((struct nlattr *)((char *)m + NLMSG_LENGTH(GENL_HDRLEN)))->nla_type |=
		NLA_F_NESTED;
}

/* Three bytes after the attributes: too short for another one. */
static void tweak_trailing(struct nl_msg *m)
{
	memset((char *)m + m->n.nlmsg_len, 0x41, 3);
	m->n.nlmsg_len += 3;
}

static void tweak_short(struct nl_msg *m)
{
	m->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN - 2);
}

static int test_malformed(void)
{
	static char big[MXSYS_PAYLOAD_MAX + 1];
	/* NLA_NUL_STRING of at most 15: the NUL must come within 16 bytes. */
	static const char long_name[] = "0123456789abcdef";
	/* ... and nothing but one NUL may follow the name. */
	static const char padded_name[20] = "rs\0garbage";
	static const int32_t ep_rs = MXSYS_RS_ENDPOINT, ep_neg = -5;
	static const int32_t err_pos = 5, id = 1;
	static const uint64_t eight = 0;
	static const uint16_t two = 0;
	static const uint8_t one = 0;
	const struct bad_request bad[] = {
		{ "u32 of 2 bytes", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_ENDPOINT,
		  &two, 2, -EINVAL, "invalid attribute length" , NULL },
		{ "u32 of 8 bytes", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_ENDPOINT,
		  &eight, 8, -EINVAL, "invalid attribute length" , NULL },
		{ "unknown attribute", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_MAX + 1,
		  &ep_rs, 4, -EINVAL, "Unknown attribute type" , NULL },
		{ "attribute of another command", MXSYS_CMD_SLOT_GET, 0,
		  MXSYS_A_PAYLOAD, "x", 1, -EINVAL, "Unsupported attribute" , NULL },
		{ "NLA_F_NESTED on a u32", MXSYS_CMD_SLOT_GET, 0,
		  MXSYS_A_ENDPOINT, &ep_rs, 4, -EINVAL, "NLA_F_NESTED",
		  tweak_nested },
		{ "negative endpoint", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_ENDPOINT,
		  &ep_neg, 4, -ERANGE, NULL , NULL },
		{ "name without NUL", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_NAME,
		  "abc", 3, -EINVAL, NULL , NULL },
		{ "name of 16 characters", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_NAME,
		  long_name, sizeof(long_name), -EINVAL, NULL , NULL },
		{ "name with bytes after its NUL", MXSYS_CMD_SLOT_GET, 0,
		  MXSYS_A_NAME, padded_name, sizeof(padded_name), -ERANGE, NULL , NULL },
		{ "trailing bytes", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_ENDPOINT,
		  &ep_rs, 4, -EINVAL, NULL, tweak_trailing },
		{ "message shorter than its header", MXSYS_CMD_SLOT_GET, 0, 0,
		  NULL, 0, -EINVAL, NULL, tweak_short },
		{ "reserved header byte", MXSYS_CMD_SLOT_GET, 0, MXSYS_A_ENDPOINT,
		  &ep_rs, 4, -EINVAL, "reserved", tweak_reserved },
		{ "NLM_F_REPLACE", MXSYS_CMD_SLOT_GET, NLM_F_REPLACE,
		  MXSYS_A_ENDPOINT, &ep_rs, 4, -EINVAL, "nlmsg_flags" , NULL },
		{ "dump with an endpoint", MXSYS_CMD_SLOT_GET, NLM_F_DUMP,
		  MXSYS_A_ENDPOINT, &ep_rs, 4, -EINVAL, NULL , NULL },
		{ "payload over MXSYS_PAYLOAD_MAX", MXSYS_CMD_SERVICE_REQUEST, 0,
		  MXSYS_A_PAYLOAD, big, sizeof(big), -ERANGE, NULL , NULL },
		{ "request with a request id", MXSYS_CMD_SERVICE_REQUEST, 0,
		  MXSYS_A_REQUEST_ID, &id, 4, -EINVAL, "Unsupported attribute" , NULL },
		{ "reply id of 2 bytes", MXSYS_CMD_SERVICE_REPLY, 0,
		  MXSYS_A_REQUEST_ID, &two, 2, -EINVAL, "invalid attribute length" , NULL },
		{ "reply error of 1 byte", MXSYS_CMD_SERVICE_REPLY, 0,
		  MXSYS_A_ERROR, &one, 1, -EINVAL, "invalid attribute length" , NULL },
		{ "positive reply error", MXSYS_CMD_SERVICE_REPLY, 0,
		  MXSYS_A_ERROR, &err_pos, 4, -ERANGE, NULL , NULL },
		{ "RS_REGISTER with an attribute", MXSYS_CMD_RS_REGISTER, 0,
		  MXSYS_A_ENDPOINT, &ep_rs, 4, -EINVAL, NULL , NULL },
	};
	struct slot_entry e[16];
	int fd, one_on = 1, n, parts, ret;
	struct nl_msg m;
	size_t i;

	fd = nl_socket();
	if (fd < 0)
		return fail("no netlink socket");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one_on, sizeof(one_on)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one_on, sizeof(one_on)))
		return fail("NETLINK_EXT_ACK: %s", strerror(errno));
	for (i = 0; i < MXT_ARRAY_SIZE(bad); i++) {
		const struct bad_request *b = &bad[i];

		nl_init(&m, nl_family, b->cmd, NLM_F_ACK | b->flags, next_seq++);
		if (b->type)
			nl_put(&m, b->type, b->data, b->len);
		if (b->tweak)
			b->tweak(&m);
		ret = nl_call(fd, &m);
		if (ret != b->want)
			return fail("%s: %s, expected %s", b->what, err_name(ret),
				    err_name(b->want));
		if (b->msg && !strstr(ack_msg(&m), b->msg))
			return fail("%s: extack message '%s', expected '%s'",
				    b->what, ack_msg(&m), b->msg);
	}
	/* A reply with both a payload and an error: refused by the handler. */
	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, next_seq++);
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	nl_put(&m, MXSYS_A_PAYLOAD, "x", 1);
	nl_put(&m, MXSYS_A_ERROR, &(int32_t){ -EIO }, sizeof(int32_t));
	ret = nl_call(fd, &m);
	if (ret != -EINVAL)
		return fail("reply with payload and error: %s, expected EINVAL",
			    err_name(ret));

	/* The module is still fine. */
	ret = dump_slots(fd, e, MXT_ARRAY_SIZE(e), &n, &parts);
	if (ret || !find_entry(e, n, MXSYS_RS_ENDPOINT))
		return fail("dump after the bad requests: %s", err_name(ret));
	ret = get_slot(fd, MXSYS_RS_ENDPOINT, NULL, e);
	if (ret)
		return fail("SLOT_GET after the bad requests: %s", err_name(ret));
	close(fd);
	return pass();
}

/* ---- unknown commands ---- */

static int test_unknown_cmd(void)
{
	static const struct {
		uint8_t cmd;
		uint16_t flags;
	} cmds[] = {
		{ MXSYS_CMD_UNSPEC, 0 },
		{ MXSYS_CMD_SLOT_EVENT, 0 },	/* module -> user only */
		{ MXSYS_CMD_MAX + 1, 0 },
		{ 255, 0 },
		{ MXSYS_CMD_RS_REGISTER, NLM_F_DUMP },	/* no dump */
	};
	struct slot_entry e;
	struct nl_msg m;
	size_t i;
	int fd, ret;

	fd = nl_socket();
	if (fd < 0)
		return fail("no netlink socket");
	for (i = 0; i < MXT_ARRAY_SIZE(cmds); i++) {
		nl_init(&m, nl_family, cmds[i].cmd, NLM_F_ACK | cmds[i].flags,
			next_seq++);
		ret = nl_call(fd, &m);
		if (ret != -EOPNOTSUPP)
			return fail("command %u flags %#x: %s, expected EOPNOTSUPP",
				    cmds[i].cmd, cmds[i].flags, err_name(ret));
	}
	ret = get_slot(fd, MXSYS_RS_ENDPOINT, NULL, &e);
	close(fd);
	if (ret)
		return fail("SLOT_GET afterwards: %s", err_name(ret));
	return pass();
}

/* ---- unprivileged: who may do what ---- */

static int unprivileged_client(void)
{
	struct slot_entry e[16];
	const struct slot_entry *rs;
	int fd, n, parts, ret;
	struct nl_msg m;
	uint32_t id = 1;

	if (setgid(65534) || setuid(65534))
		return 1;
	fd = nl_socket();
	if (fd < 0)
		return 1;
	ret = dump_slots(fd, e, MXT_ARRAY_SIZE(e), &n, &parts);
	rs = ret ? NULL : find_entry(e, n, MXSYS_RS_ENDPOINT);
	if (!rs || rs->pid != getppid()) {
		note("dump as nobody: %s, RS pid %d, expected %d", err_name(ret),
		     rs ? rs->pid : -1, (int)getppid());
		return 1;
	}
	ret = nl_join_events(fd);
	if (!expect_ret("joining events as nobody", ret, -EPERM))
		return 1;
	nl_init(&m, nl_family, MXSYS_CMD_RS_REGISTER, NLM_F_ACK, next_seq++);
	if (!expect_ret("RS_REGISTER as nobody", nl_call(fd, &m), -EPERM))
		return 1;
	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, next_seq++);
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	nl_put(&m, MXSYS_A_PAYLOAD, "x", 1);
	if (!expect_ret("SERVICE_REPLY as nobody", nl_call(fd, &m), -EPERM))
		return 1;
	return 0;
}

static int test_unprivileged(void)
{
	return run_in_child(unprivileged_client) ?
	       fail("as nobody: see above") : pass();
}

/* ---- rs-sockets: the registration over several sockets ---- */

/*
 * Send a request with @payload from @req and take it as RS on @rs, where
 * it must already be queued: its id in *id; for fail().
 */
static int relay(int req, uint32_t seq, const char *payload, int rs,
		 const char *what, uint32_t *id)
{
	struct nl_msg m;
	ssize_t len;
	int ret;

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REQUEST, 0, seq);
	nl_put(&m, MXSYS_A_PAYLOAD, payload, strlen(payload));
	ret = nl_send(req, &m);
	if (ret)
		return fail("%s: request: %s", what, err_name(ret));
	len = recv(rs, &m, sizeof(m), MSG_DONTWAIT);
	if (len < 0)
		return fail("%s: no request relayed (%s)", what, strerror(errno));
	if (m.g.cmd != MXSYS_CMD_SERVICE_REQUEST ||
	    !GET(&m, MXSYS_A_REQUEST_ID, *id))
		return fail("%s: not a relayed request (cmd %u)", what, m.g.cmd);
	return 0;
}

/* The reply waiting on requester socket @fd: payload or module error. */
static int take_reply(int fd, const char *what, uint32_t seq,
		      const char *payload, int32_t error)
{
	struct nl_msg m;
	struct nlattr *p;
	int32_t err;
	ssize_t len = recv(fd, &m, sizeof(m), MSG_DONTWAIT);

	if (len < 0)
		return fail("%s: no reply (%s)", what, strerror(errno));
	if (m.n.nlmsg_type != nl_family || m.g.cmd != MXSYS_CMD_SERVICE_REPLY ||
	    m.n.nlmsg_seq != seq)
		return fail("%s: message type %u cmd %u seq %u, expected a reply to %u",
			    what, m.n.nlmsg_type, m.g.cmd, m.n.nlmsg_seq, seq);
	p = nl_attr(&m, MXSYS_A_PAYLOAD);
	if (payload && (!p || p->nla_len != NLA_HDRLEN + strlen(payload) ||
			memcmp(NLA_DATA(p), payload, strlen(payload))))
		return fail("%s: not the payload '%s'", what, payload);
	if (!payload && (!GET(&m, MXSYS_A_ERROR, err) || err != error))
		return fail("%s: no MXSYS_A_ERROR %d", what, error);
	return 0;
}

static int reply(int fd, uint32_t id, const char *payload)
{
	struct nl_msg m;

	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REPLY, NLM_F_ACK, next_seq++);
	nl_put(&m, MXSYS_A_REQUEST_ID, &id, sizeof(id));
	nl_put(&m, MXSYS_A_PAYLOAD, payload, strlen(payload));
	return nl_call(fd, &m);
}

static int register_rs(int fd)
{
	struct nl_msg m;

	nl_init(&m, nl_family, MXSYS_CMD_RS_REGISTER, NLM_F_ACK, next_seq++);
	return nl_call(fd, &m);
}

static int test_rs_sockets(void)
{
	int a, b, req, gone, ret;
	uint32_t id1, id2, id3;
	struct nl_msg m;

	a = nl_socket();
	b = nl_socket();
	req = nl_socket();
	gone = nl_socket();
	if (a < 0 || b < 0 || req < 0 || gone < 0)
		return fail("no netlink sockets");

	/* Relayed to a, then RS re-registers on b. */
	ret = register_rs(a);
	if (ret)
		return fail("RS_REGISTER on a: %s", err_name(ret));
	if (relay(req, 11, "one", a, "first request", &id1))
		return 1;
	ret = register_rs(b);
	if (ret)
		return fail("RS_REGISTER on b: %s", err_name(ret));

	/* a closes: its request is orphaned, the registration (b) stays. */
	close(a);
	if (take_reply(req, "request relayed to the closed socket", 11, NULL,
		       -ESRCH) ||
	    relay(req, 12, "two", b, "after the old socket closed", &id2))
		return 1;
	ret = reply(b, id2, "ok");
	if (ret)
		return fail("reply on b: %s", err_name(ret));
	if (take_reply(req, "reply through b", 12, "ok", 0))
		return 1;

	/* A requester that closed: RS's late reply finds nobody. */
	if (relay(gone, 13, "three", b, "from a requester that goes", &id3))
		return 1;
	close(gone);
	ret = reply(b, id3, "late");
	if (ret != -ENOENT)
		return fail("reply to a closed requester: %s, expected ENOENT",
			    err_name(ret));

	/* b closes: no RS any more. */
	close(b);
	nl_init(&m, nl_family, MXSYS_CMD_SERVICE_REQUEST, NLM_F_ACK, 14);
	nl_put(&m, MXSYS_A_PAYLOAD, "four", 4);
	ret = nl_call(req, &m);
	if (ret != -ESRCH)
		return fail("request after RS's socket closed: %s, expected ESRCH",
			    err_name(ret));
	close(req);
	return pass();
}

static const struct mxt_test tests[] = {
	{ "dump", test_dump },
	{ "get", test_get },
	{ "dump-multi", test_dump_multi },
	{ "dump-pidns", test_dump_pidns },
	{ "events", test_events },
	{ "events-rs", test_events_rs },
	{ "events-listeners", test_events_listeners },
	{ "swapped", test_swapped },
	{ "malformed", test_malformed },
	{ "unknown-cmd", test_unknown_cmd },
	{ "unprivileged", test_unprivileged },
	{ "rs-sockets", test_rs_sockets },
};

int main(int argc, char **argv)
{
	/* Before mxt_main(), which claims the RS slot. */
	if (argc == 2 && !strcmp(argv[1], "dump-empty")) {
		test_name = "dump-empty";
		return test_dump_empty();
	}
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "nl-test");
}
