// SPDX-License-Identifier: MIT
/*
 * Campaign statistics (tools/campaign/stats.c) against values worked out
 * by hand from the formulas, written out below each case.
 */
#include <check.h>
#include <errno.h>

#include "stats.h"

#define CLOSE	1e-6

/*
 * Wilson: with z = 1.959964, z^2 = 3.841459,
 *   centre = (p + z^2/2n) / (1 + z^2/n)
 *   half   = z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
 */
START_TEST(wilson_hand_computed)
{
	struct interval i;

	/* 0/10: centre = 0.192073/1.384146 = 0.138766, half = z *
	 * sqrt(0.0096036)/1.384146 = 0.138766: [0, 0.277533]. */
	ck_assert_int_eq(stats_wilson(0, 10, STATS_Z_95, &i), 0);
	ck_assert_double_eq_tol(i.low, 0.0, CLOSE);
	ck_assert_double_eq_tol(i.high, 0.277533, CLOSE);
	/* 5/10: centre 0.5, half = z sqrt(0.025 + 0.0096036)/1.384146 =
	 * 0.263407: [0.236593, 0.763407]. */
	ck_assert_int_eq(stats_wilson(5, 10, STATS_Z_95, &i), 0);
	ck_assert_double_eq_tol(i.low, 0.236593, CLOSE);
	ck_assert_double_eq_tol(i.high, 0.763407, CLOSE);
	/* 10/10: the mirror of 0/10: [0.722467, 1]. */
	ck_assert_int_eq(stats_wilson(10, 10, STATS_Z_95, &i), 0);
	ck_assert_double_eq_tol(i.low, 0.722467, CLOSE);
	ck_assert_double_eq_tol(i.high, 1.0, CLOSE);
	/* 81/263: p = 0.307985, centre = 0.315288/1.014606 = 0.310749,
	 * half = 0.055460:
	 * [0.255289, 0.366210]. */
	ck_assert_int_eq(stats_wilson(81, 263, STATS_Z_95, &i), 0);
	ck_assert_double_eq_tol(i.low, 0.255289, CLOSE);
	ck_assert_double_eq_tol(i.high, 0.366210, CLOSE);
	/* 1/1000, a rare outcome: [0.000177, 0.005643]. */
	ck_assert_int_eq(stats_wilson(1, 1000, STATS_Z_95, &i), 0);
	ck_assert_double_eq_tol(i.low, 0.000177, CLOSE);
	ck_assert_double_eq_tol(i.high, 0.005643, CLOSE);
}
END_TEST

START_TEST(wilson_refuses_nonsense)
{
	struct interval i;

	ck_assert_int_eq(stats_wilson(0, 0, STATS_Z_95, &i), EINVAL);
	ck_assert_int_eq(stats_wilson(11, 10, STATS_Z_95, &i), EINVAL);
}
END_TEST

START_TEST(percentiles_hand_computed)
{
	double one_to_ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double single[] = { 42 };

	stats_sort(one_to_ten, 10);
	ck_assert_double_eq(one_to_ten[0], 1);
	ck_assert_double_eq(one_to_ten[9], 10);
	/* h = 9 * 0.5 = 4.5: x[4] + 0.5 (x[5] - x[4]) = 5 + 0.5 = 5.5. */
	ck_assert_double_eq_tol(stats_median(one_to_ten, 10), 5.5, CLOSE);
	/* h = 9 * 0.99 = 8.91: 9 + 0.91 * (10 - 9) = 9.91. */
	ck_assert_double_eq_tol(stats_percentile(one_to_ten, 10, 0.99), 9.91, CLOSE);
	/* h = 9 * 0.9 = 8.1: 9 + 0.1 = 9.1. */
	ck_assert_double_eq_tol(stats_percentile(one_to_ten, 10, 0.9), 9.1, CLOSE);
	ck_assert_double_eq(stats_percentile(one_to_ten, 10, 0.0), 1);
	ck_assert_double_eq(stats_percentile(one_to_ten, 10, 1.0), 10);
	/* An odd count has a middle value. */
	ck_assert_double_eq(stats_median(one_to_ten, 9), 5);
	ck_assert_double_eq(stats_median(single, 1), 42);
	ck_assert_double_eq(stats_percentile(single, 1, 0.99), 42);
}
END_TEST

