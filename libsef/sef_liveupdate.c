/* SPDX-License-Identifier: MIT */
/*
 * SEF live update, the service's side. RS asks the old instance to reach
 * a prepare state (RS_LU_PREPARE{state, flags}); the receive loop checks
 * before every receive whether that state is reached, and once it is the
 * service saves its state and tells RS with a blocking sendrec. If the
 * update commits, RS ends this process while it waits there; if the
 * sendrec returns, the update was aborted or rolled back and the service
 * goes on serving.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "sef_internal.h"

#define SEF_DEFAULT_LU_STATE_ISVALID	sef_cb_lu_state_isvalid_generic

static struct {
	sef_cb_lu_prepare_t prepare;
	sef_cb_lu_state_isvalid_t state_isvalid;
	sef_cb_lu_state_changed_t state_changed;
	sef_cb_lu_state_dump_t state_dump;
	sef_cb_lu_state_save_t state_save;
	sef_cb_lu_response_t response;
	int state;		/* being prepared for; NULL: no update */
	int flags;		/* SEF_LU_* of the request */
	unsigned long checks;	/* readiness checks of this request (debug) */
} sef_lu = {
	.prepare = sef_cb_lu_prepare_null,
	.state_isvalid = SEF_DEFAULT_LU_STATE_ISVALID,
	.state_changed = sef_cb_lu_state_changed_null,
	.state_dump = sef_cb_lu_state_dump_null,
	.state_save = sef_cb_lu_state_save_null,
	.response = sef_cb_lu_response_rs_reply,
	.state = SEF_LU_STATE_NULL,
	.flags = 0,
};

void sef_setcb_lu_prepare(sef_cb_lu_prepare_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_prepare: NULL callback");
	sef_lu.prepare = cb;
}

void sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_state_isvalid: NULL callback");
	sef_lu.state_isvalid = cb;
}

void sef_setcb_lu_state_changed(sef_cb_lu_state_changed_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_state_changed: NULL callback");
	sef_lu.state_changed = cb;
}

void sef_setcb_lu_state_dump(sef_cb_lu_state_dump_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_state_dump: NULL callback");
	sef_lu.state_dump = cb;
}

void sef_setcb_lu_state_save(sef_cb_lu_state_save_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_state_save: NULL callback");
	sef_lu.state_save = cb;
}

void sef_setcb_lu_response(sef_cb_lu_response_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_lu_response: NULL callback");
	sef_lu.response = cb;
}

int sef_lu_state(void)
{
	return sef_lu.state;
}

int sef_lu_flags(void)
{
	return sef_lu.flags;
}

static void set_state(int state, int flags)
{
	int old_state = sef_lu.state;

	sef_lu.state = state;
	sef_lu.flags = flags;
	sef_lu.checks = 0;
	if (old_state != state)
		sef_lu.state_changed(old_state, state);
}

/* A controlled crash, as MINIX's panic() at prepare time. */
static void __attribute__((noreturn)) crash_at_prepare(void)
{
	fprintf(stderr, "%s: simulating a crash at update prepare time\n",
		program_invocation_short_name);
	abort();
}

/*
 * Tell RS the outcome of the request for @state. On success the state is
 * saved first (a failure to save becomes the outcome). The default
 * response blocks in sendrec: an update that commits never comes back.
 * When it does come back, the update is over for this instance, whatever
 * it was: no state is pending any more.
 */
static int lu_ready(int state, int result)
{
	message m;
	int r;

	if (result == OK) {
		r = sef_lu.state_save(state, sef_lu.flags);
		if (r != OK)
			result = r;
	}

	memset(&m, 0, sizeof(m));
	m.m_type = RS_LU_PREPARE;
	m.m_rs_lu_prepare.state = state;
	m.m_rs_lu_prepare.result = result;
	m.m_rs_lu_prepare.flags = (uint32_t)sef_lu.flags;
	r = sef_lu.response(&m);

	set_state(SEF_LU_STATE_NULL, 0);
	return r;
}

/* MINIX's validity rule: debug states always; else the callback says. */
static int check_request(int state, int flags)
{
	if (!SEF_LU_STATE_IS_DEBUG(state) && !sef_lu.state_isvalid(state, flags))
		/* A service that never chose: it does not support updates. */
		return sef_lu.state_isvalid == SEF_DEFAULT_LU_STATE_ISVALID ?
			       -ENOSYS : -EINVAL;
	/* No expression evaluator: an EVAL state has no expression. */
	if (state == SEF_LU_STATE_EVAL)
		return -EINVAL;
	return OK;
}

