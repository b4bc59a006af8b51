// SPDX-License-Identifier: MIT
/* The fake world of test_rs_fake.h. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minix/ipc.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../libsef/sef_internal.h"
#include "../../servers/rs/dispatch.h"
#include "../../servers/rs/exec.h"
#include "../../servers/rs/manager.h"
#include "../../servers/rs/nl.h"
#include "../../servers/rs/recovery.h"
#include "../../servers/rs/request.h"
#include "../../servers/rs/snapshot.h"
#include "../../servers/rs/script.h"
#include <minix/safecopies.h>
#include "../../servers/rs/timer.h"
#include "scratch_dir.h"
#include "test_rs_fake.h"

/* Pids of the fake processes: far from any real one RS could signal. */
#define FAKE_PID_BASE	700000
/* RS's timer fires at most this often at one instant before it spins. */
#define FAKE_TIMER_SPINS_MAX	100

struct fake_world fake;

/* RS's loop after each event: commit, then send the answers. */
static void turn_end(void)
{
	if (!fake.hold_turns)
		recovery_turn_end();
}

void fake_turn_end(void)
{
	turn_end();
}

/* ---- helpers ---------------------------------------------------------- */

static struct fake_slot *slot_at(endpoint_t ep)
{
	unsigned int index = (unsigned int)_ENDPOINT_P(ep);

	if (ep == NONE || ep == ANY || index >= FAKE_SLOTS)
		return NULL;
	if (!fake.slots[index].used || fake.slots[index].endpoint != ep)
		return NULL;
	return &fake.slots[index];
}

struct fake_slot *fake_slot(endpoint_t ep)
{
	struct fake_slot *slot = slot_at(ep);

	ck_assert_msg(slot, "endpoint %d names no slot in use", ep);
	return slot;
}

struct fake_proc *fake_proc(pid_t pid)
{
	for (int i = 0; i < fake.nprocs; i++)
		if (fake.procs[i].pid == pid)
			return &fake.procs[i];
	return NULL;
}

struct fake_proc *fake_proc_of(endpoint_t ep)
{
	struct fake_slot *slot = slot_at(ep);

	return slot && slot->pid ? fake_proc(slot->pid) : NULL;
}

int fake_slots_used(void)
{
	int n = 0;

	for (int i = 0; i < FAKE_SLOTS; i++)
		n += fake.slots[i].used;
	return n;
}

static void record(int call, endpoint_t dst, const message *m)
{
	fake_sent_append(fake.sent, &fake.nsent, FAKE_SENT, call, dst, m);
}

int fake_count(int from, endpoint_t dst, int32_t type)
{
	int n = 0;

	for (int i = from; i < fake.nsent; i++)
		if (fake.sent[i].dst == dst && fake.sent[i].m.m_type == type &&
		    fake.sent[i].call != MXSYS_CALL_NOTIFY)
			n++;
	return n;
}

int fake_index(endpoint_t dst, int32_t type)
{
	for (int i = 0; i < fake.nsent; i++)
		if (fake.sent[i].dst == dst && fake.sent[i].m.m_type == type &&
		    fake.sent[i].call != MXSYS_CALL_NOTIFY)
			return i;
	return -1;
}

const struct fake_sent *fake_last(endpoint_t dst, int32_t type)
{
	for (int i = fake.nsent - 1; i >= 0; i--)
		if (fake.sent[i].dst == dst && fake.sent[i].m.m_type == type &&
		    fake.sent[i].call != MXSYS_CALL_NOTIFY)
			return &fake.sent[i];
	ck_abort_msg("RS sent no message of type %#x to %d", (unsigned)type,
		     dst);
	return NULL;
}

/* ---- libsef's IPC: what RS sends, checked against message.h -------------- */

int ipc_fd(void)
{
	errno = ENODEV;
	return -1;
}

int asynsend3(endpoint_t dst, message *m, int flags)
{
	ck_assert_msg(flags == AMF_NOREPLY,
		      "message %#x to %d went by senda without AMF_NOREPLY: a thread in sendrec to RS could take it for its reply",
		      (unsigned)m->m_type, dst);
	ck_assert_msg(m->m_type > 0,
		      "the reply %d to %d went by senda, not as the answer of its sendrec",
		      m->m_type, dst);
	if (!slot_at(dst))
		return -EDEADSRCDST;
	record(MXSYS_CALL_SENDA, dst, m);
	return OK;
}

