// SPDX-License-Identifier: MIT
/*
 * mxsys-swifi's readers of process facts: /proc/PID/maps lines
 * (tools/swifi/maps.c), symbol lookup (symbols.c) and the debug-register
 * encoding (debugreg.c).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "debugreg.h"
#include "maps.h"
#include "symbols.h"

START_TEST(maps_lines)
{
	struct map_entry e;

	ck_assert_int_eq(maps_parse_line("55d0c4a00000-55d0c4a01000 r-xp 00001000 "
					 "fe:01 1234567                    "
					 "/usr/sbin/my svc (deleted)\n", &e), 0);
	ck_assert_uint_eq(e.start, 0x55d0c4a00000);
	ck_assert_uint_eq(e.end, 0x55d0c4a01000);
	ck_assert(e.readable && !e.writable && e.executable);
	ck_assert_uint_eq(e.offset, 0x1000);
	ck_assert_uint_eq(e.dev_major, 0xfe);
	ck_assert_uint_eq(e.dev_minor, 1);
	ck_assert_uint_eq(e.inode, 1234567);
	ck_assert_str_eq(e.path, "/usr/sbin/my svc (deleted)");

	ck_assert_int_eq(maps_parse_line("7ffd1000-7ffd2000 rw-p 00000000 00:00 0 "
					 "                 [stack]", &e), 0);
	ck_assert_str_eq(e.path, "[stack]");
	ck_assert(e.writable && !e.executable);
	ck_assert_int_eq(maps_parse_line("7f0000-7f1000 ---p 00000000 00:00 0", &e), 0);
	ck_assert_str_eq(e.path, "");
	ck_assert(!e.readable);

	ck_assert_int_eq(maps_parse_line("garbage", &e), EINVAL);
	ck_assert_int_eq(maps_parse_line("2000-1000 r--p 0 00:00 0", &e), EINVAL);
	ck_assert_int_eq(maps_parse_line("1000-2000 r--p", &e), EINVAL);
}
END_TEST

START_TEST(maps_lookup)
{
	struct map_entry entries[2];

	ck_assert_int_eq(maps_parse_line("1000-2000 r-xp 0 08:01 5 /bin/a", &entries[0]), 0);
	ck_assert_int_eq(maps_parse_line("3000-4000 rw-p 0 00:00 0 [heap]", &entries[1]), 0);
	ck_assert_ptr_eq(maps_find(entries, 2, 0x1fff), &entries[0]);
	ck_assert_ptr_null(maps_find(entries, 2, 0x2000));
	ck_assert_ptr_eq(maps_find(entries, 2, 0x3000), &entries[1]);
	ck_assert_ptr_eq(maps_find_named(entries, 2, "[heap]"), &entries[1]);
	ck_assert_ptr_null(maps_find_named(entries, 2, "[stack]"));
}
END_TEST

START_TEST(symbol_lookup)
{
	struct symbol_table table = { 0 };
	const struct symbol *found[4];
	char name[64];

	ck_assert_int_eq(symbol_table_add(&table, "outer", 0x1000, 0x100, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "inner", 0x1040, 0x10, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "counter", 0x3000, 8, false), 0);
	ck_assert_int_eq(symbol_table_add(&table, "helper", 0x2000, 0x20, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "helper", 0x2100, 0x20, true), 0);
	ck_assert_int_eq(symbol_table_add(&table, "helper", 0x2000, 0x20, true), 0);

	ck_assert(symbol_table_format(&table, 0x1000, name, sizeof(name)));
	ck_assert_str_eq(name, "outer");
	ck_assert(symbol_table_format(&table, 0x1044, name, sizeof(name)));
	ck_assert_str_eq(name, "inner+0x4");		/* the innermost */
	ck_assert(symbol_table_format(&table, 0x10ff, name, sizeof(name)));
	ck_assert_str_eq(name, "outer+0xff");
	ck_assert(!symbol_table_format(&table, 0x1100, name, sizeof(name)));
	ck_assert(symbol_table_format(&table, 0x3004, name, sizeof(name)));
	ck_assert_str_eq(name, "counter+0x4");

	/* Two static functions of one name; the alias of the first counts once. */
	ck_assert_uint_eq(symbol_table_find_functions(&table, "helper", found, 4), 2);
	ck_assert_uint_eq(found[0]->address, 0x2000);
	ck_assert_uint_eq(found[1]->address, 0x2100);
	/* Objects are no functions. */
	ck_assert_uint_eq(symbol_table_find_functions(&table, "counter", found, 4), 0);
	ck_assert_uint_eq(symbol_table_find_functions(&table, "none", found, 4), 0);
	symbol_table_free(&table);
}
END_TEST

START_TEST(debug_register_encoding)
{
	enum debugreg_kind one[] = { DEBUGREG_EXECUTE };
	enum debugreg_kind two[] = { DEBUGREG_EXECUTE, DEBUGREG_ACCESS_8 };
	enum debugreg_kind four[] = { DEBUGREG_ACCESS_8, DEBUGREG_ACCESS_8,
				      DEBUGREG_ACCESS_8, DEBUGREG_ACCESS_8 };

	/* L0 only: execution, length 1 are both 00. */
	ck_assert_uint_eq(debugreg_control(one, 1), 0x1);
	/* L0 | L1 | RW1 = 11 (bits 20-21) | LEN1 = 10 (bits 22-23). */
	ck_assert_uint_eq(debugreg_control(two, 2), 0x1 | 0x4 | 0x300000 | 0x800000);
	/* Every slot read/write, 8 bytes: nibbles 0xb, L0..L3 = 0x55. */
	ck_assert_uint_eq(debugreg_control(four, 4), 0xbbbb0055);
	ck_assert_uint_eq(debugreg_control(four, 0), 0);
	ck_assert_uint_eq(debugreg_hits(0xffff0ff1), 0x1);
	ck_assert_uint_eq(debugreg_hits(0xffff0ff0), 0);
	ck_assert(debugreg_address_ok(DEBUGREG_EXECUTE, 0x1003));
	ck_assert(!debugreg_address_ok(DEBUGREG_ACCESS_8, 0x1004));
	ck_assert(debugreg_address_ok(DEBUGREG_ACCESS_8, 0x1008));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("swifi_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, maps_lines);
	tcase_add_test(tc, maps_lookup);
	tcase_add_test(tc, symbol_lookup);
	tcase_add_test(tc, debug_register_encoding);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(parse_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
