/* SPDX-License-Identifier: MIT */
/*
 * Choosing the faults of a thread or of the whole process: a bit flip in a
 * register, a jump to itself where the thread runs (while1), and a signal.
 * Pure: the registers come from the caller.
 */
#ifndef MXSYS_SWIFI_SELECT_THREAD_H
#define MXSYS_SWIFI_SELECT_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "fault.h"
#include "rng.h"

/* Bytes of `jmp .` (EB FE): a jump to itself. */
#define WHILE1_LENGTH	2

/* Whether name is a register a REGISTER fault may flip (rax..r15, rip). */
bool register_name_valid(const char *name);
/* The list of those names, space-separated, for messages. */
const char *register_names(void);

/*
 * Flip one bit of one register of regs, in place: the register is only
 * (if not NULL) or drawn uniformly, the bit drawn among 64. Fills reg,
 * bit and values. Returns 0, or EINVAL for an unknown register name.
 */
int select_register_flip(struct user_regs_struct *regs, const char *only,
			 struct rng *rng, struct fault *fault);

/* "SEGV", "SIGSEGV", "segv", ... for the four crash signals; 0 otherwise. */
int crash_signal_parse(const char *name);
/* The signal only (if not 0), else one of the four drawn uniformly. */
void select_signal(int only, struct rng *rng, struct fault *fault);

/* The jump to itself at pc, given the two bytes that are there now. */
void select_while1(uint64_t pc, const uint8_t old_bytes[WHILE1_LENGTH],
		   struct fault *fault);

#endif /* MXSYS_SWIFI_SELECT_THREAD_H */
