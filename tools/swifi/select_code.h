/* SPDX-License-Identifier: MIT */
/*
 * Choosing a code fault from a seed: the code is decoded once into an
 * index of instructions, then a fault of the asked type is drawn uniformly
 * among the instructions (or, for TEXT, the 32-bit words) that qualify.
 * Pure: the bytes come from the caller, the choice from the caller's rng.
 */
#ifndef MXSYS_SWIFI_SELECT_CODE_H
#define MXSYS_SWIFI_SELECT_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder.h"
#include "fault.h"
#include "rng.h"

/*
 * A stretch of code: bytes[0..size) are the code at address. Decoding
 * starts at address, which must be an instruction boundary (a function's
 * start); faults go only into instructions (and words) that lie wholly in
 * [start, address + size).
 */
struct code_region {
	uint64_t address;
	const uint8_t *bytes;
	size_t size;
	uint64_t start;
};

struct insn_record {
	uint64_t address;
	uint32_t region;
	uint8_t size;
	uint16_t types;		/* (1u << type) per code fault it qualifies for */
};

struct code_index {
	const struct code_region *regions;
	size_t region_count;
	struct insn_record *insns;	/* in region order, then by address */
	size_t count;
};

/*
 * Decode every region. Bytes that decode as nothing are skipped one at a
 * time. Returns 0 or ENOMEM.
 */
int code_index_build(struct decoder *decoder, const struct code_region *regions,
		     size_t region_count, struct code_index *index);
void code_index_free(struct code_index *index);

/* How many instructions may take a fault of type (before insn_mutate). */
size_t code_index_count(const struct code_index *index, enum fault_type type);

/*
 * Draw a fault of type (a code type or FAULT_RANDOM) into fault: address,
 * length, bytes, bit, disassembly before and after, watch address.
 * Returns 0, or ENOENT when nothing in the index qualifies.
 */
int select_code_fault(struct decoder *decoder, const struct code_index *index,
		      enum fault_type type, struct rng *rng,
		      struct fault *fault);

#endif /* MXSYS_SWIFI_SELECT_CODE_H */
