// SPDX-License-Identifier: MIT
/* mxsys-swifi's command line (tools/swifi/options.c). */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "options.h"

static struct swifi_options options;
static char err[256];

/* Parse a NULL-terminated list of arguments after the program name. */
#define PARSE(...) parse((char *[]){ "mxsys-swifi", __VA_ARGS__, NULL })

static int parse(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return options_parse(argc, argv, &options, err, sizeof(err));
}

START_TEST(defaults)
{
	ck_assert_int_eq(PARSE("--pid", "123"), 0);
	ck_assert_int_eq(options.pid, 123);
	ck_assert_int_eq(options.type, FAULT_RANDOM);
	ck_assert_uint_eq(options.count, 1);
	ck_assert(!options.seed_given && !options.dry_run && !options.json);
	ck_assert(!options.watch_activation);
}
END_TEST

START_TEST(every_option)
{
	ck_assert_int_eq(PARSE("-p", "7", "-t", "DST", "-s", "0x10", "-n", "4",
			       "-f", "sef_receive", "-f", "main", "-o", "libsef.so",
			       "-a", "250ms", "-j"), 0);
	ck_assert_int_eq(options.type, FAULT_DST);
	ck_assert(options.seed_given);
	ck_assert_uint_eq(options.seed, 16);
	ck_assert_uint_eq(options.count, 4);
	ck_assert_uint_eq(options.function_count, 2);
	ck_assert_str_eq(options.functions[1], "main");
	ck_assert_str_eq(options.object, "libsef.so");
	ck_assert_uint_eq(options.activation_ms, 250);
	ck_assert(options.json);

	ck_assert_int_eq(PARSE("--pid=8", "--type=reg", "--register=rip",
			       "--dry-run"), 0);
	ck_assert_str_eq(options.reg, "rip");
	ck_assert(options.dry_run);
	ck_assert_int_eq(PARSE("--pid", "8", "--type", "signal", "--signal", "BUS"), 0);
	ck_assert_int_eq(options.signal, SIGBUS);
	ck_assert_int_eq(PARSE("--pid", "8", "-t", "heap", "-r", "0x1000+0x100",
			       "-r", "0x4000-0x5000"), 0);
	ck_assert_uint_eq(options.range_count, 2);
	ck_assert_uint_eq(options.ranges[0].end, 0x1100);
	ck_assert_int_eq(PARSE("--help"), 0);
	ck_assert(options.help);
}
END_TEST

/* Each of these is refused with a message that names the problem. */
START_TEST(bad_command_lines)
{
	static const struct {
		char *argv[10];
		const char *says;
	} cases[] = {
		{ { "mxsys-swifi", "-t", "nop" }, "--pid" },
		{ { "mxsys-swifi", "-p", "0" }, "--pid" },
		{ { "mxsys-swifi", "-p", "-5" }, "--pid" },
		{ { "mxsys-swifi", "-p", "12x" }, "--pid" },
		{ { "mxsys-swifi", "-p", "1", "-t", "nops" }, "unknown fault type" },
		{ { "mxsys-swifi", "-p", "1", "-n", "0" }, "--count" },
		{ { "mxsys-swifi", "-p", "1", "-n", "1001" }, "--count" },
		{ { "mxsys-swifi", "-p", "1", "-s", "-1" }, "--seed" },
		{ { "mxsys-swifi", "-p", "1", "-r", "0x2000-0x1000" }, "--range" },
		{ { "mxsys-swifi", "-p", "1", "-t", "reg", "-R", "xmm0" }, "unknown register" },
		{ { "mxsys-swifi", "-p", "1", "-t", "signal", "-S", "KILL" }, "--signal" },
		{ { "mxsys-swifi", "-p", "1", "-R", "rax" }, "--register goes" },
		{ { "mxsys-swifi", "-p", "1", "-S", "SEGV" }, "--signal goes" },
		{ { "mxsys-swifi", "-p", "1", "-t", "heap", "-f", "main" }, "--function goes" },
		{ { "mxsys-swifi", "-p", "1", "-t", "hang", "-r", "1-2" }, "--range goes" },
		{ { "mxsys-swifi", "-p", "1", "-f", "main", "-r", "1-2" }, "exclude" },
		{ { "mxsys-swifi", "-p", "1", "-t", "hang", "-n", "2" }, "once" },
		{ { "mxsys-swifi", "-p", "1", "-a", "1s", "-d" }, "--dry-run" },
		{ { "mxsys-swifi", "-p", "1", "-a", "1s", "-n", "5" }, "at most 4" },
		{ { "mxsys-swifi", "-p", "1", "-a", "0" }, "--activation" },
		{ { "mxsys-swifi", "-p", "1", "--frobnicate" }, "unknown option" },
		{ { "mxsys-swifi", "-p" }, "needs a value" },
		{ { "mxsys-swifi", "-p", "1", "extra" }, "unexpected argument" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(parse((char **)cases[i].argv) == -1, "case %zu", i);
		ck_assert_msg(strstr(err, cases[i].says), "case %zu: '%s'", i, err);
	}
}
END_TEST

START_TEST(ranges)
{
	struct address_range r;

	ck_assert(parse_address_range("0x1000-0x2000", &r));
	ck_assert_uint_eq(r.start, 0x1000);
	ck_assert_uint_eq(r.end, 0x2000);
	ck_assert(parse_address_range("4096+16", &r));
	ck_assert_uint_eq(r.end, 4112);
	ck_assert(!parse_address_range("0x1000-0x1000", &r));
	ck_assert(!parse_address_range("0x1000+0", &r));
	ck_assert(!parse_address_range("0x1000", &r));
	ck_assert(!parse_address_range("0x1000-", &r));
	ck_assert(!parse_address_range("x-y", &r));
	ck_assert(!parse_address_range("0xffffffffffffffff+2", &r));
}
END_TEST

START_TEST(windows)
{
	unsigned int ms;

	ck_assert(parse_window_ms("2s", &ms));
	ck_assert_uint_eq(ms, 2000);
	ck_assert(parse_window_ms("3", &ms));
	ck_assert_uint_eq(ms, 3000);
	ck_assert(parse_window_ms("250ms", &ms));
	ck_assert_uint_eq(ms, 250);
	ck_assert(parse_window_ms("3600s", &ms));
	ck_assert(!parse_window_ms("3601s", &ms));
	ck_assert(!parse_window_ms("0ms", &ms));
	ck_assert(!parse_window_ms("5m", &ms));
	ck_assert(!parse_window_ms("s", &ms));
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("swifi_options");
	TCase *tc = tcase_create("options");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_option);
	tcase_add_test(tc, bad_command_lines);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, windows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(options_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
