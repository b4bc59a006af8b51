/* SPDX-License-Identifier: MIT */
/*
 * SEF debug dump: `minix-service dump LABEL` makes RS send RS_DEBUG_DUMP
 * with a write grant of its memory; the service's callback writes text,
 * SEF copies it into the grant and answers by senda, so a service never
 * blocks on RS for it and RS never waits for the service (it gives up
 * after a timeout). The default callback tells SEF's own state.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "sef_internal.h"

/* The most text a dump copies, whatever room RS offers. */
#define SEF_DUMP_MAX	4096

static sef_cb_debug_dump_t dump_cb = sef_cb_debug_dump_default;

void sef_setcb_debug_dump(sef_cb_debug_dump_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_debug_dump: NULL callback");
	dump_cb = cb;
}

/* Text appended at *len, snprintf-style: *len counts what did not fit. */
struct text {
	char *buf;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void add(struct text *t, const char *fmt, ...)
{
	size_t room = t->len < t->size ? t->size - t->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static const char *init_type_name(int type)
{
	switch (type) {
	case SEF_INIT_FRESH:	return "fresh";
	case SEF_INIT_LU:	return "live update";
	case SEF_INIT_RESTART:	return "restart";
	case -1:		return "none yet";
	default:		return "unknown";
	}
}

static const char *lu_state_name(int state)
{
	switch (state) {
	case SEF_LU_STATE_WORK_FREE:		return "work free";
	case SEF_LU_STATE_REQUEST_FREE:		return "request free";
	case SEF_LU_STATE_PROTOCOL_FREE:	return "protocol free";
	case SEF_LU_STATE_EVAL:			return "eval";
	case SEF_LU_STATE_UNREACHABLE:		return "unreachable (debug)";
	case SEF_LU_STATE_PREPARE_CRASH:	return "prepare crash (debug)";
	default:				return "custom";
	}
}

static void add_signals(struct text *t, const struct sef_dump_state *st)
{
	int n = 0;

	add(t, "pending signals: ");
	if (st->sig_result != OK) {
		add(t, "unknown (%s)\n", sef_strerror(st->sig_result));
		return;
	}
	for (int sig = 1; sig <= 64; sig++) {
		const char *abbrev;

		if (!(st->sig_pending & (UINT64_C(1) << (sig - 1))))
			continue;
		abbrev = sigabbrev_np(sig);
		if (abbrev)
			add(t, "%sSIG%s", n++ ? " " : "", abbrev);
		else
			add(t, "%s%d", n++ ? " " : "", sig);
	}
	add(t, "%s\n", n ? "" : "none");
}

static void add_fd_store(struct text *t, const struct sef_dump_state *st)
{
	add(t, "fd store: ");
	if (st->fd_stored < 0) {
		add(t, "unknown (%s)\n", sef_strerror(st->fd_stored));
		return;
	}
	add(t, "%d of %d", st->fd_stored, SEF_FD_MAX);
	for (int i = 0; i < st->fd_stored && i < SEF_DUMP_FD_NAMES; i++)
		add(t, "%s%.*s", i ? ", " : ": ", SEF_FD_NAME_LEN - 1,
		    st->fd_names[i]);
	add(t, "%s\n", st->fd_stored > SEF_DUMP_FD_NAMES ? ", ..." : "");
}

int sef_dump_format(const struct sef_dump_state *st, char *buf, size_t size)
{
	struct text t = { .buf = buf, .size = size };

	if (size)
		buf[0] = '\0';
	add(&t, "service: %s (endpoint %d, pid %d)\n",
	    st->name[0] ? st->name : "?", st->endpoint, st->pid);
	add(&t, "init: %s\n", init_type_name(st->init_type));
	add(&t, "restarts: %d\n", st->init_type < 0 ? 0 : st->restarts);
	if (st->lu_state == SEF_LU_STATE_NULL)
		add(&t, "live update: none\n");
	else
		add(&t, "live update: preparing for state %d (%s), flags %#x\n",
		    st->lu_state, lu_state_name(st->lu_state), st->lu_flags);
	add_signals(&t, st);
	if (st->open_fds < 0)
		add(&t, "open fds: unknown (%s)\n", sef_strerror(st->open_fds));
	else
		add(&t, "open fds: %d\n", st->open_fds);
	add_fd_store(&t, st);
	add(&t, "ds requests: %u (%u changing, %u answered with an error)\n",
	    st->ds_calls, st->ds_changes, st->ds_errors);
	return t.len > INT32_MAX ? INT32_MAX : (int)t.len;
}

/* The process's open descriptors, the one reading /proc/self/fd aside. */
static int count_open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!dir)
		return -errno;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;
}

int sef_cb_debug_dump_default(char *buf, size_t size)
{
	struct sef_dump_state st;

	memset(&st, 0, sizeof(st));
	st.name = sef_self_name();
	st.endpoint = sef_self_or_none();
	st.pid = (int)getpid();
	sef_init_last(&st.init_type, &st.restarts);
	/*
	 * RS_INIT's count is RS's restart count plus one, except for a
	 * restart, which it counts already: the dump tells `status`'s count.
	 */
	if (st.init_type != SEF_INIT_RESTART && st.restarts > 0)
		st.restarts--;
	st.lu_state = sef_lu_state();
	st.lu_flags = sef_lu_flags();
	st.sig_result = st.endpoint == NONE ? -ENOENT :
		sef_slot_sig_pending(st.endpoint, &st.sig_pending);
	st.open_fds = count_open_fds();
	st.fd_stored = sef_fd_list(st.fd_names, SEF_DUMP_FD_NAMES);
	sef_ds_usage(&st.ds_calls, &st.ds_changes, &st.ds_errors);
	return sef_dump_format(&st, buf, size);
}

void sef_dump_handle(const message *m)
{
	static char text[SEF_DUMP_MAX];
	size_t size = m->m_rs_dump.size;
	message reply;
	size_t len = 0;
	int n, r;

	memset(&reply, 0, sizeof(reply));
	reply.m_type = RS_DEBUG_DUMP;
	reply.m_rs_dump.seq = m->m_rs_dump.seq;
	if (size > sizeof(text))
		size = sizeof(text);
	if (size == 0) {
		reply.m_rs_dump.result = -EINVAL;
		goto answer;
	}
	text[0] = '\0';
	n = dump_cb(text, size);
	if (n < 0) {
		reply.m_rs_dump.result = n;
		goto answer;
	}
	/* What the callback wrote, however it ended it. */
	len = strnlen(text, size - 1);
	if ((size_t)n > len)
		reply.m_rs_dump.flags |= RS_DUMP_CUT;
	text[len] = '\0';
	reply.m_rs_dump.result = sys_safecopyto(RS_PROC_NR, m->m_rs_dump.grant,
						0, (vir_bytes)text, len + 1);
	if (reply.m_rs_dump.result == OK)
		reply.m_rs_dump.size = (uint32_t)len;
answer:
	r = asynsend3(RS_PROC_NR, &reply, AMF_NOREPLY);
	if (r != OK)
		fprintf(stderr, "%s: cannot answer RS's dump request: %s\n",
			program_invocation_short_name, sef_strerror(r));
}
