/* SPDX-License-Identifier: MIT */
/*
 * <minix/sef.h>: the System Event Framework.
 *
 * A service registers callbacks, calls sef_startup() (which blocks until
 * RS has initialised it), then loops on sef_receive(), which answers RS's
 * pings, runs the live-update protocol and dispatches signal events
 * itself, and returns every other message. See libsef(3).
 */
#ifndef _MINIX_SEF_H
#define _MINIX_SEF_H

#include <stddef.h>
#include <minix/ipc.h>

/* Init types. */
#define SEF_INIT_FRESH		0
#define SEF_INIT_LU		1
#define SEF_INIT_RESTART	2

/* Init flags: debug requests (minix-service -x -y -z -d -t) and hints. */
#define SEF_INIT_CRASH		0x01
#define SEF_INIT_FAIL		0x02
#define SEF_INIT_TIMEOUT	0x04
#define SEF_INIT_DEFCB		0x08
#define SEF_INIT_SCRIPT_RESTART	0x10
#define SEF_INIT_ST		0x20

typedef struct {
	int flags;		/* SEF_INIT_* and SEF_LU_* */
	endpoint_t endpoint;	/* our own */
	endpoint_t old_endpoint;	/* previous instance, or NONE */
	int restarts;		/* RS's restart count + 1 */
	int prepare_state;	/* LU: the state the old instance prepared in */
} sef_init_info_t;

/* Live-update prepare states. */
#define SEF_LU_STATE_NULL		0	/* also "cancel" */
#define SEF_LU_STATE_WORK_FREE		1
#define SEF_LU_STATE_REQUEST_FREE	2
#define SEF_LU_STATE_PROTOCOL_FREE	3
#define SEF_LU_STATE_EVAL		4	/* no expression evaluator: never ready */
#define SEF_LU_STATE_UNREACHABLE	5	/* debug: never ready */
#define SEF_LU_STATE_PREPARE_CRASH	6	/* debug: crash when asked */
#define SEF_LU_STATE_CUSTOM_BASE	7
#define SEF_LU_STATE_IS_STANDARD(s) \
	((s) > SEF_LU_STATE_NULL && (s) < SEF_LU_STATE_CUSTOM_BASE)
#define SEF_LU_STATE_IS_DEBUG(s) \
	((s) == SEF_LU_STATE_UNREACHABLE || (s) == SEF_LU_STATE_PREPARE_CRASH)

/* Live-update flags (also passed as init flags). */
#define SEF_LU_SELF		0x0100
#define SEF_LU_ASR		0x0200
#define SEF_LU_MULTI		0x0400
#define SEF_LU_INCLUDES_VM	0x0800
#define SEF_LU_INCLUDES_RS	0x1000
#define SEF_LU_PREPARE_ONLY	0x2000
#define SEF_LU_NOMMAP		0x4000
#define SEF_LU_DETACHED		0x8000

/* Callback types. */
typedef int (*sef_cb_init_t)(int type, sef_init_info_t *info);
typedef int (*sef_cb_init_response_t)(message *m);
typedef void (*sef_cb_ping_reply_t)(endpoint_t src);
typedef int (*sef_cb_lu_prepare_t)(int state);
typedef int (*sef_cb_lu_state_isvalid_t)(int state, int flags);
typedef void (*sef_cb_lu_state_changed_t)(int old_state, int state);
typedef void (*sef_cb_lu_state_dump_t)(int state);
typedef int (*sef_cb_lu_state_save_t)(int state, int flags);
typedef int (*sef_cb_lu_response_t)(message *m);
typedef void (*sef_cb_signal_handler_t)(int signo);
typedef int (*sef_cb_signal_manager_t)(endpoint_t target, int signo);
/*
 * Debug dump (`minix-service dump LABEL`): write text about the service's
 * state into buf, size bytes with room for the NUL, and return as
 * snprintf does: the length of the whole text, more than size - 1 when it
 * was cut; or a negative error for RS to report.
 */
typedef int (*sef_cb_debug_dump_t)(char *buf, size_t size);

