// SPDX-License-Identifier: MIT
/* Watching patched addresses with the debug registers while the target runs. */
#include "activation.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

struct watch_state {
	struct tracee *tracee;
	struct watch *watches;
	size_t count;
	uint64_t control;	/* DR7 with every unresolved watch armed */
	size_t resolved;
};

static int arm(const struct watch_state *state, pid_t tid)
{
	int r = 0;

	for (size_t i = 0; i < state->count && r == 0; i++)
		r = tracee_set_debugreg(tid, (int)i, state->watches[i].address);
	if (r == 0)
		r = tracee_set_debugreg(tid, DEBUGREG_CONTROL, state->control);
	return r;
}

static int resume(struct tracee_thread *thread, int signal)
{
	if (ptrace(PTRACE_CONT, thread->tid, 0, (void *)(long)signal) != 0)
		return errno;
	thread->running = true;
	return 0;
}

/* A trap: ours if DR6 names a watch; else a SIGTRAP for the target. */
static int on_trap(struct watch_state *state, struct tracee_thread *thread)
{
	uint64_t status = 0;
	unsigned int hits;

	if (tracee_get_debugreg(thread->tid, DEBUGREG_STATUS, &status) != 0)
		return resume(thread, SIGTRAP);
	hits = debugreg_hits(status);
	if (!hits)
		return resume(thread, SIGTRAP);
	for (size_t i = 0; i < state->count; i++) {
		struct watch *watch = &state->watches[i];
		uint64_t now;

		if (!(hits & (1u << i)) || watch->result != ACTIVATION_NOT_REACHED)
			continue;
		watch->result = ACTIVATION_REACHED;
		/* A data watchpoint traps after the access: a write shows. */
		if (watch->kind == DEBUGREG_ACCESS_8 &&
		    tracee_read(state->tracee, watch->address, &now, sizeof(now)) == 0 &&
		    now != watch->written_value)
			watch->result = ACTIVATION_OVERWRITTEN;
		state->resolved++;
	}
	tracee_set_debugreg(thread->tid, DEBUGREG_STATUS, 0);
	return resume(thread, 0);
}

static bool is_group_stop_signal(int signal)
{
	return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN ||
	       signal == SIGTTOU;
}

/* One wait status of one of the tracee's threads while it runs. */
static int on_event(struct watch_state *state, pid_t tid, int status)
{
	struct tracee *tracee = state->tracee;
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
		/* A new thread's first stop, or a job-control stop. */
		arm(state, tid);
		if (is_group_stop_signal(WSTOPSIG(status)))
			return ptrace(PTRACE_LISTEN, tid, 0, 0) == 0 ? 0 : errno;
		return resume(thread, 0);
	}
	if (WSTOPSIG(status) == SIGTRAP)
		return on_trap(state, thread);
	return resume(thread, WSTOPSIG(status));
}

static long remaining_ms(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Wait for events until every watch is resolved, time is up or no thread is left. */
static int run_window(struct watch_state *state, unsigned int timeout_ms)
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
	while (state->resolved < state->count && state->tracee->count > 0 &&
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
		r = on_event(state, tid, status);
		if (r && r != ESRCH)
			return r;
	}
	return 0;
}

/* Stop the threads still running and disarm every thread. */
static void stop_and_disarm(struct tracee *tracee)
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
		if (status >> 16 == 0 && WSTOPSIG(status) != SIGTRAP)
			thread->pending_signal = WSTOPSIG(status);
	}
	for (size_t i = 0; i < tracee->count; i++)
		tracee_set_debugreg(tracee->threads[i].tid, DEBUGREG_CONTROL, 0);
}

int activation_watch(struct tracee *tracee, struct watch *watches,
		     size_t count, unsigned int timeout_ms, char *err,
		     size_t errlen)
{
	enum debugreg_kind kinds[DEBUGREG_SLOTS];
	struct watch_state state = {
		.tracee = tracee, .watches = watches, .count = count,
	};
	sigset_t child, saved;
	int r = 0;

	if (count > DEBUGREG_SLOTS) {
		snprintf(err, errlen, "at most %d faults can be watched at once",
			 DEBUGREG_SLOTS);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		kinds[i] = watches[i].kind;
		watches[i].result = ACTIVATION_NOT_REACHED;
	}
	state.control = debugreg_control(kinds, count);

	sigemptyset(&child);
	sigaddset(&child, SIGCHLD);
	sigprocmask(SIG_BLOCK, &child, &saved);
	for (size_t i = 0; i < tracee->count && r == 0; i++) {
		struct tracee_thread *thread = &tracee->threads[i];

		r = arm(&state, thread->tid);
		if (r == 0 && ptrace(PTRACE_SETOPTIONS, thread->tid, 0,
				     (void *)PTRACE_O_TRACECLONE) != 0)
			r = errno;
	}
	if (r) {
		snprintf(err, errlen, "cannot set debug registers: %s", strerror(r));
	} else {
		for (size_t i = 0; i < tracee->count && r == 0; i++) {
			struct tracee_thread *thread = &tracee->threads[i];
			int signal = thread->pending_signal;

			thread->pending_signal = 0;
			r = resume(thread, signal);
		}
		if (r == 0)
			r = run_window(&state, timeout_ms);
		if (r)
			snprintf(err, errlen, "watching for activation: %s",
				 strerror(r));
	}
	stop_and_disarm(tracee);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (tracee->count == 0)
		for (size_t i = 0; i < count; i++)
			if (watches[i].result == ACTIVATION_NOT_REACHED)
				watches[i].result = ACTIVATION_TARGET_GONE;
	return r ? -1 : 0;
}
