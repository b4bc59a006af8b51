// SPDX-License-Identifier: MIT
/*
 * Unit tests of `minix-service monitor`'s decoding (tools/service/event.c)
 * of slot events and slot-table answers, on messages built with libnl as
 * the module builds them (u64 attributes after an MXSYS_A_PAD).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <mxsys.h>

#include "../../tools/service/event.h"

#define FAMILY	33
#define SEQ	777

static char err[SERVICE_ERRLEN];

static struct nl_msg *genl_message(uint32_t seq, int family, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(genlmsg_put(msg, 0, seq, family, 0, 0, cmd,
					  MXSYS_GENL_VERSION));
	return msg;
}

/* As the kernel's nla_put_u64_64bit on x86-64: a pad, then the value. */
static void put_u64(struct nl_msg *msg, int type, uint64_t value)
{
	ck_assert_int_eq(nla_put(msg, MXSYS_A_PAD, 0, NULL), 0);
	ck_assert_int_eq(nla_put_u64(msg, type, value), 0);
}

/* Which attributes event_message() leaves out. */
#define NO_EVENT	(1u << 0)
#define NO_ENDPOINT	(1u << 1)
#define NO_TIMESTAMP	(1u << 2)
#define NO_SEQ		(1u << 3)
#define NO_PID		(1u << 4)

static struct nl_msg *event_message(uint32_t type, unsigned int leave_out)
{
	struct nl_msg *msg = genl_message(0, FAMILY, MXSYS_CMD_SLOT_EVENT);

	if (!(leave_out & NO_EVENT))
		ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_EVENT, type), 0);
	if (!(leave_out & NO_ENDPOINT))
		ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_ENDPOINT, 32776), 0);
	if (!(leave_out & NO_TIMESTAMP))
		put_u64(msg, MXSYS_A_TIMESTAMP, 5000000123ULL);
	if (!(leave_out & NO_SEQ))
		put_u64(msg, MXSYS_A_SEQ, 9);
	if (!(leave_out & NO_PID))
		ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_PID, 4321), 0);
	if (type == MXSYS_EVENT_DIED)
		ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_STATUS, 9), 0);
	if (type == MXSYS_EVENT_SWAPPED)
		ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_OTHER, 65544), 0);
	return msg;
}

static struct slot_event ev;
static bool found;
static int used;

/* Decode the message alone; frees it. */
static int decode_event(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = (int)nlh->nlmsg_len, r;

	memset(&ev, 0xaa, sizeof(ev));
	used = -1;
	r = slot_event_next(nlh, len, FAMILY, &ev, &found, &used, err);
	ck_assert_int_eq(used, len);
	nlmsg_free(msg);
	return r;
}

START_TEST(event_names)
{
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_BOUND), "bound");
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_DIED), "died");
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_SWAPPED), "swapped");
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_CLEARED), "cleared");
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_FD_STORED), "fd-stored");
	ck_assert_str_eq(slot_event_name(MXSYS_EVENT_FD_CLOSED), "fd-closed");
	ck_assert_ptr_null(slot_event_name(0));
	ck_assert_ptr_null(slot_event_name(7));
	ck_assert_ptr_null(slot_event_name(0xffffffffu));
}
END_TEST

START_TEST(bound_event)
{
	ck_assert_int_eq(decode_event(event_message(MXSYS_EVENT_BOUND, 0)), 0);
	ck_assert(found);
	ck_assert_uint_eq(ev.type, MXSYS_EVENT_BOUND);
	ck_assert_int_eq(ev.endpoint, 32776);
	ck_assert_int_eq(ev.pid, 4321);
	ck_assert_uint_eq(ev.timestamp_ns, 5000000123ULL);
	ck_assert_uint_eq(ev.seq, 9);
	ck_assert(!ev.has_status);
	ck_assert(!ev.has_other);
}
END_TEST

START_TEST(died_event)
{
	ck_assert_int_eq(decode_event(event_message(MXSYS_EVENT_DIED, 0)), 0);
	ck_assert(found);
	ck_assert_uint_eq(ev.type, MXSYS_EVENT_DIED);
	ck_assert(ev.has_status);
	ck_assert_int_eq(ev.status, 9);
	ck_assert(!ev.has_other);
}
END_TEST

START_TEST(swapped_event)
{
	ck_assert_int_eq(decode_event(event_message(MXSYS_EVENT_SWAPPED, 0)),
			 0);
	ck_assert(found);
	ck_assert(ev.has_other);
	ck_assert_int_eq(ev.other, 65544);
	ck_assert(!ev.has_status);
}
END_TEST

