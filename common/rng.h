/* SPDX-License-Identifier: MIT */
/*
 * A small seeded pseudo-random generator (SplitMix64), for what must be
 * reproducible from a seed: the faults mxsys-swifi draws and the bootstrap
 * resamples of the statistics. Not for anything secret.
 */
#ifndef MXSYS_COMMON_RNG_H
#define MXSYS_COMMON_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
};

void rng_seed(struct rng *rng, uint64_t seed);
uint64_t rng_next(struct rng *rng);
/* Uniform in [0, bound), without modulo bias; bound 0 gives 0. */
uint64_t rng_below(struct rng *rng, uint64_t bound);

#endif /* MXSYS_COMMON_RNG_H */
