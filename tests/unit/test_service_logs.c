// SPDX-License-Identifier: MIT
/*
 * minix-service logs: the last N lines, both files in order, a missing
 * log, and -f following the file across a rotation as rs-daemon does it
 * (LABEL.log renamed to LABEL.log.1, a new LABEL.log).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/service/logs.h"
#include "scratch_dir.h"

static size_t tail_of(const char *text, uint64_t n)
{
	return logs_tail_start(text, strlen(text), n);
}

START_TEST(tail_start)
{
	ck_assert_uint_eq(tail_of("a\nb\nc\n", 1), 4);
	ck_assert_uint_eq(tail_of("a\nb\nc\n", 2), 2);
	ck_assert_uint_eq(tail_of("a\nb\nc\n", 3), 0);
	ck_assert_uint_eq(tail_of("a\nb\nc\n", 30), 0);
	ck_assert_uint_eq(tail_of("a\nb\nc\n", 0), 6);
	/* A last line without its newline is a line. */
	ck_assert_uint_eq(tail_of("a\nb\nc", 1), 4);
	ck_assert_uint_eq(tail_of("a\n\n\n", 2), 2);
	ck_assert_uint_eq(tail_of("", 5), 0);
}
END_TEST

static char dir[64];
static struct service_cmd cmd;

static void setup(void)
{
	scratch_dir_create(dir, sizeof(dir), "svclogs");
	memset(&cmd, 0, sizeof(cmd));
	strcpy(cmd.req.rss_label, "hello");
}

static void teardown(void)
{
	scratch_dir_remove(dir);
}

static void put(const char *name, const char *text, const char *mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, mode);
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* logs_run's output and status. */
static int run(char **text)
{
	size_t len = 0;
	FILE *out = open_memstream(text, &len);
	int r;

	ck_assert_ptr_nonnull(out);
	r = logs_run(&cmd, dir, out);
	fclose(out);
	return r;
}

START_TEST(whole_log_older_file_first)
{
	char *text;

	put("hello.log.1", "t1 one\nt2 two\n", "w");
	put("hello.log", "t3 three\n", "w");
	ck_assert_int_eq(run(&text), 0);
	ck_assert_str_eq(text, "t1 one\nt2 two\nt3 three\n");
	free(text);
	cmd.last_given = true;
	cmd.last_lines = 2;
	ck_assert_int_eq(run(&text), 0);
	ck_assert_str_eq(text, "t2 two\nt3 three\n");
	free(text);
	cmd.last_lines = 0;
	ck_assert_int_eq(run(&text), 0);
	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

START_TEST(only_one_file)
{
	char *text;

	put("hello.log.1", "old\n", "w");
	ck_assert_int_eq(run(&text), 0);
	ck_assert_str_eq(text, "old\n");
	free(text);
}
END_TEST

START_TEST(no_log)
{
	char *text;

	strcpy(cmd.req.rss_label, "nosuch");
	ck_assert_int_eq(run(&text), ENOENT);
	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

/* Read from fd until want has been seen, for at most 10 s. */
static void expect_output(int fd, char *seen, size_t cap, const char *want)
{
	size_t len = strlen(seen);

	for (int tries = 0; tries < 100 && !strstr(seen, want); tries++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, seen + len, cap - len - 1);
		ck_assert_int_gt(n, 0);
		len += (size_t)n;
		seen[len] = '\0';
	}
	ck_assert_msg(strstr(seen, want), "no \"%s\" in \"%s\"", want, seen);
}

START_TEST(follow_across_rotation)
{
	char seen[4096] = "", path[128], old[136];
	int pipefd[2];
	pid_t pid;

	put("hello.log", "before\n", "w");
	cmd.follow = true;
	cmd.last_given = true;
	cmd.last_lines = 1;
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		FILE *out = fdopen(pipefd[1], "w");

		close(pipefd[0]);
		_exit(logs_run(&cmd, dir, out));
	}
	close(pipefd[1]);
	expect_output(pipefd[0], seen, sizeof(seen), "before\n");
	put("hello.log", "appended\n", "a");
	expect_output(pipefd[0], seen, sizeof(seen), "appended\n");
	/* rs-daemon rotates: the rest of the old file, then the new one. */
	put("hello.log", "last of old\n", "a");
	snprintf(path, sizeof(path), "%s/hello.log", dir);
	snprintf(old, sizeof(old), "%s.1", path);
	ck_assert_int_eq(rename(path, old), 0);
	put("hello.log", "first of new\n", "w");
	expect_output(pipefd[0], seen, sizeof(seen), "first of new\n");
	ck_assert_str_eq(seen, "before\nappended\nlast of old\nfirst of new\n");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(pipefd[0]);
}
END_TEST

static Suite *logs_suite(void)
{
	Suite *s = suite_create("service_logs");
	TCase *tc = tcase_create("logs");

	tcase_add_test(tc, tail_start);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, whole_log_older_file_first);
	tcase_add_test(tc, only_one_file);
	tcase_add_test(tc, no_log);
	tcase_add_test(tc, follow_across_rotation);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(logs_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
