/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's key store: MINIX's dstest U32, STR, MEM and LABEL
 * scenarios, owners, privacy flags, overwrite, label purge, growing
 * tables and caps, subscriptions, exactly-once bookkeeping, bad input.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

#include "../../servers/ds/store.h"

#define DSTEST_EP	MXSYS_ENDPOINT(0, 10)
#define OTHER_EP	MXSYS_ENDPOINT(1, 11)
#define STRANGER_EP	MXSYS_ENDPOINT(0, 12)

static struct ds_store store;

static int pub(endpoint_t caller, const char *key, uint32_t flags,
	       uint32_t value)
{
	struct ds_request rq = { .caller = caller, .flags = flags,
				 .key = key, .value = value };

	return ds_store_publish(&store, &rq);
}

static int pub_data(endpoint_t caller, const char *key, uint32_t flags,
		    const void *data, size_t len)
{
	struct ds_request rq = { .caller = caller, .flags = flags,
				 .key = key, .data = data, .len = len };

	return ds_store_publish(&store, &rq);
}

/* As RS does before it initialises a service. */
static void give_label(const char *label, endpoint_t ep)
{
	ck_assert_int_eq(pub(RS_PROC_NR, label,
					  DSF_TYPE_LABEL, (uint32_t)ep), OK);
}

static void teardown(void)
{
	ds_store_fini(&store);
}

static void setup(void)
{
	ds_store_init(&store, 100, 4096);
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
	ck_assert_int_eq(pub(DSTEST_EP, "test_u32",
					  DSF_TYPE_U32, 1234), OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "test_u32"), 1234);

	ck_assert_int_eq(pub(DSTEST_EP, "test_u32",
					  DSF_TYPE_U32, 4321), -EEXIST);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, "test_u32"), 1234);

	ck_assert_int_eq(pub(DSTEST_EP, "test_u32",
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
	ck_assert_int_eq(pub(DSTEST_EP, "dstest",
					  DSF_TYPE_LABEL, DSTEST_EP), -EPERM);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "dstest",
					 DSF_TYPE_LABEL), -EPERM);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "dstest",
					   DSF_TYPE_LABEL, &got), OK);
}
END_TEST

START_TEST(unknown_caller_may_not_publish_or_delete)
{
	ck_assert_int_eq(pub(STRANGER_EP, "k",
					  DSF_TYPE_U32, 1), -EPERM);
	ck_assert_int_eq(pub(DSTEST_EP, "k",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, STRANGER_EP, "k",
					 DSF_TYPE_U32), -EPERM);
	/* Public data is readable by anyone. */
	ck_assert_uint_eq(must_retrieve_u32(STRANGER_EP, "k"), 1);
}
END_TEST

