// SPDX-License-Identifier: MIT
/*
 * minix-service ds: its arguments (verbs, -t, u32 or str, the key and
 * value limits), its output (types, escapes, a cut value), and the
 * checks RS and DS make of a struct ds_admin.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minix/ds.h>

#include "../../tools/service/ds.h"

static struct ds_admin rq;
static char err[SERVICE_ERRLEN];

#define PARSE(...) ({ char *const v_[] = { "ds", __VA_ARGS__ }; \
	ds_parse(sizeof(v_) / sizeof(v_[0]), v_, &rq, err); })

START_TEST(parse_verbs)
{
	ck_assert_int_eq(PARSE("list"), 0);
	ck_assert_uint_eq(rq.op, DS_ADMIN_LIST);
	ck_assert_str_eq(rq.key, "");
	ck_assert_int_eq(PARSE("list", "hello\\..*"), 0);
	ck_assert_str_eq(rq.key, "hello\\..*");
	ck_assert_int_eq(PARSE("get", "k"), 0);
	ck_assert_uint_eq(rq.op, DS_ADMIN_GET);
	ck_assert_uint_eq(rq.type, 0);
	ck_assert_int_eq(PARSE("get", "-t", "label", "k"), 0);
	ck_assert_uint_eq(rq.type, DSF_TYPE_LABEL);
	ck_assert_int_eq(PARSE("del", "-t", "mem", "k"), 0);
	ck_assert_uint_eq(rq.op, DS_ADMIN_DEL);
	ck_assert_uint_eq(rq.type, DSF_TYPE_MEM);
	ck_assert_int_eq(ds_admin_check(&rq), 0);
}
END_TEST

START_TEST(parse_set_types)
{
	ck_assert_int_eq(PARSE("set", "k", "42"), 0);
	ck_assert_uint_eq(rq.type, DSF_TYPE_U32);
	ck_assert_uint_eq(rq.value, 42);
	ck_assert_int_eq(PARSE("set", "k", "4294967295"), 0);
	ck_assert_uint_eq(rq.value, 4294967295u);
	/* Beyond 32 bits, or not a number: a string. */
	ck_assert_int_eq(PARSE("set", "k", "4294967296"), 0);
	ck_assert_uint_eq(rq.type, DSF_TYPE_STR);
	ck_assert_str_eq(rq.data, "4294967296");
	ck_assert_uint_eq(rq.len, 11);
	ck_assert_int_eq(PARSE("set", "k", "hello world"), 0);
	ck_assert_uint_eq(rq.type, DSF_TYPE_STR);
	ck_assert_int_eq(ds_admin_check(&rq), 0);
	/* -t str keeps a number a string; -t u32 refuses a non-number. */
	ck_assert_int_eq(PARSE("set", "-t", "str", "k", "7"), 0);
	ck_assert_uint_eq(rq.type, DSF_TYPE_STR);
	ck_assert_str_eq(rq.data, "7");
	ck_assert_int_eq(PARSE("set", "-t", "u32", "k", "x7"), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a u32"));
	ck_assert_int_eq(PARSE("set", "-t", "mem", "k", "7"), EINVAL);
	ck_assert_int_eq(PARSE("set", "-t", "u32", "k", "-1"), EINVAL);
}
END_TEST

