/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's journal: records and their commit point, replay into a
 * store, compaction by dump, and crashes simulated at every byte of a
 * request's records (recovery sees the old state or the new, never a mix).
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/ds/journal.h"
#include "../../servers/ds/store.h"

#define SVC_EP		MXSYS_ENDPOINT(0, 10)
#define SUB_EP		MXSYS_ENDPOINT(0, 11)

static int grow_heap(struct journal *j, size_t need)
{
	size_t size = j->size ? j->size : 256;
	unsigned char *p;

	while (size < need)
		size *= 2;
	p = realloc(j->base, size);
	if (!p)
		return -ENOMEM;
	memset(p + j->size, 0xa5, size - j->size);	/* garbage, as after a crash */
	j->base = p;
	j->size = size;
	return 0;
}

static int hook(void *arg, const void *rec, size_t len)
{
	return journal_append(arg, rec, len);
}

static int replay_one(void *arg, const void *rec, size_t len)
{
	return ds_store_apply(arg, rec, len);
}

struct live {
	struct ds_store store;
	struct journal j;
};

static void live_init(struct live *l)
{
	memset(l, 0, sizeof(*l));
	l->j.grow = grow_heap;
	ck_assert_int_eq(journal_format(&l->j, 1), 0);
	journal_commit(&l->j);
	ds_store_init(&l->store, 1000, 1 << 20);
	l->store.journal = hook;
	l->store.hook_arg = &l->j;
}

static void live_fini(struct live *l)
{
	ds_store_fini(&l->store);
	free(l->j.base);
}

static int pub(struct ds_store *s, endpoint_t ep, const char *key,
	       uint32_t flags, uint32_t value, const void *data, size_t len)
{
	struct ds_request rq = { .caller = ep, .flags = flags, .key = key,
				 .value = value, .data = data, .len = len };

	return ds_store_publish(s, &rq);
}

/* One request as DS makes it: the change, its result, the commit. */
static int request(struct live *l, uint32_t seq, int result)
{
	ck_assert_int_eq(ds_store_remember(&l->store, SVC_EP, 42, seq,
					   result), OK);
	journal_commit(&l->j);
	return result;
}

/* Rebuild a store from a journal image of size bytes. */
static long recover(const unsigned char *image, size_t size,
		    struct ds_store *out)
{
	struct journal j = { .base = malloc(size), .size = size };
	long n;

	memcpy(j.base, image, size);
	ds_store_init(out, 1000, 1 << 20);
	/* As ds-daemon does: the key table sized from the journal's size. */
	ds_store_presize(out, size / journal_record_size(ds_store_record_min()),
			 size);
	n = journal_replay(&j, replay_one, out);
	ds_store_replayed(out);
	free(j.base);
	return n;
}

struct cmp {
	const struct ds_store *other;
	bool same;
};

static bool same_entry(const struct ds_entry *e, void *arg)
{
	struct cmp *c = arg;
	struct ds_retrieved got;

	if (ds_store_retrieve((struct ds_store *)c->other, RS_PROC_NR, e->key,
			      e->flags & DSF_MASK_TYPE, &got) != OK ||
	    got.value != e->value || got.flags != e->flags ||
	    got.len != e->len || (e->len && memcmp(got.data, e->data, e->len)))
		c->same = false;
	return c->same;
}

static bool same_store(const struct ds_store *a, const struct ds_store *b)
{
	struct cmp c = { b, true };

	if (ds_store_count(a) != ds_store_count(b) ||
	    ds_store_bytes(a) != ds_store_bytes(b))
		return false;
	ds_store_foreach(a, same_entry, &c);
	return c.same;
}

