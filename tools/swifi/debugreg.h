/* SPDX-License-Identifier: MIT */
/*
 * The x86 debug-register encoding of hardware breakpoints and watchpoints
 * (Intel SDM vol. 3, 18.2): four addresses in DR0..DR3, enabled and typed
 * in DR7, reported in DR6. Pure.
 */
#ifndef MXSYS_SWIFI_DEBUGREG_H
#define MXSYS_SWIFI_DEBUGREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEBUGREG_SLOTS	4
#define DEBUGREG_STATUS	6	/* DR6 */
#define DEBUGREG_CONTROL 7	/* DR7 */

enum debugreg_kind {
	DEBUGREG_EXECUTE,	/* the instruction at the address runs */
	DEBUGREG_ACCESS_8,	/* the aligned 8 bytes at the address are read or written */
};

/* DR7 enabling slots 0..count-1 locally, slot i as kinds[i]. */
uint64_t debugreg_control(const enum debugreg_kind *kinds, size_t count);

/* The slots that DR6 says were hit, as a mask of bits 0..3. */
unsigned int debugreg_hits(uint64_t status);

/* An ACCESS_8 watchpoint needs an 8-byte aligned address. */
bool debugreg_address_ok(enum debugreg_kind kind, uint64_t address);

#endif /* MXSYS_SWIFI_DEBUGREG_H */
