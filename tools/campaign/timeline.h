/* SPDX-License-Identifier: MIT */
/*
 * The campaign's timeline: the client's answers over time, the
 * injections marked. During each run `mxsys-campaign sample` notes the
 * client's count of answers every 100 ms (throughput.log: "T_US RUN
 * COUNT"), and the runner notes each injection (injections.log: "T_US
 * RUN TYPE"); the report turns them into answers per second against
 * seconds since the campaign's first sample, and a gnuplot script that
 * draws it with a line at each injection. Pure.
 */
#ifndef MXSYS_CAMPAIGN_TIMELINE_H
#define MXSYS_CAMPAIGN_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A count in a client's progress file: field "N" is the Nth
 * whitespace-separated number of the text (from 1), field "name" the
 * value of a line "name=VALUE". False if there is none.
 */
bool timeline_progress_field(const char *text, const char *field,
			     uint64_t *value);

/*
 * Read samples and marks (either may be NULL), write throughput.dat (one
 * block per run of "SECONDS ANSWERS_PER_S" between two samples of it,
 * blocks apart by a blank line) and the throughput plot into script
 * (throughput.svg, an arrow at each injection). Returns the number of
 * points written: 0 writes no plot.
 */
size_t timeline_write(FILE *samples, FILE *marks, FILE *throughput_dat,
		      FILE *script);

#endif /* MXSYS_CAMPAIGN_TIMELINE_H */
