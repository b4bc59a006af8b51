// SPDX-License-Identifier: MIT
/* rs-daemon: the service table and the status view. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/rs/service.h"

static void clear_table(void)
{
	struct service *svc;

	while ((svc = service_at(0)))
		service_remove(svc);
}

START_TEST(lookup_by_label_endpoint_pid)
{
	struct service *a = service_add("alpha");
	struct service *b = service_add("beta");

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	a->active.endpoint = 32776;
	a->active.process.pid = 100;
	b->active.endpoint = 9;
	b->active.process.pid = 200;
	ck_assert_ptr_eq(service_by_label("alpha"), a);
	ck_assert_ptr_eq(service_by_label("beta"), b);
	ck_assert_ptr_null(service_by_label("gamma"));
	ck_assert_ptr_eq(service_by_endpoint(32776), a);
	ck_assert_ptr_null(service_by_endpoint(NONE));
	ck_assert_ptr_eq(service_by_pid(200), b);
	ck_assert_ptr_null(service_by_pid(0));
	clear_table();
}
END_TEST

START_TEST(new_service_has_no_endpoint)
{
	struct service *svc = service_add("fresh");

	/* Never matches a NONE lookup, even though its endpoint is NONE. */
	ck_assert_int_eq(svc->active.endpoint, NONE);
	ck_assert_ptr_null(service_by_endpoint(NONE));
	ck_assert_uint_eq(svc->slot, MXSYS_SLOT_DYNAMIC);
	ck_assert(svc->deadline == RS_TIME_NEVER);
	clear_table();
}
END_TEST

START_TEST(order_is_start_order_and_stable_on_removal)
{
	char label[RS_MAX_LABEL_LEN];
	struct service *svcs[40];

	/* More than the initial capacity, to exercise growth. */
	for (int i = 0; i < 40; i++) {
		snprintf(label, sizeof(label), "svc%d", i);
		svcs[i] = service_add(label);
		ck_assert_ptr_nonnull(svcs[i]);
	}
	ck_assert_uint_eq(service_count(), 40);
	service_remove(svcs[10]);
	ck_assert_uint_eq(service_count(), 39);
	ck_assert_ptr_eq(service_at(9), svcs[9]);
	ck_assert_ptr_eq(service_at(10), svcs[11]);
	ck_assert_ptr_eq(service_at(38), svcs[39]);
	ck_assert_ptr_null(service_at(39));
	clear_table();
	ck_assert_uint_eq(service_count(), 0);
}
END_TEST

START_TEST(status_flags_follow_state)
{
	struct service *svc = service_add("hello");
	struct rs_status st;

	strcpy(svc->binary, "/usr/libexec/mxsys/hello");
	svc->active.endpoint = 32776;
	svc->active.process.pid = 42;
	svc->restarts = 3;
	svc->heartbeat.period_ms = 500;

	svc->state = SERVICE_RUNNING;
	service_status(svc, &st);
	ck_assert_str_eq(st.label, "hello");
	ck_assert_int_eq(st.endpoint, 32776);
	ck_assert_int_eq(st.pid, 42);
	ck_assert_uint_eq(st.restarts, 3);
	ck_assert_uint_eq(st.period_ms, 500);
	ck_assert_uint_eq(st.flags, RS_STATUS_ACTIVE);
	/* Unknown until the service's init reports it. */
	ck_assert_str_eq(st.policy, "");
	svc->policy = RS_POLICY_RESET;
	service_status(svc, &st);
	ck_assert_str_eq(st.policy, "reset");
	svc->policy = RS_POLICY_RESTART;
	service_status(svc, &st);
	ck_assert_str_eq(st.policy, "restart");
	ck_assert_str_eq(st.binary, "/usr/libexec/mxsys/hello");

	svc->state = SERVICE_STARTING;
	service_status(svc, &st);
	ck_assert_uint_eq(st.flags, RS_STATUS_ACTIVE | RS_STATUS_INITIALIZING);

	svc->state = SERVICE_STOPPING;
	service_status(svc, &st);
	ck_assert_uint_eq(st.flags, RS_STATUS_ACTIVE | RS_STATUS_EXITING);

	svc->state = SERVICE_RESTART_WAIT;
	svc->no_ping_reply = true;
	service_status(svc, &st);
	ck_assert_uint_eq(st.flags, RS_STATUS_ACTIVE | RS_STATUS_DEAD |
				    RS_STATUS_NOPINGREPLY);

	/* A reaped process is not shown as if it still ran. */
	svc->active.process.reaped = true;
	service_status(svc, &st);
	ck_assert_int_eq(st.pid, 0);
	clear_table();
}
END_TEST

static Suite *service_suite(void)
{
	Suite *s = suite_create("rs_service");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, lookup_by_label_endpoint_pid);
	tcase_add_test(tc, new_service_has_no_endpoint);
	tcase_add_test(tc, order_is_start_order_and_stable_on_removal);
	tcase_add_test(tc, status_flags_follow_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(service_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
