// SPDX-License-Identifier: MIT
/*
 * mxsys-swifi's fault draws (tools/swifi/select_*.c): reproducible from a
 * seed, uniform over what qualifies, within the chosen code or memory;
 * and the golden run's plan (coverage_plan.c), which chooses that code:
 * one site per function entry, found by address.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "coverage_plan.h"
#include "select_code.h"
#include "select_memory.h"
#include "select_thread.h"
#include "swifi_decoder_fixture.h"

#define BASE	0x401000

/*
 * A small function:
 *   401000  bf e8 03 00 00     mov edi, 1000        INTERFACE (call follows)
 *   401005  89 f8              mov eax, edi
 *   401007  85 ff              test edi, edi
 *   401009  74 02              je 0x40100d          BRANCH, LOOP
 *   40100b  31 c0              xor eax, eax
 *   40100d  e8 00 00 00 00     call 0x401012
 *   401012  c3                 ret
 *   401013  90                 nop (padding)
 */
static const uint8_t code[] = {
	0xbf, 0xe8, 0x03, 0x00, 0x00, 0x89, 0xf8, 0x85, 0xff, 0x74, 0x02,
	0x31, 0xc0, 0xe8, 0x00, 0x00, 0x00, 0x00, 0xc3, 0x90,
};

static void build(struct code_index *index, struct code_region *region,
		  uint64_t start)
{
	*region = (struct code_region){
		.address = BASE, .bytes = code, .size = sizeof(code), .start = start,
	};
	ck_assert_int_eq(code_index_build(&decoder, region, 1, index), 0);
}

static int draw(const struct code_index *index, enum fault_type type,
		uint64_t seed, struct fault *fault)
{
	struct rng rng;

	rng_seed(&rng, seed);
	fault_init(fault, type, seed);
	return select_code_fault(&decoder, index, type, &rng, fault);
}

START_TEST(index_counts_qualifying_instructions)
{
	struct code_region region;
	struct code_index index;

	build(&index, &region, BASE);
	ck_assert_uint_eq(index.count, 8);	/* padding decoded, never chosen */
	ck_assert_uint_eq(code_index_count(&index, FAULT_NOP), 7);
	ck_assert_uint_eq(code_index_count(&index, FAULT_BRANCH), 1);
	ck_assert_uint_eq(code_index_count(&index, FAULT_LOOP), 1);
	/* je lies between mov edi, 1000 and the call: the jump ends the
	 * straight run, so the load does not qualify for INTERFACE. */
	ck_assert_uint_eq(code_index_count(&index, FAULT_INTERFACE), 0);
	ck_assert_uint_eq(code_index_count(&index, FAULT_INIT), 0);
	code_index_free(&index);
}
END_TEST

START_TEST(interface_needs_a_call_in_the_same_run)
{
	/* mov edi, 1; mov esi, 2; call; ret: both loads qualify.
	 * mov edi, 1; mov edi, 2; call: only the second (the first is dead). */
	static const uint8_t two_args[] = {
		0xbf, 0x01, 0, 0, 0, 0xbe, 0x02, 0, 0, 0,
		0xe8, 0, 0, 0, 0, 0xc3,
	};
	static const uint8_t reloaded[] = {
		0xbf, 0x01, 0, 0, 0, 0xbf, 0x02, 0, 0, 0,
		0xe8, 0, 0, 0, 0, 0xc3,
	};
	struct code_region region = { BASE, two_args, sizeof(two_args), BASE };
	struct code_index index;
	struct fault fault;

	ck_assert_int_eq(code_index_build(&decoder, &region, 1, &index), 0);
	ck_assert_uint_eq(code_index_count(&index, FAULT_INTERFACE), 2);
	code_index_free(&index);

	region.bytes = reloaded;
	ck_assert_int_eq(code_index_build(&decoder, &region, 1, &index), 0);
	ck_assert_uint_eq(code_index_count(&index, FAULT_INTERFACE), 1);
	for (uint64_t seed = 1; seed <= 10; seed++) {
		ck_assert_int_eq(draw(&index, FAULT_INTERFACE, seed, &fault), 0);
		ck_assert_uint_eq(fault.address, BASE + 5);
		ck_assert_str_eq(fault.new_insn, "nop; nop; nop; nop; nop");
	}
	code_index_free(&index);
}
END_TEST