START_TEST(delete_is_owner_only)
{
	ck_assert_int_eq(pub(DSTEST_EP, "k",
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

	ck_assert_int_eq(pub(DSTEST_EP, "guarded",
					  DSF_TYPE_U32 | DSF_PRIV_OVERWRITE, 1),
			 OK);
	ck_assert_int_eq(pub(OTHER_EP, "guarded",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 2),
			 -EPERM);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "guarded"), 1);
	ck_assert_int_eq(pub(DSTEST_EP, "guarded",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 3), OK);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "guarded"), 3);

	/* Without the flag anyone known may overwrite, and becomes owner. */
	ck_assert_int_eq(pub(DSTEST_EP, "open",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(pub(OTHER_EP, "open",
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
	ck_assert_int_eq(pub(DSTEST_EP, "secret",
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

	ck_assert_int_eq(pub(DSTEST_EP, "a",
					  DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(pub(DSTEST_EP, "b",
					  DSF_TYPE_U32, 2), OK);
	ck_assert_int_eq(pub(OTHER_EP, "c",
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
	ck_assert_int_eq(pub(DSTEST_EP, "a",
					  DSF_TYPE_U32, 1), -EPERM);
}
END_TEST

START_TEST(republishing_an_endpoint_renames_its_label)
{
	struct ds_retrieved got;

	ck_assert_int_eq(pub(RS_PROC_NR, "renamed",
					  DSF_TYPE_LABEL, DSTEST_EP), -EEXIST);
	ck_assert_int_eq(pub(RS_PROC_NR, "renamed",
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
	ck_assert_int_eq(pub(DSTEST_EP, "other",
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

START_TEST(entry_cap_gives_enomem)
{
	char key[16];
	/* Labels count as entries but are never refused. */
	for (unsigned int i = (unsigned int)ds_store_count(&store); i < 100;
	     i++) {
		snprintf(key, sizeof(key), "k%u", i);
		ck_assert_int_eq(pub(DSTEST_EP, key,
						  DSF_TYPE_U32, i), OK);
	}
	ck_assert_int_eq(pub(DSTEST_EP, "one_too_many",
					  DSF_TYPE_U32, 0), -ENOMEM);
	/* Overwriting needs no new entry. */
	ck_assert_int_eq(pub(DSTEST_EP, "k10",
					  DSF_TYPE_U32 | DSF_OVERWRITE, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "k10",
					 DSF_TYPE_U32), OK);
	ck_assert_int_eq(pub(DSTEST_EP, "one_too_many",
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

	ck_assert_int_eq(pub(DSTEST_EP, NULL,
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(pub(DSTEST_EP, "",
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(pub(DSTEST_EP, too_long,
					  DSF_TYPE_U32, 1), -EINVAL);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, too_long,
					   DSF_TYPE_U32, &got), -EINVAL);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "",
					 DSF_TYPE_U32), -EINVAL);
	ck_assert_int_eq(pub(DSTEST_EP, longest,
					  DSF_TYPE_U32, 5), OK);
	ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, longest), 5);
}
END_TEST

START_TEST(bad_types_are_rejected)
{
	struct ds_retrieved got;

	ck_assert_int_eq(pub(DSTEST_EP, "k", 0, 1),
			 -EINVAL);
	ck_assert_int_eq(pub(DSTEST_EP, "k",
					  DSF_TYPE_U32 | DSF_TYPE_LABEL, 1),
			 -EINVAL);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "k",
					   0x800, &got), -EINVAL);
	/* A STR value must be one NUL-terminated string. */
	ck_assert_int_eq(pub_data(DSTEST_EP, "k", DSF_TYPE_STR, "ab", 2),
			 -EINVAL);
	ck_assert_int_eq(pub_data(DSTEST_EP, "k", DSF_TYPE_STR, "a\0b", 4),
			 -EINVAL);
	ck_assert_int_eq(pub_data(DSTEST_EP, "k", DSF_TYPE_STR, "", 0),
			 -EINVAL);
	ck_assert_uint_eq(ds_store_count(&store), 2);
}
END_TEST


START_TEST(dstest_str)
{
	static const char longstring[] = "verylooooooongstring";
	struct ds_retrieved got;

	ck_assert_int_eq(pub_data(DSTEST_EP, "test_str", DSF_TYPE_STR,
				  "little", 7), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "test_str",
					   DSF_TYPE_STR, &got), OK);
	ck_assert_str_eq(got.data, "little");
	ck_assert_uint_eq(got.len, 7);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "test_str",
					 DSF_TYPE_STR), OK);
	ck_assert_int_eq(pub_data(DSTEST_EP, "test_str", DSF_TYPE_STR,
				  longstring, sizeof(longstring)), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "test_str",
					   DSF_TYPE_STR, &got), OK);
	ck_assert_str_eq(got.data, longstring);
	/* The same key as a u32 is another entry. */
	ck_assert_int_eq(retrieve_u32(DSTEST_EP, "test_str"), -ESRCH);
}
END_TEST

START_TEST(dstest_mem)
{
	static const char s1[] = "ok, this is a string";
	static const char s2[] = "ok, this is a longer string, really";
	struct ds_retrieved got;

	ck_assert_int_eq(pub_data(DSTEST_EP, "test_mem", DSF_TYPE_MEM, s1,
				  sizeof(s1)), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "test_mem",
					   DSF_TYPE_MEM, &got), OK);
	ck_assert_uint_eq(got.len, 21);
	ck_assert_mem_eq(got.data, s1, 21);
	ck_assert_int_eq(pub_data(DSTEST_EP, "test_mem", DSF_TYPE_MEM, s2,
				  sizeof(s2)), -EEXIST);
	ck_assert_int_eq(pub_data(DSTEST_EP, "test_mem",
				  DSF_TYPE_MEM | DSF_OVERWRITE, s2,
				  sizeof(s2)), OK);
	ck_assert_int_eq(ds_store_retrieve(&store, DSTEST_EP, "test_mem",
					   DSF_TYPE_MEM, &got), OK);
	ck_assert_uint_eq(got.len, 36);
	ck_assert_mem_eq(got.data, s2, 36);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "test_mem",
					 DSF_TYPE_MEM), OK);
	ck_assert_uint_eq(ds_store_bytes(&store),
			  strlen("dstest") + 1 + strlen("other") + 1);
}
END_TEST

START_TEST(tables_grow)
{
	char key[DS_MAX_KEYLEN];
	struct ds_store big;

	ds_store_fini(&store);
	ds_store_init(&store, 200000, 64u << 20);
	give_label("dstest", DSTEST_EP);
	for (unsigned int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "key.%u", i);
		ck_assert_int_eq(pub(DSTEST_EP, key, DSF_TYPE_U32, i), OK);
	}
	ck_assert_uint_ge(store.keys.nbuckets, 100000);
	for (unsigned int i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof(key), "key.%u", i);
		ck_assert_uint_eq(must_retrieve_u32(DSTEST_EP, key), i);
	}
	ck_assert_uint_eq(ds_store_count(&store), 100001);
	(void)big;
}
END_TEST

START_TEST(byte_cap_gives_enomem_and_e2big)
{
	static char blob[5000];
	char key[16];
	size_t before;
	int r = OK;
	unsigned int i;

	/* A value bigger than the whole cap can never fit. */
	ck_assert_int_eq(pub_data(DSTEST_EP, "huge", DSF_TYPE_MEM, blob,
				  sizeof(blob)), -E2BIG);
	for (i = 0; r == OK; i++) {
		snprintf(key, sizeof(key), "m%u", i);
		r = pub_data(DSTEST_EP, key, DSF_TYPE_MEM, blob, 500);
	}
	ck_assert_int_eq(r, -ENOMEM);
	ck_assert_uint_le(ds_store_bytes(&store), 4096);
	before = ds_store_count(&store);
	/* A smaller overwrite still fits, a bigger one does not. */
	ck_assert_int_eq(pub_data(DSTEST_EP, "m0", DSF_TYPE_MEM |
				  DSF_OVERWRITE, blob, 100), OK);
	ck_assert_int_eq(pub_data(DSTEST_EP, "m1", DSF_TYPE_MEM |
				  DSF_OVERWRITE, blob, 1500), -ENOMEM);
	ck_assert_uint_eq(ds_store_count(&store), before);
	/* Labels still come and go at the cap. */
	give_label("late", MXSYS_ENDPOINT(0, 20));
}
END_TEST

/* ---- subscriptions ---- */

static endpoint_t notified[16];
static int n_notified;

static void record_notify(void *arg, endpoint_t ep)
{
	(void)arg;
	if (n_notified < 16)
		notified[n_notified++] = ep;
}

static void sub_setup(void)
{
	setup();
	store.notify = record_notify;
	n_notified = 0;
}

static int check(endpoint_t ep, char key[DS_MAX_KEYLEN], uint32_t *type)
{
	endpoint_t owner;

	return ds_store_check(&store, ep, key, type, &owner);
}

/* MINIX's subs: publish, notify, check, overwrite, delete, ENOENT. */
START_TEST(subs_sequence)
{
	char key[DS_MAX_KEYLEN];
	uint32_t type;
	endpoint_t owner;

	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "test_u32",
					    DSF_INITIAL), OK);
	ck_assert_int_eq(n_notified, 0);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ENOENT);

	ck_assert_int_eq(pub(DSTEST_EP, "test_u32", DSF_TYPE_U32, 1234), OK);
	ck_assert_int_eq(n_notified, 1);
	ck_assert_int_eq(notified[0], OTHER_EP);
	ck_assert_int_eq(ds_store_check(&store, OTHER_EP, key, &type, &owner),
			 OK);
	ck_assert_str_eq(key, "test_u32");
	ck_assert_uint_eq(type, DSF_TYPE_U32);
	ck_assert_int_eq(owner, DSTEST_EP);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ENOENT);

	ck_assert_int_eq(pub(DSTEST_EP, "test_u32", DSF_TYPE_U32 |
			     DSF_OVERWRITE, 4321), OK);
	ck_assert_int_eq(n_notified, 2);
	ck_assert_int_eq(check(OTHER_EP, key, &type), OK);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, key), 4321);

	/* A change not yet checked, then deleted: notified, then ENOENT. */
	ck_assert_int_eq(pub(DSTEST_EP, "test_u32", DSF_TYPE_U32 |
			     DSF_OVERWRITE, 1), OK);
	ck_assert_int_eq(ds_store_delete(&store, DSTEST_EP, "test_u32",
					 DSF_TYPE_U32), OK);
	ck_assert_int_eq(n_notified, 4);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ENOENT);

	/* Other keys do not match the anchored pattern. */
	ck_assert_int_eq(pub(DSTEST_EP, "test_u32x", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(pub(DSTEST_EP, "xtest_u32", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(n_notified, 4);
}
END_TEST

START_TEST(subs_rules)
{
	char key[DS_MAX_KEYLEN];
	uint32_t type;

	ck_assert_int_eq(ds_store_subscribe(&store, STRANGER_EP, "a", 0),
			 -ESRCH);
	ck_assert_int_eq(check(STRANGER_EP, key, &type), -ESRCH);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ESRCH);
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "a(", 0),
			 -EINVAL);
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "", 0),
			 -EINVAL);
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "drv\\..*",
					    DSF_TYPE_U32), OK);
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "x.*", 0),
			 -EEXIST);
	/* Types: a STR under the pattern does not count. */
	ck_assert_int_eq(pub_data(DSTEST_EP, "drv.s", DSF_TYPE_STR, "v", 2),
			 OK);
	ck_assert_int_eq(n_notified, 0);
	ck_assert_int_eq(pub(DSTEST_EP, "drv.u", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(n_notified, 1);
	/* DSF_PRIV_SUBSCRIBE: others do not hear of it. */
	ck_assert_int_eq(pub(DSTEST_EP, "drv.p", DSF_TYPE_U32 |
			     DSF_PRIV_SUBSCRIBE, 1), OK);
	ck_assert_int_eq(n_notified, 1);
	/* Overwrite replaces it, and DSF_INITIAL reports what exists. */
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "drv\\.[su]",
					    DSF_OVERWRITE | DSF_INITIAL), OK);
	ck_assert_int_eq(n_notified, 2);
	ck_assert_int_eq(check(OTHER_EP, key, &type), OK);
	ck_assert_int_eq(check(OTHER_EP, key, &type), OK);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ENOENT);
	/* The owner of a private key does hear of it. */
	ck_assert_int_eq(ds_store_subscribe(&store, DSTEST_EP, "drv\\.p",
					    0), OK);
	ck_assert_int_eq(pub(DSTEST_EP, "drv.p", DSF_TYPE_U32 |
			     DSF_PRIV_SUBSCRIBE | DSF_OVERWRITE, 2), OK);
	ck_assert_int_eq(notified[n_notified - 1], DSTEST_EP);
	ck_assert_int_eq(check(DSTEST_EP, key, &type), OK);
	ck_assert_str_eq(key, "drv.p");
}
END_TEST

