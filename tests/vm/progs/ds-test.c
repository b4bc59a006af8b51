// SPDX-License-Identifier: MIT
/*
 * ds-test: a SEF service that exercises the Data Store from inside, for
 * the VM suites 70-ds, 71-ds-survival, 72-ds-limits and bench.sh. Started
 * by rs-daemon:
 *
 *   minix-service up /tests/bin/ds-test -label L -args "MODE [ARG...]"
 *
 * It writes `PASS: NAME` / `FAIL: NAME: WHY` lines and finally `DONE` to
 * DSV_DIR/L.out, then waits to be brought down (keeping its label, so that
 * its keys live on for the next checks). Modes:
 *   api            MINIX's dstest (U32, STR with truncation, MEM with
 *                  min(len, stored), LABEL), long keys and big values
 *                  through grants, the subs sequence on its own keys,
 *                  DSF_INITIAL, typed keys; leaves "dsapi.priv" (private
 *                  retrieve and overwrite) and "dsapi.pub" for `peer`
 *   peer           the owner rules against the keys `api` left
 *   raw            malformed requests sent straight through IPC: each gets
 *                  an error, DS keeps serving, no key changes
 *   storm SEED     publishes new keys, overwrites a counter, deletes, while
 *                  the suite kills and updates DS, until DSV_DIR/L.stop
 *                  appears; then checks every acknowledged operation
 *                  against its own model of the store. Every 20 ms
 *                  DSV_DIR/L.progress gets "ops errors last_ok_us"
 *                  (CLOCK_MONOTONIC), for mxsys-campaign's ds target
 *   fill N         publishes N u32 keys (for the restart benchmark)
 *   caps           publishes until ENOMEM (ds-daemon runs with small -n/-b)
 *   bench N ECHO   N u32 publishes, N retrieves, N plain SENDRECs to the
 *                  testsvc labelled ECHO: `bench publish_ns=.. ...`
 *   restart N [MS] N times: SIGKILL to ds-daemon, then one DS call, which
 *                  the next instance answers: `restart median_us=..`;
 *                  MS (default 500) between kills
 *   notify N ping|pong  N rounds of publish -> subscriber's ds_check ->
 *                  publish back, between two ds-test services (start pong
 *                  first): `notify notify_ns=..` from ping
 *   get KEY VALUE  KEY holds the u32 VALUE (PASS/FAIL get-KEY)
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/ds_admin.h>
#include <minix/errors.h>
#include <minix/safecopies.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "testsvc.h"

#define DSV_DIR		"/tmp/dsv"

static FILE *out;
static const char *label = "?";
static int failures;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}

/* expect(name, got, want): one PASS or FAIL line. */
static bool expect(const char *name, long got, long want)
{
	if (got == want) {
		say("PASS: %s", name);
		return true;
	}
	failures++;
	say("FAIL: %s: got %ld (%s), expected %ld (%s)", name, got,
	    sef_strerror((int)got), want, sef_strerror((int)want));
	return false;
}

