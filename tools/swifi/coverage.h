/* SPDX-License-Identifier: MIT */
/*
 * The golden run: which functions of the target a workload enters. A
 * one-shot breakpoint (int3) at each planned function entry; the first
 * thread that meets it marks the function reached, the original byte
 * goes back and the thread runs on from the entry as if nothing had
 * happened. Each function costs one trap, once: the target runs at full
 * speed otherwise, so its heartbeat and its clients see no difference.
 *
 * Software breakpoints here, where the activation check uses the debug
 * registers: there are hundreds of functions to watch and four debug
 * registers, and no fault is in the code to be disturbed by an int3.
 * A thread that meets a breakpoint another thread already took out (both
 * were on their way) is rewound all the same: every trap at a planted
 * address is ours, every other trap the target's.
 */
#ifndef MXSYS_SWIFI_COVERAGE_H
#define MXSYS_SWIFI_COVERAGE_H

#include <stdio.h>

#include "coverage_plan.h"
#include "tracee.h"

/*
 * Plant the plan's breakpoints in the stopped tracee, let it run for
 * timeout_ms (or until every site is reached), stop it and take out every
 * breakpoint still there. Returns 0, or -1 with the reason in err.
 */
int coverage_run(struct coverage_plan *plan, struct tracee *tracee,
		 unsigned int timeout_ms, char *err, size_t errlen);

struct coverage_info {
	pid_t pid;
	const char *object;	/* the executable or --object's file */
	unsigned int window_ms;
};

/* "coverage pid P object F window Nms: R of N functions reached", then
 * "reached NAME" per function reached, in address order. */
void coverage_describe_text(FILE *out, const struct coverage_info *info,
			    const struct coverage_plan *plan);
/* {"pid":P,"object":"F","window_ms":N,"functions":N,"reached":R,
 *  "reached_functions":["NAME",...]} and a newline. */
void coverage_describe_json(FILE *out, const struct coverage_info *info,
			    const struct coverage_plan *plan);

#endif /* MXSYS_SWIFI_COVERAGE_H */
