// SPDX-License-Identifier: MIT
/*
 * The campaign runner's pure parts: classifying a run, its CSV form, a
 * device client's reads around an injection, the report (rows,
 * intervals, plots) and the throughput timeline, against values worked
 * out by hand.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reads.h"
#include "report.h"
#include "run.h"
#include "timeline.h"

/* A healthy run: injected, nothing happened, the client went on. */
static struct run quiet_run(void)
{
	struct run r = {
		.inject_status = 0, .exit_code = -1, .recovery_us = -1,
		.client_ok = 10, .rs_up = true, .module_up = true,
		.ds_up = true, .faults = 1, .activated = -1,
	};

	strcpy(r.target, "hello");
	strcpy(r.type, "nop");
	strcpy(r.location, "-");
	return r;
}

START_TEST(classify_each_class)
{
	struct run r = quiet_run();

	ck_assert_int_eq(run_classify(&r), RUN_NOT_MANIFESTED);
	r.client_ok = 0;	/* no answer after the injection */
	ck_assert_int_eq(run_classify(&r), RUN_CLIENT_FAILURE);
	r = quiet_run();
	r.client_wrong = 1;
	ck_assert_int_eq(run_classify(&r), RUN_CLIENT_FAILURE);
	r = quiet_run();
	r.died = true;
	r.signal = 11;
	ck_assert_int_eq(run_classify(&r), RUN_NOT_RECOVERED);
	r.recovered = true;
	ck_assert_int_eq(run_classify(&r), RUN_CRASH_RECOVERED);
	/* Client errors during a recovered crash do not change the class. */
	r.client_failed = 3;
	ck_assert_int_eq(run_classify(&r), RUN_CRASH_RECOVERED);
	r.signal = 9;		/* RS's kill for a missed heartbeat */
	ck_assert_int_eq(run_classify(&r), RUN_HANG_RECOVERED);
	r.signal = 0;
	r.exit_code = 1;	/* exited by itself */
	ck_assert_int_eq(run_classify(&r), RUN_CRASH_RECOVERED);
	r.ds_up = false;	/* worse than anything the target did */
	ck_assert_int_eq(run_classify(&r), RUN_OS_FAILURE);
	r = quiet_run();
	r.module_up = false;
	ck_assert_int_eq(run_classify(&r), RUN_OS_FAILURE);
	r.inject_status = 4;	/* nothing injected: nothing else counts */
	ck_assert_int_eq(run_classify(&r), RUN_NOT_INJECTED);
}
END_TEST

START_TEST(class_names_round_trip)
{
	for (int c = 0; c < RUN_CLASSES; c++)
		ck_assert_int_eq(run_class_from_name(run_class_name(c)), c);
	ck_assert_int_eq(run_class_from_name("crashed"), -1);
	ck_assert_ptr_null(run_class_name(RUN_CLASSES));
	ck_assert(!run_class_manifested(RUN_NOT_MANIFESTED));
	ck_assert(!run_class_manifested(RUN_NOT_INJECTED));
	ck_assert(run_class_manifested(RUN_CLIENT_FAILURE));
	ck_assert(run_class_recovered(RUN_HANG_RECOVERED));
	ck_assert(!run_class_recovered(RUN_NOT_RECOVERED));
}
END_TEST

