/* SPDX-License-Identifier: MIT */
/*
 * Pure pieces of libsef: signal-set delivery, the privilege template and
 * the DS client's key checks (which fail before any IPC).
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../libsef/sef_internal.h"

static int delivered[8];
static int ndelivered;

static void record_signal(int signo)
{
	if (ndelivered < (int)(sizeof(delivered) / sizeof(delivered[0])))
		delivered[ndelivered] = signo;
	ndelivered++;
}

START_TEST(sigset_delivers_each_signal_once_in_order)
{
	uint64_t set = (UINT64_C(1) << (SIGHUP - 1)) |
		       (UINT64_C(1) << (SIGTERM - 1)) |
		       (UINT64_C(1) << 63);

	ndelivered = 0;
	sef_setcb_signal_handler(record_signal);
	sef_signal_handle_set(set);
	ck_assert_int_eq(ndelivered, 3);
	ck_assert_int_eq(delivered[0], SIGHUP);
	ck_assert_int_eq(delivered[1], SIGTERM);
	ck_assert_int_eq(delivered[2], 64);

	ndelivered = 0;
	sef_signal_handle_set(0);
	ck_assert_int_eq(ndelivered, 0);
}
END_TEST

START_TEST(term_handler_ignores_other_signals)
{
	sef_cb_signal_handler_term(SIGHUP);
	sef_cb_signal_handler_term(SIGCHLD);
}
END_TEST

START_TEST(term_handler_exits_on_sigterm)
{
	sef_cb_signal_handler_term(SIGTERM);
}
END_TEST

START_TEST(priv_init_fills_every_field)
{
	struct mxsys_priv priv;

	memset(&priv, 0xa5, sizeof(priv));
	sys_priv_init(&priv, "a_label_longer_than_fifteen", MXSYS_SYS_PROC,
		      MXSYS_KC_BASIC);
	ck_assert_uint_eq(priv.flags, MXSYS_SYS_PROC);
	ck_assert_uint_eq(priv.init_flags, 0);
	ck_assert_uint_eq(priv.call_mask, MXSYS_KC_BASIC);
	ck_assert_int_eq(priv.sig_mgr, RS_PROC_NR);
	ck_assert_int_eq(priv.bak_sig_mgr, NONE);
	ck_assert_str_eq(priv.name, "a_label_longer_");
	for (unsigned int i = 0; i < MXSYS_SEND_MASK_WORDS; i++)
		ck_assert_uint_eq(priv.send_mask[i], UINT64_MAX);

	sys_priv_init(&priv, "ds", 0, 0);
	ck_assert_str_eq(priv.name, "ds");
}
END_TEST

START_TEST(ds_client_rejects_bad_keys_and_outputs)
{
	char too_long[DS_MAX_KEYLEN + 1];
	u32_t value;
	endpoint_t ep;

	memset(too_long, 'k', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';

	ck_assert_int_eq(ds_publish_u32(NULL, 1, 0), -EINVAL);
	ck_assert_int_eq(ds_publish_u32("", 1, 0), -EINVAL);
	ck_assert_int_eq(ds_publish_u32(too_long, 1, 0), -EINVAL);
	ck_assert_int_eq(ds_retrieve_u32("key", NULL), -EINVAL);
	ck_assert_int_eq(ds_retrieve_u32(too_long, &value), -EINVAL);
	ck_assert_int_eq(ds_delete_u32(""), -EINVAL);
	ck_assert_int_eq(ds_publish_label(too_long, 1, 0), -EINVAL);
	ck_assert_int_eq(ds_retrieve_label_endpt("label", NULL), -EINVAL);
	ck_assert_int_eq(ds_retrieve_label_endpt(NULL, &ep), -EINVAL);
	ck_assert_int_eq(ds_delete_label(NULL), -EINVAL);
}
END_TEST

START_TEST(ipc_rejects_null_messages)
{
	ck_assert_int_eq(ipc_send(DS_PROC_NR, NULL), -EINVAL);
	ck_assert_int_eq(ipc_sendrec(DS_PROC_NR, NULL), -EINVAL);
	ck_assert_int_eq(ipc_receive(ANY, NULL, NULL), -EINVAL);
	ck_assert_int_eq(sef_receive(ANY, NULL), -EINVAL);
}
END_TEST

static Suite *sef_events_suite(void)
{
	Suite *s = suite_create("sef_events");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, sigset_delivers_each_signal_once_in_order);
	tcase_add_test(tc, term_handler_ignores_other_signals);
	tcase_add_exit_test(tc, term_handler_exits_on_sigterm, 1);
	tcase_add_test(tc, priv_init_fills_every_field);
	tcase_add_test(tc, ds_client_rejects_bad_keys_and_outputs);
	tcase_add_test(tc, ipc_rejects_null_messages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_events_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
