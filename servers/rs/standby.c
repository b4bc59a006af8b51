// SPDX-License-Identifier: MIT
/* RS's standby: started, made RS's backup signal manager, replaced. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <minix/syslib.h>

#include "config.h"
#include "exec.h"
#include "instance.h"
#include "log.h"
#include "standby.h"
#include "timer.h"

#define STANDBY_NAME		"rs.standby"
/* A standby that died is replaced after this (it may die at once again). */
#define STANDBY_RESTART_MS	1000
/* At RS's exit, how long a killed standby may take to go. */
#define STANDBY_EXIT_MS		5000

static struct {
	bool enabled;
	char binary[PATH_MAX];
	/* binary, --standby, rs-daemon's own arguments: each one intact. */
	char **argv;
	struct instance inst;
	rs_time_t start_at;		/* RS_TIME_NEVER: none due */
} sb = { .inst = { .endpoint = NONE }, .start_at = RS_TIME_NEVER };

void standby_set_args(int argc, char *const argv[])
{
	int n = 0;
	ssize_t len;

	len = readlink("/proc/self/exe", sb.binary, sizeof(sb.binary) - 1);
	if (len <= 0) {
		rs_err("no standby: cannot read /proc/self/exe");
		sb.binary[0] = '\0';
		return;
	}
	sb.binary[len] = '\0';
	/* main's argv lives as long as the process: its strings are kept. */
	free(sb.argv);
	sb.argv = calloc((size_t)argc + 2, sizeof(*sb.argv));
	if (!sb.argv) {
		rs_err("no standby: out of memory");
		sb.binary[0] = '\0';
		return;
	}
	sb.argv[n++] = sb.binary;
	sb.argv[n++] = (char *)"--standby";
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--standby") != 0)
			sb.argv[n++] = argv[i];
	sb.argv[n] = NULL;
}

/*
 * RS's own slot: self-managed, so that its death goes to the live
 * backup (bak, or NONE).
 */
static int set_rs_privileges(endpoint_t bak)
{
	struct mxsys_priv priv;

	sys_priv_init(&priv, "rs", MXSYS_ROOT_SYS_PROC | MXSYS_SYS_PROC,
		      MXSYS_KC_ALL);
	priv.sig_mgr = RS_PROC_NR;
	priv.bak_sig_mgr = bak;
	return sys_privctl_updatesys(RS_PROC_NR, &priv);
}

static void start(void)
{
	struct rs_config config;
	struct mxsys_priv priv;
	const struct instance_image image = {
		.label = STANDBY_NAME, .binary = sb.binary, .argv = sb.argv,
		.config = &config, .priv = &priv, .rs_itself = true,
	};
	int r;

	sb.start_at = RS_TIME_NEVER;
	rs_config_defaults(&config, STANDBY_NAME);
	/* RS's own rights: it becomes RS. */
	sys_priv_init(&priv, STANDBY_NAME,
		      MXSYS_ROOT_SYS_PROC | MXSYS_SYS_PROC, MXSYS_KC_ALL);
	r = instance_spawn(&sb.inst, &image, MXSYS_SLOT_DYNAMIC);
	if (r < 0) {
		rs_warn("cannot start a standby: %s; trying again in %d ms",
		       sef_strerror(r), STANDBY_RESTART_MS);
		sb.start_at = now_ms() + STANDBY_RESTART_MS;
		return;
	}
	r = set_rs_privileges(sb.inst.endpoint);
	if (r < 0) {
		rs_err("cannot make the standby RS's backup: %s",
		       sef_strerror(r));
		instance_destroy(&sb.inst);
		sb.start_at = now_ms() + STANDBY_RESTART_MS;
		return;
	}
	rs_notice("standby RS started (ep %d, pid %d)", sb.inst.endpoint,
	       sb.inst.process.pid);
}

void standby_enable(void)
{
	if (sb.binary[0] == '\0')
		return;
	sb.enabled = true;
	if (sb.inst.endpoint == NONE)
		sb.start_at = now_ms();
}

void standby_forget_old(const struct slot_view *slots, unsigned int n)
{
	/* A resumed RS has no standby of its own yet: any there is old. */
	sb.inst = INSTANCE_NONE;
	for (unsigned int i = 0; i < n; i++) {
		const struct slot_view *v = &slots[i];
		struct instance old = { .endpoint = v->endpoint };

		if (_ENDPOINT_P(v->endpoint) < MXSYS_NR_STATIC_SLOTS ||
		    v->state == MXSYS_SLOT_STATE_FREE ||
		    (strcmp(v->name, STANDBY_NAME) != 0 &&
		     strcmp(v->name, "rs") != 0))
			continue;
		if (v->state == MXSYS_SLOT_STATE_DEAD) {
			rs_warn("slot of ep %d (%s): an old RS, freed",
			       v->endpoint, v->name);
			(void)instance_clear(&old);
		} else if (v->pid > 0) {
			rs_warn("slot of ep %d (%s, pid %d): an old standby, killed",
			       v->endpoint, v->name, v->pid);
			old.process.pid = v->pid;
			instance_kill(&old);
		}
	}
}

bool standby_owns(endpoint_t ep)
{
	return ep != NONE && ep == sb.inst.endpoint;
}

void standby_died(endpoint_t ep)
{
	if (!standby_owns(ep))
		return;
	instance_process_died(&sb.inst);
	if (instance_clear(&sb.inst) < 0)
		rs_err("cannot free the standby's slot (ep %d)", ep);
	sb.inst = INSTANCE_NONE;
	(void)set_rs_privileges(NONE);
	if (!sb.enabled)
		return;
	rs_notice("standby RS died; a new one in %d ms", STANDBY_RESTART_MS);
	sb.start_at = now_ms() + STANDBY_RESTART_MS;
}

void standby_timeout(rs_time_t now)
{
	if (sb.enabled && sb.inst.endpoint == NONE && now >= sb.start_at)
		start();
}

rs_time_t standby_next_deadline(void)
{
	return sb.enabled && sb.inst.endpoint == NONE ? sb.start_at :
							 RS_TIME_NEVER;
}

void standby_stop(void)
{
	struct instance gone = sb.inst;
	int r;

	sb.enabled = false;
	sb.start_at = RS_TIME_NEVER;
	if (sb.inst.endpoint == NONE)
		return;
	(void)set_rs_privileges(NONE);
	instance_destroy(&sb.inst);
	/*
	 * rs-daemon exits next and must leave nothing behind: a standby
	 * still dying holds /dev/mxsys open (the module cannot be unloaded
	 * right after rs-daemon is gone) and keeps its slot. Its death report
	 * would come to no one: its slot is cleared here once it has exited
	 * (the module marks it dead a moment after the exit).
	 */
	if (!instance_has_process(&gone))
		return;
	r = spawn_wait_exit(gone.process.pid, STANDBY_EXIT_MS);
	if (r < 0 && r != -ECHILD) {
		rs_err("standby (pid %d) did not exit: %s", gone.process.pid,
		       sef_strerror(r));
		return;
	}
	for (unsigned int tries = 0; tries < STANDBY_EXIT_MS / 10; tries++) {
		r = instance_clear(&gone);
		if (r != -EBUSY)
			break;
		nanosleep(&(const struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	if (r < 0)
		rs_err("standby's slot (ep %d) not cleared: %s", gone.endpoint,
		       sef_strerror(r));
}

pid_t standby_pid(void)
{
	return sb.inst.endpoint != NONE ? sb.inst.process.pid : 0;
}
