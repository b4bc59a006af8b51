/* SPDX-License-Identifier: MIT */
/*
 * A standby following the serving DS's journal (servers/ds/follow.c), with
 * this process playing both: the "serving DS" writes a journal into a
 * memfd and names it in a hint file, the follower thread finds it through
 * /proc/PID/fd, as a standby does. What is checked is what a takeover
 * relies on: the store the follower hands back, replayed on from the
 * offset it gives, is the serving store; a journal that is not the one
 * followed gives no head start.
 *
 * Waits are for the follower's progress, polled, with a long limit: the
 * tests assert what happens, not how fast.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../servers/ds/follow.h"
#include "../../servers/ds/jfile.h"
#include "../../servers/ds/journal.h"
#include "../../servers/ds/store.h"

#define SVC_EP		MXSYS_ENDPOINT(0, 10)

static char dir[32];
static char hint[sizeof(dir) + 16];

/* The serving side: a store journaling into a memfd, as ds-daemon. */
struct serving {
	struct ds_store store;
	struct journal j;
	int fd;
};

static int hook(void *arg, const void *rec, size_t len)
{
	return journal_append(arg, rec, len);
}

static int replay_one(void *arg, const void *rec, size_t len)
{
	return ds_store_apply(arg, rec, len);
}

static void serving_init(struct serving *s, uint64_t generation)
{
	memset(s, 0, sizeof(*s));
	/* ds-daemon's own memfd journal, growing as it does. */
	ck_assert_int_eq(jfile_new(&s->j, &s->fd, generation), 0);
	ds_store_init(&s->store, 1 << 20, 1 << 28);
	s->store.journal = hook;
	s->store.hook_arg = &s->j;
	{
		/* Keys are owned by labels: RS names the publisher first. */
		struct ds_request rq = { .caller = RS_PROC_NR,
			.flags = DSF_TYPE_LABEL, .key = "svc",
			.value = (uint32_t)SVC_EP };

		ck_assert_int_eq(ds_store_publish(&s->store, &rq), 0);
		journal_commit(&s->j);
	}
}

static void serving_fini(struct serving *s)
{
	ds_store_fini(&s->store);
	jfile_close(&s->j, s->fd);
}

/* Publish keys first..first+n-1 (value i), each committed. */
static void publish(struct serving *s, int first, int n)
{
	for (int i = first; i < first + n; i++) {
		char key[32];
		struct ds_request rq = { .caller = SVC_EP,
			.flags = DSF_TYPE_U32 | DSF_OVERWRITE, .key = key,
			.value = (uint32_t)i };

		snprintf(key, sizeof(key), "key.%d", i);
		ck_assert_int_eq(ds_store_publish(&s->store, &rq), 0);
		journal_commit(&s->j);
	}
}

static long committed_records(const struct serving *s)
{
	struct ds_store scratch;
	struct journal j = { .base = s->j.base, .size = s->j.size };
	long n;

	ds_store_init(&scratch, 1 << 20, 1 << 28);
	n = journal_replay(&j, replay_one, &scratch);
	ds_store_fini(&scratch);
	return n;
}

/* Wait until the follower has replayed want records (20 s at most). */
static bool wait_progress(long want)
{
	for (int i = 0; i < 20000; i++) {
		if (ds_follow_progress() == want)
			return true;
		usleep(1000);
	}
	return false;
}

static bool same_keys(const struct ds_entry *e, void *arg)
{
	struct ds_store *other = arg;
	struct ds_retrieved got;

	return ds_store_retrieve(other, SVC_EP, e->key,
				 e->flags & DSF_MASK_TYPE, &got) == 0 &&
	       got.value == e->value;
}

/* The takeover: end following fd, replay on, compare with the serving. */
static size_t take_over(struct serving *s, struct ds_store *standby)
{
	long ahead;
	size_t from = ds_follow_end(s->fd, &ahead);
	struct journal j = { .base = s->j.base, .size = s->j.size,
			     .tail = from };

	if (!from)
		ds_store_reset(standby);
	ck_assert_int_ge(journal_replay(&j, replay_one, standby), 0);
	ck_assert_uint_eq(ds_store_count(standby), ds_store_count(&s->store));
	ck_assert_uint_eq(ds_store_bytes(standby), ds_store_bytes(&s->store));
	ds_store_foreach(&s->store, same_keys, standby);
	return from;
}

/* Names s's journal in the hint and starts a standby that has caught up. */
static void start_following(struct serving *s, struct ds_store *standby)
{
	ck_assert_int_eq(ds_follow_hint(hint, s->fd), 0);
	ds_store_init(standby, 1 << 20, 1 << 28);
	ck_assert_int_eq(ds_follow_start(hint, standby, 1), 0);
	ck_assert(wait_progress(committed_records(s)));
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test-ds-follow.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(hint, sizeof(hint), "%s/ds-journal", dir);
}

