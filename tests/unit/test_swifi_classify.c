// SPDX-License-Identifier: MIT
/*
 * mxsys-swifi's instruction classification and mutation
 * (tools/swifi/classify.c) on byte sequences decoded with capstone.
 */
#include <check.h>
#include <string.h>

#include "classify.h"
#include "swifi_decoder_fixture.h"

#define ADDRESS	0x401000

/* Decode bytes into an instruction of its own (decoder.insn is reused by mutation). */
static cs_insn *decode(const uint8_t *bytes, size_t len)
{
	cs_insn *insn = cs_malloc(decoder.handle);
	const uint8_t *code = bytes;
	uint64_t address = ADDRESS;
	size_t size = len;

	ck_assert(cs_disasm_iter(decoder.handle, &code, &size, &address, insn));
	ck_assert_uint_eq(insn->size, len);
	return insn;
}

static void release(cs_insn *insn)
{
	cs_free(insn, 1);
}

static unsigned int types_of(const uint8_t *bytes, size_t len,
			     struct insn_traits *traits)
{
	cs_insn *insn = decode(bytes, len);

	insn_classify(insn, traits);
	release(insn);
	return traits->types;
}

#define T(type)	(1u << (type))

static const uint8_t mov_eax_edi[] = { 0x89, 0xf8 };		/* mov eax, edi */
static const uint8_t je_short[] = { 0x74, 0x05 };
static const uint8_t jne_near[] = { 0x0f, 0x85, 0x01, 0x00, 0x00, 0x00 };
static const uint8_t jrcxz[] = { 0xe3, 0x05 };
static const uint8_t load_rdi_8[] = { 0x8b, 0x47, 0x08 };	/* mov eax, [rdi+8] */
static const uint8_t init_stack[] = { 0xc7, 0x44, 0x24, 0xfc, 0x4d, 0, 0, 0 }; /* mov dword [rsp-4], 77 */
static const uint8_t mov_edi_1000[] = { 0xbf, 0xe8, 0x03, 0x00, 0x00 };
static const uint8_t call_rel[] = { 0xe8, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t ret[] = { 0xc3 };
static const uint8_t nop[] = { 0x90 };
static const uint8_t nopw[] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const uint8_t store_rbx_8[] = { 0x48, 0x89, 0x43, 0x08 };	/* mov [rbx+8], rax */

START_TEST(register_move_takes_dst_and_src)
{
	struct insn_traits traits;
	unsigned int types = types_of(mov_eax_edi, sizeof(mov_eax_edi), &traits);

	ck_assert_uint_eq(types, T(FAULT_NOP) | T(FAULT_STOP) | T(FAULT_DST) |
			  T(FAULT_SRC));
	ck_assert_int_eq(traits.arg_register, -1);	/* eax is no argument */
	ck_assert(!traits.is_call && !traits.ends_block);
}
END_TEST

START_TEST(conditional_jumps_take_branch_and_loop)
{
	struct insn_traits traits;

	ck_assert_uint_eq(types_of(je_short, sizeof(je_short), &traits),
			  T(FAULT_NOP) | T(FAULT_STOP) | T(FAULT_BRANCH) |
			  T(FAULT_LOOP));
	ck_assert(traits.ends_block);
	ck_assert_uint_eq(types_of(jne_near, sizeof(jne_near), &traits),
			  T(FAULT_NOP) | T(FAULT_STOP) | T(FAULT_BRANCH) |
			  T(FAULT_LOOP));
	/* JRCXZ has no inverse encoding: a BRANCH, not a LOOP. */
	ck_assert_uint_eq(types_of(jrcxz, sizeof(jrcxz), &traits),
			  T(FAULT_NOP) | T(FAULT_STOP) | T(FAULT_BRANCH));
}
END_TEST

START_TEST(memory_operands_take_ptr)
{
	struct insn_traits traits;

	ck_assert(types_of(load_rdi_8, sizeof(load_rdi_8), &traits) & T(FAULT_PTR));
	ck_assert(types_of(store_rbx_8, sizeof(store_rbx_8), &traits) & T(FAULT_PTR));
	ck_assert(!(types_of(mov_eax_edi, sizeof(mov_eax_edi), &traits) & T(FAULT_PTR)));
	/* A store to the heap is no initialisation of a local. */
	ck_assert(!(traits.types & T(FAULT_INIT)));
	ck_assert(!(types_of(store_rbx_8, sizeof(store_rbx_8), &traits) & T(FAULT_INIT)));
}
END_TEST

START_TEST(immediate_store_to_stack_is_init)
{
	struct insn_traits traits;

	ck_assert(types_of(init_stack, sizeof(init_stack), &traits) & T(FAULT_INIT));
}
END_TEST

START_TEST(argument_load_and_call)
{
	struct insn_traits traits;

	types_of(mov_edi_1000, sizeof(mov_edi_1000), &traits);
	ck_assert_int_eq(traits.arg_register, 0);	/* rdi */
	types_of(call_rel, sizeof(call_rel), &traits);
	ck_assert(traits.is_call);
	ck_assert(!(traits.types & (T(FAULT_DST) | T(FAULT_SRC))));
	types_of(ret, sizeof(ret), &traits);
	ck_assert(traits.ends_block);
	ck_assert_uint_eq(traits.types, T(FAULT_NOP) | T(FAULT_STOP));
}
END_TEST

START_TEST(padding_takes_nothing)
{
	struct insn_traits traits;

	ck_assert_uint_eq(types_of(nop, sizeof(nop), &traits), 0);
	ck_assert_uint_eq(types_of(nopw, sizeof(nopw), &traits), 0);
}
END_TEST

/* Mutate with seed; check the result's size and return the bit. */
static int mutate(const uint8_t *bytes, size_t len, enum fault_type type,
		  uint64_t seed, uint8_t out[X86_MAX_INSN_LEN], bool *applies)
{
	cs_insn *insn = decode(bytes, len);
	struct rng rng;
	int bit = -2;

	rng_seed(&rng, seed);
	*applies = insn_mutate(&decoder, type, insn, &rng, out, &bit);
	release(insn);
	return bit;
}

static int bits_differing(const uint8_t *a, const uint8_t *b, size_t len)
{
	int count = 0;

	for (size_t i = 0; i < len; i++)
		count += __builtin_popcount(a[i] ^ b[i]);
	return count;
}

START_TEST(dst_flips_the_written_register_only)
{
	/* 89 /r: ModRM f8 = mod 11, reg 111 (edi, source), rm 000 (eax,
	 * destination). DST may only touch rm: bits 8..10. */
	for (uint64_t seed = 1; seed <= 40; seed++) {
		uint8_t out[X86_MAX_INSN_LEN];
		bool applies;
		int bit = mutate(mov_eax_edi, 2, FAULT_DST, seed, out, &applies);

		ck_assert(applies);
		ck_assert_int_ge(bit, 8);
		ck_assert_int_le(bit, 10);
		ck_assert_int_eq(bits_differing(mov_eax_edi, out, 2), 1);
		ck_assert(decoder_decode(&decoder, out, 2, ADDRESS));
		ck_assert_str_eq(decoder.insn->mnemonic, "mov");
		ck_assert_int_ne(decoder.insn->detail->x86.operands[0].reg, X86_REG_EAX);
		ck_assert_int_eq(decoder.insn->detail->x86.operands[1].reg, X86_REG_EDI);
	}
}
END_TEST

START_TEST(src_flips_a_read_register_or_the_immediate)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		uint8_t out[X86_MAX_INSN_LEN];
		bool applies;
		int bit = mutate(mov_eax_edi, 2, FAULT_SRC, seed, out, &applies);

		ck_assert(applies);
		ck_assert_int_ge(bit, 11);	/* reg field: bits 11..13 */
		ck_assert_int_le(bit, 13);
		/* mov dword [rsp-4], 77: only the immediate (bytes 4..7) is a source. */
		bit = mutate(init_stack, sizeof(init_stack), FAULT_SRC, seed, out,
			     &applies);
		ck_assert(applies);
		ck_assert_int_ge(bit, 32);
		ck_assert(decoder_decode(&decoder, out, sizeof(init_stack), ADDRESS));
		ck_assert_int_eq(decoder.insn->detail->x86.operands[1].imm,
				 77 ^ (1LL << (bit - 32)));
	}
}
END_TEST

