/* SPDX-License-Identifier: MIT */
/*
 * Which code faults an x86-64 instruction qualifies for, and the bytes each
 * fault turns it into. Pure: it looks at capstone's decoding only.
 *
 * The bit-flip faults (DST, SRC, PTR) are defined by their effect, not by a
 * table of encodings: a bit qualifies when the instruction with that bit
 * flipped decodes, per capstone, as the same instruction of the same length
 * with only the named operand changed (the written register for DST, a read
 * register or an immediate for SRC, the memory addressing for PTR).
 */
#ifndef MXSYS_SWIFI_CLASSIFY_H
#define MXSYS_SWIFI_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "decoder.h"
#include "fault.h"
#include "rng.h"

/* Number of argument registers of the x86-64 System V calling convention. */
#define ARG_REGISTERS	6

/* What one instruction is, as far as choosing a code fault needs. */
struct insn_traits {
	/*
	 * Bit (1u << type) for each code fault this instruction may qualify
	 * for; the bit-flip faults are confirmed only by insn_mutate().
	 * FAULT_INTERFACE is not set here: it depends on what follows.
	 */
	unsigned int types;
	int arg_register;	/* rdi, rsi, rdx, rcx, r8, r9 written: 0..5; else -1 */
	bool is_call;
	bool ends_block;	/* jump, return, interrupt: what follows may not run */
};

void insn_classify(const cs_insn *insn, struct insn_traits *traits);

/*
 * Compute the bytes (insn->size of them) that fault type makes of insn,
 * drawing from rng where the fault leaves a choice (which bit).
 * *bit is the bit flipped, counted from bit 0 of the first byte, or -1.
 * Returns false when the fault does not apply to insn. insn must not be
 * decoder->other, which this uses for the flipped variants.
 */
bool insn_mutate(struct decoder *decoder, enum fault_type type,
		 const cs_insn *insn, struct rng *rng,
		 uint8_t new_bytes[X86_MAX_INSN_LEN], int *bit);

#endif /* MXSYS_SWIFI_CLASSIFY_H */
