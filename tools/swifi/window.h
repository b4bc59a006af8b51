/* SPDX-License-Identifier: MIT */
/*
 * Letting a seized tracee run for a time window while its traps are
 * watched, then holding it still again: what the activation check
 * (hardware breakpoints on the faults) and the golden run (one-shot
 * breakpoints on every function) share.
 *
 * Every thread runs, threads it creates meanwhile are seized too, a
 * job-control stop stays a stop, and every signal but the traps the
 * caller claims reaches the target as it would have without us. At the
 * end every thread is stopped again (a trap met while stopping is handed
 * to the caller as well), ready for the caller's cleanup and the detach.
 */
#ifndef MXSYS_SWIFI_WINDOW_H
#define MXSYS_SWIFI_WINDOW_H

#include <stdbool.h>
#include <sys/types.h>

#include "tracee.h"

struct window_ops {
	/*
	 * Thread stopped with SIGTRAP: true if the trap was the caller's
	 * (it resumes without the signal), false to deliver SIGTRAP.
	 */
	bool (*on_trap)(void *arg, struct tracee_thread *thread);
	/*
	 * Thread stopped at a PTRACE_EVENT_STOP: a new thread's first stop,
	 * before it runs, or a job-control stop (so it must be harmless to
	 * do twice). May be NULL.
	 */
	void (*prepare_thread)(void *arg, pid_t tid);
	/* Nothing left to wait for: end the window early (may be NULL). */
	bool (*done)(void *arg);
	void *arg;
};

/*
 * Run the stopped tracee for at most timeout_ms, then stop it again.
 * Returns 0, or an errno value (the tracee is stopped again either way).
 */
int window_run(struct tracee *tracee, const struct window_ops *ops,
	       unsigned int timeout_ms);

#endif /* MXSYS_SWIFI_WINDOW_H */
