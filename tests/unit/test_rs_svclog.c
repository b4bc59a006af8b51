// SPDX-License-Identifier: MIT
/*
 * Per-service logs (servers/rs/svclog.c): lines from bytes, sd-daemon
 * priorities, and the whole path with real pipes and files: a child
 * started between svclog_redirect and svclog_restore writes to its label's
 * log, which reaches rs-daemon's stderr with the label and the label's
 * file with a time stamp, and is rotated at SVCLOG_FILE_MAX. Each test runs
 * in its own process (Check's fork mode), so svclog's state starts fresh.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratch_dir.h"
#include "../../servers/rs/svclog.h"

/* ---- lines ---- */

struct lines {
	char text[8][SVCLOG_LINE_MAX + 1];
	int count;
};

static void collect(const char *line, size_t len, void *arg)
{
	struct lines *l = arg;

	ck_assert_int_lt(l->count, 8);
	memcpy(l->text[l->count], line, len);
	l->text[l->count][len] = '\0';
	l->count++;
}

START_TEST(lines_from_bytes)
{
	struct svclog_buf buf = { .len = 0 };
	struct lines l = { .count = 0 };

	svclog_feed(&buf, "one\ntw", 6, collect, &l);
	ck_assert_int_eq(l.count, 1);
	ck_assert_str_eq(l.text[0], "one");
	svclog_feed(&buf, "o\n\nthree", 8, collect, &l);
	ck_assert_int_eq(l.count, 3);
	ck_assert_str_eq(l.text[1], "two");
	ck_assert_str_eq(l.text[2], "");
	/* "three" waits for its newline, or for the end. */
	ck_assert_int_eq(l.count, 3);
	svclog_flush(&buf, collect, &l);
	ck_assert_int_eq(l.count, 4);
	ck_assert_str_eq(l.text[3], "three");
	svclog_flush(&buf, collect, &l);
	ck_assert_int_eq(l.count, 4);
}
END_TEST

START_TEST(long_line_in_pieces)
{
	static char bytes[SVCLOG_LINE_MAX * 2 + 11];
	struct svclog_buf buf = { .len = 0 };
	struct lines l = { .count = 0 };

	memset(bytes, 'x', sizeof(bytes) - 1);
	bytes[sizeof(bytes) - 1] = '\n';
	svclog_feed(&buf, bytes, sizeof(bytes), collect, &l);
	ck_assert_int_eq(l.count, 3);
	ck_assert_uint_eq(strlen(l.text[0]), SVCLOG_LINE_MAX);
	ck_assert_uint_eq(strlen(l.text[1]), SVCLOG_LINE_MAX);
	ck_assert_uint_eq(strlen(l.text[2]), 10);
}
END_TEST

START_TEST(priorities)
{
	int prio = 99;

	ck_assert_str_eq(svclog_priority("<3>disk on fire", &prio), "disk on fire");
	ck_assert_int_eq(prio, 3);
	ck_assert_str_eq(svclog_priority("<7>", &prio), "");
	ck_assert_int_eq(prio, 7);
	ck_assert_str_eq(svclog_priority("<8>no", &prio), "<8>no");
	ck_assert_int_eq(prio, -1);
	ck_assert_str_eq(svclog_priority("<3", &prio), "<3");
	ck_assert_int_eq(prio, -1);
	ck_assert_str_eq(svclog_priority("plain <3>", &prio), "plain <3>");
	ck_assert_int_eq(prio, -1);
	ck_assert_str_eq(svclog_priority("", &prio), "");
	ck_assert_int_eq(prio, -1);
}
END_TEST

/* ---- the whole path ---- */

static char dir[64], logdir[128], errfile[160];

