// SPDX-License-Identifier: MIT
/* RS -> service messages (see message.h for which go how). */
#include <string.h>

#include <minix/ds.h>
#include <minix/rs.h>
#include <minix/sef.h>

#include "message.h"

/* A message with only its type set. */
static message of_type(int32_t type)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	return m;
}

static int send_event(endpoint_t ep, message *m)
{
	return asynsend3(ep, m, AMF_NOREPLY);
}

int message_init(endpoint_t ep, int type, uint32_t flags,
		 endpoint_t old_endpoint, int prepare_state,
		 unsigned int restarts)
{
	message m = of_type(RS_INIT);

	m.m_rs_init.type = type;
	m.m_rs_init.flags = flags;
	m.m_rs_init.restarts = (int32_t)restarts;
	m.m_rs_init.old_endpoint = old_endpoint;
	m.m_rs_init.prepare_state = prepare_state;
	return send_event(ep, &m);
}

static message lu_prepare(int state, uint32_t flags)
{
	message m = of_type(RS_LU_PREPARE);

	m.m_rs_lu_prepare.state = state;
	m.m_rs_lu_prepare.flags = flags;
	return m;
}

int message_lu_prepare(endpoint_t ep, int state, uint32_t flags)
{
	message m = lu_prepare(state, flags);

	return send_event(ep, &m);
}

int message_lu_cancel(endpoint_t ep)
{
	message m = lu_prepare(SEF_LU_STATE_NULL, 0);

	return send_event(ep, &m);
}

int message_lu_cancel_reply(endpoint_t ep)
{
	message m = lu_prepare(SEF_LU_STATE_NULL, 0);

	return ipc_sendnb(ep, &m);
}

int message_signal(endpoint_t ep, int sig)
{
	message m = of_type(SIGS_SIGNAL_RECEIVED);

	m.m_sigcalls.num = sig;
	return send_event(ep, &m);
}

int message_crash_request(endpoint_t ep)
{
	message m = of_type(COMMON_REQ_FI_CTL);

	m.m_lsys_fi_ctl.subtype = RS_FI_CRASH;
	return send_event(ep, &m);
}

int message_dump(endpoint_t ep, int32_t grant, uint32_t size, uint32_t seq)
{
	message m = of_type(RS_DEBUG_DUMP);

	m.m_rs_dump.grant = grant;
	m.m_rs_dump.size = size;
	m.m_rs_dump.seq = seq;
	return send_event(ep, &m);
}

int message_reply(endpoint_t ep, int result)
{
	message m = of_type(result);

	return ipc_sendnb(ep, &m);
}

int message_ping(endpoint_t ep)
{
	return ipc_notify(ep);
}

static int label_message(int32_t type, uint32_t flags, const char *label,
			 endpoint_t ep)
{
	message m = of_type(type);

	m.m_ds.flags = flags;
	m.m_ds.val_u32 = (uint32_t)ep;
	m.m_ds.owner = RS_PROC_NR;
	strncpy(m.m_ds.key, label, sizeof(m.m_ds.key) - 1);
	return send_event(DS_PROC_NR, &m);
}

int message_label_publish(const char *label, endpoint_t ep)
{
	return label_message(DS_PUBLISH, DSF_TYPE_LABEL | DSF_OVERWRITE, label,
			     ep);
}

int message_label_delete(const char *label, endpoint_t ep)
{
	return label_message(DS_DELETE, DSF_TYPE_LABEL, label, ep);
}