START_TEST(csv_round_trip)
{
	struct run r = quiet_run(), back;
	char line[1024];
	int column;

	r.index = 41;
	r.seed = 18446744073709551615ULL;
	r.died = true;
	r.signal = 11;
	r.recovered = true;
	r.recovery_us = 123456;
	r.max_stall_us = 99;
	run_set_text(r.location, "sef_receive+0x1c");
	r.class = run_classify(&r);
	ck_assert_int_eq(run_format_csv(&r, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "41,hello,nop,18446744073709551615,1,0,"
			 "sef_receive+0x1c,1,11,-1,1,123456,10,0,0,0,99,1,1,1,"
			 "crash-recovered,-1");
	ck_assert_int_eq(run_parse_csv(line, &back, &column), 0);
	r.activated = -1;
	ck_assert_int_eq(memcmp(&r, &back, sizeof(r)), 0);
	r.activated = 2;
	ck_assert_int_eq(run_format_csv(&r, line, sizeof(line)), 0);
	ck_assert_int_eq(run_parse_csv(line, &back, &column), 0);
	ck_assert_int_eq(back.activated, 2);
	/* The header has as many columns as a line. */
	ck_assert_int_eq(run_parse_csv(run_csv_header, &back, &column), EINVAL);
	ck_assert_int_eq(column, 1);
	ck_assert_int_eq(run_format_csv(&r, line, 20), ENOSPC);
}
END_TEST

START_TEST(csv_refuses_bad_lines)
{
	struct run r;
	int column;
	const char *good = "1,t,nop,7,1,0,-,0,0,-1,0,-1,5,0,0,0,9,1,1,1,"
			   "not-manifested,3\n";
	/* Older files: no activated column, read as not watched. */
	const char *old = "1,t,nop,7,1,0,-,0,0,-1,0,-1,5,0,0,0,9,1,1,1,"
			  "not-manifested\n";

	ck_assert_int_eq(run_parse_csv(good, &r, &column), 0);
	ck_assert_int_eq(r.client_ok, 5);
	ck_assert_int_eq(r.activated, 3);
	ck_assert_int_eq(run_parse_csv(old, &r, &column), 0);
	ck_assert_int_eq(r.activated, -1);
	ck_assert_int_eq(run_parse_csv("1,t,nop,7,1,0,-,0,0,-1,0,-1,5,0,0,0,9,"
				       "1,1,1,not-manifested,-2", &r, &column), EINVAL);
	ck_assert_int_eq(column, 22);
	ck_assert_int_eq(run_parse_csv("1,t,nop", &r, &column), EINVAL);
	ck_assert_int_eq(column, 0);
	ck_assert_int_eq(run_parse_csv("1,t,nop,7,1,0,-,2,0,-1,0,-1,5,0,0,0,9,"
				       "1,1,1,not-manifested", &r, &column), EINVAL);
	ck_assert_int_eq(column, 8);	/* died is 0 or 1 */
	ck_assert_int_eq(run_parse_csv("1,t,nop,7,1,0,-,0,0,-1,0,-1,5,0,0,0,9,"
				       "1,1,1,fine", &r, &column), EINVAL);
	ck_assert_int_eq(column, 21);
	ck_assert_int_eq(run_parse_csv("1,t,nop,7,1,0,-,0,0,-1,0,-1,-5,0,0,0,9,"
				       "1,1,1,not-manifested", &r, &column), EINVAL);
	ck_assert_int_eq(column, 13);
	ck_assert_int_eq(run_parse_csv(",t,nop,7,1,0,-,0,0,-1,0,-1,5,0,0,0,9,"
				       "1,1,1,not-manifested,1,x", &r, &column), EINVAL);
}
END_TEST

START_TEST(set_text_keeps_csv_whole)
{
	char field[RUN_TEXT_MAX];

	run_set_text(field, "a,b\"c\nd");
	ck_assert_str_eq(field, "a_b_c_d");
	run_set_text(field, "");
	ck_assert_str_eq(field, "-");
}
END_TEST

/*
 * Reads at (start, end), injection at 100, death at 150:
 *   (10,20) ok  (30,40) ok  (90,105) ok  (110,130) failed
 *   (140,145) wrong  (160,200) ok  (205,210) ok
 * After the injection (end >= 100): ok 3, failed 1, wrong 1. Stretches
 * without a good read ending after 100: 40->105 = 65, 105->200 = 95,
 * 200->210 = 10: max 95. Serving: the first good read starting at or
 * after 150 ends at 200: 200 - 100 = 100.
 */
START_TEST(reads_hand_computed)
{
	const struct read_record r[] = {
		{ 10, 20, READ_OK }, { 30, 40, READ_OK }, { 90, 105, READ_OK },
		{ 110, 130, READ_FAILED }, { 140, 145, READ_WRONG },
		{ 160, 200, READ_OK }, { 205, 210, READ_OK },
	};
	struct reads_summary s;

	reads_summarize(r, 7, 100, 150, &s);
	ck_assert_int_eq(s.ok, 3);
	ck_assert_int_eq(s.failed, 1);
	ck_assert_int_eq(s.wrong, 1);
	ck_assert_int_eq(s.max_stall_us, 95);
	ck_assert_int_eq(s.serving_us, 100);
	/* No death: no serving time. */
	reads_summarize(r, 7, 100, 0, &s);
	ck_assert_int_eq(s.serving_us, -1);
	/* Never good again after 100: the open stretch from 105 to the last
	 * record's end (145) counts; no serving. */
	reads_summarize(r, 5, 100, 150, &s);
	ck_assert_int_eq(s.ok, 1);
	ck_assert_int_eq(s.max_stall_us, 65);
	reads_summarize(r + 3, 2, 100, 150, &s);
	ck_assert_int_eq(s.ok, 0);
	ck_assert_int_eq(s.max_stall_us, 35);	/* 110 -> 145 */
	ck_assert_int_eq(s.serving_us, -1);
	reads_summarize(r, 0, 100, 150, &s);
	ck_assert_int_eq(s.ok + s.failed + s.max_stall_us, 0);
}
END_TEST

/* 4 hello/nop runs: 2 not manifested, 1 crash recovered in 10 ms, 1 hang
 * recovered in 30 ms; 1 hello/stop run not injected, 1 crash recovered in
 * 20 ms with 2 client errors; 1 testsvc/nop run not recovered. */
static size_t sample_runs(struct run *runs)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++)
		runs[n++] = quiet_run();
	runs[0].activated = 0;	/* watched, not reached */
	runs[2].activated = 1;
	runs[2].died = runs[3].died = true;
	runs[2].recovered = runs[3].recovered = true;
	runs[2].signal = 11;
	runs[2].recovery_us = 10000;
	runs[3].signal = 9;
	runs[3].recovery_us = 30000;
	runs[n] = quiet_run();
	strcpy(runs[n].type, "stop");
	runs[n++].inject_status = 4;
	runs[n] = quiet_run();
	strcpy(runs[n].type, "stop");
	runs[n].died = runs[n].recovered = true;
	runs[n].signal = 5;
	runs[n].client_failed = 2;
	runs[n++].recovery_us = 20000;
	runs[n] = quiet_run();
	strcpy(runs[n].target, "testsvc");
	runs[n++].died = true;
	for (size_t i = 0; i < n; i++)
		runs[i].class = run_classify(&runs[i]);
	return n;
}

