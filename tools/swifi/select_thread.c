// SPDX-License-Identifier: MIT
/* Register, signal and while1 faults. */
#include "select_thread.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#define REG(name) { #name, offsetof(struct user_regs_struct, name) }

/*
 * The general-purpose registers and the instruction pointer. Segment and
 * flag registers are left out: the kernel refuses or masks most of their
 * bits, so a flip there would often not happen at all.
 */
static const struct {
	const char *name;
	size_t offset;
} registers[] = {
	REG(rax), REG(rbx), REG(rcx), REG(rdx), REG(rsi), REG(rdi),
	REG(rbp), REG(rsp), REG(r8), REG(r9), REG(r10), REG(r11),
	REG(r12), REG(r13), REG(r14), REG(r15), REG(rip),
};

#define REGISTER_COUNT	(sizeof(registers) / sizeof(registers[0]))

static int register_index(const char *name)
{
	for (size_t i = 0; i < REGISTER_COUNT; i++)
		if (strcasecmp(registers[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool register_name_valid(const char *name)
{
	return register_index(name) >= 0;
}

const char *register_names(void)
{
	return "rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 rip";
}

int select_register_flip(struct user_regs_struct *regs, const char *only,
			 struct rng *rng, struct fault *fault)
{
	int index = only ? register_index(only) :
			   (int)rng_below(rng, REGISTER_COUNT);
	unsigned long long *slot;

	if (index < 0)
		return EINVAL;
	slot = (unsigned long long *)((char *)regs + registers[index].offset);
	fault->bit = (int)rng_below(rng, 64);
	fault->has_value = true;
	fault->old_value = *slot;
	*slot ^= 1ULL << fault->bit;
	fault->new_value = *slot;
	strcpy(fault->reg, registers[index].name);
	return 0;
}

static const struct {
	const char *name;
	int number;
} crash_signals[] = {
	{ "SEGV", SIGSEGV }, { "BUS", SIGBUS }, { "ILL", SIGILL }, { "FPE", SIGFPE },
};

#define CRASH_SIGNAL_COUNT	(sizeof(crash_signals) / sizeof(crash_signals[0]))

int crash_signal_parse(const char *name)
{
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++)
		if (strcasecmp(crash_signals[i].name, name) == 0)
			return crash_signals[i].number;
	return 0;
}

void select_signal(int only, struct rng *rng, struct fault *fault)
{
	fault->signal = only ? only :
		crash_signals[rng_below(rng, CRASH_SIGNAL_COUNT)].number;
}

void select_while1(uint64_t pc, const uint8_t old_bytes[WHILE1_LENGTH],
		   struct fault *fault)
{
	fault->address = pc;
	fault->watch_address = pc;
	fault->length = WHILE1_LENGTH;
	memcpy(fault->old_bytes, old_bytes, WHILE1_LENGTH);
	fault->new_bytes[0] = 0xeb;	/* jmp rel8 */
	fault->new_bytes[1] = 0xfe;	/* -2: back to itself */
}
