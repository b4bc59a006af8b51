// SPDX-License-Identifier: MIT
/* rs-daemon: RS_UPDATE request fields and live-update admission rules. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "../../servers/rs/update_params.h"

static struct rs_request update_rq(uint32_t flags, int32_t state,
				   int32_t maxtime_ms)
{
	struct rs_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.rq_type = RS_UPDATE;
	rq.rss_flags = flags;
	rq.rss_state = state;
	rq.rss_maxtime_ms = maxtime_ms;
	return rq;
}

START_TEST(null_state_is_refused)
{
	struct update_params p;
	struct rs_request rq = update_rq(RSS_SELF_LU, SEF_LU_STATE_NULL, 0);

	ck_assert_int_eq(update_params_parse(&rq, &p), -EINVAL);
	rq.rss_state = -1;
	ck_assert_int_eq(update_params_parse(&rq, &p), -EINVAL);
}
END_TEST

START_TEST(any_other_state_is_the_service_s_to_judge)
{
	struct update_params p;
	struct rs_request rq = update_rq(0, SEF_LU_STATE_WORK_FREE, 0);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert_int_eq(p.state, SEF_LU_STATE_WORK_FREE);
	rq.rss_state = SEF_LU_STATE_UNREACHABLE;
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert_int_eq(p.state, SEF_LU_STATE_UNREACHABLE);
	rq.rss_state = SEF_LU_STATE_CUSTOM_BASE + 100;
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert_int_eq(p.state, SEF_LU_STATE_CUSTOM_BASE + 100);
}
END_TEST

START_TEST(maxtime_default_is_two_seconds)
{
	struct update_params p;
	struct rs_request rq = update_rq(0, 1, 0);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.prepare_maxtime_ms == RS_LU_DEFAULT_MAXTIME_MS);
	ck_assert(p.prepare_maxtime_ms == 2000);
	/* The init gets MINIX's RS_INIT_T (twice it, as a deadline). */
	ck_assert(p.init_maxtime_ms == RS_INIT_T_MS);
}
END_TEST

START_TEST(maxtime_none_never_times_out_the_prepare)
{
	struct update_params p;
	struct rs_request rq = update_rq(0, 1, -1);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.prepare_maxtime_ms == RS_TIME_NEVER);
	/* The new version's init is still bounded. */
	ck_assert(p.init_maxtime_ms == RS_INIT_T_MS);
	/* Any negative value means none, as in MINIX. */
	rq.rss_maxtime_ms = -42;
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.prepare_maxtime_ms == RS_TIME_NEVER);
}
END_TEST

START_TEST(explicit_maxtime_bounds_prepare_and_init)
{
	struct update_params p;
	struct rs_request rq = update_rq(0, 1, 1000);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.prepare_maxtime_ms == 1000);
	ck_assert(p.init_maxtime_ms == 1000);
}
END_TEST

START_TEST(self_flags_give_sef_lu_self)
{
	struct update_params p;
	struct rs_request rq = update_rq(RSS_SELF_LU, 1, 0);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.self);
	ck_assert_uint_eq(p.lu_flags, SEF_LU_SELF);
	/* -s: identity update of a named binary, which is still used. */
	rq = update_rq(RSS_FORCE_SELF_LU, 1, 0);
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(!p.self);
	ck_assert_uint_eq(p.lu_flags, SEF_LU_SELF);
	rq = update_rq(0, 1, 0);
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(!p.self);
	ck_assert_uint_eq(p.lu_flags, 0);
}
END_TEST

START_TEST(prepare_only_batch_noblock)
{
	struct update_params p;
	struct rs_request rq = update_rq(RSS_PREPARE_ONLY_LU, 1, 0);

	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(p.prepare_only && !p.batch && !p.noblock);
	ck_assert_uint_eq(p.lu_flags, SEF_LU_PREPARE_ONLY);
	rq = update_rq(RSS_BATCH | RSS_NOBLOCK, 1, 0);
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert(!p.prepare_only && p.batch && p.noblock);
	ck_assert_uint_eq(p.lu_flags, 0);
}
END_TEST

