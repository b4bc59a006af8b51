// SPDX-License-Identifier: MIT
/*
 * restart-probe: the one program bench.sh restarts under every supervisor
 * it compares (rs-daemon, s6-supervise, runsv and a bare fork+exec loop),
 * and the stopwatch that kills it and times its comeback.
 *
 *   restart-probe [--sef] [FILE]
 *       The probe. Its first sign of life is one line appended to FILE
 *       (default ./alive; DIR/alive if FILE is a directory):
 *       t=MONO_US pid=PID  (CLOCK_MONOTONIC, which every process shares);
 *       then it sleeps until killed. It serves as the `run` of an s6 or
 *       runit service directory as it is (a symlink to this binary, so
 *       that a restart execs this program and nothing else, as rs-daemon
 *       does): runsv starts ./run without arguments, s6-supervise with the
 *       service directory as its argument. With --sef it is a
 *       SEF service started by rs-daemon: it writes its line once
 *       sef_startup() has returned, i.e. once RS has let it serve, restarts
 *       in place, keeping its endpoint (SEF_CB_INIT_RESTART_STATEFUL, as
 *       testsvc restart=own in bench.sh's crash_to_serving) and ends on
 *       SIGTERM (`minix-service down`).
 *   restart-probe --bare PROGRAM [ARG...]
 *       The floor among restarters: fork+exec PROGRAM, wait for it to
 *       die, start it again at once, forever.
 *   restart-probe --kill FILE TIMEOUT_S
 *       The stopwatch: SIGKILL the instance that wrote FILE's last line,
 *       wait (inotify, no polling delay) for a line from another pid and
 *       print  alive_us=N seen_us=N : that line's own time and the time
 *       this program read it, both counted from the kill. Exit 1 with the
 *       reason on stderr if there is no live instance to kill or no new
 *       one comes within TIMEOUT_S.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <minix/sef.h>

#define DEFAULT_ALIVE_FILE	"alive"
#define LINE_MAX_LEN		128
#define READ_CHUNK		4096

static uint64_t mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void __attribute__((noreturn)) usage_exit(void)
{
	fprintf(stderr,
		"usage: restart-probe [--sef] [FILE]\n"
		"       restart-probe --bare PROGRAM [ARG...]\n"
		"       restart-probe --kill FILE TIMEOUT_S\n");
	exit(2);
}

/* ---- the probe ---- */

static void say_alive(const char *where)
{
	char line[LINE_MAX_LEN], file[PATH_MAX];
	uint64_t now = mono_us();
	struct stat st;
	int fd, n;

	if (stat(where, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/%s", where, DEFAULT_ALIVE_FILE);
	else
		snprintf(file, sizeof(file), "%s", where);
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "restart-probe: cannot open %s: %s\n", file,
			strerror(errno));
		exit(1);
	}
	n = snprintf(line, sizeof(line), "t=%llu pid=%d\n",
		     (unsigned long long)now, (int)getpid());
	/* One write: lines of instances that overlap never interleave. */
	if (write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "restart-probe: cannot write %s: %s\n", file,
			strerror(errno));
		exit(1);
	}
	close(fd);
}

static void __attribute__((noreturn)) run_plain(const char *file)
{
	say_alive(file);
	for (;;)
		pause();
}

static void __attribute__((noreturn)) run_sef(const char *file)
{
	message m;
	int r;

	sef_setcb_init_restart(SEF_CB_INIT_RESTART_STATEFUL);
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_startup();
	say_alive(file);
	/* Nothing to serve: receiving keeps SEF's signal handling going. */
	for (;;) {
		r = sef_receive(ANY, &m);
		if (r != OK) {
			fprintf(stderr, "restart-probe: receive failed: %d\n", r);
			exit(1);
		}
	}
}

/* ---- the bare restarter ---- */

static int run_bare(char **argv)
{
	for (;;) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("restart-probe: fork");
			return 1;
		}
		if (pid == 0) {
			execv(argv[0], argv);
			perror("restart-probe: exec");
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				perror("restart-probe: waitpid");
				return 1;
			}
		}
		/* A program that cannot start would make this loop spin. */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return 1;
	}
}

