// SPDX-License-Identifier: MIT
/* mxsys-swifi's descriptions (tools/swifi/describe.c): text and JSON. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"

static char *buffer;
static size_t buffer_len;

static FILE *open_buffer(void)
{
	FILE *out = open_memstream(&buffer, &buffer_len);

	ck_assert_ptr_nonnull(out);
	return out;
}

static struct fault nop_fault(void)
{
	struct fault fault;

	fault_init(&fault, FAULT_NOP, 42);
	fault.address = 0x401005;
	fault.length = 2;
	fault.old_bytes[0] = 0x89;
	fault.old_bytes[1] = 0xf8;
	fault.new_bytes[0] = 0x90;
	fault.new_bytes[1] = 0x90;
	strcpy(fault.location, "fn+0x5");
	strcpy(fault.object, "/usr/bin/svc");
	strcpy(fault.old_insn, "mov eax, edi");
	strcpy(fault.new_insn, "nop; nop");
	fault.watch_address = 0x401005;
	fault.activation = ACTIVATION_REACHED;
	return fault;
}

static const struct run_info run = {
	.pid = 1234, .seed = 42, .requested = FAULT_RANDOM, .dry_run = false,
};

START_TEST(json_of_a_code_fault)
{
	struct fault fault = nop_fault();
	FILE *out = open_buffer();

	describe_json(out, &run, &fault, 1);
	fclose(out);
	ck_assert_str_eq(buffer,
		"{\"pid\":1234,\"seed\":42,\"type\":\"random\",\"dry_run\":false,"
		"\"faults\":[{\"type\":\"nop\",\"seed\":42,\"tid\":null,"
		"\"address\":\"0x401005\",\"location\":\"fn+0x5\","
		"\"object\":\"/usr/bin/svc\",\"length\":2,\"old_bytes\":\"89f8\","
		"\"new_bytes\":\"9090\",\"old_insn\":\"mov eax, edi\","
		"\"new_insn\":\"nop; nop\",\"register\":null,\"bit\":null,"
		"\"old_value\":null,\"new_value\":null,\"signal\":null,"
		"\"watch_address\":\"0x401005\",\"activation\":\"reached\"}]}\n");
	free(buffer);
}
END_TEST

START_TEST(json_of_register_and_signal_faults)
{
	struct fault faults[2];
	struct run_info two = run;
	FILE *out = open_buffer();

	fault_init(&faults[0], FAULT_REGISTER, 7);
	faults[0].tid = 99;
	strcpy(faults[0].reg, "r12");
	faults[0].bit = 3;
	faults[0].has_value = true;
	faults[0].old_value = 0xffffffffffffffffULL;
	faults[0].new_value = 0xfffffffffffffff7ULL;
	fault_init(&faults[1], FAULT_SIGNAL, 8);
	faults[1].signal = SIGSEGV;
	two.dry_run = true;
	describe_json(out, &two, faults, 2);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buffer, "\"dry_run\":true"));
	ck_assert_ptr_nonnull(strstr(buffer,
		"{\"type\":\"reg\",\"seed\":7,\"tid\":99,\"address\":null,"
		"\"location\":null,\"object\":null,\"length\":0,\"old_bytes\":null,"
		"\"new_bytes\":null,\"old_insn\":null,\"new_insn\":null,"
		"\"register\":\"r12\",\"bit\":3,\"old_value\":\"0xffffffffffffffff\","
		"\"new_value\":\"0xfffffffffffffff7\",\"signal\":null,"
		"\"watch_address\":null,\"activation\":\"not-watched\"},"));
	ck_assert_ptr_nonnull(strstr(buffer, "\"signal\":\"SIGSEGV\""));
	free(buffer);
}
END_TEST

START_TEST(json_escapes_strings)
{
	struct fault fault = nop_fault();
	FILE *out = open_buffer();

	strcpy(fault.object, "/tmp/a \"b\"\\c\n");
	describe_json(out, &run, &fault, 1);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buffer,
		"\"object\":\"/tmp/a \\\"b\\\"\\\\c\\u000a\""));
	free(buffer);
}
END_TEST

START_TEST(text_of_a_code_fault)
{
	struct fault fault = nop_fault();
	FILE *out = open_buffer();

	describe_text(out, &run, &fault, 1);
	fclose(out);
	ck_assert_str_eq(buffer,
		"pid 1234, type random, seed 42, 1 fault\n"
		"fault 1: nop seed=42\n"
		"  address    0x401005 fn+0x5 (/usr/bin/svc)\n"
		"  bytes      89 f8 -> 90 90\n"
		"  insn       mov eax, edi -> nop; nop\n"
		"  activation reached (watched 0x401005)\n");
	free(buffer);
}
END_TEST

START_TEST(text_of_a_data_fault_in_a_dry_run)
{
	struct fault fault;
	struct run_info dry = run;
	FILE *out = open_buffer();

	fault_init(&fault, FAULT_HEAP, 3);
	fault.address = 0x5000;
	fault.length = 8;
	fault.new_bytes[1] = 0x02;
	fault.bit = 9;
	fault.has_value = true;
	fault.new_value = 0x200;
	strcpy(fault.location, "[heap]+0x10");
	dry.requested = FAULT_HEAP;
	dry.dry_run = true;
	describe_text(out, &dry, &fault, 1);
	fclose(out);
	ck_assert_str_eq(buffer,
		"pid 1234, type heap, seed 42, 1 fault (dry run: nothing written)\n"
		"fault 1: heap seed=3\n"
		"  address    0x5000 [heap]+0x10\n"
		"  bytes      00 00 00 00 00 00 00 00 -> 00 02 00 00 00 00 00 00\n"
		"  bit        9\n"
		"  value      0x0 -> 0x200\n");
	free(buffer);
}
END_TEST

START_TEST(type_names_round_trip)
{
	for (int t = 0; t < FAULT_TYPE_COUNT; t++) {
		enum fault_type parsed;

		ck_assert(fault_type_parse(fault_type_name((enum fault_type)t), &parsed));
		ck_assert_int_eq(parsed, t);
	}
	enum fault_type parsed;

	ck_assert(fault_type_parse("NOP", &parsed));
	ck_assert_int_eq(parsed, FAULT_NOP);
	ck_assert(!fault_type_parse("nops", &parsed));
	ck_assert_str_eq(fault_type_name(FAULT_TYPE_COUNT), "?");
}
END_TEST

static Suite *describe_suite(void)
{
	Suite *s = suite_create("swifi_describe");
	TCase *tc = tcase_create("describe");

	tcase_add_test(tc, json_of_a_code_fault);
	tcase_add_test(tc, json_of_register_and_signal_faults);
	tcase_add_test(tc, json_escapes_strings);
	tcase_add_test(tc, text_of_a_code_fault);
	tcase_add_test(tc, text_of_a_data_fault_in_a_dry_run);
	tcase_add_test(tc, type_names_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(describe_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
