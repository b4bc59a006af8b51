/* SPDX-License-Identifier: MIT */
/*
 * One client connection's protocol state, kept where a crash cannot take
 * it: kv-server lays these records in a memfd that its fd store keeps, so
 * the next instance finds them as the dead one left them, byte for byte.
 * Pure: no I/O but the store's calls.
 *
 * Every request goes through the same steps, each one a single store to
 * the record (which a kill cannot tear) or idempotent, so that the next
 * instance can finish whatever step a crash interrupted (kv_conn_recover):
 *
 *   read      bytes go straight into in[cur], whose tail is kept zeroed:
 *             the input's length is its strlen, so bytes a crash caught
 *             between read() and our bookkeeping are not lost;
 *   intent    the request parsed, the write it makes (an absolute value:
 *             INCR's sum, not "+1") and its reply are written to pend,
 *             then pend.phase = APPLYING commits them;
 *   apply     the write goes to the store (idempotent: redone after a
 *             crash, it leaves the same value);
 *   record    pend is copied to done, the last-reply record (idempotent);
 *   consume   the line leaves the input: the rest is copied to the other
 *             buffer and cur flips (one store);
 *   settle    pend.phase = NONE;
 *   reply     done.reply goes out; done.sent counts what went.
 *
 * A request whose id is done.id (the client retried it, on a timeout) is
 * answered from done again, not applied. So each request is applied once,
 * and its reply comes from that one application.
 */
#ifndef KV_CONN_H
#define KV_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "store.h"

enum kv_pend_phase { KV_PEND_NONE = 0, KV_PEND_APPLYING = 1 };
/* The write a request makes. */
enum kv_write { KV_W_NONE = 0, KV_W_SET, KV_W_DEL };

struct kv_conn {
	uint32_t in_use;		/* the server's table; 0 here */
	uint32_t cur;			/* in[cur] is the input */
	char in[2][KV_LINE_MAX + 1];	/* NUL-filled past the input */
	uint32_t closing;		/* a fatal error: reply, then close */
	struct {
		uint32_t phase;		/* enum kv_pend_phase */
		uint32_t write;		/* enum kv_write */
		uint64_t id;
		char key[KV_KEY_MAX + 1];
		char value[KV_VALUE_MAX + 1];
		uint32_t reply_len;
		char reply[KV_REPLY_MAX];
	} pend;
	struct {
		uint32_t valid;
		uint32_t len;
		uint32_t sent;
		uint64_t id;
		char reply[KV_REPLY_MAX];
		/* Before each send: the socket's count of bytes written so
		 * far, where the socket has one (TCP), and sent then. */
		uint32_t mark_valid;
		uint32_t mark_sent;
		uint64_t mark;
	} done;
};

enum kv_step {
	KV_STEP_IDLE,		/* nothing to do until more input comes */
	KV_STEP_REPLY,		/* output pending: send it, then step again */
	KV_STEP_CLOSE,		/* send the output pending, then close */
};

void kv_conn_init(struct kv_conn *c);

/* Where the next read goes, and how much fits (0: the input is full). */
size_t kv_conn_input_space(struct kv_conn *c, char **space);
/* Bytes of input not yet a whole request (a partial one). */
size_t kv_conn_input_length(const struct kv_conn *c);

/*
 * Finish what a crash of the previous instance interrupted (the steps
 * above). Returns 1 when it redid a write, else 0.
 */
int kv_conn_recover(struct kv_conn *c, struct kv_store *s);

/* Handle the next whole request, if no reply is still going out. */
enum kv_step kv_conn_step(struct kv_conn *c, struct kv_store *s);

/* The reply still to send (its length; 0: none). */
size_t kv_conn_output(const struct kv_conn *c, const char **out);
/*
 * Around each send: kv_conn_sending() with the socket's count of bytes
 * written (TCP's: see server.c), or with have_count 0 where the socket
 * keeps none (UNIX); then kv_conn_sent() with what send() took.
 */
void kv_conn_sending(struct kv_conn *c, int have_count, uint64_t count);
void kv_conn_sent(struct kv_conn *c, size_t n);
/*
 * After a crash, before the reply goes out again: the socket's count now.
 * A send the dead instance made but did not note (it died on the way back
 * from send()) is noted, so that its bytes do not go twice. Without a
 * count, the reply goes again from what was noted: the client may get it
 * twice, and drops the second by its id.
 */
void kv_conn_recover_output(struct kv_conn *c, int have_count,
			    uint64_t count);

/*
 * Tests: called at each numbered point between two steps, so that a test
 * can end the "process" there (longjmp) and check what recovery makes of
 * the record. NULL in kv-server.
 */
extern void (*kv_conn_crash_point)(int point);
#define KV_CRASH_POINTS	6

/*
 * Apply one parsed request against the store: the reply it gets and the
 * write it makes (into w, key and value; value holds INCR's new sum).
 * Exposed for the tests.
 */
void kv_conn_evaluate(const struct kv_request *req, struct kv_store *s,
		      struct kv_reply *rep, enum kv_write *w, char *value);

#endif /* KV_CONN_H */
