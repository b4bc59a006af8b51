// SPDX-License-Identifier: MIT
/* Code-fault qualification and mutation of one x86-64 instruction. */
#include "classify.h"

#include <string.h>

#define NOP_BYTE	0x90
#define INT3_BYTE	0xcc

/* Each argument register under all the names of its parts. */
static const x86_reg arg_register_names[ARG_REGISTERS][4] = {
	{ X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL },
	{ X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL },
	{ X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL },
	{ X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL },
	{ X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B },
	{ X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B },
};

static int arg_register_index(x86_reg reg)
{
	for (int i = 0; i < ARG_REGISTERS; i++)
		for (int j = 0; j < 4; j++)
			if (arg_register_names[i][j] == reg)
				return i;
	return -1;
}

static bool in_group(const cs_insn *insn, uint8_t group)
{
	const cs_detail *detail = insn->detail;

	for (uint8_t i = 0; i < detail->groups_count; i++)
		if (detail->groups[i] == group)
			return true;
	return false;
}

static bool is_control_transfer(const cs_insn *insn)
{
	return in_group(insn, CS_GRP_JUMP) || in_group(insn, CS_GRP_CALL) ||
	       in_group(insn, CS_GRP_RET) || in_group(insn, CS_GRP_IRET) ||
	       in_group(insn, CS_GRP_INT);
}

static bool is_conditional_jump(const cs_insn *insn)
{
	return in_group(insn, CS_GRP_JUMP) && insn->id != X86_INS_JMP &&
	       insn->id != X86_INS_LJMP;
}

/*
 * The byte holding a Jcc's condition: 0x70..0x7f (short) or 0x0f
 * 0x80..0x8f (near), just before the displacement. The condition's low bit
 * inverts it (JE <-> JNE, JL <-> JGE, ...). -1 for other jumps (JRCXZ,
 * LOOP), which have no inverse encoding.
 */
static int condition_byte(const cs_insn *insn)
{
	int at = insn->detail->x86.encoding.imm_offset - 1;
	uint8_t op;

	if (!is_conditional_jump(insn) || at < 0)
		return -1;
	op = insn->bytes[at];
	if (op >= 0x70 && op <= 0x7f)
		return at;
	if (op >= 0x80 && op <= 0x8f && at >= 1 && insn->bytes[at - 1] == 0x0f)
		return at;
	return -1;
}

/* Alignment padding: never executed, so faults there never activate. */
static bool is_padding(const cs_insn *insn)
{
	return insn->id == X86_INS_NOP || insn->id == X86_INS_INT3;
}

static bool is_stack_register(x86_reg reg)
{
	return reg == X86_REG_RSP || reg == X86_REG_RBP ||
	       reg == X86_REG_ESP || reg == X86_REG_EBP;
}

/* mov of an immediate into a stack slot: how a local gets its first value. */
static bool is_stack_initialisation(const cs_insn *insn)
{
	const cs_x86 *x86 = &insn->detail->x86;

	return insn->id == X86_INS_MOV && x86->op_count == 2 &&
	       x86->operands[0].type == X86_OP_MEM &&
	       is_stack_register(x86->operands[0].mem.base) &&
	       x86->operands[1].type == X86_OP_IMM;
}

void insn_classify(const cs_insn *insn, struct insn_traits *traits)
{
	const cs_x86 *x86 = &insn->detail->x86;
	bool writes_reg = false, reads_reg_or_imm = false, has_memory = false;
	bool transfer = is_control_transfer(insn);

	memset(traits, 0, sizeof(*traits));
	traits->arg_register = -1;
	traits->is_call = in_group(insn, CS_GRP_CALL);
	traits->ends_block = transfer && !traits->is_call;
	if (is_padding(insn))
		return;

	for (uint8_t i = 0; i < x86->op_count; i++) {
		const cs_x86_op *op = &x86->operands[i];

		if (op->type == X86_OP_REG && (op->access & CS_AC_WRITE)) {
			writes_reg = true;
			if (traits->arg_register < 0)
				traits->arg_register = arg_register_index(op->reg);
		} else if (op->type == X86_OP_REG || op->type == X86_OP_IMM) {
			reads_reg_or_imm = true;
		} else if (op->type == X86_OP_MEM) {
			has_memory = true;
		}
	}
	if (transfer)
		traits->arg_register = -1;

	traits->types = 1u << FAULT_NOP | 1u << FAULT_STOP;
	if (writes_reg && !transfer)
		traits->types |= 1u << FAULT_DST;
	if (reads_reg_or_imm && !transfer)
		traits->types |= 1u << FAULT_SRC;
	/* Memory operands without a ModRM byte (movs, push) have no addressing to corrupt. */
	if (has_memory && x86->encoding.modrm_offset != 0)
		traits->types |= 1u << FAULT_PTR;
	if (is_conditional_jump(insn))
		traits->types |= 1u << FAULT_BRANCH;
	if (condition_byte(insn) >= 0)
		traits->types |= 1u << FAULT_LOOP;
	if (is_stack_initialisation(insn))
		traits->types |= 1u << FAULT_INIT;
}

