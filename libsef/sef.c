/* SPDX-License-Identifier: MIT */
/*
 * SEF core: startup (block signals, learn who we are, wait for RS_INIT),
 * the receive loop that consumes SEF events before the service sees a
 * message, and the exit path (every exit tells the signal manager).
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "sef_internal.h"

/*
 * What SEF knows of the process. Any thread may ask (sef_self(), exit()),
 * so the fields other threads read are atomic; the rest is written before
 * sef_startup() returns and only read afterwards.
 */
static struct {
	atomic_bool started;
	pid_t pid;		/* the slot's process; not a child it forks */
	atomic_int self;
	char name[MXSYS_NAME_LEN];
	atomic_bool cancelled;	/* sef_cancel() may run in another thread */
	atomic_flag exit_notified;	/* sys_exit() is called once */
	atomic_flag receiving;	/* a thread is in sef_receive() */
} sef_core = {
	.started = false,
	.self = NONE,
	.exit_notified = ATOMIC_FLAG_INIT,
	.receiving = ATOMIC_FLAG_INIT,
};

/* sys_whoami() into sef_core; OK or a negative error. */
static int learn_identity(int *priv_flags, int *init_flags)
{
	endpoint_t self;
	int r;

	r = sys_whoami(&self, sef_core.name, sizeof(sef_core.name), priv_flags,
		       init_flags);
	if (r == OK)
		atomic_store(&sef_core.self, self);
	return r;
}

/*
 * Services must not die of SIGTERM and friends: the module routes their
 * signals to the signal manager, which decides. Threads created later
 * inherit the mask. Faults (SIGSEGV, ...) and SIGKILL still kill.
 */
static void block_catchable_signals(void)
{
	sigset_t all;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0)
		sef_panic("sef_startup: cannot block signals: %s",
			  strerror(errno));
}

/* Discard everything until RS_INIT from RS, as MINIX does at startup. */
static void wait_for_rs_init(message *m)
{
	for (;;) {
		int r = ipc_receive(RS_PROC_NR, m, NULL);

		if (r != OK)
			sef_panic("sef_startup: receive from RS failed: %s",
				  sef_strerror(r));
		if (m->m_source == RS_PROC_NR && m->m_type == RS_INIT)
			return;
	}
}

void sef_startup(void)
{
	sef_init_info_t info;
	message m;
	int priv_flags, init_flags;
	int r;

	block_catchable_signals();

	r = learn_identity(&priv_flags, &init_flags);
	if (r != OK)
		sef_panic("sef_startup: sys_whoami failed: %s "
			  "(a service must be started by rs-daemon)",
			  sef_strerror(r));
	sef_core.pid = getpid();
	atomic_store(&sef_core.started, true);

	/*
	 * Registered before the service can register its own exit handlers,
	 * so it runs after them: sys_exit() freezes the slot's IPC until
	 * the manager is done with the SIGABRT it raises.
	 */
	if (atexit(sef_exit_notify) != 0)
		sef_panic("sef_startup: cannot register the exit handler");

	/* RS initialises itself: nobody is there to send it RS_INIT. */
	if (priv_flags & MXSYS_ROOT_SYS_PROC)
		return;

	wait_for_rs_init(&m);

	/*
	 * A standby replica or a live update's new version waited in a
	 * spare slot and was swapped into the service's endpoint before RS
	 * let it receive: ask again who we are now.
	 */
	r = learn_identity(&priv_flags, &init_flags);
	if (r != OK)
		sef_panic("sef_startup: sys_whoami failed after RS_INIT: %s",
			  sef_strerror(r));

	memset(&info, 0, sizeof(info));
	/* RS may hand debug flags through the slot as well as the message. */
	info.flags = (int)m.m_rs_init.flags | init_flags;
	info.endpoint = atomic_load(&sef_core.self);
	info.old_endpoint = m.m_rs_init.old_endpoint;
	info.restarts = m.m_rs_init.restarts;
	info.prepare_state = m.m_rs_init.prepare_state;

	r = sef_init_process(m.m_rs_init.type, &info);
	if (r != OK)
		sef_panic("sef_startup: initialisation failed: %s",
			  sef_strerror(r));
}

