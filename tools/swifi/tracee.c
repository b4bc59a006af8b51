// SPDX-License-Identifier: MIT
/*
 * ptrace attach of all threads. PTRACE_SEIZE + PTRACE_INTERRUPT rather
 * than PTRACE_ATTACH: ATTACH sends SIGSTOP, which stops the whole thread
 * group as a job-control stop that the target (and RS) could see; SEIZE
 * stops each thread for the tracer alone and leaves no signal behind.
 */
#include "tracee.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

struct tracee_thread *tracee_thread(struct tracee *tracee, pid_t tid)
{
	for (size_t i = 0; i < tracee->count; i++)
		if (tracee->threads[i].tid == tid)
			return &tracee->threads[i];
	return NULL;
}

struct tracee_thread *tracee_add_thread(struct tracee *tracee, pid_t tid)
{
	struct tracee_thread *thread;

	if (tracee->count == tracee->capacity) {
		size_t bigger = tracee->capacity ? tracee->capacity * 2 : 16;
		struct tracee_thread *more = realloc(tracee->threads,
						     bigger * sizeof(*more));

		if (!more)
			return NULL;
		tracee->threads = more;
		tracee->capacity = bigger;
	}
	thread = &tracee->threads[tracee->count++];
	memset(thread, 0, sizeof(*thread));
	thread->tid = tid;
	return thread;
}

void tracee_forget_thread(struct tracee *tracee, pid_t tid)
{
	struct tracee_thread *thread = tracee_thread(tracee, tid);

	if (thread)
		*thread = tracee->threads[--tracee->count];
}

/*
 * Wait for a seized thread's first stop. A signal that arrived first is
 * kept to be delivered at detach. Returns 0, or ESRCH if the thread died.
 */
static int wait_first_stop(struct tracee_thread *thread)
{
	int status;

	for (;;) {
		if (waitpid(thread->tid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return ESRCH;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return ESRCH;
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 16 == 0 && WSTOPSIG(status) != SIGTRAP)
			thread->pending_signal = WSTOPSIG(status);
		return 0;
	}
}

static void attach_failed(pid_t pid, int error, char *err, size_t errlen)
{
	if (error == ESRCH)
		snprintf(err, errlen, "no process with pid %d", (int)pid);
	else if (error == EPERM)
		snprintf(err, errlen, "not permitted to trace pid %d: it belongs "
			 "to another user, is already traced (a debugger, "
			 "strace), or Yama's ptrace_scope forbids it; run as root",
			 (int)pid);
	else
		snprintf(err, errlen, "cannot trace pid %d: %s", (int)pid,
			 strerror(error));
}

/* One pass over /proc/PID/task; *added counts the threads newly stopped. */
static int attach_new_threads(struct tracee *tracee, size_t *added, char *err,
			      size_t errlen)
{
	char dir[64];
	struct dirent *entry;
	DIR *tasks;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)tracee->pid);
	tasks = opendir(dir);
	if (!tasks) {
		attach_failed(tracee->pid, errno == ENOENT ? ESRCH : errno,
			      err, errlen);
		return -1;
	}
	*added = 0;
	while ((entry = readdir(tasks)) != NULL) {
		pid_t tid = (pid_t)atoi(entry->d_name);
		struct tracee_thread *thread;

		if (tid <= 0 || tracee_thread(tracee, tid))
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, 0) != 0) {
			if (errno == ESRCH && tid != tracee->pid)
				continue;	/* the thread just ended */
			attach_failed(tracee->pid, errno, err, errlen);
			closedir(tasks);
			return -1;
		}
		thread = tracee_add_thread(tracee, tid);
		if (!thread) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			snprintf(err, errlen, "out of memory");
			closedir(tasks);
			return -1;
		}
		if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0 ||
		    wait_first_stop(thread) != 0) {
			tracee_forget_thread(tracee, tid);
			if (tid == tracee->pid) {
				snprintf(err, errlen, "pid %d ended while being "
					 "attached", (int)tracee->pid);
				closedir(tasks);
				return -1;
			}
			continue;
		}
		(*added)++;
	}
	closedir(tasks);
	return 0;
}

int tracee_attach(struct tracee *tracee, pid_t pid, char *err, size_t errlen)
{
	char mem[64];
	size_t added;

	memset(tracee, 0, sizeof(*tracee));
	tracee->pid = pid;
	tracee->mem_fd = -1;
	/* Threads started while we attach show up in the next pass. */
	do {
		if (attach_new_threads(tracee, &added, err, errlen) != 0) {
			tracee_detach(tracee);
			return -1;
		}
	} while (added > 0);

	snprintf(mem, sizeof(mem), "/proc/%d/mem", (int)pid);
	tracee->mem_fd = open(mem, O_RDWR | O_CLOEXEC);
	if (tracee->mem_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", mem, strerror(errno));
		tracee_detach(tracee);
		return -1;
	}
	return 0;
}

void tracee_detach(struct tracee *tracee)
{
	for (size_t i = 0; i < tracee->count; i++) {
		const struct tracee_thread *thread = &tracee->threads[i];

		ptrace(PTRACE_DETACH, thread->tid, 0,
		       (void *)(long)thread->pending_signal);
	}
	if (tracee->mem_fd >= 0)
		close(tracee->mem_fd);
	free(tracee->threads);
	memset(tracee, 0, sizeof(*tracee));
	tracee->mem_fd = -1;
}

int tracee_read(const struct tracee *tracee, uint64_t address, void *buf,
		size_t len)
{
	ssize_t n = pread(tracee->mem_fd, buf, len, (off_t)address);

	if (n < 0)
		return errno;
	return (size_t)n == len ? 0 : EIO;
}

int tracee_write(const struct tracee *tracee, uint64_t address,
		 const void *buf, size_t len)
{
	ssize_t n = pwrite(tracee->mem_fd, buf, len, (off_t)address);

	if (n < 0)
		return errno;
	return (size_t)n == len ? 0 : EIO;
}

int tracee_get_regs(pid_t tid, struct user_regs_struct *regs)
{
	return ptrace(PTRACE_GETREGS, tid, 0, regs) == 0 ? 0 : errno;
}

int tracee_set_regs(pid_t tid, const struct user_regs_struct *regs)
{
	return ptrace(PTRACE_SETREGS, tid, 0, regs) == 0 ? 0 : errno;
}

int tracee_set_debugreg(pid_t tid, int number, uint64_t value)
{
	size_t offset = offsetof(struct user, u_debugreg) +
			(size_t)number * sizeof(((struct user *)0)->u_debugreg[0]);

	return ptrace(PTRACE_POKEUSER, tid, (void *)offset, (void *)value) == 0 ?
		0 : errno;
}

int tracee_get_debugreg(pid_t tid, int number, uint64_t *value)
{
	size_t offset = offsetof(struct user, u_debugreg) +
			(size_t)number * sizeof(((struct user *)0)->u_debugreg[0]);
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKUSER, tid, (void *)offset, 0);
	if (errno)
		return errno;
	*value = (uint64_t)word;
	return 0;
}
