// SPDX-License-Identifier: MIT
/*
 * fd-test: the module's fd store (the uapi header's THE FD STORE) through
 * raw ioctls, with the fake-RS harness of lib/mxtest.h (suite 17-fdstore;
 * again as fd-test32 in 11-compat).
 *
 *   fd-test SUBCOMMAND   one of the names in `tests` below
 *   fd-test list         the names, one a line
 *
 * A stored pipe end is the witness of what the module holds: its writer
 * gets EPIPE only once no one (the store included) has the read end open.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"

#define T_GO	9
#define CHURN_ROUNDS	300
#define CHURN_NAMES	5

static int store_fd(int fd, const char *name, int file, uint32_t flags)
{
	struct mxsys_fd arg;

	memset(&arg, 0, sizeof(arg));
	snprintf(arg.name, sizeof(arg.name), "%s", name);
	arg.fd = file;
	arg.flags = flags;
	return mx(fd, MXSYS_IOC_FD_STORE, &arg);
}

/* The fetched descriptor, or -errno. */
static int fetch_fd(int fd, const char *name)
{
	struct mxsys_fd arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	snprintf(arg.name, sizeof(arg.name), "%s", name);
	ret = mx(fd, MXSYS_IOC_FD_FETCH, &arg);
	return ret ? ret : arg.fd;
}

static int remove_fd(int fd, const char *name)
{
	struct mxsys_fd arg;

	memset(&arg, 0, sizeof(arg));
	snprintf(arg.name, sizeof(arg.name), "%s", name);
	return mx(fd, MXSYS_IOC_FD_REMOVE, &arg);
}

/* FD_LIST at @index: 0 or -errno; the count and name. */
static int list_at(int fd, uint32_t index, uint32_t *count, char *name)
{
	struct mxsys_fd_list arg = { .index = index };
	int ret = mx(fd, MXSYS_IOC_FD_LIST, &arg);

	*count = arg.count;
	if (name)
		memcpy(name, arg.name, sizeof(arg.name));
	return ret;
}

/* Read exactly @want from @fd; true if that is what came. */
static bool read_back(int fd, const char *want)
{
	char buf[64] = { 0 };
	ssize_t n = read(fd, buf, strlen(want));

	if (n != (ssize_t)strlen(want) || memcmp(buf, want, strlen(want))) {
		note("read %zd bytes '%.*s', expected '%s'", n, (int)(n > 0 ? n : 0),
		     buf, want);
		return false;
	}
	return true;
}

static bool wait_go(struct child *self)
{
	struct mxsys_message m;

	return expect_ret("receive", ipc(self->fd, MXSYS_IOC_RECEIVE, MXSYS_ANY,
					 &m, NULL), 0) &&
	       m.m_type == T_GO;
}

static int rs_go(int32_t ep)
{
	struct mxsys_message m = make_msg(T_GO, 0);
	int ret = ipc(rs_fd, MXSYS_IOC_SENDA, ep, &m, NULL);

	return ret ? fail("SENDA to %d: %s", ep, err_name(ret)) : 0;
}

/* ---- store, fetch, remove, list ---- */

