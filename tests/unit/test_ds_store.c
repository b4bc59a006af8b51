/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's key store: MINIX's dstest U32 and LABEL scenarios,
 * then owners, privacy flags, overwrite, label purge and bad input.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/ds/store.h"

#define DSTEST_EP	MXSYS_ENDPOINT(0, 10)
#define OTHER_EP	MXSYS_ENDPOINT(1, 11)
#define STRANGER_EP	MXSYS_ENDPOINT(0, 12)

static struct ds_store store;

/* As RS does before it initialises a service. */
static void give_label(const char *label, endpoint_t ep)
{
	ck_assert_int_eq(ds_store_publish(&store, RS_PROC_NR, label,
					  DSF_TYPE_LABEL, (uint32_t)ep), OK);
}

static void setup(void)
{
	ds_store_init(&store);
	give_label("dstest", DSTEST_EP);
	give_label("other", OTHER_EP);
}

static uint32_t must_retrieve_u32(endpoint_t caller, const char *key)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_retrieve(&store, caller, key, DSF_TYPE_U32,
					   &got), OK);
	return got.value;
}

static int retrieve_u32(endpoint_t caller, const char *key)
{
	struct ds_retrieved got;

	return ds_store_retrieve(&store, caller, key, DSF_TYPE_U32, &got);
}

START_TEST(dstest_u32)
{
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "test_u32",
					  DSF_TYPE_U32, 1234), OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "test_u32"), 1234);

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "test_u32",
					  DSF_TYPE_U32, 4321), -EEXIST);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "test_u32"), 1234);

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "test_u32",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 4321),
			 OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "test_u32"), 4321);

	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "test_u32",
					 DSF_TYPE_U32), OK);
	ck_assert_int_eq(retrieve_u32(DSTEST_EP, "test_u32"), -ESRCH);
}
END_TEST

START_TEST(dstest_label)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "dstest",
					   DSF_TYPE_LABEL, &got), OK);
	ck_assert_int_eq((endpoint_t)got.value, DSTEST_EP);
	ck_assert_int_eq(got.owner, RS_PROC_NR);

	/* Only RS hands out labels and takes them back. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "dstest",
					  DSF_TYPE_LABEL, DSTEST_EP), -EPERM);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "dstest",
					 DSF_TYPE_LABEL), -EPERM);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "dstest",
					   DSF_TYPE_LABEL, &got), OK);
}
END_TEST

START_TEST(unknown_caller_may_not_publish_or_delete)
{
	ck_assert_int_eq(ds_store_publish(&store, STRANGER_EP, "k",
					  DSF_TYPE_U32, 1), -EPERM);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, STRANGER_EP, "k",
					 DSF_TYPE_U32), -EPERM);
	/* Public data is readable by anyone. */
	ck_assert_uint_eq(must_retrieve_u32(STRANGER_EP, "k"), 1);
}
END_TEST

START_TEST(delete_is_owner_only)
{
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, OTHER_EP, "k", DSF_TYPE_U32),
			 -EPERM);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "absent",
					 DSF_TYPE_U32), -ESRCH);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "k", DSF_TYPE_U32),
			 OK);
}
END_TEST

