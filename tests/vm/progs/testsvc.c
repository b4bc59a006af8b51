// SPDX-License-Identifier: MIT
/*
 * testsvc: a SEF service whose recovery and live-update behaviour is
 * chosen by its arguments, for the VM suites 60-recovery, 62-control and
 * 65-liveupdate (and bench.sh). Started by rs-daemon:
 *
 *   minix-service up /tests/bin/testsvc -label L -args "ID [OPTION...]"
 *
 * ID names its files (TS_DIR/ID.log, TS_DIR/ID.cmd) and its DS keys
 * (ts.ID, ts.ID.g, ts.ID.s). Options:
 *   restart=own        restart callback: ours (keeps the endpoint, logs)
 *   restart=stateful   SEF_CB_INIT_RESTART_STATEFUL
 *                      (default: libsef's default, sef_cb_init_reset)
 *   lu=ds              save the live-update state (served, generation) in
 *                      DS in state_save, restore it in the LU init
 *   isvalid=custom     accept prepare states 1 and 7 only (default: the
 *                      library's isvalid callback)
 *   ready-after=MS     prepare(state 7) is ENOTREADY until MS ms after
 *                      the prepare request arrived
 *   term=term          sef_cb_signal_handler_term
 *   term=log           log every signal, keep running
 *   term=logterm       log every signal, then sef_cb_signal_handler_term
 *                      (default: no handler set, MINIX's default ignores all)
 *   tag=N              version tag in echo replies and the log
 *   init-fails=N       the first N inits (fresh or restart, counted in
 *                      TS_DIR/ID.inits) fail with EIO
 *   init-hold          a restart's init (restart=own) logs init-held and
 *                      waits while TS_DIR/ID.hold exists: a suite holds RS
 *                      in the middle of a restart (63-rs-takeover)
 *   drop=N             never answer the N-th request (a lost request, for
 *                      checking that testclient's watchdog notices one)
 *   wrong-from=N       from the N-th request on, answer with the wrong
 *                      sequence number (wrong answers, for checking that
 *                      mxsys-campaign sees what a client sees)
 *   poll=MS            how often to look for a command file (default 100,
 *                      0: never)
 *   dump=custom        debug dump callback: libsef's default text, then
 *                      "testsvc: ID served=N gen=G" (minix-service dump)
 * `testsvc --probe` exits 0 at once, before anything else: the bare
 * fork+exec floor that bench.sh compares recovery against.
 *
 * Requests: TS_ECHO (lib/testsvc.h) is answered with who answered.
 *
 * Commands: a file TS_DIR/ID.cmd (write it elsewhere and rename it in)
 * holding one line is read and removed at the next poll:
 *   exit N     exit(N) (RS sees a death)
 *   spin       busy-loop forever (only a heartbeat notices)
 *   segv       write through a NULL pointer
 *   crash-holding  abort() on the next request, before answering it: its
 *              client gets EDEADSRCDST, an error to retry on
 *   run CMD    run `/bin/sh -c CMD` as a child, wait for it, log its status
 *              (a service that runs minix-service, for `control` lists)
 *   fd-store NAME PATH  open PATH (read-only, non-blocking: a FIFO's read
 *              end) and keep it in the slot's fd store as NAME
 *   fd-check NAME  fetch NAME from the fd store, log its inode, close it
 *   fd-remove NAME  remove NAME from the fd store
 *
 * Log: one line per event, appended to TS_DIR/ID.log (and stderr, which is
 * RS's log):
 *   t=MONO_US pid=P id=ID event=EVENT key=value...
 * events: init (type fresh|restart|lu, ep, restarts, old_ep, flags, dskey:
 * whether ts.ID existed, restored, nonce, gen, served; fds: the names in
 * the fd store at init, comma-separated or "-"; open: the process's open
 * descriptors at init, from /proc/self/fd), fd-store, fd-check, fd-remove
 * (name, result: 0 or -errno, ino), running (after
 * sef_startup), signal, prepare / prepare-end (state_changed), save, cmd,
 * run, exit, spin. The suites grep these lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "testsvc.h"

#define CUSTOM_STATE		SEF_LU_STATE_CUSTOM_BASE	/* 7 */
#define DEFAULT_POLL_MS		100
#define LOG_LINE_MAX		512

enum restart_kind { RESTART_DEFAULT, RESTART_OWN, RESTART_STATEFUL };
enum term_kind { TERM_DEFAULT, TERM_TERM, TERM_LOG, TERM_LOGTERM };