static void build_some_state(struct live *l)
{
	ck_assert_int_eq(pub(&l->store, RS_PROC_NR, "svc", DSF_TYPE_LABEL,
			     (uint32_t)SVC_EP, NULL, 0), OK);
	ck_assert_int_eq(pub(&l->store, RS_PROC_NR, "sub", DSF_TYPE_LABEL,
			     (uint32_t)SUB_EP, NULL, 0), OK);
	journal_commit(&l->j);
	ck_assert_int_eq(request(l, 1,
		pub(&l->store, SVC_EP, "u", DSF_TYPE_U32, 1, NULL, 0)), OK);
	ck_assert_int_eq(request(l, 2, pub(&l->store, SVC_EP, "s",
			 DSF_TYPE_STR, 0, "hello", 6)), OK);
	ck_assert_int_eq(request(l, 3, pub(&l->store, SVC_EP,
			 "a.key.longer.than.the.inline.twenty.three",
			 DSF_TYPE_MEM, 0, "\0\1\2\3", 4)), OK);
	ck_assert_int_eq(request(l, 4, ds_store_subscribe(&l->store, SUB_EP,
			 "u|s", 0)), OK);
	ck_assert_int_eq(request(l, 5, pub(&l->store, SVC_EP, "u",
			 DSF_TYPE_U32, 2, NULL, 0)), -EEXIST);
	ck_assert_int_eq(request(l, 6, pub(&l->store, SVC_EP, "u",
			 DSF_TYPE_U32 | DSF_OVERWRITE, 3, NULL, 0)), OK);
	ck_assert_int_eq(request(l, 7, ds_store_delete(&l->store, SVC_EP, "s",
			 DSF_TYPE_STR)), OK);
}

START_TEST(replay_rebuilds_the_store)
{
	struct live l;
	struct ds_store back;
	int result;

	live_init(&l);
	build_some_state(&l);
	ck_assert_int_gt(recover(l.j.base, l.j.size, &back), 0);
	ck_assert(same_store(&l.store, &back));
	ck_assert(same_store(&back, &l.store));
	/* The exactly-once memory and the subscription came back too. */
	ck_assert(ds_store_seen(&back, SVC_EP, 42, 5, &result));
	ck_assert_int_eq(result, -EEXIST);
	ck_assert_int_eq(ds_store_subscribe(&back, SUB_EP, "x", 0), -EEXIST);
	ds_store_fini(&back);
	live_fini(&l);
}
END_TEST

/* Stops the replay before the record after `left` more have applied. */
static int stop_after(void *arg, const void *rec, size_t len)
{
	struct { struct ds_store *store; int left; } *st = arg;

	if (st->left-- == 0)
		return -EINTR;
	return ds_store_apply(st->store, rec, len);
}

/*
 * A standby's replay: stopped after any number of records and resumed,
 * and resumed again after more were committed, it ends with the store a
 * replay of the whole journal gives.
 */
START_TEST(replay_resumes_where_it_stopped)
{
	struct live l;
	struct journal j;
	struct ds_store back;
	struct { struct ds_store *store; int left; } st = { &back, _i };
	size_t half;
	long n, total = 0;

	live_init(&l);
	build_some_state(&l);
	half = journal_committed(&l.j);
	j = (struct journal){ .base = l.j.base, .size = l.j.size };
	ds_store_init(&back, 1000, 1 << 20);
	n = journal_replay(&j, stop_after, &st);
	if (n == -EINTR) {
		/* Stopped at a record boundary, the rest not applied. */
		ck_assert_uint_ge(j.tail, sizeof(struct journal_header));
		ck_assert_uint_lt(j.tail, half);
		total = _i;
		n = journal_replay(&j, replay_one, &back);
	}
	ck_assert_int_ge(n, 0);
	total += n;
	ck_assert_uint_eq(j.tail, half);
	/* Nothing new: nothing replayed, the tail stays. */
	ck_assert_int_eq(journal_replay(&j, replay_one, &back), 0);
	ck_assert_uint_eq(j.tail, half);

	/* More committed (the buffer may move: follow it). */
	ck_assert_int_eq(request(&l, 8, pub(&l.store, SVC_EP, "late",
			 DSF_TYPE_STR, 0, "after", 6)), OK);
	j.base = l.j.base;
	j.size = l.j.size;
	n = journal_replay(&j, replay_one, &back);
	ck_assert_int_gt(n, 0);
	total += n;
	ck_assert_uint_eq(j.tail, journal_committed(&l.j));
	ck_assert(same_store(&l.store, &back));
	ck_assert(same_store(&back, &l.store));
	{
		struct ds_store whole;

		ck_assert_int_eq(recover(l.j.base, l.j.size, &whole), total);
		ds_store_fini(&whole);
	}
	/* A tail past the committed end is not a place in this journal. */
	j.tail = journal_committed(&l.j) + 8;
	ck_assert_int_eq(journal_replay(&j, replay_one, &back), -EBADMSG);
	ds_store_fini(&back);
	live_fini(&l);
}
END_TEST

