/* SPDX-License-Identifier: MIT */
/*
 * SEF initialisation: run the callback for the init type RS asked for and
 * report the result to RS, which keeps the service blocked until it answers.
 *
 * Linux has no identity state transfer (two exec'd processes share no
 * memory layout) and no LLVM state transfer: a "stateful" restart or
 * identity update keeps the endpoint and leaves the state to DS or to the
 * service's own code. See libsef(3).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <minix/sef.h>

#include "sef_internal.h"

/* MINIX 3.4's defaults. */
#define SEF_DEFAULT_INIT_FRESH		SEF_CB_INIT_FRESH_DEFAULT
#define SEF_DEFAULT_INIT_LU		SEF_CB_INIT_LU_DEFAULT
#define SEF_DEFAULT_INIT_RESTART	SEF_CB_INIT_RESTART_DEFAULT
#define SEF_DEFAULT_INIT_RESPONSE	sef_cb_init_response_rs_reply

/*
 * An identity update (the same binary, `update self`) that asks for no
 * other kind of state transfer, as MINIX's SEF_LU_IS_IDENTITY_UPDATE.
 */
#define SEF_LU_IDENTITY_MASK \
	(SEF_LU_SELF | SEF_LU_NOMMAP | SEF_LU_ASR | SEF_INIT_ST)
#define SEF_LU_IS_IDENTITY_UPDATE(flags) \
	(((flags) & SEF_LU_IDENTITY_MASK) == SEF_LU_SELF)

static struct {
	sef_cb_init_t fresh;
	sef_cb_init_t lu;
	sef_cb_init_t restart;
	sef_cb_init_response_t response;
	int last_type;		/* for the debug dump; -1: none yet */
	int last_restarts;
} sef_init = {
	.last_type = -1,
	.fresh = SEF_DEFAULT_INIT_FRESH,
	.lu = SEF_DEFAULT_INIT_LU,
	.restart = SEF_DEFAULT_INIT_RESTART,
	.response = SEF_DEFAULT_INIT_RESPONSE,
};

void sef_setcb_init_fresh(sef_cb_init_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_init_fresh: NULL callback");
	sef_init.fresh = cb;
}

void sef_setcb_init_lu(sef_cb_init_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_init_lu: NULL callback");
	sef_init.lu = cb;
}

void sef_setcb_init_restart(sef_cb_init_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_init_restart: NULL callback");
	sef_init.restart = cb;
}

void sef_setcb_init_response(sef_cb_init_response_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_init_response: NULL callback");
	sef_init.response = cb;
}

static int run_init(int type, sef_init_info_t *info)
{
	bool use_default = info->flags & SEF_INIT_DEFCB;

	/* Debug flags, set by RS on request, come before the init type. */
	if (info->flags & SEF_INIT_CRASH)
		return sef_cb_init_crash(type, info);
	if (info->flags & SEF_INIT_FAIL)
		return sef_cb_init_fail(type, info);
	if (info->flags & SEF_INIT_TIMEOUT)
		return sef_cb_init_timeout(type, info);

	switch (type) {
	case SEF_INIT_FRESH:
		return (use_default ? SEF_DEFAULT_INIT_FRESH : sef_init.fresh)(type, info);
	case SEF_INIT_LU:
		return (use_default ? SEF_DEFAULT_INIT_LU : sef_init.lu)(type, info);
	case SEF_INIT_RESTART:
		return (use_default ? SEF_DEFAULT_INIT_RESTART : sef_init.restart)(type, info);
	default:
		return -EINVAL;
	}
}

/*
 * What a crash restart of this service will do, told to RS with every
 * init: the reset callback cannot keep the endpoint (RS starts afresh),
 * anything else restarts in place.
 */
static unsigned int restart_policy(void)
{
	return sef_init.restart == sef_cb_init_reset ? RS_POLICY_RESET :
						       RS_POLICY_RESTART;
}

void sef_init_last(int *type, int *restarts)
{
	*type = sef_init.last_type;
	*restarts = sef_init.last_restarts;
}

int sef_init_process(int type, sef_init_info_t *info)
{
	message m = { 0 };
	int result;
	int r;

	sef_init.last_type = type;
	sef_init.last_restarts = info->restarts;
	result = run_init(type, info);

	m.m_type = RS_INIT;
	m.m_rs_init.result = result;
	m.m_rs_init.type = type;
	m.m_rs_init.restart_policy = restart_policy();
	r = sef_init.response(&m);
	if (r != OK && result == OK)
		result = r;
	return result;
}

int sef_cb_init_null(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	return OK;
}

int sef_cb_init_fail(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	return -ENOSYS;
}

int sef_cb_init_crash(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	fprintf(stderr, "%s: simulating a crash at initialization time\n",
		program_invocation_short_name);
	abort();
}

int sef_cb_init_timeout(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	/*
	 * Never answer RS, which times the init out. Every catchable signal
	 * is blocked in a service, so only a fatal one ends this.
	 */
	for (;;)
		pause();
}

int sef_cb_init_reset(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	/* RS kills this instance and starts a fresh one on a new endpoint. */
	return -ERESTART;
}

int sef_cb_init_restart_generic(int type, sef_init_info_t *info)
{
	/*
	 * MINIX copies the old instance's memory here. On Linux the new
	 * process only keeps the endpoint (with its queued callers); its
	 * state comes from DS or from the service's own code.
	 */
	if (type == SEF_INIT_RESTART)
		return OK;
	if (type == SEF_INIT_LU && SEF_LU_IS_IDENTITY_UPDATE(info->flags))
		return OK;
	return -ENOSYS;
}

int sef_cb_init_lu_identity_as_restart(int type, sef_init_info_t *info)
{
	sef_cb_init_t cb = sef_init.restart;

	if (!SEF_LU_IS_IDENTITY_UPDATE(info->flags))
		return -ENOSYS;
	/*
	 * A reset cannot stand in for an update (the endpoint must stay),
	 * and neither can a callback RS asked to bypass: restart in place.
	 */
	if (cb == sef_cb_init_reset ||
	    (info->flags & (SEF_INIT_DEFCB | SEF_INIT_SCRIPT_RESTART)))
		cb = SEF_CB_INIT_RESTART_STATEFUL;
	return cb(type, info);
}

int sef_cb_init_lu_generic(int type, sef_init_info_t *info)
{
	if (SEF_LU_IS_IDENTITY_UPDATE(info->flags))
		return sef_cb_init_lu_identity_as_restart(type, info);
	/* MINIX would transfer state with LLVM instrumentation: none here. */
	return -ENOSYS;
}

int sef_sendrec_rs(message *m)
{
	const message request = *m;
	const struct timespec pause = {
		.tv_nsec = SEF_RS_RESEND_MS * 1000000L,
	};
	int r;

	for (int i = 0;; i++) {
		r = ipc_sendrec(RS_PROC_NR, m);
		if (r != -EDEADSRCDST || i == SEF_RS_RESENDS)
			return r;
		/* A failed sendrec may have written the reply buffer. */
		*m = request;
		nanosleep(&pause, NULL);
	}
}

int sef_cb_init_response_rs_reply(message *m)
{
	/* Blocks until RS answers: during a live update, that is its end. */
	return sef_sendrec_rs(m);
}

int sef_cb_init_response_null(message *m)
{
	(void)m;
	return -ENOSYS;
}
