/* SPDX-License-Identifier: MIT */
/*
 * <minix/sef.h>: the System Event Framework.
 *
 * A service registers callbacks, calls sef_startup() (which blocks until
 * RS has initialised it), then loops on sef_receive(), which answers RS's
 * pings and dispatches signal events itself and returns every other
 * message.
 */
#ifndef _MINIX_SEF_H
#define _MINIX_SEF_H

#include <minix/ipc.h>

/* Init types. */
#define SEF_INIT_FRESH		0
#define SEF_INIT_LU		1
#define SEF_INIT_RESTART	2

/* Init flags (debug). */
#define SEF_INIT_CRASH		0x01
#define SEF_INIT_FAIL		0x02
#define SEF_INIT_TIMEOUT	0x04
#define SEF_INIT_DEFCB		0x08
#define SEF_INIT_SCRIPT_RESTART	0x10
#define SEF_INIT_ST		0x20

typedef struct {
	int flags;
	endpoint_t endpoint;
	endpoint_t old_endpoint;
	int restarts;
	int prepare_state;
} sef_init_info_t;

typedef int (*sef_cb_init_t)(int type, sef_init_info_t *info);
typedef int (*sef_cb_init_response_t)(message *m);
typedef void (*sef_cb_ping_reply_t)(endpoint_t src);
typedef void (*sef_cb_signal_handler_t)(int signo);

void sef_startup(void);
int sef_receive_status(endpoint_t src, message *m, int *status);
#define sef_receive(src, m)	sef_receive_status((src), (m), NULL)
endpoint_t sef_self(void);
void sef_cancel(void);
void sef_exit(int status) __attribute__((noreturn));

void sef_setcb_init_fresh(sef_cb_init_t cb);
void sef_setcb_init_lu(sef_cb_init_t cb);
void sef_setcb_init_restart(sef_cb_init_t cb);
void sef_setcb_init_response(sef_cb_init_response_t cb);
void sef_setcb_ping_reply(sef_cb_ping_reply_t cb);
void sef_setcb_signal_handler(sef_cb_signal_handler_t cb);

/* Predefined callbacks. */
int sef_cb_init_null(int type, sef_init_info_t *info);
int sef_cb_init_fail(int type, sef_init_info_t *info);
int sef_cb_init_crash(int type, sef_init_info_t *info);
int sef_cb_init_response_rs_reply(message *m);
void sef_cb_ping_reply_pong(endpoint_t src);
void sef_cb_ping_reply_null(endpoint_t src);
void sef_cb_signal_handler_null(int signo);
void sef_cb_signal_handler_term(int signo);

#endif /* _MINIX_SEF_H */
