/* SPDX-License-Identifier: MIT */
/*
 * What mxsys-swifi prints about the faults of one run: lines for people,
 * or one JSON object (a single line) for a campaign runner.
 */
#ifndef MXSYS_SWIFI_DESCRIBE_H
#define MXSYS_SWIFI_DESCRIBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "fault.h"

struct run_info {
	pid_t pid;
	uint64_t seed;			/* the first fault's seed */
	enum fault_type requested;	/* may be FAULT_RANDOM */
	bool dry_run;
};

void describe_text(FILE *out, const struct run_info *run,
		   const struct fault *faults, size_t count);

/*
 * {"pid":N,"seed":N,"type":"...","dry_run":B,"faults":[{...},...]} and a
 * newline. Every fault object has every key, null where it does not
 * apply; addresses and values are "0x..." strings (64 bits do not fit a
 * JSON number exactly), bytes are hex strings.
 */
void describe_json(FILE *out, const struct run_info *run,
		   const struct fault *faults, size_t count);

#endif /* MXSYS_SWIFI_DESCRIBE_H */
