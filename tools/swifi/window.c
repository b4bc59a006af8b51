// SPDX-License-Identifier: MIT
/* A tracee running for a window, its traps watched (window.h). */
#include "window.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

static int resume(struct tracee_thread *thread, int signal)
{
	if (ptrace(PTRACE_CONT, thread->tid, 0, (void *)(long)signal) != 0)
		return errno;
	thread->running = true;
	return 0;
}

static bool is_group_stop_signal(int signal)
{
	return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN ||
	       signal == SIGTTOU;
}

/* One wait status of one of the tracee's threads while it runs. */
static int on_event(struct tracee *tracee, const struct window_ops *ops,
		    pid_t tid, int status)
{
	struct tracee_thread *thread = tracee_thread(tracee, tid);
	int event = status >> 16;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		tracee_forget_thread(tracee, tid);
		return 0;
	}
	if (!WIFSTOPPED(status))
		return 0;
	if (!thread) {
		/* A new thread can report before its creator's clone event. */
		thread = tracee_add_thread(tracee, tid);
		if (!thread)
			return ENOMEM;
	}
	thread->running = false;
	if (event == PTRACE_EVENT_CLONE) {
		unsigned long child;

		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 &&
		    !tracee_thread(tracee, (pid_t)child) &&
		    !tracee_add_thread(tracee, (pid_t)child))
			return ENOMEM;
		return resume(thread, 0);
	}
	if (event == PTRACE_EVENT_STOP) {
		if (ops->prepare_thread)
			ops->prepare_thread(ops->arg, tid);
		if (is_group_stop_signal(WSTOPSIG(status)))
			return ptrace(PTRACE_LISTEN, tid, 0, 0) == 0 ? 0 : errno;
		return resume(thread, 0);
	}
	if (WSTOPSIG(status) == SIGTRAP)
		return resume(thread, ops->on_trap(ops->arg, thread) ? 0 : SIGTRAP);
	return resume(thread, WSTOPSIG(status));
}

static long remaining_ms(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Wait for events until done, time is up or no thread is left. */
static int run_until(struct tracee *tracee, const struct window_ops *ops,
		     unsigned int timeout_ms)
{
	struct timespec deadline;
	sigset_t child;
	long left;

	sigemptyset(&child);
	sigaddset(&child, SIGCHLD);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	while (!(ops->done && ops->done(ops->arg)) && tracee->count > 0 &&
	       (left = remaining_ms(&deadline)) > 0) {
		struct timespec wait = { left / 1000, (left % 1000) * 1000000 };
		int status, r;
		pid_t tid = waitpid(-1, &status, __WALL | WNOHANG);

		if (tid < 0 && errno == ECHILD)
			break;
		if (tid <= 0) {
			/* SIGCHLD is blocked: it stays pending until taken here. */
			sigtimedwait(&child, NULL, &wait);
			continue;
		}
		r = on_event(tracee, ops, tid, status);
		if (r && r != ESRCH)
			return r;
	}
	return 0;
}

/*
 * A trap the thread took just before the interrupt: the kernel reports
 * the interrupt's stop first and leaves the SIGTRAP queued, and after the
 * detach it would kill the target. Seen here, the thread runs on into it.
 */
static bool trap_queued(pid_t tid)
{
	struct __ptrace_peeksiginfo_args args = { .off = 0, .flags = 0, .nr = 8 };
	siginfo_t queued[8];
	long n = ptrace(PTRACE_PEEKSIGINFO, tid, &args, queued);

	for (long i = 0; i < n; i++)
		if (queued[i].si_signo == SIGTRAP)
			return true;
	return false;
}

/*
 * Stop the threads still running. A thread may report a signal first
 * (one that came before the interrupt): it is kept for the detach, and a
 * trap goes to the caller, who may claim it.
 */
static void stop_all(struct tracee *tracee, const struct window_ops *ops)
{
	for (size_t i = 0; i < tracee->count; i++)
		if (tracee->threads[i].running)
			ptrace(PTRACE_INTERRUPT, tracee->threads[i].tid, 0, 0);
	for (;;) {
		struct tracee_thread *thread = NULL;
		int status;
		pid_t tid;

		for (size_t i = 0; i < tracee->count && !thread; i++)
			if (tracee->threads[i].running)
				thread = &tracee->threads[i];
		if (!thread)
			break;
		tid = waitpid(thread->tid, &status, __WALL);
		if (tid < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			tracee_forget_thread(tracee, thread->tid);
			continue;
		}
		thread->running = false;
		if (status >> 16 != 0) {
			if (trap_queued(thread->tid) &&
			    ptrace(PTRACE_CONT, thread->tid, 0, 0) == 0)
				thread->running = true;	/* into the trap */
			continue;
		}
		if (WSTOPSIG(status) != SIGTRAP || !ops->on_trap(ops->arg, thread))
			thread->pending_signal = WSTOPSIG(status);
	}
}

int window_run(struct tracee *tracee, const struct window_ops *ops,
	       unsigned int timeout_ms)
{
	sigset_t child, saved;
	int r = 0;

	sigemptyset(&child);
	sigaddset(&child, SIGCHLD);
	sigprocmask(SIG_BLOCK, &child, &saved);
	for (size_t i = 0; i < tracee->count && r == 0; i++)
		if (ptrace(PTRACE_SETOPTIONS, tracee->threads[i].tid, 0,
			   (void *)PTRACE_O_TRACECLONE) != 0)
			r = errno;
	for (size_t i = 0; i < tracee->count && r == 0; i++) {
		struct tracee_thread *thread = &tracee->threads[i];
		int signal = thread->pending_signal;

		thread->pending_signal = 0;
		r = resume(thread, signal);
	}
	if (r == 0)
		r = run_until(tracee, ops, timeout_ms);
	stop_all(tracee, ops);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return r;
}