int ipc_sendnb(endpoint_t dst, message *m)
{
	struct fake_slot *slot = slot_at(dst);
	bool is_reply = m->m_type <= 0 ||
			(m->m_type == RS_LU_PREPARE &&
			 m->m_rs_lu_prepare.state == SEF_LU_STATE_NULL);

	ck_assert_msg(is_reply,
		      "request %#x to %d went by sendnb: it is lost unless the service happens to receive",
		      (unsigned)m->m_type, dst);
	/* The module: no receiver waiting, ENOTREADY. */
	if (!slot || !slot->in_sendrec)
		return -ENOTREADY;
	slot->in_sendrec = false;
	record(MXSYS_CALL_SENDNB, dst, m);
	return OK;
}

int ipc_notify(endpoint_t dst)
{
	if (!slot_at(dst))
		return -EDEADSRCDST;
	record(MXSYS_CALL_NOTIFY, dst, NULL);
	return OK;
}

/* RS never blocks, and never sends a request that may be taken as a reply. */
int ipc_send(endpoint_t dst, message *m)
{
	(void)m;
	ck_abort_msg("RS blocked in a send to %d", dst);
	return -EINVAL;
}

int ipc_sendrec(endpoint_t dst, message *m)
{
	(void)m;
	ck_abort_msg("RS blocked in a sendrec to %d", dst);
	return -EINVAL;
}

int ipc_senda(endpoint_t dst, message *m)
{
	ck_abort_msg("message %#x to %d by senda without AMF_NOREPLY",
		     (unsigned)m->m_type, dst);
	return -EINVAL;
}

int ipc_receive(endpoint_t src, message *m, int *status)
{
	(void)src;
	(void)m;
	(void)status;
	ck_abort_msg("RS received outside its event loop");
	return -EINVAL;
}

/* ---- libsef's kernel calls: the module's slots ----------------------------- */

static int set_sys(struct mxsys_privctl *ctl)
{
	unsigned int index = ctl->slot;
	struct fake_slot *slot;

	if (ctl->endpoint != NONE) {
		/* Re-prepare a slot whose process is gone or never bound. */
		slot = slot_at(ctl->endpoint);
		if (!slot)
			return -EDEADEPT;
		if (fake_proc_of(ctl->endpoint) &&
		    fake_proc_of(ctl->endpoint)->alive && !slot->loading)
			return -EBUSY;
	} else {
		if (index == MXSYS_SLOT_DYNAMIC)
			for (index = MXSYS_NR_STATIC_SLOTS;
			     index < FAKE_SLOTS && fake.slots[index].used;
			     index++)
				;
		if (index >= FAKE_SLOTS)
			return -ENOSPC;
		if (fake.slots[index].used)
			return -EBUSY;
		slot = &fake.slots[index];
		memset(slot, 0, sizeof(*slot));
		slot->used = true;
		/* Static slots keep their well-known endpoints. */
		slot->endpoint = MXSYS_ENDPOINT(index < MXSYS_NR_STATIC_SLOTS ?
						0 : fake.generation[index] + 1,
						index);
	}
	slot->pid = ctl->pid;
	slot->allowed = false;
	slot->in_sendrec = false;
	slot->loading = fake.processes_load_slowly;
	slot->priv = ctl->priv;
	ctl->endpoint = slot->endpoint;
	return OK;
}

static int privctl(struct mxsys_privctl *ctl)
{
	struct fake_slot *slot;

	if (ctl->request == MXSYS_PRIV_SET_SYS)
		return set_sys(ctl);
	if (ctl->endpoint == RS_PROC_NR &&
	    ctl->request == MXSYS_PRIV_UPDATE_SYS) {
		/* RS's own slot (its backup manager, the standby). */
		fake.rs_priv = ctl->priv;
		return OK;
	}
	slot = slot_at(ctl->endpoint);
	if (!slot)
		return -EDEADEPT;
	switch (ctl->request) {
	case MXSYS_PRIV_ALLOW:
		slot->allowed = true;
		return OK;
	case MXSYS_PRIV_DISALLOW:
		slot->allowed = false;
		return OK;
	case MXSYS_PRIV_UPDATE_SYS:
		if (fake.updatesys_error)
			return fake.updatesys_error;
		slot->priv = ctl->priv;
		return OK;
	default:
		ck_abort_msg("unexpected PRIVCTL request %u", ctl->request);
		return -EINVAL;
	}
}

