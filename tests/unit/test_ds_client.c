/* SPDX-License-Identifier: MIT */
/*
 * libsef's DS client on the fake mxsys: what goes into the message, and
 * the retry after DS died holding a request (the same nonce and sequence
 * number, so that DS can answer it with its first result).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds.h>

#include "test_sef_fake.h"

static void setup(void)
{
	fake_reset();
}

START_TEST(short_key_travels_inline_with_a_nonce)
{
	const struct fake_sent *s;

	ck_assert_int_eq(ds_publish_u32("hello.opens", 7, DSF_OVERWRITE), OK);
	s = fake_sent_at(0);
	ck_assert_int_eq(s->dst, DS_PROC_NR);
	ck_assert_int_eq(s->m.m_type, DS_PUBLISH);
	ck_assert_uint_eq(s->m.m_ds.flags, DSF_TYPE_U32 | DSF_OVERWRITE);
	ck_assert_uint_eq(s->m.m_ds.val_u32, 7);
	ck_assert_uint_eq(s->m.m_ds.key_len, 0);
	ck_assert_str_eq(s->m.m_ds.key, "hello.opens");
	ck_assert_uint_ne(s->m.m_ds.nonce, 0);
}
END_TEST

START_TEST(retry_on_edeadsrcdst_sends_the_same_request)
{
	const struct fake_sent *a, *b, *c, *d;

	fake.sendrec_fails = 2;
	fake.sendrec_fail_result = -EDEADSRCDST;
	ck_assert_int_eq(ds_publish_u32("k", 1, 0), OK);
	ck_assert_int_eq(fake.nsent, 3);
	a = fake_sent_at(0);
	b = fake_sent_at(1);
	c = fake_sent_at(2);
	ck_assert_mem_eq(&a->m, &b->m, sizeof(a->m));
	ck_assert_mem_eq(&a->m, &c->m, sizeof(a->m));
	/* The next request has the next number, the same nonce. */
	ck_assert_int_eq(ds_delete_u32("k"), OK);
	d = fake_sent_at(3);
	ck_assert_uint_eq(d->m.m_ds.nonce, a->m.m_ds.nonce);
	ck_assert_uint_eq(d->m.m_ds.seq, a->m.m_ds.seq + 1);
}
END_TEST

START_TEST(other_errors_are_returned_at_once)
{
	u32_t v;

	fake.sendrec_fails = 1;
	fake.sendrec_fail_result = -ECALLDENIED;
	ck_assert_int_eq(ds_publish_u32("k", 1, 0), -ECALLDENIED);
	ck_assert_int_eq(fake.nsent, 1);
	/* DS's own answer is the result. */
	fake_push_reply(-ESRCH);
	ck_assert_int_eq(ds_retrieve_u32("k", &v), -ESRCH);
	/* A retrieve changes nothing: no sequence number. */
	ck_assert_uint_eq(fake_sent_at(1)->m.m_ds.nonce, 0);
}
END_TEST

START_TEST(bad_arguments_send_nothing)
{
	char key80[DS_MAX_KEYLEN + 1];
	size_t len = 0;
	char buf[4];

	memset(key80, 'k', DS_MAX_KEYLEN);
	key80[DS_MAX_KEYLEN] = '\0';
	ck_assert_int_eq(ds_publish_u32(key80, 1, 0), -EINVAL);
	ck_assert_int_eq(ds_publish_str("k", NULL, 0), -EINVAL);
	ck_assert_int_eq(ds_publish_mem("k", buf, 0, 0), -EINVAL);
	ck_assert_int_eq(ds_retrieve_mem("k", buf, &len), -EINVAL);
	ck_assert_int_eq(ds_retrieve_mem("k", buf, NULL), -EINVAL);
	ck_assert_int_eq(ds_retrieve_str("k", NULL, 4), -EINVAL);
	ck_assert_int_eq(ds_subscribe("", 0), -EINVAL);
	ck_assert_int_eq(ds_check(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(ds_retrieve_label_name(NULL, 5), -EINVAL);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

static Suite *ds_client_suite(void)
{
	Suite *s = suite_create("ds_client");
	TCase *tc = tcase_create("client");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, short_key_travels_inline_with_a_nonce);
	tcase_add_test(tc, retry_on_edeadsrcdst_sends_the_same_request);
	tcase_add_test(tc, other_errors_are_returned_at_once);
	tcase_add_test(tc, bad_arguments_send_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ds_client_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