START_TEST(init_debug_flags_map_one_to_one)
{
	static const struct {
		uint32_t rss;
		uint32_t sef;
	} map[] = {
		{ RSS_FORCE_INIT_CRASH, SEF_INIT_CRASH },	/* -x */
		{ RSS_FORCE_INIT_FAIL, SEF_INIT_FAIL },		/* -y */
		{ RSS_FORCE_INIT_TIMEOUT, SEF_INIT_TIMEOUT },	/* -z */
		{ RSS_FORCE_INIT_DEFCB, SEF_INIT_DEFCB },	/* -d */
		{ RSS_FORCE_INIT_ST, SEF_INIT_ST },		/* -t */
	};
	uint32_t all_rss = 0, all_sef = 0;
	struct update_params p;
	struct rs_request rq;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		rq = update_rq(map[i].rss, 1, 0);
		ck_assert_int_eq(update_params_parse(&rq, &p), 0);
		ck_assert_uint_eq(p.init_flags, map[i].sef);
		ck_assert_uint_eq(p.lu_flags, 0);
		all_rss |= map[i].rss;
		all_sef |= map[i].sef;
	}
	rq = update_rq(all_rss | RSS_SELF_LU | RSS_BATCH, 1, 0);
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert_uint_eq(p.init_flags, all_sef);
	ck_assert_uint_eq(p.lu_flags, SEF_LU_SELF);
	/* Flags that mean nothing here change nothing. */
	rq = update_rq(RSS_ASR_LU | RSS_NOMMAP_LU | RSS_DETACH | RSS_COPY, 1, 0);
	ck_assert_int_eq(update_params_parse(&rq, &p), 0);
	ck_assert_uint_eq(p.init_flags, 0);
	ck_assert_uint_eq(p.lu_flags, 0);
}
END_TEST

START_TEST(admission_follows_minix)
{
	/* Idle: anything goes. */
	ck_assert_int_eq(update_admit(UPDATE_STAGE_IDLE, false, false), 0);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_IDLE, true, false), 0);
	/* Running: busy, batched or not. */
	ck_assert_int_eq(update_admit(UPDATE_STAGE_RUNNING, false, false),
			 -EBUSY);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_RUNNING, true, false),
			 -EBUSY);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_RUNNING, true, true),
			 -EBUSY);
	/* Scheduled: only more of the batch, each service once. */
	ck_assert_int_eq(update_admit(UPDATE_STAGE_SCHEDULED, false, false),
			 -EBUSY);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_SCHEDULED, false, true),
			 -EBUSY);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_SCHEDULED, true, false), 0);
	ck_assert_int_eq(update_admit(UPDATE_STAGE_SCHEDULED, true, true),
			 -EINVAL);
}
END_TEST

START_TEST(deadlines_saturate)
{
	ck_assert(update_deadline(1000, 2000) == 3000);
	ck_assert(update_deadline(1000, 0) == 1000);
	ck_assert(update_deadline(1000, RS_TIME_NEVER) == RS_TIME_NEVER);
	ck_assert(update_deadline(RS_TIME_NEVER - 10, 20) == RS_TIME_NEVER);
	ck_assert(update_deadline(RS_TIME_NEVER - 10, 10) == RS_TIME_NEVER);
	ck_assert(update_deadline(RS_TIME_NEVER - 10, 9) ==
		  RS_TIME_NEVER - 1);
}
END_TEST

static Suite *update_params_suite(void)
{
	Suite *s = suite_create("rs_update_params");
	TCase *parse = tcase_create("parse");
	TCase *admit = tcase_create("admit");

	tcase_add_test(parse, null_state_is_refused);
	tcase_add_test(parse, any_other_state_is_the_service_s_to_judge);
	tcase_add_test(parse, maxtime_default_is_two_seconds);
	tcase_add_test(parse, maxtime_none_never_times_out_the_prepare);
	tcase_add_test(parse, explicit_maxtime_bounds_prepare_and_init);
	tcase_add_test(parse, self_flags_give_sef_lu_self);
	tcase_add_test(parse, prepare_only_batch_noblock);
	tcase_add_test(parse, init_debug_flags_map_one_to_one);
	suite_add_tcase(s, parse);
	tcase_add_test(admit, admission_follows_minix);
	tcase_add_test(admit, deadlines_saturate);
	suite_add_tcase(s, admit);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(update_params_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
