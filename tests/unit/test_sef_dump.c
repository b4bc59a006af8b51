/* SPDX-License-Identifier: MIT */
/*
 * The SEF debug dump: the default callback's text (sef_dump_format, pure),
 * and the protocol on the fake mxsys: RS_DEBUG_DUMP from RS runs the
 * callback, its text is copied into RS's grant and answered by senda;
 * a cut text, a failing callback, a failed copy, and a RS_DEBUG_DUMP that
 * does not come from RS.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "../../libsef/sef_internal.h"
#include "test_sef_fake.h"

#define GRANT	7
#define SEQ	41

static struct sef_dump_state sample(void)
{
	struct sef_dump_state st;

	memset(&st, 0, sizeof(st));
	st.name = "hello";
	st.endpoint = 1234;
	st.pid = 99;
	st.init_type = SEF_INIT_RESTART;
	st.restarts = 3;
	st.lu_state = SEF_LU_STATE_NULL;
	st.open_fds = 5;
	st.fd_stored = 2;
	strcpy(st.fd_names[0], "listen");
	strcpy(st.fd_names[1], "log");
	st.ds_calls = 4;
	st.ds_changes = 1;
	st.ds_errors = 2;
	return st;
}

static char *format(const struct sef_dump_state *st)
{
	static char buf[2048];
	int n = sef_dump_format(st, buf, sizeof(buf));

	ck_assert_int_eq(n, (int)strlen(buf));
	return buf;
}

/* ---- the default text ------------------------------------------------- */

START_TEST(format_tells_every_field)
{
	struct sef_dump_state st = sample();
	const char *text = format(&st);

	ck_assert_str_eq(text,
		"service: hello (endpoint 1234, pid 99)\n"
		"init: restart\n"
		"restarts: 3\n"
		"live update: none\n"
		"pending signals: none\n"
		"open fds: 5\n"
		"fd store: 2 of 1024: listen, log\n"
		"ds requests: 4 (1 changing, 2 answered with an error)\n");
}
END_TEST

START_TEST(format_names_signals_and_update)
{
	struct sef_dump_state st = sample();
	const char *text;

	st.lu_state = SEF_LU_STATE_WORK_FREE;
	st.lu_flags = SEF_LU_SELF;
	st.sig_pending = (UINT64_C(1) << (SIGTERM - 1)) |
			 (UINT64_C(1) << (SIGUSR1 - 1));
	text = format(&st);
	ck_assert_ptr_nonnull(strstr(text,
		"live update: preparing for state 1 (work free), flags 0x100\n"));
	ck_assert_ptr_nonnull(strstr(text, "pending signals: SIGUSR1 SIGTERM\n"));
}
END_TEST

START_TEST(format_says_what_it_could_not_learn)
{
	struct sef_dump_state st = sample();
	const char *text;

	st.init_type = -1;
	st.restarts = 7;
	st.sig_result = -EPERM;
	st.open_fds = -EACCES;
	st.fd_stored = -ENOTTY;
	text = format(&st);
	ck_assert_ptr_nonnull(strstr(text, "init: none yet\nrestarts: 0\n"));
	ck_assert_ptr_nonnull(strstr(text, "pending signals: unknown ("));
	ck_assert_ptr_nonnull(strstr(text, "open fds: unknown ("));
	ck_assert_ptr_nonnull(strstr(text, "fd store: unknown ("));
}
END_TEST

START_TEST(format_lists_a_few_fd_names)
{
	struct sef_dump_state st = sample();

	st.fd_stored = SEF_DUMP_FD_NAMES + 3;
	for (int i = 0; i < SEF_DUMP_FD_NAMES; i++)
		snprintf(st.fd_names[i], SEF_FD_NAME_LEN, "f%d", i);
	ck_assert_ptr_nonnull(strstr(format(&st),
		"fd store: 11 of 1024: f0, f1, f2, f3, f4, f5, f6, f7, ...\n"));
}
END_TEST

