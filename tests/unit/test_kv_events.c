/* SPDX-License-Identifier: MIT */
/* kv-load's per-event accounting: windows, medians, the report fields. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "events.h"

static struct kv_events ev;

START_TEST(no_event_is_all_window_zero)
{
	char buf[512];

	kv_events_init(&ev);
	kv_events_answer(&ev, 100, 40);
	kv_events_answer(&ev, 200, 70);
	kv_events_retry(&ev, 150);
	ck_assert_int_eq(ev.w[0].max_stall, 70);
	ck_assert_uint_eq(ev.w[0].answered, 2);
	ck_assert_uint_eq(ev.w[0].retried, 1);
	ck_assert_int_eq(kv_events_median(&ev, KV_STALL), 0);
	ck_assert_int_eq(kv_events_max(&ev, KV_STALL), 0);
	kv_events_format(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, " events=0 stall_median_us=0 stall_max_us=0 "
			 "stall_before_us=70 stall_between_us=0 "
			 "blackout_median_us=0 blackout_max_us=0 "
			 "blackout_before_us=100 "
			 "event_stalls_us=- event_blackouts_us=- "
			 "event_retried=- event_conns_lost=-");
}
END_TEST

START_TEST(each_event_gets_what_follows_it)
{
	char buf[512];

	kv_events_init(&ev);
	kv_events_answer(&ev, 50, 10);		/* before: the noise */
	ck_assert_int_eq(kv_events_mark(&ev, 1000), 0);
	kv_events_conn_lost(&ev, 1000);		/* at the mark: after it */
	kv_events_answer(&ev, 1500, 400);
	kv_events_answer(&ev, 1600, 30);
	ck_assert_int_eq(kv_events_mark(&ev, 2000), 0);
	kv_events_retry(&ev, 2100);
	kv_events_answer(&ev, 2500, 900);
	ck_assert_int_eq(kv_events_mark(&ev, 3000), 0);
	kv_events_answer(&ev, 3100, 100);
	/* A time before the last mark still lands in its own window. */
	kv_events_answer(&ev, 1999, 450);
	ck_assert_int_eq(ev.w[1].max_stall, 450);
	ck_assert_uint_eq(ev.w[1].conns_lost, 1);
	/* Stalls 450, 900, 100: median 450, max 900. */
	ck_assert_int_eq(kv_events_median(&ev, KV_STALL), 450);
	ck_assert_int_eq(kv_events_max(&ev, KV_STALL), 900);
	kv_events_format(&ev, buf, sizeof(buf));
	/* Blackouts: 50 -> 1500, 1600 -> 2500, 2500 -> 3100; the late
	 * answer at 1999 ends none. */
	ck_assert_int_eq(kv_events_median(&ev, KV_BLACKOUT), 900);
	ck_assert_int_eq(kv_events_max(&ev, KV_BLACKOUT), 1450);
	ck_assert_str_eq(buf, " events=3 stall_median_us=450 stall_max_us=900 "
			 "stall_before_us=10 stall_between_us=0 "
			 "blackout_median_us=900 blackout_max_us=1450 "
			 "blackout_before_us=0 "
			 "event_stalls_us=450,900,100 "
			 "event_blackouts_us=1450,900,600 "
			 "event_retried=0,1,0 event_conns_lost=1,0,0");
}
END_TEST