/* The processes (and what moves with them) trade slots. */
static int update(const struct mxsys_update *arg)
{
	struct fake_slot *a = slot_at(arg->src), *b = slot_at(arg->dst);
	struct fake_slot moved;

	fake.update_calls++;
	if (fake.update_error)
		return fake.update_error;
	if (!a || !b)
		return -EDEADEPT;
	moved = *a;
	a->pid = b->pid;
	a->allowed = b->allowed;
	a->in_sendrec = b->in_sendrec;
	a->priv = b->priv;
	a->loading = b->loading;	/* the binding moves too */
	b->pid = moved.pid;
	b->allowed = moved.allowed;
	b->in_sendrec = moved.in_sendrec;
	b->priv = moved.priv;
	b->loading = moved.loading;
	return OK;
}

static int clear(endpoint_t ep)
{
	struct fake_slot *slot = slot_at(ep);
	struct fake_proc *proc = fake_proc_of(ep);
	unsigned int index = (unsigned int)_ENDPOINT_P(ep);

	if (!slot)
		return -EDEADEPT;
	/* The module never clears a bound process's slot. */
	if (proc && proc->alive && !slot->loading)
		return -EBUSY;
	memset(slot, 0, sizeof(*slot));
	fake.generation[index]++;
	return OK;
}

static int getksig(struct mxsys_ksig *ksig)
{
	if (fake.next_ksig < fake.nksig) {
		*ksig = fake.ksig[fake.next_ksig++];
	} else {
		memset(ksig, 0, sizeof(*ksig));
		ksig->endpoint = NONE;
	}
	return OK;
}

int kernel_call(unsigned long request, void *arg)
{
	switch (request) {
	case MXSYS_IOC_PRIVCTL:
		return privctl(arg);
	case MXSYS_IOC_UPDATE:
		return update(arg);
	case MXSYS_IOC_CLEAR:
		return clear(((struct mxsys_endpoint_arg *)arg)->endpoint);
	case MXSYS_IOC_GETKSIG:
		return getksig(arg);
	case MXSYS_IOC_ENDKSIG:
		fake.endksig_calls++;
		return OK;
	default:
		ck_abort_msg("unexpected kernel call %#lx", request);
		return -EINVAL;
	}
}

/* ---- rs-daemon's processes, scripts, clock and netlink ----------------- */

int spawn_prepare(struct spawn *sp, char *const argv[],
		  const struct rs_config *cfg)
{
	return spawn_prepare_fd(sp, argv, cfg, -1, 0);
}

int spawn_prepare_fd(struct spawn *sp, char *const argv[],
		     const struct rs_config *cfg, int exec_fd,
		     unsigned int flags)
{
	struct fake_proc *p;

	(void)cfg;
	(void)flags;
	ck_assert_int_lt(fake.nprocs, FAKE_PROCS);
	p = &fake.procs[fake.nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = FAKE_PID_BASE + fake.nprocs++;
	p->alive = true;
	if (exec_fd >= 0) {
		struct stat st;

		ck_assert_int_eq(fstat(exec_fd, &st), 0);
		p->copy_size = st.st_size;
	} else {
		p->copy_size = -1;
	}
	snprintf(p->binary, sizeof(p->binary), "%s", argv[0]);
	for (int i = 1; argv[i]; i++, p->argc++)
		snprintf(p->args + strlen(p->args),
			 sizeof(p->args) - strlen(p->args), "%s%s",
			 i > 1 ? " " : "", argv[i]);
	sp->pid = p->pid;
	sp->release_fd = -1;
	sp->exec_status_fd = -1;
	return 0;
}

int spawn_release(struct spawn *sp)
{
	if (!fake.exec_error)
		return 0;
	fake_proc(sp->pid)->alive = false;	/* exit 127 */
	return fake.exec_error;
}

void spawn_abort(struct spawn *sp)
{
	fake_proc(sp->pid)->alive = false;
}

int spawn_kill(pid_t pid)
{
	struct fake_proc *p = fake_proc(pid);

	ck_assert_msg(p, "RS killed pid %d, which it never started", pid);
	if (!p->alive)
		return -ESRCH;
	p->killed = true;
	return 0;
}

int spawn_wait_exit(pid_t pid, unsigned int timeout_ms)
{
	struct fake_proc *p = fake_proc(pid);

	(void)timeout_ms;
	ck_assert_msg(p, "RS waited for pid %d, which it never started", pid);
	ck_assert_msg(p->killed || !p->alive,
		      "RS waited for pid %d, which it did not kill", pid);
	/* Killed, it exits (its slot is the module's to mark dead). */
	p->alive = false;
	return 0;
}

int script_run(const char *script, const char *label, const char *reason,
	       unsigned int incarnation)
{
	struct fake_script *s;

	(void)script;
	ck_assert_int_lt(fake.nscripts, FAKE_SCRIPTS);
	s = &fake.scripts[fake.nscripts++];
	snprintf(s->label, sizeof(s->label), "%s", label);
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	s->incarnation = incarnation;
	return FAKE_PID_BASE - fake.nscripts;
}

rs_time_t now_ms(void)
{
	return fake.now;
}

int relay_reply(uint32_t request_id, const struct rs_reply *reply)
{
	ck_assert_int_lt(fake.nreplies, FAKE_REPLIES);
	for (int i = 0; i < fake.nreplies; i++)
		ck_assert_msg(fake.replies[i].request_id != request_id,
			      "request %u answered twice", request_id);
	fake.replies[fake.nreplies].request_id = request_id;
	fake.replies[fake.nreplies].reply = *reply;
	fake.nreplies++;
	return 0;
}

/* ---- events the tests drive --------------------------------------------- */

static void deliver(const message *m, int call)
{
	dispatch_message(m, call);
	turn_end();
}

static message from(endpoint_t src, int32_t type)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_source = src;
	m.m_type = type;
	return m;
}