START_TEST(dump_compacts_to_the_same_state)
{
	struct live l, fresh;
	struct ds_store back;
	int result;

	live_init(&l);
	build_some_state(&l);
	live_init(&fresh);
	l.store.hook_arg = &fresh.j;
	ck_assert_int_eq(ds_store_dump(&l.store), OK);
	journal_commit(&fresh.j);
	ck_assert_uint_lt(journal_committed(&fresh.j),
			  journal_committed(&l.j));
	ck_assert_int_gt(recover(fresh.j.base, fresh.j.size, &back), 0);
	ck_assert(same_store(&l.store, &back));
	ck_assert(ds_store_seen(&back, SVC_EP, 42, 7, &result));
	ds_store_fini(&back);
	l.store.hook_arg = &l.j;
	live_fini(&fresh);
	live_fini(&l);
}
END_TEST

/*
 * A crash while a request's records are written: the image holds the old
 * journal plus the first k bytes of the new records. Recovery must give
 * the old state for every k, and the new one once the commit is stored.
 */
START_TEST(torn_write_at_every_byte)
{
	struct live l;
	struct ds_store old_state, new_state, back;
	unsigned char *before, *after, *image;
	size_t old_tail, new_tail, size;

	live_init(&l);
	build_some_state(&l);
	ck_assert_int_gt(recover(l.j.base, l.j.size, &old_state), 0);
	old_tail = l.j.tail;
	size = l.j.size;
	before = malloc(size);
	memcpy(before, l.j.base, size);

	/* The request: a label delete (purging), and its result. */
	ck_assert_int_eq(pub(&l.store, SVC_EP, "big", DSF_TYPE_MEM, 0,
			     "0123456789abcdef0123456789abcdef", 32), OK);
	ck_assert_int_eq(ds_store_remember(&l.store, SVC_EP, 42, 8, OK), OK);
	ck_assert_uint_eq(l.j.size, size);	/* no move: compare images */
	new_tail = l.j.tail;
	ck_assert_uint_gt(new_tail, old_tail);
	journal_commit(&l.j);
	ck_assert_int_gt(recover(l.j.base, l.j.size, &new_state), 0);
	after = malloc(size);
	memcpy(after, l.j.base, size);
	image = malloc(size);

	for (size_t k = 0; k <= new_tail - old_tail; k++) {
		memcpy(image, before, size);
		memcpy(image + old_tail, after + old_tail, k);
		ck_assert_int_gt(recover(image, size, &back), 0);
		ck_assert_msg(same_store(&back, &old_state),
			      "byte %zu: not the old state", k);
		ds_store_fini(&back);
		/* The same bytes with the commit stored: all or (k short) bad. */
		memcpy(image + offsetof(struct journal_header, committed),
		       after + offsetof(struct journal_header, committed), 8);
		if (k == new_tail - old_tail) {
			ck_assert_int_gt(recover(image, size, &back), 0);
			ck_assert(same_store(&back, &new_state));
			ck_assert(!same_store(&back, &old_state));
			ds_store_fini(&back);
		}
	}
	free(before);
	free(after);
	free(image);
	ds_store_fini(&old_state);
	ds_store_fini(&new_state);
	live_fini(&l);
}
END_TEST

START_TEST(damage_in_the_committed_part_is_detected)
{
	struct live l;
	struct ds_store back;
	size_t committed;

	live_init(&l);
	build_some_state(&l);
	committed = journal_committed(&l.j);
	for (size_t at = sizeof(struct journal_header); at < committed;
	     at += 7) {
		l.j.base[at] ^= 0x10;
		ck_assert_int_eq(recover(l.j.base, l.j.size, &back), -EBADMSG);
		ds_store_fini(&back);
		l.j.base[at] ^= 0x10;
	}
	/* Not a journal at all. */
	l.j.base[0] ^= 1;
	ck_assert_int_eq(recover(l.j.base, l.j.size, &back), -EBADMSG);
	ds_store_fini(&back);
	l.j.base[0] ^= 1;
	/* A commit point beyond the buffer. */
	((struct journal_header *)l.j.base)->committed = l.j.size + 8;
	ck_assert_int_eq(recover(l.j.base, l.j.size, &back), -EBADMSG);
	ds_store_fini(&back);
	live_fini(&l);
}
END_TEST

