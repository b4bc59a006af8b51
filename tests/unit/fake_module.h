/* SPDX-License-Identifier: MIT */
/*
 * What the two fakes of the module (test_sef_fake for libsef, test_rs_fake
 * for rs-daemon) share: the record of the messages sent through them, and
 * the kernel event records they hand out (sys_getksig).
 */
#ifndef TESTS_UNIT_FAKE_MODULE_H
#define TESTS_UNIT_FAKE_MODULE_H

#include <sys/types.h>

#include <minix/ipc.h>

struct fake_sent {
	int call;		/* MXSYS_CALL_* */
	endpoint_t dst;
	message m;		/* all zero for a notify */
};

/*
 * Append a message to sent[0 .. *n - 1], which holds at most max (the
 * test fails beyond). m is NULL for a notify.
 */
void fake_sent_append(struct fake_sent *sent, int *n, int max, int call,
		      endpoint_t dst, const message *m);

/* A sys_getksig record: a death (MXSYS_KSIG_DEAD, exit_status) or signals. */
struct mxsys_ksig fake_ksig(endpoint_t ep, uint32_t flags, uint64_t sigset,
			    int exit_status, pid_t pid);

#endif /* TESTS_UNIT_FAKE_MODULE_H */