void fake_dump_answer(endpoint_t ep, uint32_t seq, int result, uint32_t size,
		      uint32_t flags)
{
	message m = from(ep, RS_DEBUG_DUMP);

	m.m_rs_dump.seq = seq;
	m.m_rs_dump.result = result;
	m.m_rs_dump.size = size;
	m.m_rs_dump.flags = flags;
	deliver(&m, MXSYS_CALL_SENDA);
}

/* A process of ep, allowed to run, blocks in a sendrec to RS with m. */
static void sendrec_to_rs(endpoint_t ep, const message *m)
{
	struct fake_slot *slot = fake_slot(ep);

	ck_assert_msg(slot->allowed,
		      "the process of %d answers but RS never let it run", ep);
	ck_assert_msg(!slot->in_sendrec, "%d is in a sendrec already", ep);
	slot->in_sendrec = true;
	deliver(m, MXSYS_CALL_SENDREC);
}

void fake_init_answer(endpoint_t ep, int result, unsigned int policy)
{
	message m = from(ep, RS_INIT);

	m.m_rs_init.result = result;
	m.m_rs_init.restart_policy = policy;
	sendrec_to_rs(ep, &m);
}

void fake_prepare_answer(endpoint_t ep, int state, int result)
{
	message m = from(ep, RS_LU_PREPARE);

	m.m_rs_lu_prepare.state = state;
	m.m_rs_lu_prepare.result = result;
	sendrec_to_rs(ep, &m);
}

void fake_notify(endpoint_t ep)
{
	message m = from(ep, NOTIFY_MESSAGE);

	m.m_notify_timestamp = fake.now * 1000000;
	deliver(&m, MXSYS_CALL_NOTIFY);
}

static void push_ksig(endpoint_t ep, uint32_t flags, uint64_t sigset,
		      int status, pid_t pid)
{
	message m = from(SYSTEM, NOTIFY_MESSAGE);

	ck_assert_int_lt(fake.nksig, FAKE_PROCS);
	fake.ksig[fake.nksig++] = fake_ksig(ep, flags, sigset, status, pid);
	deliver(&m, MXSYS_CALL_NOTIFY);
}

void fake_signals(endpoint_t ep, uint64_t sigset)
{
	push_ksig(ep, 0, sigset, 0, 0);
}

void fake_die(endpoint_t ep, int wait_status)
{
	struct fake_slot *slot = fake_slot(ep);
	struct fake_proc *p = fake_proc_of(ep);

	ck_assert_msg(p && p->alive, "no live process behind %d", ep);
	p->alive = false;
	p->exit_status = wait_status;
	slot->in_sendrec = false;
	/* Never bound: the module does not hear of its exit. */
	if (!slot->loading)
		push_ksig(ep, MXSYS_KSIG_DEAD, 0, wait_status, p->pid);
}

