// SPDX-License-Identifier: MIT
/*
 * tools/campaign/collect, as make experiment runs it on a VM's console:
 * the CSV lines of each campaign into its runs.csv, and the runner's
 * timeline lines (mxsys-campaign run --emit) into one directory per
 * target with that target's runs, samples and injections, where the
 * report draws the throughput plot. It runs the script and the built
 * mxsys-campaign (CAMPAIGN_BIN), from the top of the tree.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scratch_dir.h"

static char dir[64];

static void setup(void)
{
	scratch_dir_create(dir, sizeof(dir), "collect");
}

static void teardown(void)
{
	scratch_dir_remove(dir);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* The file's text ("" when it is not there). */
static char *read_file(const char *name)
{
	static char text[8192];
	char path[160];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static int lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* collect on dir/console.log into dir/out, as make experiment runs it. */
static void run_collect(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "tools/campaign/collect %s/console.log %s/out %s >%s/log 2>&1",
		 dir, dir, CAMPAIGN_BIN, dir);
	ck_assert_msg(system(cmd) == 0, "collect failed: %s",
		      read_file("log"));
}

#define RUN_HELLO_0 "0,hello,nop,1,1,0,hello_read+0x10,1,11,-1,1,150000,90,0,0,0,200000,1,1,1,crash-recovered,1\n"
#define RUN_HELLO_1 "1,hello,nop,2,1,0,hello_read+0x20,0,0,-1,0,-1,95,0,0,0,30000,1,1,1,not-manifested,1\n"
#define RUN_KV_0 "0,kv,nop,1,1,0,kv_conn_step+0x8,0,0,-1,0,-1,900,0,0,0,40000,1,1,1,not-manifested,1\n"

START_TEST(timeline_per_target)
{
	char *t;

	write_file("console.log",
		   "CAMPAIGN golden " RUN_HELLO_0
		   "CAMPAIGN golden timeline hello sample 1000000 0 0\n"
		   "CAMPAIGN golden timeline hello sample 1100000 0 40\n"
		   "CAMPAIGN golden timeline hello inject 1150000 0 nop\n"
		   "CAMPAIGN golden timeline hello sample 1200000 0 40\n"
		   "[   12.345678] a kernel message\n"
		   "CAMPAIGN golden timeline hello sample 1300000 0\n"
		   "CAMPAIGN golden " RUN_HELLO_1
		   "CAMPAIGN golden timeline hello sample 2000000 1 0\n"
		   "CAMPAIGN golden timeline hello sample 2100000 1 30\n"
		   "CAMPAIGN golden timeline hello inject 2050000 1 nop\n"
		   "CAMPAIGN golden " RUN_KV_0
		   "CAMPAIGN golden timeline kv sample 3000000 0 0\n"
		   "CAMPAIGN golden timeline kv sample 3100000 0 500\n"
		   "CAMPAIGN golden timeline kv inject 3050000 0 nop\n");
	run_collect();

	/* The campaign's runs: three, no timeline line taken for one. */
	t = read_file("out/golden/runs.csv");
	ck_assert_int_eq(lines(t), 4);
	ck_assert_ptr_null(strstr(t, "timeline"));
	ck_assert_ptr_null(strstr(read_file("log"), "broken"));

	/* hello's timeline: its runs only, its whole samples and marks. */
	t = read_file("out/golden/timeline-hello/runs.csv");
	ck_assert_int_eq(lines(t), 3);
	ck_assert_ptr_null(strstr(t, ",kv,"));
	ck_assert_str_eq(read_file("out/golden/timeline-hello/throughput.log"),
			 "1000000 0 0\n1100000 0 40\n1200000 0 40\n"
			 "2000000 1 0\n2100000 1 30\n");
	ck_assert_str_eq(read_file("out/golden/timeline-hello/injections.log"),
			 "1150000 0 nop\n2050000 1 nop\n");
	/* The report's rates: 40 answers in 0.1 s, then none; 30 in 0.1 s. */
	ck_assert_str_eq(read_file("out/golden/timeline-hello/throughput.dat"),
			 "0.100 400.0\n0.200 0.0\n\n1.100 300.0\n");
	ck_assert_ptr_nonnull(strstr(read_file("out/golden/timeline-hello/plots.gp"),
				     "set output 'throughput.svg'"));

	t = read_file("out/golden/timeline-kv/injections.log");
	ck_assert_str_eq(t, "3050000 0 nop\n");
	ck_assert_int_eq(lines(read_file("out/golden/timeline-kv/runs.csv")), 2);
}
END_TEST

/* Without timeline lines (an older runner, no --emit samples): no directory. */
START_TEST(no_timeline_no_directory)
{
	write_file("console.log", "CAMPAIGN minix " RUN_KV_0);
	run_collect();
	ck_assert_int_eq(lines(read_file("out/minix/runs.csv")), 2);
	ck_assert_str_eq(read_file("out/minix/timeline-kv/runs.csv"), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("campaign_collect");
	TCase *tc = tcase_create("collect");
	SRunner *runner;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, timeline_per_target);
	tcase_add_test(tc, no_timeline_no_directory);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
