// SPDX-License-Identifier: MIT
/* RS_UPDATE request fields and admission rules (pure). */
#include <errno.h>

#include <minix/sef.h>

#include "update_params.h"

/* minix-service's -x -y -z -d -t: debug init flags for the new version. */
static uint32_t init_debug_flags(uint32_t rss_flags)
{
	uint32_t flags = 0;

	if (rss_flags & RSS_FORCE_INIT_CRASH)
		flags |= SEF_INIT_CRASH;
	if (rss_flags & RSS_FORCE_INIT_FAIL)
		flags |= SEF_INIT_FAIL;
	if (rss_flags & RSS_FORCE_INIT_TIMEOUT)
		flags |= SEF_INIT_TIMEOUT;
	if (rss_flags & RSS_FORCE_INIT_DEFCB)
		flags |= SEF_INIT_DEFCB;
	if (rss_flags & RSS_FORCE_INIT_ST)
		flags |= SEF_INIT_ST;
	return flags;
}

static uint32_t lu_flags(uint32_t rss_flags)
{
	uint32_t flags = 0;

	if (rss_flags & (RSS_SELF_LU | RSS_FORCE_SELF_LU))
		flags |= SEF_LU_SELF;
	if (rss_flags & RSS_PREPARE_ONLY_LU)
		flags |= SEF_LU_PREPARE_ONLY;
	return flags;
}

int update_params_parse(const struct rs_request *rq, struct update_params *p)
{
	uint32_t rss_flags = rq->rss_flags;

	/* State NULL is the cancel: it cannot be prepared for. */
	if (rq->rss_state <= SEF_LU_STATE_NULL)
		return -EINVAL;
	p->state = rq->rss_state;
	p->lu_flags = lu_flags(rss_flags);
	p->init_flags = init_debug_flags(rss_flags);
	if (rq->rss_maxtime_ms == 0) {
		p->prepare_maxtime_ms = RS_LU_DEFAULT_MAXTIME_MS;
		p->init_maxtime_ms = RS_INIT_T_MS;
	} else if (rq->rss_maxtime_ms < 0) {
		/* The CLI's -maxtime 0: prepare as long as it takes. */
		p->prepare_maxtime_ms = RS_TIME_NEVER;
		p->init_maxtime_ms = RS_INIT_T_MS;
	} else {
		/* MINIX's UPD_INIT_MAXTIME: an explicit maxtime bounds both. */
		p->prepare_maxtime_ms = (rs_time_t)rq->rss_maxtime_ms;
		p->init_maxtime_ms = (rs_time_t)rq->rss_maxtime_ms;
	}
	/* update self; -s only makes a new binary's update an identity one. */
	p->self = rss_flags & RSS_SELF_LU;
	p->prepare_only = rss_flags & RSS_PREPARE_ONLY_LU;
	p->batch = rss_flags & RSS_BATCH;
	p->noblock = rss_flags & RSS_NOBLOCK;
	return 0;
}

int update_admit(enum update_stage stage, bool batch, bool already_scheduled)
{
	if (stage == UPDATE_STAGE_RUNNING)
		return -EBUSY;
	if (stage == UPDATE_STAGE_SCHEDULED && !batch)
		return -EBUSY;
	if (already_scheduled)
		return -EINVAL;
	return 0;
}

rs_time_t update_deadline(rs_time_t now, rs_time_t delay_ms)
{
	if (delay_ms == RS_TIME_NEVER || now > RS_TIME_NEVER - delay_ms - 1)
		return RS_TIME_NEVER;
	return now + delay_ms;
}