void fake_die_unseen(endpoint_t ep, int wait_status)
{
	struct fake_proc *p = fake_proc_of(ep);

	ck_assert_msg(p && p->alive, "no live process behind %d", ep);
	p->alive = false;
	p->exit_status = wait_status;
	fake_slot(ep)->in_sendrec = false;
	ck_assert_int_lt(fake.nksig, FAKE_PROCS);
	fake.ksig[fake.nksig++] = fake_ksig(ep, MXSYS_KSIG_DEAD, 0, wait_status,
					    p->pid);
}

void fake_reap_kills(void)
{
	bool again = true;

	while (again) {
		again = false;
		for (int i = 0; i < FAKE_SLOTS; i++) {
			struct fake_slot *slot = &fake.slots[i];
			struct fake_proc *p;

			if (!slot->used)
				continue;
			p = fake_proc_of(slot->endpoint);
			if (p && p->alive && p->killed) {
				fake_die(slot->endpoint, SIGKILL);
				again = true;
			}
		}
	}
}

void fake_reaped(pid_t pid)
{
	manager_reaped(pid);
	turn_end();
}

void fake_advance(rs_time_t ms)
{
	rs_time_t until = fake.now + ms;
	int spins = 0;

	for (;;) {
		rs_time_t deadline = manager_next_deadline();

		if (deadline > until)
			break;
		if (deadline > fake.now) {
			fake.now = deadline;
			spins = 0;
		}
		ck_assert_msg(++spins < FAKE_TIMER_SPINS_MAX,
			      "RS's deadline %llu stays due: the loop would spin",
			      (unsigned long long)deadline);
		manager_timeout(fake.now);
		turn_end();
	}
	fake.now = until;
}

/* ---- requests ------------------------------------------------------------- */

uint32_t fake_request_as(uint32_t uid, pid_t pid,
			 const struct rs_request *rq)
{
	uint32_t id = fake.next_request_id++;

	request_handle(id, uid, pid, rq, sizeof(*rq));
	turn_end();
	return id;
}

uint32_t fake_request(uint32_t uid, const struct rs_request *rq)
{
	return fake_request_as(uid, 1, rq);
}

const struct rs_reply *fake_reply(uint32_t id)
{
	for (int i = 0; i < fake.nreplies; i++)
		if (fake.replies[i].request_id == id)
			return &fake.replies[i].reply;
	return NULL;
}

struct rs_request fake_rq(uint32_t type, const char *label)
{
	struct rs_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.rq_type = type;
	if (label)
		snprintf(rq.rss_label, sizeof(rq.rss_label), "%s", label);
	return rq;
}

struct rs_request fake_rq_sysctl(uint32_t subtype)
{
	struct rs_request rq = fake_rq(RS_SYSCTL, NULL);

	rq.rq_subtype = subtype;
	return rq;
}

struct rs_request fake_rq_up(const char *label, const char *args,
			     uint32_t flags, uint32_t period_ms)
{
	struct rs_request rq = fake_rq(RS_UP, label);

	snprintf(rq.rss_cmd, sizeof(rq.rss_cmd), "/bin/true");
	snprintf(rq.rss_args, sizeof(rq.rss_args), "%s", args);
	/* Not /etc/minix: the host's files have nothing to do with it. */
	snprintf(rq.rss_config, sizeof(rq.rss_config), "%s", fake.conf);
	rq.rss_flags = flags;
	rq.rss_period_ms = period_ms;
	return rq;
}

struct rs_request fake_rq_update(const char *label, uint32_t flags)
{
	struct rs_request rq = fake_rq(RS_UPDATE, label);

	rq.rss_flags = RSS_SELF_LU | flags;
	rq.rss_state = FAKE_LU_STATE;
	return rq;
}

struct rs_status fake_status(const char *label)
{
	struct rs_request rq = fake_rq(RS_STATUS, label);
	const struct rs_reply *reply = fake_reply(fake_request(1000, &rq));

	ck_assert_ptr_nonnull(reply);
	ck_assert_msg(reply->result == OK, "status %s: %s", label,
		      sef_strerror(reply->result));
	return reply->status;
}

bool fake_gone(const char *label)
{
	struct rs_request rq = fake_rq(RS_STATUS, label);

	return fake_reply(fake_request(0, &rq))->result == -ESRCH;
}