static bool same_operand(const cs_x86_op *a, const cs_x86_op *b)
{
	if (a->type != b->type || a->size != b->size)
		return false;
	switch (a->type) {
	case X86_OP_REG:
		return a->reg == b->reg;
	case X86_OP_IMM:
		return a->imm == b->imm;
	case X86_OP_MEM:
		return a->mem.segment == b->mem.segment &&
		       a->mem.base == b->mem.base &&
		       a->mem.index == b->mem.index &&
		       a->mem.scale == b->mem.scale &&
		       a->mem.disp == b->mem.disp;
	default:
		return true;
	}
}

/* May this operand differ after a flip of the given fault type? */
static bool change_allowed(enum fault_type type, const cs_x86_op *before,
			   const cs_x86_op *after)
{
	bool written = before->access & CS_AC_WRITE;

	if (before->type != after->type)
		return false;
	switch (type) {
	case FAULT_DST:
		return written && before->type == X86_OP_REG;
	case FAULT_SRC:
		return !written && (before->type == X86_OP_REG ||
				    before->type == X86_OP_IMM);
	case FAULT_PTR:
		return before->type == X86_OP_MEM;
	default:
		return false;
	}
}

/*
 * Is other (insn with one bit flipped) the same instruction with only
 * operands that type may change changed, and at least one of them?
 */
static bool flip_qualifies(enum fault_type type, const cs_insn *insn,
			   const cs_insn *other)
{
	const cs_x86 *a = &insn->detail->x86, *b = &other->detail->x86;
	bool changed = false;

	if (other->size != insn->size || other->id != insn->id ||
	    a->op_count != b->op_count)
		return false;
	for (uint8_t i = 0; i < a->op_count; i++) {
		if (same_operand(&a->operands[i], &b->operands[i]))
			continue;
		if (!change_allowed(type, &a->operands[i], &b->operands[i]))
			return false;
		changed = true;
	}
	return changed;
}

/* Flip one qualifying bit chosen by rng; false if no bit qualifies. */
static bool flip_operand_bit(struct decoder *decoder, enum fault_type type,
			     const cs_insn *insn, struct rng *rng,
			     uint8_t new_bytes[X86_MAX_INSN_LEN], int *bit)
{
	uint8_t bits[X86_MAX_INSN_LEN * 8];
	size_t count = 0;

	for (int b = 0; b < insn->size * 8; b++) {
		memcpy(new_bytes, insn->bytes, insn->size);
		new_bytes[b / 8] ^= (uint8_t)(1u << (b % 8));
		if (decoder_decode_other(decoder, new_bytes, insn->size,
					 insn->address) &&
		    flip_qualifies(type, insn, decoder->other))
			bits[count++] = (uint8_t)b;
	}
	if (count == 0)
		return false;
	*bit = bits[rng_below(rng, count)];
	memcpy(new_bytes, insn->bytes, insn->size);
	new_bytes[*bit / 8] ^= (uint8_t)(1u << (*bit % 8));
	return true;
}

bool insn_mutate(struct decoder *decoder, enum fault_type type,
		 const cs_insn *insn, struct rng *rng,
		 uint8_t new_bytes[X86_MAX_INSN_LEN], int *bit)
{
	struct insn_traits traits;
	int at;

	insn_classify(insn, &traits);
	*bit = -1;
	memcpy(new_bytes, insn->bytes, insn->size);
	switch (type) {
	case FAULT_NOP:
	case FAULT_BRANCH:
	case FAULT_INIT:
	case FAULT_INTERFACE:
		/* INTERFACE's context was checked by the caller. */
		if (type != FAULT_INTERFACE && !(traits.types & (1u << type)))
			return false;
		if (type == FAULT_INTERFACE && traits.arg_register < 0)
			return false;
		memset(new_bytes, NOP_BYTE, insn->size);
		return true;
	case FAULT_STOP:
		if (!(traits.types & (1u << FAULT_STOP)))
			return false;
		new_bytes[0] = INT3_BYTE;
		return true;
	case FAULT_LOOP:
		at = condition_byte(insn);
		if (at < 0)
			return false;
		*bit = at * 8;
		new_bytes[at] ^= 1;
		return true;
	case FAULT_DST:
	case FAULT_SRC:
	case FAULT_PTR:
		if (!(traits.types & (1u << type)))
			return false;
		return flip_operand_bit(decoder, type, insn, rng, new_bytes,
					bit);
	default:
		return false;
	}
}
