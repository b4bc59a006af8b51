/* SPDX-License-Identifier: MIT */
/*
 * SEF signal events. Services run with every catchable signal blocked; the
 * module routes them to the slot's signal manager (RS by default), which
 * hands them back as SIGS_SIGNAL_RECEIVED. A service that is its own
 * manager gets them in a notify from SYSTEM carrying a signal set.
 *
 * A service may itself be the signal manager of others (system.conf
 * `sigmgr`): the same notify from SYSTEM then also means that slots it
 * manages have signals or a death to pull with sys_getksig; each signal
 * goes to the manager callback, and sys_endksig lets the slot run again.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "sef_internal.h"

/* A bound on one drain, so a misbehaving module cannot trap the service. */
#define SEF_KSIG_BATCH_MAX	4096

/* What the module said the last time we asked for managed events. */
enum ksig_access {
	KSIG_UNKNOWN,
	KSIG_ALLOWED,
	KSIG_DENIED,	/* no GETKSIG in the call mask: not a manager */
};

static struct {
	sef_cb_signal_handler_t handler;
	sef_cb_signal_manager_t manager;
	enum ksig_access ksig_access;
} sef_signal = {
	.handler = sef_cb_signal_handler_null,
	.manager = sef_cb_signal_manager_null,
	.ksig_access = KSIG_UNKNOWN,
};

void sef_setcb_signal_handler(sef_cb_signal_handler_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_signal_handler: NULL callback");
	sef_signal.handler = cb;
}

void sef_setcb_signal_manager(sef_cb_signal_manager_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_signal_manager: NULL callback");
	sef_signal.manager = cb;
}

void sef_signal_handle(int signo)
{
	/* The number comes from another process: never pass on garbage. */
	if (signo < 1 || signo > MXSYS_NSIG) {
		fprintf(stderr, "%s: signal number %d out of range: ignored\n",
			program_invocation_short_name, signo);
		return;
	}
	sef_signal.handler(signo);
}

void sef_signal_handle_set(uint64_t sigset)
{
	/* Bit n - 1 stands for signal n, as in the module's ksig sets. */
	for (int signo = 1; signo <= MXSYS_NSIG; signo++) {
		if (sigset & MXSYS_SIGBIT(signo))
			sef_signal.handler(signo);
	}
}

bool sef_signal_sender_ok(endpoint_t src)
{
	endpoint_t self = sef_self_or_none();
	endpoint_t mgr;

	if (src == RS_PROC_NR)
		return true;
	/*
	 * Another manager (system.conf `sigmgr`) can change at any time (its
	 * backup takes over, RS replaces a freed one): ask the module now.
	 * Such messages are rare; anybody else's is an ordinary message.
	 */
	if (self == NONE || sef_slot_signal_manager(self, &mgr) != OK)
		return false;
	return mgr == src;
}

/*
 * A death record stands for the signal a MINIX manager would have seen:
 * the one that killed the process, or SIGABRT (MINIX's sys_exit()) for an
 * exit. Either is a termination signal.
 */
static int death_signal(int wait_status)
{
	if (WIFSIGNALED(wait_status) && WTERMSIG(wait_status) >= 1 &&
	    WTERMSIG(wait_status) <= MXSYS_NSIG)
		return WTERMSIG(wait_status);
	return SIGABRT;
}

/* One record from sys_getksig: each signal to the manager callback. */
static void manage_record(const struct mxsys_ksig *ksig)
{
	uint64_t set = ksig->sigset;
	int r = OK;

	if (ksig->flags & MXSYS_KSIG_DEAD)
		set = MXSYS_SIGBIT(death_signal(ksig->exit_status));
	for (int signo = 1; signo <= MXSYS_NSIG; signo++) {
		if (!(set & MXSYS_SIGBIT(signo)))
			continue;
		r = sef_signal.manager(ksig->endpoint, signo);
		/* The target is gone: its other signals mean nothing. */
		if (r == -EDEADEPT)
			break;
	}
	if (r != OK)
		return;
	/* Let the target run again (a dead one: nothing to do, and OK). */
	r = sys_endksig(ksig->endpoint);
	if (r != OK && r != -EDEADEPT)
		fprintf(stderr, "%s: sys_endksig(%d) failed: %s\n",
			program_invocation_short_name, ksig->endpoint,
			sef_strerror(r));
}

static void manage_pending(void)
{
	for (int i = 0; i < SEF_KSIG_BATCH_MAX; i++) {
		struct mxsys_ksig ksig;
		int r = sys_getksig(&ksig);

		if (r == -ECALLDENIED) {
			/* Not a manager, which is no error. */
			sef_signal.ksig_access = KSIG_DENIED;
			return;
		}
		if (r != OK) {
			fprintf(stderr, "%s: sys_getksig failed: %s\n",
				program_invocation_short_name, sef_strerror(r));
			return;
		}
		sef_signal.ksig_access = KSIG_ALLOWED;
		if (ksig.endpoint == NONE)
			return;
		manage_record(&ksig);
	}
	fprintf(stderr, "%s: more than %d signal events at once; the rest waits for the next notify\n",
		program_invocation_short_name, SEF_KSIG_BATCH_MAX);
}

void sef_signal_notify(uint64_t sigset)
{
	sef_signal_handle_set(sigset);
	/*
	 * The notify does not say whether it was also for managed slots.
	 * A service known not to be a manager skips the kernel call, except
	 * for a notify that carries no own signal: that one can only be for
	 * managed slots, so its privileges may have grown since.
	 */
	if (sef_signal.ksig_access == KSIG_DENIED && sigset != 0)
		return;
	manage_pending();
}

void sef_cb_signal_handler_null(int signo)
{
	/* MINIX's default: a service ignores every signal, SIGTERM included. */
	(void)signo;
}

void sef_cb_signal_handler_term(int signo)
{
	if (signo == SIGTERM)
		sef_exit(1);
}

void sef_cb_signal_handler_posix_default(int signo)
{
	switch (signo) {
	/* POSIX's "ignore" and "continue" defaults: nothing to do. */
	case SIGCHLD:
	case SIGWINCH:
	case SIGCONT:
	/* A service does not stop: RS would take it for hung. */
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return;
	default:
		sef_exit(1);
	}
}

int sef_cb_signal_manager_null(endpoint_t target, int signo)
{
	(void)target;
	(void)signo;
	return OK;
}
