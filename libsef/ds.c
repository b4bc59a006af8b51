/* SPDX-License-Identifier: MIT */
/*
 * Data Store client: each call is one blocking request to DS (the
 * message layout is in <minix/ipc.h>). Short keys travel inline, long
 * keys and every STR/MEM value by grant, as in MINIX.
 *
 * Exactly once: a changing request carries this process's nonce and a
 * sequence number. When DS dies holding a request, the caller's sendrec
 * fails with EDEADSRCDST and the same message is sent again, to DS's
 * successor (same endpoint); DS keeps the last results per client with
 * its data and answers a request it already did with its first result.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/safecopies.h>

#include "sef_internal.h"

/* How long a caller waits for DS to come back before it is told. */
#define DS_RETRY_MS	60000

static atomic_uint ds_seq;
/* For the debug dump: requests made, and answered with an error. */
static atomic_uint ds_calls, ds_errors;
static _Atomic uint32_t ds_nonce;
static pthread_once_t ds_nonce_once = PTHREAD_ONCE_INIT;

/*
 * A nonce per process, picked at the first changing request and again in
 * a forked child (a different client), so that threads share one and no
 * request pays for a getpid().
 */
static void nonce_pick(void)
{
	uint32_t n;

	do {
		if (getrandom(&n, sizeof(n), 0) != sizeof(n))
			n = (uint32_t)getpid() ^ (uint32_t)time(NULL) << 16;
	} while (!n);
	atomic_store(&ds_nonce, n);
}

static void nonce_init(void)
{
	nonce_pick();
	pthread_atfork(NULL, NULL, nonce_pick);
}

static uint32_t nonce(void)
{
	pthread_once(&ds_nonce_once, nonce_init);
	return atomic_load(&ds_nonce);
}

