// SPDX-License-Identifier: MIT
/*
 * Messages on /dev/mxsys: kernel events, heartbeats, init answers,
 * live-update readiness, and the answers of ds and of dumps.
 */
#include <errno.h>

#include <minix/ds_admin.h>
#include <minix/syslib.h>

#include "dispatch.h"
#include "ds_relay.h"
#include "dump.h"
#include "log.h"
#include "manager.h"
#include "message.h"
#include "standby.h"

/*
 * One notify from SYSTEM stands for any number of pending events; a
 * bound keeps a misbehaving module from trapping RS in this loop.
 */
#define KSIG_BATCH_MAX	4096

void dispatch_kernel_events(void)
{
	struct mxsys_ksig ksig;

	for (int i = 0; i < KSIG_BATCH_MAX; i++) {
		int r = sys_getksig(&ksig);

		if (r < 0) {
			rs_err("getksig failed: %s", sef_strerror(r));
			return;
		}
		if (ksig.endpoint == NONE)
			return;
		if (standby_owns(ksig.endpoint)) {
			/* RS's own standby: no service, its signals are void. */
			if (ksig.flags & MXSYS_KSIG_DEAD)
				standby_died(ksig.endpoint);
			else
				(void)sys_endksig(ksig.endpoint);
			continue;
		}
		if (ksig.flags & MXSYS_KSIG_DEAD)
			manager_death(ksig.endpoint, ksig.exit_status,
				      ksig.pid);
		else if (ksig.sigset)
			manager_signals(ksig.endpoint, ksig.sigset);
	}
	rs_warn("getksig: more than %d events at once, continuing later",
	       KSIG_BATCH_MAX);
}

void dispatch_message(const message *m, int status)
{
	int call = IPC_STATUS_CALL(status);

	if (is_ipc_notify(status)) {
		switch (m->m_source) {
		case SYSTEM:
			dispatch_kernel_events();
			return;
		case CLOCK:
			return;	/* RS keeps time with its own timerfd */
		default:
			/*
			 * The module stamps a notify when it is sent: judge the
			 * service by when it answered, not by when RS got to it.
			 */
			manager_alive(m->m_source,
				      (rs_time_t)(m->m_notify_timestamp / 1000000));
			return;
		}
	}

	switch (m->m_type) {
	case RS_INIT:
		if (call != MXSYS_CALL_SENDREC) {
			rs_warn("RS_INIT from %d not sent by sendrec, ignored",
			       m->m_source);
			return;
		}
		manager_init_ready(m->m_source, m->m_rs_init.result,
				   m->m_rs_init.restart_policy);
		return;
	case RS_LU_PREPARE:
		if (call != MXSYS_CALL_SENDREC) {
			rs_warn("RS_LU_PREPARE from %d not sent by sendrec, ignored",
			       m->m_source);
			return;
		}
		manager_prepare_ready(m->m_source, m->m_rs_lu_prepare.state,
				      m->m_rs_lu_prepare.result);
		return;
	case DS_ADMIN_REPLY:
		ds_relay_reply(m);
		return;
	case RS_DEBUG_DUMP:
		dump_reply(m);
		return;
	default:
		rs_debug("message %#x from %d: not a request RS knows",
			 m->m_type, m->m_source);
		/* A caller blocked in sendrec must not wait forever. */
		if (call == MXSYS_CALL_SENDREC &&
		    message_reply(m->m_source, -ENOSYS) < 0)
			rs_debug("cannot answer %d", m->m_source);
		return;
	}
}
