/* SPDX-License-Identifier: MIT */
/*
 * SEF initialisation: run the callback for the init type RS asked for and
 * report the result to RS, which keeps the service blocked until it answers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <minix/sef.h>

#include "sef_internal.h"

/*
 * MINIX HEAD's restart default is sef_cb_init_reset (ERESTART: RS
 * reincarnates with a new endpoint); it arrives with the reset policy in a
 * later issue. Until then a restart is stateless and keeps its endpoint,
 * as in MINIX 3.1.8. Live update keeps sef_cb_init_null until state
 * transfer exists.
 */
#define SEF_DEFAULT_INIT_FRESH		sef_cb_init_null
#define SEF_DEFAULT_INIT_LU		sef_cb_init_null
#define SEF_DEFAULT_INIT_RESTART	sef_cb_init_null
#define SEF_DEFAULT_INIT_RESPONSE	sef_cb_init_response_rs_reply

static struct {
	sef_cb_init_t fresh;
	sef_cb_init_t lu;
	sef_cb_init_t restart;
	sef_cb_init_response_t response;
} sef_init = {
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

/* Never answer RS, which times the init out. */
static void __attribute__((noreturn)) block_forever(void)
{
	/* Every catchable signal is blocked, so only a fatal one ends this. */
	for (;;)
		pause();
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
		block_forever();

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

int sef_init_process(int type, sef_init_info_t *info)
{
	message m = { 0 };
	int result;
	int r;

	result = run_init(type, info);

	m.m_type = RS_INIT;
	m.m_rs_init.result = result;
	m.m_rs_init.type = type;
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

int sef_cb_init_response_rs_reply(message *m)
{
	/* Blocks until RS answers: during a live update, that is its end. */
	return ipc_sendrec(RS_PROC_NR, m);
}