START_TEST(a_closed_window_leaves_the_rest_between)
{
	char buf[512];

	kv_events_init(&ev);
	ck_assert_int_eq(kv_events_close(&ev, 10), -1);	/* nothing open */
	ck_assert_int_eq(kv_events_mark(&ev, 1000), 0);
	ck_assert_int_eq(kv_events_close(&ev, 999), -1);	/* before it */
	kv_events_answer(&ev, 1200, 300);
	ck_assert_int_eq(kv_events_close(&ev, 1500), 0);
	ck_assert_int_eq(kv_events_close(&ev, 1600), -1);	/* closed */
	/* The checking after the event: not the event's. */
	kv_events_answer(&ev, 1500, 700);
	kv_events_retry(&ev, 1700);
	/* Answered just before the close: still the event's. */
	kv_events_answer(&ev, 1499, 350);
	ck_assert_int_eq(kv_events_mark(&ev, 2000), 0);
	kv_events_answer(&ev, 2100, 80);			/* open: its own */
	ck_assert_int_eq(ev.w[1].max_stall, 350);
	ck_assert_uint_eq(ev.w[1].answered, 2);
	ck_assert_int_eq(ev.between.max_stall, 700);
	ck_assert_uint_eq(ev.between.retried, 1);
	ck_assert_int_eq(ev.w[2].max_stall, 80);
	ck_assert_int_eq(kv_events_max(&ev, KV_STALL), 350);
	kv_events_format(&ev, buf, sizeof(buf));
	ck_assert_int_eq(ev.between.max_blackout, 300);
	ck_assert_str_eq(buf, " events=2 stall_median_us=80 stall_max_us=350 "
			 "stall_before_us=0 stall_between_us=700 "
			 "blackout_median_us=0 blackout_max_us=600 "
			 "blackout_before_us=0 "
			 "event_stalls_us=350,80 event_blackouts_us=0,600 "
			 "event_retried=0,0 event_conns_lost=0,0");
}
END_TEST

/*
 * Many connections: one slow request in quiet times is a long stall but
 * no blackout, as the others keep being answered; a crash stops them all,
 * and its blackout runs from the last answer before it to the first
 * after.
 */
START_TEST(a_blackout_is_time_with_no_answer_at_all)
{
	kv_events_init(&ev);
	for (long long t = 10; t <= 990; t += 10)
		kv_events_answer(&ev, t, t == 500 ? 400 : 10);
	ck_assert_int_eq(ev.w[0].max_stall, 400);
	ck_assert_int_eq(ev.w[0].max_blackout, 10);
	ck_assert_int_eq(kv_events_mark(&ev, 995), 0);
	kv_events_answer(&ev, 1800, 820);	/* sent at 980, before the crash */
	for (long long t = 1810; t <= 2000; t += 10)
		kv_events_answer(&ev, t, 10);
	ck_assert_int_eq(ev.w[1].max_blackout, 1800 - 990);
	ck_assert_int_eq(ev.w[1].max_stall, 820);
}
END_TEST

START_TEST(even_count_takes_the_lower_median)
{
	kv_events_init(&ev);
	kv_events_mark(&ev, 10);
	kv_events_answer(&ev, 11, 5);
	kv_events_mark(&ev, 20);
	kv_events_answer(&ev, 21, 1);
	kv_events_mark(&ev, 30);
	kv_events_answer(&ev, 31, 9);
	kv_events_mark(&ev, 40);
	kv_events_answer(&ev, 41, 7);
	ck_assert_int_eq(kv_events_median(&ev, KV_STALL), 5);
}
END_TEST

START_TEST(marks_refused_out_of_order_or_full)
{
	char small[20];
	size_t want;

	kv_events_init(&ev);
	ck_assert_int_eq(kv_events_mark(&ev, 100), 0);
	ck_assert_int_eq(kv_events_mark(&ev, 99), -1);
	ck_assert_int_eq(kv_events_mark(&ev, 100), 0);
	for (size_t i = 2; i < KV_EVENTS_MAX; i++)
		ck_assert_int_eq(kv_events_mark(&ev, 100 + (long long)i), 0);
	ck_assert_int_eq(kv_events_mark(&ev, 1000000), -1);
	ck_assert_uint_eq(ev.n, KV_EVENTS_MAX);
	/* Cut, terminated, and the length it wanted told. */
	want = kv_events_format(&ev, small, sizeof(small));
	ck_assert_uint_gt(want, sizeof(small));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kv_events");
	TCase *tc = tcase_create("events");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, no_event_is_all_window_zero);
	tcase_add_test(tc, each_event_gets_what_follows_it);
	tcase_add_test(tc, a_closed_window_leaves_the_rest_between);
	tcase_add_test(tc, a_blackout_is_time_with_no_answer_at_all);
	tcase_add_test(tc, even_count_takes_the_lower_median);
	tcase_add_test(tc, marks_refused_out_of_order_or_full);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