START_TEST(cleared_event_without_pid)
{
	ck_assert_int_eq(decode_event(event_message(MXSYS_EVENT_CLEARED,
						    NO_PID)), 0);
	ck_assert(found);
	ck_assert_uint_eq(ev.type, MXSYS_EVENT_CLEARED);
	ck_assert_int_eq(ev.pid, 0);
}
END_TEST

START_TEST(unknown_event_type_still_decodes)
{
	ck_assert_int_eq(decode_event(event_message(77, 0)), 0);
	ck_assert(found);
	ck_assert_uint_eq(ev.type, 77);
}
END_TEST

START_TEST(event_missing_attribute)
{
	static const unsigned int required[] = {
		NO_EVENT, NO_ENDPOINT, NO_TIMESTAMP, NO_SEQ,
	};
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		ck_assert_int_eq(decode_event(event_message(MXSYS_EVENT_BOUND,
							    required[i])),
				 EPROTO);
		ck_assert(!found);
		ck_assert_ptr_nonnull(strstr(err, "without attribute"));
	}
}
END_TEST

START_TEST(event_wrong_attribute_size)
{
	struct nl_msg *msg = event_message(MXSYS_EVENT_BOUND, NO_SEQ);
	uint8_t one_byte = 1;

	/* a u64 sequence number sent as one byte */
	ck_assert_int_eq(nla_put(msg, MXSYS_A_SEQ, 1, &one_byte), 0);
	ck_assert_int_eq(decode_event(msg), EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "malformed"));
}
END_TEST

START_TEST(event_unknown_attribute_ignored)
{
	struct nl_msg *msg = event_message(MXSYS_EVENT_BOUND, 0);

	/* a newer module may add attributes */
	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_MAX + 5, 1), 0);
	ck_assert_int_eq(decode_event(msg), 0);
	ck_assert(found);
}
END_TEST

START_TEST(not_an_event)
{
	struct nl_msg *msg = genl_message(0, FAMILY + 1, MXSYS_CMD_SLOT_EVENT);

	ck_assert_int_eq(decode_event(msg), 0);
	ck_assert(!found);
	msg = genl_message(0, FAMILY, MXSYS_CMD_SLOT_GET);
	ck_assert_int_eq(decode_event(msg), 0);
	ck_assert(!found);
	msg = nlmsg_alloc_simple(NLMSG_DONE, 0);
	ck_assert_int_eq(decode_event(msg), 0);
	ck_assert(!found);
}
END_TEST

START_TEST(event_truncated)
{
	struct nl_msg *msg = event_message(MXSYS_EVENT_BOUND, 0);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = (int)nlh->nlmsg_len;

	/* less received than the header claims: not a message, skipped */
	ck_assert_int_eq(slot_event_next(nlh, len - 4, FAMILY, &ev, &found,
					 &used, err), 0);
	ck_assert(!found);
	ck_assert_int_eq(used, len - 4);
	/* nothing left */
	ck_assert_int_eq(slot_event_next(nlh, 0, FAMILY, &ev, &found, &used,
					 err), 0);
	ck_assert(!found);
	ck_assert_int_eq(used, 0);
	/* a message of our family too short for its generic netlink header */
	nlh->nlmsg_len = NLMSG_LENGTH(2);
	ck_assert_int_eq(slot_event_next(nlh, (int)nlh->nlmsg_len, FAMILY, &ev,
					 &found, &used, err), EPROTO);
	nlmsg_free(msg);
}
END_TEST

/* Concatenate messages into one datagram, as the kernel may. */
static int datagram_of(unsigned char *buf, size_t size, struct nl_msg **msgs,
		       size_t n)
{
	size_t i, off = 0;

	memset(buf, 0, size);
	for (i = 0; i < n; i++) {
		struct nlmsghdr *nlh = nlmsg_hdr(msgs[i]);

		ck_assert_uint_le(off + NLMSG_ALIGN(nlh->nlmsg_len), size);
		memcpy(buf + off, nlh, nlh->nlmsg_len);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		nlmsg_free(msgs[i]);
	}
	return (int)off;
}

START_TEST(several_events_in_one_datagram)
{
	static unsigned char buf[4096];
	struct nl_msg *msgs[] = {
		event_message(MXSYS_EVENT_DIED, 0),
		genl_message(0, FAMILY + 1, 1),
		event_message(MXSYS_EVENT_CLEARED, NO_PID),
	};
	const unsigned char *p = buf;
	uint32_t types[3];
	int len, n = 0;

	len = datagram_of(buf, sizeof(buf), msgs, 3);
	while (len > 0) {
		ck_assert_int_eq(slot_event_next(p, len, FAMILY, &ev, &found,
						 &used, err), 0);
		ck_assert_int_gt(used, 0);
		ck_assert_int_le(used, len);
		if (found)
			types[n++] = ev.type;
		p += used;
		len -= used;
	}
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(types[0], MXSYS_EVENT_DIED);
	ck_assert_uint_eq(types[1], MXSYS_EVENT_CLEARED);
}
END_TEST