static bool expect_true(const char *name, bool ok, const char *why)
{
	if (ok) {
		say("PASS: %s", name);
		return true;
	}
	failures++;
	say("FAIL: %s: %s", name, why);
	return false;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Wait up to ms for a notify from DS; false on timeout. */
static bool wait_ds_notify(unsigned int ms)
{
	message m;
	int status;

	sys_setalarm(ms, 0);
	for (;;) {
		if (sef_receive_status(ANY, &m, &status) != OK)
			return false;
		if (!is_ipc_notify(status))
			continue;
		if (m.m_source == DS_PROC_NR) {
			sys_setalarm(0, 0);
			return true;
		}
		if (m.m_source == CLOCK)
			return false;
	}
}

/* ---- api ---- */

static void api_u32(void)
{
	u32_t v = 0;

	expect("u32-publish", ds_publish_u32("test_u32", 1234, 0), OK);
	expect("u32-retrieve", ds_retrieve_u32("test_u32", &v), OK);
	expect("u32-value", v, 1234);
	expect("u32-publish-again-eexist",
	       ds_publish_u32("test_u32", 4321, 0), -EEXIST);
	expect("u32-overwrite",
	       ds_publish_u32("test_u32", 4321, DSF_OVERWRITE), OK);
	ds_retrieve_u32("test_u32", &v);
	expect("u32-overwritten-value", v, 4321);
	expect("u32-delete", ds_delete_u32("test_u32"), OK);
	expect("u32-retrieve-deleted-esrch", ds_retrieve_u32("test_u32", &v),
	       -ESRCH);
	expect("u32-delete-again-esrch", ds_delete_u32("test_u32"), -ESRCH);
}

static void api_str(void)
{
	static const char longstring[] = "verylooooooongstring";
	char buf[17];

	expect("str-publish", ds_publish_str("test_str", "little", 0), OK);
	memset(buf, 'x', sizeof(buf));
	expect("str-retrieve", ds_retrieve_str("test_str", buf, 16), OK);
	expect_true("str-value", !strcmp(buf, "little"), buf);
	expect("str-delete", ds_delete_str("test_str"), OK);
	expect("str-publish-long", ds_publish_str("test_str", longstring, 0),
	       OK);
	memset(buf, 'x', sizeof(buf));
	expect("str-retrieve-long", ds_retrieve_str("test_str", buf, 16), OK);
	expect_true("str-truncated-to-len",
		    strcmp(buf, "little") && !strncmp(longstring, buf, 16) &&
		    strlen(buf) == 16, buf);
	expect("str-delete-long", ds_delete_str("test_str"), OK);
	expect("str-null-einval", ds_publish_str("test_str", NULL, 0),
	       -EINVAL);
}

static void api_mem(void)
{
	static const char s1[] = "ok, this is a string";
	static const char s2[] = "ok, this is a longer string, really";
	char buf[100];
	size_t len;

	expect("mem-publish", ds_publish_mem("test_mem", (void *)s1,
					     sizeof(s1), 0), OK);
	len = sizeof(buf);
	expect("mem-retrieve", ds_retrieve_mem("test_mem", buf, &len), OK);
	expect("mem-len-stored", (long)len, 21);
	expect_true("mem-value", !memcmp(buf, s1, 21), "contents differ");
	len = 8;
	expect("mem-retrieve-short", ds_retrieve_mem("test_mem", buf, &len),
	       OK);
	expect("mem-len-min", (long)len, 8);
	expect("mem-overwrite-bigger", ds_publish_mem("test_mem", (void *)s2,
						      sizeof(s2),
						      DSF_OVERWRITE), OK);
	len = sizeof(buf);
	ds_retrieve_mem("test_mem", buf, &len);
	expect("mem-len-bigger", (long)len, 36);
	expect_true("mem-value-bigger", !memcmp(buf, s2, 36),
		    "contents differ");
	expect("mem-delete", ds_delete_mem("test_mem"), OK);
	expect("mem-zero-length-einval",
	       ds_publish_mem("test_mem", (void *)s1, 0, 0), -EINVAL);
}

static void api_label(void)
{
	char name[DS_MAX_KEYLEN];
	endpoint_t ep = NONE;

	expect("label-name", ds_retrieve_label_name(name, sef_self()), OK);
	expect_true("label-name-is-ours", !strcmp(name, label), name);
	expect("label-endpt", ds_retrieve_label_endpt(label, &ep), OK);
	expect("label-endpt-is-self", ep, sef_self());
	expect("label-publish-eperm", ds_publish_label(label, ep, 0), -EPERM);
	expect("label-delete-eperm", ds_delete_label(label), -EPERM);
	expect("label-name-unknown-esrch",
	       ds_retrieve_label_name(name, MXSYS_ENDPOINT(3, 50)), -ESRCH);
	expect("label-rs", ds_retrieve_label_name(name, RS_PROC_NR), OK);
	expect_true("label-rs-is-rs", !strcmp(name, "rs"), name);
}

static void api_long(void)
{
	char key79[DS_MAX_KEYLEN], key80[DS_MAX_KEYLEN + 1], key23[24];
	static char big[1 << 20], back[1 << 20];
	size_t len;
	u32_t v = 0;

	memset(key79, 'k', 79);
	key79[79] = '\0';
	memset(key80, 'k', 80);
	key80[80] = '\0';
	memset(key23, 'i', 23);
	key23[23] = '\0';
	expect("key79-publish", ds_publish_u32(key79, 79, 0), OK);
	expect("key79-retrieve", ds_retrieve_u32(key79, &v), OK);
	expect("key79-value", v, 79);
	expect("key23-publish", ds_publish_u32(key23, 23, 0), OK);
	expect("key23-retrieve", ds_retrieve_u32(key23, &v), OK);
	expect("key23-value", v, 23);
	/* 79 and 78 characters: different keys, no truncation. */
	key79[78] = '\0';
	expect("key78-is-another-key", ds_retrieve_u32(key79, &v), -ESRCH);
	key79[78] = 'k';
	expect("key80-einval", ds_publish_u32(key80, 1, 0), -EINVAL);
	expect("key80-retrieve-einval", ds_retrieve_u32(key80, &v), -EINVAL);
	expect("key-empty-einval", ds_publish_u32("", 1, 0), -EINVAL);
	expect("key79-delete", ds_delete_u32(key79), OK);

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	expect("mem-1mib-publish", ds_publish_mem(key79, big, sizeof(big), 0),
	       OK);
	len = sizeof(back);
	expect("mem-1mib-retrieve", ds_retrieve_mem(key79, back, &len), OK);
	expect("mem-1mib-len", (long)len, (long)sizeof(big));
	expect_true("mem-1mib-value", !memcmp(big, back, sizeof(big)),
		    "contents differ");
	expect("mem-1mib-delete", ds_delete_mem(key79), OK);
}

static void api_types(void)
{
	u32_t v = 0;
	char buf[8];

	/* One key per type: a u32 and a str of the same name. */
	expect("typed-u32", ds_publish_u32("same", 5, 0), OK);
	expect("typed-str", ds_publish_str("same", "five", 0), OK);
	expect("typed-retrieve-u32", ds_retrieve_u32("same", &v), OK);
	expect("typed-u32-value", v, 5);
	expect("typed-retrieve-str", ds_retrieve_str("same", buf, 7), OK);
	expect_true("typed-str-value", !strcmp(buf, "five"), buf);
	expect("typed-delete-str", ds_delete_str("same"), OK);
	expect("typed-u32-still-there", ds_retrieve_u32("same", &v), OK);
	expect("typed-mem-absent-esrch", ds_delete_mem("same"), -ESRCH);
	expect("typed-delete-u32", ds_delete_u32("same"), OK);
}

static void api_subs(void)
{
	char key[DS_MAX_KEYLEN];
	int type = 0;
	endpoint_t owner = NONE;
	u32_t v = 0;

	expect("subs-check-without-subscription-esrch",
	       ds_check(key, &type, &owner), -ESRCH);
	expect("subs-bad-regex-einval", ds_subscribe("a(", 0), -EINVAL);
	expect("subs-subscribe", ds_subscribe("sub\\.u32", DSF_INITIAL), OK);
	expect("subs-subscribe-again-eexist", ds_subscribe("x", 0), -EEXIST);
	expect("subs-nothing-yet-enoent", ds_check(key, &type, &owner),
	       -ENOENT);
	expect("subs-publish", ds_publish_u32("sub.u32", 1234, 0), OK);
	expect_true("subs-notified", wait_ds_notify(5000), "no notify in 5 s");
	expect("subs-check", ds_check(key, &type, &owner), OK);
	expect_true("subs-check-key", !strcmp(key, "sub.u32"), key);
	expect("subs-check-type", type, DSF_TYPE_U32);
	expect("subs-check-owner", owner, sef_self());
	expect("subs-check-drained-enoent", ds_check(key, &type, &owner),
	       -ENOENT);
	ds_retrieve_u32(key, &v);
	expect("subs-value", v, 1234);
	expect("subs-overwrite", ds_publish_u32("sub.u32", 4321,
						DSF_OVERWRITE), OK);
	expect_true("subs-notified-overwrite", wait_ds_notify(5000),
		    "no notify");
	expect("subs-check-overwrite", ds_check(key, &type, &owner), OK);
	ds_retrieve_u32(key, &v);
	expect("subs-value-overwrite", v, 4321);
	/* Anchored: neither a longer key nor a prefix of it matches. */
	expect("subs-other-key", ds_publish_u32("sub.u32x", 1, 0), OK);
	expect("subs-other-key-no-change", ds_check(key, &type, &owner),
	       -ENOENT);
	expect("subs-delete", ds_delete_u32("sub.u32"), OK);
	expect_true("subs-notified-delete", wait_ds_notify(5000), "no notify");
	expect("subs-check-after-delete-enoent", ds_check(key, &type, &owner),
	       -ENOENT);
	/* DSF_INITIAL on overwrite reports what exists, by type. */
	expect("subs-initial-publish", ds_publish_str("sub.str", "s", 0), OK);
	expect("subs-resubscribe-initial",
	       ds_subscribe("sub\\..*", DSF_TYPE_STR | DSF_INITIAL |
			    DSF_OVERWRITE), OK);
	expect_true("subs-initial-notified", wait_ds_notify(5000),
		    "no notify");
	expect("subs-initial-check", ds_check(key, &type, &owner), OK);
	expect_true("subs-initial-key", !strcmp(key, "sub.str"), key);
	expect("subs-initial-type", type, DSF_TYPE_STR);
	expect("subs-initial-only-str", ds_check(key, &type, &owner), -ENOENT);
	ds_delete_str("sub.str");
	ds_delete_u32("sub.u32x");
	while (ds_check(key, &type, &owner) == OK)
		;
}

static void run_api(void)
{
	api_u32();
	api_str();
	api_mem();
	api_label();
	api_long();
	api_types();
	api_subs();
	/* For `peer`. */
	expect("leave-priv", ds_publish_u32("dsapi.priv", 7,
					    DSF_PRIV_RETRIEVE |
					    DSF_PRIV_OVERWRITE), OK);
	expect("leave-pub", ds_publish_u32("dsapi.pub", 8, 0), OK);
	expect("leave-privsub", ds_publish_u32("dsapi.privsub", 9,
					       DSF_PRIV_SUBSCRIBE), OK);
}

/* ---- peer: the owner rules ---- */

static void run_peer(void)
{
	char key[DS_MAX_KEYLEN];
	int type;
	u32_t v = 0;

	expect("peer-priv-retrieve-eperm", ds_retrieve_u32("dsapi.priv", &v),
	       -EPERM);
	expect("peer-priv-overwrite-eperm",
	       ds_publish_u32("dsapi.priv", 1, DSF_OVERWRITE), -EPERM);
	expect("peer-priv-delete-eperm", ds_delete_u32("dsapi.priv"), -EPERM);
	expect("peer-pub-retrieve", ds_retrieve_u32("dsapi.pub", &v), OK);
	expect("peer-pub-value", v, 8);
	expect("peer-pub-delete-eperm", ds_delete_u32("dsapi.pub"), -EPERM);
	expect("peer-pub-overwrite", ds_publish_u32("dsapi.pub", 9,
						    DSF_OVERWRITE), OK);
	/* Overwriting made us the owner. */
	expect("peer-pub-delete-now-ours", ds_delete_u32("dsapi.pub"), OK);
	/* DSF_PRIV_SUBSCRIBE: we do not hear of the private one. */
	expect("peer-subscribe-initial", ds_subscribe("dsapi\\..*",
						      DSF_INITIAL), OK);
	wait_ds_notify(1000);
	while (ds_check(key, &type, NULL) == OK)
		expect_true("peer-privsub-hidden", strcmp(key, "dsapi.privsub"),
			    "saw dsapi.privsub");
	expect("peer-label-publish-eperm",
	       ds_publish_label("fake", sef_self(), DSF_OVERWRITE), -EPERM);
}

/* ---- raw: malformed requests ---- */

static int raw(int type, uint32_t flags, const char *key, uint32_t key_len,
	       cp_grant_id_t key_grant, uint32_t val, cp_grant_id_t val_grant)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_ds.flags = flags;
	m.m_ds.val_u32 = val;
	m.m_ds.key_len = key_len;
	m.m_ds.key_grant = key_grant;
	m.m_ds.val_grant = val_grant;
	if (key)
		memcpy(m.m_ds.key, key, strnlen(key, sizeof(m.m_ds.key)));
	r = ipc_sendrec(DS_PROC_NR, &m);
	return r == OK ? m.m_type : r;
}

