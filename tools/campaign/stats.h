/* SPDX-License-Identifier: MIT */
/*
 * Statistics for fault-injection campaigns: confidence intervals for rates
 * (Wilson score) and for latency percentiles (percentile bootstrap with a
 * seeded generator, so a summary is reproducible), and percentiles.
 * Pure: no I/O; memory only through malloc.
 */
#ifndef MXSYS_CAMPAIGN_STATS_H
#define MXSYS_CAMPAIGN_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The normal quantile for a two-sided 95 % interval. */
#define STATS_Z_95	1.959963984540054

struct interval {
	double low;
	double high;
};

/*
 * Wilson score interval for successes out of trials at normal quantile z
 * (STATS_Z_95). Unlike the normal approximation it stays in [0, 1] and is
 * not empty at 0 or trials successes. Returns 0, or EINVAL when trials is
 * 0 or successes > trials.
 */
int stats_wilson(uint64_t successes, uint64_t trials, double z,
		 struct interval *interval);

/* Sort values ascending, in place. */
void stats_sort(double *values, size_t count);

/*
 * The p-quantile (0 <= p <= 1) of sorted values, interpolating linearly
 * between closest ranks (Hyndman and Fan's type 7, R's and NumPy's
 * default): h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] -
 * x[floor h]). count must be at least 1.
 */
double stats_percentile(const double *sorted, size_t count, double p);
double stats_median(const double *sorted, size_t count);

/*
 * Percentile bootstrap interval for the p-quantile of values (any order,
 * left unchanged): resamples times draw count values with replacement
 * (from rng seeded with seed), take each resample's p-quantile, and
 * return the (1 - confidence)/2 and (1 + confidence)/2 quantiles of
 * those. Returns 0, EINVAL (no values, no resamples, p or confidence
 * outside [0, 1]) or ENOMEM.
 */
int stats_bootstrap_percentile(const double *values, size_t count, double p,
			       unsigned int resamples, double confidence,
			       uint64_t seed, struct interval *interval);

#endif /* MXSYS_CAMPAIGN_STATS_H */
