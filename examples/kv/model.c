/* SPDX-License-Identifier: MIT */
/* kv-load's model of the store: see model.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int kv_mix_parse(const char *text, struct kv_mix *mix)
{
	char buf[128], *save, *tok;
	unsigned int sum = 0;

	memset(mix, 0, sizeof(*mix));
	if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned int *slot, pct;
		char name[8], end;

		if (sscanf(tok, "%7[a-z]=%u%c", name, &pct, &end) != 2 ||
		    pct > 100)
			return -1;
		if (!strcmp(name, "get"))
			slot = &mix->get;
		else if (!strcmp(name, "set"))
			slot = &mix->set;
		else if (!strcmp(name, "incr"))
			slot = &mix->incr;
		else if (!strcmp(name, "del"))
			slot = &mix->del;
		else
			return -1;
		*slot = pct;
		sum += pct;
	}
	return sum == 100 ? 0 : -1;
}

int kv_model_init(struct kv_model *m, const char *prefix, size_t nkeys)
{
	m->nkeys = nkeys;
	m->keys = calloc(nkeys ? nkeys : 1, sizeof(*m->keys));
	if (!m->keys)
		return -1;
	for (size_t i = 0; i < nkeys; i++)
		snprintf(m->keys[i].name, sizeof(m->keys[i].name), "%.40s-%zu",
			 prefix, i);
	return 0;
}

void kv_model_free(struct kv_model *m)
{
	free(m->keys);
	m->keys = NULL;
	m->nkeys = 0;
}

void kv_model_request(const struct kv_model *m, size_t k,
		      const struct kv_mix *mix, unsigned int r, uint64_t v,
		      struct kv_request *req)
{
	const struct kv_model_key *key = &m->keys[k];
	int64_t cur;

	memset(req, 0, sizeof(*req));
	snprintf(req->key, sizeof(req->key), "%s", key->name);
	if (r < mix->get) {
		req->op = KV_GET;
	} else if (r < mix->get + mix->set) {
		req->op = KV_SET;
		snprintf(req->value, sizeof(req->value), "v%" PRIu64, v);
	} else if (r < mix->get + mix->set + mix->incr) {
		/* INCR on a key holding a word would be refused: SET a number. */
		if (key->exists && kv_parse_i64(key->value, &cur)) {
			req->op = KV_SET;
			snprintf(req->value, sizeof(req->value), "%" PRIu64,
				 v % 1000);
		} else {
			req->op = KV_INCR;
			req->delta = (int64_t)(v % 10) + 1;
		}
	} else {
		req->op = KV_DEL;
	}
}

static int wrong(char *why, size_t len, const char *what,
		 const struct kv_model_key *key)
{
	snprintf(why, len, "%s (model: %s%s)", what,
		 key->exists ? "holds " : "absent", key->exists ? key->value : "");
	return -1;
}

int kv_model_check(struct kv_model *m, size_t k, const struct kv_request *req,
		   const struct kv_reply *rep, char *why, size_t whylen)
{
	struct kv_model_key *key = &m->keys[k];
	char want[KV_VALUE_MAX + 1];
	int64_t cur = 0;

	if (rep->id != req->id)
		return wrong(why, whylen, "reply to another id", key);
	switch (req->op) {
	case KV_GET:
		if (rep->status == KV_R_VALUE && key->exists &&
		    !strcmp(rep->text, key->value))
			return 0;
		if (rep->status == KV_R_NOTFOUND && !key->exists)
			return 0;
		if (rep->status == KV_R_VALUE) {
			key->exists = 1;
			snprintf(key->value, sizeof(key->value), "%s", rep->text);
			return wrong(why, whylen, "GET: another value", key);
		}
		if (rep->status == KV_R_NOTFOUND) {
			wrong(why, whylen, "GET: not found", key);
			key->exists = 0;
			return -1;
		}
		return wrong(why, whylen, "GET: an error", key);
	case KV_SET:
		if (rep->status != KV_R_OK)
			return wrong(why, whylen, "SET: not OK", key);
		key->exists = 1;
		snprintf(key->value, sizeof(key->value), "%s", req->value);
		return 0;
	case KV_INCR:
		if (key->exists)
			kv_parse_i64(key->value, &cur);
		snprintf(want, sizeof(want), "%" PRId64, cur + req->delta);
		if (rep->status != KV_R_VALUE)
			return wrong(why, whylen, "INCR: no value", key);
		if (strcmp(rep->text, want)) {
			wrong(why, whylen, "INCR: another sum", key);
			snprintf(key->value, sizeof(key->value), "%s", rep->text);
			key->exists = 1;
			return -1;
		}
		key->exists = 1;
		snprintf(key->value, sizeof(key->value), "%s", want);
		return 0;
	case KV_DEL:
		if (rep->status == KV_R_DELETED && key->exists) {
			key->exists = 0;
			return 0;
		}
		if (rep->status == KV_R_NOTFOUND && !key->exists)
			return 0;
		if (rep->status == KV_R_DELETED || rep->status == KV_R_NOTFOUND) {
			wrong(why, whylen, "DEL: wrong existence", key);
			key->exists = 0;
			return -1;
		}
		return wrong(why, whylen, "DEL: an error", key);
	}
	return wrong(why, whylen, "unknown request", key);
}