static void run_raw(void)
{
	static char longkey[200];
	char buf[64];
	cp_grant_id_t g, rg, wg;
	u32_t v = 0;

	memset(longkey, 'r', sizeof(longkey) - 1);
	memset(buf, 'z', sizeof(buf));
	expect("raw-setup", ds_publish_u32("raw.k", 77, 0), OK);
	/* An inline key without its NUL. */
	expect("raw-unterminated-key",
	       raw(DS_PUBLISH, DSF_TYPE_U32, longkey, 0, 0, 1, 0), -EINVAL);
	g = cpf_grant_direct(DS_PROC_NR, (vir_bytes)longkey, sizeof(longkey),
			     CPF_READ);
	expect("raw-key-len-1", raw(DS_PUBLISH, DSF_TYPE_U32, NULL, 1, g, 1,
				    0), -EINVAL);
	expect("raw-key-len-81", raw(DS_PUBLISH, DSF_TYPE_U32, NULL, 81, g, 1,
				     0), -EINVAL);
	expect("raw-key-len-huge", raw(DS_PUBLISH, DSF_TYPE_U32, NULL,
				       0xffffffffu, g, 1, 0), -EINVAL);
	/* A granted key whose NUL is not where key_len says. */
	expect("raw-key-no-nul", raw(DS_PUBLISH, DSF_TYPE_U32, NULL, 50, g, 1,
				     0), -EINVAL);
	expect("raw-key-bad-grant", raw(DS_PUBLISH, DSF_TYPE_U32, NULL, 20,
					12345, 1, 0), -EPERM);
	cpf_revoke(g);
	expect("raw-key-revoked-grant", raw(DS_PUBLISH, DSF_TYPE_U32, NULL,
					    20, g, 1, 0), -EPERM);
	expect("raw-no-type", raw(DS_PUBLISH, 0, "raw.x", 0, 0, 1, 0),
	       -EINVAL);
	expect("raw-two-types", raw(DS_PUBLISH, DSF_TYPE_U32 | DSF_TYPE_STR,
				    "raw.x", 0, 0, 1, 0), -EINVAL);
	expect("raw-unknown-flag", raw(DS_PUBLISH, DSF_TYPE_U32 | 0x80000,
				       "raw.x", 0, 0, 1, 0), -EINVAL);
	expect("raw-in-use-flag", raw(DS_PUBLISH, DSF_TYPE_U32 | DSF_IN_USE,
				      "raw.x", 0, 0, 1, 0), -EINVAL);
	expect("raw-mem-huge-len", raw(DS_PUBLISH, DSF_TYPE_MEM, "raw.x", 0, 0,
				       0xfffffff0u, 0), -E2BIG);
	expect("raw-mem-zero-len", raw(DS_PUBLISH, DSF_TYPE_MEM, "raw.x", 0, 0,
				       0, 0), -EINVAL);
	expect("raw-mem-bad-grant", raw(DS_PUBLISH, DSF_TYPE_MEM, "raw.x", 0,
					0, 16, 999), -EPERM);
	rg = cpf_grant_direct(DS_PROC_NR, (vir_bytes)buf, 8, CPF_READ);
	expect("raw-mem-beyond-grant", raw(DS_PUBLISH, DSF_TYPE_MEM, "raw.x",
					   0, 0, 16, rg), -EINVAL);
	expect("raw-str-no-nul", raw(DS_PUBLISH, DSF_TYPE_STR, "raw.x", 0, 0,
				     8, rg), -EINVAL);
	/* A read-only grant for a retrieve that must write. */
	expect("raw-setup-mem", ds_publish_mem("raw.m", buf, 8, 0), OK);
	expect("raw-retrieve-into-read-grant",
	       raw(DS_RETRIEVE, DSF_TYPE_MEM, "raw.m", 0, 0, 8, rg), -EPERM);
	cpf_revoke(rg);
	wg = cpf_grant_direct(DS_PROC_NR, (vir_bytes)buf, 4, CPF_WRITE);
	expect("raw-retrieve-beyond-grant",
	       raw(DS_RETRIEVE, DSF_TYPE_MEM, "raw.m", 0, 0, 8, wg), -EINVAL);
	expect("raw-check-inline-einval", raw(DS_CHECK, 0, NULL, 0, 0, 0, 0),
	       -EINVAL);
	cpf_revoke(wg);
	expect("raw-bad-type", raw(0x8ff, 0, "raw.k", 0, 0, 0, 0), -EINVAL);
	expect("raw-snapshot-einval", raw(DS_SNAPSHOT, 0, "raw.k", 0, 0, 0, 0),
	       -EINVAL);
	expect("raw-delete-flags-einval", raw(DS_DELETE, DSF_TYPE_U32 |
					      DSF_OVERWRITE, "raw.k", 0, 0, 0,
					      0), -EINVAL);
	expect("raw-subscribe-bad-flags", raw(DS_SUBSCRIBE, 0x40000, "x", 0, 0,
					      0, 0), -EINVAL);
	/* Root's requests come through RS only (minix-service ds). */
	expect("raw-admin-not-rs-eperm", raw(DS_ADMIN, 0, "raw.k", 0, 0, 0, 0),
	       -EPERM);
	/* DS still serves, and nothing changed. */
	expect("raw-ds-serves", ds_retrieve_u32("raw.k", &v), OK);
	expect("raw-value-unchanged", v, 77);
	expect("raw-no-stray-key", ds_retrieve_u32("raw.x", &v), -ESRCH);
	ds_delete_u32("raw.k");
	ds_delete_mem("raw.m");
}