START_TEST(same_seed_same_fault)
{
	struct code_region region;
	struct code_index index;
	struct fault a, b;

	build(&index, &region, BASE);
	for (int type = 0; type < FAULT_CODE_TYPES; type++) {
		int r = draw(&index, (enum fault_type)type, 42, &a);

		ck_assert_int_eq(draw(&index, (enum fault_type)type, 42, &b), r);
		ck_assert_mem_eq(&a, &b, sizeof(a));
	}
	code_index_free(&index);
}
END_TEST

START_TEST(every_candidate_is_drawn)
{
	struct code_region region;
	struct code_index index;
	bool seen[sizeof(code)] = { false };
	struct fault fault;
	int distinct = 0;

	build(&index, &region, BASE);
	for (uint64_t seed = 0; seed < 200; seed++) {
		ck_assert_int_eq(draw(&index, FAULT_NOP, seed, &fault), 0);
		ck_assert_uint_ne(fault.address, BASE + 19);	/* never the padding */
		if (!seen[fault.address - BASE])
			distinct++;
		seen[fault.address - BASE] = true;
	}
	ck_assert_int_eq(distinct, 7);
	code_index_free(&index);
}
END_TEST

START_TEST(faults_stay_at_or_after_start)
{
	struct code_region region;
	struct code_index index;
	struct fault fault;

	/* Decoded from BASE, but faults only from the test at 401007. */
	build(&index, &region, BASE + 7);
	ck_assert_uint_eq(code_index_count(&index, FAULT_NOP), 5);
	for (uint64_t seed = 0; seed < 50; seed++) {
		ck_assert_int_eq(draw(&index, FAULT_NOP, seed, &fault), 0);
		ck_assert_uint_ge(fault.address, BASE + 7);
		ck_assert_int_eq(draw(&index, FAULT_TEXT, seed, &fault), 0);
		ck_assert_uint_ge(fault.address, BASE + 8);	/* first whole word */
	}
	code_index_free(&index);
}
END_TEST

START_TEST(text_flips_one_bit_of_an_aligned_word)
{
	struct code_region region;
	struct code_index index;
	struct fault fault;

	build(&index, &region, BASE);
	for (uint64_t seed = 0; seed < 100; seed++) {
		uint64_t flipped;
		int differing = 0;

		ck_assert_int_eq(draw(&index, FAULT_TEXT, seed, &fault), 0);
		ck_assert_uint_eq(fault.address % 4, 0);
		ck_assert_uint_le(fault.address + 4, BASE + sizeof(code));
		ck_assert_uint_eq(fault.length, 4);
		ck_assert_mem_eq(fault.old_bytes, code + (fault.address - BASE), 4);
		for (int i = 0; i < 4; i++)
			differing += __builtin_popcount(fault.old_bytes[i] ^
							fault.new_bytes[i]);
		ck_assert_int_eq(differing, 1);
		/* The watch is the start of the instruction the bit lands in. */
		flipped = fault.address + (uint64_t)fault.bit / 8;
		ck_assert_uint_le(fault.watch_address, flipped);
		ck_assert_uint_gt(fault.watch_address + X86_MAX_INSN_LEN, flipped);
	}
	code_index_free(&index);
}
END_TEST

