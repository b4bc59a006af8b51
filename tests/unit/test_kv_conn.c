/* SPDX-License-Identifier: MIT */
/*
 * kv-server's per-connection state (examples/kv/conn.c) on a store in
 * memory: requests, partial ones, retries answered from the last-reply
 * record, and a crash at every point of a write, recovered from the
 * record as the next instance finds it; then kv-load's model.
 */
#include <check.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "model.h"

/* ---- a store in memory, counting writes ---- */

#define MEM_KEYS 16
static struct {
	char key[MEM_KEYS][KV_KEY_MAX + 1];
	char value[MEM_KEYS][KV_VALUE_MAX + 1];
	int used[MEM_KEYS];
	int writes;
	int reads;
	int fail_writes;	/* -errno for every write, or 0 */
} mem;

static int mem_find(const char *key)
{
	for (int i = 0; i < MEM_KEYS; i++)
		if (mem.used[i] && !strcmp(mem.key[i], key))
			return i;
	return -1;
}

static int mem_get(struct kv_store *s, const char *key, char *value,
		   size_t size)
{
	int i = mem_find(key);

	(void)s;
	mem.reads++;
	if (i < 0)
		return -ENOENT;
	snprintf(value, size, "%s", mem.value[i]);
	return 0;
}

static int mem_set(struct kv_store *s, const char *key, const char *value)
{
	int i = mem_find(key);

	(void)s;
	if (mem.fail_writes)
		return mem.fail_writes;
	for (int j = 0; i < 0 && j < MEM_KEYS; j++)
		if (!mem.used[j])
			i = j;
	ck_assert_int_ge(i, 0);
	mem.used[i] = 1;
	strcpy(mem.key[i], key);
	strcpy(mem.value[i], value);
	mem.writes++;
	return 0;
}

static int mem_del(struct kv_store *s, const char *key)
{
	int i = mem_find(key);

	(void)s;
	if (mem.fail_writes)
		return mem.fail_writes;
	if (i < 0)
		return -ENOENT;
	mem.used[i] = 0;
	mem.writes++;
	return 0;
}

static struct kv_store store = { .get = mem_get, .set = mem_set,
				 .del = mem_del };
static struct kv_conn conn;

static void setup(void)
{
	memset(&mem, 0, sizeof(mem));
	kv_conn_init(&conn);
	kv_conn_crash_point = NULL;
}

static void feed(struct kv_conn *c, const char *text)
{
	char *space;
	size_t room = kv_conn_input_space(c, &space);

	ck_assert_uint_ge(room, strlen(text));
	memcpy(space, text, strlen(text));	/* as read() would */
}

/* Step until idle; everything sent, concatenated into out. */
static enum kv_step drain(struct kv_conn *c, char *out, size_t size)
{
	enum kv_step st;
	const char *p = "";
	size_t n;

	out[0] = '\0';
	while ((st = kv_conn_step(c, &store)) != KV_STEP_IDLE) {
		n = kv_conn_output(c, &p);
		ck_assert_uint_lt(strlen(out) + n, size);
		strncat(out, p, n);
		kv_conn_sent(c, n);
		if (st == KV_STEP_CLOSE)
			break;
	}
	return st;
}

static const char *stored(const char *key)
{
	int i = mem_find(key);

	return i < 0 ? "(absent)" : mem.value[i];
}