/* ---- storm ---- */

static bool stop_requested(void)
{
	char path[256];

	snprintf(path, sizeof(path), DSV_DIR "/%s.stop", label);
	return access(path, F_OK) == 0;
}

/* DSV_DIR/L.progress replaced whole: "ops errors last_ok_us". */
static void storm_progress(unsigned long ops, unsigned long errors,
			   uint64_t last_ok)
{
	char path[256], tmp[264];
	FILE *f;

	snprintf(path, sizeof(path), DSV_DIR "/%s.progress", label);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%lu %lu %llu\n", ops, errors, (unsigned long long)last_ok);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* Long keys half the time: the grant path too. Each client its own. */
static void storm_key(char key[DS_MAX_KEYLEN], unsigned int i)
{
	snprintf(key, DS_MAX_KEYLEN, i % 2 ? "st.%s.%u" :
		 "st.%s.a.long.key.through.a.grant.%u", label, i);
}

/*
 * Drain the caller's subscription and look for key among its changes,
 * waiting for DS's notify up to ms each time; ESRCH if the subscription
 * is gone, OK once key came up, ETIMEDOUT if it never did.
 */
static int await_change(const char *key, unsigned int ms, int tries)
{
	char got[DS_MAX_KEYLEN];
	int type, r;
	endpoint_t owner;

	while (tries-- > 0) {
		while ((r = ds_check(got, &type, &owner)) == OK)
			if (!strcmp(got, key))
				return OK;
		if (r != -ENOENT)
			return r;
		wait_ds_notify(ms);
	}
	return -ETIMEDOUT;
}

/*
 * Each operation has a result that a second application would change:
 * publishing a new key without DSF_OVERWRITE (twice: EEXIST), deleting a
 * key (twice: ESRCH), and a counter read and written back (a lost write
 * or a doubled one leaves it off the model). Overwrites of present keys
 * with new values check that the last acknowledged value is the one kept.
 * The client subscribes to its own "sub" keys first; after the storm a
 * fresh publish of one must still reach it through ds_check.
 */
static void run_storm(unsigned int seed)
{
	enum { KEYS = 4096 };
	static uint8_t model[KEYS];	/* 0 absent, 1 present */
	static u32_t value[KEYS];	/* the value of a present key */
	unsigned long ops = 0, errors = 0, doubled = 0, counter = 0;
	unsigned long published = 0, deleted = 0, overwritten = 0;
	char key[DS_MAX_KEYLEN], why[160];
	unsigned int next = 0;
	uint64_t t0 = now_us(), worst = 0, last_ok = 0, next_progress = 0;
	u32_t v;
	int r;

	char counter_key[DS_MAX_KEYLEN], pattern[DS_MAX_KEYLEN];

	snprintf(counter_key, sizeof(counter_key), "st.%s.counter", label);
	snprintf(pattern, sizeof(pattern), "st\\.%s\\.sub\\..*", label);
	srand(seed);
	expect("storm-subscribe", ds_subscribe(pattern, 0), OK);
	r = ds_publish_u32(counter_key, 0, DSF_OVERWRITE);
	expect("storm-setup", r, OK);
	while (!stop_requested() || ops < 100) {
		unsigned int what = (unsigned int)rand() % 4;
		uint64_t t = now_us();

		ops++;
		if (what == 0 && next < KEYS) {
			storm_key(key, next);
			r = ds_publish_u32(key, next, 0);
			if (r == OK) {
				model[next] = 1;
				value[next] = next;
				published++;
			} else if (r == -EEXIST) {
				doubled++;
			} else {
				errors++;
				say("# publish %s: %s", key, sef_strerror(r));
			}
			next++;
		} else if (what <= 2 && next > 0) {
			unsigned int i = (unsigned int)rand() % next;
			u32_t nv = (u32_t)rand();

			if (!model[i])
				continue;
			storm_key(key, i);
			if (what == 2) {
				r = ds_publish_u32(key, nv, DSF_OVERWRITE);
				if (r == OK) {
					value[i] = nv;
					overwritten++;
				} else {
					errors++;
					say("# overwrite %s: %s", key,
					    sef_strerror(r));
				}
				continue;
			}
			r = ds_delete_u32(key);
			if (r == OK) {
				model[i] = 0;
				deleted++;
			} else if (r == -ESRCH) {
				doubled++;
			} else {
				errors++;
				say("# delete %s: %s", key, sef_strerror(r));
			}
		} else {
			r = ds_retrieve_u32(counter_key, &v);
			if (r == OK && v != counter) {
				say("# counter %u, model %lu", v, counter);
				doubled++;
				counter = v;
			}
			if (r == OK)
				r = ds_publish_u32(counter_key, v + 1,
						   DSF_OVERWRITE);
			if (r == OK)
				counter++;
			else {
				errors++;
				say("# counter: %s", sef_strerror(r));
			}
		}
		if (now_us() - t > worst)
			worst = now_us() - t;
		if (r == OK)
			last_ok = now_us();
		if (now_us() >= next_progress) {
			storm_progress(ops, errors, last_ok);
			next_progress = now_us() + 20000;
		}
	}
	/* Every acknowledged operation, key by key. */
	unsigned long wrong = 0;

	for (unsigned int i = 0; i < next; i++) {
		storm_key(key, i);
		r = ds_retrieve_u32(key, &v);
		if ((model[i] && (r != OK || v != value[i])) ||
		    (!model[i] && r != -ESRCH)) {
			if (wrong++ < 5)
				say("# %s: %s (%u), model %s %u", key,
				    sef_strerror(r), r == OK ? v : 0,
				    model[i] ? "present" : "absent",
				    value[i]);
		}
	}
	r = ds_retrieve_u32(counter_key, &v);
	say("storm ops=%lu published=%lu overwritten=%lu deleted=%lu "
	    "counter=%lu errors=%lu doubled=%lu wrong=%lu worst_us=%llu "
	    "secs=%llu", ops, published, overwritten, deleted, counter,
	    errors, doubled, wrong, (unsigned long long)worst,
	    (unsigned long long)((now_us() - t0) / 1000000));
	snprintf(why, sizeof(why), "%lu keys differ from the model", wrong);
	expect_true("storm-every-ack-kept", wrong == 0, why);
	snprintf(why, sizeof(why), "%lu operations took effect twice",
		 doubled);
	expect_true("storm-none-doubled", doubled == 0, why);
	snprintf(why, sizeof(why), "DS has %u, model %lu", r == OK ? v : 0,
		 counter);
	expect_true("storm-counter", r == OK && v == counter, why);
	snprintf(why, sizeof(why), "%lu calls failed", errors);
	expect_true("storm-no-errors", errors == 0, why);

	/* The subscription made before the storm still works. */
	snprintf(key, sizeof(key), "st.%s.sub.after", label);
	r = ds_publish_u32(key, 1, DSF_OVERWRITE);
	expect("storm-sub-publish", r, OK);
	expect("storm-subscription-kept", await_change(key, 2000, 10), OK);
}

/* ---- fill, caps, bench ---- */

static void run_fill(unsigned long n)
{
	char key[DS_MAX_KEYLEN];
	unsigned long bad = 0;

	for (unsigned long i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "fill.%lu", i);
		if (ds_publish_u32(key, (u32_t)i, DSF_OVERWRITE) != OK)
			bad++;
	}
	expect("fill", (long)bad, 0);
}

