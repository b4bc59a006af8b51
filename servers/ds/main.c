/* SPDX-License-Identifier: MIT */
/*
 * ds-daemon: the Data Store. A boot service started by RS: it initialises
 * through SEF, then serves requests one at a time in one receive loop.
 *
 * The store (store.c) is the state; the journal (journal.c), a memfd kept
 * in DS's own fd store, is its durable form. Each changing request is
 * journaled and committed before it is answered, so that whatever DS
 * acknowledged is found again by the next instance after a crash or a
 * live update (ds-daemon(8) tells the whole design).
 *
 * A request that came by sendrec has a caller waiting for the reply; RS
 * publishes labels with senda and waits for nothing, so those get none.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/errors.h>
#include <minix/safecopies.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "admin.h"
#include "follow.h"
#include "jfile.h"
#include "journal.h"
#include "store.h"
#include "version.h"

/* Compact when the journal is this many times what a fresh one would be. */
#define DS_COMPACT_FACTOR	3
#define DS_COMPACT_MIN		(1u << 20)

static struct ds_store store;
static struct journal jnl;
static int jnl_fd = -1;
static uint64_t jnl_generation;
static size_t compacted_size;		/* journal bytes after the last compaction */
static size_t max_entries = DS_DEFAULT_MAX_ENTRIES;
static size_t max_bytes = DS_DEFAULT_MAX_BYTES;
/* -C: the test hook (ds-daemon(8)); 0 is off. */
static size_t crash_after;
static size_t crash_file_size;
static size_t changes;
static bool restarted;
/* -H: where standbys learn where the journal is; NULL: nowhere (none). */
static const char *follow_hint = DS_FOLLOW_HINT;

/* Subscribers to notify once the change that concerns them is committed. */
static endpoint_t *to_notify;
static size_t n_notify, cap_notify;

static void queue_notify(void *arg, endpoint_t ep)
{
	(void)arg;
	for (size_t i = 0; i < n_notify; i++)
		if (to_notify[i] == ep)
			return;
	if (n_notify == cap_notify) {
		size_t n = cap_notify ? cap_notify * 2 : 16;
		endpoint_t *p = realloc(to_notify, n * sizeof(*p));

		if (!p)
			return;	/* the subscriber still finds it by ds_check */
		to_notify = p;
		cap_notify = n;
	}
	to_notify[n_notify++] = ep;
}

static void flush_notify(void)
{
	for (size_t i = 0; i < n_notify; i++) {
		int r = ipc_notify(to_notify[i]);

		if (r != OK && r != -EDEADSRCDST && r != -EDEADEPT)
			fprintf(stderr, "ds: notify %d: %s\n", to_notify[i],
				sef_strerror(r));
	}
	n_notify = 0;
}

/* ---- the journal in a memfd ---- */

static int journal_hook(void *arg, const void *rec, size_t len)
{
	return journal_append(arg, rec, len);
}

static int replay_one(void *arg, const void *rec, size_t len)
{
	return ds_store_apply(arg, rec, len);
}

/* Tell standbys (follow.h) which file the journal is now. */
static void publish_hint(void)
{
	static bool told;
	int r;

	if (!follow_hint)
		return;
	r = ds_follow_hint(follow_hint, jnl_fd);
	if (r != OK && !told) {
		told = true;
		fprintf(stderr, "ds: cannot write %s (%s): a standby will "
			"replay the whole journal when it takes over\n",
			follow_hint, sef_strerror(r));
	}
}

/*
 * Write the whole store into a fresh journal and make it the one in the fd
 * store. sef_fd_replace is the commit point: until it returns, the old
 * journal is the state; after it, the new one, which holds the same.
 */
static int compact(void)
{
	struct journal fresh;
	int fd, r;

	r = jfile_new(&fresh, &fd, jnl_generation + 1);
	if (r != OK)
		return r;
	store.hook_arg = &fresh;
	r = ds_store_dump(&store);
	store.hook_arg = &jnl;
	if (r == OK) {
		journal_commit(&fresh);
		r = sef_fd_replace(DS_STATE_NAME, fd);
	}
	if (r != OK) {
		jfile_close(&fresh, fd);
		return r;
	}
	jfile_close(&jnl, jnl_fd);
	jnl = fresh;
	jnl_fd = fd;
	jnl_generation++;
	compacted_size = jnl.tail;
	publish_hint();
	return OK;
}