/* ---- the stopwatch ---- */

struct alive_line {
	uint64_t t_us;
	pid_t pid;
};

static bool parse_line(const char *line, struct alive_line *out)
{
	unsigned long long t;
	int pid;

	if (sscanf(line, "t=%llu pid=%d", &t, &pid) != 2 || pid <= 0)
		return false;
	out->t_us = t;
	out->pid = pid;
	return true;
}

/*
 * Read the complete lines of @fd from *@off on, advancing *@off past them.
 * Stops at the first line from a pid other than @skip (if @skip > 0) and
 * returns true with it in @found; else returns false with @found holding
 * the last line read (found->pid stays 0 if there was none).
 */
static bool scan_lines(int fd, off_t *off, pid_t skip, struct alive_line *found)
{
	char buf[READ_CHUNK + 1];

	for (;;) {
		ssize_t n = pread(fd, buf, READ_CHUNK, *off);
		char *line = buf, *nl;

		if (n <= 0)
			return false;
		buf[n] = '\0';
		while ((nl = memchr(line, '\n', (size_t)(buf + n - line)))) {
			struct alive_line a;

			*nl = '\0';
			*off += nl + 1 - line;
			if (parse_line(line, &a)) {
				*found = a;
				if (skip > 0 && a.pid != skip)
					return true;
			}
			line = nl + 1;
		}
		/* Only an unfinished line is left: wait for the rest. */
		if (line == buf)
			return false;
	}
}

static int run_kill(const char *file, const char *timeout_text)
{
	struct alive_line last = { 0 }, next = { 0 };
	char events[sizeof(struct inotify_event) + NAME_MAX + 1];
	uint64_t t_kill, deadline;
	off_t off = 0;
	char *end;
	long timeout_s;
	int fd, ino;

	timeout_s = strtol(timeout_text, &end, 10);
	if (*timeout_text == '\0' || *end != '\0' || timeout_s <= 0 ||
	    timeout_s > INT_MAX / 1000)
		usage_exit();
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "restart-probe: cannot open %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	scan_lines(fd, &off, 0, &last);
	if (last.pid == 0 || kill(last.pid, 0) < 0) {
		fprintf(stderr, "restart-probe: no live instance in %s\n", file);
		return 1;
	}
	/* Watch before the kill: a line written right after it is seen. */
	ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (ino < 0 || inotify_add_watch(ino, file, IN_MODIFY) < 0) {
		perror("restart-probe: inotify");
		return 1;
	}
	t_kill = mono_us();
	if (kill(last.pid, SIGKILL) < 0) {
		fprintf(stderr, "restart-probe: kill %d: %s\n", (int)last.pid,
			strerror(errno));
		return 1;
	}
	deadline = t_kill + (uint64_t)timeout_s * 1000000u;
	while (!scan_lines(fd, &off, last.pid, &next)) {
		struct pollfd p = { .fd = ino, .events = POLLIN };
		uint64_t now = mono_us();

		if (now >= deadline) {
			fprintf(stderr, "restart-probe: no new instance in %s "
				"within %ld s\n", file, timeout_s);
			return 1;
		}
		if (poll(&p, 1, (int)((deadline - now) / 1000 + 1)) < 0 &&
		    errno != EINTR) {
			perror("restart-probe: poll");
			return 1;
		}
		while (read(ino, events, sizeof(events)) > 0)
			;
	}
	printf("alive_us=%lld seen_us=%llu\n",
	       (long long)next.t_us - (long long)t_kill,
	       (unsigned long long)(mono_us() - t_kill));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--bare"))
		return run_bare(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "--kill"))
		return run_kill(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "--sef")) {
		if (argc > 3)
			usage_exit();
		run_sef(argc == 3 ? argv[2] : DEFAULT_ALIVE_FILE);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		usage_exit();
	run_plain(argc == 2 ? argv[1] : DEFAULT_ALIVE_FILE);
}