static void setup(void)
{
	int fd;

	scratch_dir_create(dir, sizeof(dir), "svclog");
	/* Two levels that do not exist yet: svclog_enable makes them. */
	snprintf(logdir, sizeof(logdir), "%s/var/mxsys", dir);
	snprintf(errfile, sizeof(errfile), "%s/rs-stderr", dir);
	/* rs-daemon's own stderr, to read back what it wrote. */
	fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

static void teardown(void)
{
	scratch_dir_remove(dir);
}

static char *slurp(const char *path)
{
	static char text[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

static bool always(const char *label)
{
	(void)label;
	return true;
}

static bool never(const char *label)
{
	(void)label;
	return false;
}

/* What poll would find readable now, read. */
static void pump(void)
{
	struct pollfd fds[SVCLOG_CHANNELS_MAX];
	int n = svclog_pollfds(fds, SVCLOG_CHANNELS_MAX, always);

	ck_assert_int_ge(poll(fds, (nfds_t)n, 0), 0);
	svclog_dispatch(fds, n);
}

/* A child started with label's log as its stdout and stderr writes text. */
static void child_writes(const char *label, const char *out, const char *err)
{
	bool redirected = svclog_redirect(label);
	pid_t pid;
	int status;

	ck_assert(redirected);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (write(STDOUT_FILENO, out, strlen(out)) < 0 ||
		    write(STDERR_FILENO, err, strlen(err)) < 0)
			_exit(1);
		_exit(0);
	}
	svclog_restore(redirected);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
}

START_TEST(disabled_does_nothing)
{
	struct pollfd fds[4];

	ck_assert(!svclog_enabled());
	ck_assert(!svclog_redirect("svc"));
	ck_assert_int_eq(svclog_pollfds(fds, 4, always), 0);
}
END_TEST

START_TEST(service_output_to_rs_log_and_file)
{
	char path[200];
	const char *text;

	ck_assert_int_eq(svclog_enable(logdir), 0);
	ck_assert(svclog_enabled());
	child_writes("hello", "Hello, World!\nhello: names itself\n",
		     "<3>boom\nno newline");
	/* rs-daemon's own stderr is its own again. */
	dprintf(STDERR_FILENO, "rs: own line\n");
	pump();

	text = slurp(errfile);
	ck_assert_ptr_nonnull(strstr(text, "rs: own line\n"));
	ck_assert_ptr_nonnull(strstr(text, "hello: Hello, World!\n"));
	ck_assert_ptr_nonnull(strstr(text, "hello: boom\n"));
	/* A line that names the service already is not prefixed again. */
	ck_assert_ptr_nonnull(strstr(text, "\nhello: names itself\n"));
	ck_assert_ptr_null(strstr(text, "hello: hello:"));
	/* Not the journal: the priority is read, not shown. */
	ck_assert_ptr_null(strstr(text, "<3>"));
	ck_assert_ptr_null(strstr(text, "no newline"));

	snprintf(path, sizeof(path), "%s/hello.log", logdir);
	text = slurp(path);
	ck_assert_ptr_nonnull(text);
	/* "YYYY-MM-DDTHH:MM:SS.mmm text" */
	ck_assert_ptr_nonnull(strstr(text, " Hello, World!\n"));
	ck_assert_ptr_nonnull(strstr(text, " boom\n"));
	ck_assert_int_eq(text[4], '-');
	ck_assert_int_eq(text[10], 'T');
	ck_assert_int_eq(text[19], '.');
	ck_assert_int_eq(text[23], ' ');

	/* The label is gone: the rest is flushed and the channel closed. */
	struct pollfd fds[4];

	ck_assert_int_eq(svclog_pollfds(fds, 4, never), 0);
	ck_assert_ptr_nonnull(strstr(slurp(errfile), "hello: no newline\n"));
	ck_assert_ptr_nonnull(strstr(slurp(path), " no newline\n"));
}
END_TEST

/* A restart writes to the same log; another label to its own. */
START_TEST(one_log_per_label)
{
	char path[200];

	ck_assert_int_eq(svclog_enable(logdir), 0);
	child_writes("a", "first a\n", "");
	child_writes("b", "only b\n", "");
	child_writes("a", "second a\n", "");
	pump();
	snprintf(path, sizeof(path), "%s/a.log", logdir);
	ck_assert_ptr_nonnull(strstr(slurp(path), " first a\n"));
	ck_assert_ptr_nonnull(strstr(slurp(path), " second a\n"));
	ck_assert_ptr_null(strstr(slurp(path), "only b"));
	snprintf(path, sizeof(path), "%s/b.log", logdir);
	ck_assert_ptr_nonnull(strstr(slurp(path), " only b\n"));
	svclog_close_all();
}
END_TEST

START_TEST(file_rotated_at_max)
{
	static char line[1000];
	char path[200], old[210];
	struct stat st;
	bool redirected;
	size_t written = 0;

	ck_assert_int_eq(svclog_enable(logdir), 0);
	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	redirected = svclog_redirect("big");
	svclog_restore(redirected);
	/* Write as the service would, through the pipe (RS holds its end). */
	redirected = svclog_redirect("big");
	while (written < SVCLOG_FILE_MAX + 100 * sizeof(line)) {
		/* Less than a pipe's capacity between two reads. */
		for (int i = 0; i < 16; i++) {
			ck_assert_int_eq(write(STDOUT_FILENO, line, sizeof(line)),
					 (ssize_t)sizeof(line));
			written += sizeof(line);
		}
		svclog_restore(redirected);
		pump();
		redirected = svclog_redirect("big");
	}
	svclog_restore(redirected);
	svclog_close_all();
	snprintf(path, sizeof(path), "%s/big.log", logdir);
	snprintf(old, sizeof(old), "%s.1", path);
	ck_assert_int_eq(stat(old, &st), 0);
	ck_assert_int_le(st.st_size, SVCLOG_FILE_MAX);
	ck_assert_int_gt(st.st_size, SVCLOG_FILE_MAX - 2 * (off_t)sizeof(line) - 64);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 0);
	ck_assert_int_le(st.st_size, SVCLOG_FILE_MAX);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
}
END_TEST

static Suite *svclog_suite(void)
{
	Suite *s = suite_create("rs_svclog");
	TCase *pure = tcase_create("lines");
	TCase *path = tcase_create("path");

	tcase_add_test(pure, lines_from_bytes);
	tcase_add_test(pure, long_line_in_pieces);
	tcase_add_test(pure, priorities);
	suite_add_tcase(s, pure);
	tcase_add_checked_fixture(path, setup, teardown);
	tcase_add_test(path, disabled_does_nothing);
	tcase_add_test(path, service_output_to_rs_log_and_file);
	tcase_add_test(path, one_log_per_label);
	tcase_add_test(path, file_rotated_at_max);
	tcase_set_timeout(path, 30);
	suite_add_tcase(s, path);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(svclog_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