static void maybe_compact(void)
{
	int r;

	if (jnl.tail < DS_COMPACT_MIN ||
	    jnl.tail < DS_COMPACT_FACTOR * compacted_size)
		return;
	r = compact();
	if (r != OK) {
		fprintf(stderr, "ds: cannot compact the journal: %s\n",
			sef_strerror(r));
		/* Try again when it has grown by as much again. */
		compacted_size = jnl.tail;
	}
}

/* An endpoint whose slot is free or reused names no service any more. */
static bool endpoint_alive(endpoint_t ep)
{
	static char probe;
	cp_grant_id_t g = cpf_grant_direct(ep, (vir_bytes)&probe, 1, CPF_READ);

	if (GRANT_VALID(g)) {
		cpf_revoke(g);
		return true;
	}
	return errno != EDEADEPT && errno != EINVAL;
}

/*
 * Take over the predecessor's journal, or start one. restart: a crash or
 * a fresh start of the same slot, where labels of services that went away
 * meanwhile are swept; not in a live update, whose old instance must find
 * the journal as it left it if the update is rolled back.
 */
static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int attach_state(bool restart)
{
	uint64_t t0 = now_us(), t1, t2, t3;
	int fd = sef_fd_fetch(DS_STATE_NAME);
	long ahead, n;
	/* What a standby replayed before it was swapped in. */
	size_t from = ds_follow_end(fd, &ahead);
	int r;

	if (!from)
		ds_store_reset(&store);	/* not the state: start empty */
	if (fd >= 0) {
		r = jfile_adopt(&jnl, fd, restart, !from);
		t1 = now_us();
		if (r == OK && !from)
			ds_store_presize(&store, journal_committed(&jnl) /
				journal_record_size(ds_store_record_min()),
				journal_committed(&jnl));
		if (r == OK)
			jnl.tail = from;
		n = r == OK ? journal_replay(&jnl, replay_one, &store) : r;
		ds_store_replayed(&store);
		t2 = now_us();
		if (n >= 0) {
			jnl_fd = fd;
			jnl_generation =
				((struct journal_header *)jnl.base)->generation;
			compacted_size = jnl.tail;
			if (restart) {
				unsigned int gone = ds_store_sweep(&store,
							endpoint_alive);

				journal_commit(&jnl);
				if (gone)
					fprintf(stderr, "ds: swept %u labels "
						"of services gone\n", gone);
			}
			t3 = now_us();
			ds_store_renotify(&store);
			publish_hint();
			/* Where a restart's time goes (bench.sh reads it). */
			fprintf(stderr, "ds: took over %zu entries (%ld records, "
				"%ld of them replayed ahead as a standby; %zu "
				"bytes) in %llu us: map %llu, replay %llu, "
				"sweep %llu, renotify %llu\n",
				ds_store_count(&store), n + ahead, ahead,
				jnl.tail,
				(unsigned long long)(now_us() - t0),
				(unsigned long long)(t1 - t0),
				(unsigned long long)(t2 - t1),
				(unsigned long long)(t3 - t2),
				(unsigned long long)(now_us() - t3));
			return OK;
		}
		/* Keep what replayed; a fresh journal takes it from here. */
		fprintf(stderr, "ds: the saved state is damaged (%s); keeping "
			"%zu entries of it\n", sef_strerror((int)n),
			ds_store_count(&store));
		jfile_close(&jnl, fd);
		ds_store_renotify(&store);
	} else if (fd != -ENOENT) {
		fprintf(stderr, "ds: cannot fetch %s: %s\n", DS_STATE_NAME,
			sef_strerror(fd));
	}
	r = jfile_new(&jnl, &jnl_fd, jnl_generation + 1);
	if (r == OK) {
		r = ds_store_dump(&store);
		if (r == OK) {
			journal_commit(&jnl);
			r = sef_fd_replace(DS_STATE_NAME, jnl_fd);
		}
	}
	if (r != OK) {
		fprintf(stderr, "ds: cannot keep state: %s\n",
			sef_strerror(r));
		return r;
	}
	compacted_size = jnl.tail;
	publish_hint();
	return OK;
}

/*
 * A live update that ended with this instance still serving (rolled
 * back, or cancelled): the new version wrote the hint with its own pid,
 * gone now; a standby started from here on must find the journal here.
 */
static void lu_state_changed(int old_state, int state)
{
	(void)old_state;
	if (state == SEF_LU_STATE_NULL)
		publish_hint();
}

static int init_fresh(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	return attach_state(true);
}