START_TEST(ptr_changes_the_addressing_only)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		uint8_t out[X86_MAX_INSN_LEN];
		bool applies;
		const cs_x86_op *mem;

		mutate(load_rdi_8, 3, FAULT_PTR, seed, out, &applies);
		ck_assert(applies);
		ck_assert_int_eq(bits_differing(load_rdi_8, out, 3), 1);
		ck_assert(decoder_decode(&decoder, out, 3, ADDRESS));
		ck_assert_uint_eq(decoder.insn->size, 3);
		ck_assert_int_eq(decoder.insn->detail->x86.operands[0].reg, X86_REG_EAX);
		mem = &decoder.insn->detail->x86.operands[1];
		ck_assert_int_eq(mem->type, X86_OP_MEM);
		ck_assert(mem->mem.base != X86_REG_RDI || mem->mem.disp != 8);
	}
}
END_TEST

START_TEST(loop_inverts_the_condition)
{
	uint8_t out[X86_MAX_INSN_LEN];
	bool applies;

	ck_assert_int_eq(mutate(je_short, 2, FAULT_LOOP, 1, out, &applies), 0);
	ck_assert(applies);
	ck_assert_uint_eq(out[0], 0x75);	/* jne */
	ck_assert_int_eq(mutate(jne_near, 6, FAULT_LOOP, 1, out, &applies), 8);
	ck_assert(applies);
	ck_assert_uint_eq(out[1], 0x84);	/* je */
	ck_assert_uint_eq(out[0], 0x0f);
	mutate(jrcxz, 2, FAULT_LOOP, 1, out, &applies);
	ck_assert(!applies);
}
END_TEST

