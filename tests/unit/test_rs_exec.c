// SPDX-License-Identifier: MIT
/*
 * rs-daemon: a service's privileges taken on between fork and exec
 * (exec.c): limits, nice, CPU, uid/gid/groups and the exact capability
 * sets, and failures coming back through spawn_release. The child runs
 * /bin/sh, which writes its own /proc files out for the checks.
 *
 * Changing uid and capabilities needs root with CAP_SETUID, CAP_SETGID and
 * CAP_SETPCAP: without them every test here passes without checking
 * anything, saying so (the VM suite 35-config covers the same as root).
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratch_dir.h"
#include "../../servers/rs/config.h"
#include "../../servers/rs/exec.h"

#define CAP_BIT(cap)	(1ULL << (cap))

static char dir[64];
static char out_path[128];
static char report[16384];
static struct rs_config cfg;

static bool privileged(void)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t setuid_cap = CAP_CLEAR, setgid_cap = CAP_CLEAR;
	cap_flag_value_t setpcap = CAP_CLEAR;

	if (!caps)
		return false;
	cap_get_flag(caps, CAP_SETUID, CAP_EFFECTIVE, &setuid_cap);
	cap_get_flag(caps, CAP_SETGID, CAP_EFFECTIVE, &setgid_cap);
	cap_get_flag(caps, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap);
	cap_free(caps);
	return geteuid() == 0 && setuid_cap == CAP_SET &&
	       setgid_cap == CAP_SET && setpcap == CAP_SET;
}

#define NEED_PRIVILEGES()						\
	do {								\
		if (!privileged()) {					\
			fprintf(stderr, "%s: skipped: needs root\n",	\
				__func__);				\
			return;						\
		}							\
	} while (0)

static void setup(void)
{
	scratch_dir_create(dir, sizeof(dir), "test_rs_exec");
	/* The service may run as nobody: it must be able to write here. */
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	rs_config_defaults(&cfg, "sh");
}

static void teardown(void)
{
	scratch_dir_remove(dir);
}

/*
 * Start /bin/sh with config c as RS does; it writes its status, limits
 * and nice value to the report. Returns spawn_release's result.
 */
static int spawn_shell(const struct rs_config *c)
{
	char script[512];
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn sp;
	FILE *f;
	size_t n;
	int status, r;

	snprintf(script, sizeof(script),
		 "cat /proc/$$/status /proc/$$/limits >%s && "
		 "echo \"Nice: $(cut -d' ' -f19 /proc/$$/stat)\" >>%s",
		 out_path, out_path);
	unlink(out_path);
	report[0] = '\0';
	r = spawn_prepare(&sp, argv, c);
	ck_assert_int_eq(r, 0);
	r = spawn_release(&sp);
	ck_assert_int_eq(waitpid(sp.pid, &status, 0), sp.pid);
	if (r < 0) {
		/* The child said why and exited. */
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 127);
		return r;
	}
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the shell failed: status %#x", status);
	f = fopen(out_path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(report, 1, sizeof(report) - 1, f);
	report[n] = '\0';
	fclose(f);
	return 0;
}

/* The text after "key:" on its line in the report. */
static const char *field(const char *key)
{
	static char value[256];
	char pattern[64];
	const char *line;
	size_t len;

	snprintf(pattern, sizeof(pattern), "\n%s:", key);
	line = strstr(report, pattern);
	if (!line && strncmp(report, pattern + 1, strlen(pattern) - 1) == 0)
		line = report - 1;
	ck_assert_msg(line != NULL, "no %s in the report", key);
	line += strlen(pattern);
	line += strspn(line, " \t");
	len = strcspn(line, "\n");
	ck_assert_uint_lt(len, sizeof(value));
	memcpy(value, line, len);
	value[len] = '\0';
	return value;
}

static uint64_t hex_field(const char *key)
{
	return strtoull(field(key), NULL, 16);
}

/* "Max open files  64  128  files": the soft and hard limits. */
static void limit_of(const char *name, char *soft, char *hard)
{
	const char *line = strstr(report, name);

	ck_assert_msg(line != NULL, "no '%s' in /proc/PID/limits", name);
	ck_assert_int_eq(sscanf(line + strlen(name), "%31s %31s", soft, hard), 2);
}

static void add_limit(int resource, rlim_t soft, rlim_t hard)
{
	cfg.limits[cfg.nr_limits].resource = resource;
	cfg.limits[cfg.nr_limits].limit.rlim_cur = soft;
	cfg.limits[cfg.nr_limits].limit.rlim_max = hard;
	cfg.nr_limits++;
}

