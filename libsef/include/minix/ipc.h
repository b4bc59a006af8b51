/* SPDX-License-Identifier: MIT */
/*
 * <minix/ipc.h>: MINIX message IPC over /dev/mxsys.
 *
 * Calls return OK (0) or a negative error number, as in MINIX system code.
 */
#ifndef _MINIX_IPC_H
#define _MINIX_IPC_H

#include <stdint.h>
#include <linux/mxsys.h>
#include <minix/com.h>

#define OK		0

typedef int32_t endpoint_t;
typedef uint32_t u32_t;
typedef int32_t i32_t;
typedef uint64_t u64_t;

#define ANY		MXSYS_ANY
#define NONE		MXSYS_NONE
#define SELF		MXSYS_SELF
#define SYSTEM		MXSYS_SYSTEM
#define CLOCK		MXSYS_CLOCK
#define RS_PROC_NR	MXSYS_RS_ENDPOINT
#define DS_PROC_NR	MXSYS_DS_ENDPOINT

#define _ENDPOINT_P(ep)	MXSYS_ENDPOINT_SLOT(ep)
#define _ENDPOINT_G(ep)	MXSYS_ENDPOINT_GEN(ep)

/* RS -> service: RS_INIT. Service -> RS: RS_INIT with result. */
typedef struct {
	int32_t result;
	int32_t type;		/* SEF_INIT_FRESH, _LU, _RESTART */
	uint32_t flags;		/* SEF_INIT_* debug flags, SEF_LU_* flags */
	int32_t restarts;
	endpoint_t old_endpoint;
	int32_t prepare_state;
	/* Service -> RS: RS_POLICY_*, what a crash restart will do. */
	uint32_t restart_policy;
	uint8_t padding[28];
} mess_rs_init;

/* restart_policy: the restart callback keeps the endpoint, or resets. */
#define RS_POLICY_UNKNOWN	0
#define RS_POLICY_RESTART	1
#define RS_POLICY_RESET		2

/*
 * RS -> service: RS_LU_PREPARE{state, flags} asks it to prepare (state
 * SEF_LU_STATE_NULL cancels). Service -> RS: RS_LU_PREPARE{state,
 * result} by sendrec once prepared (or refused); the reply's m_type is
 * the update's outcome for the old instance.
 */
typedef struct {
	int32_t result;
	int32_t state;
	uint32_t flags;		/* SEF_LU_* */
	uint8_t padding[44];
} mess_rs_lu_prepare;

/*
 * RS -> service: RS_DEBUG_DUMP{grant, size, seq}: write a text dump of
 * your state (the sef_setcb_debug_dump callback's) into grant, a write
 * grant of size bytes of RS's memory, NUL-terminated. Service -> RS:
 * RS_DEBUG_DUMP{seq, result, size} by senda (AMF_NOREPLY), so that
 * neither side ever blocks on the other: result is OK or a negative
 * error, size the length of the text copied (the NUL not counted),
 * RS_DUMP_CUT in flags when the callback had more to say than fitted.
 */
typedef struct {
	int32_t result;
	int32_t grant;		/* cp_grant_id_t */
	uint32_t size;
	uint32_t seq;
	uint32_t flags;		/* service -> RS: RS_DUMP_CUT */
	uint8_t padding[36];
} mess_rs_dump;

#define RS_DUMP_CUT		0x1	/* the text did not fit: cut */

/* Anyone -> service: COMMON_REQ_FI_CTL{subtype}. */
typedef struct {
	int32_t subtype;	/* RS_FI_CRASH */
	uint8_t padding[52];
} mess_lsys_fi_ctl;

#define RS_FI_CRASH		1

/* Signal manager -> service: SIGS_SIGNAL_RECEIVED. */
typedef struct {
	int32_t num;
	uint8_t padding[52];
} mess_sigcalls;

