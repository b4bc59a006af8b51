// SPDX-License-Identifier: MIT
/* rs-daemon: restart backoff and heartbeat decisions. */
#include <check.h>
#include <stdlib.h>

#include "../../servers/rs/policy.h"

START_TEST(backoff_first_crash_is_immediate)
{
	ck_assert_uint_eq(policy_backoff_periods(0), 0);
}
END_TEST

START_TEST(backoff_doubles_then_caps)
{
	/* MINIX: 2, 4, 8, 16, then MAX_BACKOFF (30) periods. */
	ck_assert_uint_eq(policy_backoff_periods(1), 2);
	ck_assert_uint_eq(policy_backoff_periods(2), 4);
	ck_assert_uint_eq(policy_backoff_periods(3), 8);
	ck_assert_uint_eq(policy_backoff_periods(4), 16);
	ck_assert_uint_eq(policy_backoff_periods(5), RS_MAX_BACKOFF);
	ck_assert_uint_eq(policy_backoff_periods(6), RS_MAX_BACKOFF);
	ck_assert_uint_eq(policy_backoff_periods(63), RS_MAX_BACKOFF);
	ck_assert_uint_eq(policy_backoff_periods(64), RS_MAX_BACKOFF);
	ck_assert_uint_eq(policy_backoff_periods(~0U), RS_MAX_BACKOFF);
}
END_TEST

START_TEST(no_period_never_pings)
{
	struct heartbeat hb = { .period_ms = 0 };

	heartbeat_reset(&hb, 1000);
	ck_assert_int_eq(heartbeat_decide(&hb, 1000), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 1000000000), HEARTBEAT_NONE);
	ck_assert(heartbeat_deadline(&hb) == RS_TIME_NEVER);
}
END_TEST

START_TEST(ping_after_one_period)
{
	struct heartbeat hb = { .period_ms = 200 };

	heartbeat_reset(&hb, 1000);
	ck_assert(!heartbeat_ping_outstanding(&hb));
	ck_assert_int_eq(heartbeat_decide(&hb, 1199), HEARTBEAT_NONE);
	ck_assert(heartbeat_deadline(&hb) == 1200);
	ck_assert_int_eq(heartbeat_decide(&hb, 1200), HEARTBEAT_PING);
}
END_TEST

START_TEST(outstanding_ping_waits_two_periods_of_silence)
{
	struct heartbeat hb = { .period_ms = 200 };

	heartbeat_reset(&hb, 1000);
	hb.check_tm = 1200;		/* ping sent, no answer */
	ck_assert(heartbeat_ping_outstanding(&hb));
	/* No second ping while one is outstanding. */
	ck_assert_int_eq(heartbeat_decide(&hb, 1300), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 1400), HEARTBEAT_NONE);
	ck_assert(heartbeat_deadline(&hb) == 1401);
	ck_assert_int_eq(heartbeat_decide(&hb, 1401), HEARTBEAT_KILL);
}
END_TEST

START_TEST(answer_clears_outstanding_ping)
{
	struct heartbeat hb = { .period_ms = 200 };

	heartbeat_reset(&hb, 1000);
	hb.check_tm = 1200;
	hb.alive_tm = 1250;		/* the pong */
	ck_assert(!heartbeat_ping_outstanding(&hb));
	ck_assert_int_eq(heartbeat_decide(&hb, 1399), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 1400), HEARTBEAT_PING);
	ck_assert(heartbeat_deadline(&hb) == 1400);
}
END_TEST

START_TEST(answer_in_the_same_millisecond_counts)
{
	struct heartbeat hb = { .period_ms = 50 };

	heartbeat_reset(&hb, 0);
	hb.check_tm = 50;
	hb.alive_tm = 50;
	ck_assert(!heartbeat_ping_outstanding(&hb));
	ck_assert_int_eq(heartbeat_decide(&hb, 200), HEARTBEAT_PING);
}
END_TEST

START_TEST(clock_before_check_time_is_harmless)
{
	struct heartbeat hb = { .period_ms = 100 };

	heartbeat_reset(&hb, 5000);
	ck_assert_int_eq(heartbeat_decide(&hb, 4000), HEARTBEAT_NONE);
	hb.check_tm = 5100;
	ck_assert_int_eq(heartbeat_decide(&hb, 4000), HEARTBEAT_NONE);
}
END_TEST

START_TEST(restart_periods_follow_the_flags)
{
	/* The first crash restarts at once whatever the flags say. */
	ck_assert_uint_eq(policy_restart_periods(0, false, false), 0);
	ck_assert_uint_eq(policy_restart_periods(0, true, true), 0);
	ck_assert_uint_eq(policy_restart_periods(3, false, false), 8);
	/* -b: one period every time. */
	ck_assert_uint_eq(policy_restart_periods(1, true, false), 1);
	ck_assert_uint_eq(policy_restart_periods(9, true, false), 1);
	/* -c: at most one period. */
	ck_assert_uint_eq(policy_restart_periods(4, false, true), 1);
}
END_TEST

START_TEST(new_period_starts_counting_again)
{
	struct heartbeat hb = { 0 };

	/* Initialised at 1000 without a period, given one much later. */
	heartbeat_reset(&hb, 1000);
	heartbeat_set_period(&hb, 500, 60000);
	ck_assert_int_eq(heartbeat_decide(&hb, 60000), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 60500), HEARTBEAT_PING);
	hb.check_tm = 60500;
	/* The first ping is not late before 2P after the change. */
	ck_assert_int_eq(heartbeat_decide(&hb, 60600), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 61000), HEARTBEAT_NONE);
	ck_assert_int_eq(heartbeat_decide(&hb, 61001), HEARTBEAT_KILL);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("rs_policy");
	TCase *backoff = tcase_create("backoff");
	TCase *heartbeat = tcase_create("heartbeat");

	tcase_add_test(backoff, backoff_first_crash_is_immediate);
	tcase_add_test(backoff, restart_periods_follow_the_flags);
	tcase_add_test(backoff, new_period_starts_counting_again);
	tcase_add_test(backoff, backoff_doubles_then_caps);
	suite_add_tcase(s, backoff);
	tcase_add_test(heartbeat, no_period_never_pings);
	tcase_add_test(heartbeat, ping_after_one_period);
	tcase_add_test(heartbeat, outstanding_ping_waits_two_periods_of_silence);
	tcase_add_test(heartbeat, answer_clears_outstanding_ping);
	tcase_add_test(heartbeat, answer_in_the_same_millisecond_counts);
	tcase_add_test(heartbeat, clock_before_check_time_is_harmless);
	suite_add_tcase(s, heartbeat);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(policy_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