START_TEST(label_delete_purges_subscriptions_and_notifies)
{
	char key[DS_MAX_KEYLEN];
	uint32_t type;

	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "k.*", 0), OK);
	ck_assert_int_eq(ds_store_subscribe(&store, DSTEST_EP, "z", 0), OK);
	ck_assert_int_eq(pub(DSTEST_EP, "k1", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(check(OTHER_EP, key, &type), OK);
	n_notified = 0;
	ck_assert_int_eq(ds_store_delete(&store, RS_PROC_NR, "dstest",
					 DSF_TYPE_LABEL), OK);
	/* other hears that k1 went; dstest's subscription is gone. */
	ck_assert_int_eq(n_notified, 1);
	ck_assert_int_eq(notified[0], OTHER_EP);
	ck_assert_int_eq(check(OTHER_EP, key, &type), -ENOENT);
	give_label("dstest", DSTEST_EP);
	ck_assert_int_eq(check(DSTEST_EP, key, &type), -ESRCH);
	ck_assert_uint_eq(ds_store_count(&store), 3);
}
END_TEST

START_TEST(pattern_prefix)
{
	char p[DS_MAX_KEYLEN];

	ck_assert_uint_eq(ds_pattern_prefix("drv\\.chr\\..*", p, sizeof(p)), 8);
	ck_assert_str_eq(p, "drv.chr.");
	ck_assert_uint_eq(ds_pattern_prefix("abc", p, sizeof(p)), 3);
	ck_assert_uint_eq(ds_pattern_prefix("abc*", p, sizeof(p)), 2);
	ck_assert_uint_eq(ds_pattern_prefix("abc?d", p, sizeof(p)), 2);
	ck_assert_uint_eq(ds_pattern_prefix("abc+", p, sizeof(p)), 3);
	ck_assert_uint_eq(ds_pattern_prefix("ab{2}", p, sizeof(p)), 1);
	ck_assert_uint_eq(ds_pattern_prefix("a|b", p, sizeof(p)), 0);
	ck_assert_uint_eq(ds_pattern_prefix("(ab)", p, sizeof(p)), 0);
	ck_assert_uint_eq(ds_pattern_prefix("[ab]c", p, sizeof(p)), 0);
	ck_assert_uint_eq(ds_pattern_prefix("x\\w", p, sizeof(p)), 1);
}
END_TEST

static struct ds_sub *only_sub(void)
{
	for (size_t i = 0; i < store.subs.nbuckets; i++)
		if (store.subs.buckets[i])
			return store.subs.buckets[i];
	ck_abort_msg("no subscription");
	return NULL;
}

START_TEST(prefix_subscriptions_still_match_escapes)
{
	char key[DS_MAX_KEYLEN];
	uint32_t type;

	/* The prefix "drv.c" is compared to the key, not the pattern text. */
	ck_assert_int_eq(ds_store_subscribe(&store, OTHER_EP, "drv\\.c.*",
					    0), OK);
	ck_assert_uint_eq(only_sub()->prefix_len, 5);
	ck_assert_str_eq(only_sub()->prefix, "drv.c");
	/* Ruled out by the prefix alone. */
	ck_assert_int_eq(pub(DSTEST_EP, "drv.b", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(n_notified, 0);
	ck_assert_int_eq(pub(DSTEST_EP, "drv.chr.x", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(check(OTHER_EP, key, &type), OK);
	ck_assert_str_eq(key, "drv.chr.x");
}
END_TEST

/* ---- exactly once ---- */

START_TEST(seen_remembers_recent_results)
{
	int result;

	ck_assert(!ds_store_seen(&store, DSTEST_EP, 7, 1, &result));
	ck_assert_int_eq(ds_store_remember(&store, DSTEST_EP, 7, 1, -EEXIST),
			 OK);
	ck_assert(ds_store_seen(&store, DSTEST_EP, 7, 1, &result));
	ck_assert_int_eq(result, -EEXIST);
	for (uint32_t seq = 2; seq < 2 + DS_SEEN_DEPTH; seq++)
		ck_assert_int_eq(ds_store_remember(&store, DSTEST_EP, 7, seq,
						   OK), OK);
	/* Only the last few per client are kept. */
	ck_assert(!ds_store_seen(&store, DSTEST_EP, 7, 1, &result));
	ck_assert(ds_store_seen(&store, DSTEST_EP, 7, 2 + DS_SEEN_DEPTH - 1,
				&result));
	/* Another process in the slot: a new nonce, nothing seen. */
	ck_assert(!ds_store_seen(&store, DSTEST_EP, 8, 3, &result));
	ck_assert_int_eq(ds_store_remember(&store, DSTEST_EP, 8, 1, OK), OK);
	ck_assert(!ds_store_seen(&store, DSTEST_EP, 7, 3, &result));
	/* Nonce 0 takes no part. */
	ck_assert_int_eq(ds_store_remember(&store, OTHER_EP, 0, 1, OK), OK);
	ck_assert(!ds_store_seen(&store, OTHER_EP, 0, 1, &result));
	/* A label's end forgets its endpoint. */
	ck_assert_int_eq(ds_store_delete(&store, RS_PROC_NR, "dstest",
					 DSF_TYPE_LABEL), OK);
	ck_assert(!ds_store_seen(&store, DSTEST_EP, 8, 1, &result));
}
END_TEST

static bool only_other_alive(endpoint_t ep)
{
	return ep == OTHER_EP;
}

START_TEST(sweep_drops_labels_of_dead_endpoints)
{
	struct ds_retrieved got;

	ck_assert_int_eq(pub(DSTEST_EP, "a", DSF_TYPE_U32, 1), OK);
	ck_assert_int_eq(pub(OTHER_EP, "b", DSF_TYPE_U32, 2), OK);
	ck_assert_uint_eq(ds_store_sweep(&store, only_other_alive), 1);
	ck_assert_int_eq(retrieve_u32(OTHER_EP, "a"), -ESRCH);
	ck_assert_uint_eq(must_retrieve_u32(OTHER_EP, "b"), 2);
	ck_assert_int_eq(ds_store_retrieve(&store, OTHER_EP, "dstest",
					   DSF_TYPE_LABEL, &got), -ESRCH);
	ck_assert_uint_eq(ds_store_sweep(&store, only_other_alive), 0);
}
END_TEST

static Suite *ds_store_suite(void)
{
	Suite *s = suite_create("ds_store");
	TCase *dstest = tcase_create("dstest");
	TCase *rules = tcase_create("rules");
	TCase *input = tcase_create("input");
	TCase *subs = tcase_create("subs");

	tcase_add_checked_fixture(dstest, setup, teardown);
	tcase_add_test(dstest, dstest_u32);
	tcase_add_test(dstest, dstest_label);
	tcase_add_test(dstest, dstest_str);
	tcase_add_test(dstest, dstest_mem);
	suite_add_tcase(s, dstest);

	tcase_add_checked_fixture(rules, setup, teardown);
	tcase_add_test(rules, unknown_caller_may_not_publish_or_delete);
	tcase_add_test(rules, delete_is_owner_only);
	tcase_add_test(rules, priv_overwrite_protects_the_owner);
	tcase_add_test(rules, priv_retrieve_hides_from_others);
	tcase_add_test(rules, deleting_a_label_purges_its_data);
	tcase_add_test(rules, republishing_an_endpoint_renames_its_label);
	tcase_add_test(rules, keys_are_typed);
	tcase_add_test(rules, entry_cap_gives_enomem);
	tcase_add_test(rules, byte_cap_gives_enomem_and_e2big);
	tcase_add_test(rules, tables_grow);
	tcase_add_test(rules, seen_remembers_recent_results);
	tcase_add_test(rules, sweep_drops_labels_of_dead_endpoints);
	suite_add_tcase(s, rules);

	tcase_add_checked_fixture(input, setup, teardown);
	tcase_add_test(input, bad_keys_are_rejected);
	tcase_add_test(input, bad_types_are_rejected);
	suite_add_tcase(s, input);

	tcase_add_checked_fixture(subs, sub_setup, teardown);
	tcase_add_test(subs, subs_sequence);
	tcase_add_test(subs, subs_rules);
	tcase_add_test(subs, label_delete_purges_subscriptions_and_notifies);
	tcase_add_test(subs, pattern_prefix);
	tcase_add_test(subs, prefix_subscriptions_still_match_escapes);
	suite_add_tcase(s, subs);
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
