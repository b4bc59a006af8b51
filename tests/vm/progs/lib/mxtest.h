/* SPDX-License-Identifier: MIT */
/*
 * mxtest: the harness shared by the in-guest test programs
 * (tests/vm/progs/NAME.c, each linked with lib/mxtest.c by tests/vm/vm.mk).
 *
 * A test program is a fake RS. mxt_main() claims the RS slot; a test forks
 * children, which prepares a slot for each (SET_SYS + ALLOW), hands them the
 * endpoint table through a pipe, and only then lets them open /dev/mxsys and
 * bind. Each child runs one role and reports through its exit status (0 =
 * as expected), explaining a failure on stdout with a "# " prefix. The test
 * prints `PASS: NAME` (pass()) or `FAIL: NAME: WHY` (fail()), which is what
 * the suites grep for. Children's slots are reaped (GETKSIG) and cleared
 * before exit, so runs do not use up the slot table.
 *
 * The helpers keep the short names they had in ipc-test, where most calls
 * sit inside long expect_ret() lines; what is new to the harness itself
 * (the test table and the generic main) carries the mxt_ prefix. A program
 * that defines a static function of the same name as one below fails to
 * compile, so a clash cannot go unnoticed.
 *
 * Conventions: calls into the module return 0 or -errno; functions that
 * return int "for fail()" return 0 on success and 1 after printing the FAIL
 * line, so a test can `return` them directly.
 */
#ifndef MXTEST_H
#define MXTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <mxsys.h>

/* Children one test may fork; the module has 56 dynamic slots by default. */
#define MAX_CHILDREN	32

#define MXT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- the test table and main ---- */

struct mxt_test {
	const char *name;
	int (*run)(void);	/* 0 after pass(), non-zero after fail() */
};

/*
 * The whole main() of a test program named @prog:
 *   PROG list    prints the names of @tests, one a line
 *   PROG NAME    runs test NAME as RS and cleans up after it; exit 0 on pass
 * anything else prints the usage and exits 2. A 60 s alarm() kills a test
 * that never finishes (a test that legitimately needs longer may call
 * alarm() again itself).
 */
int mxt_main(int argc, char **argv, const struct mxt_test *tests, size_t n,
	     const char *prog);

/* ---- state shared with the tests ---- */

struct child;
typedef int (*role_fn)(struct child *self);

struct child {
	pid_t pid;
	int go_write;		/* parent -> child: endpoint table */
	int go_read;
	int32_t ep;
	int index;
	role_fn role;
	bool reaped;		/* waitpid done */
	int wait_status;
	bool cleared;
	int deaths;		/* death reports pulled with GETKSIG */
	struct mxsys_ksig ksig;	/* the last one */
	int fd;			/* child side: its bound file, libsef's ipc_fd() */
};

extern const char *test_name;		/* the running test, for messages */
extern int rs_fd;			/* RS's bound /dev/mxsys file */
extern struct child children[MAX_CHILDREN];
extern int nr_children;
extern int32_t eps[MAX_CHILDREN];	/* endpoint of children[i] */
extern int sync_pipe[2];		/* child -> child or parent */
extern int order_pipe[2];		/* parent -> child: "now" */
/* Kernel calls (bits MXSYS_KC_*) SET_SYS gives the children; 0 at start. */
extern uint64_t mxt_call_mask;
/* mxt_main() calls it after each test, before cleanup(); NULL: none. */
extern void (*mxt_teardown)(void);

/* ---- reporting ---- */

/* "# TEST: ..." on stdout: an explanation, not a verdict. */
__attribute__((format(printf, 1, 2)))
void note(const char *fmt, ...);
/* "FAIL: TEST: ..." on stdout; returns 1. */
__attribute__((format(printf, 1, 2)))
int fail(const char *fmt, ...);
/* "PASS: TEST" on stdout; returns 0. */
int pass(void);
/* Name of -@err (0, errno or MINIX error) in a static buffer if unknown. */
const char *err_name(int err);
/* In a child: true if @got == @want, else note() the mismatch. */
bool expect_ret(const char *what, int got, int want);
/* In a child: true if @msg came from @source with @type through @call. */
bool expect_msg(const char *what, const struct mxsys_message *msg,
		uint32_t status, int32_t source, int32_t type, uint32_t call);

/* ---- calls into the module ---- */

/* ioctl returning 0 or -errno. */
int mx(int fd, unsigned long request, void *arg);
/* One IPC ioctl to @ep; @msg in and out, @status out (both may be NULL). */
int ipc(int fd, unsigned long request, int32_t ep, struct mxsys_message *msg,
	uint32_t *status);
/* A message of @type carrying @value, with a bogus m_source to overwrite. */
struct mxsys_message make_msg(int32_t type, uint64_t value);
/* Open /dev/mxsys as rs_fd and claim the RS slot; for fail(). */
int rs_claim(void);
/* As RS: true if a message or notification waits on rs_fd (no waiting). */
bool rs_has_input(void);
/* Privileges @flags, kernel calls @calls, @init_flags, @name; no manager. */
struct mxsys_priv make_priv(uint32_t flags, uint64_t calls,
			    uint32_t init_flags, const char *name);