#ifdef __cplusplus
extern "C" {
#endif

/* Entry points. */
void sef_startup(void);
int sef_receive_status(endpoint_t src, message *m, int *status);
#define sef_receive(src, m)	sef_receive_status((src), (m), NULL)
endpoint_t sef_self(void);
void sef_cancel(void);

/*
 * The fd store (libsef(3)): open files the module keeps for this
 * service's endpoint across its crashes, restarts and live updates.
 * Names: 1 to SEF_FD_NAME_LEN - 1 printable characters.
 */
#define SEF_FD_NAME_LEN		MXSYS_FD_NAME_LEN
#define SEF_FD_MAX		MXSYS_FD_MAX
int sef_fd_store(const char *name, int fd);
int sef_fd_replace(const char *name, int fd);
int sef_fd_fetch(const char *name);
int sef_fd_remove(const char *name);
int sef_fd_list(char names[][SEF_FD_NAME_LEN], int max);
void sef_exit(int status) __attribute__((noreturn));

/* Registration; a NULL callback is a programming error (panic). */
void sef_setcb_init_fresh(sef_cb_init_t cb);
void sef_setcb_init_lu(sef_cb_init_t cb);
void sef_setcb_init_restart(sef_cb_init_t cb);
void sef_setcb_init_response(sef_cb_init_response_t cb);
void sef_setcb_ping_reply(sef_cb_ping_reply_t cb);
void sef_setcb_lu_prepare(sef_cb_lu_prepare_t cb);
void sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_t cb);
void sef_setcb_lu_state_changed(sef_cb_lu_state_changed_t cb);
void sef_setcb_lu_state_dump(sef_cb_lu_state_dump_t cb);
void sef_setcb_lu_state_save(sef_cb_lu_state_save_t cb);
void sef_setcb_lu_response(sef_cb_lu_response_t cb);
void sef_setcb_signal_handler(sef_cb_signal_handler_t cb);
void sef_setcb_signal_manager(sef_cb_signal_manager_t cb);
void sef_setcb_debug_dump(sef_cb_debug_dump_t cb);

/* Predefined init callbacks. */
int sef_cb_init_null(int type, sef_init_info_t *info);
int sef_cb_init_fail(int type, sef_init_info_t *info);
int sef_cb_init_crash(int type, sef_init_info_t *info);
int sef_cb_init_timeout(int type, sef_init_info_t *info);
int sef_cb_init_reset(int type, sef_init_info_t *info);
int sef_cb_init_restart_generic(int type, sef_init_info_t *info);
int sef_cb_init_lu_identity_as_restart(int type, sef_init_info_t *info);
int sef_cb_init_lu_generic(int type, sef_init_info_t *info);
int sef_cb_init_response_rs_reply(message *m);
int sef_cb_init_response_null(message *m);

#define SEF_CB_INIT_FRESH_NULL		sef_cb_init_null
#define SEF_CB_INIT_LU_NULL		sef_cb_init_null
#define SEF_CB_INIT_RESTART_NULL	sef_cb_init_null
#define SEF_CB_INIT_FRESH_DEFAULT	sef_cb_init_null
#define SEF_CB_INIT_LU_DEFAULT		sef_cb_init_lu_generic
#define SEF_CB_INIT_RESTART_DEFAULT	sef_cb_init_reset
#define SEF_CB_INIT_RESTART_STATEFUL	sef_cb_init_restart_generic

/* Predefined ping callbacks. */
void sef_cb_ping_reply_pong(endpoint_t src);
void sef_cb_ping_reply_null(endpoint_t src);

/* Predefined live-update callbacks. */
int sef_cb_lu_prepare_null(int state);
int sef_cb_lu_prepare_always_ready(int state);
int sef_cb_lu_prepare_never_ready(int state);
int sef_cb_lu_prepare_crash(int state);
int sef_cb_lu_state_isvalid_null(int state, int flags);
int sef_cb_lu_state_isvalid_generic(int state, int flags);
int sef_cb_lu_state_isvalid_standard(int state, int flags);
int sef_cb_lu_state_isvalid_workfree(int state, int flags);
int sef_cb_lu_state_isvalid_workfree_self(int state, int flags);
void sef_cb_lu_state_changed_null(int old_state, int state);
void sef_cb_lu_state_dump_null(int state);
int sef_cb_lu_state_save_null(int state, int flags);
int sef_cb_lu_response_rs_reply(message *m);
int sef_cb_lu_response_null(message *m);

/* Predefined signal callbacks. */
void sef_cb_signal_handler_null(int signo);
void sef_cb_signal_handler_term(int signo);
void sef_cb_signal_handler_posix_default(int signo);
int sef_cb_signal_manager_null(endpoint_t target, int signo);

/* Predefined debug dump callback: SEF's own state (the default). */
int sef_cb_debug_dump_default(char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_SEF_H */