/* ---- answers to MXSYS_CMD_SLOT_GET ---- */

static enum slot_answer answer;
static struct slot_info slot;
static int error;

static struct nl_msg *slot_message(uint32_t seq, int32_t endpoint,
				   const char *name)
{
	struct nl_msg *msg = genl_message(seq, FAMILY, MXSYS_CMD_SLOT_GET);

	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_SLOT, 8), 0);
	if (endpoint >= 0)
		ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_ENDPOINT, endpoint),
				 0);
	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_STATE,
				     MXSYS_SLOT_STATE_BOUND), 0);
	if (name)
		ck_assert_int_eq(nla_put_string(msg, MXSYS_A_NAME, name), 0);
	put_u64(msg, MXSYS_A_CALL_MASK, 0x1234);
	return msg;
}

/* NLMSG_ERROR or NLMSG_DONE carrying error (negative or 0). */
static struct nl_msg *int_message(int type, uint32_t seq, int value)
{
	struct nl_msg *msg = nlmsg_alloc_simple(type, 0);
	size_t size = type == NLMSG_ERROR ? sizeof(struct nlmsgerr) :
		      sizeof(int);
	void *data;

	ck_assert_ptr_nonnull(msg);
	nlmsg_hdr(msg)->nlmsg_seq = seq;
	data = nlmsg_reserve(msg, size, NLMSG_ALIGNTO);
	ck_assert_ptr_nonnull(data);
	memset(data, 0, size);
	memcpy(data, &value, sizeof(value));
	return msg;
}

static int decode_answer(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = (int)nlh->nlmsg_len, r;

	memset(&slot, 0xaa, sizeof(slot));
	slot.fd_names = NULL;		/* no room for names: none are kept */
	slot.fd_names_max = 0;
	r = slot_answer_next(nlh, len, SEQ, FAMILY, &answer, &slot, &error,
			     &used, err);
	ck_assert_int_eq(used, len);
	nlmsg_free(msg);
	return r;
}

START_TEST(slot_answer)
{
	ck_assert_int_eq(decode_answer(slot_message(SEQ, 32776, "hello")), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_SLOT);
	ck_assert_int_eq(slot.endpoint, 32776);
	ck_assert_str_eq(slot.name, "hello");

	ck_assert_int_eq(decode_answer(slot_message(SEQ, 6, NULL)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_SLOT);
	ck_assert_int_eq(slot.endpoint, 6);
	ck_assert_str_eq(slot.name, "");

	/* the longest name the module sends */
	ck_assert_int_eq(decode_answer(slot_message(SEQ, 7,
						    "0123456789abcde")), 0);
	ck_assert_str_eq(slot.name, "0123456789abcde");
}
END_TEST

/* One slot asked by endpoint: its fd store's count and names, in order. */
START_TEST(slot_answer_fd_names)
{
	static const char *const stored[] = { "cuse", "listen.tcp", "conn.7" };
	char names[2][MXSYS_FD_NAME_LEN];
	struct nl_msg *msg = slot_message(SEQ, 32776, "kv");
	struct nlmsghdr *nlh;

	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_FD_COUNT, 3), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(nla_put_string(msg, MXSYS_A_FD_NAME, stored[i]), 0);
	nlh = nlmsg_hdr(msg);
	memset(&slot, 0, sizeof(slot));
	slot.fd_names = names;
	slot.fd_names_max = 2;	/* less room than names: the first two */
	ck_assert_int_eq(slot_answer_next(nlh, (int)nlh->nlmsg_len, SEQ, FAMILY,
					  &answer, &slot, &error, &used, err), 0);
	nlmsg_free(msg);
	ck_assert_int_eq(answer, SLOT_ANSWER_SLOT);
	ck_assert_str_eq(slot.name, "kv");
	ck_assert_uint_eq(slot.fd_count, 3);
	ck_assert_uint_eq(slot.nr_fd_names, 2);
	ck_assert_str_eq(names[0], "cuse");
	ck_assert_str_eq(names[1], "listen.tcp");
}
END_TEST

START_TEST(fd_event_names_the_file)
{
	struct nl_msg *msg = event_message(MXSYS_EVENT_FD_STORED, 0);

	ck_assert_int_eq(nla_put_string(msg, MXSYS_A_FD_NAME, "listen.tcp"), 0);
	ck_assert_int_eq(decode_event(msg), 0);
	ck_assert(found);
	ck_assert_uint_eq(ev.type, MXSYS_EVENT_FD_STORED);
	ck_assert_str_eq(ev.fd_name, "listen.tcp");
}
END_TEST

