/* SPDX-License-Identifier: MIT */
/*
 * The summary of a campaign: one row per target and fault type (in the
 * order they first appear in the runs) and one per target for all types,
 * with Wilson intervals for the rates and percentile-bootstrap intervals
 * for the recovery-time median and p99; printed as a table, as CSV, and
 * as gnuplot data and script. No I/O but the FILE streams it is given.
 */
#ifndef MXSYS_CAMPAIGN_REPORT_H
#define MXSYS_CAMPAIGN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "run.h"
#include "stats.h"

/* Resamples of the bootstrap, and its seed (a summary is reproducible). */
#define REPORT_RESAMPLES	2000
#define REPORT_BOOTSTRAP_SEED	20090629
/* More type series than this: the recovery plot shows per-target totals. */
#define REPORT_MAX_SERIES	6

struct report_row {
	char target[RUN_TEXT_MAX];
	char type[RUN_TEXT_MAX];	/* "all" for the per-target total */
	uint64_t runs;
	uint64_t injected;		/* runs but not-injected */
	uint64_t faults;		/* faults written in injected runs */
	uint64_t watched;		/* injected runs with an activation check */
	uint64_t activated;		/* those with a fault seen executed/read */
	uint64_t count[RUN_CLASSES];	/* runs per class */
	uint64_t manifested;
	uint64_t recovered;		/* crash- and hang-recovered */
	bool have_manifested_ci, have_recovered_ci;
	struct interval manifested_ci;	/* of manifested / injected */
	struct interval recovered_ci;	/* of recovered / manifested */
	size_t latencies;		/* recovered runs with a recovery time */
	double median_ms, p99_ms, max_ms;
	struct interval median_ci, p99_ci;
	uint64_t client_errors;		/* failed + wrong + lost, summed */
	uint64_t client_error_runs;	/* injected runs with any of them */
	double *recovery_ms;		/* sorted, latencies of them */
};

struct report {
	struct report_row *rows;
	size_t count;
};

/* Build the report of runs (any order). Returns 0 or ENOMEM. */
int report_build(const struct run *runs, size_t count, struct report *report);
void report_free(struct report *report);

/* The table, for people (fixed-width columns, a legend after). */
void report_print_table(const struct report *report, FILE *out);
/* The same numbers as CSV with a header line. */
void report_print_csv(const struct report *report, FILE *out);

/*
 * The plots' data (outcomes.dat: per row but "all", the percentage of
 * injected runs per class; recovery.dat: per row with recovery times (per
 * target when more than REPORT_MAX_SERIES types have some), one gnuplot
 * data block of "ms fraction" steps for its distribution) and a gnuplot
 * script that draws outcomes.svg and, if any run recovered, recovery.svg,
 * with every range set explicitly (an empty or constant series must not
 * make gnuplot autoscale into "All points out of range"). Returns the
 * number of plots the script draws.
 */
int report_write_plots(const struct report *report, FILE *outcomes_dat,
		       FILE *recovery_dat, FILE *script);

#endif /* MXSYS_CAMPAIGN_REPORT_H */
