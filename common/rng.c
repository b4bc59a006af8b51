// SPDX-License-Identifier: MIT
/*
 * SplitMix64 (Steele, Lea and Flood, 2014): one 64-bit state, a Weyl
 * increment and a mixing function. Chosen because its output for a seed is
 * fixed by the algorithm alone, on every machine and libc, which is what a
 * seed that reproduces an experiment needs; random(3) gives no such promise.
 */
#include "rng.h"

void rng_seed(struct rng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t rng_next(struct rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *rng, uint64_t bound)
{
	/* Values below 2^64 mod bound would make the low results likelier. */
	uint64_t reject_below, x;

	if (bound == 0)
		return 0;
	reject_below = (0 - bound) % bound;
	do
		x = rng_next(rng);
	while (x < reject_below);
	return x % bound;
}
