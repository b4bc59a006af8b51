/* SPDX-License-Identifier: MIT */
/*
 * SEF signal events. Services run with every catchable signal blocked; the
 * module routes them to the signal manager (RS), which hands them back as
 * SIGS_SIGNAL_RECEIVED, and signals for the service itself arrive as a
 * notify from SYSTEM carrying a signal set.
 */
#include <signal.h>

#include <minix/sef.h>

#include "sef_internal.h"

static struct {
	sef_cb_signal_handler_t handler;
} sef_signal = {
	.handler = sef_cb_signal_handler_null,
};

void sef_setcb_signal_handler(sef_cb_signal_handler_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_signal_handler: NULL callback");
	sef_signal.handler = cb;
}

void sef_signal_handle(int signo)
{
	sef_signal.handler(signo);
}

void sef_signal_handle_set(uint64_t sigset)
{
	/* Bit n - 1 stands for signal n, as in the module's ksig sets. */
	for (int signo = 1; signo <= 64; signo++) {
		if (sigset & (UINT64_C(1) << (signo - 1)))
			sef_signal.handler(signo);
	}
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
