/* SPDX-License-Identifier: MIT */
/*
 * libsef private interfaces between the SEF concerns (startup/receive,
 * init, ping, signals). Hidden from the shared library's ABI.
 */
#ifndef LIBSEF_SEF_INTERNAL_H
#define LIBSEF_SEF_INTERNAL_H

#include <stdint.h>
#include <minix/sef.h>

#define SEF_HIDDEN __attribute__((visibility("hidden")))

/* One kernel call: ioctl @request on the shared descriptor; OK or -errno. */
SEF_HIDDEN int kernel_call(unsigned long request, void *arg);

/* Print "<program>: <message>" to stderr and exit(1), as MINIX panic(). */
SEF_HIDDEN void sef_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* strerror() that also names MINIX's own errors (numbered above 200). */
SEF_HIDDEN const char *sef_strerror(int err);

/* Run the registered init callback and report to RS; returns the result. */
SEF_HIDDEN int sef_init_process(int type, sef_init_info_t *info);

/* A notify from RS is a ping. */
SEF_HIDDEN void sef_ping_handle(endpoint_t src);

/* Deliver one signal, or every signal of a SYSTEM notify's set. */
SEF_HIDDEN void sef_signal_handle(int signo);
SEF_HIDDEN void sef_signal_handle_set(uint64_t sigset);

/* COMMON_REQ_FI_CTL: a controlled crash; never returns. */
SEF_HIDDEN void sef_fi_handle(const message *m) __attribute__((noreturn));

#endif /* LIBSEF_SEF_INTERNAL_H */
