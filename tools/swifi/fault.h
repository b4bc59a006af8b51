/* SPDX-License-Identifier: MIT */
/*
 * The fault model of mxsys-swifi: the fault types (MINIX swifi's code
 * faults, and the data, register and process faults MINIX lacked) and the
 * description of one injected fault, which is what the tool prints.
 */
#ifndef MXSYS_SWIFI_FAULT_H
#define MXSYS_SWIFI_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fault_type {
	/* Code faults, as MINIX swifi; RANDOM draws among them. */
	FAULT_TEXT,		/* one bit of a random 32-bit word of code */
	FAULT_NOP,		/* an instruction becomes NOPs */
	FAULT_DST,		/* a bit of the destination register operand */
	FAULT_SRC,		/* a bit of a source register or immediate */
	FAULT_BRANCH,		/* a conditional jump becomes NOPs */
	FAULT_PTR,		/* a bit of a memory operand's addressing */
	FAULT_LOOP,		/* a conditional jump's condition inverted */
	FAULT_INTERFACE,	/* the load of a call argument becomes NOPs */
	FAULT_INIT,		/* a store initialising a stack slot becomes NOPs */
	FAULT_STOP,		/* an instruction's first byte becomes int3 */
	FAULT_RANDOM,
	/* Faults MINIX swifi lacked. */
	FAULT_DATA,		/* one bit of a word of .data */
	FAULT_BSS,		/* ... of .bss */
	FAULT_HEAP,		/* ... of the brk heap */
	FAULT_STACK,		/* ... of the live part of the stack */
	FAULT_REGISTER,		/* one bit of a register of the thread */
	FAULT_POINTER,		/* a pointer in memory made to point nowhere */
	FAULT_WHILE1,		/* a jump to itself where the thread runs */
	FAULT_HANG,		/* SIGSTOP */
	FAULT_SIGNAL,		/* SIGSEGV, SIGBUS, SIGILL or SIGFPE */
	FAULT_TYPE_COUNT
};

/* The code faults that RANDOM draws from, FAULT_TEXT..FAULT_STOP. */
#define FAULT_CODE_TYPES	(FAULT_STOP + 1)

/* Whether the patched address was reached (--activation). */
enum activation {
	ACTIVATION_NOT_WATCHED,
	ACTIVATION_REACHED,	/* executed, or the word was read */
	ACTIVATION_OVERWRITTEN,	/* the corrupted word was written first */
	ACTIVATION_NOT_REACHED,	/* not within the time window */
	ACTIVATION_TARGET_GONE,	/* the process ended first */
};

#define FAULT_MAX_BYTES		16
#define FAULT_TEXT_LEN		160
#define FAULT_OBJECT_LEN	256

struct fault {
	enum fault_type type;		/* never FAULT_RANDOM */
	uint64_t seed;			/* reproduces this fault alone */
	pid_t tid;			/* thread of a register or while1 fault */
	uint64_t address;		/* first patched byte; 0 when none */
	size_t length;			/* patched bytes */
	uint8_t old_bytes[FAULT_MAX_BYTES];
	uint8_t new_bytes[FAULT_MAX_BYTES];
	int bit;			/* bit flipped (from the lowest), or -1 */
	char location[FAULT_TEXT_LEN];	/* symbol+0xoff, [heap]+0xoff, ... */
	char object[FAULT_OBJECT_LEN];	/* file mapped at address, or "" */
	char old_insn[FAULT_TEXT_LEN];	/* code faults: disassembly */
	char new_insn[FAULT_TEXT_LEN];
	char reg[8];			/* register fault: its name */
	bool has_value;			/* register and memory faults */
	uint64_t old_value;
	uint64_t new_value;
	int signal;			/* signal fault: the signal */
	uint64_t watch_address;		/* what --activation watches, or 0 */
	enum activation activation;
};

const char *fault_type_name(enum fault_type type);
/* Case-insensitive; returns false for an unknown name. */
bool fault_type_parse(const char *name, enum fault_type *type);
bool fault_type_is_code(enum fault_type type);
/* Faults that flip bits of a word of memory, or corrupt a pointer there. */
bool fault_type_is_memory(enum fault_type type);
const char *activation_name(enum activation activation);

/* A fault with nothing chosen yet. */
void fault_init(struct fault *fault, enum fault_type type, uint64_t seed);

#endif /* MXSYS_SWIFI_FAULT_H */