/* Consume a SEF event; false when the message belongs to the service. */
static bool handle_sef_event(const message *m, int status)
{
	if (is_ipc_notify(status)) {
		if (m->m_source == RS_PROC_NR) {
			sef_ping_handle(m->m_source);
			return true;
		}
		if (m->m_source == SYSTEM) {
			sef_signal_notify(m->m_notify_sigset);
			return true;
		}
		return false;
	}

	switch (m->m_type) {
	case RS_INIT:
		/* Spurious once initialised: drop it. */
		return m->m_source == RS_PROC_NR;
	case RS_LU_PREPARE:
		if (m->m_source != RS_PROC_NR)
			return false;
		sef_lu_request(m);
		return true;
	case SIGS_SIGNAL_RECEIVED:
		if (!sef_signal_sender_ok(m->m_source))
			return false;
		sef_signal_handle(m->m_sigcalls.num);
		return true;
	case COMMON_REQ_FI_CTL:
		sef_fi_handle(m, status);
		return true;
	case RS_DEBUG_DUMP:
		if (m->m_source != RS_PROC_NR)
			return false;
		sef_dump_handle(m);
		return true;
	default:
		return false;
	}
}

static int receive_loop(endpoint_t src, message *m, int *status)
{
	int st;
	int r;

	for (;;) {
		if (atomic_exchange(&sef_core.cancelled, false))
			return -EINTR;
		/*
		 * The service finished its previous message: the moment to see
		 * whether a live update's prepare state has been reached.
		 */
		if (sef_lu_state() != SEF_LU_STATE_NULL)
			sef_lu_check_ready();

		r = ipc_receive(src, m, &st);
		if (r != OK)
			return r;
		if (!handle_sef_event(m, st))
			break;
	}
	if (status)
		*status = st;
	return OK;
}

int sef_receive_status(endpoint_t src, message *m, int *status)
{
	int r;

	if (!m)
		return -EINVAL;
	/*
	 * SEF's events (pings, live update, signals) belong to one thread:
	 * a second one here would take some of them and answer out of turn.
	 */
	if (atomic_flag_test_and_set(&sef_core.receiving))
		return -EBUSY;
	r = receive_loop(src, m, status);
	atomic_flag_clear(&sef_core.receiving);
	return r;
}

endpoint_t sef_self(void)
{
	if (!atomic_load(&sef_core.started))
		sef_panic("sef_self called before sef_startup");
	return atomic_load(&sef_core.self);
}

const char *sef_self_name(void)
{
	return atomic_load(&sef_core.started) ? sef_core.name : "";
}

endpoint_t sef_self_or_none(void)
{
	return atomic_load(&sef_core.started) ? atomic_load(&sef_core.self) :
						NONE;
}

void sef_cancel(void)
{
	atomic_store(&sef_core.cancelled, true);
}

void sef_exit_notify(void)
{
	int r;

	/*
	 * A child the service forked inherits the handler but not the slot
	 * (the module refuses it): its exit is nobody's business.
	 */
	if (!atomic_load(&sef_core.started) || getpid() != sef_core.pid ||
	    atomic_flag_test_and_set(&sef_core.exit_notified))
		return;
	/*
	 * MINIX's sys_exit(): the module routes SIGABRT for us to the signal
	 * manager, so RS sees a voluntary exit as a termination; the death
	 * itself is reported after the process is gone. Nothing to do if it
	 * fails: the death still reaches the manager.
	 */
	r = sys_exit();
	if (r != OK)
		fprintf(stderr, "%s: sys_exit failed: %s\n",
			program_invocation_short_name, sef_strerror(r));
}

void sef_exit(int status)
{
	/* exit() runs the handler sef_startup() registered: sys_exit(). */
	exit(status);
}
