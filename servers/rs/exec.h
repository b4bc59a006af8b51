/* SPDX-License-Identifier: MIT */
/*
 * Starting a service process in two steps, so RS can prepare the child's
 * privilege slot (which needs the pid) before the child runs the binary:
 *
 *   spawn_prepare()  fork; the child waits on a pipe
 *   ...              sys_privctl_setsys(..., sp.pid, ...)
 *   spawn_release()  the child execs; its exec failure comes back through
 *                    a close-on-exec pipe (s6's "pipecoe")
 *   spawn_abort()    instead of release: kill the waiting child
 *
 * Host tests of RS's state machine replace this file with a fake.
 */
#ifndef RS_EXEC_H
#define RS_EXEC_H

#include <stddef.h>
#include <sys/types.h>

struct rs_config;

struct spawn {
	pid_t pid;
	int release_fd;		/* parent writes one byte: go */
	int exec_status_fd;	/* parent reads: EOF = exec done, else errno */
};

/*
 * Returns 0 (sp filled) or a negative error. argv[0] is the path run.
 * Once released, the child takes on cfg before it execs: its limits,
 * nice value and CPU, then its uid, gid and groups, keeping exactly its
 * capabilities (see system.conf(5)). cfg NULL: RS's own.
 */
int spawn_prepare(struct spawn *sp, char *const argv[],
		  const struct rs_config *cfg);
/*
 * The same, running the executable open as exec_fd (execveat with
 * AT_EMPTY_PATH: a kept copy, whatever is at argv[0] now) unless it is
 * -1. exec_fd stays the caller's. Without SPAWN_KEEP_SYSTEMD_ENV in
 * flags (and always by spawn_prepare), the child's environment has no
 * NOTIFY_SOCKET or JOURNAL_STREAM (exec_service_environ).
 */
/* flags: RS's own standby keeps systemd's variables (MAINPID= later). */
#define SPAWN_KEEP_SYSTEMD_ENV	0x1
int spawn_prepare_fd(struct spawn *sp, char *const argv[],
		     const struct rs_config *cfg, int exec_fd,
		     unsigned int flags);
/*
 * Returns 0 once the child runs the new program, or -errno of the first
 * step that failed (taking on cfg, or exec); the child then exits with
 * status 127.
 */
int spawn_release(struct spawn *sp);
/*
 * A service's environment: in (NULL-terminated) without systemd's
 * NOTIFY_SOCKET and JOURNAL_STREAM, into out (room for all of in and the
 * NULL, which is written); returns the number kept. The strings are in's.
 */
size_t exec_service_environ(char *const in[], char **out);
void spawn_abort(struct spawn *sp);

/*
 * SIGKILL a process RS started: 0 or -errno. The caller makes sure the pid
 * was not reaped yet (it may be someone else's by then).
 */
int spawn_kill(pid_t pid);

/*
 * Wait up to timeout_ms for a killed child of RS to exit, and reap it: 0,
 * -ETIMEDOUT, or -errno (-ECHILD: already reaped). Only for RS's own exit,
 * where nothing else waits in the poll loop any more.
 */
int spawn_wait_exit(pid_t pid, unsigned int timeout_ms);

#endif /* RS_EXEC_H */