START_TEST(random_draws_only_types_with_candidates)
{
	struct code_region region;
	struct code_index index;
	bool seen[FAULT_TYPE_COUNT] = { false };
	struct fault fault;

	build(&index, &region, BASE);
	for (uint64_t seed = 0; seed < 300; seed++) {
		ck_assert_int_eq(draw(&index, FAULT_RANDOM, seed, &fault), 0);
		ck_assert(fault_type_is_code(fault.type));
		seen[fault.type] = true;
	}
	/* No store to the stack, no argument load before a call here. */
	ck_assert(!seen[FAULT_INIT]);
	ck_assert(!seen[FAULT_INTERFACE]);
	ck_assert(seen[FAULT_TEXT] && seen[FAULT_NOP] && seen[FAULT_DST] &&
		  seen[FAULT_SRC] && seen[FAULT_BRANCH] && seen[FAULT_LOOP] &&
		  seen[FAULT_STOP]);
	code_index_free(&index);
}
END_TEST

START_TEST(no_candidate_is_enoent)
{
	struct code_region region;
	struct code_index index;
	struct fault fault;

	build(&index, &region, BASE);
	ck_assert_int_eq(draw(&index, FAULT_INIT, 1, &fault), ENOENT);
	ck_assert_int_eq(draw(&index, FAULT_PTR, 1, &fault), ENOENT);
	ck_assert_int_eq(draw(&index, FAULT_HEAP, 1, &fault), EINVAL);
	code_index_free(&index);
}
END_TEST

START_TEST(word_flip_stays_in_aligned_words)
{
	uint8_t bytes[21];
	/* 0x1003..0x1018: the whole aligned words are 0x1008 and 0x1010. */
	struct memory_region region = { 0x1003, bytes, sizeof(bytes) };
	struct fault fault;
	bool seen_first = false, seen_second = false;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)i;
	for (uint64_t seed = 0; seed < 100; seed++) {
		struct rng rng;

		rng_seed(&rng, seed);
		fault_init(&fault, FAULT_DATA, seed);
		ck_assert_int_eq(select_word_flip(&region, 1, &rng, &fault), 0);
		ck_assert(fault.address == 0x1008 || fault.address == 0x1010);
		seen_first |= fault.address == 0x1008;
		seen_second |= fault.address == 0x1010;
		ck_assert(fault.has_value);
		ck_assert_uint_eq(fault.new_value, fault.old_value ^ (1ULL << fault.bit));
		ck_assert_mem_eq(fault.old_bytes, bytes + (fault.address - 0x1003), 8);
		ck_assert_uint_eq(fault.watch_address, fault.address);
	}
	ck_assert(seen_first && seen_second);
	region.size = 12;	/* 0x1003..0x100f: no whole word */
	ck_assert_int_eq(select_word_flip(&region, 1, &(struct rng){ 1 }, &fault),
			 ENOENT);
}
END_TEST

START_TEST(pointer_corruption_leaves_every_mapping)
{
	/* Words: a pointer into [0x4000, 0x6000), a small number, zero. */
	uint64_t words[3] = { 0x5000, 0x1234, 0 };
	struct memory_region region = { 0x10000, (const uint8_t *)words,
					sizeof(words) };
	struct address_range mapped[] = { { 0x4000, 0x6000 }, { 0x10000, 0x11000 } };
	struct fault fault;

	for (uint64_t seed = 0; seed < 100; seed++) {
		struct rng rng;

		rng_seed(&rng, seed);
		fault_init(&fault, FAULT_POINTER, seed);
		ck_assert_int_eq(select_pointer_corruption(&region, 1, mapped, 2,
							   &rng, &fault), 0);
		ck_assert_uint_eq(fault.address, 0x10000);
		ck_assert_uint_eq(fault.old_value, 0x5000);
		/* Bits 0..11 keep 0x5000 inside [0x4000, 0x6000), bit 12
		 * makes it 0x4000, still mapped; bit 13 makes it 0x7000 and
		 * every higher bit leaves both mappings (bit 16: 0x15000). */
		ck_assert_int_ge(fault.bit, 13);
		ck_assert_int_lt(fault.bit, 47);
		ck_assert(!(fault.new_value >= 0x4000 && fault.new_value < 0x6000));
		ck_assert(!(fault.new_value >= 0x10000 && fault.new_value < 0x11000));
	}
	words[0] = 0x9999;	/* no pointer left */
	ck_assert_int_eq(select_pointer_corruption(&region, 1, mapped, 2,
						   &(struct rng){ 1 }, &fault),
			 ENOENT);
}
END_TEST