static int init_restart(int type, sef_init_info_t *info)
{
	(void)info;
	restarted = true;
	return attach_state(type != SEF_INIT_LU);
}

/* ---- requests ---- */

/* The key (or pattern): inline, or by the caller's read grant. */
static int request_key(const message *m, char key[DS_MAX_KEYLEN])
{
	uint32_t len = m->m_ds.key_len;
	int r;

	if (!len) {
		if (!memchr(m->m_ds.key, '\0', sizeof(m->m_ds.key)))
			return -EINVAL;
		strcpy(key, m->m_ds.key);
		return OK;
	}
	if (len < 2 || len > DS_MAX_KEYLEN)
		return -EINVAL;
	r = sys_safecopyfrom(m->m_source, m->m_ds.key_grant, 0,
			     (vir_bytes)key, len);
	if (r != OK)
		return r;
	/* Exactly len - 1 characters and the NUL. */
	if (key[len - 1] != '\0' || strlen(key) != len - 1)
		return -EINVAL;
	return OK;
}

static int do_publish(const message *m, const char *key)
{
	uint32_t type = m->m_ds.flags & DSF_MASK_TYPE;
	struct ds_request rq = {
		.caller = m->m_source, .flags = m->m_ds.flags, .key = key,
		.value = m->m_ds.val_u32,
	};
	char *data = NULL;
	int r;

	if (m->m_ds.flags & ~(uint32_t)(DSF_MASK_INTERNAL | DSF_OVERWRITE) ||
	    m->m_ds.flags & DSF_IN_USE)
		return -EINVAL;
	if (type == DSF_TYPE_STR || type == DSF_TYPE_MEM) {
		rq.len = m->m_ds.val_u32;
		if (!rq.len)
			return -EINVAL;
		if (rq.len > max_bytes)
			return -E2BIG;
		data = malloc(rq.len);
		if (!data)
			return -ENOMEM;
		r = sys_safecopyfrom(m->m_source, m->m_ds.val_grant, 0,
				     (vir_bytes)data, rq.len);
		if (r != OK) {
			free(data);
			return r;
		}
		rq.data = data;
	}
	r = ds_store_publish(&store, &rq);
	free(data);
	return r;
}

static int do_retrieve(const message *m, const char *key, message *reply)
{
	uint32_t type = m->m_ds.flags & DSF_MASK_TYPE;
	struct ds_retrieved got;
	int r;

	r = ds_store_retrieve(&store, m->m_source, key, type, &got);
	if (r != OK)
		return r;
	if (type == DSF_TYPE_STR || type == DSF_TYPE_MEM) {
		size_t n = got.len < m->m_ds.val_u32 ? got.len :
						       m->m_ds.val_u32;

		if (!n)
			return -EINVAL;
		r = sys_safecopyto(m->m_source, m->m_ds.val_grant, 0,
				   (vir_bytes)got.data, n);
		if (r != OK)
			return r;
		reply->m_ds.val_u32 = (uint32_t)n;
	} else {
		reply->m_ds.val_u32 = got.value;
	}
	reply->m_ds.flags = got.flags;
	reply->m_ds.owner = got.owner;
	return OK;
}

/* Answer a key through the caller's write grant (CHECK, RETRIEVE_LABEL). */
static int key_to_caller(const message *m, const char *key)
{
	size_t len = strlen(key) + 1;

	if (m->m_ds.key_len < len)
		return -EINVAL;
	return sys_safecopyto(m->m_source, m->m_ds.key_grant, 0,
			      (vir_bytes)key, len);
}

static int do_retrieve_label(const message *m)
{
	const char *name = ds_store_label_name(&store,
						(endpoint_t)m->m_ds.val_u32);

	if (!name)
		return -ESRCH;
	return key_to_caller(m, name);
}

static int do_check(const message *m, message *reply)
{
	char key[DS_MAX_KEYLEN];
	uint32_t type;
	endpoint_t owner;
	int r;

	if (!m->m_ds.key_len)
		return -EINVAL;
	r = ds_store_check(&store, m->m_source, key, &type, &owner);
	if (r != OK)
		return r;
	reply->m_ds.flags = type;
	reply->m_ds.owner = owner;
	return key_to_caller(m, key);
}

/* Room in the journal for what this request may append, made up front. */
static int reserve(const message *m)
{
	size_t need = jnl.tail + 3 * journal_record_size(2 * DS_MAX_KEYLEN +
							  64);

	/* A value beyond the cap is refused (E2BIG) before any journaling. */
	if (m->m_type == DS_PUBLISH && m->m_ds.val_u32 <= max_bytes)
		need += journal_record_size(m->m_ds.val_u32);
	return need > jnl.size ? jnl.grow(&jnl, need) : OK;
}

