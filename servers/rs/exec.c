// SPDX-License-Identifier: MIT
/* Process spawning for services: fork, wait for the go, exec. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

static void close_pipe(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* Read exactly len bytes unless EOF comes first; returns the count read. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void write_errno(int fd, int error)
{
	ssize_t r;

	do {
		r = write(fd, &error, sizeof(error));
	} while (r < 0 && errno == EINTR);
}

/*
 * The child between fork and exec. Only async-signal-safe calls: RS is
 * single-threaded, but keeping to them costs nothing and stays correct if
 * that ever changes.
 */
static void __attribute__((noreturn))
child_run(int release_fd, int exec_status_fd, char *const argv[])
{
	struct sigaction dfl;
	sigset_t empty;
	char go;

	if (read_full(release_fd, &go, 1) != 1)
		_exit(126);	/* RS gave up on this child */
	close(release_fd);

	/* A service must not die with RS's session or share its signals. */
	setsid();
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	/* libsef blocks what the service needs itself. */
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);

	/*
	 * Keep stdin/stdout/stderr (service logs go to RS's console) and
	 * close everything else at exec, the status pipe included.
	 */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		write_errno(exec_status_fd, errno);
		_exit(127);
	}
	execv(argv[0], argv);
	write_errno(exec_status_fd, errno);
	_exit(127);
}

int spawn_prepare(struct spawn *sp, char *const argv[])
{
	int release_pipe[2] = { -1, -1 };
	int status_pipe[2] = { -1, -1 };
	pid_t pid;
	int error;

	if (pipe2(release_pipe, O_CLOEXEC) < 0 ||
	    pipe2(status_pipe, O_CLOEXEC) < 0) {
		error = -errno;
		close_pipe(release_pipe);
		close_pipe(status_pipe);
		return error;
	}
	pid = fork();
	if (pid < 0) {
		error = -errno;
		close_pipe(release_pipe);
		close_pipe(status_pipe);
		return error;
	}
	if (pid == 0) {
		close(release_pipe[1]);
		close(status_pipe[0]);
		child_run(release_pipe[0], status_pipe[1], argv);
	}
	close(release_pipe[0]);
	close(status_pipe[1]);
	sp->pid = pid;
	sp->release_fd = release_pipe[1];
	sp->exec_status_fd = status_pipe[0];
	return 0;
}

int spawn_release(struct spawn *sp)
{
	const char go = 1;
	int child_errno;
	ssize_t n;

	do {
		n = write(sp->release_fd, &go, 1);
	} while (n < 0 && errno == EINTR);
	close(sp->release_fd);
	sp->release_fd = -1;
	if (n != 1) {
		/* The child is gone already: nothing will exec. */
		close(sp->exec_status_fd);
		sp->exec_status_fd = -1;
		kill(sp->pid, SIGKILL);
		return -ECHILD;
	}
	/*
	 * Blocks only for the few syscalls between the go and execve: the
	 * write end closes on a successful exec (EOF) or carries errno.
	 */
	n = read_full(sp->exec_status_fd, &child_errno, sizeof(child_errno));
	close(sp->exec_status_fd);
	sp->exec_status_fd = -1;
	if (n == 0)
		return 0;
	if (n == (ssize_t)sizeof(child_errno) && child_errno > 0)
		return -child_errno;
	return -EIO;
}

void spawn_abort(struct spawn *sp)
{
	kill(sp->pid, SIGKILL);
	if (sp->release_fd >= 0)
		close(sp->release_fd);
	if (sp->exec_status_fd >= 0)
		close(sp->exec_status_fd);
	sp->release_fd = -1;
	sp->exec_status_fd = -1;
}