static void run_caps(void)
{
	char key[DS_MAX_KEYLEN];
	static char blob[4096];
	unsigned long n = 0;
	int r;

	/* ds-daemon runs with -n 100 -b 64K here (72-ds-limits). */
	do {
		snprintf(key, sizeof(key), "cap.%lu", n++);
		r = ds_publish_u32(key, 1, 0);
	} while (r == OK && n < 1000);
	expect("caps-entries-enomem", r, -ENOMEM);
	say("caps entries=%lu", n - 1);
	expect_true("caps-entries-near-100", n - 1 >= 90 && n - 1 <= 100,
		    "not about 100 entries");
	expect("caps-overwrite-at-cap", ds_publish_u32("cap.0", 2,
						      DSF_OVERWRITE), OK);
	expect("caps-delete-one", ds_delete_u32("cap.1"), OK);
	expect("caps-one-more", ds_publish_mem("cap.m", blob, 4096, 0), OK);
	for (unsigned long i = 2; i < n - 1; i++) {
		snprintf(key, sizeof(key), "cap.%lu", i);
		ds_delete_u32(key);
	}
	n = 0;
	do {
		snprintf(key, sizeof(key), "capb.%lu", n++);
		r = ds_publish_mem(key, blob, sizeof(blob), 0);
	} while (r == OK && n < 1000);
	expect("caps-bytes-enomem", r, -ENOMEM);
	say("caps blobs=%lu", n - 1);
	{
		static char huge[128 << 10];

		expect("caps-value-beyond-cap-e2big",
		       ds_publish_mem("caph", huge, sizeof(huge), 0), -E2BIG);
	}
	expect("caps-still-serving", ds_publish_u32("cap.0", 3,
						   DSF_OVERWRITE), OK);
}