static int changing(const message *m)
{
	char key[DS_MAX_KEYLEN];
	int r;

	r = request_key(m, key);
	if (r != OK)
		return r;
	switch (m->m_type) {
	case DS_PUBLISH:
		return do_publish(m, key);
	case DS_DELETE:
		if (m->m_ds.flags & ~(uint32_t)DSF_MASK_TYPE)
			return -EINVAL;
		return ds_store_delete(&store, m->m_source, key,
				       m->m_ds.flags & DSF_MASK_TYPE);
	default: /* DS_SUBSCRIBE */
		if (m->m_ds.flags & ~(uint32_t)(DSF_MASK_TYPE | DSF_INITIAL |
						DSF_OVERWRITE))
			return -EINVAL;
		return ds_store_subscribe(&store, m->m_source, key,
					  m->m_ds.flags);
	}
}

/*
 * A changing request: done once. Its effect and its result are committed
 * together, so a retry after a crash finds either neither (and does it)
 * or both (and gets the result).
 */
static int do_change(const message *m)
{
	int result, r;

	if (ds_store_seen(&store, m->m_source, m->m_ds.nonce, m->m_ds.seq,
			  &result)) {
		/* Rare (a retry after a death), and worth seeing in the log. */
		fprintf(stderr, "ds: request %u of endpoint %d sent again: "
			"answered with its first result\n", m->m_ds.seq,
			m->m_source);
		return result;
	}
	r = reserve(m);
	if (r != OK)
		return -ENOMEM;
	result = changing(m);
	r = ds_store_remember(&store, m->m_source, m->m_ds.nonce, m->m_ds.seq,
			      result);
	if (r != OK) {
		/* Reserved room makes this unreachable; fail safe anyway. */
		fprintf(stderr, "ds: cannot journal: %s\n", sef_strerror(r));
		abort();
	}
	journal_commit(&jnl);
	/* The test hook: die holding a committed, unanswered request. */
	if (crash_after && m->m_ds.nonce && !restarted &&
	    ++changes == crash_after) {
		fprintf(stderr, "ds: -C %zu: crashing before the answer\n",
			crash_after);
		if (crash_file_size &&
		    ftruncate(jnl_fd, (off_t)crash_file_size) < 0)
			fprintf(stderr, "ds: -G: %s\n", strerror(errno));
		abort();
	}
	return result;
}

/* DS_ADMIN's journaling (admin.h): as reserve() and do_change() do. */
static int admin_reserve(size_t len)
{
	size_t need = jnl.tail + 3 * journal_record_size(2 * DS_MAX_KEYLEN +
							  64) +
		      journal_record_size(len);

	return need > jnl.size ? jnl.grow(&jnl, need) : OK;
}

static void admin_commit(void)
{
	journal_commit(&jnl);
}

static const struct ds_admin_journal admin_journal = {
	.reserve = admin_reserve, .commit = admin_commit,
};

static int handle_request(const message *m, message *reply)
{
	char key[DS_MAX_KEYLEN];
	int r;

	switch (m->m_type) {
	case DS_PUBLISH:
	case DS_DELETE:
	case DS_SUBSCRIBE:
		return do_change(m);
	case DS_RETRIEVE:
		r = request_key(m, key);
		return r == OK ? do_retrieve(m, key, reply) : r;
	case DS_RETRIEVE_LABEL:
		return do_retrieve_label(m);
	case DS_CHECK:
		return do_check(m, reply);
	case DS_ADMIN:
		return ds_admin_request(&store, m, &admin_journal);
	default:
		fprintf(stderr, "ds: unexpected request 0x%x from endpoint %d\n",
			(unsigned int)m->m_type, m->m_source);
		return -EINVAL;
	}
}

static void send_reply(endpoint_t caller, message *reply)
{
	/* The caller sits in sendrec, so a non-blocking send cannot miss it. */
	int r = ipc_sendnb(caller, reply);

	if (r != OK)
		fprintf(stderr, "ds: reply to endpoint %d failed: %s\n",
			caller, sef_strerror(r));
}

/* ---- options ---- */

