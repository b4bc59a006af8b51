// SPDX-License-Identifier: MIT
/* Unit tests of `minix-service status` output and error naming. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mxsys.h>

#include "../../tools/service/errors.h"
#include "../../tools/service/print.h"

static char *output;
static size_t output_len;

static FILE *capture(void)
{
	FILE *f = open_memstream(&output, &output_len);

	ck_assert_ptr_nonnull(f);
	return f;
}

static void release(void)
{
	free(output);
	output = NULL;
}

static struct rs_status sample(void)
{
	struct rs_status st;

	memset(&st, 0, sizeof(st));
	strcpy(st.label, "hello");
	st.endpoint = 32776;
	st.pid = 123;
	st.restarts = 2;
	st.flags = RS_STATUS_ACTIVE;
	strcpy(st.policy, "restart");
	strcpy(st.binary, "/usr/libexec/mxsys/hello");
	return st;
}

START_TEST(flag_letters)
{
	char text[STATUS_FLAGS_LEN];

	status_flags_text(0, text);
	ck_assert_str_eq(text, "-");
	status_flags_text(RS_STATUS_ACTIVE | RS_STATUS_NOPINGREPLY, text);
	ck_assert_str_eq(text, "AN");
	status_flags_text(0x3f, text);
	ck_assert_str_eq(text, "AUENID");
	status_flags_text(RS_STATUS_USE_COPY, text);
	ck_assert_str_eq(text, "C");
	status_flags_text(RS_STATUS_USE_REPL, text);
	ck_assert_str_eq(text, "R");
	status_flags_text(RS_STATUS_CORE, text);
	ck_assert_str_eq(text, "s");
	status_flags_text(RS_STATUS_TERMINATED, text);
	ck_assert_str_eq(text, "T");
	status_flags_text(0xffffffffu, text);
	ck_assert_str_eq(text, "AUENIDCRsT");
	/* unknown bits are not shown */
	status_flags_text(0x40000000, text);
	ck_assert_str_eq(text, "-");
}
END_TEST

START_TEST(text_order_and_period)
{
	struct rs_status st = sample();
	FILE *f = capture();

	status_print_text(f, &st, NULL);
	st.period_ms = 500;
	st.flags = RS_STATUS_ACTIVE | RS_STATUS_USE_REPL | RS_STATUS_CORE;
	st.replica_pid = 124;
	st.uid = 65534;
	strcpy(st.script, "/etc/minix/rs.single");
	strcpy(st.args, "-v 2");
	status_print_text(f, &st, NULL);
	fclose(f);
	ck_assert_str_eq(output,
			 "label: hello\nendpoint: 32776\npid: 123\n"
			 "restarts: 2\nflags: A\npolicy: restart\n"
			 "period: 0\nbinary: /usr/libexec/mxsys/hello\n"
			 "replica: -\nuid: 0\nscript: -\nargs: -\n"
			 "label: hello\nendpoint: 32776\npid: 123\n"
			 "restarts: 2\nflags: ARs\npolicy: restart\n"
			 "period: 500ms\nbinary: /usr/libexec/mxsys/hello\n"
			 "replica: 124\nuid: 65534\n"
			 "script: /etc/minix/rs.single\nargs: -v 2\n");
	release();
}
END_TEST

START_TEST(unterminated_fields_stay_inside)
{
	struct rs_status st = sample();
	FILE *f = capture();

	memset(st.label, 'L', sizeof(st.label));
	memset(st.policy, 'P', sizeof(st.policy));
	memset(st.binary, 'B', sizeof(st.binary));
	memset(st.script, 'S', sizeof(st.script));
	memset(st.args, 'G', sizeof(st.args));
	status_print_text(f, &st, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "label: LLLLLLLLLLLLLLLL\n"));
	ck_assert_ptr_nonnull(strstr(output, "policy: PPPPPPPPPPPPPPPP\n"));
	ck_assert_ptr_nonnull(strstr(output, "B\nreplica: -\n"));
	ck_assert_uint_eq(strspn(strstr(output, "binary: ") + 8, "B"),
			  RS_MAX_COMMAND_LEN);
	ck_assert_uint_eq(strspn(strstr(output, "script: ") + 8, "S"),
			  RS_MAX_SCRIPT_LEN);
	ck_assert_uint_eq(strlen(strstr(output, "args: ")),
			  strlen("args: \n") + RS_MAX_COMMAND_LEN);
	release();
}
END_TEST

