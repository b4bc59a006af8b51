// SPDX-License-Identifier: MIT
/* Unit tests of minix-service's command-line parser (tools/service/parse.c). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/service/options.h"
#include "../../tools/service/parse.h"

#define CLK_TCK_FOR_TESTS	100

/*
 * A regular file with a long basename, a config file and the directory
 * holding them, all temporary; config_real is the config's realpath().
 */
static char binary[128];
static char config[128];
static char config_real[PATH_MAX];
static char tmpdir[64];

static void setup(void)
{
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/svcparse.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(binary, sizeof(binary), "%s/a-very-long-driver-name", tmpdir);
	fd = open(binary, O_CREAT | O_WRONLY, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(config, sizeof(config), "%s/system.conf", tmpdir);
	fd = open(config, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(realpath(config, config_real));
}

static void teardown(void)
{
	unlink(binary);
	unlink(config);
	rmdir(tmpdir);
}

static struct service_cmd cmd;
static char err[SERVICE_ERRLEN];

/* parse("up", binary, "-label", "x", NULL) */
static int parse(const char *first, ...)
{
	char *argv[40] = { "minix-service" };
	int argc = 1;
	const char *word;
	va_list ap;

	va_start(ap, first);
	for (word = first; word; word = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, 39);
		argv[argc++] = (char *)word;
	}
	va_end(ap);
	argv[argc] = NULL;
	return service_parse(argc, argv, CLK_TCK_FOR_TESTS, &cmd, err);
}

/* The call failed with error and its message mentions text. */
#define ck_fails(error, text, ...) \
	do { \
		ck_assert_int_eq(parse(__VA_ARGS__, NULL), (error)); \
		ck_assert_msg(strstr(err, (text)) != NULL, \
			      "message \"%s\" lacks \"%s\"", err, (text)); \
	} while (0)

START_TEST(up_defaults)
{
	ck_assert_int_eq(parse("up", binary, NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_UP);
	ck_assert_uint_eq(cmd.req.rq_type, RS_UP);
	ck_assert_str_eq(cmd.req.rss_cmd, binary);
	/* basename "a-very-long-driver-name" cut to 15 characters */
	ck_assert_str_eq(cmd.req.rss_label, "a-very-long-dri");
	ck_assert_uint_eq(cmd.req.rss_flags, 0);
	ck_assert_uint_eq(cmd.req.rss_period_ms, 0);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 0);
	ck_assert_int_eq(cmd.req.rss_state, 0);
	ck_assert_str_eq(cmd.req.rss_args, "");
	ck_assert_str_eq(cmd.req.rss_script, "");
	ck_assert_str_eq(cmd.req.rss_progname, "");
	ck_assert_str_eq(cmd.req.rss_config, "");
	ck_assert_str_eq(service_subject(&cmd), "a-very-long-dri");
}
END_TEST

START_TEST(up_all_options)
{
	ck_assert_int_eq(parse("up", binary, "-args", "hang-after 2",
			       "-label", "pinger", "-period", "200ms",
			       "-script", "/etc/rs.single", "-maxtime", "3HZ",
			       "-state", "4", "-progname", "ping-svc",
			       "-config", config, NULL), 0);
	ck_assert_str_eq(cmd.req.rss_args, "hang-after 2");
	ck_assert_str_eq(cmd.req.rss_label, "pinger");
	ck_assert_uint_eq(cmd.req.rss_period_ms, 200);
	ck_assert_uint_eq(cmd.req.rss_flags, RSS_PERIOD_SET);
	ck_assert_str_eq(cmd.req.rss_script, "/etc/rs.single");
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 3000);
	ck_assert_int_eq(cmd.req.rss_state, 4);
	ck_assert_str_eq(cmd.req.rss_progname, "ping-svc");
	ck_assert_str_eq(cmd.req.rss_config, config_real);
}
END_TEST