START_TEST(slot_answer_malformed)
{
	struct nl_msg *msg;

	ck_assert_int_eq(decode_answer(slot_message(SEQ, -1, "x")), EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "without an endpoint"));
	/* longer than MXSYS_NAME_LEN with its NUL */
	ck_assert_int_eq(decode_answer(slot_message(SEQ, 7,
						    "0123456789abcdef")),
			 EPROTO);
	/* a name without its NUL */
	msg = slot_message(SEQ, 7, NULL);
	ck_assert_int_eq(nla_put(msg, MXSYS_A_NAME, 3, "abc"), 0);
	ck_assert_int_eq(decode_answer(msg), EPROTO);
	/* an error too short for its struct nlmsgerr */
	msg = int_message(NLMSG_ERROR, SEQ, -ENOENT);
	nlmsg_hdr(msg)->nlmsg_len = NLMSG_LENGTH(4);
	ck_assert_int_eq(decode_answer(msg), EPROTO);
	/* a done without its int */
	msg = nlmsg_alloc_simple(NLMSG_DONE, 0);
	nlmsg_hdr(msg)->nlmsg_seq = SEQ;
	ck_assert_int_eq(decode_answer(msg), EPROTO);
}
END_TEST

START_TEST(slot_refused_and_done)
{
	ck_assert_int_eq(decode_answer(int_message(NLMSG_ERROR, SEQ, -ENOENT)),
			 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_ERROR);
	ck_assert_int_eq(error, ENOENT);
	/* an ACK is not an answer */
	ck_assert_int_eq(decode_answer(int_message(NLMSG_ERROR, SEQ, 0)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_OTHER);
	ck_assert_int_eq(decode_answer(int_message(NLMSG_DONE, SEQ, 0)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_DONE);
	ck_assert_int_eq(decode_answer(int_message(NLMSG_DONE, SEQ, -EINVAL)),
			 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_ERROR);
	ck_assert_int_eq(error, EINVAL);
}
END_TEST

START_TEST(slot_answer_not_ours)
{
	ck_assert_int_eq(decode_answer(slot_message(SEQ + 1, 8, "x")), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_OTHER);
	ck_assert_int_eq(decode_answer(int_message(NLMSG_ERROR, SEQ - 1,
						   -ENOENT)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_OTHER);
	ck_assert_int_eq(decode_answer(genl_message(SEQ, FAMILY,
						    MXSYS_CMD_SLOT_EVENT)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_OTHER);
	ck_assert_int_eq(decode_answer(genl_message(SEQ, FAMILY + 1,
						    MXSYS_CMD_SLOT_GET)), 0);
	ck_assert_int_eq(answer, SLOT_ANSWER_OTHER);
}
END_TEST

START_TEST(dump_in_one_datagram)
{
	static unsigned char buf[4096];
	struct nl_msg *msgs[] = {
		slot_message(SEQ, 2, "rs"),
		slot_message(SEQ, 6, "ds"),
		int_message(NLMSG_DONE, SEQ, 0),
	};
	const unsigned char *p = buf;
	struct slot_info slots[2];
	int len, n = 0;
	bool done = false;

	len = datagram_of(buf, sizeof(buf), msgs, 3);
	while (len > 0) {
		ck_assert_int_eq(slot_answer_next(p, len, SEQ, FAMILY, &answer,
						  &slot, &error, &used, err),
				 0);
		if (answer == SLOT_ANSWER_SLOT)
			slots[n++] = slot;
		done = answer == SLOT_ANSWER_DONE;
		p += used;
		len -= used;
	}
	ck_assert(done);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(slots[0].name, "rs");
	ck_assert_int_eq(slots[1].endpoint, 6);
}
END_TEST

static Suite *event_suite(void)
{
	Suite *s = suite_create("service_event");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, event_names);
	tcase_add_test(tc, bound_event);
	tcase_add_test(tc, died_event);
	tcase_add_test(tc, swapped_event);
	tcase_add_test(tc, cleared_event_without_pid);
	tcase_add_test(tc, unknown_event_type_still_decodes);
	tcase_add_test(tc, event_missing_attribute);
	tcase_add_test(tc, event_wrong_attribute_size);
	tcase_add_test(tc, event_unknown_attribute_ignored);
	tcase_add_test(tc, not_an_event);
	tcase_add_test(tc, event_truncated);
	tcase_add_test(tc, several_events_in_one_datagram);
	tcase_add_test(tc, slot_answer);
	tcase_add_test(tc, slot_answer_fd_names);
	tcase_add_test(tc, fd_event_names_the_file);
	tcase_add_test(tc, slot_answer_malformed);
	tcase_add_test(tc, slot_refused_and_done);
	tcase_add_test(tc, slot_answer_not_ours);
	tcase_add_test(tc, dump_in_one_datagram);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(event_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