/* systemd's variables are rs-daemon's, never a service's. */
START_TEST(systemd_variables_not_passed_on)
{
	char *in[] = { "PATH=/bin", "NOTIFY_SOCKET=/run/systemd/notify",
		       "JOURNAL_STREAM=8:123", "NOTIFY_SOCKETX=kept",
		       "HOME=/", NULL };
	char *out[6];
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	char script[256];
	struct spawn sp;
	FILE *f;
	size_t n;
	int status;

	ck_assert_uint_eq(exec_service_environ(in, out), 3);
	ck_assert_str_eq(out[0], "PATH=/bin");
	ck_assert_str_eq(out[1], "NOTIFY_SOCKETX=kept");
	ck_assert_str_eq(out[2], "HOME=/");
	ck_assert_ptr_null(out[3]);

	/* And a real child does not see them. */
	setenv("NOTIFY_SOCKET", "/nonexistent", 1);
	setenv("JOURNAL_STREAM", "1:2", 1);
	setenv("MXSYS_TEST_KEPT", "yes", 1);
	snprintf(script, sizeof(script), "env >%s", out_path);
	argv[2] = script;
	ck_assert_int_eq(spawn_prepare(&sp, argv, NULL), 0);
	ck_assert_int_eq(spawn_release(&sp), 0);
	ck_assert_int_eq(waitpid(sp.pid, &status, 0), sp.pid);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("JOURNAL_STREAM");
	unsetenv("MXSYS_TEST_KEPT");
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	f = fopen(out_path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(report, 1, sizeof(report) - 1, f);
	report[n] = '\0';
	fclose(f);
	ck_assert_ptr_nonnull(strstr(report, "MXSYS_TEST_KEPT=yes\n"));
	ck_assert_ptr_null(strstr(report, "NOTIFY_SOCKET="));
	ck_assert_ptr_null(strstr(report, "JOURNAL_STREAM="));

	/* RS's standby keeps them: once it takes over, it tells systemd. */
	setenv("NOTIFY_SOCKET", "/nonexistent", 1);
	ck_assert_int_eq(spawn_prepare_fd(&sp, argv, NULL, -1,
					  SPAWN_KEEP_SYSTEMD_ENV), 0);
	ck_assert_int_eq(spawn_release(&sp), 0);
	ck_assert_int_eq(waitpid(sp.pid, &status, 0), sp.pid);
	unsetenv("NOTIFY_SOCKET");
	f = fopen(out_path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(report, 1, sizeof(report) - 1, f);
	report[n] = '\0';
	fclose(f);
	ck_assert_ptr_nonnull(strstr(report, "NOTIFY_SOCKET=/nonexistent\n"));
}
END_TEST

START_TEST(without_config_nothing_changes)
{
	NEED_PRIVILEGES();
	ck_assert_int_eq(spawn_shell(NULL), 0);
	ck_assert_str_eq(field("Uid"), "0\t0\t0\t0");
	ck_assert_int_eq(spawn_shell(&cfg), 0);	/* the defaults */
	ck_assert_str_eq(field("Uid"), "0\t0\t0\t0");
	ck_assert_uint_eq(hex_field("CapBnd"), hex_field("CapPrm"));
}
END_TEST

START_TEST(limits_nice_and_cpu)
{
	char soft[32], hard[32];

	NEED_PRIVILEGES();
	add_limit(RLIMIT_NOFILE, 64, 128);
	add_limit(RLIMIT_CORE, 0, 0);
	cfg.nice_set = true;
	cfg.nice = 5;
	cfg.cpu = 0;
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	limit_of("Max open files", soft, hard);
	ck_assert_str_eq(soft, "64");
	ck_assert_str_eq(hard, "128");
	limit_of("Max core file size", soft, hard);
	ck_assert_str_eq(soft, "0");
	ck_assert_str_eq(hard, "0");
	ck_assert_str_eq(field("Nice"), "5");
	ck_assert_str_eq(field("Cpus_allowed_list"), "0");
}
END_TEST

START_TEST(nobody_without_capabilities)
{
	NEED_PRIVILEGES();
	cfg.uid = 65534;
	cfg.gid = 65534;
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_str_eq(field("Uid"), "65534\t65534\t65534\t65534");
	ck_assert_str_eq(field("Gid"), "65534\t65534\t65534\t65534");
	/* A uid change without `capabilities` keeps none (as su). */
	ck_assert_uint_eq(hex_field("CapEff"), 0);
	ck_assert_uint_eq(hex_field("CapPrm"), 0);
	ck_assert_uint_eq(hex_field("CapInh"), 0);
	ck_assert_uint_eq(hex_field("CapAmb"), 0);

	cfg.caps_set = true;
	cfg.caps = 0;
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_uint_eq(hex_field("CapEff"), 0);
	ck_assert_uint_eq(hex_field("CapBnd"), 0);
}
END_TEST

START_TEST(nobody_keeps_its_capabilities)
{
	const uint64_t want = CAP_BIT(CAP_NET_BIND_SERVICE) | CAP_BIT(CAP_KILL);

	NEED_PRIVILEGES();
	cfg.uid = 65534;
	cfg.gid = 65534;
	cfg.caps_set = true;
	cfg.caps = want;
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_str_eq(field("Uid"), "65534\t65534\t65534\t65534");
	ck_assert_uint_eq(hex_field("CapEff"), want);
	ck_assert_uint_eq(hex_field("CapPrm"), want);
	ck_assert_uint_eq(hex_field("CapAmb"), want);
	ck_assert_uint_eq(hex_field("CapBnd"), want);
}
END_TEST

START_TEST(root_keeps_only_its_capabilities)
{
	NEED_PRIVILEGES();
	cfg.caps_set = true;
	cfg.caps = CAP_BIT(CAP_KILL);
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_str_eq(field("Uid"), "0\t0\t0\t0");
	ck_assert_uint_eq(hex_field("CapEff"), CAP_BIT(CAP_KILL));
	ck_assert_uint_eq(hex_field("CapPrm"), CAP_BIT(CAP_KILL));
	ck_assert_uint_eq(hex_field("CapBnd"), CAP_BIT(CAP_KILL));
}
END_TEST

START_TEST(all_capabilities_are_rs_own)
{
	uint64_t own;

	NEED_PRIVILEGES();
	ck_assert_int_eq(spawn_shell(NULL), 0);
	own = hex_field("CapPrm");
	cfg.uid = 65534;
	cfg.gid = 65534;
	cfg.caps_set = true;
	cfg.caps = ~0ULL;
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_uint_eq(hex_field("CapEff"), own);
	ck_assert_uint_eq(hex_field("CapAmb"), own);
}
END_TEST

START_TEST(failures_come_back_as_errno)
{
	NEED_PRIVILEGES();
	/* No such CPU. */
	cfg.cpu = CPU_SETSIZE - 1;
	ck_assert_int_eq(spawn_shell(&cfg), -EINVAL);
	cfg.cpu = -1;
	/* A soft limit above the hard one (the parser refuses it too). */
	add_limit(RLIMIT_NOFILE, 128, 64);
	ck_assert_int_eq(spawn_shell(&cfg), -EINVAL);
	cfg.nr_limits = 0;
	/* A capability RS does not have cannot be kept. */
	cfg.caps_set = true;
	cfg.caps = CAP_BIT(62);	/* no such capability: masked out */
	ck_assert_int_eq(spawn_shell(&cfg), 0);
	ck_assert_uint_eq(hex_field("CapEff"), 0);
}
END_TEST

START_TEST(missing_binary_still_reported)
{
	char *argv[] = { "/nonexistent/binary", NULL };
	struct spawn sp;
	int status;

	cfg.uid = geteuid() == 0 ? 65534 : 0;
	cfg.gid = cfg.uid;
	ck_assert_int_eq(spawn_prepare(&sp, argv, privileged() ? &cfg : NULL),
			 0);
	ck_assert_int_eq(spawn_release(&sp), -ENOENT);
	ck_assert_int_eq(waitpid(sp.pid, &status, 0), sp.pid);
}
END_TEST

static Suite *exec_suite(void)
{
	Suite *s = suite_create("rs_exec");
	TCase *tc = tcase_create("privileges");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, systemd_variables_not_passed_on);
	tcase_add_test(tc, without_config_nothing_changes);
	tcase_add_test(tc, limits_nice_and_cpu);
	tcase_add_test(tc, nobody_without_capabilities);
	tcase_add_test(tc, nobody_keeps_its_capabilities);
	tcase_add_test(tc, root_keeps_only_its_capabilities);
	tcase_add_test(tc, all_capabilities_are_rs_own);
	tcase_add_test(tc, failures_come_back_as_errno);
	tcase_add_test(tc, missing_binary_still_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(exec_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
