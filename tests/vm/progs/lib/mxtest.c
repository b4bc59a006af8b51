// SPDX-License-Identifier: MIT
/*
 * mxtest: the fake-RS harness of the in-guest test programs; the API and
 * the model are described in mxtest.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <minix/errors.h>
#include <minix/ipc.h>

#include "mxtest.h"

/* Hang guard only: SIGALRM kills a test that never finishes. */
#define HANG_GUARD_S	60

const char *test_name;
int rs_fd = -1;
struct child children[MAX_CHILDREN];
int nr_children;
int32_t eps[MAX_CHILDREN];
int sync_pipe[2] = { -1, -1 };
int order_pipe[2] = { -1, -1 };
uint64_t mxt_call_mask;
void (*mxt_teardown)(void);

void note(const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", test_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: ", test_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* ioctl returning 0 or -errno. */
int mx(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

int ipc(int fd, unsigned long request, int32_t ep, struct mxsys_message *msg,
	uint32_t *status)
{
	struct mxsys_ipc call = { .endpoint = ep };
	int ret;

	if (msg)
		call.msg = *msg;
	ret = mx(fd, request, &call);
	if (msg)
		*msg = call.msg;
	if (status)
		*status = call.status;
	return ret;
}

struct mxsys_message make_msg(int32_t type, uint64_t value)
{
	struct mxsys_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.m_source = 12345;	/* the module must overwrite it */
	msg.m_type = type;
	msg.m_u64[0] = value;
	return msg;
}

const char *err_name(int err)
{
	/* Several buffers: expect_ret() formats two unknown errors at once. */
	static char bufs[4][32];
	static unsigned int next;
	const char *name = sef_errname(err);
	char *buf;

	if (name)
		return name;
	buf = bufs[next++ % MXT_ARRAY_SIZE(bufs)];
	snprintf(buf, sizeof(bufs[0]), "error %d", -err);
	return buf;
}

/* In a child: check a call's result, explain a mismatch. */
bool expect_ret(const char *what, int got, int want)
{
	if (got == want)
		return true;
	note("child %d: %s returned %s, expected %s", (int)getpid(), what,
	     err_name(got), err_name(want));
	return false;
}

bool expect_msg(const char *what, const struct mxsys_message *msg,
		uint32_t status, int32_t source, int32_t type, uint32_t call)
{
	if (msg->m_source == source && msg->m_type == type &&
	    MXSYS_STATUS_CALL(status) == call)
		return true;
	note("child %d: %s: got source %d type %#x call %u, expected source %d type %#x call %u",
	     (int)getpid(), what, msg->m_source, msg->m_type,
	     MXSYS_STATUS_CALL(status), source, type, call);
	return false;
}

/* One byte through pipe end @fd; a failure is noted, naming pipe @which. */
static void put_byte(int fd, const char *which)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		note("%s write: %s", which, strerror(errno));
}

static bool get_byte(int fd, const char *which)
{
	char c;

	if (read(fd, &c, 1) == 1)
		return true;
	note("%s read: %s", which, strerror(errno));
	return false;
}

void sync_signal(void)
{
	put_byte(sync_pipe[1], "sync");
}

void sync_wait(void)
{
	get_byte(sync_pipe[0], "sync");
}

void order_signal(void)
{
	put_byte(order_pipe[1], "order");
}

bool order_wait(void)
{
	return get_byte(order_pipe[0], "order");
}

int rs_claim(void)
{
	struct mxsys_whoami who;
	int ret;

	rs_fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (rs_fd < 0)
		return fail("open /dev/mxsys: %s", strerror(errno));
	ret = mx(rs_fd, MXSYS_IOC_RS_CLAIM, &who);
	if (ret)
		return fail("RS_CLAIM: %s", err_name(ret));
	if (who.endpoint != MXSYS_RS_ENDPOINT)
		return fail("RS_CLAIM gave endpoint %d", who.endpoint);
	return 0;
}

bool rs_has_input(void)
{
	struct pollfd p = { .fd = rs_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

struct mxsys_priv make_priv(uint32_t flags, uint64_t calls,
			    uint32_t init_flags, const char *name)
{
	struct mxsys_priv p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.init_flags = init_flags;
	p.call_mask = calls;
	p.sig_mgr = MXSYS_NONE;
	p.bak_sig_mgr = MXSYS_NONE;
	snprintf(p.name, sizeof(p.name), "%s", name);
	return p;
}

int privctl_fd(int fd, uint32_t request, int32_t ep, pid_t pid, uint32_t slot,
	       const struct mxsys_priv *priv, int32_t *ep_out)
{
	struct mxsys_privctl pc;
	int ret;

	memset(&pc, 0, sizeof(pc));
	pc.request = request;
	pc.endpoint = ep;
	pc.pid = pid;
	pc.slot = slot;
	if (priv)
		pc.priv = *priv;
	ret = mx(fd, MXSYS_IOC_PRIVCTL, &pc);
	if (!ret && ep_out)
		*ep_out = pc.endpoint;
	return ret;
}

int set_sys(int fd, pid_t pid, const struct mxsys_priv *priv, int32_t *ep_out)
{
	return privctl_fd(fd, MXSYS_PRIV_SET_SYS, MXSYS_NONE, pid,
			  MXSYS_SLOT_DYNAMIC, priv, ep_out);
}

int privctl(uint32_t request, int32_t ep, pid_t pid,
	    const uint64_t *send_mask, int32_t *ep_out)
{
	char name[MXSYS_NAME_LEN];
	struct mxsys_priv p;

	snprintf(name, sizeof(name), "child%d", (int)pid);
	p = make_priv(MXSYS_SYS_PROC, mxt_call_mask, 0, name);
	if (send_mask)
		memcpy(p.send_mask, send_mask, sizeof(p.send_mask));
	return privctl_fd(rs_fd, request, ep, pid, MXSYS_SLOT_DYNAMIC, &p,
			  ep_out);
}

static void child_main(struct child *c)
{
	int32_t table[MAX_CHILDREN];
	int ret;

	/*
	 * RS's file is RS's alone: a copy held here would keep RS's process
	 * alive in the module's eyes after RS closed it.
	 */
	if (rs_fd >= 0)
		close(rs_fd);
	if (read(c->go_read, table, sizeof(table)) != sizeof(table))
		_exit(90);
	memcpy(eps, table, sizeof(eps));
	c->ep = eps[c->index];
	/* libsef's own descriptor, so that roles may call libsef too. */
	c->fd = ipc_fd();
	if (c->fd < 0) {
		note("child %d: open: %s", c->index, strerror(errno));
		_exit(91);
	}
	ret = c->role(c);
	_exit(ret);
}

int refork_child(struct child *c)
{
	int go[2];

	if (pipe(go) < 0)
		return fail("pipe: %s", strerror(errno));
	c->go_read = go[0];
	c->go_write = go[1];
	c->reaped = false;
	c->wait_status = 0;
	c->cleared = false;
	c->deaths = 0;
	memset(&c->ksig, 0, sizeof(c->ksig));
	fflush(stdout);
	c->pid = fork();
	if (c->pid < 0) {
		close(go[0]);
		close(go[1]);
		return fail("fork: %s", strerror(errno));
	}
	if (c->pid == 0)
		child_main(c);
	close(go[0]);
	return 0;
}

int fork_child(role_fn role)
{
	struct child *c;

	if (nr_children >= MAX_CHILDREN)
		return fail("more than %d children", MAX_CHILDREN);
	c = &children[nr_children];
	memset(c, 0, sizeof(*c));
	c->index = nr_children;
	c->role = role;
	if (refork_child(c))
		return 1;
	nr_children++;
	return 0;
}

int give_table(struct child *c)
{
	if (write(c->go_write, eps, sizeof(eps)) != sizeof(eps))
		return fail("write to child %d: %s", c->index, strerror(errno));
	close(c->go_write);
	return 0;
}

int respawn_child(struct child *c)
{
	int ret;

	if (refork_child(c))
		return 1;
	ret = privctl(MXSYS_PRIV_SET_SYS, c->ep, c->pid, NULL, NULL);
	if (ret)
		return fail("SET_SYS of endpoint %d for child %d: %s", c->ep,
			    c->index, err_name(ret));
	ret = privctl(MXSYS_PRIV_ALLOW, c->ep, 0, NULL, NULL);
	if (ret)
		return fail("ALLOW %d: %s", c->ep, err_name(ret));
	return give_table(c);
}

/*
 * Fork one child per role and prepare its slot. With @mutual every child
 * may send to every other one (the module keeps masks symmetric, so each
 * child only names the ones prepared before it).
 */
int start_children(int n, const role_fn *roles, bool mutual)
{
	int i, ret;

	for (i = 0; i < n; i++)
		if (fork_child(roles[i]))
			return 1;
	for (i = 0; i < n; i++) {
		uint64_t mask[MXSYS_SEND_MASK_WORDS] = { 0 };
		int j;

		for (j = 0; mutual && j < i; j++) {
			int slot = MXSYS_ENDPOINT_SLOT(eps[j]);

			mask[slot / 64] |= 1ULL << (slot % 64);
		}
		ret = privctl(MXSYS_PRIV_SET_SYS, MXSYS_NONE, children[i].pid,
			      mask, &eps[i]);
		if (ret)
			return fail("SET_SYS child %d: %s", i, err_name(ret));
		children[i].ep = eps[i];
		ret = privctl(MXSYS_PRIV_ALLOW, eps[i], 0, NULL, NULL);
		if (ret)
			return fail("ALLOW child %d: %s", i, err_name(ret));
	}
	for (i = 0; i < n; i++)
		if (give_table(&children[i]))
			return 1;
	return 0;
}

int wait_child(struct child *c)
{
	if (!c->reaped) {
		if (waitpid(c->pid, &c->wait_status, 0) < 0)
			return fail("waitpid: %s", strerror(errno));
		c->reaped = true;
	}
	return 0;
}

int expect_exit(int i, int code)
{
	struct child *c = &children[i];

	if (wait_child(c))
		return 1;
	if (!WIFEXITED(c->wait_status) || WEXITSTATUS(c->wait_status) != code)
		return fail("child %d: wait status %#x, expected exit %d", i,
			    c->wait_status, code);
	return 0;
}

/* Wait for every child; fail unless each exited with @want[i]. */
int wait_children(const int *want)
{
	int i, bad = 0;

	for (i = 0; i < nr_children; i++) {
		struct child *c = &children[i];
		int w = want ? want[i] : 0;

		if (wait_child(c))
			return 1;
		if (!WIFEXITED(c->wait_status) ||
		    WEXITSTATUS(c->wait_status) != w) {
			note("child %d: wait status %#x, expected exit %d", i,
			     c->wait_status, w);
			bad++;
		}
	}
	return bad ? fail("%d child(ren) failed", bad) : 0;
}

struct child *child_of(int32_t ep)
{
	int i;

	for (i = 0; i < nr_children; i++)
		if (children[i].ep == ep && !children[i].cleared)
			return &children[i];
	return NULL;
}

/*
 * As RS after a notify from SYSTEM: pull every pending death report and
 * file it under its child. Reports about other slots (left over by an
 * earlier, failed run) are ignored.
 */
int pull_deaths(void)
{
	for (;;) {
		struct mxsys_ksig ksig;
		struct child *c;
		int ret;

		ret = mx(rs_fd, MXSYS_IOC_GETKSIG, &ksig);
		if (ret)
			return fail("GETKSIG: %s", err_name(ret));
		if (ksig.endpoint == MXSYS_NONE)
			return 0;
		/* Signal records are not deaths; tests of routing pull them. */
		c = child_of(ksig.endpoint);
		if (c && (ksig.flags & MXSYS_KSIG_DEAD)) {
			c->deaths++;
			c->ksig = ksig;
		}
	}
}

/* Sleep in receive(SYSTEM) until @c's death has been reported. */
int await_death(struct child *c)
{
	for (;;) {
		/*
		 * Zeroed although receive only writes it: ipc() copies it in,
		 * which gcc sees (and -Werror refuses) once it inlines ipc().
		 */
		struct mxsys_message msg = { 0 };
		uint32_t status;
		int ret;

		if (pull_deaths())
			return 1;
		if (c->deaths)
			return 0;
		ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, MXSYS_SYSTEM, &msg, &status);
		if (ret)
			return fail("receive(SYSTEM): %s", err_name(ret));
	}
}

/* Kill what is left, reap every child's slot and free it. */
void cleanup(void)
{
	int i;

	for (i = 0; i < nr_children; i++) {
		struct child *c = &children[i];
		struct mxsys_endpoint_arg arg = { .endpoint = c->ep };

		if (!c->reaped) {
			kill(c->pid, SIGKILL);
			wait_child(c);
		}
		if (c->cleared || !c->ep)
			continue;
		if (await_death(c) == 0 &&
		    mx(rs_fd, MXSYS_IOC_CLEAR, &arg) == 0)
			c->cleared = true;
	}
}

int pass(void)
{
	printf("PASS: %s\n", test_name);
	return 0;
}

int run_in_child(int (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

int await_blocked(struct child *c, unsigned long request)
{
	return await_blocked_unless(c, request, NULL, NULL);
}

int await_blocked_unless(struct child *c, unsigned long request,
			 bool (*through)(void), const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)c->pid);
	for (;;) {
		unsigned long fd, req;
		long nr = -1;
		FILE *f;
		int n;

		if (through && through())
			return fail("%s went through", what);
		if (waitpid(c->pid, &c->wait_status, WNOHANG) == c->pid) {
			c->reaped = true;
			return fail("child %d exited (status %#x) before blocking in ioctl %#lx",
				    c->index, c->wait_status, request);
		}
		f = fopen(path, "r");
		if (!f)
			return fail("%s: %s", path, strerror(errno));
		n = fscanf(f, "%ld %lx %lx", &nr, &fd, &req);
		fclose(f);
		if (n == 3 && nr == SYS_ioctl && req == request)
			return 0;
		usleep(1000);
	}
}

int rs_drain(void)
{
	struct mxsys_ksig k;
	int ret;

	while (rs_has_input()) {
		struct mxsys_message m = { 0 };

		ret = ipc(rs_fd, MXSYS_IOC_RECEIVE, MXSYS_ANY, &m, NULL);
		if (ret)
			return fail("draining RS: %s", err_name(ret));
	}
	do {
		ret = mx(rs_fd, MXSYS_IOC_GETKSIG, &k);
		if (ret)
			return fail("draining GETKSIG: %s", err_name(ret));
	} while (k.endpoint != MXSYS_NONE);
	return 0;
}

/* ---- raw generic netlink ---- */

int nl_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		note("netlink socket: %s", strerror(errno));
		return -1;
	}
	return fd;
}

