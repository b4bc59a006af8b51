// SPDX-License-Identifier: MIT
/* Bit flips and pointer corruption in words of memory. */
#include "select_memory.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* Bits of a user-space address on x86-64 with 4-level paging. */
#define USER_ADDRESS_BITS	47

static uint64_t word_value(const uint8_t *bytes)
{
	uint64_t value;

	memcpy(&value, bytes, sizeof(value));	/* x86-64: little-endian */
	return value;
}

/* Aligned words wholly inside a region; *first is the first one's address. */
static size_t region_words(const struct memory_region *region, uint64_t *first)
{
	uint64_t end = region->address + region->size;

	*first = (region->address + MEMORY_WORD - 1) & ~(uint64_t)(MEMORY_WORD - 1);
	return *first + MEMORY_WORD <= end ?
		(size_t)((end - *first) / MEMORY_WORD) : 0;
}

static void fill_word_fault(const struct memory_region *region, uint64_t address,
			    int bit, struct fault *fault)
{
	const uint8_t *bytes = region->bytes + (address - region->address);

	fault->address = address;
	fault->watch_address = address;
	fault->length = MEMORY_WORD;
	fault->bit = bit;
	memcpy(fault->old_bytes, bytes, MEMORY_WORD);
	memcpy(fault->new_bytes, bytes, MEMORY_WORD);
	fault->new_bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	fault->has_value = true;
	fault->old_value = word_value(fault->old_bytes);
	fault->new_value = word_value(fault->new_bytes);
}

int select_word_flip(const struct memory_region *regions, size_t count,
		     struct rng *rng, struct fault *fault)
{
	uint64_t total = 0, pick, first;

	for (size_t n = 0; n < count; n++)
		total += region_words(&regions[n], &first);
	if (total == 0)
		return ENOENT;
	pick = rng_below(rng, total);
	for (size_t n = 0; n < count; n++) {
		uint64_t words = region_words(&regions[n], &first);

		if (pick < words) {
			int bit = (int)rng_below(rng, MEMORY_WORD * 8);

			fill_word_fault(&regions[n], first + pick * MEMORY_WORD,
					bit, fault);
			return 0;
		}
		pick -= words;
	}
	return ENOENT;	/* not reached: pick < total */
}

static bool is_mapped(uint64_t value, const struct address_range *mapped,
		      size_t count)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (value < mapped[mid].start)
			hi = mid;
		else if (value >= mapped[mid].end)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Bits whose flip takes a mapped value out of every mapping, as a mask. */
static uint64_t escaping_bits(uint64_t value, const struct address_range *mapped,
			      size_t count)
{
	uint64_t mask = 0;

	if (!is_mapped(value, mapped, count))
		return 0;
	for (int bit = 0; bit < USER_ADDRESS_BITS; bit++)
		if (!is_mapped(value ^ (1ULL << bit), mapped, count))
			mask |= 1ULL << bit;
	return mask;
}

/*
 * Visit the pointer words in order; with pick == NULL count them, else stop
 * at number *pick and return its address through *found.
 */
static uint64_t walk_pointers(const struct memory_region *regions, size_t count,
			      const struct address_range *mapped,
			      size_t mapped_count, const uint64_t *pick,
			      const struct memory_region **found_region,
			      uint64_t *found)
{
	uint64_t seen = 0, first;

	for (size_t n = 0; n < count; n++) {
		size_t words = region_words(&regions[n], &first);

		for (size_t w = 0; w < words; w++) {
			uint64_t address = first + w * MEMORY_WORD;
			const uint8_t *bytes = regions[n].bytes +
					       (address - regions[n].address);

			if (!escaping_bits(word_value(bytes), mapped, mapped_count))
				continue;
			if (pick && seen == *pick) {
				*found_region = &regions[n];
				*found = address;
				return seen;
			}
			seen++;
		}
	}
	return seen;
}

int select_pointer_corruption(const struct memory_region *regions,
			      size_t count, const struct address_range *mapped,
			      size_t mapped_count, struct rng *rng,
			      struct fault *fault)
{
	const struct memory_region *region = NULL;
	uint64_t total, pick, address = 0, mask, value;
	int bits[USER_ADDRESS_BITS], nbits = 0;

	total = walk_pointers(regions, count, mapped, mapped_count, NULL, NULL,
			      NULL);
	if (total == 0)
		return ENOENT;
	pick = rng_below(rng, total);
	walk_pointers(regions, count, mapped, mapped_count, &pick, &region,
		      &address);
	value = word_value(region->bytes + (address - region->address));
	mask = escaping_bits(value, mapped, mapped_count);
	for (int bit = 0; bit < USER_ADDRESS_BITS; bit++)
		if (mask & (1ULL << bit))
			bits[nbits++] = bit;
	fill_word_fault(region, address, bits[rng_below(rng, (uint64_t)nbits)],
			fault);
	return 0;
}