START_TEST(serves_each_command)
{
	char out[512];

	feed(&conn, "1 SET a x y\n2 GET a\n3 INCR n 5\n4 INCR n\n5 DEL a\n"
		    "6 DEL a\n7 GET a\n8 INCR a\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "1 OK\n2 VALUE x y\n3 VALUE 5\n4 VALUE 6\n"
			      "5 DELETED\n6 NOTFOUND\n7 NOTFOUND\n8 VALUE 1\n");
	feed(&conn, "9 SET w word\n10 INCR w\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "9 OK\n10 ERR not an integer\n");
	ck_assert_uint_eq(kv_conn_input_length(&conn), 0);
}
END_TEST

START_TEST(a_partial_request_waits_for_its_end)
{
	char out[128];

	feed(&conn, "3 IN");
	ck_assert_int_eq(drain(&conn, out, sizeof(out)), KV_STEP_IDLE);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(kv_conn_input_length(&conn), 4);
	feed(&conn, "CR c\n4 GET");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "3 VALUE 1\n");
	ck_assert_uint_eq(kv_conn_input_length(&conn), 5);
	feed(&conn, " c\r\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "4 VALUE 1\n");
}
END_TEST

START_TEST(a_retried_id_is_answered_not_applied)
{
	char out[128];

	feed(&conn, "4 INCR c\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "4 VALUE 1\n");
	feed(&conn, "4 INCR c\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "4 VALUE 1\n");
	ck_assert_str_eq(stored("c"), "1");
	ck_assert_int_eq(mem.writes, 1);
	feed(&conn, "5 INCR c\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "5 VALUE 2\n");
}
END_TEST

START_TEST(bad_requests_get_err_and_the_connection_goes_on)
{
	char out[256];

	feed(&conn, "6 FETCH c\nxx\n7 GET c\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "6 ERR unknown command (GET, SET, INCR, DEL)\n"
			      "0 ERR bad id (want a decimal 1 .. 2^63-1)\n"
			      "7 NOTFOUND\n");
}
END_TEST

START_TEST(a_line_too_long_closes_the_connection)
{
	char line[KV_LINE_MAX + 1], out[128];

	memset(line, 'a', KV_LINE_MAX);
	line[KV_LINE_MAX] = '\0';
	feed(&conn, line);
	ck_assert_int_eq(drain(&conn, out, sizeof(out)), KV_STEP_CLOSE);
	ck_assert_str_eq(out, "0 ERR line too long\n");
}
END_TEST

START_TEST(a_failed_write_is_refused_and_never_redone)
{
	char out[128];

	mem.fail_writes = -EIO;
	feed(&conn, "8 SET k v\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "8 ERR store: Input/output error\n");
	mem.fail_writes = 0;
	ck_assert_int_eq(kv_conn_recover(&conn, &store), 0);
	ck_assert_str_eq(stored("k"), "(absent)");
}
END_TEST

/* ---- a crash at every point of a request ---- */

static jmp_buf crashed;
static int crash_at;

static void crash_here(int point)
{
	if (point == crash_at)
		longjmp(crashed, 1);
}

/*
 * The request req (on a store where setup put key k) crashes the
 * "process" at point p; the next one recovers from the record and goes
 * on. Its client sees expect once, and the store ends as after one
 * application.
 */
static void crash_and_recover(int p, const char *req, const char *expect,
			      const char *key, const char *after)
{
	static struct kv_conn saved;
	char out[256], more[256];
	const char *o = "";
	size_t n;

	crash_at = p;
	kv_conn_crash_point = crash_here;
	feed(&conn, req);
	if (setjmp(crashed) == 0) {
		drain(&conn, out, sizeof(out));
		ck_abort_msg("no crash at point %d", p);
	}
	kv_conn_crash_point = NULL;
	/* What the memfd holds is all the next instance has. */
	memcpy(&saved, &conn, sizeof(saved));
	memset(&conn, 0xa5, sizeof(conn));
	memcpy(&conn, &saved, sizeof(conn));
	kv_conn_recover(&conn, &store);
	out[0] = '\0';
	n = kv_conn_output(&conn, &o);
	if (n)
		strncat(out, o, n);
	kv_conn_sent(&conn, n);
	drain(&conn, more, sizeof(more));
	strcat(out, more);
	ck_assert_msg(!strcmp(out, expect), "point %d: got '%s'", p, out);
	ck_assert_msg(!strcmp(stored(key), after), "point %d: %s holds %s", p,
		      key, stored(key));
	/* The client retries all the same: the same answer, applied once. */
	feed(&conn, req);
	drain(&conn, out, sizeof(out));
	ck_assert_msg(!strcmp(out, expect), "point %d: retry got '%s'", p, out);
	ck_assert_str_eq(stored(key), after);
}

START_TEST(a_crash_at_any_point_of_an_incr_applies_it_once)
{
	char out[64];

	feed(&conn, "1 SET c 10\n");
	drain(&conn, out, sizeof(out));
	crash_and_recover(_i, "7 INCR c\n", "7 VALUE 11\n", "c", "11");
}
END_TEST

START_TEST(a_crash_at_any_point_of_a_del_answers_deleted_once)
{
	char out[64];

	feed(&conn, "1 SET d 1\n");
	drain(&conn, out, sizeof(out));
	crash_and_recover(_i, "8 DEL d\n", "8 DELETED\n", "d", "(absent)");
}
END_TEST

START_TEST(a_crash_with_a_request_half_read_loses_no_byte)
{
	char out[64], *space;
	size_t room = kv_conn_input_space(&conn, &space);

	/* read() copied these, then the process died before anything else. */
	ck_assert_uint_gt(room, 10);
	memcpy(space, "9 SET h", 7);
	kv_conn_recover(&conn, &store);
	ck_assert_uint_eq(kv_conn_input_length(&conn), 7);
	feed(&conn, " half\n");
	drain(&conn, out, sizeof(out));
	ck_assert_str_eq(out, "9 OK\n");
	ck_assert_str_eq(stored("h"), "half");
}
END_TEST

START_TEST(a_send_the_dead_instance_did_not_note_does_not_go_twice)
{
	const char *out;

	feed(&conn, "3 SET k v\n");
	ck_assert_int_eq(kv_conn_step(&conn, &store), KV_STEP_REPLY);
	ck_assert_uint_eq(kv_conn_output(&conn, &out), 5);

	/* Died in send(): the count moved, nothing was noted. */
	kv_conn_sending(&conn, 1, 1000);
	kv_conn_recover_output(&conn, 1, 1005);
	kv_conn_recover_output(&conn, 1, 1005);	/* idempotent */
	ck_assert_uint_eq(kv_conn_output(&conn, &out), 0);

	/* Died before send(): the count did not move, the reply goes. */
	feed(&conn, "4 SET k w\n");
	ck_assert_int_eq(kv_conn_step(&conn, &store), KV_STEP_REPLY);
	kv_conn_sending(&conn, 1, 1005);
	kv_conn_recover_output(&conn, 1, 1005);
	ck_assert_uint_eq(kv_conn_output(&conn, &out), 5);

	/* Two bytes noted, then three more went unnoted. */
	kv_conn_sent(&conn, 2);
	kv_conn_sending(&conn, 1, 1007);
	kv_conn_recover_output(&conn, 1, 1010);
	ck_assert_uint_eq(kv_conn_output(&conn, &out), 0);

	/* No count (a UNIX socket): from what was noted, again. */
	feed(&conn, "5 GET k\n");
	ck_assert_int_eq(kv_conn_step(&conn, &store), KV_STEP_REPLY);
	kv_conn_sending(&conn, 0, 0);
	kv_conn_recover_output(&conn, 0, 0);
	ck_assert_uint_eq(kv_conn_output(&conn, &out), 10);
	ck_assert_int_eq(strncmp(out, "5 VALUE w\n", 10), 0);
}
END_TEST

START_TEST(the_cache_answers_reads_and_writes_through)
{
	struct kv_store *c = kv_store_cached(&store);
	char v[KV_VALUE_MAX + 1];

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->get(c, "k", v, sizeof(v)), -ENOENT);
	ck_assert_int_eq(c->get(c, "k", v, sizeof(v)), -ENOENT);
	ck_assert_int_eq(mem.reads, 1);
	ck_assert_int_eq(c->set(c, "k", "one"), 0);
	ck_assert_str_eq(stored("k"), "one");	/* through, at once */
	ck_assert_int_eq(c->get(c, "k", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "one");
	ck_assert_int_eq(mem.reads, 1);
	/* A failed write: the cache no longer vouches for the key. */
	mem.fail_writes = -EIO;
	ck_assert_int_eq(c->set(c, "k", "two"), -EIO);
	mem.fail_writes = 0;
	ck_assert_int_eq(c->get(c, "k", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "one");
	ck_assert_int_eq(mem.reads, 2);
	ck_assert_int_eq(c->del(c, "k"), 0);
	ck_assert_str_eq(stored("k"), "(absent)");
	ck_assert_int_eq(c->get(c, "k", v, sizeof(v)), -ENOENT);
	ck_assert_int_eq(mem.reads, 2);
	/* Through a connection: the same answers as without. */
	{
		struct kv_conn cc;
		const char *o;
		size_t n;

		kv_conn_init(&cc);
		feed(&cc, "1 INCR x 2\n");
		ck_assert_int_eq(kv_conn_step(&cc, c), KV_STEP_REPLY);
		n = kv_conn_output(&cc, &o);
		ck_assert_int_eq(strncmp(o, "1 VALUE 2\n", n), 0);
		ck_assert_str_eq(stored("x"), "2");
	}
	free(c->priv);
}
END_TEST

/* ---- kv-load's model ---- */

START_TEST(the_mix_parses_and_adds_up)
{
	struct kv_mix mix;

	ck_assert_int_eq(kv_mix_parse("get=40,set=30,incr=20,del=10", &mix), 0);
	ck_assert_uint_eq(mix.incr, 20);
	ck_assert_int_eq(kv_mix_parse("incr=100", &mix), 0);
	ck_assert_int_eq(kv_mix_parse("get=50,set=40", &mix), -1);
	ck_assert_int_eq(kv_mix_parse("put=100", &mix), -1);
	ck_assert_int_eq(kv_mix_parse("get=x", &mix), -1);
}
END_TEST

static struct kv_reply reply_to(const char *line)
{
	struct kv_reply rep;

	ck_assert_int_eq(kv_parse_reply(line, strlen(line), &rep), 0);
	return rep;
}

START_TEST(the_model_knows_the_one_right_answer)
{
	struct kv_mix incr_only = { .incr = 100 }, get_only = { .get = 100 };
	struct kv_model m;
	struct kv_request req;
	struct kv_reply rep;
	char why[128];

	ck_assert_int_eq(kv_model_init(&m, "c0", 2), 0);
	ck_assert_str_eq(m.keys[1].name, "c0-1");
	kv_model_request(&m, 0, &incr_only, 5, 3, &req);
	ck_assert_int_eq(req.op, KV_INCR);
	ck_assert_int_eq(req.delta, 4);
	req.id = 1;
	rep = reply_to("1 VALUE 4");
	ck_assert_int_eq(kv_model_check(&m, 0, &req, &rep, why, sizeof(why)), 0);
	/* Applied twice (a baseline retrying on a new connection): wrong. */
	req.id = 2;
	rep = reply_to("2 VALUE 12");
	ck_assert_int_eq(kv_model_check(&m, 0, &req, &rep, why, sizeof(why)), -1);
	/* ... counted once: the model takes the server's word. */
	kv_model_request(&m, 0, &get_only, 0, 0, &req);
	req.id = 3;
	rep = reply_to("3 VALUE 12");
	ck_assert_int_eq(kv_model_check(&m, 0, &req, &rep, why, sizeof(why)), 0);
	rep = reply_to("4 VALUE 12");
	ck_assert_int_eq(kv_model_check(&m, 0, &req, &rep, why, sizeof(why)), -1);
	/* An absent key: GET NOTFOUND right, DEL NOTFOUND right. */
	kv_model_request(&m, 1, &get_only, 0, 0, &req);
	rep = reply_to("0 NOTFOUND");
	ck_assert_int_eq(kv_model_check(&m, 1, &req, &rep, why, sizeof(why)), 0);
	req.op = KV_DEL;
	rep = reply_to("0 DELETED");
	ck_assert_int_eq(kv_model_check(&m, 1, &req, &rep, why, sizeof(why)), -1);
	kv_model_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kv_conn");
	TCase *tc = tcase_create("conn");
	TCase *tm = tcase_create("model");
	SRunner *runner;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, serves_each_command);
	tcase_add_test(tc, a_partial_request_waits_for_its_end);
	tcase_add_test(tc, a_retried_id_is_answered_not_applied);
	tcase_add_test(tc, bad_requests_get_err_and_the_connection_goes_on);
	tcase_add_test(tc, a_line_too_long_closes_the_connection);
	tcase_add_test(tc, a_failed_write_is_refused_and_never_redone);
	tcase_add_loop_test(tc, a_crash_at_any_point_of_an_incr_applies_it_once,
			    0, KV_CRASH_POINTS);
	tcase_add_loop_test(tc, a_crash_at_any_point_of_a_del_answers_deleted_once,
			    0, KV_CRASH_POINTS);
	tcase_add_test(tc, a_crash_with_a_request_half_read_loses_no_byte);
	tcase_add_test(tc, a_send_the_dead_instance_did_not_note_does_not_go_twice);
	tcase_add_test(tc, the_cache_answers_reads_and_writes_through);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, the_mix_parses_and_adds_up);
	tcase_add_test(tm, the_model_knows_the_one_right_answer);
	suite_add_tcase(s, tm);
	runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