/* Plain SENDREC round trips to the testsvc labelled echo (TS_ECHO). */
static uint64_t echo_ns(const char *echo, unsigned long n)
{
	endpoint_t ep;
	uint64_t t0;
	message m;

	if (!echo || ds_retrieve_label_endpt(echo, &ep) != OK)
		return 0;
	t0 = now_us();
	for (unsigned long i = 0; i < n; i++) {
		struct ts_echo_request rq = { .seq = i };

		memset(&m, 0, sizeof(m));
		m.m_type = TS_ECHO;
		memcpy(m.m_payload, &rq, sizeof(rq));
		if (ipc_sendrec(ep, &m) != OK)
			return 0;
	}
	return (now_us() - t0) * 1000 / n;
}

static void run_bench(unsigned long n, const char *echo)
{
	uint64_t t0, t1, t2, sendrec;
	u32_t v;

	ds_publish_u32("bench.k", 0, DSF_OVERWRITE);
	t0 = now_us();
	for (unsigned long i = 0; i < n; i++)
		ds_publish_u32("bench.k", (u32_t)i, DSF_OVERWRITE);
	t1 = now_us();
	for (unsigned long i = 0; i < n; i++)
		ds_retrieve_u32("bench.k", &v);
	t2 = now_us();
	sendrec = echo_ns(echo, n);
	say("bench n=%lu publish_ns=%llu retrieve_ns=%llu sendrec_ns=%llu", n,
	    (unsigned long long)((t1 - t0) * 1000 / n),
	    (unsigned long long)((t2 - t1) * 1000 / n),
	    (unsigned long long)sendrec);
	expect_true("bench-sendrec", sendrec > 0, "no echo service answered");
	expect("bench-last-value", ds_retrieve_u32("bench.k", &v) == OK ?
	       (long)v : -1, (long)n - 1);
}

