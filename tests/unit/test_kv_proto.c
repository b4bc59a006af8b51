/* SPDX-License-Identifier: MIT */
/* The kv line protocol: requests and replies, good and bad. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

static int parse(const char *line, struct kv_request *req, const char **why)
{
	return kv_parse_request(line, strlen(line), req, why);
}

START_TEST(parses_each_command)
{
	struct kv_request req;
	const char *why = NULL;

	ck_assert_int_eq(parse("7 GET a.b_c-9", &req, &why), 0);
	ck_assert_uint_eq(req.id, 7);
	ck_assert_int_eq(req.op, KV_GET);
	ck_assert_str_eq(req.key, "a.b_c-9");

	ck_assert_int_eq(parse("8 SET k hello world\r", &req, &why), 0);
	ck_assert_int_eq(req.op, KV_SET);
	ck_assert_str_eq(req.value, "hello world");

	ck_assert_int_eq(parse("9 INCR k", &req, &why), 0);
	ck_assert_int_eq(req.delta, 1);
	ck_assert_int_eq(parse("10 INCR k -42", &req, &why), 0);
	ck_assert_int_eq(req.delta, -42);

	ck_assert_int_eq(parse("9223372036854775807 DEL k", &req, &why), 0);
	ck_assert_uint_eq(req.id, 9223372036854775807ULL);
	ck_assert_int_eq(req.op, KV_DEL);
}
END_TEST

START_TEST(refuses_bad_requests_with_a_reason)
{
	static const char *const bad[] = {
		"", "GET k", "0 GET k", "-1 GET k", "9223372036854775808 GET k",
		"1x GET k", "1 FETCH k", "1 GET", "1 GET bad/key", "1 GET k extra",
		"1 SET k", "1 INCR k 1.5", "1 INCR k 99999999999999999999",
		"1  GET k", "1 get k",
	};
	struct kv_request req;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		ck_assert_msg(parse(bad[i], &req, &why) == -1, "'%s' accepted",
			      bad[i]);
		ck_assert_ptr_nonnull(why);
	}
	/* The id is kept when it was readable, for the ERR reply. */
	ck_assert_int_eq(parse("5 NOPE k", &req, &why), -1);
	ck_assert_uint_eq(req.id, 5);
	ck_assert_int_eq(kv_parse_request("5 GET k\0x", 9, &req, &why), -1);
}
END_TEST

START_TEST(key_and_value_limits)
{
	char line[600], key[KV_KEY_MAX + 2], value[KV_VALUE_MAX + 2];
	struct kv_request req;
	const char *why;

	memset(key, 'k', sizeof(key));
	key[KV_KEY_MAX] = '\0';
	snprintf(line, sizeof(line), "1 GET %s", key);
	ck_assert_int_eq(parse(line, &req, &why), 0);
	key[KV_KEY_MAX] = 'k';
	key[KV_KEY_MAX + 1] = '\0';
	snprintf(line, sizeof(line), "1 GET %s", key);
	ck_assert_int_eq(parse(line, &req, &why), -1);

	memset(value, 'v', sizeof(value));
	value[KV_VALUE_MAX] = '\0';
	snprintf(line, sizeof(line), "1 SET k %s", value);
	ck_assert_int_eq(parse(line, &req, &why), 0);
	value[KV_VALUE_MAX] = 'v';
	value[KV_VALUE_MAX + 1] = '\0';
	snprintf(line, sizeof(line), "1 SET k %s", value);
	ck_assert_int_eq(parse(line, &req, &why), -1);
	ck_assert_int_eq(parse("1 SET k tab\there", &req, &why), -1);
}
END_TEST

START_TEST(requests_and_replies_round_trip)
{
	struct kv_request req = { .id = 12, .op = KV_INCR, .delta = -3 }, back;
	struct kv_reply rep = { .id = 12, .status = KV_R_VALUE }, rback;
	char buf[KV_LINE_MAX];
	const char *why;
	size_t n;

	strcpy(req.key, "ctr");
	n = kv_format_request(&req, buf, sizeof(buf));
	ck_assert_str_eq(buf, "12 INCR ctr -3\n");
	ck_assert_uint_eq(kv_line_length(buf, n), n);
	ck_assert_int_eq(kv_parse_request(buf, n - 1, &back, &why), 0);
	ck_assert_int_eq(back.delta, -3);

	strcpy(rep.text, "a b");
	n = kv_format_reply(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, "12 VALUE a b\n");
	ck_assert_int_eq(kv_parse_reply(buf, n - 1, &rback), 0);
	ck_assert_str_eq(rback.text, "a b");

	ck_assert_int_eq(kv_parse_reply("0 ERR bad id", 12, &rback), 0);
	ck_assert_int_eq(rback.status, KV_R_ERR);
	ck_assert_int_eq(kv_parse_reply("3 DELETED", 9, &rback), 0);
	ck_assert_int_eq(kv_parse_reply("3 DELETED x", 11, &rback), -1);
	ck_assert_int_eq(kv_parse_reply("3 VALUE", 7, &rback), -1);
	ck_assert_int_eq(kv_parse_reply("x OK", 4, &rback), -1);
	ck_assert_uint_eq(kv_line_length("no newline", 10), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kv_proto");
	TCase *tc = tcase_create("proto");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, parses_each_command);
	tcase_add_test(tc, refuses_bad_requests_with_a_reason);
	tcase_add_test(tc, key_and_value_limits);
	tcase_add_test(tc, requests_and_replies_round_trip);
	suite_add_tcase(s, tc);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