START_TEST(register_flip_changes_one_bit_of_one_register)
{
	struct user_regs_struct regs, before;
	struct fault fault;
	struct rng rng;

	memset(&regs, 0x11, sizeof(regs));
	before = regs;
	rng_seed(&rng, 5);
	fault_init(&fault, FAULT_REGISTER, 5);
	ck_assert_int_eq(select_register_flip(&regs, "R12", &rng, &fault), 0);
	ck_assert_str_eq(fault.reg, "r12");
	ck_assert_uint_eq(regs.r12, before.r12 ^ (1ULL << fault.bit));
	ck_assert_uint_eq(fault.old_value, before.r12);
	ck_assert_uint_eq(fault.new_value, regs.r12);
	regs.r12 = before.r12;
	ck_assert_mem_eq(&regs, &before, sizeof(regs));

	ck_assert_int_eq(select_register_flip(&regs, "eflags", &rng, &fault), EINVAL);
	ck_assert(register_name_valid("rip"));
	ck_assert(!register_name_valid("xmm0"));
}
END_TEST

START_TEST(signals_and_while1)
{
	struct fault fault;
	struct rng rng;
	static const uint8_t old[2] = { 0x0f, 0x05 };

	ck_assert_int_eq(crash_signal_parse("SEGV"), SIGSEGV);
	ck_assert_int_eq(crash_signal_parse("sigbus"), SIGBUS);
	ck_assert_int_eq(crash_signal_parse("ILL"), SIGILL);
	ck_assert_int_eq(crash_signal_parse("SIGFPE"), SIGFPE);
	ck_assert_int_eq(crash_signal_parse("KILL"), 0);
	ck_assert_int_eq(crash_signal_parse(""), 0);

	fault_init(&fault, FAULT_SIGNAL, 1);
	select_signal(SIGBUS, &rng, &fault);
	ck_assert_int_eq(fault.signal, SIGBUS);
	for (uint64_t seed = 0; seed < 20; seed++) {
		rng_seed(&rng, seed);
		select_signal(0, &rng, &fault);
		ck_assert(fault.signal == SIGSEGV || fault.signal == SIGBUS ||
			  fault.signal == SIGILL || fault.signal == SIGFPE);
	}

	fault_init(&fault, FAULT_WHILE1, 1);
	select_while1(0x7000, old, &fault);
	ck_assert_uint_eq(fault.address, 0x7000);
	ck_assert_uint_eq(fault.length, 2);
	ck_assert_uint_eq(fault.new_bytes[0], 0xeb);
	ck_assert_uint_eq(fault.new_bytes[1], 0xfe);
	ck_assert_mem_eq(fault.old_bytes, old, 2);
}
END_TEST

START_TEST(rng_is_fixed_by_its_seed)
{
	/* SplitMix64's first outputs for seed 0 (its reference values). */
	struct rng rng;

	rng_seed(&rng, 0);
	ck_assert_uint_eq(rng_next(&rng), 0xe220a8397b1dcdafULL);
	ck_assert_uint_eq(rng_next(&rng), 0x6e789e6aa1b965f4ULL);
	rng_seed(&rng, 9);
	for (int i = 0; i < 1000; i++)
		ck_assert_uint_lt(rng_below(&rng, 7), 7);
	ck_assert_uint_eq(rng_below(&rng, 0), 0);
}
END_TEST

/* ---- the golden run's plan ---- */

static struct symbol_table table;

static void coverage_setup(void)
{
	memset(&table, 0, sizeof(table));
	ck_assert_int_eq(symbol_table_add(&table, "serve", 0x2000, 0x40, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "main", 0x1000, 0x80, true), 0);
	/* An alias of serve, a variable, and a function without a size. */
	ck_assert_int_eq(symbol_table_add(&table, "serve_alias", 0x2000, 0x40, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "counter", 0x3000, 8, false), 0);
	ck_assert_int_eq(symbol_table_add(&table, "sizeless", 0x1800, 0, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "idle", 0x2800, 0x10, true), 0);
}

