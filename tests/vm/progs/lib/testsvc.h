/* SPDX-License-Identifier: MIT */
/*
 * testsvc.h: what the recovery and live-update VM tests share between the
 * configurable test service (tests/vm/progs/testsvc.c), the load client
 * (tests/vm/progs/testclient.c) and the suites (tests/vm/suites/6x-*.sh).
 *
 * Messages. A client SENDRECs TS_ECHO carrying a sequence number; the
 * service answers with m_type OK and a struct ts_echo_reply, which says
 * which process answered (pid), which incarnation of the service it is
 * (restarts as RS told it at init), how many requests this line of
 * instances has served (carried over a live update when the service saves
 * its state), how many live updates it went through, and the version tag
 * from its arguments.
 *
 * Files. Each instance of the service `testsvc ID ...` appends one line
 * per event to TS_DIR/ID.log and obeys commands that the tests drop into
 * TS_DIR/ID.cmd (see testsvc.c). The directory is made by the suites with
 * mode 0777, because some services run as nobody.
 */
#ifndef TESTSVC_H
#define TESTSVC_H

#include <stdint.h>
#include <string.h>

#include <minix/ipc.h>

#define TS_DIR			"/tmp/ts"
#define TS_ID_MAX		24	/* DS keys are "ts.ID.x": under 40 */

#define TS_RQ_BASE		0x1700
#define TS_ECHO			(TS_RQ_BASE + 0)

struct ts_echo_request {
	uint64_t seq;
};

struct ts_echo_reply {
	uint64_t seq;		/* the request's */
	int32_t pid;		/* the answering process */
	int32_t restarts;	/* sef_init_info_t.restarts of its init */
	uint32_t served;	/* requests served, LU state included */
	uint32_t generation;	/* live updates this state went through */
	uint32_t nonce;		/* chosen at fresh init, kept by LU */
	int32_t tag;		/* tag=N from the arguments (a "version") */
};

_Static_assert(sizeof(struct ts_echo_request) <= MXSYS_MSG_PAYLOAD,
	       "an echo request fits a message");
_Static_assert(sizeof(struct ts_echo_reply) <= MXSYS_MSG_PAYLOAD,
	       "an echo reply fits a message");

static inline void ts_put_request(message *m, const struct ts_echo_request *rq)
{
	memset(m, 0, sizeof(*m));
	m->m_type = TS_ECHO;
	memcpy(m->m_payload, rq, sizeof(*rq));
}

static inline void ts_get_request(const message *m, struct ts_echo_request *rq)
{
	memcpy(rq, m->m_payload, sizeof(*rq));
}

static inline void ts_put_reply(message *m, const struct ts_echo_reply *rp)
{
	memset(m, 0, sizeof(*m));
	m->m_type = OK;
	memcpy(m->m_payload, rp, sizeof(*rp));
}

static inline void ts_get_reply(const message *m, struct ts_echo_reply *rp)
{
	memcpy(rp, m->m_payload, sizeof(*rp));
}

#endif /* TESTSVC_H */