START_TEST(json_object_and_escaping)
{
	struct rs_status st = sample();
	FILE *f = capture();

	st.period_ms = 200;
	strcpy(st.binary, "/a\"b\\c\n");
	st.replica_pid = 9;
	st.uid = 7;
	strcpy(st.script, "/s");
	strcpy(st.args, "x \"y\"");
	status_print_json(f, &st, NULL);
	fclose(f);
	ck_assert_str_eq(output,
			 "{\"label\": \"hello\", \"endpoint\": 32776, "
			 "\"pid\": 123, \"restarts\": 2, \"flags\": \"A\", "
			 "\"policy\": \"restart\", \"period_ms\": 200, "
			 "\"binary\": \"/a\\\"b\\\\c\\u000a\", "
			 "\"replica_pid\": 9, \"uid\": 7, \"script\": \"/s\", "
			 "\"args\": \"x \\\"y\\\"\", \"state\": \"running\", "
			 "\"uptime_ms\": 0, \"last_exit\": \"\"}");
	release();
}
END_TEST

/* Between instances: "-" and null, never 0 (kill 0 = the whole group). */
START_TEST(no_process_is_not_pid_0)
{
	struct rs_status st = sample();
	FILE *f = capture();

	st.pid = 0;
	status_print_text(f, &st, NULL);
	status_print_json(f, &st, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "\npid: -\n"));
	ck_assert_ptr_nonnull(strstr(output, "\nreplica: -\n"));
	ck_assert_ptr_nonnull(strstr(output, "\"pid\": null, "));
	ck_assert_ptr_nonnull(strstr(output, "\"replica_pid\": null, "));
	ck_assert_ptr_null(strstr(output, "pid: 0"));
	ck_assert_ptr_null(strstr(output, "pid\": 0"));
	release();
}
END_TEST

/* A label or path that is not UTF-8 still gives valid JSON. */
START_TEST(json_non_utf8_fields)
{
	struct rs_status st = sample();
	FILE *f = capture();

	strcpy(st.label, "h\xffl\xc3");
	strcpy(st.binary, "/opt/caf\xc3\xa9/\x80svc");
	status_print_json(f, &st, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "{\"label\": \"h\\u00ffl\\u00c3\", "));
	ck_assert_ptr_nonnull(strstr(output,
				     "\"binary\": \"/opt/caf\xc3\xa9/\\u0080svc\""));
	release();
}
END_TEST

START_TEST(fd_store_names)
{
	char names[3][MXSYS_FD_NAME_LEN] = { "cuse", "a\"b", "" };
	struct slot_info slot = { .fd_names = names, .fd_names_max = 3 };
	struct rs_status st = sample();
	FILE *f;

	/* None stored. */
	f = capture();
	status_print_text(f, &st, &slot);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "\nargs: -\nfds: -\n"));
	release();

	/* Two shown of three stored. */
	slot.fd_count = 3;
	slot.nr_fd_names = 2;
	f = capture();
	status_print_text(f, &st, &slot);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "\nfds: cuse a\"b (and 1 more)\n"));
	release();

	f = capture();
	status_print_json(f, &st, &slot);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output,
				     ", \"fds\": [\"cuse\", \"a\\\"b\"], \"fd_count\": 3}"));
	release();
}
END_TEST

