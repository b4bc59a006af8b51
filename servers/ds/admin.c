// SPDX-License-Identifier: MIT
/*
 * DS_ADMIN: root's view of the whole store, through RS. RS checked that
 * the requester is root; DS checks that the request comes from RS. The
 * request and its answer travel in RS's grant of a struct ds_admin.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <minix/ds_admin.h>
#include <minix/errors.h>
#include <minix/safecopies.h>
#include <minix/syslib.h>

#include "admin.h"

/* Types get and del try when none is given, in this order. */
static const uint32_t any_type[] = {
	DSF_TYPE_U32, DSF_TYPE_STR, DSF_TYPE_MEM, DSF_TYPE_LABEL,
};

static void describe(const struct ds_entry *e, struct ds_admin *out)
{
	size_t n = e->len < sizeof(out->data) ? e->len : sizeof(out->data);

	out->type = e->flags & DSF_MASK_TYPE;
	out->value = e->value;
	out->len = e->len;	/* the full length: the tool tells what is cut */
	snprintf(out->key, sizeof(out->key), "%s", e->key);
	snprintf(out->owner, sizeof(out->owner), "%s", e->owner);
	memset(out->data, 0, sizeof(out->data));
	if (n)
		memcpy(out->data, e->data, n);
}

struct walk {
	const regex_t *re;
	uint32_t cursor, at;
	const struct ds_entry *found;
};

static bool list_one(const struct ds_entry *e, void *arg)
{
	struct walk *w = arg;

	if (w->at++ < w->cursor)
		return true;
	if (w->re && regexec(w->re, e->key, 0, NULL, 0) != 0)
		return true;
	w->found = e;
	return false;
}

int ds_admin_list(const struct ds_store *store, const regex_t *re,
		  uint32_t cursor, struct ds_admin *out)
{
	struct walk w = { .re = re, .cursor = cursor };

	ds_store_foreach(store, list_one, &w);
	if (!w.found)
		return -ENOENT;
	describe(w.found, out);
	out->cursor = w.at;
	return OK;
}

static int do_list(const struct ds_store *store, struct ds_admin *rq)
{
	char anchored[DS_MAX_KEYLEN + 8];
	regex_t re;
	int r;

	if (!rq->key[0])
		return ds_admin_list(store, NULL, rq->cursor, rq);
	/* Anchored at both ends, as ds_subscribe's patterns. */
	snprintf(anchored, sizeof(anchored), "^(%s)$", rq->key);
	if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0)
		return -EINVAL;
	r = ds_admin_list(store, &re, rq->cursor, rq);
	regfree(&re);
	return r;
}

static int do_get(const struct ds_store *store, struct ds_admin *rq)
{
	for (size_t i = 0; i < sizeof(any_type) / sizeof(any_type[0]); i++) {
		const struct ds_entry *e;

		if (rq->type && rq->type != any_type[i])
			continue;
		e = ds_store_lookup(store, rq->key, any_type[i]);
		if (e) {
			describe(e, rq);
			return OK;
		}
	}
	return -ESRCH;
}

static int do_del(struct ds_store *store, const struct ds_admin *rq)
{
	int result = -ESRCH;

	for (size_t i = 0; i < sizeof(any_type) / sizeof(any_type[0]); i++) {
		int r;

		if (rq->type ? rq->type != any_type[i] :
			       any_type[i] == DSF_TYPE_LABEL)
			continue;
		r = ds_store_admin_delete(store, rq->key, any_type[i]);
		if (r != -ESRCH)
			result = r;
		if (r != OK && r != -ESRCH)
			break;
	}
	return result;
}

static int serve(struct ds_store *store, struct ds_admin *rq,
		 const struct ds_admin_journal *jnl)
{
	int r = ds_admin_check(rq);

	if (r != OK)
		return r;
	switch (rq->op) {
	case DS_ADMIN_LIST:
		return do_list(store, rq);
	case DS_ADMIN_GET:
		return do_get(store, rq);
	case DS_ADMIN_SET:
		r = jnl->reserve(rq->type == DSF_TYPE_STR ? rq->len : 0);
		if (r != OK)
			return -ENOMEM;
		r = ds_store_admin_set(store, rq->key, rq->type, rq->value,
				       rq->data, rq->len);
		jnl->commit();
		return r;
	default: /* DS_ADMIN_DEL */
		r = jnl->reserve(0);
		if (r != OK)
			return -ENOMEM;
		r = do_del(store, rq);
		jnl->commit();
		return r;
	}
}

int ds_admin_request(struct ds_store *store, const message *m,
		     const struct ds_admin_journal *jnl)
{
	struct ds_admin rq;
	message reply;
	int result, r;

	if (m->m_source != RS_PROC_NR) {
		fprintf(stderr, "ds: admin request from endpoint %d refused: "
			"only RS may send one\n", m->m_source);
		return -EPERM;
	}
	result = sys_safecopyfrom(m->m_source, m->m_ds.val_grant, 0,
				  (vir_bytes)&rq, sizeof(rq));
	if (result == OK) {
		result = serve(store, &rq, jnl);
		if (result == OK)
			result = sys_safecopyto(m->m_source,
						m->m_ds.val_grant, 0,
						(vir_bytes)&rq, sizeof(rq));
	}
	memset(&reply, 0, sizeof(reply));
	reply.m_type = DS_ADMIN_REPLY;
	reply.m_ds.seq = m->m_ds.seq;
	reply.m_ds.val_u32 = (uint32_t)result;
	r = asynsend3(RS_PROC_NR, &reply, AMF_NOREPLY);
	if (r != OK)
		fprintf(stderr, "ds: cannot answer RS's admin request %u: %s\n",
			m->m_ds.seq, sef_strerror(r));
	return OK;
}
