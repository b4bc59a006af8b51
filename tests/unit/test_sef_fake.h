/* SPDX-License-Identifier: MIT */
/*
 * A fake mxsys for libsef's unit tests: it stands in for libsef/ipc.c,
 * libsef/kernel_call.c and libsef/sef_slot.c, so SEF can be driven on the
 * host. Incoming messages and sendrec replies are scripted; everything
 * libsef sends and every kernel call it makes is recorded. The fd store
 * is empty.
 */
#ifndef TEST_SEF_FAKE_H
#define TEST_SEF_FAKE_H

#include <errno.h>
#include <stdint.h>

#include <minix/ipc.h>

#include "fake_module.h"

/* ipc_receive() with nothing scripted: ends a sef_receive() under test. */
#define FAKE_NO_MESSAGE		(-ENOMSG)
#define FAKE_MAX		32

struct fake_mxsys {
	/* Scripted: messages to receive, in order (status = call). */
	message in[FAKE_MAX];
	int in_call[FAKE_MAX];
	int nin, next_in;
	/* Scripted: replies to sendrec, in order; none left = m_type OK. */
	message reply[FAKE_MAX];
	int nreply, next_reply;
	int sendrec_result;	/* IPC result of every sendrec */
	/* The next sendrec_fails sendrecs fail with sendrec_fail_result. */
	int sendrec_fails;
	int sendrec_fail_result;

	/* Recorded: every send, sendnb, senda, sendrec and notify. */
	struct fake_sent sent[FAKE_MAX];
	int nsent;

	/* WHOAMI; from the second call on, swapped_to (when not 0). */
	int whoami_result;
	struct mxsys_whoami whoami;
	endpoint_t swapped_to;
	int whoami_calls;

	/* GETKSIG: records in order, then endpoint NONE. */
	int getksig_result;	/* e.g. -ECALLDENIED for every call */
	struct mxsys_ksig ksig[FAKE_MAX];
	int nksig, next_ksig;
	int getksig_calls;
	/* ENDKSIG. */
	int endksig_result;
	endpoint_t endksig[FAKE_MAX];
	int nendksig;
	/* EXIT: counted, and a byte written to exit_fd when >= 0. */
	int exit_calls;
	int exit_fd;

	/* The slot's signal manager, as the netlink query answers. */
	int sig_mgr_result;
	endpoint_t sig_mgr;
	int sig_mgr_calls;
	/* The slot's signals waiting for its manager (the debug dump). */
	int sig_pending_result;
	uint64_t sig_pending;

	/* SAFECOPYTO: what was copied, into which grant of whom. */
	int copy_result;
	int copy_calls;
	endpoint_t copy_granter;
	int32_t copy_grant;
	char copied[4096];
	size_t copied_len;
};

extern struct fake_mxsys fake;

/* Everything empty: no messages, RS as the manager, EXIT not reported. */
void fake_reset(void);
/* Script one incoming message (call MXSYS_CALL_*); fill in the payload. */
message *fake_push(endpoint_t src, int32_t type, int call);
/* Script a notify from src (a SYSTEM one carries sigset). */
void fake_push_notify(endpoint_t src, uint64_t sigset);
/* Script the reply to the next unanswered sendrec. */
message *fake_push_reply(int32_t type);
/* Script a sys_getksig record. */
void fake_push_ksig(endpoint_t ep, uint32_t flags, uint64_t sigset,
		    int exit_status);
/*
 * sef_startup() as a fresh service on the fake (call it before scripting
 * anything): RS_INIT, its reply OK; the record is cleared afterwards.
 */
void fake_start_service(void);
/* The i-th recorded message libsef sent (the test fails if there is none). */
const struct fake_sent *fake_sent_at(int i);

#endif /* TEST_SEF_FAKE_H */