endpoint_t fake_up_running(const char *label, uint32_t flags,
			   uint32_t period_ms)
{
	struct rs_request rq = fake_rq_up(label, "", flags, period_ms);
	uint32_t id = fake_request(0, &rq);
	const struct rs_reply *reply;
	endpoint_t ep;

	ck_assert_ptr_null(fake_reply(id));
	ep = fake_status(label).endpoint;
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, OK);
	return ep;
}

void fake_rewrite_conf(const char *extra_conf)
{
	FILE *f = fopen(fake.conf, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "service true { };\n%s", extra_conf);
	ck_assert_int_eq(fclose(f), 0);
}

void fake_start(const char *extra_conf)
{
	FILE *f;

	memset(&fake, 0, sizeof(fake));
	fake.now = 1000;
	fake.next_request_id = 1;
	scratch_dir_create(fake.dir, sizeof(fake.dir), "test_rs");
	snprintf(fake.conf, sizeof(fake.conf), "%s/system.conf", fake.dir);
	f = fopen(fake.conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "service true { };\n%s", extra_conf ? extra_conf : "");
	ck_assert_int_eq(fclose(f), 0);
	manager_set_backoff_period(FAKE_BACKOFF_MS);
	manager_set_config_path(fake.conf);
	ck_assert_int_eq(manager_boot("/bin/true"), OK);
	turn_end();
}

void fake_restarted(const char *label, unsigned int restarts)
{
	endpoint_t ep = fake_status(label).endpoint;

	ck_assert_int_eq(fake_last(ep, RS_INIT)->m.m_rs_init.type,
			 SEF_INIT_RESTART);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status(label).restarts, restarts);
	ck_assert_uint_eq(fake_status(label).flags & ~RS_STATUS_CORE,
			  RS_STATUS_ACTIVE);
}

void fake_update_steps(endpoint_t ep, int state)
{
	fake_prepare_answer(ep, state, OK);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
}

void fake_boot(const char *extra_conf)
{
	fake_start(extra_conf);
	ck_assert(!manager_booted());
	fake_init_answer(DS_PROC_NR, OK, RS_POLICY_RESTART);
	ck_assert(manager_booted());
}

/* ---- RS's own death ------------------------------------------------------ */

/* The fd store of RS's slot: the module keeps it when RS dies. */
static int fd_store(const char *name, int fd, bool replace)
{
	int i, free_entry = -1;

	for (i = 0; i < FAKE_FDS; i++) {
		if (fake.fds[i].fd > 0 && strcmp(fake.fds[i].name, name) == 0)
			break;
		if (fake.fds[i].fd <= 0 && free_entry < 0)
			free_entry = i;
	}
	if (i < FAKE_FDS) {
		if (!replace)
			return -EEXIST;
		close(fake.fds[i].fd);
	} else if (free_entry < 0) {
		return -ENOSPC;
	} else {
		i = free_entry;
	}
	fake.fds[i].fd = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	ck_assert_int_ge(fake.fds[i].fd, 0);
	snprintf(fake.fds[i].name, sizeof(fake.fds[i].name), "%s", name);
	return OK;
}

int sef_fd_store(const char *name, int fd)
{
	return fd_store(name, fd, false);
}

int sef_fd_replace(const char *name, int fd)
{
	return fd_store(name, fd, true);
}

static int fd_entry(const char *name)
{
	for (int i = 0; i < FAKE_FDS; i++)
		if (fake.fds[i].fd > 0 && strcmp(fake.fds[i].name, name) == 0)
			return i;
	return -1;
}

int sef_fd_fetch(const char *name)
{
	int i = fd_entry(name);

	return i < 0 ? -ENOENT : fcntl(fake.fds[i].fd, F_DUPFD_CLOEXEC, 0);
}

int sef_fd_remove(const char *name)
{
	int i = fd_entry(name);

	if (i < 0)
		return -ENOENT;
	close(fake.fds[i].fd);
	fake.fds[i].fd = 0;
	return OK;
}

int sef_fd_list(char names[][SEF_FD_NAME_LEN], int max)
{
	int n = 0;

	for (int i = 0; i < FAKE_FDS; i++)
		if (fake.fds[i].fd > 0 && n < max)
			snprintf(names[n++], SEF_FD_NAME_LEN, "%s",
				 fake.fds[i].name);
	return n;
}

