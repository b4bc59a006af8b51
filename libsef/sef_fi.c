/* SPDX-License-Identifier: MIT */
/* SEF fault injection: `minix-service fi` asks a service to crash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sef_internal.h"

void sef_fi_handle(const message *m)
{
	/*
	 * A real crash (SIGABRT, which cannot stay blocked through abort()),
	 * so RS recovers exactly as it would from an unplanned one.
	 */
	fprintf(stderr, "%s: fault injection requested by endpoint %d: crashing\n",
		program_invocation_short_name, m->m_source);
	abort();
}
