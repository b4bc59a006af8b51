/* SPDX-License-Identifier: MIT */
/*
 * Choosing a memory fault from a seed: a bit flip in a word of data, bss,
 * heap or stack, or a pointer in memory corrupted so that it points into
 * no mapping. Pure: the bytes and the mappings come from the caller.
 */
#ifndef MXSYS_SWIFI_SELECT_MEMORY_H
#define MXSYS_SWIFI_SELECT_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "rng.h"

/* The word a memory fault changes: 64 bits, naturally aligned. */
#define MEMORY_WORD	8

/* A copy of bytes[0..size) of the target at address. */
struct memory_region {
	uint64_t address;
	const uint8_t *bytes;
	size_t size;
};

struct address_range {
	uint64_t start;
	uint64_t end;		/* exclusive */
};

/*
 * One bit of one aligned word, drawn uniformly over all words wholly inside
 * the regions. Fills address, length, bytes, bit, values, watch address.
 * Returns 0, or ENOENT when the regions hold no whole word.
 */
int select_word_flip(const struct memory_region *regions, size_t count,
		     struct rng *rng, struct fault *fault);

/*
 * A word whose value points into one of mapped[] (sorted by start, not
 * overlapping), drawn uniformly among such words, and one bit below bit 47
 * whose flip takes the value out of every mapping (so a dereference
 * faults), drawn uniformly among such bits. Returns 0, or ENOENT when no
 * word holds such a pointer.
 */
int select_pointer_corruption(const struct memory_region *regions,
			      size_t count, const struct address_range *mapped,
			      size_t mapped_count, struct rng *rng,
			      struct fault *fault);

#endif /* MXSYS_SWIFI_SELECT_MEMORY_H */