/*
 * Notify latency, by ping-pong between two ds-test services: "ping"
 * publishes bench.ping = i; "pong", subscribed to it, sees it by ds_check
 * and publishes bench.pong = i; ping, subscribed to that, sees it the
 * same way. Half a round is one publish-to-ds_check latency. pong starts
 * first and publishes bench.pong = 0 to say it listens.
 */
static void run_notify(unsigned long n, const char *role)
{
	bool ping = !strcmp(role, "ping");
	const char *mine = ping ? "bench.ping" : "bench.pong";
	const char *theirs = ping ? "bench.pong" : "bench.ping";
	char pattern[DS_MAX_KEYLEN];
	uint64_t t0 = 0;
	u32_t v = 0;
	unsigned long i;

	snprintf(pattern, sizeof(pattern), "bench\\.%s", theirs + 6);
	if (!expect("notify-subscribe", ds_subscribe(pattern, DSF_INITIAL),
		    OK))
		return;
	if (!ping) {
		ds_publish_u32(mine, 0, DSF_OVERWRITE);
		while (await_change(theirs, 5000, 4) == OK &&
		       ds_retrieve_u32(theirs, &v) == OK &&
		       ds_publish_u32(mine, v, DSF_OVERWRITE) == OK)
			if (v == n)
				return;
		expect_true("notify-pong", false, "lost the ping");
		return;
	}
	/* pong's bench.pong = 0: it listens. */
	if (!expect("notify-pong-ready", await_change(theirs, 5000, 6), OK))
		return;
	for (i = 1; i <= n; i++) {
		if (i == 2)
			t0 = now_us();	/* the first round warms up */
		if (ds_publish_u32(mine, (u32_t)i, DSF_OVERWRITE) != OK)
			goto lost;
		do {
			if (await_change(theirs, 5000, 4) != OK ||
			    ds_retrieve_u32(theirs, &v) != OK)
				goto lost;
		} while (v != i);
	}
	say("notify n=%lu notify_ns=%llu", n,
	    (unsigned long long)((now_us() - t0) * 1000 / (2 * (n - 1))));
	return;
lost:
	expect_true("notify-ping", false, "lost the pong");
}