static struct {
	const char *id;
	enum restart_kind restart;
	bool lu_ds;
	bool isvalid_custom;
	long ready_after_ms;
	enum term_kind term;
	long tag;
	long poll_ms;
	long drop_nth;		/* 0: answer everything */
	long wrong_from;	/* 0: answer everything right */
	long init_fails;	/* this many inits fail */
	bool init_hold;		/* restart inits wait for ID.hold to go */
	bool dump_custom;	/* dump=custom */
} opt = {
	.poll_ms = DEFAULT_POLL_MS,
};

/* What the service is and carries. */
static struct {
	int log_fd;
	uint32_t nonce;		/* from ts.ID: lost when RS purges the label */
	uint32_t served;	/* requests served; kept by LU through DS */
	uint32_t generation;	/* live updates so far; kept the same way */
	int restarts;		/* from the last init */
	int lu_state;		/* SEF_LU_STATE_NULL unless preparing */
	bool crash_holding;	/* the next request is never answered */
	uint64_t prepare_since_us;
} ts = {
	.log_fd = -1,
};

static uint64_t mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

__attribute__((format(printf, 1, 2)))
static void ts_log(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "t=%llu pid=%d id=%s ",
		     (unsigned long long)mono_us(), (int)getpid(),
		     opt.id ? opt.id : "?");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write each: lines from several instances never interleave. */
	if (ts.log_fd >= 0 && write(ts.log_fd, line, (size_t)n) < 0)
		ts.log_fd = -1;
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

static void usage_exit(const char *why)
{
	fprintf(stderr, "testsvc: %s\n"
		"usage: testsvc ID [restart=own|stateful] [lu=ds] "
		"[isvalid=custom] [ready-after=MS] "
		"[term=term|log|logterm] [tag=N] [poll=MS] [drop=N] [wrong-from=N] "
		"[dump=custom]\n", why);
	/* Before sef_startup: RS sees a death during init. */
	exit(2);
}

static long parse_number(const char *text, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (text[0] == '\0' || *end != '\0' || errno || v < 0 || v > INT_MAX) {
		fprintf(stderr, "testsvc: %s wants a number, not '%s'\n", what,
			text);
		usage_exit("bad number");
	}
	return v;
}

static void parse_args(int argc, char **argv)
{
	int i;

	if (argc < 2 || argv[1][0] == '\0' || strchr(argv[1], '=') ||
	    strlen(argv[1]) > TS_ID_MAX || strchr(argv[1], '/'))
		usage_exit("the first argument is the ID (a short name)");
	opt.id = argv[1];
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "restart=own"))
			opt.restart = RESTART_OWN;
		else if (!strcmp(a, "restart=stateful"))
			opt.restart = RESTART_STATEFUL;
		else if (!strcmp(a, "lu=ds"))
			opt.lu_ds = true;
		else if (!strcmp(a, "isvalid=custom"))
			opt.isvalid_custom = true;
		else if (!strncmp(a, "ready-after=", 12))
			opt.ready_after_ms = parse_number(a + 12, "ready-after");
		else if (!strcmp(a, "term=term"))
			opt.term = TERM_TERM;
		else if (!strcmp(a, "term=log"))
			opt.term = TERM_LOG;
		else if (!strcmp(a, "term=logterm"))
			opt.term = TERM_LOGTERM;
		else if (!strncmp(a, "tag=", 4))
			opt.tag = parse_number(a + 4, "tag");
		else if (!strncmp(a, "poll=", 5))
			opt.poll_ms = parse_number(a + 5, "poll");
		else if (!strncmp(a, "init-fails=", 11))
			opt.init_fails = parse_number(a + 11, "init-fails");
		else if (!strcmp(a, "init-hold"))
			opt.init_hold = true;
		else if (!strncmp(a, "drop=", 5))
			opt.drop_nth = parse_number(a + 5, "drop");
		else if (!strcmp(a, "dump=custom"))
			opt.dump_custom = true;
		else if (!strncmp(a, "wrong-from=", 11))
			opt.wrong_from = parse_number(a + 11, "wrong-from");
		else
			usage_exit("unknown option");
	}
}

static void open_log(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.log", TS_DIR, opt.id);
	ts.log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (ts.log_fd < 0)
		fprintf(stderr, "testsvc: cannot open %s: %s\n", path,
			strerror(errno));
}

/* ---- DS keys ---- */

static void ds_key(char key[DS_MAX_KEYLEN], const char *suffix)
{
	snprintf(key, DS_MAX_KEYLEN, "ts.%s%s", opt.id, suffix);
}

