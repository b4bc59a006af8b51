/* SPDX-License-Identifier: MIT */
/*
 * Every message RS sends to a service, built in one place.
 *
 * Two kinds, sent two ways. A request or an event (RS_INIT, RS_LU_PREPARE,
 * SIGS_SIGNAL_RECEIVED, COMMON_REQ_FI_CTL, RS_DEBUG_DUMP, a label for ds)
 * goes by senda
 * with AMF_NOREPLY: RS never blocks, and a thread of the service waiting in
 * a sendrec to RS never takes it for its reply. A reply to a process
 * blocked in a sendrec to RS (its init, its live-update readiness) goes by
 * sendnb: it is that sendrec's answer, and fails at once if the process is
 * not waiting. A ping is a notify.
 *
 * Each returns OK or the negative error of the IPC call.
 */
#ifndef RS_MESSAGE_H
#define RS_MESSAGE_H

#include <stdint.h>

#include <minix/ipc.h>

/*
 * RS_INIT{type, flags, old_endpoint, prepare_state, restarts}: initialise
 * (SEF_INIT_FRESH, _RESTART or _LU). restarts counts this incarnation.
 */
int message_init(endpoint_t ep, int type, uint32_t flags,
		 endpoint_t old_endpoint, int prepare_state,
		 unsigned int restarts);

/* RS_LU_PREPARE{state, flags}: reach state, then answer by sendrec. */
int message_lu_prepare(endpoint_t ep, int state, uint32_t flags);
/*
 * RS_LU_PREPARE{SEF_LU_STATE_NULL}: the preparation is off. To a process
 * still preparing it is an event; to one blocked in its readiness
 * sendrec, the reply (message_lu_cancel_reply).
 */
int message_lu_cancel(endpoint_t ep);
int message_lu_cancel_reply(endpoint_t ep);

/* SIGS_SIGNAL_RECEIVED{sig}: a signal, as a message. */
int message_signal(endpoint_t ep, int sig);

/* COMMON_REQ_FI_CTL{RS_FI_CRASH}: crash on purpose (fault injection). */
int message_crash_request(endpoint_t ep);

/*
 * RS_DEBUG_DUMP{grant, size, seq}: write your debug dump into grant (size
 * bytes); the service answers RS_DEBUG_DUMP{seq, ...} by senda.
 */
int message_dump(endpoint_t ep, int32_t grant, uint32_t size, uint32_t seq);

/* The answer m_type = result to a process blocked in a sendrec to RS. */
int message_reply(endpoint_t ep, int result);

/* A ping (any notify back is a sign of life). */
int message_ping(endpoint_t ep);

/*
 * To ds: the label names endpoint ep (publish), or is gone (delete: ds
 * deletes the service's keys and subscriptions with it).
 */
int message_label_publish(const char *label, endpoint_t ep);
int message_label_delete(const char *label, endpoint_t ep);

#endif /* RS_MESSAGE_H */