START_TEST(format_cuts_as_snprintf)
{
	struct sef_dump_state st = sample();
	char whole[2048], small[20];
	int n = sef_dump_format(&st, whole, sizeof(whole));

	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(sef_dump_format(&st, small, sizeof(small)), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(strncmp(small, whole, sizeof(small) - 1), 0);
	ck_assert_int_eq(sef_dump_format(&st, NULL, 0), n);
}
END_TEST

/* ---- the protocol on the fake ------------------------------------------ */

static void start(void)
{
	fake_reset();
	fake_start_service();
}

static void push_dump(endpoint_t src, uint32_t size)
{
	message *m = fake_push(src, RS_DEBUG_DUMP, MXSYS_CALL_SENDA);

	m->m_rs_dump.grant = GRANT;
	m->m_rs_dump.size = size;
	m->m_rs_dump.seq = SEQ;
}

/* sef_receive() consumes the request: it returns only at the end. */
static const mess_rs_dump *dump_answer(void)
{
	const struct fake_sent *s;
	message m;

	ck_assert_int_eq(sef_receive(ANY, &m), FAKE_NO_MESSAGE);
	ck_assert_int_eq(fake.nsent, 1);
	s = fake_sent_at(0);
	ck_assert_int_eq(s->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(s->dst, RS_PROC_NR);
	ck_assert_int_eq(s->m.m_type, RS_DEBUG_DUMP);
	ck_assert_uint_eq(s->m.m_rs_dump.seq, SEQ);
	return &s->m.m_rs_dump;
}

START_TEST(default_dump_reaches_rs_grant)
{
	const mess_rs_dump *a;

	fake.sig_pending = UINT64_C(1) << (SIGHUP - 1);
	push_dump(RS_PROC_NR, 3072);
	a = dump_answer();
	ck_assert_int_eq(a->result, OK);
	ck_assert_uint_eq(a->flags, 0);
	ck_assert_int_eq(fake.copy_granter, RS_PROC_NR);
	ck_assert_int_eq(fake.copy_grant, GRANT);
	ck_assert_uint_eq(fake.copied_len, a->size + 1);
	ck_assert_uint_eq(strlen(fake.copied), a->size);
	ck_assert_ptr_nonnull(strstr(fake.copied, "service: svc (endpoint "));
	ck_assert_ptr_nonnull(strstr(fake.copied, "init: fresh\n"));
	ck_assert_ptr_nonnull(strstr(fake.copied, "pending signals: SIGHUP\n"));
	ck_assert_ptr_nonnull(strstr(fake.copied, "fd store: 0 of 1024\n"));
}
END_TEST

static int custom_dump(char *buf, size_t size)
{
	int n = sef_cb_debug_dump_default(buf, size);
	size_t used = strlen(buf);

	return n + snprintf(buf + used, size - used, "served: 42\n");
}

START_TEST(custom_callback_adds_to_the_default)
{
	sef_setcb_debug_dump(custom_dump);
	push_dump(RS_PROC_NR, 3072);
	ck_assert_int_eq(dump_answer()->result, OK);
	ck_assert_ptr_nonnull(strstr(fake.copied, "init: fresh\n"));
	ck_assert_ptr_nonnull(strstr(fake.copied, "\nserved: 42\n"));
}
END_TEST

static int long_dump(char *buf, size_t size)
{
	return snprintf(buf, size, "%0100d", 0);
}

START_TEST(long_text_is_cut_to_rs_room)
{
	const mess_rs_dump *a;

	sef_setcb_debug_dump(long_dump);
	push_dump(RS_PROC_NR, 10);
	a = dump_answer();
	ck_assert_int_eq(a->result, OK);
	ck_assert_uint_eq(a->flags, RS_DUMP_CUT);
	ck_assert_uint_eq(a->size, 9);
	ck_assert_str_eq(fake.copied, "000000000");
}
END_TEST

static int failing_dump(char *buf, size_t size)
{
	(void)buf;
	(void)size;
	return -EIO;
}

START_TEST(callback_error_is_reported_without_copy)
{
	sef_setcb_debug_dump(failing_dump);
	push_dump(RS_PROC_NR, 3072);
	ck_assert_int_eq(dump_answer()->result, -EIO);
	ck_assert_int_eq(fake.copy_calls, 0);
}
END_TEST

START_TEST(copy_error_is_reported)
{
	fake.copy_result = -EPERM;
	push_dump(RS_PROC_NR, 3072);
	ck_assert_int_eq(dump_answer()->result, -EPERM);
}
END_TEST

START_TEST(empty_room_is_refused)
{
	push_dump(RS_PROC_NR, 0);
	ck_assert_int_eq(dump_answer()->result, -EINVAL);
	ck_assert_int_eq(fake.copy_calls, 0);
}
END_TEST

START_TEST(dump_from_another_endpoint_reaches_the_service)
{
	message m;

	push_dump(MXSYS_ENDPOINT(0, 12), 3072);
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_type, RS_DEBUG_DUMP);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

START_TEST(null_callback_panics)
{
	sef_setcb_debug_dump(NULL);
}
END_TEST

static Suite *sef_dump_suite(void)
{
	Suite *s = suite_create("sef_dump");
	TCase *fmt = tcase_create("format");
	TCase *proto = tcase_create("protocol");

	tcase_add_test(fmt, format_tells_every_field);
	tcase_add_test(fmt, format_names_signals_and_update);
	tcase_add_test(fmt, format_says_what_it_could_not_learn);
	tcase_add_test(fmt, format_lists_a_few_fd_names);
	tcase_add_test(fmt, format_cuts_as_snprintf);
	suite_add_tcase(s, fmt);

	tcase_add_checked_fixture(proto, start, NULL);
	tcase_add_test(proto, default_dump_reaches_rs_grant);
	tcase_add_test(proto, custom_callback_adds_to_the_default);
	tcase_add_test(proto, long_text_is_cut_to_rs_room);
	tcase_add_test(proto, callback_error_is_reported_without_copy);
	tcase_add_test(proto, copy_error_is_reported);
	tcase_add_test(proto, empty_room_is_refused);
	tcase_add_test(proto, dump_from_another_endpoint_reaches_the_service);
	tcase_add_exit_test(proto, null_callback_panics, 1);
	suite_add_tcase(s, proto);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_dump_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