START_TEST(abort_forgets_uncommitted_records)
{
	struct live l;
	struct ds_store back;

	live_init(&l);
	build_some_state(&l);
	ck_assert_int_eq(journal_append(&l.j, "junk", 4), 0);
	journal_abort(&l.j);
	ck_assert_uint_eq(l.j.tail, journal_committed(&l.j));
	ck_assert_int_gt(recover(l.j.base, l.j.size, &back), 0);
	ck_assert(same_store(&back, &l.store));
	ds_store_fini(&back);
	live_fini(&l);
}
END_TEST

START_TEST(bad_records_do_not_apply)
{
	struct ds_store s;
	unsigned char junk[64];

	ds_store_init(&s, 10, 1000);
	memset(junk, 0, sizeof(junk));
	ck_assert_int_eq(ds_store_apply(&s, junk, 3), -EINVAL);
	ck_assert_int_eq(ds_store_apply(&s, junk, sizeof(junk)), -EINVAL);
	junk[0] = 1;	/* a PUT whose lengths do not add up */
	ck_assert_int_eq(ds_store_apply(&s, junk, sizeof(junk)), -EINVAL);
	ck_assert_uint_eq(ds_store_count(&s), 0);
	ds_store_fini(&s);
}
END_TEST

START_TEST(crc32c_known_value)
{
	/* The standard check value of CRC-32C. */
	ck_assert_uint_eq(journal_crc32c("123456789", 9), 0xE3069283u);
}
END_TEST

START_TEST(crc32c_instruction_matches_tables)
{
	unsigned char buf[300];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	/* Every length and alignment, the tails of the 8-byte steps too. */
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof(buf); len++)
			ck_assert_uint_eq(journal_crc32c(buf + off, len),
					  journal_crc32c_tables(buf + off, len));
	ck_assert_uint_eq(journal_crc32c_tables("123456789", 9), 0xE3069283u);
}
END_TEST

/*
 * A replay builds no pending lists (a restart's renotify does, once for
 * every key a subscription matches): a subscriber hears of the keys after
 * renotify, and of none before.
 */
START_TEST(replay_then_renotify_tells_subscribers)
{
	struct live l;
	struct ds_store back;
	char key[DS_MAX_KEYLEN];
	uint32_t type;
	endpoint_t owner;
	int n = 0;

	live_init(&l);
	build_some_state(&l);
	ck_assert_int_eq(pub(&l.store, SVC_EP, "u", DSF_TYPE_U32 |
			     DSF_OVERWRITE, 9, NULL, 0), OK);
	journal_commit(&l.j);
	ck_assert_int_gt(recover(l.j.base, l.j.size, &back), 0);
	ck_assert_int_eq(ds_store_check(&back, SUB_EP, key, &type, &owner),
			 -ENOENT);
	ds_store_renotify(&back);
	while (ds_store_check(&back, SUB_EP, key, &type, &owner) == OK) {
		ck_assert_str_eq(key, "u");	/* "s" was deleted */
		n++;
	}
	ck_assert_int_eq(n, 1);
	ds_store_fini(&back);
	live_fini(&l);
}
END_TEST

static Suite *ds_journal_suite(void)
{
	Suite *s = suite_create("ds_journal");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, crc32c_known_value);
	tcase_add_test(tc, crc32c_instruction_matches_tables);
	tcase_add_test(tc, replay_then_renotify_tells_subscribers);
	tcase_add_test(tc, replay_rebuilds_the_store);
	tcase_add_loop_test(tc, replay_resumes_where_it_stopped, 0, 12);
	tcase_add_test(tc, dump_compacts_to_the_same_state);
	tcase_add_test(tc, torn_write_at_every_byte);
	tcase_add_test(tc, damage_in_the_committed_part_is_detected);
	tcase_add_test(tc, abort_forgets_uncommitted_records);
	tcase_add_test(tc, bad_records_do_not_apply);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ds_journal_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