START_TEST(repeated_option_keeps_last)
{
	ck_assert_int_eq(parse("up", binary, "-label", "a", "-label", "b",
			       "-period", "5HZ", "-period", "0", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "b");
	/* -period 0 is still a period given (edit: stop pinging) */
	ck_assert_uint_eq(cmd.req.rss_period_ms, 0);
	ck_assert_uint_eq(cmd.req.rss_flags, RSS_PERIOD_SET);
}
END_TEST

START_TEST(up_label_long_refused_and_progname)
{
	static char huge[4096];

	/* A label that is typed is never cut: 15 bytes fit, 16 do not. */
	ck_assert_int_eq(parse("up", binary, "-label",
			       "0123456789abcde", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "0123456789abcde");
	ck_fails(EINVAL, "label 0123456789abcdef: longer than 15 bytes",
		 "up", binary, "-label", "0123456789abcdef");
	memset(huge, 'x', sizeof(huge) - 1);
	ck_fails(EINVAL, "longer than 15 bytes", "up", binary, "-label", huge);
	ck_fails(EINVAL, "longer than 15 bytes", "down", huge);
	ck_fails(EINVAL, "longer than 15 bytes", "status", huge);
	ck_assert_int_eq(parse("up", binary, "-progname", "hello", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	ck_assert_str_eq(cmd.req.rss_progname, "hello");
	/* An explicit label wins over -progname, in either order. */
	ck_assert_int_eq(parse("up", binary, "-label", "x", "-progname", "y",
			       NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "x");
	ck_assert_str_eq(cmd.req.rss_progname, "y");
	/* A program name selects a config entry: cut, it would be another. */
	ck_fails(EINVAL, "longer than 15", "up", binary, "-progname",
		 "0123456789abcdef");
	ck_fails(EINVAL, "empty -progname", "up", binary, "-progname", "");
}
END_TEST

START_TEST(maxtime_zero_means_none)
{
	ck_assert_int_eq(parse("up", binary, "-maxtime", "0", NULL), 0);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, -1);
	ck_assert_int_eq(parse("update", binary, "-maxtime", "1", NULL), 0);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 10);	/* 1 tick of 100 Hz */
}
END_TEST

START_TEST(run_is_up_with_rs_single)
{
	ck_assert_int_eq(parse("run", binary, "-label", "once", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_RUN);
	ck_assert_uint_eq(cmd.req.rq_type, RS_UP);
	ck_assert_str_eq(cmd.req.rss_script, RS_SINGLE_SCRIPT);
	ck_assert_str_eq(cmd.req.rss_label, "once");
	/* RS_SINGLE_SCRIPT comes from the build: SYSCONFDIR/minix/rs.single */
	ck_assert_int_eq(RS_SINGLE_SCRIPT[0], '/');
	ck_assert_ptr_nonnull(strstr(RS_SINGLE_SCRIPT, "/minix/rs.single"));
	/* an explicit -script replaces it */
	ck_assert_int_eq(parse("run", binary, "-script", "/bin/mine", NULL),
			 0);
	ck_assert_str_eq(cmd.req.rss_script, "/bin/mine");
}
END_TEST

START_TEST(edit_needs_label)
{
	ck_fails(EINVAL, "edit needs -label", "edit", binary);
	ck_fails(EINVAL, "edit needs -label", "edit", binary, "-progname",
		 "hello");
	ck_assert_int_eq(parse("edit", binary, "-label", "hello", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_EDIT);
	ck_assert_uint_eq(cmd.req.rq_type, RS_EDIT);
	ck_assert_str_eq(cmd.req.rss_cmd, binary);
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	/* only what is given changes: no -period, no RSS_PERIOD_SET */
	ck_assert_uint_eq(cmd.req.rss_flags, 0);
	ck_assert_int_eq(cmd.req.rss_state, 0);
	ck_assert_int_eq(parse("-p", "edit", binary, "-label", "hello",
			       "-period", "1HZ", NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags, RSS_REPLICA | RSS_PERIOD_SET);
	ck_assert_uint_eq(cmd.req.rss_period_ms, 1000);
}
END_TEST

START_TEST(update_binary)
{
	ck_assert_int_eq(parse("update", binary, NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_UPDATE);
	ck_assert_uint_eq(cmd.req.rq_type, RS_UPDATE);
	ck_assert_str_eq(cmd.req.rss_cmd, binary);
	ck_assert_str_eq(cmd.req.rss_label, "a-very-long-dri");
	/* MINIX's default state: 1, no work in progress */
	ck_assert_int_eq(cmd.req.rss_state, 1);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 0);
	ck_assert_uint_eq(cmd.req.rss_flags, 0);

	ck_assert_int_eq(parse("-nx", "update", binary, "-label", "hello",
			       "-state", "5", "-maxtime", "1HZ", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	ck_assert_int_eq(cmd.req.rss_state, 5);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 1000);
	ck_assert_uint_eq(cmd.req.rss_flags,
			  RSS_NOBLOCK | RSS_FORCE_INIT_CRASH);
}
END_TEST

START_TEST(update_self)
{
	ck_assert_int_eq(parse("update", "self", "-label", "hello", NULL), 0);
	ck_assert_uint_eq(cmd.req.rq_type, RS_UPDATE);
	ck_assert_uint_eq(cmd.req.rss_flags, RSS_SELF_LU);
	ck_assert_str_eq(cmd.req.rss_cmd, "");
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	ck_assert_int_eq(cmd.req.rss_state, 1);

	ck_assert_int_eq(parse("-q", "-y", "update", "self", "-label", "b",
			       "-maxtime", "3HZ", "-state", "2", NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags,
			  RSS_SELF_LU | RSS_BATCH | RSS_FORCE_INIT_FAIL);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 3000);
	ck_assert_int_eq(cmd.req.rss_state, 2);

	ck_fails(EINVAL, "update self needs -label", "update", "self");
	ck_fails(EINVAL, "update self needs -label", "update", "self",
		 "-progname", "hello");
	ck_fails(EINVAL, "missing binary or self", "update");
	/* self only means something to update */
	ck_fails(EINVAL, "not an absolute path", "up", "self");
	ck_fails(EINVAL, "not an absolute path", "edit", "self", "-label",
		 "x");
}
END_TEST

START_TEST(flags_each)
{
	static const struct {
		const char *flag;
		uint32_t rss;
	} cases[] = {
		{ "-b", RSS_NO_BIN_EXP },
		{ "-c", RSS_COPY },
		{ "-r", RSS_REUSE | RSS_COPY },
		{ "-n", RSS_NOBLOCK },
		{ "-p", RSS_REPLICA },
		{ "-o", RSS_PREPARE_ONLY_LU },
		{ "-s", RSS_FORCE_SELF_LU },
		{ "-x", RSS_FORCE_INIT_CRASH },
		{ "-y", RSS_FORCE_INIT_FAIL },
		{ "-z", RSS_FORCE_INIT_TIMEOUT },
		{ "-d", RSS_FORCE_INIT_DEFCB },
		{ "-e", RSS_DETACH },
		{ "-f", RSS_NORESTART },
		{ "-t", RSS_FORCE_INIT_ST },
		/* accepted and ignored: no meaning on Linux */
		{ "-m", 0 },
		{ "-u", 0 },
	};
	static const char *const start_actions[] = {
		"up", "run", "edit", "update",
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 4; k++) {
			ck_assert_int_eq(parse(cases[i].flag, start_actions[k],
					       binary, "-label", "l", NULL), 0);
			ck_assert_msg(cmd.req.rss_flags == cases[i].rss,
				      "%s %s: flags 0x%x", cases[i].flag,
				      start_actions[k], cmd.req.rss_flags);
		}
	}
	ck_assert_int_eq(parse("-q", "update", binary, NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags, RSS_BATCH);
}
END_TEST

START_TEST(flags_combined_and_separate)
{
	ck_assert_int_eq(parse("-cn", "-b", "up", binary, NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags,
			  RSS_COPY | RSS_NOBLOCK | RSS_NO_BIN_EXP);
	ck_assert_int_eq(parse("-xyzdtosefm", "update", "self", "-label", "a",
			       NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags,
			  RSS_SELF_LU | RSS_FORCE_INIT_CRASH |
			  RSS_FORCE_INIT_FAIL | RSS_FORCE_INIT_TIMEOUT |
			  RSS_FORCE_INIT_DEFCB | RSS_FORCE_INIT_ST |
			  RSS_PREPARE_ONLY_LU | RSS_FORCE_SELF_LU |
			  RSS_DETACH | RSS_NORESTART);
}
END_TEST

START_TEST(flags_rejected)
{
	ck_fails(EINVAL, "unknown flag -k", "-k", "up", binary);
	ck_fails(EINVAL, "unknown flag -j", "-cj", "up", binary);
	ck_fails(EINVAL, "empty flag", "-", "up", binary);
	/* ASR: refused, the update would not be what was asked */
	ck_fails(ENOSYS, "not available on Linux", "-a", "update", "self",
		 "-label", "x");
	ck_fails(ENOSYS, "ASR", "-na", "up", binary);
	/* -q is for update only */
	ck_fails(EINVAL, "-q only applies to update", "-q", "up", binary);
	ck_fails(EINVAL, "-q only applies to update", "-q", "run", binary);
	ck_fails(EINVAL, "-q only applies to update", "-q", "edit", binary,
		 "-label", "x");
	ck_fails(EINVAL, "-q only applies to update", "-q", "down", "x");
	/* flags, even ignored ones, only qualify the four start actions */
	ck_fails(EINVAL, "flags only apply", "-n", "down", "hello");
	ck_fails(EINVAL, "flags only apply", "-c", "status");
	ck_fails(EINVAL, "flags only apply", "-p", "lookup", "hello");
	ck_fails(EINVAL, "flags only apply", "-u", "refresh", "hello");
	ck_fails(EINVAL, "flags only apply", "-n", "sysctl", "upd_run");
	ck_fails(EINVAL, "flags only apply", "-n", "shutdown");
	ck_fails(EINVAL, "flags only apply", "-n", "monitor");
}
END_TEST

START_TEST(binary_rejected)
{
	char missing[128];

	ck_fails(EINVAL, "up: missing binary", "up");
	ck_fails(EINVAL, "run: missing binary", "run");
	ck_fails(EINVAL, "edit: missing binary", "edit");
	ck_fails(EINVAL, "not an absolute path", "up", "hello");
	ck_fails(EINVAL, "not an absolute path", "update", "./hello");
	snprintf(missing, sizeof(missing), "%s/missing", tmpdir);
	ck_fails(EINVAL, "No such file", "up", missing);
	ck_fails(EINVAL, "not a regular file", "up", tmpdir);
	ck_fails(EINVAL, "not a regular file", "update", tmpdir);
}
END_TEST

START_TEST(options_rejected)
{
	char long_args[RS_MAX_COMMAND_LEN + 8];
	char long_script[RS_MAX_SCRIPT_LEN + 8];

	ck_fails(EINVAL, "needs a value", "up", binary, "-label");
	ck_fails(EINVAL, "empty label", "up", binary, "-label", "");
	ck_fails(EINVAL, "unknown option -bogus", "up", binary, "-bogus", "1");
	ck_fails(EINVAL, "unexpected argument stray", "up", binary, "stray",
		 "1");
	ck_fails(EINVAL, "not a time", "up", binary, "-period", "fast");
	ck_fails(EINVAL, "not a time", "update", binary, "-maxtime", "-1");
	ck_fails(EINVAL, "not an absolute path", "up", binary, "-script",
		 "rs.single");

	memset(long_args, 'a', sizeof(long_args) - 1);
	long_args[sizeof(long_args) - 1] = '\0';
	ck_fails(EINVAL, "longer than 511", "up", binary, "-args", long_args);
	memset(long_script, 'a', sizeof(long_script) - 1);
	long_script[0] = '/';
	long_script[sizeof(long_script) - 1] = '\0';
	ck_fails(EINVAL, "longer than 255", "up", binary, "-script",
		 long_script);
}
END_TEST

START_TEST(state_rules)
{
	ck_assert_int_eq(parse("update", binary, "-state", "2147483647",
			       NULL), 0);
	ck_assert_int_eq(cmd.req.rss_state, 2147483647);
	ck_fails(EINVAL, "numbered from 1", "update", binary, "-state", "0");
	ck_fails(EINVAL, "numbered from 1", "update", binary, "-state", "000");
	ck_fails(EINVAL, "not a state number", "update", binary, "-state",
		 "-1");
	ck_fails(EINVAL, "not a state number", "update", binary, "-state",
		 "+3");
	ck_fails(EINVAL, "not a state number", "update", binary, "-state",
		 "1x");
	ck_fails(EINVAL, "not a state number", "update", binary, "-state",
		 "2147483648");
	/* MINIX's EVAL expressions: no evaluator on Linux */
	ck_fails(ENOSYS, "EVAL", "update", "self", "-label", "a", "-state",
		 "x == 1");
	ck_fails(EINVAL, "not a state number", "update", binary, "-state", "");
}
END_TEST

START_TEST(config_rules)
{
	char missing[128], here[512];

	/* relative: made absolute, so that RS opens the same file */
	ck_assert_ptr_nonnull(getcwd(here, sizeof(here)));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(parse("up", binary, "-config", "system.conf", NULL),
			 0);
	ck_assert_int_eq(chdir(here), 0);
	ck_assert_str_eq(cmd.req.rss_config, config_real);

	snprintf(missing, sizeof(missing), "%s/missing.conf", tmpdir);
	ck_fails(EINVAL, "No such file", "up", binary, "-config", missing);
	ck_fails(EINVAL, "not a regular file", "up", binary, "-config",
		 tmpdir);
	ck_fails(EINVAL, "needs a value", "up", binary, "-config");
}
END_TEST

START_TEST(minix_options_left_out)
{
	static const char *const refused[] = {
		"-dev", "-devstyle", "-major", "-devid", "-trg-label",
		"-ipc_bl", "-ipc_wl", "-asr-count", "-restarts",
	};
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ck_assert_int_eq(parse("up", binary, refused[i], "1", NULL),
				 ENOSYS);
		ck_assert_ptr_nonnull(strstr(err, refused[i]));
		ck_assert_msg(strstr(err, "not available on Linux: ") != NULL,
			      "no reason for %s: %s", refused[i], err);
	}
	/* memory preallocation hints: accepted, checked, ignored */
	ck_assert_int_eq(parse("update", binary, "-heap-prealloc", "4096",
			       "-map-prealloc", "0", NULL), 0);
	ck_fails(EINVAL, "not a number of bytes", "update", binary,
		 "-heap-prealloc", "4k");
	ck_fails(EINVAL, "not a number of bytes", "update", binary,
		 "-map-prealloc", "");
}
END_TEST

START_TEST(args_count_limit)
{
	/* RS splits on spaces; runs of spaces do not make empty arguments. */
	ck_assert_int_eq(parse("up", binary, "-args",
			       "1 2 3 4 5  6 7 8 9 10 ", NULL), 0);
	ck_fails(EINVAL, "at most 10", "up", binary, "-args",
		 "1 2 3 4 5 6 7 8 9 10 11");
}
END_TEST

START_TEST(label_actions)
{
	static const struct {
		const char *name;
		enum service_action action;
		uint32_t rq_type;
	} cases[] = {
		{ "down", SERVICE_DOWN, RS_DOWN },
		{ "refresh", SERVICE_REFRESH, RS_REFRESH },
		{ "restart", SERVICE_RESTART, RS_RESTART },
		{ "clone", SERVICE_CLONE, RS_CLONE },
		{ "unclone", SERVICE_UNCLONE, RS_UNCLONE },
		{ "fi", SERVICE_FI, RS_FI },
		{ "lookup", SERVICE_LOOKUP, RS_LOOKUP },
		{ "dump", SERVICE_DUMP, RS_DUMP },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse(cases[i].name, "hello", NULL), 0);
		ck_assert_int_eq(cmd.action, cases[i].action);
		ck_assert_uint_eq(cmd.req.rq_type, cases[i].rq_type);
		ck_assert_str_eq(cmd.req.rss_label, "hello");
		ck_assert_uint_eq(cmd.req.rss_flags, 0);
		ck_assert_str_eq(service_action_name(cmd.action),
				 cases[i].name);
		ck_assert_str_eq(service_subject(&cmd), "hello");

		ck_fails(EINVAL, "missing label", cases[i].name);
		ck_fails(EINVAL, "unexpected argument b", cases[i].name, "a",
			 "b");
		ck_fails(EINVAL, "empty label", cases[i].name, "");
		/* a long label is refused as for up, never cut */
		ck_fails(EINVAL, "longer than 15 bytes", cases[i].name,
			 "0123456789abcdefXYZ");
	}
}
END_TEST

START_TEST(shutdown_action)
{
	ck_assert_int_eq(parse("shutdown", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_SHUTDOWN);
	ck_assert_uint_eq(cmd.req.rq_type, RS_SHUTDOWN);
	ck_assert_str_eq(service_subject(&cmd), "");
	ck_fails(EINVAL, "unexpected argument now", "shutdown", "now");
	ck_assert_int_eq(parse("reload", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_RELOAD);
	ck_assert_uint_eq(cmd.req.rq_type, RS_RELOAD);
	ck_fails(EINVAL, "unexpected argument x", "reload", "x");
}
END_TEST

START_TEST(sysctl_action)
{
	static const struct {
		const char *name;
		uint32_t subtype;
	} cases[] = {
		{ "srv_status", RS_SYSCTL_SRV_STATUS },
		{ "upd_start", RS_SYSCTL_UPD_START },
		{ "upd_run", RS_SYSCTL_UPD_RUN },
		{ "upd_stop", RS_SYSCTL_UPD_STOP },
		{ "upd_status", RS_SYSCTL_UPD_STATUS },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse("sysctl", cases[i].name, NULL), 0);
		ck_assert_int_eq(cmd.action, SERVICE_SYSCTL);
		ck_assert_uint_eq(cmd.req.rq_type, RS_SYSCTL);
		ck_assert_uint_eq(cmd.req.rq_subtype, cases[i].subtype);
		ck_assert_str_eq(service_sysctl_name(cases[i].subtype),
				 cases[i].name);
		ck_assert_str_eq(service_subject(&cmd), cases[i].name);
	}
	ck_assert_ptr_null(service_sysctl_name(0));
	ck_assert_ptr_null(service_sysctl_name(6));
	ck_fails(EINVAL, "missing request", "sysctl");
	ck_fails(EINVAL, "unknown request upd_go", "sysctl", "upd_go");
	ck_fails(EINVAL, "unexpected argument x", "sysctl", "upd_run", "x");
}
END_TEST

START_TEST(status_forms)
{
	ck_assert_int_eq(parse("status", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_STATUS);
	ck_assert_uint_eq(cmd.req.rq_type, RS_STATUS);
	ck_assert(cmd.all);
	ck_assert(!cmd.json);
	ck_assert_uint_eq(cmd.req.rq_index, 0);

	ck_assert_int_eq(parse("status", "-j", "hello", NULL), 0);
	ck_assert(!cmd.all);
	ck_assert(cmd.json);
	ck_assert_str_eq(cmd.req.rss_label, "hello");

	ck_assert_int_eq(parse("status", "hello", "-j", NULL), 0);
	ck_assert(cmd.json);

	ck_fails(EINVAL, "more than one label", "status", "a", "b");
	ck_fails(EINVAL, "unknown option -x", "status", "-x");
}
END_TEST

START_TEST(monitor_forms)
{
	ck_assert_int_eq(parse("monitor", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_MONITOR);
	ck_assert(!cmd.json);
	ck_assert_uint_eq(cmd.max_events, 0);

	ck_assert_int_eq(parse("monitor", "-j", "-n", "3", NULL), 0);
	ck_assert(cmd.json);
	ck_assert_uint_eq(cmd.max_events, 3);
	ck_assert_int_eq(parse("monitor", "-n", "18446744073709551615", "-j",
			       NULL), 0);
	ck_assert_uint_eq(cmd.max_events, UINT64_MAX);

	ck_fails(EINVAL, "-n needs", "monitor", "-n");
	ck_fails(EINVAL, "not a positive number", "monitor", "-n", "0");
	ck_fails(EINVAL, "not a positive number", "monitor", "-n", "-1");
	ck_fails(EINVAL, "not a positive number", "monitor", "-n", "2x");
	ck_fails(EINVAL, "not a positive number", "monitor", "-n",
		 "18446744073709551616");
	ck_fails(EINVAL, "unexpected argument hello", "monitor", "hello");
}
END_TEST

START_TEST(actions)
{
	ck_fails(EINVAL, "missing action", "-c");
	ck_assert_int_eq(parse(NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing action"));
	/* as MINIX: an unknown request type is ENOSYS */
	ck_fails(ENOSYS, "unknown action frobnicate", "frobnicate");
	ck_fails(ENOSYS, "unknown action UP", "UP", binary);
	ck_assert_int_eq(parse("--help", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_HELP);
	ck_assert_int_eq(parse("help", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_HELP);
	ck_assert_int_eq(parse("-c", "-h", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_HELP);
	ck_assert_str_eq(service_action_name(SERVICE_HELP), "help");
	ck_assert_str_eq(service_action_name(SERVICE_MONITOR), "monitor");
	ck_assert_str_eq(service_action_name((enum service_action)99), "?");
}
END_TEST

START_TEST(time_formats)
{
	uint32_t ms = 12345;

	ck_assert_int_eq(service_parse_time_ms("0", 100, &ms), 0);
	ck_assert_uint_eq(ms, 0);
	ck_assert_int_eq(service_parse_time_ms("5", 100, &ms), 0);
	ck_assert_uint_eq(ms, 50);
	/* a tick that does not divide 1000 rounds up */
	ck_assert_int_eq(service_parse_time_ms("1", 60, &ms), 0);
	ck_assert_uint_eq(ms, 17);
	ck_assert_int_eq(service_parse_time_ms("5HZ", 100, &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(service_parse_time_ms("5s", 100, &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(service_parse_time_ms("250ms", 100, &ms), 0);
	ck_assert_uint_eq(ms, 250);
	ck_assert_int_eq(service_parse_time_ms("2147483647ms", 100, &ms), 0);
	ck_assert_uint_eq(ms, 2147483647u);
}
END_TEST

START_TEST(time_rejected)
{
	static const char *const bad[] = {
		"", "ms", "HZ", "-5", "+5", " 5", "5 ", "5hz", "5Hz", "5S",
		"5MS", "1.5HZ", "0x10", "2147483648ms", "2147484HZ",
		"99999999999999999999", "2147483647",
	};
	uint32_t ms = 777;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(service_parse_time_ms(bad[i], 100, &ms) == EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(ms, 777);
	}
	ck_assert_int_eq(service_parse_time_ms("5", 0, &ms), EINVAL);
}
END_TEST

START_TEST(logs_action)
{
	ck_assert_int_eq(parse("logs", "hello", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_LOGS);
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	ck_assert(!cmd.follow);
	ck_assert(!cmd.last_given);
	ck_assert_int_eq(parse("logs", "-f", "-n", "0", "hello", NULL), 0);
	ck_assert(cmd.follow);
	ck_assert(cmd.last_given);
	ck_assert_uint_eq(cmd.last_lines, 0);
	ck_assert_int_eq(parse("logs", "hello", "-n", "25", NULL), 0);
	ck_assert_uint_eq(cmd.last_lines, 25);
	ck_assert_str_eq(service_action_name(SERVICE_LOGS), "logs");
	ck_fails(EINVAL, "logs: missing label", "logs");
	ck_fails(EINVAL, "logs: missing label", "logs", "-f");
	ck_fails(EINVAL, "more than one label", "logs", "a", "b");
	ck_fails(EINVAL, "unknown option -x", "logs", "-x", "a");
	ck_fails(EINVAL, "-n needs a number", "logs", "a", "-n");
	ck_fails(EINVAL, "-n -1: not a non-negative number", "logs", "-n", "-1", "a");
	ck_fails(EINVAL, "longer than 15 bytes", "logs", "0123456789abcdefg");
	ck_fails(EINVAL, "flags only apply", "-p", "logs", "a");
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("service_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, up_defaults);
	tcase_add_test(tc, logs_action);
	tcase_add_test(tc, up_all_options);
	tcase_add_test(tc, repeated_option_keeps_last);
	tcase_add_test(tc, up_label_long_refused_and_progname);
	tcase_add_test(tc, maxtime_zero_means_none);
	tcase_add_test(tc, run_is_up_with_rs_single);
	tcase_add_test(tc, edit_needs_label);
	tcase_add_test(tc, update_binary);
	tcase_add_test(tc, update_self);
	tcase_add_test(tc, flags_each);
	tcase_add_test(tc, flags_combined_and_separate);
	tcase_add_test(tc, flags_rejected);
	tcase_add_test(tc, binary_rejected);
	tcase_add_test(tc, options_rejected);
	tcase_add_test(tc, state_rules);
	tcase_add_test(tc, config_rules);
	tcase_add_test(tc, minix_options_left_out);
	tcase_add_test(tc, args_count_limit);
	tcase_add_test(tc, label_actions);
	tcase_add_test(tc, shutdown_action);
	tcase_add_test(tc, sysctl_action);
	tcase_add_test(tc, status_forms);
	tcase_add_test(tc, monitor_forms);
	tcase_add_test(tc, actions);
	tcase_add_test(tc, time_formats);
	tcase_add_test(tc, time_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