/*
 * ts.ID holds the nonce of this line of instances. It survives what keeps
 * the label (restart on the same endpoint, live update) and disappears
 * when RS deletes the label (down, reset). Returns whether it existed.
 */
static bool adopt_or_publish_nonce(void)
{
	char key[DS_MAX_KEYLEN];
	u32_t value;
	int r;

	ds_key(key, "");
	r = ds_retrieve_u32(key, &value);
	if (r == OK) {
		ts.nonce = value;
		return true;
	}
	ts.nonce = (uint32_t)(mono_us() * 2654435761u) ^ (uint32_t)getpid();
	r = ds_publish_u32(key, ts.nonce, DSF_OVERWRITE);
	if (r != OK)
		ts_log("event=ds-error op=publish key=%s r=%d", key, r);
	return false;
}

static int save_u32(const char *suffix, uint32_t value)
{
	char key[DS_MAX_KEYLEN];

	ds_key(key, suffix);
	return ds_publish_u32(key, value, DSF_OVERWRITE);
}

/* Retrieve and delete ts.ID<suffix>: OK or the first error. */
static int take_u32(const char *suffix, uint32_t *value)
{
	char key[DS_MAX_KEYLEN];
	u32_t v;
	int r;

	ds_key(key, suffix);
	r = ds_retrieve_u32(key, &v);
	if (r != OK)
		return r;
	*value = v;
	return ds_delete_u32(key);
}

/* ---- SEF callbacks ---- */

/* The fd store's names, comma-separated ("-" for none). */
static void fd_store_names(char *out, size_t len)
{
	static char names[SEF_FD_MAX][SEF_FD_NAME_LEN];
	int n = sef_fd_list(names, SEF_FD_MAX);
	size_t used = 0;

	snprintf(out, len, "%s", n > 0 ? "" : n == 0 ? "-" : "?");
	for (int i = 0; i < n && i < SEF_FD_MAX; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0,
					 "%s%s", i ? "," : "", names[i]);
}

/* Descriptors open in this process (a leak from RS or the store shows). */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* not the one opendir holds */
}

static void log_init(const char *type, const sef_init_info_t *info,
		     bool dskey, const char *extra)
{
	char fds[256];

	fd_store_names(fds, sizeof(fds));
	ts_log("event=init type=%s ep=%d restarts=%d old_ep=%d flags=0x%x "
	       "dskey=%d nonce=%u gen=%u served=%u tag=%ld uid=%d fds=%s open=%d%s",
	       type, (int)info->endpoint, info->restarts,
	       (int)info->old_endpoint, (unsigned)info->flags, dskey ? 1 : 0,
	       ts.nonce, ts.generation, ts.served, opt.tag, (int)getuid(),
	       fds, open_fds(), extra);
}

/* How many inits this ID has run, this one included (files outlive us). */
static long count_init(void)
{
	char path[PATH_MAX], text[32] = "";
	long count = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.inits", TS_DIR, opt.id);
	f = fopen(path, "r");
	if (f) {
		if (fgets(text, sizeof(text), f))
			count = strtol(text, NULL, 10);
		fclose(f);
	}
	count++;
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%ld\n", count);
		fclose(f);
	}
	return count;
}

/* Fresh start and crash restart alike: only DS data is left from before. */
static int init_from_scratch(const char *what, sef_init_info_t *info)
{
	bool dskey;

	if (opt.init_fails && count_init() <= opt.init_fails) {
		ts_log("event=init-fail type=%s", what);
		return -EIO;
	}
	dskey = adopt_or_publish_nonce();

	ts.restarts = info->restarts;
	ts.served = 0;
	ts.generation = 0;
	log_init(what, info, dskey, "");
	return OK;
}

static int init_fresh(int type, sef_init_info_t *info)
{
	(void)type;
	return init_from_scratch("fresh", info);
}

/* init-hold: until the suite removes TS_DIR/ID.hold. */
static void hold_while_file(void)
{
	const struct timespec pause = { .tv_nsec = 10 * 1000000L };
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.hold", TS_DIR, opt.id);
	if (access(path, F_OK) != 0)
		return;
	ts_log("event=init-held");
	while (access(path, F_OK) == 0)
		nanosleep(&pause, NULL);
}

static int init_restart(int type, sef_init_info_t *info)
{
	(void)type;
	if (opt.init_hold)
		hold_while_file();
	return init_from_scratch("restart", info);
}

