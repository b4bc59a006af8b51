/* SPDX-License-Identifier: MIT */
/*
 * libsef private interfaces between the SEF concerns (startup/receive,
 * init, ping, live update, signals, fault injection). Hidden from the
 * shared library's ABI.
 */
#ifndef LIBSEF_SEF_INTERNAL_H
#define LIBSEF_SEF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <minix/errors.h>
#include <minix/sef.h>

#define SEF_HIDDEN __attribute__((visibility("hidden")))

/* One kernel call: ioctl @request on the shared descriptor; OK or -errno. */
SEF_HIDDEN int kernel_call(unsigned long request, void *arg);

/* Print "<program>: <message>" to stderr and exit(1), as MINIX panic(). */
SEF_HIDDEN void sef_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Own endpoint, or NONE before sef_startup() (sef_self() panics then). */
SEF_HIDDEN endpoint_t sef_self_or_none(void);

/*
 * The exit hook sef_startup() registers: sys_exit() once, so that the
 * signal manager learns of a voluntary exit as MINIX's SIGABRT.
 */
SEF_HIDDEN void sef_exit_notify(void);

/* Run the registered init callback and report to RS; returns the result. */
SEF_HIDDEN int sef_init_process(int type, sef_init_info_t *info);

/* A notify from RS is a ping. */
SEF_HIDDEN void sef_ping_handle(endpoint_t src);

/* RS_LU_PREPARE from RS: a prepare request, or a cancel (state NULL). */
SEF_HIDDEN void sef_lu_request(const message *m);
/* Top of every receive loop iteration: is a pending prepare state reached? */
SEF_HIDDEN void sef_lu_check_ready(void);
/* The state being prepared for, SEF_LU_STATE_NULL when none. */
SEF_HIDDEN int sef_lu_state(void);

/* Deliver one signal, or every signal of a set (bit n - 1 = signal n). */
SEF_HIDDEN void sef_signal_handle(int signo);
SEF_HIDDEN void sef_signal_handle_set(uint64_t sigset);
/*
 * A notify from SYSTEM: the service's own signals, then, for a signal
 * manager, the events of the slots it manages (sys_getksig).
 */
SEF_HIDDEN void sef_signal_notify(uint64_t sigset);
/* May src send this service SIGS_SIGNAL_RECEIVED (RS, or its manager)? */
SEF_HIDDEN bool sef_signal_sender_ok(endpoint_t src);

/*
 * The current signal manager of slot ep, asked from the module (generic
 * netlink MXSYS_CMD_SLOT_GET): OK or a negative error.
 */
SEF_HIDDEN int sef_slot_signal_manager(endpoint_t ep, endpoint_t *mgr);

/*
 * A sendrec of m to RS (the RS_INIT and live-update answers) that
 * survives RS's own death: -EDEADSRCDST (RS died with the message in
 * hand, or is dead until its standby takes over) sends m again, every
 * SEF_RS_RESEND_MS, at most SEF_RS_RESENDS times, as the new RS knows
 * nothing of the old one's message. Returns as ipc_sendrec.
 */
#define SEF_RS_RESENDS		20
#define SEF_RS_RESEND_MS	100
SEF_HIDDEN int sef_sendrec_rs(message *m);

/*
 * COMMON_REQ_FI_CTL: RS_FI_CRASH is a controlled crash (never returns);
 * other subtypes are refused (-ENOSYS to a sendrec caller).
 */
SEF_HIDDEN void sef_fi_handle(const message *m, int status);

/*
 * The debug dump (sef_dump.c). What the default callback tells, gathered
 * by sef_cb_debug_dump_default() and formatted by sef_dump_format(), a
 * pure function so that the host tests see every line.
 */
#define SEF_DUMP_FD_NAMES	8	/* fd store names listed, at most */
struct sef_dump_state {
	const char *name;	/* the slot's name */
	endpoint_t endpoint;
	int pid;
	int init_type;		/* SEF_INIT_*, -1 before any init */
	int restarts;		/* RS's count, as `status` shows it */
	int lu_state;		/* SEF_LU_STATE_*, NULL when no update */
	int lu_flags;
	int sig_result;		/* OK, or why sig_pending is unknown */
	uint64_t sig_pending;	/* bit n - 1: signal n waits for the manager */
	int open_fds;		/* the process's, or a negative error */
	int fd_stored;		/* files in the fd store, or a negative error */
	char fd_names[SEF_DUMP_FD_NAMES][SEF_FD_NAME_LEN];
	unsigned int ds_calls;	/* requests to DS, and how many changed it */
	unsigned int ds_changes;
	unsigned int ds_errors;	/* answered with an error (ENOENT included) */
};
SEF_HIDDEN int sef_dump_format(const struct sef_dump_state *st, char *buf,
			       size_t size);
/* RS_DEBUG_DUMP from RS: run the callback, copy its text, answer. */
SEF_HIDDEN void sef_dump_handle(const message *m);

/* The slot's name (sys_whoami's), "" before sef_startup(). */
SEF_HIDDEN const char *sef_self_name(void);
/* The last init's type (-1 before any) and restart count. */
SEF_HIDDEN void sef_init_last(int *type, int *restarts);
/* The flags of the update being prepared for (sef_lu_state()). */
SEF_HIDDEN int sef_lu_flags(void);
/* The DS requests this process made, changing ones, failed ones. */
SEF_HIDDEN void sef_ds_usage(unsigned int *calls, unsigned int *changes,
			     unsigned int *errors);
/* The signals of slot ep waiting for its manager (MXSYS_A_SIG_PENDING). */
SEF_HIDDEN int sef_slot_sig_pending(endpoint_t ep, uint64_t *pending);

#endif /* LIBSEF_SEF_INTERNAL_H */