static void coverage_teardown(void)
{
	symbol_table_free(&table);
}

START_TEST(one_site_per_function_entry_in_address_order)
{
	struct coverage_plan plan;

	ck_assert_int_eq(coverage_plan_make(&plan, &table, 0x10000, NULL, 0), 0);
	ck_assert_uint_eq(plan.count, 3);
	ck_assert_uint_eq(plan.sites[0].address, 0x11000);
	ck_assert_str_eq(plan.sites[0].name, "main");
	ck_assert_uint_eq(plan.sites[1].address, 0x12000);
	ck_assert_str_eq(plan.sites[1].name, "serve");	/* before its alias */
	ck_assert_str_eq(plan.sites[2].name, "idle");
	ck_assert_ptr_eq(coverage_plan_find(&plan, 0x12000), &plan.sites[1]);
	ck_assert_ptr_null(coverage_plan_find(&plan, 0x12001));
	ck_assert_ptr_null(coverage_plan_find(&plan, 0x2000));	/* no bias */
	ck_assert(coverage_plan_reach(&plan, &plan.sites[1]));
	ck_assert(!coverage_plan_reach(&plan, &plan.sites[1]));	/* once */
	ck_assert_uint_eq(plan.reached, 1);
	coverage_plan_free(&plan);
	ck_assert_uint_eq(plan.count, 0);
}
END_TEST

START_TEST(only_the_functions_named)
{
	const char *only[] = { "idle", "serve_alias", "counter", "missing" };
	struct coverage_plan plan;

	ck_assert_int_eq(coverage_plan_make(&plan, &table, 0, only, 4), 0);
	ck_assert_uint_eq(plan.count, 2);
	ck_assert_str_eq(plan.sites[0].name, "serve_alias");
	ck_assert_str_eq(plan.sites[1].name, "idle");
	coverage_plan_free(&plan);
}
END_TEST

START_TEST(an_empty_table_plans_nothing)
{
	struct symbol_table none = { 0 };
	struct coverage_plan plan;

	ck_assert_int_eq(coverage_plan_make(&plan, &none, 0, NULL, 0), 0);
	ck_assert_uint_eq(plan.count, 0);
	ck_assert_ptr_null(coverage_plan_find(&plan, 0));
	coverage_plan_free(&plan);
}
END_TEST

static Suite *select_suite(void)
{
	Suite *s = suite_create("swifi_select");
	TCase *tc = tcase_create("select");
	TCase *plan = tcase_create("coverage plan");

	tcase_add_checked_fixture(tc, decoder_fixture_setup,
				  decoder_fixture_teardown);
	tcase_add_test(tc, index_counts_qualifying_instructions);
	tcase_add_test(tc, interface_needs_a_call_in_the_same_run);
	tcase_add_test(tc, same_seed_same_fault);
	tcase_add_test(tc, every_candidate_is_drawn);
	tcase_add_test(tc, faults_stay_at_or_after_start);
	tcase_add_test(tc, text_flips_one_bit_of_an_aligned_word);
	tcase_add_test(tc, random_draws_only_types_with_candidates);
	tcase_add_test(tc, no_candidate_is_enoent);
	tcase_add_test(tc, word_flip_stays_in_aligned_words);
	tcase_add_test(tc, pointer_corruption_leaves_every_mapping);
	tcase_add_test(tc, register_flip_changes_one_bit_of_one_register);
	tcase_add_test(tc, signals_and_while1);
	tcase_add_test(tc, rng_is_fixed_by_its_seed);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(plan, coverage_setup, coverage_teardown);
	tcase_add_test(plan, one_site_per_function_entry_in_address_order);
	tcase_add_test(plan, only_the_functions_named);
	tcase_add_test(plan, an_empty_table_plans_nothing);
	suite_add_tcase(s, plan);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(select_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