static const char usage[] =
	"usage: ds-daemon [-n ENTRIES] [-b BYTES] [-H FILE] [-C N [-G BYTES]]\n"
	"The mxsys Data Store. rs-daemon starts it as its first service;\n"
	"it cannot run on its own. Options (also as `args` in its\n"
	"system.conf entry):\n"
	"  -n ENTRIES  at most this many keys and subscriptions (default 1000000)\n"
	"  -b BYTES    at most this many bytes of keys, values and patterns,\n"
	"              with an optional K, M or G suffix (default 256M)\n"
	"  -H FILE     where the serving DS tells a standby which file its\n"
	"              journal is, so that the standby replays it ahead of a\n"
	"              takeover (default " DS_FOLLOW_HINT "; none: nowhere)\n"
	"  -C N        (for tests) abort after committing the N-th client\n"
	"              change, before answering it; a restarted DS does not\n"
	"  -G BYTES    (for tests, with -C) first make the journal's file this\n"
	"              large, as a DS gone wrong could\n"
	"Beyond either cap a publish or subscribe fails with ENOMEM.\n"
	"See ds-daemon(8).\n";

static bool parse_size(const char *text, size_t *out)
{
	unsigned long long v;
	char *end;

	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		return false;
	switch (*end) {
	case 'K': case 'k':
		v <<= 10; end++; break;
	case 'M': case 'm':
		v <<= 20; end++; break;
	case 'G': case 'g':
		v <<= 30; end++; break;
	}
	if (*end || !v || v > UINT32_MAX * 16ULL)
		return false;
	*out = (size_t)v;
	return true;
}

static void parse_options(int argc, char *argv[])
{
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":n:b:C:G:H:")) != -1) {
		switch (c) {
		case 'n':
			if (!parse_size(optarg, &max_entries))
				goto bad_value;
			break;
		case 'b':
			if (!parse_size(optarg, &max_bytes))
				goto bad_value;
			break;
		case 'C':
			if (!parse_size(optarg, &crash_after))
				goto bad_value;
			break;
		case 'G':
			if (!parse_size(optarg, &crash_file_size))
				goto bad_value;
			break;
		case 'H':
			if (*optarg != '/' && strcmp(optarg, "none")) {
				fprintf(stderr, "ds-daemon: -H: '%s' is neither "
					"an absolute path nor none\n%s",
					optarg, usage);
				exit(2);
			}
			follow_hint = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case ':':
			fprintf(stderr, "ds-daemon: -%c needs a value\n%s",
				optopt, usage);
			exit(2);
		default:
			fprintf(stderr, "ds-daemon: unknown option '%s'\n%s",
				argv[optind - 1], usage);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ds-daemon: unexpected argument '%s'\n%s",
			argv[optind], usage);
		exit(2);
	}
	return;
bad_value:
	fprintf(stderr, "ds-daemon: -%c: '%s' is not a positive number\n%s",
		c, optarg, usage);
	exit(2);
}

int main(int argc, char *argv[])
{
	version_help_options(argc, argv, "ds-daemon", usage);
	parse_options(argc, argv);
	ds_store_init(&store, max_entries, max_bytes);
	store.journal = journal_hook;
	store.notify = queue_notify;
	store.hook_arg = &jnl;
	/* Until RS says who this is, it may be a standby: get ahead. */
	if (follow_hint) {
		int r = ds_follow_start(follow_hint, &store,
					DS_FOLLOW_PERIOD_MS);

		if (r != OK)
			fprintf(stderr, "ds: cannot follow the journal: %s\n",
				sef_strerror(r));
	}
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_restart(init_restart);
	sef_setcb_init_lu(init_restart);
	sef_setcb_lu_state_changed(lu_state_changed);
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_startup();
	flush_notify();

	for (;;) {
		message m, reply;
		int status;
		int r;

		r = sef_receive_status(ANY, &m, &status);
		if (r == -EINTR)
			continue;
		if (r != OK) {
			fprintf(stderr, "ds: receive failed: %s\n",
				sef_strerror(r));
			return 1;
		}
		/* Nobody is owed anything for a notification. */
		if (is_ipc_notify(status))
			continue;

		memset(&reply, 0, sizeof(reply));
		reply.m_type = handle_request(&m, &reply);
		if (IPC_STATUS_CALL(status) == MXSYS_CALL_SENDREC)
			send_reply(m.m_source, &reply);
		else if (reply.m_type != OK)
			fprintf(stderr, "ds: unanswered request 0x%x from "
				"endpoint %d failed: %s\n",
				(unsigned int)m.m_type, m.m_source,
				sef_strerror(reply.m_type));
		flush_notify();
		maybe_compact();
	}
}
