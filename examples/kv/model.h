/* SPDX-License-Identifier: MIT */
/*
 * kv-load's model of the store: what each key must hold after the
 * requests answered so far. Each connection of the load generator owns its
 * keys and has one request out at a time, so the model is exact: every
 * reply has one right answer. Pure: no I/O.
 */
#ifndef KV_MODEL_H
#define KV_MODEL_H

#include <stddef.h>

#include "proto.h"

struct kv_model_key {
	char name[KV_KEY_MAX + 1];
	int exists;
	char value[KV_VALUE_MAX + 1];
};

struct kv_model {
	size_t nkeys;
	struct kv_model_key *keys;
};

/* The mix of operations, in percent (they add up to 100). */
struct kv_mix {
	unsigned int get, set, incr, del;
};

/* "get=40,set=30,incr=20,del=10" (missing ones are 0); 0 or -1. */
int kv_mix_parse(const char *text, struct kv_mix *mix);

/* nkeys keys named PREFIX-N (all absent); 0 or -1 (no memory). */
int kv_model_init(struct kv_model *m, const char *prefix, size_t nkeys);
void kv_model_free(struct kv_model *m);

/*
 * The next request on key k: an operation drawn by r (0 .. 99) from the
 * mix; SET's value and INCR's delta from v.
 */
void kv_model_request(const struct kv_model *m, size_t k,
		      const struct kv_mix *mix, unsigned int r, uint64_t v,
		      struct kv_request *req);

/*
 * Check a reply to req (on key k) against the model and apply it: 0 when
 * it is the one right answer, else -1 with why (the model then takes the
 * server's word, so that one wrong answer is counted once).
 */
int kv_model_check(struct kv_model *m, size_t k, const struct kv_request *req,
		   const struct kv_reply *rep, char *why, size_t whylen);

#endif /* KV_MODEL_H */