static int init_lu(int type, sef_init_info_t *info)
{
	bool dskey = adopt_or_publish_nonce();
	char extra[64] = " restored=0";
	uint32_t served = 0, generation = 0;
	int r = OK;

	(void)type;
	ts.restarts = info->restarts;
	ts.served = 0;
	ts.generation = 0;
	if (opt.lu_ds) {
		r = take_u32(".s", &served);
		if (r == OK)
			r = take_u32(".g", &generation);
		if (r == OK) {
			ts.served = served;
			ts.generation = generation + 1;
			snprintf(extra, sizeof(extra), " restored=1");
		} else {
			snprintf(extra, sizeof(extra), " restored=0 r=%d", r);
		}
	}
	log_init("lu", info, dskey, extra);
	/* A state that did not come over is this version's failure to init. */
	return opt.lu_ds && r != OK ? r : OK;
}

static int lu_state_save(int state, int flags)
{
	int r = save_u32(".s", ts.served);

	if (r == OK)
		r = save_u32(".g", ts.generation);
	ts_log("event=save state=%d flags=0x%x served=%u gen=%u r=%d", state,
	       (unsigned)flags, ts.served, ts.generation, r);
	return r;
}

static int lu_isvalid_custom(int state, int flags)
{
	(void)flags;
	return state == SEF_LU_STATE_WORK_FREE || state == CUSTOM_STATE;
}

static int lu_prepare(int state)
{
	if (state != CUSTOM_STATE)
		return OK;
	if (mono_us() - ts.prepare_since_us <
	    (uint64_t)opt.ready_after_ms * 1000u)
		return -ENOTREADY;
	ts_log("event=ready state=%d", state);
	return OK;
}

static void lu_state_changed(int old_state, int state)
{
	ts.lu_state = state;
	if (state != SEF_LU_STATE_NULL) {
		ts.prepare_since_us = mono_us();
		ts_log("event=prepare state=%d", state);
	} else {
		ts_log("event=prepare-end old_state=%d", old_state);
	}
}

static void signal_log(int signo)
{
	ts_log("event=signal signo=%d", signo);
}

static void signal_logterm(int signo)
{
	ts_log("event=signal signo=%d", signo);
	sef_cb_signal_handler_term(signo);
}

/* dump=custom: SEF's own lines, then ours. */
static int dump_custom(char *buf, size_t size)
{
	int n = sef_cb_debug_dump_default(buf, size);
	size_t used = strlen(buf);

	if (n < 0)
		return n;
	return n + snprintf(buf + used, size - used,
			    "testsvc: %s served=%u gen=%u\n", opt.id,
			    ts.served, ts.generation);
}

static void register_callbacks(void)
{
	if (opt.dump_custom)
		sef_setcb_debug_dump(dump_custom);
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_lu(init_lu);
	switch (opt.restart) {
	case RESTART_OWN:
		sef_setcb_init_restart(init_restart);
		break;
	case RESTART_STATEFUL:
		sef_setcb_init_restart(SEF_CB_INIT_RESTART_STATEFUL);
		break;
	case RESTART_DEFAULT:
		break;
	}
	if (opt.lu_ds)
		sef_setcb_lu_state_save(lu_state_save);
	if (opt.isvalid_custom)
		sef_setcb_lu_state_isvalid(lu_isvalid_custom);
	sef_setcb_lu_prepare(lu_prepare);
	sef_setcb_lu_state_changed(lu_state_changed);
	switch (opt.term) {
	case TERM_TERM:
		sef_setcb_signal_handler(sef_cb_signal_handler_term);
		break;
	case TERM_LOG:
		sef_setcb_signal_handler(signal_log);
		break;
	case TERM_LOGTERM:
		sef_setcb_signal_handler(signal_logterm);
		break;
	case TERM_DEFAULT:
		break;
	}
}

/* ---- commands ---- */