START_TEST(report_rows_hand_computed)
{
	struct run runs[8];
	struct report rep;
	size_t n = sample_runs(runs);

	ck_assert_int_eq(report_build(runs, n, &rep), 0);
	/* hello/nop, hello/stop, hello/all, testsvc/nop, testsvc/all */
	ck_assert_int_eq(rep.count, 5);
	ck_assert_str_eq(rep.rows[0].type, "nop");
	ck_assert_str_eq(rep.rows[1].type, "stop");
	ck_assert_str_eq(rep.rows[2].type, "all");
	ck_assert_str_eq(rep.rows[3].target, "testsvc");
	ck_assert_str_eq(rep.rows[4].type, "all");

	const struct report_row *nop = &rep.rows[0], *all = &rep.rows[2];
	ck_assert_int_eq(nop->runs, 4);
	ck_assert_int_eq(nop->injected, 4);
	ck_assert_int_eq(nop->manifested, 2);
	ck_assert_int_eq(nop->watched, 2);
	ck_assert_int_eq(nop->activated, 1);
	ck_assert_int_eq(nop->recovered, 2);
	ck_assert_int_eq(nop->count[RUN_HANG_RECOVERED], 1);
	ck_assert_int_eq(nop->latencies, 2);
	/* Median of 10 and 30 ms: 20; p99: 10 + 0.99 * 20 = 29.8. */
	ck_assert_double_eq_tol(nop->median_ms, 20.0, 1e-9);
	ck_assert_double_eq_tol(nop->p99_ms, 29.8, 1e-9);
	ck_assert(nop->median_ci.low >= 10.0 && nop->median_ci.high <= 30.0);
	/* 2/4 manifested: centre 0.5, half = z sqrt(0.0625 + 0.060023) /
	 * 1.960365 = 0.349961: Wilson [0.150039, 0.849961]. */
	ck_assert(nop->have_manifested_ci);
	ck_assert_double_eq_tol(nop->manifested_ci.low, 0.150039, 1e-5);
	ck_assert_double_eq_tol(nop->manifested_ci.high, 0.849961, 1e-5);

	ck_assert_int_eq(all->runs, 6);
	ck_assert_int_eq(all->injected, 5);
	ck_assert_int_eq(all->manifested, 3);
	ck_assert_int_eq(all->recovered, 3);
	ck_assert_int_eq(all->latencies, 3);
	ck_assert_double_eq_tol(all->median_ms, 20.0, 1e-9);
	ck_assert_int_eq(all->client_errors, 2);
	ck_assert_int_eq(all->client_error_runs, 1);

	const struct report_row *ts = &rep.rows[3];
	ck_assert_int_eq(ts->count[RUN_NOT_RECOVERED], 1);
	ck_assert_int_eq(ts->recovered, 0);
	ck_assert_int_eq(ts->latencies, 0);
	ck_assert(ts->have_recovered_ci);	/* 0 of 1 */
	ck_assert_double_eq_tol(ts->recovered_ci.low, 0.0, 1e-9);
	report_free(&rep);
}
END_TEST