START_TEST(priv_overwrite_protects_the_owner)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "guarded",
					  DSF_TYPE_U32 | DSF_PRIV_OVERWRITE, 1),
			 OK);
	ck_assert_int_eq(ds_store_publish(&store, OTHER_EP, "guarded",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 2),
			 -EPERM);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "guarded"), 1);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "guarded",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 3), OK);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "guarded"), 3);

	/* Without the flag anyone known may overwrite, and becomes owner. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "open",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(ds_store_publish(&store, OTHER_EP, "open",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 2), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "open",
					   DSF_TYPE_U32, &got), OK);
	ck_assert_uint_eq(got.value, 2);
	ck_assert_int_eq(got.owner, OTHER_EP);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "open",
					 DSF_TYPE_U32), -EPERM);
}
END_TEST

START_TEST(priv_retrieve_hides_from_others)
{
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "secret",
					  DSF_TYPE_U32 | DSF_PRIV_RETRIEVE, 7),
			 OK);
	ck_assert_int_eq(retrieve_u32(OTHER_EP, "secret"), -EPERM);
	ck_assert_int_eq(retrieve_u32(STRANGER_EP, "secret"), -EPERM);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "secret"), 7);
}
END_TEST

START_TEST(deleting_a_label_purges_its_data)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "a",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "b",
					  DSF_TYPE_U32, 2), OK);
	ck_assert_int_eq(ds_store_publish(&store, OTHER_EP, "c",
					  DSF_TYPE_U32, 3), OK);
	ck_assert_uint_eq(ds_store_count(&store), 5);

	ck_assert_int_eq(ds_store_delete(&store, RS_PROC_NR, "dstest",
					 DSF_TYPE_LABEL), OK);

	ck_assert_int_eq(retrieve_u32(OTHER_EP, "a"), -ESRCH);
	ck_assert_int_eq(retrieve_u32(OTHER_EP, "b"), -ESRCH);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "c"), 3);
	ck_assert_int_eq(ds_store_retrieve(&store, OTHER_EP, "dstest",
					   DSF_TYPE_LABEL, &got), -ESRCH);
	ck_assert_int_eq(ds_store_retrieve(&store, OTHER_EP, "other",
					   DSF_TYPE_LABEL, &got), OK);
	ck_assert_uint_eq(ds_store_count(&store), 2);

	/* Its endpoint is a stranger now. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "a",
					  DSF_TYPE_U32, 1), -EPERM);
}
END_TEST

START_TEST(republishing_an_endpoint_renames_its_label)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_publish(&store, RS_PROC_NR, "renamed",
					  DSF_TYPE_LABEL, DSTEST_EP), -EEXIST);
	ck_assert_int_eq(ds_store_publish(&store, RS_PROC_NR, "renamed",
					  DSF_TYPE_LABEL | DSF_OVERWRITE,
					  DSTEST_EP), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, OTHER_EP, "dstest",
					   DSF_TYPE_LABEL, &got), -ESRCH);
	ck_assert_int_eq(ds_store_retrieve(&store, OTHER_EP, "renamed",
					   DSF_TYPE_LABEL, &got), OK);
	ck_assert_int_eq((endpoint_t)got.value, DSTEST_EP);
}
END_TEST

START_TEST(keys_are_typed)
{
	struct ds_retrieved got;

	/* A u32 may share its key with a label. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "other",
					  DSF_TYPE_U32, 99), OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "other"), 99);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "other",
					   DSF_TYPE_LABEL, &got), OK);
	ck_assert_int_eq((endpoint_t)got.value, OTHER_EP);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "other",
					 DSF_TYPE_U32), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "other",
					   DSF_TYPE_LABEL, &got), OK);
	ck_assert_int_eq(retrieve_u32(DSTEST_EP, "dstest"), -ESRCH);
}
END_TEST

START_TEST(full_table_gives_enomem)
{
	char key[16];
	unsigned int used = ds_store_count(&store);

	for (unsigned int i = used; i < DS_NR_KEYS; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, key,
						  DSF_TYPE_U32, i), OK);
	}
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "one_too_many",
					  DSF_TYPE_U32, 0), -ENOMEM);
	/* Overwriting needs no new entry. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k10",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "k10",
					 DSF_TYPE_U32), OK);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "one_too_many",
					  DSF_TYPE_U32, 0), OK);
}
END_TEST

START_TEST(bad_keys_are_rejected)
{
	char longest[DS_MAX_KEYLEN];
	char too_long[DS_MAX_KEYLEN + 1];
	struct ds_retrieved got;

	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(too_long, 'y', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, NULL,
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "",
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, too_long,
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, too_long,
					   DSF_TYPE_U32, &got), -EINVAL);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "",
					 DSF_TYPE_U32), -EINVAL);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, longest,
					  DSF_TYPE_U32, 5), OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, longest), 5);
}
END_TEST

START_TEST(bad_types_are_rejected)
{
	struct ds_retrieved got;

	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k", 0, 1),
			 -EINVAL);
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k",
					  DSF_TYPE_U32 | DSF_TYPE_LABEL, 1),
			 -EINVAL);
	/* Not in this cut of DS. */
	ck_assert_int_eq(ds_store_publish(&store, DSTEST_EP, "k",
					  DSF_TYPE_STR, 1), -ENOSYS);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "k",
					   DSF_TYPE_MEM, &got), -ENOSYS);
	ck_assert_uint_eq(ds_store_count(&store), 2);
}
END_TEST

static Suite *ds_store_suite(void)
{
	Suite *s = suite_create("ds_store");
	TCase *dstest = tcase_create("dstest");
	TCase *rules = tcase_create("rules");
	TCase *input = tcase_create("input");

	tcase_add_checked_fixture(dstest, setup, NULL);
	tcase_add_test(dstest, dstest_u32);
	tcase_add_test(dstest, dstest_label);
	suite_add_tcase(s, dstest);

	tcase_add_checked_fixture(rules, setup, NULL);
	tcase_add_test(rules, unknown_caller_may_not_publish_or_delete);
	tcase_add_test(rules, delete_is_owner_only);
	tcase_add_test(rules, priv_overwrite_protects_the_owner);
	tcase_add_test(rules, priv_retrieve_hides_from_others);
	tcase_add_test(rules, deleting_a_label_purges_its_data);
	tcase_add_test(rules, republishing_an_endpoint_renames_its_label);
	tcase_add_test(rules, keys_are_typed);
	tcase_add_test(rules, full_table_gives_enomem);
	suite_add_tcase(s, rules);

	tcase_add_checked_fixture(input, setup, NULL);
	tcase_add_test(input, bad_keys_are_rejected);
	tcase_add_test(input, bad_types_are_rejected);
	suite_add_tcase(s, input);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ds_store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