void sef_lu_request(const message *m)
{
	int state = m->m_rs_lu_prepare.state;
	int flags = (int)m->m_rs_lu_prepare.flags;
	int r;

	/* A cancel: RS gave up (maxtime) or the update starts without us. */
	if (state == SEF_LU_STATE_NULL) {
		set_state(SEF_LU_STATE_NULL, 0);
		return;
	}
	if (sef_lu.state != SEF_LU_STATE_NULL) {
		(void)lu_ready(state, -EBUSY);
		return;
	}
	r = check_request(state, flags);
	if (r != OK) {
		(void)lu_ready(state, r);
		return;
	}
	set_state(state, flags);
}

/* Debugging aid, as MINIX's SEF_LU_DEBUG builds: SEF_LU_DEBUG=1. */
static bool lu_debug(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		const char *v = getenv("SEF_LU_DEBUG");

		enabled = v && *v && strcmp(v, "0") != 0;
	}
	return enabled;
}

static int readiness(int state)
{
	switch (state) {
	case SEF_LU_STATE_WORK_FREE:
		/*
		 * Between two messages the SEF thread holds no work (MINIX's
		 * definition). A service with other threads says whether they
		 * are idle too through its own prepare callback; with the
		 * default one, the SEF thread is all there is.
		 */
		if (sef_lu.prepare == sef_cb_lu_prepare_null)
			return OK;
		return sef_lu.prepare(state);
	case SEF_LU_STATE_UNREACHABLE:
		return -ENOTREADY;
	case SEF_LU_STATE_PREPARE_CRASH:
		crash_at_prepare();
	default:
		return sef_lu.prepare(state);
	}
}

void sef_lu_check_ready(void)
{
	int state = sef_lu.state;
	int r;

	if (state == SEF_LU_STATE_NULL)
		return;
	sef_lu.checks++;
	if (lu_debug()) {
		fprintf(stderr, "%s: live update: state %d, flags 0x%x, check %lu\n",
			program_invocation_short_name, state, sef_lu.flags,
			sef_lu.checks);
		sef_lu.state_dump(state);
	}

	r = readiness(state);
	if (r == -ENOTREADY)
		return;
	r = lu_ready(state, r);
	if (lu_debug())
		fprintf(stderr, "%s: live update did not commit: %s\n",
			program_invocation_short_name, sef_strerror(r));
}

int sef_cb_lu_prepare_null(int state)
{
	(void)state;
	return -ENOTREADY;
}

int sef_cb_lu_prepare_always_ready(int state)
{
	(void)state;
	return OK;
}

int sef_cb_lu_prepare_never_ready(int state)
{
	(void)state;
	return -ENOTREADY;
}

int sef_cb_lu_prepare_crash(int state)
{
	(void)state;
	crash_at_prepare();
}

int sef_cb_lu_state_isvalid_null(int state, int flags)
{
	(void)state;
	(void)flags;
	return false;
}

int sef_cb_lu_state_isvalid_generic(int state, int flags)
{
	(void)flags;
	return state == SEF_LU_STATE_EVAL || state == SEF_LU_STATE_WORK_FREE;
}

int sef_cb_lu_state_isvalid_standard(int state, int flags)
{
	(void)flags;
	return SEF_LU_STATE_IS_STANDARD(state);
}

int sef_cb_lu_state_isvalid_workfree(int state, int flags)
{
	(void)flags;
	return state == SEF_LU_STATE_WORK_FREE;
}

int sef_cb_lu_state_isvalid_workfree_self(int state, int flags)
{
	return state == SEF_LU_STATE_WORK_FREE &&
	       (flags & (SEF_LU_SELF | SEF_LU_ASR));
}

void sef_cb_lu_state_changed_null(int old_state, int state)
{
	(void)old_state;
	(void)state;
}

void sef_cb_lu_state_dump_null(int state)
{
	(void)state;
}

int sef_cb_lu_state_save_null(int state, int flags)
{
	(void)state;
	(void)flags;
	return OK;
}

int sef_cb_lu_response_rs_reply(message *m)
{
	int r = sef_sendrec_rs(m);

	if (r != OK)
		return r;
	/*
	 * Still here: the update did not commit. The reply's type is its
	 * outcome; a reply that is itself a prepare request is a cancel.
	 */
	return m->m_type == RS_LU_PREPARE ? -EINTR : m->m_type;
}

int sef_cb_lu_response_null(message *m)
{
	(void)m;
	return -ENOSYS;
}