static char *read_stream(FILE *f)
{
	long len;
	char *text;

	fflush(f);
	len = ftell(f);
	text = calloc(1, (size_t)len + 1);
	rewind(f);
	ck_assert_int_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	return text;
}

START_TEST(report_table_and_plots)
{
	struct run runs[8];
	struct report rep;
	size_t n = sample_runs(runs);
	FILE *table = tmpfile(), *outcomes = tmpfile(), *recovery = tmpfile(),
	     *script = tmpfile(), *csv = tmpfile();

	ck_assert_int_eq(report_build(runs, n, &rep), 0);
	report_print_table(&rep, table);
	report_print_csv(&rep, csv);
	ck_assert_int_eq(report_write_plots(&rep, outcomes, recovery, script), 2);
	char *t = read_stream(table), *o = read_stream(outcomes),
	     *r = read_stream(recovery), *s = read_stream(script),
	     *c = read_stream(csv);

	ck_assert_ptr_nonnull(strstr(t, "hello    nop           4      4 "
				     "      1/2 50.0% [15.0-85.0]"));
	ck_assert_ptr_nonnull(strstr(t, "hello    stop          2      1 "
				     "        - "));
	ck_assert_ptr_nonnull(strstr(t, "20.0 ["));
	/* testsvc has no recovery time: a dash, not a number. */
	ck_assert_ptr_nonnull(strstr(t, "testsvc  nop"));
	/* One bar per type row, none for the totals; percentages of the
	 * injected runs. */
	ck_assert_ptr_nonnull(strstr(o, "\"hello/nop\" 50.000 25.000 25.000 "
				     "0.000 0.000 0.000\n"));
	ck_assert_ptr_nonnull(strstr(o, "\"testsvc/nop\" 0.000 0.000 0.000 "
				     "0.000 100.000 0.000\n"));
	ck_assert_ptr_null(strstr(o, "/all"));
	/* Two series with recovery times (hello/nop, hello/stop). */
	ck_assert_ptr_nonnull(strstr(r, "# hello/nop\n10.000 0.000000\n"
				     "10.000 0.500000\n30.000 0.500000\n"
				     "30.000 1.000000\n"));
	ck_assert_ptr_nonnull(strstr(r, "\n\n\n# hello/stop\n20.000 0.000000\n"
				     "20.000 1.000000\n"));
	/* Every range explicit: 10 to 30 ms is linear, x up to 1.1 times
	 * the largest time. */
	ck_assert_ptr_nonnull(strstr(s, "set yrange [0:100]"));
	ck_assert_ptr_nonnull(strstr(s, "set xrange [0:33.000]"));
	ck_assert_ptr_null(strstr(s, "logscale"));
	ck_assert_ptr_nonnull(strstr(s, "index 1 using 1:2"));
	ck_assert_ptr_null(strstr(s, "index 2"));
	ck_assert_ptr_nonnull(strstr(c, "\nhello,all,6,5,5,2,1,3,"));
	free(t); free(o); free(r); free(s); free(c);
	fclose(table); fclose(outcomes); fclose(recovery); fclose(script);
	fclose(csv);
	report_free(&rep);
}
END_TEST

