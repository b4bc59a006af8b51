/* SPDX-License-Identifier: MIT */
/*
 * The golden-run helper: after the faults are written, let the target run
 * for a time window under hardware breakpoints (code) or watchpoints
 * (data) on the patched addresses, and say which were reached.
 *
 * Hardware debug registers rather than int3 or single-stepping: they leave
 * the code untouched (an int3 on top of a patched instruction would have
 * to be taken out again while other threads run through it, and a STOP
 * fault is itself an int3), they watch data as well as code, and the
 * target runs at full speed; single-stepping a service for seconds would
 * slow it by orders of magnitude and change what it does. Their limits:
 * four addresses, so at most four faults per run are watched.
 */
#ifndef MXSYS_SWIFI_ACTIVATION_H
#define MXSYS_SWIFI_ACTIVATION_H

#include <stddef.h>
#include <stdint.h>

#include "debugreg.h"
#include "fault.h"
#include "tracee.h"

struct watch {
	uint64_t address;
	enum debugreg_kind kind;
	uint64_t written_value;		/* ACCESS_8: what the fault left there */
	enum activation result;
};

/*
 * Run the stopped tracee for timeout_ms with the watches armed (at most
 * DEBUGREG_SLOTS), then stop it again with them disarmed. Signals that
 * arrive meanwhile are passed on. Returns 0, or -1 with the reason in err.
 */
int activation_watch(struct tracee *tracee, struct watch *watches,
		     size_t count, unsigned int timeout_ms, char *err,
		     size_t errlen);

#endif /* MXSYS_SWIFI_ACTIVATION_H */