/*
 * PRIVCTL through @fd with every field given (@priv NULL: zeroed): 0 or
 * -errno; on success the slot's endpoint in *@ep_out (may be NULL).
 */
int privctl_fd(int fd, uint32_t request, int32_t ep, pid_t pid, uint32_t slot,
	       const struct mxsys_priv *priv, int32_t *ep_out);
/* SET_SYS of a new dynamic slot for @pid with @priv through @fd. */
int set_sys(int fd, pid_t pid, const struct mxsys_priv *priv, int32_t *ep_out);
/* As RS: PRIVCTL @request for @ep or @pid (a SYS_PROC, no signal manager). */
int privctl(uint32_t request, int32_t ep, pid_t pid,
	    const uint64_t *send_mask, int32_t *ep_out);

/* ---- ordering between processes ---- */

/* One byte through sync_pipe: signal() wakes one wait(). */
void sync_signal(void);
void sync_wait(void);
/* One byte through order_pipe; order_wait() is false if none came. */
void order_signal(void);
bool order_wait(void);

/* ---- children ---- */

/*
 * Fork children[nr_children] to run @role once start_children() (or the
 * test) writes the endpoint table to its go_write; for fail().
 */
int fork_child(role_fn role);
/*
 * Fork a new process for the entry @c (same index, role and ep), waiting
 * like fork_child()'s for its table on c->go_write; the fields about the
 * process (pid, reaped, deaths, cleared) start afresh. For fail().
 */
int refork_child(struct child *c);
/* Write the endpoint table to @c: it binds and runs its role; for fail(). */
int give_table(struct child *c);
/*
 * Restart @c as RS restarts a service: refork_child(), then SET_SYS with
 * c->ep (dead or prepared: the slot keeps its endpoint, queued messages
 * and notifications) for the new pid, ALLOW and the table. For fail().
 */
int respawn_child(struct child *c);
/*
 * Fork one child per role and prepare its slot; call with no children yet.
 * With @mutual every child may send to every other one.
 */
int start_children(int n, const role_fn *roles, bool mutual);
/* Reap @c once (its status in c->wait_status); for fail(). */
int wait_child(struct child *c);
/* Reap children[@i]; fail unless it exited with @code. */
int expect_exit(int i, int code);
/* Reap every child; fail unless each exited with @want[i] (NULL: all 0). */
int wait_children(const int *want);
/* The live child bound to @ep, or NULL. */
struct child *child_of(int32_t ep);
/* As RS: file every pending GETKSIG death report under its child. */
int pull_deaths(void);
/* As RS: receive(SYSTEM) until @c's death has been reported; for fail(). */
int await_death(struct child *c);
/* Kill what is left, reap every child's slot and free it (mxt_main does). */
void cleanup(void);
/* Run @fn in a plain forked process: its return value, 100 if it died. */
int run_in_child(int (*fn)(void));
/*
 * Wait until @c sleeps in ioctl(@request), as /proc/PID/syscall tells (a
 * woken process reads as running); for fail(): fails if @c exits first.
 */
int await_blocked(struct child *c, unsigned long request);
/*
 * await_blocked(), failing too as soon as @through() says that @what (the
 * call the child makes) went through: for a call that must stay stuck.
 */
int await_blocked_unless(struct child *c, unsigned long request,
			 bool (*through)(void), const char *what);
/*
 * As RS: receive what an earlier run left pending on the RS slot (RS_CLAIM
 * takes it over with its notifications) and pull its GETKSIG records, so
 * that a test sees only its own; for fail().
 */
int rs_drain(void);

/* ---- raw generic netlink client for the mxsys family ---- */

struct nl_msg {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[MXSYS_PAYLOAD_MAX + 512];
};

#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))

extern int nl_family;	/* the mxsys family's id, set by nl_resolve() */

/* A bound NETLINK_GENERIC socket, or -1 after a note(). */
int nl_open(void);
/* Start a generic netlink message @cmd to @family. */
void nl_init(struct nl_msg *m, uint16_t family, uint8_t cmd, uint16_t flags,
	     uint32_t seq);
/* Append attribute @type. */
void nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len);
/* 0 or -errno. */
int nl_send(int fd, struct nl_msg *m);
/* Receive one message into @m: 0, or the error an NLMSG_ERROR carries. */
int nl_recv(int fd, struct nl_msg *m);
/* The first attribute @type of @m, or NULL. */
struct nlattr *nl_attr(struct nl_msg *m, uint16_t type);
/* Send @m, receive the answer into it: the ACK's (or reply's) nl_recv(). */
int nl_call(int fd, struct nl_msg *m);
/* Ask the genl controller about the mxsys family: its answer in @m. */
int nl_get_family(int fd, struct nl_msg *m);
/* Look up MXSYS_GENL_NAME into nl_family: 0 or -errno. */
int nl_resolve(int fd);
/*
 * Join the mxsys "events" multicast group (slot events; needs
 * CAP_NET_ADMIN): 0, or -errno of resolving or joining it.
 */
int nl_join_events(int fd);

#endif /* MXTEST_H */
