// SPDX-License-Identifier: MIT
/* Wilson intervals, percentiles and the percentile bootstrap. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

int stats_wilson(uint64_t successes, uint64_t trials, double z,
		 struct interval *interval)
{
	double n, p, z2, denominator, centre, half;

	if (trials == 0 || successes > trials)
		return EINVAL;
	n = (double)trials;
	p = (double)successes / n;
	z2 = z * z;
	denominator = 1.0 + z2 / n;
	centre = (p + z2 / (2.0 * n)) / denominator;
	half = z * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
	/* Rounding may step a hair outside [0, 1] at the ends. */
	interval->low = fmax(0.0, centre - half);
	interval->high = fmin(1.0, centre + half);
	return 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *values, size_t count)
{
	qsort(values, count, sizeof(*values), compare_doubles);
}

double stats_percentile(const double *sorted, size_t count, double p)
{
	double h = (double)(count - 1) * p;
	size_t below = (size_t)floor(h);

	if (below + 1 >= count)
		return sorted[count - 1];
	return sorted[below] + (h - (double)below) *
	       (sorted[below + 1] - sorted[below]);
}

double stats_median(const double *sorted, size_t count)
{
	return stats_percentile(sorted, count, 0.5);
}

int stats_bootstrap_percentile(const double *values, size_t count, double p,
			       unsigned int resamples, double confidence,
			       uint64_t seed, struct interval *interval)
{
	double *resample, *estimates;
	struct rng rng;

	if (count == 0 || resamples == 0 || !(p >= 0.0 && p <= 1.0) ||
	    !(confidence >= 0.0 && confidence <= 1.0))
		return EINVAL;
	resample = malloc(count * sizeof(*resample));
	estimates = malloc(resamples * sizeof(*estimates));
	if (!resample || !estimates) {
		free(resample);
		free(estimates);
		return ENOMEM;
	}
	rng_seed(&rng, seed);
	for (unsigned int r = 0; r < resamples; r++) {
		for (size_t i = 0; i < count; i++)
			resample[i] = values[rng_below(&rng, count)];
		stats_sort(resample, count);
		estimates[r] = stats_percentile(resample, count, p);
	}
	stats_sort(estimates, resamples);
	interval->low = stats_percentile(estimates, resamples,
					 (1.0 - confidence) / 2.0);
	interval->high = stats_percentile(estimates, resamples,
					  (1.0 + confidence) / 2.0);
	free(resample);
	free(estimates);
	return 0;
}