bool fake_fd_stored(const char *name)
{
	return fd_entry(name) >= 0;
}

/* A death of ep queued for GETKSIG and not yet pulled. */
static bool death_pending(endpoint_t ep)
{
	for (int i = fake.next_ksig; i < fake.nksig; i++)
		if (fake.ksig[i].endpoint == ep &&
		    (fake.ksig[i].flags & MXSYS_KSIG_DEAD))
			return true;
	return false;
}

/* What the module says of a slot in use: MXSYS_SLOT_STATE_*. */
static unsigned int slot_state(const struct fake_slot *slot)
{
	const struct fake_proc *p = fake_proc(slot->pid);

	/* The module sees the exit of a bound process only. */
	if (slot->loading)
		return MXSYS_SLOT_STATE_PREPARED;
	return p && !p->alive ? MXSYS_SLOT_STATE_DEAD : MXSYS_SLOT_STATE_BOUND;
}

int relay_slot_states(const endpoint_t *endpoints, unsigned int *states,
		      unsigned int count)
{
	fake.slot_state_reads++;
	for (unsigned int i = 0; i < count; i++) {
		const struct fake_slot *slot = slot_at(endpoints[i]);

		states[i] = slot ? slot_state(slot) : MXSYS_SLOT_STATE_FREE;
	}
	return 0;
}

void relay_slot_table_close(void)
{
	fake.slot_table_closes++;
}

void fake_loaded(endpoint_t endpoint)
{
	struct fake_slot *slot = slot_at(endpoint);

	ck_assert_ptr_nonnull(slot);
	slot->loading = false;
}

int relay_slot_table(struct slot_view *slots, unsigned int max)
{
	unsigned int n = 0;

	for (int i = 0; i < FAKE_SLOTS; i++) {
		const struct fake_slot *slot = &fake.slots[i];
		const struct fake_proc *p = fake_proc(slot->pid);
		struct slot_view *v;

		if (!slot->used)
			continue;
		ck_assert_uint_lt(n, max);
		v = &slots[n++];
		memset(v, 0, sizeof(*v));
		v->endpoint = slot->endpoint;
		snprintf(v->name, sizeof(v->name), "%s", slot->priv.name);
		v->state = slot_state(slot);
		v->allowed = slot->allowed;
		if (v->state == MXSYS_SLOT_STATE_DEAD) {
			v->exit_status = p->exit_status;
			v->death_pending = death_pending(slot->endpoint);
		} else {
			v->pid = slot->pid;
		}
	}
	return (int)n;
}

void fake_rs_dies(void)
{
	/* Whatever RS had in memory is gone; its fd store stays. */
	snapshot_close();
	fake.hold_turns = false;
	fake.rs_deaths++;
	ck_assert_msg(recovery_found(), "RS left no state to take over");
	ck_assert_int_eq(recovery_resume("test: RS killed"), OK);
}

void fake_end(void)
{
	if (fake.dir[0] != '\0')
		scratch_dir_remove(fake.dir);
}

/*
 * ds_relay.c's and dump.c's grants: remembered, so that a test can write
 * what a service would copy into one (fake_grant_memory).
 */
#define FAKE_GRANTS	16
static struct {
	cp_grant_id_t id;
	void *addr;
	size_t bytes;
	endpoint_t who_to;
} grants[FAKE_GRANTS];

cp_grant_id_t cpf_grant_direct(endpoint_t who_to, vir_bytes addr,
			       size_t bytes, int access)
{
	static cp_grant_id_t next;

	(void)access;
	++next;
	grants[next % FAKE_GRANTS].id = next;
	grants[next % FAKE_GRANTS].addr = (void *)addr;
	grants[next % FAKE_GRANTS].bytes = bytes;
	grants[next % FAKE_GRANTS].who_to = who_to;
	return next;
}

void *fake_grant_memory(cp_grant_id_t grant, endpoint_t who, size_t *bytes)
{
	ck_assert_int_eq(grants[grant % FAKE_GRANTS].id, grant);
	ck_assert_int_eq(grants[grant % FAKE_GRANTS].who_to, who);
	*bytes = grants[grant % FAKE_GRANTS].bytes;
	return grants[grant % FAKE_GRANTS].addr;
}

int cpf_revoke(cp_grant_id_t grant)
{
	(void)grant;
	return OK;
}
