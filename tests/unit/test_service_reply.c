// SPDX-License-Identifier: MIT
/*
 * Unit tests of minix-service's decoding of the module's answers
 * (tools/service/reply.c), on messages built with libnl as the kernel
 * would send them.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <mxsys.h>

#include "../../tools/service/reply.h"

#define FAMILY	33
#define SEQ	1234

static struct rs_reply reply;
static bool answered;
static char err[SERVICE_ERRLEN];

static struct nl_msg *genl_message(uint32_t seq, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(genlmsg_put(msg, 0, seq, FAMILY, 0, 0, cmd,
					  MXSYS_GENL_VERSION));
	return msg;
}

static struct nl_msg *error_message(uint32_t seq, int error)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	struct nlmsgerr *nle;

	ck_assert_ptr_nonnull(msg);
	nlmsg_hdr(msg)->nlmsg_seq = seq;
	nle = nlmsg_reserve(msg, sizeof(*nle), NLMSG_ALIGNTO);
	ck_assert_ptr_nonnull(nle);
	memset(nle, 0, sizeof(*nle));
	nle->error = error;
	nle->msg.nlmsg_seq = seq;
	return msg;
}

static int decode(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int r;

	memset(&reply, 0xaa, sizeof(reply));
	r = rs_reply_decode(nlh, (int)nlh->nlmsg_len, SEQ, FAMILY, &reply,
			    &answered, err);
	nlmsg_free(msg);
	return r;
}

static struct rs_reply sample_reply(void)
{
	struct rs_reply r;

	memset(&r, 0, sizeof(r));
	r.result = -EBUSY;
	strcpy(r.status.label, "hello");
	r.status.endpoint = 40000;
	return r;
}

START_TEST(payload_reply)
{
	struct nl_msg *msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REPLY);
	struct rs_reply sent = sample_reply();

	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_REQUEST_ID, 7), 0);
	ck_assert_int_eq(nla_put(msg, MXSYS_A_PAYLOAD, sizeof(sent), &sent), 0);
	ck_assert_int_eq(decode(msg), 0);
	ck_assert(answered);
	ck_assert_int_eq(reply.result, -EBUSY);
	ck_assert_str_eq(reply.status.label, "hello");
	ck_assert_int_eq(reply.status.endpoint, 40000);
}
END_TEST

START_TEST(other_sequence_ignored)
{
	struct nl_msg *msg = genl_message(SEQ + 1, MXSYS_CMD_SERVICE_REPLY);
	struct rs_reply sent = sample_reply();

	ck_assert_int_eq(nla_put(msg, MXSYS_A_PAYLOAD, sizeof(sent), &sent), 0);
	ck_assert_int_eq(decode(msg), 0);
	ck_assert(!answered);

	ck_assert_int_eq(decode(error_message(SEQ + 1, -ESRCH)), 0);
	ck_assert(!answered);
}
END_TEST

START_TEST(other_family_or_command_ignored)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct rs_reply sent = sample_reply();

	ck_assert_ptr_nonnull(genlmsg_put(msg, 0, SEQ, FAMILY + 1, 0, 0,
					  MXSYS_CMD_SERVICE_REPLY, 1));
	ck_assert_int_eq(nla_put(msg, MXSYS_A_PAYLOAD, sizeof(sent), &sent), 0);
	ck_assert_int_eq(decode(msg), 0);
	ck_assert(!answered);

	msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REQUEST);
	ck_assert_int_eq(decode(msg), 0);
	ck_assert(!answered);
}
END_TEST

START_TEST(no_rs_registered)
{
	ck_assert_int_eq(decode(error_message(SEQ, -ESRCH)), ESRCH);
	ck_assert(answered);
	ck_assert_str_eq(err, "rs-daemon is not running");
}
END_TEST

START_TEST(module_refusal_is_the_requests_error)
{
	ck_assert_int_eq(decode(error_message(SEQ, -EPERM)), EPERM);
	ck_assert(answered);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(ack_is_not_an_answer)
{
	ck_assert_int_eq(decode(error_message(SEQ, 0)), 0);
	ck_assert(!answered);
}
END_TEST

START_TEST(rs_went_away)
{
	struct nl_msg *msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REPLY);

	ck_assert_int_eq(nla_put_s32(msg, MXSYS_A_ERROR, -ESRCH), 0);
	ck_assert_int_eq(decode(msg), ESRCH);
	ck_assert(answered);
	ck_assert_ptr_nonnull(strstr(err, "went away"));
}
END_TEST

START_TEST(bad_payload_size)
{
	struct nl_msg *msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REPLY);
	char short_payload[sizeof(struct rs_reply) - 4] = { 0 };

	ck_assert_int_eq(nla_put(msg, MXSYS_A_PAYLOAD, sizeof(short_payload),
				 short_payload), 0);
	ck_assert_int_eq(decode(msg), EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "expected"));
}
END_TEST

START_TEST(reply_without_payload)
{
	struct nl_msg *msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REPLY);

	ck_assert_int_eq(nla_put_u32(msg, MXSYS_A_REQUEST_ID, 7), 0);
	ck_assert_int_eq(decode(msg), EPROTO);
}
END_TEST

START_TEST(bad_attribute_type)
{
	struct nl_msg *msg = genl_message(SEQ, MXSYS_CMD_SERVICE_REPLY);
	uint8_t one_byte = 1;

	/* MXSYS_A_ERROR must be an s32; the policy rejects a u8. */
	ck_assert_int_eq(nla_put(msg, MXSYS_A_ERROR, 1, &one_byte), 0);
	ck_assert_int_eq(decode(msg), EPROTO);
}
END_TEST

