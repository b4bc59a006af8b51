/* SPDX-License-Identifier: MIT */
/*
 * What an RS_UPDATE request asks for, and whether it may join the live
 * update machinery (MINIX RS's do_update checks): pure functions, so the
 * rules are unit-tested on the host.
 */
#ifndef RS_UPDATE_PARAMS_H
#define RS_UPDATE_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include <minix/rs.h>

#include "policy.h"

/* MINIX's default prepare maxtime, when the request names none. */
#define RS_LU_DEFAULT_MAXTIME_MS	2000

struct update_params {
	int state;			/* SEF_LU_STATE_* to prepare in */
	uint32_t lu_flags;		/* SEF_LU_*: RS_LU_PREPARE and RS_INIT */
	uint32_t init_flags;		/* SEF_INIT_* debug flags for RS_INIT */
	rs_time_t prepare_maxtime_ms;	/* RS_TIME_NEVER: no limit */
	/* The new version must answer its init within twice this. */
	rs_time_t init_maxtime_ms;
	bool self;			/* update self: same binary and args */
	bool prepare_only;		/* -o: prepare, then cancel */
	bool batch;			/* -q: scheduled for sysctl upd_run */
	bool noblock;			/* -n: reply once it started */
};

/*
 * Read rq's update fields into p. Returns 0, or -EINVAL for the NULL
 * prepare state (or a negative one).
 */
int update_params_parse(const struct rs_request *rq, struct update_params *p);

/* Where the update machinery stands, for update_admit(). */
enum update_stage {
	UPDATE_STAGE_IDLE,		/* nothing scheduled or running */
	UPDATE_STAGE_SCHEDULED,		/* -q requests wait for upd_run */
	UPDATE_STAGE_RUNNING,		/* preparing or initialising */
};

/*
 * May a request (batch or not) for a service join? -EBUSY while an
 * update runs, or while one is scheduled and this one is not batched;
 * -EINVAL for a service already in the schedule; else 0.
 */
int update_admit(enum update_stage stage, bool batch, bool already_scheduled);

/* now + delay_ms; RS_TIME_NEVER for no limit, saturating. */
rs_time_t update_deadline(rs_time_t now, rs_time_t delay_ms);

#endif /* RS_UPDATE_PARAMS_H */