static pid_t ds_pid(void)
{
	char path[300], exe[256];
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t pid = 0;

	while (d && (de = readdir(d))) {
		ssize_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/exe", de->d_name);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n <= 0)
			continue;
		exe[n] = '\0';
		if (!strcmp(exe, "/usr/sbin/ds-daemon")) {
			pid = atoi(de->d_name);
			break;
		}
	}
	if (d)
		closedir(d);
	return pid;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Restart to serving: SIGKILL to ds-daemon, then one DS call, which waits
 * for (and is answered by) the next instance. N times; the median.
 */
static void run_restart(int n, unsigned int pause_ms)
{
	uint64_t us[16];
	char all[256] = "";
	u32_t v;
	int r, done = 0;

	if (n < 1 || n > 16)
		n = 3;
	for (int i = 0; i < n; i++) {
		pid_t pid = ds_pid();
		uint64_t t0;

		if (!pid || ds_retrieve_u32("fill.0", &v) == -EDEADSRCDST)
			break;
		t0 = now_us();
		if (kill(pid, SIGKILL) < 0)
			break;
		r = ds_retrieve_u32("fill.0", &v);
		us[done] = now_us() - t0;
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%llu",
			 done ? "," : "", (unsigned long long)us[done]);
		done++;
		if (r == -EDEADSRCDST)
			break;
		/*
		 * Let RS finish the restart's bookkeeping (and a new standby
		 * replay the journal, when there is one).
		 */
		usleep(pause_ms * 1000);
	}
	qsort(us, (size_t)done, sizeof(us[0]), cmp_u64);
	say("restart samples=%d median_us=%llu all_us=%s", done,
	    done ? (unsigned long long)us[done / 2] : 0ULL, all);
	expect("restart-all-served", done, n);
}

int main(int argc, char **argv)
{
	char path[256];
	const char *mode = argc > 1 ? argv[1] : "";
	char name[DS_MAX_KEYLEN];

	if (argc < 2 || !strcmp(mode, "--help")) {
		fprintf(stderr, "usage: ds-test api|peer|raw|storm SEED|fill N|"
			"caps|bench N|restart N|notify N ping|pong\n");
		return 2;
	}
	sef_startup();
	if (ds_retrieve_label_name(name, sef_self()) == OK)
		label = strdup(name);
	snprintf(path, sizeof(path), DSV_DIR "/%s.out", label);
	out = fopen(path, "a");
	if (!out)
		out = stderr;

	if (!strcmp(mode, "api"))
		run_api();
	else if (!strcmp(mode, "peer"))
		run_peer();
	else if (!strcmp(mode, "raw"))
		run_raw();
	else if (!strcmp(mode, "storm"))
		run_storm(argc > 2 ? (unsigned int)atoi(argv[2]) : 1);
	else if (!strcmp(mode, "fill"))
		run_fill(argc > 2 ? strtoul(argv[2], NULL, 10) : 1000);
	else if (!strcmp(mode, "caps"))
		run_caps();
	else if (!strcmp(mode, "get") && argc > 3) {
		u32_t v = 0;
		int r = ds_retrieve_u32(argv[2], &v);
		char name[128];

		snprintf(name, sizeof(name), "get-%s", argv[2]);
		expect(name, r == OK ? (long)v : r, strtol(argv[3], NULL, 0));
	} else if (!strcmp(mode, "bench"))
		run_bench(argc > 2 ? strtoul(argv[2], NULL, 10) : 10000,
			  argc > 3 ? argv[3] : NULL);
	else if (!strcmp(mode, "restart"))
		run_restart(argc > 2 ? atoi(argv[2]) : 3,
			    argc > 3 ? (unsigned int)atoi(argv[3]) : 500);
	else if (!strcmp(mode, "notify") && argc > 3 &&
		 strtoul(argv[2], NULL, 10) >= 2)
		run_notify(strtoul(argv[2], NULL, 10), argv[3]);
	else
		say("FAIL: mode: unknown mode '%s'", mode);
	say("DONE failures=%d", failures);
	/* Keep the label (and so the keys) until brought down. */
	for (;;) {
		message m;

		sef_receive(ANY, &m);
	}
}