static int key_length(const char *key, size_t *len)
{
	if (!key)
		return -EINVAL;
	*len = strnlen(key, DS_MAX_KEYLEN);
	return *len >= 1 && *len < DS_MAX_KEYLEN ? OK : -EINVAL;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* sendrec, again while DS is being restarted; m is kept for the retry. */
static int ds_sendrec(message *m)
{
	uint64_t deadline = now_ms() + DS_RETRY_MS;
	unsigned int backoff_us = 0;
	message sent = *m;
	int r;

	for (;;) {
		*m = sent;
		r = ipc_sendrec(DS_PROC_NR, m);
		if (r != -EDEADSRCDST || now_ms() >= deadline)
			return r == OK ? m->m_type : r;
		if (backoff_us)
			usleep(backoff_us);
		backoff_us = backoff_us ? backoff_us * 2 : 1000;
		if (backoff_us > 50000)
			backoff_us = 50000;
	}
}

/* A request: key inline or by grant, an optional value grant. */
struct ds_call {
	message m;
	cp_grant_id_t key_grant, val_grant;
};

static int call_key(struct ds_call *c, int type, const char *key,
		    uint32_t flags, bool changes)
{
	size_t len;
	int r;

	/* First: call_end() runs on every way out. */
	memset(c, 0, sizeof(*c));
	c->key_grant = c->val_grant = GRANT_INVALID;
	r = key_length(key, &len);
	if (r != OK)
		return r;
	c->m.m_type = type;
	c->m.m_ds.flags = flags;
	c->m.m_ds.owner = NONE;
	c->m.m_ds.key_grant = GRANT_INVALID;
	c->m.m_ds.val_grant = GRANT_INVALID;
	if (changes) {
		c->m.m_ds.nonce = nonce();
		c->m.m_ds.seq = atomic_fetch_add(&ds_seq, 1) + 1;
	}
	if (len < DS_INLINE_KEYLEN) {
		memcpy(c->m.m_ds.key, key, len + 1);
		return OK;
	}
	c->key_grant = cpf_grant_direct(DS_PROC_NR, (vir_bytes)key, len + 1,
					CPF_READ);
	if (!GRANT_VALID(c->key_grant))
		return -errno;
	c->m.m_ds.key_len = (uint32_t)len + 1;
	c->m.m_ds.key_grant = c->key_grant;
	return OK;
}

static int call_value(struct ds_call *c, void *buf, size_t len, int access)
{
	if (len > UINT32_MAX)
		return -E2BIG;
	c->m.m_ds.val_u32 = (uint32_t)len;
	if (!len)
		return OK;
	c->val_grant = cpf_grant_direct(DS_PROC_NR, (vir_bytes)buf, len,
					access);
	if (!GRANT_VALID(c->val_grant))
		return -errno;
	c->m.m_ds.val_grant = c->val_grant;
	return OK;
}

static int call_end(struct ds_call *c, int r)
{
	if (GRANT_VALID(c->key_grant))
		cpf_revoke(c->key_grant);
	if (GRANT_VALID(c->val_grant))
		cpf_revoke(c->val_grant);
	return r;
}

static int call_run(struct ds_call *c)
{
	int r = ds_sendrec(&c->m);

	atomic_fetch_add(&ds_calls, 1);
	if (r != OK)
		atomic_fetch_add(&ds_errors, 1);
	return call_end(c, r);
}

void sef_ds_usage(unsigned int *calls, unsigned int *changes,
		  unsigned int *errors)
{
	*calls = atomic_load(&ds_calls);
	*changes = atomic_load(&ds_seq);
	*errors = atomic_load(&ds_errors);
}

/* Callers name the type by function; only the other flags are theirs. */
static uint32_t user_flags(int flags, uint32_t type)
{
	return ((uint32_t)flags & ~(uint32_t)DSF_MASK_TYPE) | type;
}

static int publish(const char *key, uint32_t type, int flags, uint32_t value,
		   const void *data, size_t len)
{
	struct ds_call c;
	int r = call_key(&c, DS_PUBLISH, key, user_flags(flags, type), true);

	if (r != OK)
		return call_end(&c, r);
	if (data) {
		r = call_value(&c, (void *)data, len, CPF_READ);
		if (r != OK)
			return call_end(&c, r);
	} else {
		c.m.m_ds.val_u32 = value;
	}
	return call_run(&c);
}

int ds_publish_u32(const char *name, u32_t value, int flags)
{
	return publish(name, DSF_TYPE_U32, flags, value, NULL, 0);
}

int ds_publish_str(const char *name, const char *value, int flags)
{
	if (!value)
		return -EINVAL;
	return publish(name, DSF_TYPE_STR, flags, 0, value, strlen(value) + 1);
}

int ds_publish_mem(const char *name, void *vaddr, size_t length, int flags)
{
	if (!vaddr || !length)
		return -EINVAL;
	return publish(name, DSF_TYPE_MEM, flags, 0, vaddr, length);
}

int ds_publish_label(const char *name, endpoint_t endpoint, int flags)
{
	return publish(name, DSF_TYPE_LABEL, flags, (uint32_t)endpoint, NULL,
		       0);
}

/* A retrieve; for STR/MEM, buf gets up to *len bytes and *len the count. */
static int retrieve(const char *key, uint32_t type, uint32_t *value,
		    void *buf, size_t *len)
{
	struct ds_call c;
	int r = call_key(&c, DS_RETRIEVE, key, type, false);

	if (r == OK && buf)
		r = call_value(&c, buf, *len, CPF_WRITE);
	if (r != OK)
		return call_end(&c, r);
	r = call_run(&c);
	if (r == OK && buf)
		*len = c.m.m_ds.val_u32;
	else if (r == OK)
		*value = c.m.m_ds.val_u32;
	return r;
}

int ds_retrieve_u32(const char *name, u32_t *value)
{
	if (!value)
		return -EINVAL;
	return retrieve(name, DSF_TYPE_U32, value, NULL, NULL);
}

int ds_retrieve_str(const char *name, char *value, size_t len_str)
{
	size_t len = len_str;
	int r;

	if (!value)
		return -EINVAL;
	/* As MINIX: at most len_str characters, and a NUL after them. */
	if (!len_str) {
		char c;

		len = 1;
		r = retrieve(name, DSF_TYPE_STR, NULL, &c, &len);
		value[0] = '\0';
		return r;
	}
	r = retrieve(name, DSF_TYPE_STR, NULL, value, &len);
	if (r == OK)
		value[len < len_str ? len : len_str] = '\0';
	return r;
}

int ds_retrieve_mem(const char *name, char *vaddr, size_t *length)
{
	if (!vaddr || !length || !*length)
		return -EINVAL;
	return retrieve(name, DSF_TYPE_MEM, NULL, vaddr, length);
}

int ds_retrieve_label_endpt(const char *name, endpoint_t *endpoint)
{
	uint32_t v;
	int r;

	if (!endpoint)
		return -EINVAL;
	r = retrieve(name, DSF_TYPE_LABEL, &v, NULL, NULL);
	if (r == OK)
		*endpoint = (endpoint_t)v;
	return r;
}

/* DS_RETRIEVE_LABEL and DS_CHECK: DS writes a key into name. */
static int key_out(struct ds_call *c, int type, char *name, uint32_t flags)
{
	memset(c, 0, sizeof(*c));
	c->key_grant = c->val_grant = GRANT_INVALID;
	c->m.m_type = type;
	c->m.m_ds.flags = flags;
	c->m.m_ds.owner = NONE;
	c->m.m_ds.val_grant = GRANT_INVALID;
	c->key_grant = cpf_grant_direct(DS_PROC_NR, (vir_bytes)name,
					DS_MAX_KEYLEN, CPF_WRITE);
	if (!GRANT_VALID(c->key_grant))
		return -errno;
	c->m.m_ds.key_grant = c->key_grant;
	c->m.m_ds.key_len = DS_MAX_KEYLEN;
	return OK;
}

int ds_retrieve_label_name(char *name, endpoint_t endpoint)
{
	struct ds_call c;
	int r;

	if (!name)
		return -EINVAL;
	r = key_out(&c, DS_RETRIEVE_LABEL, name, DSF_TYPE_LABEL);
	if (r != OK)
		return call_end(&c, r);
	c.m.m_ds.val_u32 = (uint32_t)endpoint;
	return call_run(&c);
}

static int delete(const char *key, uint32_t type)
{
	struct ds_call c;
	int r = call_key(&c, DS_DELETE, key, type, true);

	if (r != OK)
		return call_end(&c, r);
	return call_run(&c);
}

int ds_delete_u32(const char *name)
{
	return delete(name, DSF_TYPE_U32);
}

int ds_delete_str(const char *name)
{
	return delete(name, DSF_TYPE_STR);
}

int ds_delete_mem(const char *name)
{
	return delete(name, DSF_TYPE_MEM);
}

int ds_delete_label(const char *name)
{
	return delete(name, DSF_TYPE_LABEL);
}

int ds_subscribe(const char *regex, int flags)
{
	struct ds_call c;
	int r = call_key(&c, DS_SUBSCRIBE, regex, (uint32_t)flags, true);

	if (r != OK)
		return call_end(&c, r);
	return call_run(&c);
}

int ds_check(char *name, int *type, endpoint_t *owner_e)
{
	struct ds_call c;
	int r;

	if (!name)
		return -EINVAL;
	r = key_out(&c, DS_CHECK, name, 0);
	if (r != OK)
		return call_end(&c, r);
	r = call_run(&c);
	if (r == OK) {
		if (type)
			*type = (int)c.m.m_ds.flags;
		if (owner_e)
			*owner_e = c.m.m_ds.owner;
	}
	return r;
}