/* Recovery times over orders of magnitude: a log axis from 2/3 of the
 * least to 1.5 times the largest. */
START_TEST(report_log_axis)
{
	struct run runs[2] = { quiet_run(), quiet_run() };
	struct report rep;
	FILE *o = tmpfile(), *r = tmpfile(), *s = tmpfile();

	for (int i = 0; i < 2; i++) {
		runs[i].died = runs[i].recovered = true;
		runs[i].signal = 11;
		runs[i].recovery_us = i ? 900000 : 3000;
		runs[i].class = run_classify(&runs[i]);
	}
	ck_assert_int_eq(report_build(runs, 2, &rep), 0);
	ck_assert_int_eq(report_write_plots(&rep, o, r, s), 2);
	char *script = read_stream(s);
	ck_assert_ptr_nonnull(strstr(script, "set logscale x\n"));
	ck_assert_ptr_nonnull(strstr(script, "set xrange [2.000:1350.000]"));
	free(script);
	report_free(&rep);
	fclose(o); fclose(r); fclose(s);
}
END_TEST

/* More than REPORT_MAX_SERIES types with recovery times: the recovery
 * plot shows the target's total only, with every time in it. */
START_TEST(report_many_types_plot_totals)
{
	struct run runs[REPORT_MAX_SERIES + 1];
	struct report rep;
	FILE *o = tmpfile(), *r = tmpfile(), *s = tmpfile();

	for (int i = 0; i <= REPORT_MAX_SERIES; i++) {
		runs[i] = quiet_run();
		snprintf(runs[i].type, sizeof(runs[i].type), "t%d", i);
		runs[i].died = runs[i].recovered = true;
		runs[i].signal = 11;
		runs[i].recovery_us = 1000 * (i + 1);
		runs[i].class = run_classify(&runs[i]);
	}
	ck_assert_int_eq(report_build(runs, REPORT_MAX_SERIES + 1, &rep), 0);
	ck_assert_int_eq(report_write_plots(&rep, o, r, s), 2);
	char *script = read_stream(s), *data = read_stream(r);
	ck_assert_ptr_nonnull(strstr(script, "index 0 using 1:2 with lines lw 2 "
				     "title 'hello/all'"));
	ck_assert_ptr_null(strstr(script, "index 1"));
	ck_assert_ptr_nonnull(strstr(data, "# hello/all\n1.000 0.000000\n"));
	ck_assert_ptr_nonnull(strstr(data, "7.000 1.000000\n"));
	free(script);
	free(data);
	report_free(&rep);
	fclose(o); fclose(r); fclose(s);
}
END_TEST

/* Nothing recovered: only the outcome plot; no runs at all: no plot. */
START_TEST(report_without_recoveries)
{
	struct run runs[2] = { quiet_run(), quiet_run() };
	struct report rep;
	FILE *o = tmpfile(), *r = tmpfile(), *s = tmpfile();

	runs[0].class = run_classify(&runs[0]);
	runs[1].class = run_classify(&runs[1]);
	ck_assert_int_eq(report_build(runs, 2, &rep), 0);
	ck_assert_int_eq(report_write_plots(&rep, o, r, s), 1);
	char *script = read_stream(s);
	ck_assert_ptr_null(strstr(script, "recovery.svg"));
	free(script);
	report_free(&rep);
	ck_assert_int_eq(report_build(runs, 0, &rep), 0);
	ck_assert_int_eq(rep.count, 0);
	ck_assert_int_eq(report_write_plots(&rep, o, r, s), 0);
	report_free(&rep);
	fclose(o); fclose(r); fclose(s);
}
END_TEST