START_TEST(bootstrap_hand_computed)
{
	double constant[] = { 4, 4, 4, 4 };
	double two[] = { 0, 1 };
	struct interval i;

	/* Every resample of a constant sample has that median. */
	ck_assert_int_eq(stats_bootstrap_percentile(constant, 4, 0.5, 1000, 0.95,
						    1, &i), 0);
	ck_assert_double_eq(i.low, 4);
	ck_assert_double_eq(i.high, 4);
	/* Resamples of {0, 1}: {0,0} (median 0) a quarter of the time,
	 * {0,1} (0.5) half, {1,1} (1) a quarter. The 2.5 % and 97.5 %
	 * quantiles of 2000 such medians are 0 and 1. */
	ck_assert_int_eq(stats_bootstrap_percentile(two, 2, 0.5, 2000, 0.95, 7,
						    &i), 0);
	ck_assert_double_eq(i.low, 0);
	ck_assert_double_eq(i.high, 1);
	/* A 0 % interval of the same is the median of the medians: 0.5. */
	ck_assert_int_eq(stats_bootstrap_percentile(two, 2, 0.5, 2001, 0.0, 7,
						    &i), 0);
	ck_assert_double_eq(i.low, 0.5);
	ck_assert_double_eq(i.high, 0.5);
}
END_TEST

START_TEST(bootstrap_is_reproducible_and_sane)
{
	double values[100], copy[100];
	struct interval a, b, p99;

	for (int k = 0; k < 100; k++)
		values[k] = copy[k] = (double)((k * 37) % 100 + 1);	/* 1..100 shuffled */
	ck_assert_int_eq(stats_bootstrap_percentile(values, 100, 0.5, 500, 0.95,
						    11, &a), 0);
	ck_assert_int_eq(stats_bootstrap_percentile(values, 100, 0.5, 500, 0.95,
						    11, &b), 0);
	ck_assert_double_eq(a.low, b.low);
	ck_assert_double_eq(a.high, b.high);
	ck_assert_mem_eq(values, copy, sizeof(values));	/* input untouched */
	/* The sample median 50.5 lies inside; the interval inside the data. */
	ck_assert(a.low <= 50.5 && 50.5 <= a.high);
	ck_assert(a.low >= 1 && a.high <= 100 && a.low < a.high);
	ck_assert_int_eq(stats_bootstrap_percentile(values, 100, 0.99, 500, 0.95,
						    11, &p99), 0);
	ck_assert(p99.low >= a.high && p99.high <= 100);
}
END_TEST

START_TEST(bootstrap_refuses_nonsense)
{
	double one[] = { 1 };
	struct interval i;

	ck_assert_int_eq(stats_bootstrap_percentile(one, 0, 0.5, 10, 0.95, 1, &i), EINVAL);
	ck_assert_int_eq(stats_bootstrap_percentile(one, 1, 0.5, 0, 0.95, 1, &i), EINVAL);
	ck_assert_int_eq(stats_bootstrap_percentile(one, 1, 1.5, 10, 0.95, 1, &i), EINVAL);
	ck_assert_int_eq(stats_bootstrap_percentile(one, 1, 0.5, 10, -0.1, 1, &i), EINVAL);
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("campaign_stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, wilson_hand_computed);
	tcase_add_test(tc, wilson_refuses_nonsense);
	tcase_add_test(tc, percentiles_hand_computed);
	tcase_add_test(tc, bootstrap_hand_computed);
	tcase_add_test(tc, bootstrap_is_reproducible_and_sane);
	tcase_add_test(tc, bootstrap_refuses_nonsense);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(stats_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