static int basic_role(struct child *self)
{
	int p[2], mfd, got;
	uint32_t count;
	char name[MXSYS_FD_NAME_LEN];

	mfd = memfd_create("fd-test", MFD_CLOEXEC);
	if (pipe(p) < 0 || mfd < 0 || write(p[1], "abc", 3) != 3)
		return 1;
	if (!expect_ret("store pipe", store_fd(self->fd, "pipe.r", p[0], 0), 0) ||
	    !expect_ret("store memfd", store_fd(self->fd, "state", mfd, 0), 0))
		return 1;
	close(p[0]);
	close(mfd);
	/* In the order stored; the count is given past the end too. */
	if (!expect_ret("list 0", list_at(self->fd, 0, &count, name), 0) ||
	    count != 2 || strcmp(name, "pipe.r") ||
	    !expect_ret("list 1", list_at(self->fd, 1, &count, name), 0) ||
	    strcmp(name, "state") ||
	    !expect_ret("list 2", list_at(self->fd, 2, &count, name), -ENOENT) ||
	    count != 2) {
		note("list gave count %u, name '%s'", count, name);
		return 1;
	}
	got = fetch_fd(self->fd, "pipe.r");
	if (got < 0 || !read_back(got, "abc"))
		return 1;
	if (!(fcntl(got, F_GETFD) & FD_CLOEXEC)) {
		note("a fetched descriptor is not close-on-exec");
		return 1;
	}
	/* Fetching again gives another descriptor of the same file. */
	close(got);
	got = fetch_fd(self->fd, "pipe.r");
	if (got < 0 || write(p[1], "de", 2) != 2 || !read_back(got, "de"))
		return 1;
	close(got);
	if (!expect_ret("remove", remove_fd(self->fd, "pipe.r"), 0) ||
	    !expect_ret("fetch removed", fetch_fd(self->fd, "pipe.r"), -ENOENT) ||
	    !expect_ret("remove again", remove_fd(self->fd, "pipe.r"), -ENOENT))
		return 1;
	/* The store had the last read end: the writer sees it closed. */
	if (write(p[1], "x", 1) != -1 || errno != EPIPE) {
		note("write after remove: %s, expected EPIPE", strerror(errno));
		return 1;
	}
	return !(expect_ret("list after remove", list_at(self->fd, 0, &count, name), 0) &&
		 count == 1 && !strcmp(name, "state"));
}