/*
 * DS requests and replies (<minix/ds.h>, ds-daemon(8)). A key of up to
 * DS_INLINE_KEYLEN - 1 characters travels inline in key, with key_len 0;
 * a longer one (up to DS_MAX_KEYLEN - 1) in key_grant, a read grant of
 * key_len bytes (the NUL included). STR and MEM values travel in
 * val_grant (read for a publish, write for a retrieve), val_u32 bytes
 * long; the reply's val_u32 says how many moved. DS_CHECK and
 * DS_RETRIEVE_LABEL return the key through key_grant, a write grant of
 * key_len bytes. A changing request carries the client's (nonce, seq) so
 * that DS recognises it when it is sent again after DS died; nonce 0
 * takes no part in that (RS's label messages).
 */
#define DS_INLINE_KEYLEN	24
typedef struct {
	uint32_t flags;
	uint32_t val_u32;	/* U32 value, LABEL endpoint, STR/MEM length */
	endpoint_t owner;	/* reply: the owner's endpoint */
	uint32_t key_len;	/* 0: key inline; else bytes in key_grant */
	int32_t key_grant;
	int32_t val_grant;
	uint32_t nonce;
	uint32_t seq;
	char key[DS_INLINE_KEYLEN];
} mess_ds;

/* Generic payload views. */
typedef struct {
	int32_t i[14];
} mess_i32;

typedef struct {
	endpoint_t m_source;
	int32_t m_type;
	__extension__ union {	/* anonymous: C11, not C99 */
		uint8_t m_payload[MXSYS_MSG_PAYLOAD];
		uint64_t m_u64[MXSYS_MSG_PAYLOAD / 8];
		mess_rs_init m_rs_init;
		mess_rs_lu_prepare m_rs_lu_prepare;
		mess_lsys_fi_ctl m_lsys_fi_ctl;
		mess_rs_dump m_rs_dump;
		mess_sigcalls m_sigcalls;
		mess_ds m_ds;
		mess_i32 m_i32;
	};
} message;

#ifdef __cplusplus
static_assert(sizeof(message) == sizeof(struct mxsys_message),
	      "message must be the 64-byte MINIX message");
#else
_Static_assert(sizeof(message) == sizeof(struct mxsys_message),
	       "message must be the 64-byte MINIX message");
#endif

/* A notification's payload (NOTIFY_MESSAGE): its time, in ns of
 * CLOCK_MONOTONIC, and from SYSTEM the pending signal set. */
#define m_notify_timestamp	m_u64[MXSYS_NOTIFY_TIMESTAMP]
#define m_notify_sigset		m_u64[MXSYS_NOTIFY_SIGSET]

/* IPC status of a receive. */
#define IPC_STATUS_CALL(status)	MXSYS_STATUS_CALL(status)
#define is_ipc_notify(status)	(IPC_STATUS_CALL(status) == MXSYS_CALL_NOTIFY)
#define is_notify(type)		((type) == NOTIFY_MESSAGE)

#ifdef __cplusplus
extern "C" {
#endif

int ipc_send(endpoint_t dst, message *m);
int ipc_sendnb(endpoint_t dst, message *m);
int ipc_senda(endpoint_t dst, message *m);

/*
 * MINIX's asynsend3(): ipc_senda() with flags. AMF_NOREPLY: the message is
 * a request or an event, never to be taken as the answer of a thread of
 * dst waiting in ipc_sendrec() to us; it goes to a thread that receives.
 * Any other flag gives -EINVAL.
 */
#define AMF_NOREPLY		0x08
int asynsend3(endpoint_t dst, message *m, int flags);
#define asynsend(dst, m)	asynsend3((dst), (m), 0)
int ipc_receive(endpoint_t src, message *m, int *status);
int ipc_sendrec(endpoint_t dst, message *m);
int ipc_notify(endpoint_t dst);

/* The file descriptor of /dev/mxsys, opened on first use (or -1). */
int ipc_fd(void);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_IPC_H */