void nl_init(struct nl_msg *m, uint16_t family, uint8_t cmd, uint16_t flags,
	     uint32_t seq)
{
	memset(m, 0, sizeof(*m));
	m->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->n.nlmsg_type = family;
	m->n.nlmsg_flags = NLM_F_REQUEST | flags;
	m->n.nlmsg_seq = seq;
	m->g.cmd = cmd;
	m->g.version = MXSYS_GENL_VERSION;
}

void nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(m->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->n.nlmsg_len = NLMSG_ALIGN(m->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

int nl_send(int fd, struct nl_msg *m)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(fd, m, m->n.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/* Receive one message: 0 and the message, or the error an NLMSG_ERROR carries. */
int nl_recv(int fd, struct nl_msg *m)
{
	ssize_t len = recv(fd, m, sizeof(*m), 0);

	if (len < 0)
		return -errno;
	if (len < (ssize_t)NLMSG_HDRLEN || m->n.nlmsg_len > (size_t)len)
		return -EBADMSG;
	if (m->n.nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(&m->n))->error;
	return 0;
}

struct nlattr *nl_attr(struct nl_msg *m, uint16_t type)
{
	char *p = (char *)m + NLMSG_LENGTH(GENL_HDRLEN);
	char *end = (char *)m + m->n.nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Request with ACK: returns the error of the ACK. */
int nl_call(int fd, struct nl_msg *m)
{
	int ret = nl_send(fd, m);

	return ret ? ret : nl_recv(fd, m);
}

int nl_get_family(int fd, struct nl_msg *m)
{
	nl_init(m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 1);
	m->g.version = 1;
	nl_put(m, CTRL_ATTR_FAMILY_NAME, MXSYS_GENL_NAME, sizeof(MXSYS_GENL_NAME));
	return nl_call(fd, m);
}

int nl_family;

int nl_resolve(int fd)
{
	struct nl_msg m;
	struct nlattr *id;
	int ret;

	ret = nl_get_family(fd, &m);
	if (ret)
		return ret;
	id = nl_attr(&m, CTRL_ATTR_FAMILY_ID);
	if (!id)
		return -ENOENT;
	nl_family = *(uint16_t *)NLA_DATA(id);
	return 0;
}

/* The id of multicast group @name of the mxsys family: > 0, or -errno. */
static int nl_resolve_group(int fd, const char *name)
{
	struct nlattr *groups, *g, *a;
	struct nl_msg m;
	char *p, *end, *q, *gend;
	int ret;

	ret = nl_get_family(fd, &m);
	if (ret)
		return ret;
	groups = nl_attr(&m, CTRL_ATTR_MCAST_GROUPS);
	if (!groups)
		return -ENOENT;
	/* A nest of nests, one per group: NAME (string) and ID (u32). */
	end = (char *)groups + groups->nla_len;
	for (p = NLA_DATA(groups); p + NLA_HDRLEN <= end;
	     p += NLA_ALIGN(g->nla_len)) {
		uint32_t id = 0;
		bool match = false;

		g = (struct nlattr *)p;
		if (g->nla_len < NLA_HDRLEN || p + g->nla_len > end)
			return -EBADMSG;
		gend = p + g->nla_len;
		for (q = NLA_DATA(g); q + NLA_HDRLEN <= gend;
		     q += NLA_ALIGN(a->nla_len)) {
			a = (struct nlattr *)q;
			if (a->nla_len < NLA_HDRLEN || q + a->nla_len > gend)
				return -EBADMSG;
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				match = !strncmp(NLA_DATA(a), name,
						 a->nla_len - NLA_HDRLEN);
			else if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID &&
				 a->nla_len == NLA_HDRLEN + sizeof(id))
				memcpy(&id, NLA_DATA(a), sizeof(id));
		}
		if (match && id)
			return id;
	}
	return -ENOENT;
}

int nl_join_events(int fd)
{
	int grp = nl_resolve_group(fd, MXSYS_GENL_MCGRP_EVENTS);

	if (grp < 0)
		return grp;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0)
		return -errno;
	return 0;
}

static void usage(FILE *out, const struct mxt_test *tests, size_t n,
		  const char *prog)
{
	size_t i;

	fprintf(out, "usage: %s SUBCOMMAND\nsubcommands:", prog);
	for (i = 0; i < n; i++)
		fprintf(out, " %s", tests[i].name);
	fprintf(out, "\n");
}

int mxt_main(int argc, char **argv, const struct mxt_test *tests, size_t n,
	     const char *prog)
{
	size_t i;
	int ret;

	if (argc != 2) {
		usage(stderr, tests, n, prog);
		return 2;
	}
	if (!strcmp(argv[1], "list")) {
		for (i = 0; i < n; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(argv[1], tests[i].name))
			break;
	if (i == n) {
		fprintf(stderr, "%s: unknown subcommand '%s'\n", prog, argv[1]);
		usage(stderr, tests, n, prog);
		return 2;
	}
	test_name = tests[i].name;
	alarm(HANG_GUARD_S);
	if (pipe(sync_pipe) < 0 || pipe(order_pipe) < 0) {
		perror("pipe");
		return 2;
	}
	if (rs_claim())
		return 1;
	ret = tests[i].run();
	if (mxt_teardown)
		mxt_teardown();
	cleanup();
	return ret;
}