static int test_basic(void)
{
	static const role_fn roles[] = { basic_role };

	signal(SIGPIPE, SIG_IGN);
	if (start_children(1, roles, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- the store outlives the process, and CLEAR closes it ---- */

static int outlive_pipe[2];
static bool outlive_respawned;	/* set by the parent before the respawn */

static int outlive_role(struct child *self)
{
	int got;

	if (!outlive_respawned) {
		/* First process: store the read end, then die. */
		return expect_ret("store", store_fd(self->fd, "p", outlive_pipe[0], 0), 0) ? 0 : 1;
	}
	/* The next process of the endpoint finds it, with what was written
	 * while no process was there. */
	got = fetch_fd(self->fd, "p");
	return !(got >= 0 && read_back(got, "while dead"));
}

static int test_outlives_death(void)
{
	static const role_fn roles[] = { outlive_role };
	struct child *c = &children[0];

	signal(SIGPIPE, SIG_IGN);
	if (pipe(outlive_pipe) < 0)
		return fail("pipe: %s", strerror(errno));
	if (start_children(1, roles, false) || expect_exit(0, 0) || await_death(c))
		return 1;
	close(outlive_pipe[0]);	/* now only the store has the read end */
	if (write(outlive_pipe[1], "while dead", 10) != 10)
		return fail("write with the process dead: %s", strerror(errno));
	outlive_respawned = true;
	if (respawn_child(c) || expect_exit(0, 0) || await_death(c))
		return 1;
	/* CLEAR closes the store: the writer sees it at once. */
	cleanup();
	if (write(outlive_pipe[1], "x", 1) != -1 || errno != EPIPE)
		return fail("write after CLEAR: %s, expected EPIPE",
			    strerror(errno));
	return pass();
}

/* ---- UPDATE: the store stays with the slot, the process moves ---- */

static int swap_old(struct child *self)
{
	int p[2];

	if (pipe(p) < 0 || write(p[1], "kept", 4) != 4 ||
	    !expect_ret("store", store_fd(self->fd, "x", p[0], 0), 0))
		return 1;
	close(p[0]);
	close(p[1]);
	sync_signal();
	/* Swapped into the spare slot meanwhile: its store is empty. */
	if (!wait_go(self))
		return 1;
	return !expect_ret("fetch from the spare slot", fetch_fd(self->fd, "x"), -ENOENT);
}

static int swap_new(struct child *self)
{
	int got;

	/* Not allowed until swapped into the old slot and allowed there. */
	if (!wait_go(self))
		return 1;
	got = fetch_fd(self->fd, "x");
	return !(got >= 0 && read_back(got, "kept"));
}

static int test_survives_swap(void)
{
	static const role_fn roles[] = { swap_old, swap_new };
	int32_t old_ep, spare_ep;
	int ret;

	if (start_children(2, roles, false))
		return 1;
	old_ep = eps[0];
	spare_ep = eps[1];
	ret = privctl(MXSYS_PRIV_DISALLOW, spare_ep, 0, NULL, NULL);
	if (ret)
		return fail("DISALLOW: %s", err_name(ret));
	sync_wait();
	if (await_blocked(&children[0], MXSYS_IOC_RECEIVE))
		return 1;
	{
		struct mxsys_update u = { .src = old_ep, .dst = spare_ep };

		ret = mx(rs_fd, MXSYS_IOC_UPDATE, &u);
		if (ret)
			return fail("UPDATE: %s", err_name(ret));
	}
	ret = privctl(MXSYS_PRIV_ALLOW, old_ep, 0, NULL, NULL);
	if (ret)
		return fail("ALLOW: %s", err_name(ret));
	/* The new process is behind the old endpoint now, and vice versa. */
	children[0].ep = spare_ep;
	children[1].ep = old_ep;
	if (rs_go(old_ep) || rs_go(spare_ep) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- RS dies and a new RS claims its slot: every store is intact ---- */

static int rsdeath_pipe[2];

static int rsdeath_child(struct child *self)
{
	int got;

	if (!expect_ret("store", store_fd(self->fd, "p", rsdeath_pipe[0], 0), 0))
		return 1;
	close(rsdeath_pipe[0]);
	sync_signal();
	/* The next RS tells us to look. */
	if (!wait_go(self))
		return 1;
	got = fetch_fd(self->fd, "p");
	return !(got >= 0 && read_back(got, "rs was dead"));
}

/* The next RS, in a process of its own: finds its predecessor's file. */
static int next_rs(void)
{
	struct mxsys_message m = make_msg(T_GO, 0);
	struct mxsys_whoami who;
	int fd, got;

	fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0 || !expect_ret("RS_CLAIM", mx(fd, MXSYS_IOC_RS_CLAIM, &who), 0))
		return 1;
	got = fetch_fd(fd, "rs.state");
	if (got < 0 || !read_back(got, "rs1"))
		return 1;
	return !expect_ret("senda", ipc(fd, MXSYS_IOC_SENDA, eps[0], &m, NULL), 0);
}

static int test_survives_rs_death(void)
{
	static const role_fn roles[] = { rsdeath_child };
	struct mxsys_whoami who;
	int mfd, ret;

	signal(SIGPIPE, SIG_IGN);
	if (pipe(rsdeath_pipe) < 0)
		return fail("pipe: %s", strerror(errno));
	if (start_children(1, roles, false))
		return 1;
	sync_wait();
	close(rsdeath_pipe[0]);
	/* RS keeps something of its own, then dies (its file is released). */
	mfd = memfd_create("rs.state", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, "rs1", 3) != 3 || lseek(mfd, 0, SEEK_SET) != 0)
		return fail("memfd: %s", strerror(errno));
	ret = store_fd(rs_fd, "rs.state", mfd, 0);
	if (ret)
		return fail("RS's own store: %s", err_name(ret));
	close(mfd);
	close(rs_fd);
	if (write(rsdeath_pipe[1], "rs was dead", 11) != 11)
		return fail("write with RS dead: %s", strerror(errno));
	ret = run_in_child(next_rs);
	if (ret)
		return fail("the next RS failed (%d)", ret);
	/* This process takes the slot back to clean up as RS. */
	rs_fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (rs_fd < 0 || mx(rs_fd, MXSYS_IOC_RS_CLAIM, &who))
		return fail("taking the RS slot back failed");
	ret = remove_fd(rs_fd, "rs.state");
	if (ret)
		return fail("removing RS's file: %s", err_name(ret));
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- what is refused ---- */

static int refused_role(struct child *self)
{
	struct mxsys_fd arg;
	int p[2], path_fd, i;
	char name[MXSYS_FD_NAME_LEN];

	if (pipe(p) < 0)
		return 1;
	/* Names: empty, too long (no NUL in the field), non-printable. */
	memset(&arg, 0, sizeof(arg));
	arg.fd = p[0];
	if (!expect_ret("empty name", mx(self->fd, MXSYS_IOC_FD_STORE, &arg), -EINVAL))
		return 1;
	memset(arg.name, 'n', sizeof(arg.name));
	if (!expect_ret("name without NUL", mx(self->fd, MXSYS_IOC_FD_STORE, &arg), -EINVAL))
		return 1;
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), i ? "tab\there" : "a space");
		if (!expect_ret("unprintable name", store_fd(self->fd, name, p[0], 0), -EINVAL))
			return 1;
	}
	/* A 31-character name is the longest. */
	memset(name, 'm', MXSYS_FD_NAME_LEN - 1);
	name[MXSYS_FD_NAME_LEN - 1] = '\0';
	if (!expect_ret("longest name", store_fd(self->fd, name, p[0], 0), 0))
		return 1;
	if (!expect_ret("unknown flag", store_fd(self->fd, "f", p[0], 0x2), -EINVAL) ||
	    !expect_ret("fd -1", store_fd(self->fd, "f", -1, 0), -EBADF) ||
	    !expect_ret("fd not open", store_fd(self->fd, "f", 999, 0), -EBADF))
		return 1;
	path_fd = open("/", O_PATH);
	if (path_fd < 0 || !expect_ret("O_PATH fd", store_fd(self->fd, "f", path_fd, 0), -EBADF))
		return 1;
	/* /dev/mxsys itself: the bound file, and another open of it. */
	if (!expect_ret("the slot's own file", store_fd(self->fd, "f", self->fd, 0), -EINVAL))
		return 1;
	/* Names are unique unless the store is told to replace. */
	if (!expect_ret("store", store_fd(self->fd, "dup", p[0], 0), 0) ||
	    !expect_ret("same name", store_fd(self->fd, "dup", p[0], 0), -EEXIST) ||
	    !expect_ret("replace", store_fd(self->fd, "dup", p[0], MXSYS_FD_REPLACE), 0))
		return 1;
	/* Fetch and remove take a name only. */
	memset(&arg, 0, sizeof(arg));
	strcpy(arg.name, "dup");
	arg.fd = 3;
	if (!expect_ret("remove with an fd", mx(self->fd, MXSYS_IOC_FD_REMOVE, &arg), -EINVAL) ||
	    !expect_ret("fetch with an fd", mx(self->fd, MXSYS_IOC_FD_FETCH, &arg), -EINVAL))
		return 1;
	arg.fd = 0;
	arg.flags = MXSYS_FD_REPLACE;
	if (!expect_ret("remove with a flag", mx(self->fd, MXSYS_IOC_FD_REMOVE, &arg), -EINVAL) ||
	    !expect_ret("fetch missing", fetch_fd(self->fd, "missing"), -ENOENT))
		return 1;
	return !expect_ret("bad pointer", mx(self->fd, MXSYS_IOC_FD_STORE, (void *)8), -EFAULT);
}

/* A process without the kernel call. */
static int denied_role(struct child *self)
{
	uint32_t count;

	return !(expect_ret("store", store_fd(self->fd, "x", 0, 0), -MXSYS_ECALLDENIED) &&
		 expect_ret("fetch", fetch_fd(self->fd, "x"), -MXSYS_ECALLDENIED) &&
		 expect_ret("list", list_at(self->fd, 0, &count, NULL), -MXSYS_ECALLDENIED));
}

static int test_refused(void)
{
	static const role_fn roles[] = { refused_role };
	static const role_fn denied[] = { denied_role };
	int ret;

	if (start_children(1, roles, false) || wait_children(NULL))
		return 1;
	/* RS's file of another open, not bound: nothing to store into. */
	{
		int fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			return fail("open: %s", strerror(errno));
		ret = store_fd(fd, "x", 0, 0);
		close(fd);
		if (ret != -EPERM)
			return fail("store through an unbound file: %s, expected EPERM",
				    err_name(ret));
	}
	cleanup();
	nr_children = 0;
	mxt_call_mask = 0;
	if (start_children(1, denied, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- the cap, and the module's reference ---- */

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/mxsys/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static int cap_role(struct child *self)
{
	char name[MXSYS_FD_NAME_LEN];
	uint32_t count;
	int i;

	sync_signal();
	if (!wait_go(self))
		return 1;
	for (i = 0; i < MXSYS_FD_MAX; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (!expect_ret("store", store_fd(self->fd, name, 0, 0), 0))
			return 1;
	}
	if (!expect_ret("one too many", store_fd(self->fd, "more", 0, 0), -ENOSPC) ||
	    !expect_ret("replace at the cap", store_fd(self->fd, "f7", 0, MXSYS_FD_REPLACE), 0) ||
	    !expect_ret("list", list_at(self->fd, MXSYS_FD_MAX - 1, &count, name), 0))
		return 1;
	if (count != MXSYS_FD_MAX || strcmp(name, "f7")) {
		note("count %u, last name '%s' (a replaced file goes last)", count, name);
		return 1;
	}
	sync_signal();
	return !wait_go(self);
}

static int test_cap_and_module_ref(void)
{
	static const role_fn roles[] = { cap_role };
	long idle, bound, during, after;

	idle = module_refcnt();
	if (start_children(1, roles, false))
		return 1;
	sync_wait();
	bound = module_refcnt();	/* the child's open file counts too */
	if (rs_go(eps[0]))
		return 1;
	sync_wait();
	during = module_refcnt();
	if (rs_go(eps[0]) || wait_children(NULL))
		return 1;
	cleanup();
	after = module_refcnt();
	/* One reference for all stored files; none once they are closed. */
	if (idle < 0 || during != bound + 1 || after != idle)
		return fail("module refcnt %ld idle, %ld with the child, %ld with %d files stored, %ld after CLEAR",
			    idle, bound, during, MXSYS_FD_MAX, after);
	return pass();
}

/* ---- two threads of one process on the store ---- */

struct fd_thread {
	int fd;
	int id;
	int failures;
};

static void *churn(void *arg)
{
	struct fd_thread *t = arg;
	char name[MXSYS_FD_NAME_LEN];

	for (int i = 0; i < CHURN_ROUNDS; i++) {
		int got;

		snprintf(name, sizeof(name), "t%d.%d", t->id, i % CHURN_NAMES);
		if (store_fd(t->fd, name, 0, MXSYS_FD_REPLACE) != 0)
			t->failures++;
		got = fetch_fd(t->fd, name);
		if (got < 0)
			t->failures++;
		else
			close(got);
		if (i % 3 == 0 && remove_fd(t->fd, name) != 0)
			t->failures++;
	}
	return NULL;
}

static int threads_role(struct child *self)
{
	struct fd_thread t[2] = { { self->fd, 0, 0 }, { self->fd, 1, 0 } };
	pthread_t th[2];
	uint32_t count, seen = 0, left = 0;
	char name[MXSYS_FD_NAME_LEN];

	/* A name is left unless its last turn removed it. */
	for (int i = CHURN_ROUNDS - CHURN_NAMES; i < CHURN_ROUNDS; i++)
		left += 2 * (i % 3 != 0);
	for (int i = 0; i < 2; i++)
		if (pthread_create(&th[i], NULL, churn, &t[i]))
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	if (t[0].failures || t[1].failures) {
		note("%d and %d calls failed", t[0].failures, t[1].failures);
		return 1;
	}
	/* What is left: each thread's names whose last turn was not a remove. */
	while (list_at(self->fd, seen, &count, name) == 0)
		seen++;
	if (seen != count || count != left) {
		note("list walked %u of %u names, expected %u", seen, count, left);
		return 1;
	}
	return 0;
}

static int test_threads(void)
{
	static const role_fn roles[] = { threads_role };

	if (start_children(1, roles, false) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- the slot table and events name the files ---- */

static int named_role(struct child *self)
{
	if (!expect_ret("store a", store_fd(self->fd, "listen.tcp", 0, 0), 0) ||
	    !expect_ret("store b", store_fd(self->fd, "state", 1, 0), 0) ||
	    !expect_ret("remove a", remove_fd(self->fd, "listen.tcp"), 0))
		return 1;
	sync_signal();
	return !wait_go(self);
}

/* The values of every @type attribute of @m, as strings, into @out. */
static int attr_strings(struct nl_msg *m, uint16_t type, char out[][MXSYS_FD_NAME_LEN],
			int max)
{
	struct nlattr *a = (struct nlattr *)m->attrs;
	int len = (int)m->n.nlmsg_len - (int)NLMSG_LENGTH(GENL_HDRLEN), n = 0;

	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type && n < max)
			snprintf(out[n++], MXSYS_FD_NAME_LEN, "%s", (char *)NLA_DATA(a));
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return n;
}

static int test_named_in_table_and_events(void)
{
	static const role_fn roles[] = { named_role };
	char names[8][MXSYS_FD_NAME_LEN];
	struct nl_msg m;
	int ev_fd, nl_fd, ret, n, stored = 0, closed = 0;
	struct nlattr *a;

	ev_fd = nl_open();
	nl_fd = nl_open();
	if (ev_fd < 0 || nl_fd < 0 || nl_resolve(nl_fd) || nl_join_events(ev_fd))
		return fail("netlink setup failed");
	if (start_children(1, roles, false))
		return 1;
	sync_wait();
	nl_init(&m, (uint16_t)nl_family, MXSYS_CMD_SLOT_GET, 0, 1);
	nl_put(&m, MXSYS_A_ENDPOINT, &eps[0], sizeof(eps[0]));
	ret = nl_call(nl_fd, &m);
	if (ret)
		return fail("SLOT_GET: %s", err_name(ret));
	a = nl_attr(&m, MXSYS_A_FD_COUNT);
	n = attr_strings(&m, MXSYS_A_FD_NAME, names, 8);
	if (!a || *(uint32_t *)NLA_DATA(a) != 1 || n != 1 || strcmp(names[0], "state"))
		return fail("SLOT_GET: fd count %d, %d names, first '%s'",
			    a ? (int)*(uint32_t *)NLA_DATA(a) : -1, n, n ? names[0] : "");
	if (rs_go(eps[0]) || wait_children(NULL))
		return 1;
	cleanup();
	/* Events: stored twice, closed twice (one removed, one cleared). */
	while (stored + closed < 4) {
		ret = nl_recv(ev_fd, &m);
		if (ret)
			return fail("event: %s", err_name(ret));
		a = nl_attr(&m, MXSYS_A_EVENT);
		if (!a)
			continue;
		n = attr_strings(&m, MXSYS_A_FD_NAME, names, 8);
		if (*(uint32_t *)NLA_DATA(a) == MXSYS_EVENT_FD_STORED)
			stored += n == 1;
		else if (*(uint32_t *)NLA_DATA(a) == MXSYS_EVENT_FD_CLOSED)
			closed += n == 1;
	}
	close(ev_fd);
	close(nl_fd);
	return pass();
}

static const struct mxt_test tests[] = {
	{ "basic", test_basic },
	{ "outlives-death", test_outlives_death },
	{ "survives-swap", test_survives_swap },
	{ "survives-rs-death", test_survives_rs_death },
	{ "refused", test_refused },
	{ "cap-and-module-ref", test_cap_and_module_ref },
	{ "threads", test_threads },
	{ "named-in-table-and-events", test_named_in_table_and_events },
};

int main(int argc, char **argv)
{
	mxt_call_mask = 1ULL << MXSYS_KC_FDSTORE;
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "fd-test");
}
