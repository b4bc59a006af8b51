// SPDX-License-Identifier: MIT
/* DR7 and DR6 bits. */
#include "debugreg.h"

#define DR7_LOCAL_ENABLE(slot)	(1ULL << ((slot) * 2))
#define DR7_RW_SHIFT(slot)	(16 + (slot) * 4)
#define DR7_LEN_SHIFT(slot)	(18 + (slot) * 4)
#define DR7_RW_EXECUTE		0x0ULL
#define DR7_RW_READ_WRITE	0x3ULL
#define DR7_LEN_1		0x0ULL	/* the only length for execution */
#define DR7_LEN_8		0x2ULL

uint64_t debugreg_control(const enum debugreg_kind *kinds, size_t count)
{
	uint64_t dr7 = 0;

	for (size_t slot = 0; slot < count && slot < DEBUGREG_SLOTS; slot++) {
		bool execute = kinds[slot] == DEBUGREG_EXECUTE;

		dr7 |= DR7_LOCAL_ENABLE(slot);
		dr7 |= (execute ? DR7_RW_EXECUTE : DR7_RW_READ_WRITE)
		       << DR7_RW_SHIFT(slot);
		dr7 |= (execute ? DR7_LEN_1 : DR7_LEN_8) << DR7_LEN_SHIFT(slot);
	}
	return dr7;
}

unsigned int debugreg_hits(uint64_t status)
{
	return (unsigned int)(status & 0xf);	/* B0..B3 */
}

bool debugreg_address_ok(enum debugreg_kind kind, uint64_t address)
{
	return kind == DEBUGREG_EXECUTE || (address & 7) == 0;
}