static void run_shell(const char *cmd)
{
	sigset_t none;
	pid_t pid;
	int status, rc;

	pid = fork();
	if (pid < 0) {
		ts_log("event=run rc=-1 error=%d", errno);
		return;
	}
	if (pid == 0) {
		/* The child is no service: give it the usual signals back. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			ts_log("event=run rc=-1 error=%d", errno);
			return;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	ts_log("event=run rc=%d", rc);
}

static void __attribute__((noreturn)) spin(void)
{
	ts_log("event=spin");
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* fd-store NAME PATH, fd-check NAME, fd-remove NAME (after "fd-"). */
static void fd_command(char *args)
{
	char *verb = strtok(args, " "), *name = strtok(NULL, " ");
	char *path = strtok(NULL, " ");
	struct stat st = { 0 };
	int r = -EINVAL, fd;

	if (!verb || !name) {
		ts_log("event=cmd-unknown");
		return;
	}
	if (!strcmp(verb, "store") && path) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		r = fd < 0 ? -errno : sef_fd_store(name, fd);
		if (fd >= 0) {
			fstat(fd, &st);
			close(fd);
		}
	} else if (!strcmp(verb, "check")) {
		fd = sef_fd_fetch(name);
		r = fd < 0 ? fd : OK;
		if (fd >= 0) {
			fstat(fd, &st);
			close(fd);
		}
	} else if (!strcmp(verb, "remove")) {
		r = sef_fd_remove(name);
	}
	ts_log("event=fd-%s name=%s result=%d ino=%lu", verb, name, r,
	       (unsigned long)st.st_ino);
}

static void run_command(char *line)
{
	char *nl = strchr(line, '\n');

	if (nl)
		*nl = '\0';
	ts_log("event=cmd cmd=%s", line);
	if (!strncmp(line, "exit ", 5)) {
		int code = (int)parse_number(line + 5, "exit");

		ts_log("event=exit code=%d", code);
		exit(code);
	} else if (!strcmp(line, "spin")) {
		spin();
	} else if (!strcmp(line, "segv")) {
		*(volatile int *)NULL = 0;
	} else if (!strcmp(line, "crash-holding")) {
		ts.crash_holding = true;
	} else if (!strncmp(line, "run ", 4)) {
		run_shell(line + 4);
	} else if (!strncmp(line, "fd-", 3)) {
		fd_command(line + 3);
	} else {
		ts_log("event=cmd-unknown");
	}
}

static void poll_command(void)
{
	char path[PATH_MAX], line[LOG_LINE_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.cmd", TS_DIR, opt.id);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	/* Remove it first: a command that ends the process runs once. */
	unlink(path);
	if (n <= 0)
		return;
	line[n] = '\0';
	run_command(line);
}

static void arm_poll(void)
{
	int r;

	if (opt.poll_ms == 0)
		return;
	r = sys_setalarm((uint64_t)opt.poll_ms, 0);
	if (r != OK)
		ts_log("event=alarm-error r=%d", r);
}

/* ---- requests ---- */

static void answer_echo(const message *m)
{
	struct ts_echo_request rq;
	struct ts_echo_reply rp;
	message reply;
	int r;

	ts_get_request(m, &rq);
	if (ts.crash_holding) {
		ts_log("event=crash-holding seq=%llu from=%d",
		       (unsigned long long)rq.seq, (int)m->m_source);
		abort();
	}
	ts.served++;
	if (opt.drop_nth && ts.served == (uint32_t)opt.drop_nth) {
		ts_log("event=drop seq=%llu from=%d",
		       (unsigned long long)rq.seq, (int)m->m_source);
		return;
	}
	memset(&rp, 0, sizeof(rp));
	rp.seq = rq.seq;
	if (opt.wrong_from && ts.served >= (uint32_t)opt.wrong_from)
		rp.seq++;
	rp.pid = (int32_t)getpid();
	rp.restarts = ts.restarts;
	rp.served = ts.served;
	rp.generation = ts.generation;
	rp.nonce = ts.nonce;
	rp.tag = (int32_t)opt.tag;
	ts_put_reply(&reply, &rp);
	r = ipc_sendnb(m->m_source, &reply);
	if (r != OK)
		ts_log("event=reply-error to=%d r=%d", (int)m->m_source, r);
}

int main(int argc, char **argv)
{
	message m;
	int status, r;

	if (argc == 2 && !strcmp(argv[1], "--probe"))
		return 0;
	parse_args(argc, argv);
	open_log();
	register_callbacks();
	sef_startup();

	ts_log("event=running ep=%d nonce=%u gen=%u served=%u tag=%ld uid=%d",
	       (int)sef_self(), ts.nonce, ts.generation, ts.served, opt.tag,
	       (int)getuid());
	arm_poll();
	for (;;) {
		r = sef_receive_status(ANY, &m, &status);
		if (r != OK) {
			/* Retrying a broken receive would spin: let RS see it. */
			ts_log("event=receive-error r=%d", r);
			exit(1);
		}
		if (is_ipc_notify(status)) {
			if (m.m_source == CLOCK) {
				poll_command();
				arm_poll();
			}
			continue;
		}
		if (m.m_type == TS_ECHO)
			answer_echo(&m);
		else
			ts_log("event=unknown-message type=0x%x from=%d",
			       (unsigned)m.m_type, (int)m.m_source);
	}
}