START_TEST(truncated_datagram)
{
	struct nl_msg *msg = error_message(SEQ, -ESRCH);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int r;

	/* A header that claims more than was received is not a message. */
	r = rs_reply_decode(nlh, (int)nlh->nlmsg_len - 4, SEQ, FAMILY, &reply,
			    &answered, err);
	ck_assert_int_eq(r, 0);
	ck_assert(!answered);
	/* A message too short for its nlmsgerr is malformed. */
	nlh->nlmsg_len = NLMSG_LENGTH(4);
	r = rs_reply_decode(nlh, (int)nlh->nlmsg_len, SEQ, FAMILY, &reply,
			    &answered, err);
	ck_assert_int_eq(r, EPROTO);
	nlmsg_free(msg);
}
END_TEST

START_TEST(answer_after_unrelated_message)
{
	/* Two messages in one datagram: a stale one, then ours. */
	struct nl_msg *stale = error_message(SEQ - 1, -ESRCH);
	struct nl_msg *ours = error_message(SEQ, -EPERM);
	size_t a = nlmsg_hdr(stale)->nlmsg_len, b = nlmsg_hdr(ours)->nlmsg_len;
	char *buf = malloc(NLMSG_ALIGN(a) + b);
	int r;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 0, NLMSG_ALIGN(a));
	memcpy(buf, nlmsg_hdr(stale), a);
	memcpy(buf + NLMSG_ALIGN(a), nlmsg_hdr(ours), b);
	r = rs_reply_decode(buf, (int)(NLMSG_ALIGN(a) + b), SEQ, FAMILY,
			    &reply, &answered, err);
	ck_assert_int_eq(r, EPERM);
	ck_assert(answered);
	free(buf);
	nlmsg_free(stale);
	nlmsg_free(ours);
}
END_TEST

START_TEST(verdict_exit_status)
{
	struct rs_reply r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(rs_reply_error(&r), 0);
	ck_assert_int_eq(rs_reply_exit_status(&r), 0);

	/* Linux numbers where Linux has the error, MINIX's above 200 */
	r.result = -ERESTART;
	ck_assert_int_eq(rs_reply_exit_status(&r), 85);
	r.result = -ENOSYS;
	ck_assert_int_eq(rs_reply_exit_status(&r), 38);
	r.result = -EINTR;
	ck_assert_int_eq(rs_reply_exit_status(&r), 4);
	r.result = -EBUSY;
	ck_assert_int_eq(rs_reply_exit_status(&r), 16);
	r.result = -EPERM;
	ck_assert_int_eq(rs_reply_exit_status(&r), 1);
	r.result = -MXSYS_EDEADEPT;
	ck_assert_int_eq(rs_reply_error(&r), MXSYS_EDEADEPT);
	ck_assert_int_eq(rs_reply_exit_status(&r), 215);

	/* a system.conf error is exit status 1, whatever the error */
	r.result = -EINVAL;
	r.flags = RS_REPLY_CONFIG_ERROR;
	ck_assert_int_eq(rs_reply_error(&r), EINVAL);
	ck_assert_int_eq(rs_reply_exit_status(&r), 1);
	r.result = 0;
	ck_assert_int_eq(rs_reply_exit_status(&r), 1);

	/* nonsense from RS is a protocol error, never success */
	r.flags = 0;
	r.result = 5;
	ck_assert_int_eq(rs_reply_error(&r), EPROTO);
	r.result = INT32_MIN;
	ck_assert_int_eq(rs_reply_error(&r), EPROTO);
	r.result = -100000;
	ck_assert_int_eq(rs_reply_exit_status(&r), EPROTO);
	/* an error number that does not fit an exit status */
	r.result = -300;
	ck_assert_int_eq(rs_reply_exit_status(&r), MXSYS_EGENERIC);
}
END_TEST

START_TEST(verdict_message)
{
	char text[RS_REPLY_MESSAGE_LEN];
	struct rs_reply r;

	memset(&r, 0, sizeof(r));
	rs_reply_message(&r, text);
	ck_assert_str_eq(text, "");
	strcpy(r.message, "service 'x' not found in '/etc/x.conf'");
	rs_reply_message(&r, text);
	ck_assert_str_eq(text, "service 'x' not found in '/etc/x.conf'");
	/* RS's message without its NUL stays inside the field */
	memset(r.message, 'm', sizeof(r.message));
	rs_reply_message(&r, text);
	ck_assert_uint_eq(strlen(text), sizeof(r.message));
}
END_TEST

static Suite *reply_suite(void)
{
	Suite *s = suite_create("service_reply");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, payload_reply);
	tcase_add_test(tc, other_sequence_ignored);
	tcase_add_test(tc, other_family_or_command_ignored);
	tcase_add_test(tc, no_rs_registered);
	tcase_add_test(tc, module_refusal_is_the_requests_error);
	tcase_add_test(tc, ack_is_not_an_answer);
	tcase_add_test(tc, rs_went_away);
	tcase_add_test(tc, bad_payload_size);
	tcase_add_test(tc, reply_without_payload);
	tcase_add_test(tc, bad_attribute_type);
	tcase_add_test(tc, truncated_datagram);
	tcase_add_test(tc, answer_after_unrelated_message);
	tcase_add_test(tc, verdict_exit_status);
	tcase_add_test(tc, verdict_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reply_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