START_TEST(state_and_uptime_words)
{
	char buf[32];

	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE), "running");
	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE |
					   RS_STATUS_INITIALIZING), "starting");
	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE | RS_STATUS_DEAD),
			 "restarting");
	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE |
					   RS_STATUS_TERMINATED), "terminated");
	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE |
					   RS_STATUS_EXITING), "stopping");
	ck_assert_str_eq(status_state_name(RS_STATUS_ACTIVE |
					   RS_STATUS_UPDATING |
					   RS_STATUS_INITIALIZING), "updating");
	status_format_uptime(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	status_format_uptime(1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0s");
	status_format_uptime(12345, buf, sizeof(buf));
	ck_assert_str_eq(buf, "12.3s");
	status_format_uptime(303000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "5m 3s");
	status_format_uptime((2 * 3600 + 7 * 60 + 59) * 1000ull, buf,
			     sizeof(buf));
	ck_assert_str_eq(buf, "2h 7m");
	status_format_uptime((3 * 86400 + 4 * 3600) * 1000ull, buf,
			     sizeof(buf));
	ck_assert_str_eq(buf, "3d 4h");
}
END_TEST

/* status with no label: a header and one aligned line per service. */
START_TEST(table_lines)
{
	struct rs_status st = sample();
	FILE *f = capture();

	status_print_table_header(f);
	st.uptime_ms = 65000;
	status_print_table_row(f, &st);
	st.pid = 0;
	st.uptime_ms = 0;
	st.flags = RS_STATUS_ACTIVE | RS_STATUS_DEAD | RS_STATUS_CORE;
	strcpy(st.last_exit, "killed by signal 9 (no heartbeat)");
	status_print_table_row(f, &st);
	fclose(f);
	ck_assert_str_eq(output,
		"LABEL           STATE      FLAGS ENDPOINT      PID RESTARTS  UPTIME LAST EXIT\n"
		"hello           running    A     32776         123 2         1m 5s  -\n"
		"hello           restarting ADs   32776           - 2         -      killed by signal 9 (no heartbeat)\n");
	release();
}
END_TEST

/* status LABEL: since, last exit and what the letters mean. */
START_TEST(details_lines)
{
	struct rs_status st = sample();
	FILE *f;

	setenv("TZ", "UTC", 1);
	f = capture();
	st.uptime_ms = 61000;
	st.flags = RS_STATUS_ACTIVE | RS_STATUS_CORE;
	strcpy(st.last_exit, "exited with status 3");
	status_print_details(f, &st, (time_t)1000061);
	st.uptime_ms = 0;
	st.flags = 0;
	memset(st.last_exit, 'X', sizeof(st.last_exit));
	status_print_details(f, &st, (time_t)1000061);
	fclose(f);
	ck_assert_str_eq(output,
		"state: running\nuptime: 1m 1s\n"
		"since: 1970-01-12 13:46:40 UTC\n"
		"last exit: exited with status 3\n"
		"flag letters: A active, s boot service\n"
		"state: running\nuptime: -\nsince: -\n"
		"last exit: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
		"flag letters: -\n");
	release();
}
END_TEST

START_TEST(error_names)
{
	ck_assert_str_eq(service_failure_reason(MXSYS_EDEADEPT, false),
			 "EDEADEPT (dead endpoint)");
	ck_assert_ptr_nonnull(strstr(service_failure_reason(MXSYS_ECALLDENIED, false),
				     "ECALLDENIED"));
	ck_assert_str_eq(service_failure_reason(EPERM, false), strerror(EPERM));
	ck_assert_int_eq(service_exit_status(EPERM), 1);
	ck_assert_int_eq(service_exit_status(MXSYS_EDEADEPT), 215);
	ck_assert_int_eq(service_exit_status(0), MXSYS_EGENERIC);
	ck_assert_int_eq(service_exit_status(256), MXSYS_EGENERIC);
	ck_assert_int_eq(service_exit_status(-3), MXSYS_EGENERIC);
	ck_assert_int_eq(service_exit_status(ERESTART), 85);
	ck_assert_int_eq(service_exit_status(ENOSYS), 38);
	ck_assert_int_eq(service_exit_status(EINTR), 4);
	/* ESRCH about a label means the label is unknown */
	ck_assert_str_eq(service_failure_reason(ESRCH, true),
			 "no such service");
	ck_assert_str_eq(service_failure_reason(ESRCH, false),
			 strerror(ESRCH));
	ck_assert_str_eq(service_failure_reason(MXSYS_EDEADEPT, true),
			 "EDEADEPT (dead endpoint)");
}
END_TEST

/* RS's meanings, never glibc's wording for them. */
START_TEST(error_rs_wording)
{
	const char *text = service_failure_reason(ERESTART, REASON_UPDATE);

	ck_assert_str_eq(text, "the new version died in its init; rolled back");
	ck_assert_str_eq(service_failure_reason(ERESTART, 0), text);
	ck_assert_ptr_nonnull(strstr(service_failure_reason(EINTR,
			REASON_UPDATE | REASON_NAMES_SERVICE), "-maxtime"));
	/* EINTR outside an update has no special meaning. */
	ck_assert_str_eq(service_failure_reason(EINTR, REASON_NAMES_SERVICE),
			 strerror(EINTR));
	ck_assert_ptr_nonnull(strstr(service_failure_reason(EBUSY,
			REASON_UPDATE), "another update"));
	ck_assert_ptr_nonnull(strstr(service_failure_reason(EBUSY, 0),
				     "label is taken"));
	ck_assert_ptr_nonnull(strstr(service_failure_reason(EAGAIN,
			REASON_UPDATE), "try again"));
	for (int e = 1; e < 256; e++)
		ck_assert_ptr_nonnull(service_failure_reason(e,
			REASON_UPDATE | REASON_NAMES_SERVICE));
}
END_TEST

START_TEST(error_dump_wording)
{
	ck_assert_str_eq(service_failure_reason(ETIMEDOUT,
			REASON_DUMP | REASON_NAMES_SERVICE),
			 "the service did not answer in time");
	ck_assert_str_eq(service_failure_reason(EBUSY,
			REASON_DUMP | REASON_NAMES_SERVICE),
			 "the service is not running");
	ck_assert_str_eq(service_failure_reason(ESRCH,
			REASON_DUMP | REASON_NAMES_SERVICE), "no such service");
}
END_TEST

static struct rs_reply dump_reply(const char *text)
{
	struct rs_reply reply;

	memset(&reply, 0, sizeof(reply));
	snprintf(reply.dump, sizeof(reply.dump), "%s", text);
	return reply;
}

START_TEST(dump_text)
{
	struct rs_reply reply = dump_reply("init: fresh\nrestarts: 0\n");
	FILE *f = capture();
	char *err_text = NULL;
	size_t err_len = 0;
	FILE *err = open_memstream(&err_text, &err_len);

	dump_print(f, err, "hello", &reply);
	/* A last line without its newline gets one. */
	reply = dump_reply("a\tb\x1b[2Jc\x7f");
	dump_print(f, err, "hello", &reply);
	/* An empty dump prints nothing. */
	reply = dump_reply("");
	dump_print(f, err, "hello", &reply);
	fclose(f);
	fclose(err);
	ck_assert_str_eq(output, "init: fresh\nrestarts: 0\na\tb?[2Jc?\n");
	ck_assert_str_eq(err_text, "");
	free(err_text);
	release();
}
END_TEST

START_TEST(dump_cut_and_unterminated)
{
	struct rs_reply reply;
	FILE *f = capture();
	char *err_text = NULL;
	size_t err_len = 0;
	FILE *err = open_memstream(&err_text, &err_len);

	memset(&reply, 0, sizeof(reply));
	memset(reply.dump, 'x', sizeof(reply.dump));
	reply.flags = RS_REPLY_DUMP_CUT;
	dump_print(f, err, "hello", &reply);
	fclose(f);
	fclose(err);
	ck_assert_uint_eq(output_len, sizeof(reply.dump) + 1);
	ck_assert_int_eq(output[output_len - 1], '\n');
	ck_assert_ptr_nonnull(strstr(err_text, "dump hello: the service had more to say"));
	free(err_text);
	release();
}
END_TEST

START_TEST(failure_report)
{
	FILE *f = capture();

	print_failure(f, "up", "nobodysvc", strerror(EPERM), "");
	print_failure(f, "up", "hello", "Invalid argument",
		      "/etc/minix/system.conf:12: unknown keyword 'frob'");
	print_failure(f, "shutdown", "", strerror(EPERM), "");
	print_failure(f, "sysctl", "upd_run", strerror(EINTR), "");
	print_failure(f, "update", "hello",
		      "the new version died in its init; rolled back",
		      "the new version of hello died during its init");
	fclose(f);
	ck_assert_str_eq(output,
			 "minix-service: up nobodysvc: Operation not permitted\n"
			 "minix-service: up hello: /etc/minix/system.conf:12: unknown keyword 'frob'\n"
			 "minix-service: shutdown: Operation not permitted\n"
			 "minix-service: sysctl upd_run: Interrupted system call\n"
			 "minix-service: update hello: the new version of hello died during its init; rolled back\n");
	release();
}
END_TEST

static struct slot_event event(uint32_t type)
{
	struct slot_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.endpoint = 32776;
	ev.pid = 321;
	ev.timestamp_ns = 12345678901234ULL;
	ev.seq = 42;
	return ev;
}

START_TEST(event_lines)
{
	struct slot_event bound = event(MXSYS_EVENT_BOUND);
	struct slot_event exited = event(MXSYS_EVENT_DIED);
	struct slot_event killed = event(MXSYS_EVENT_DIED);
	struct slot_event swapped = event(MXSYS_EVENT_SWAPPED);
	struct slot_event cleared = event(MXSYS_EVENT_CLEARED);
	struct slot_event future = event(9);
	FILE *f = capture();

	exited.has_status = true;
	exited.status = 3 << 8;			/* exit(3) */
	killed.has_status = true;
	killed.status = SIGSEGV | 0x80;		/* SIGSEGV, core dumped */
	swapped.has_other = true;
	swapped.other = 65544;
	cleared.pid = 0;
	event_print_text(f, &bound, "hello");
	event_print_text(f, &exited, "hello");
	event_print_text(f, &killed, "hello");
	event_print_text(f, &swapped, "hello");
	event_print_text(f, &cleared, "");
	event_print_text(f, &future, "x");
	fclose(f);
	ck_assert_str_eq(output,
			 "12345.678901 42 bound endpoint=32776 pid=321 name=hello\n"
			 "12345.678901 42 died endpoint=32776 pid=321 name=hello status=768 exit=3\n"
			 "12345.678901 42 died endpoint=32776 pid=321 name=hello status=139 signal=11 core\n"
			 "12345.678901 42 swapped endpoint=32776 pid=321 name=hello other=65544\n"
			 "12345.678901 42 cleared endpoint=32776 pid=0 name=-\n"
			 "12345.678901 42 event9 endpoint=32776 pid=321 name=x\n");
	release();
}
END_TEST

START_TEST(event_json)
{
	struct slot_event killed = event(MXSYS_EVENT_DIED);
	struct slot_event swapped = event(MXSYS_EVENT_SWAPPED);
	struct slot_event exited = event(MXSYS_EVENT_DIED);
	FILE *f = capture();

	killed.has_status = true;
	killed.status = SIGKILL;
	swapped.has_other = true;
	swapped.other = 65544;
	exited.has_status = true;
	exited.status = 0;
	event_print_json(f, &killed, "he\"llo");
	event_print_json(f, &swapped, "");
	event_print_json(f, &exited, "a");
	fclose(f);
	ck_assert_str_eq(output,
			 "{\"time_ns\": 12345678901234, \"seq\": 42, \"event\": \"died\", "
			 "\"endpoint\": 32776, \"pid\": 321, \"name\": \"he\\\"llo\", "
			 "\"status\": 9, \"signal\": 9, \"core\": false}\n"
			 "{\"time_ns\": 12345678901234, \"seq\": 42, \"event\": \"swapped\", "
			 "\"endpoint\": 32776, \"pid\": 321, \"name\": \"\", "
			 "\"other\": 65544}\n"
			 "{\"time_ns\": 12345678901234, \"seq\": 42, \"event\": \"died\", "
			 "\"endpoint\": 32776, \"pid\": 321, \"name\": \"a\", "
			 "\"status\": 0, \"exit\": 0}\n");
	release();
}
END_TEST

static Suite *print_suite(void)
{
	Suite *s = suite_create("service_print");
	TCase *tc = tcase_create("print");

	tcase_add_test(tc, flag_letters);
	tcase_add_test(tc, text_order_and_period);
	tcase_add_test(tc, unterminated_fields_stay_inside);
	tcase_add_test(tc, json_object_and_escaping);
	tcase_add_test(tc, no_process_is_not_pid_0);
	tcase_add_test(tc, json_non_utf8_fields);
	tcase_add_test(tc, error_names);
	tcase_add_test(tc, error_rs_wording);
	tcase_add_test(tc, failure_report);
	tcase_add_test(tc, event_lines);
	tcase_add_test(tc, event_json);
	tcase_add_test(tc, fd_store_names);
	tcase_add_test(tc, state_and_uptime_words);
	tcase_add_test(tc, table_lines);
	tcase_add_test(tc, details_lines);
	tcase_add_test(tc, error_dump_wording);
	tcase_add_test(tc, dump_text);
	tcase_add_test(tc, dump_cut_and_unterminated);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(print_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