static void teardown(void)
{
	unlink(hint);
	rmdir(dir);
}

START_TEST(follows_as_records_are_committed)
{
	struct serving s;
	struct ds_store standby;

	serving_init(&s, 1);
	publish(&s, 0, 100);
	start_following(&s, &standby);
	/* Enough more to grow the file past what the follower mapped. */
	publish(&s, 100, 5000);
	ck_assert(wait_progress(committed_records(&s)));
	/* The takeover has nothing left to replay. */
	ck_assert_uint_eq(take_over(&s, &standby), journal_committed(&s.j));
	ds_store_fini(&standby);
	serving_fini(&s);
}
END_TEST

START_TEST(a_new_journal_is_followed_from_its_start)
{
	struct serving old, fresh;
	struct ds_store standby;

	serving_init(&old, 1);
	publish(&old, 0, 50);
	start_following(&old, &standby);
	/* A compaction: a new file holding other keys, named by a new hint. */
	serving_init(&fresh, 2);
	publish(&fresh, 1000, 20);
	ck_assert_int_eq(ds_follow_hint(hint, fresh.fd), 0);
	ck_assert(wait_progress(committed_records(&fresh)));
	/* Only the new journal's keys: the old ones were dropped. */
	ck_assert_uint_gt(take_over(&fresh, &standby), 0);
	ds_store_fini(&standby);
	serving_fini(&old);
	serving_fini(&fresh);
}
END_TEST

START_TEST(another_file_at_the_takeover_gives_no_head_start)
{
	struct serving followed, other;
	struct ds_store standby;

	serving_init(&followed, 1);
	publish(&followed, 0, 30);
	serving_init(&other, 1);
	publish(&other, 0, 30);		/* the same bytes, another file */
	start_following(&followed, &standby);
	ck_assert_uint_eq(take_over(&other, &standby), 0);
	ds_store_fini(&standby);
	serving_fini(&followed);
	serving_fini(&other);
}
END_TEST

START_TEST(a_hint_that_names_no_journal_is_ignored)
{
	static const char *const bad[] = {
		"",				/* empty */
		"garbage\n",
		"999999999 3\n",		/* no such process */
		"%d 0\n",			/* this process's stdin */
		"%d 99999\n",			/* no such descriptor */
	};
	struct serving s;
	struct ds_store standby;
	long ahead;

	serving_init(&s, 1);
	publish(&s, 0, 10);
	ds_store_init(&standby, 1 << 20, 1 << 28);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *out = fopen(hint, "w");

		ck_assert_ptr_nonnull(out);
		fprintf(out, bad[i], (int)getpid());
		fclose(out);
		ck_assert_int_eq(ds_follow_start(hint, &standby, 1), 0);
		usleep(20000);
		ck_assert_int_eq(ds_follow_progress(), 0);
		ck_assert_uint_eq(ds_follow_end(s.fd, &ahead), 0);
		ck_assert_int_eq(ahead, 0);
	}
	/* No hint file at all: the same. */
	unlink(hint);
	ck_assert_int_eq(ds_follow_start(hint, &standby, 1), 0);
	ck_assert_uint_eq(ds_follow_end(s.fd, &ahead), 0);
	/* And ending what never started gives nothing. */
	ck_assert_uint_eq(ds_follow_end(s.fd, &ahead), 0);
	ds_store_fini(&standby);
	serving_fini(&s);
}
END_TEST

START_TEST(hint_file_is_replaced_whole)
{
	char text[64] = "", want[64];
	FILE *in;

	ck_assert_int_eq(ds_follow_hint(hint, 7), 0);
	ck_assert_int_eq(ds_follow_hint(hint, 9), 0);
	in = fopen(hint, "r");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(fgets(text, sizeof(text), in));
	fclose(in);
	snprintf(want, sizeof(want), "%d 9\n", (int)getpid());
	ck_assert_str_eq(text, want);
	/* Its directory is made when missing; a file in the way is an error. */
	unlink(hint);
	ck_assert_int_eq(ds_follow_hint("/proc/version/x/ds-journal", 1),
			 -ENOTDIR);
}
END_TEST

static Suite *ds_follow_suite(void)
{
	Suite *s = suite_create("ds_follow");
	TCase *tc = tcase_create("follow");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, follows_as_records_are_committed);
	tcase_add_test(tc, a_new_journal_is_followed_from_its_start);
	tcase_add_test(tc, another_file_at_the_takeover_gives_no_head_start);
	tcase_add_test(tc, a_hint_that_names_no_journal_is_ignored);
	tcase_add_test(tc, hint_file_is_replaced_whole);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ds_follow_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