START_TEST(nop_branch_init_and_stop_bytes)
{
	static const uint8_t nops[8] = { 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };
	uint8_t out[X86_MAX_INSN_LEN];
	bool applies;

	ck_assert_int_eq(mutate(jne_near, 6, FAULT_BRANCH, 1, out, &applies), -1);
	ck_assert(applies);
	ck_assert_mem_eq(out, nops, 6);
	mutate(init_stack, 8, FAULT_INIT, 1, out, &applies);
	ck_assert(applies);
	ck_assert_mem_eq(out, nops, 8);
	mutate(mov_edi_1000, 5, FAULT_STOP, 1, out, &applies);
	ck_assert(applies);
	ck_assert_uint_eq(out[0], 0xcc);
	ck_assert_mem_eq(out + 1, mov_edi_1000 + 1, 4);
	/* Not a conditional jump, not a stack initialisation. */
	mutate(mov_eax_edi, 2, FAULT_BRANCH, 1, out, &applies);
	ck_assert(!applies);
	mutate(store_rbx_8, 4, FAULT_INIT, 1, out, &applies);
	ck_assert(!applies);
}
END_TEST

START_TEST(disassembly_of_a_span)
{
	static const uint8_t two[] = { 0x89, 0xf8, 0xc3 };
	char text[64];

	decoder_disassemble(&decoder, two, sizeof(two), ADDRESS, text, sizeof(text));
	ck_assert_str_eq(text, "mov eax, edi; ret");
	decoder_disassemble(&decoder, jne_near, 2, ADDRESS, text, sizeof(text));
	ck_assert_str_eq(text, "(bad)");
	decoder_disassemble(&decoder, two, sizeof(two), ADDRESS, text, 6);
	ck_assert_str_eq(text, "mov e");	/* cut, still terminated */
}
END_TEST

static Suite *classify_suite(void)
{
	Suite *s = suite_create("swifi_classify");
	TCase *tc = tcase_create("classify");

	tcase_add_checked_fixture(tc, decoder_fixture_setup,
				  decoder_fixture_teardown);
	tcase_add_test(tc, register_move_takes_dst_and_src);
	tcase_add_test(tc, conditional_jumps_take_branch_and_loop);
	tcase_add_test(tc, memory_operands_take_ptr);
	tcase_add_test(tc, immediate_store_to_stack_is_init);
	tcase_add_test(tc, argument_load_and_call);
	tcase_add_test(tc, padding_takes_nothing);
	tcase_add_test(tc, dst_flips_the_written_register_only);
	tcase_add_test(tc, src_flips_a_read_register_or_the_immediate);
	tcase_add_test(tc, ptr_changes_the_addressing_only);
	tcase_add_test(tc, loop_inverts_the_condition);
	tcase_add_test(tc, nop_branch_init_and_stop_bytes);
	tcase_add_test(tc, disassembly_of_a_span);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(classify_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