START_TEST(progress_fields)
{
	uint64_t v = 0;

	ck_assert(timeline_progress_field("12 0 345\n", "1", &v));
	ck_assert_uint_eq(v, 12);
	ck_assert(timeline_progress_field("12 0 345\n", "3", &v));
	ck_assert_uint_eq(v, 345);
	ck_assert(!timeline_progress_field("12 0 345\n", "4", &v));
	ck_assert(!timeline_progress_field("12x 0\n", "1", &v));
	ck_assert(timeline_progress_field("pid=7\nanswered=99\nerrors=0\n",
					  "answered", &v));
	ck_assert_uint_eq(v, 99);
	ck_assert(!timeline_progress_field("answered_x=5\n", "answered", &v));
	ck_assert(!timeline_progress_field("answered=\n", "answered", &v));
	ck_assert(!timeline_progress_field("", "1", &v));
	ck_assert(!timeline_progress_field("5", "", &v));
}
END_TEST

START_TEST(timeline_rates_and_marks)
{
	FILE *samples = tmpfile(), *marks = tmpfile(), *dat = tmpfile(),
	     *script = tmpfile();
	char *d, *g;

	/* Run 0: 100 answers in 0.1 s, then 0 (the crash); run 1 (its
	 * samples given out of order) 50 in 0.5 s. The first sample is
	 * time 0. */
	fputs("1000000 0 10\n1100000 0 110\n1200000 0 110\n"
	      "garbage\n2500000 1 70\n2000000 1 20\n", samples);
	fputs("1150000 0 nop\n2100000 1 dst\n500000 9 early\n", marks);
	rewind(samples);
	rewind(marks);
	ck_assert_uint_eq(timeline_write(samples, marks, dat, script), 3);
	d = read_stream(dat);
	g = read_stream(script);
	ck_assert_str_eq(d, "0.100 1000.0\n0.200 0.0\n\n1.500 100.0\n");
	ck_assert_ptr_nonnull(strstr(g, "set output 'throughput.svg'"));
	ck_assert_ptr_nonnull(strstr(g, "set arrow from 0.150, graph 0"));
	ck_assert_ptr_nonnull(strstr(g, "set arrow from 1.100, graph 0"));
	/* A mark before the first sample is off the axis: left out. */
	ck_assert_ptr_null(strstr(g, "set arrow from -"));
	free(d);
	free(g);
	fclose(dat);
	fclose(script);

	/* No samples, or one per run: no rate, no plot. */
	dat = tmpfile();
	script = tmpfile();
	rewind(samples);
	fclose(samples);
	samples = tmpfile();
	fputs("1000 0 5\n2000 1 6\n", samples);
	rewind(samples);
	ck_assert_uint_eq(timeline_write(samples, NULL, dat, script), 0);
	ck_assert_uint_eq(timeline_write(NULL, marks, dat, script), 0);
	g = read_stream(script);
	ck_assert_str_eq(g, "");
	free(g);
	fclose(samples); fclose(marks); fclose(dat); fclose(script);
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("campaign_run");
	TCase *tc = tcase_create("run");

	tcase_add_test(tc, classify_each_class);
	tcase_add_test(tc, class_names_round_trip);
	tcase_add_test(tc, csv_round_trip);
	tcase_add_test(tc, csv_refuses_bad_lines);
	tcase_add_test(tc, set_text_keeps_csv_whole);
	tcase_add_test(tc, reads_hand_computed);
	tcase_add_test(tc, report_rows_hand_computed);
	tcase_add_test(tc, report_table_and_plots);
	tcase_add_test(tc, report_without_recoveries);
	tcase_add_test(tc, report_log_axis);
	tcase_add_test(tc, report_many_types_plot_totals);
	tcase_add_test(tc, progress_fields);
	tcase_add_test(tc, timeline_rates_and_marks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(run_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
