/* SPDX-License-Identifier: MIT */
/* SEF fault injection: `minix-service fi` asks a service to crash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sef_internal.h"

void sef_fi_handle(const message *m, int status)
{
	message reply;
	int r;

	if (m->m_lsys_fi_ctl.subtype == RS_FI_CRASH) {
		/*
		 * A real crash (SIGABRT, which cannot stay blocked through
		 * abort()), so RS recovers exactly as it would from an
		 * unplanned one.
		 */
		fprintf(stderr, "%s: fault injection requested by endpoint %d: crashing\n",
			program_invocation_short_name, m->m_source);
		abort();
	}

	/* MINIX hands other subtypes to EDFI, which Linux does not have. */
	fprintf(stderr, "%s: fault injection request %d from endpoint %d not supported: ignored\n",
		program_invocation_short_name, m->m_lsys_fi_ctl.subtype,
		m->m_source);
	if (IPC_STATUS_CALL(status) != MXSYS_CALL_SENDREC)
		return;
	/* The caller sits in sendrec, so a non-blocking send cannot miss it. */
	memset(&reply, 0, sizeof(reply));
	reply.m_type = -ENOSYS;
	r = ipc_sendnb(m->m_source, &reply);
	if (r != OK)
		fprintf(stderr, "%s: cannot refuse fault injection to endpoint %d: %s\n",
			program_invocation_short_name, m->m_source,
			sef_strerror(r));
}