START_TEST(parse_errors)
{
	char key[100];

	ck_assert_int_eq(PARSE("frob"), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown verb"));
	ck_assert_int_eq(PARSE("get"), EINVAL);
	ck_assert_int_eq(PARSE("get", "a", "b"), EINVAL);
	ck_assert_int_eq(PARSE("set", "a"), EINVAL);
	ck_assert_int_eq(PARSE("get", ""), EINVAL);
	ck_assert_int_eq(PARSE("get", "-t"), EINVAL);
	ck_assert_int_eq(PARSE("get", "-t", "float", "k"), EINVAL);
	ck_assert_int_eq(PARSE("list", "a", "b"), EINVAL);
	/* 79 characters is a key, 80 is not. */
	memset(key, 'k', 79);
	key[79] = '\0';
	ck_assert_int_eq(PARSE("get", key), 0);
	ck_assert_uint_eq(strlen(rq.key), 79);
	key[79] = 'k';
	key[80] = '\0';
	ck_assert_int_eq(PARSE("get", key), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at most 79"));
}
END_TEST

START_TEST(parse_long_value)
{
	char *v = malloc(DS_ADMIN_VALUE_MAX + 1);

	memset(v, 'v', DS_ADMIN_VALUE_MAX);
	v[DS_ADMIN_VALUE_MAX - 1] = '\0';
	ck_assert_int_eq(PARSE("set", "k", v), 0);
	ck_assert_uint_eq(rq.len, DS_ADMIN_VALUE_MAX);
	ck_assert_int_eq(ds_admin_check(&rq), 0);
	v[DS_ADMIN_VALUE_MAX - 1] = 'v';
	v[DS_ADMIN_VALUE_MAX] = '\0';
	ck_assert_int_eq(PARSE("set", "k", v), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at most 1023"));
	free(v);
}
END_TEST

START_TEST(check_request)
{
	struct ds_admin a;

	memset(&a, 0, sizeof(a));
	a.op = DS_ADMIN_LIST;
	ck_assert_int_eq(ds_admin_check(&a), 0);
	a.op = 99;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	a.op = DS_ADMIN_GET;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);	/* empty key */
	strcpy(a.key, "k");
	ck_assert_int_eq(ds_admin_check(&a), 0);
	a.type = 0x8000;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	/* A key without its NUL. */
	a.type = 0;
	memset(a.key, 'k', sizeof(a.key));
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	strcpy(a.key, "k");
	/* set: a u32, or a str whose last byte is its only NUL. */
	a.op = DS_ADMIN_SET;
	a.type = DSF_TYPE_U32;
	ck_assert_int_eq(ds_admin_check(&a), 0);
	a.type = DSF_TYPE_LABEL;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	a.type = DSF_TYPE_STR;
	memcpy(a.data, "ab", 3);
	a.len = 3;
	ck_assert_int_eq(ds_admin_check(&a), 0);
	a.len = 2;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	a.len = 0;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
	a.len = DS_ADMIN_VALUE_MAX + 1;
	ck_assert_int_eq(ds_admin_check(&a), -EINVAL);
}
END_TEST

static char *printed(const struct ds_admin *e, bool *cut)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	*cut = ds_print_entry(f, e);
	fclose(f);
	return buf;
}

START_TEST(print_entries)
{
	struct ds_admin e;
	bool cut;

	memset(&e, 0, sizeof(e));
	strcpy(e.key, "hello.count");
	strcpy(e.owner, "hello");
	e.type = DSF_TYPE_U32;
	e.value = 7;
	ck_assert_str_eq(printed(&e, &cut), "hello.count u32 hello 7\n");
	ck_assert(!cut);
	e.type = DSF_TYPE_STR;
	memcpy(e.data, "a b\n\\\x01", 7);
	e.len = 7;
	ck_assert_str_eq(printed(&e, &cut),
			 "hello.count str hello a b\\n\\\\\\x01\n");
	e.type = DSF_TYPE_MEM;
	memcpy(e.data, "\x00\xff", 2);
	e.len = 2;
	ck_assert_str_eq(printed(&e, &cut), "hello.count mem hello 00ff\n");
	/* A value longer than what travelled is said to be cut. */
	e.type = DSF_TYPE_STR;
	memset(e.data, 'x', sizeof(e.data));
	e.len = 5000;
	printed(&e, &cut);
	ck_assert(cut);
	e.owner[0] = '\0';
	e.type = DSF_TYPE_LABEL;
	e.value = 12;
	ck_assert_str_eq(printed(&e, &cut), "hello.count label - 12\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service_ds");
	TCase *tc = tcase_create("ds");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, parse_verbs);
	tcase_add_test(tc, parse_set_types);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, parse_long_value);
	tcase_add_test(tc, check_request);
	tcase_add_test(tc, print_entries);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
