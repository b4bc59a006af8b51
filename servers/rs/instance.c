// SPDX-License-Identifier: MIT
/*
 * Processes of a service: forking one into a privilege slot prepared from
 * its system.conf entry, and the instances besides the active process
 * (standby replicas, new versions of a live update) with the slot swap
 * that puts one of them behind the service's endpoint.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <minix/syslib.h>

#include "cmdline.h"
#include "exec.h"
#include "instance.h"
#include "log.h"
#include "manager.h"

static int slot_of_progname(const char *progname, void *arg)
{
	struct service *svc;

	(void)arg;
	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (svc->endpoint != NONE &&
		    strncmp(svc->progname, progname, RS_MAX_LABEL_LEN) == 0)
			return (int)_ENDPOINT_P(svc->endpoint);
	return -1;
}

static endpoint_t signal_manager_of(const struct service *svc)
{
	const char *sigmgr = svc->config.sigmgr;
	struct service *mgr;

	if (sigmgr[0] == '\0')
		return NONE;		/* the module's default: RS */
	if (strcmp(sigmgr, "SELF") == 0)
		return SELF;
	mgr = service_by_label(sigmgr);
	if (mgr && mgr->endpoint != NONE)
		return mgr->endpoint;
	rs_log("%s: signal manager '%s' is not running; RS manages it",
	       svc->label, sigmgr);
	return NONE;
}

static void build_priv(const struct service *svc, unsigned int flags,
		       struct mxsys_priv *priv)
{
	sys_priv_init(priv, svc->label, flags, svc->config.call_mask);
	rs_config_send_mask(&svc->config, slot_of_progname, NULL,
			    (uint64_t *)priv->send_mask,
			    MXSYS_SEND_MASK_WORDS);
	priv->sig_mgr = signal_manager_of(svc);
	priv->bak_sig_mgr = NONE;
}

int instance_spawn(struct service *svc, const char *binary, const char *args,
		   unsigned int priv_flags, unsigned int slot, endpoint_t *ep,
		   pid_t *pid)
{
	char arg_buffer[RS_MAX_COMMAND_LEN];
	char *argv[RS_ARGV_MAX];
	struct mxsys_priv priv;
	struct spawn sp;
	int r;

	r = cmdline_build_argv(binary, args, arg_buffer, argv);
	if (r < 0)
		return r;
	r = spawn_prepare(&sp, argv, &svc->config);
	if (r < 0) {
		rs_log("%s: cannot fork: %s", svc->label, sef_strerror(r));
		return r;
	}

	build_priv(svc, MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE | priv_flags,
		   &priv);
	r = sys_privctl_setsys(ep, slot, sp.pid, &priv);
	if (r == -EBUSY && *ep == NONE && slot != MXSYS_SLOT_DYNAMIC) {
		/*
		 * A static slot whose process died with an earlier RS keeps
		 * its well-known endpoint: take the slot over.
		 */
		*ep = MXSYS_ENDPOINT(0, slot);
		r = sys_privctl_setsys(ep, slot, sp.pid, &priv);
	}
	if (r < 0) {
		rs_log("%s: cannot prepare a slot: %s", svc->label,
		       sef_strerror(r));
		spawn_abort(&sp);
		return r;
	}
	*pid = sp.pid;
	r = spawn_release(&sp);
	if (r < 0) {
		rs_log("%s: cannot execute %s: %s", svc->label, binary,
		       sef_strerror(r));
		/* The child is gone; its slot never got a process. */
		(void)sys_clear(*ep);
		*pid = 0;
		return r;
	}
	return 0;
}

int instance_create(struct service *svc, const char *binary,
		    const char *args, unsigned int priv_flags,
		    struct instance *inst)
{
	struct instance fresh = { .endpoint = NONE };
	int r;

	r = instance_spawn(svc, binary, args, priv_flags, MXSYS_SLOT_DYNAMIC,
			   &fresh.endpoint, &fresh.pid);
	if (r < 0)
		return r;
	*inst = fresh;
	rs_log("%s: %s instance pid %d ready at ep %d", svc->label,
	       priv_flags & MXSYS_LU_SYS_PROC ? "update" : "standby",
	       inst->pid, inst->endpoint);
	return 0;
}

void process_kill(pid_t pid, bool reaped, bool *killed)
{
	/* A reaped pid may belong to someone else by now. */
	if (pid > 0 && !reaped && kill(pid, SIGKILL) < 0 && errno != ESRCH)
		rs_log("cannot kill pid %d: %s", pid, strerror(errno));
	*killed = true;
}

void instance_kill(struct instance *inst)
{
	process_kill(inst->pid, inst->reaped, &inst->killed);
}

void instance_destroy(struct instance *inst)
{
	int r;

	if (inst->endpoint == NONE)
		return;
	if (inst->pid > 0 && !inst->reaped) {
		/*
		 * The module refuses to clear a slot whose process lives
		 * (EBUSY); its death report comes to RS for an endpoint no
		 * service has any more, and manager.c frees the slot then.
		 */
		instance_kill(inst);
	} else {
		/* Clearing a slot fails every caller still blocked on it. */
		r = sys_clear(inst->endpoint);
		if (r < 0)
			rs_log("ep %d: cannot clear the instance's slot: %s",
			       inst->endpoint, sef_strerror(r));
	}
	*inst = (struct instance){ .endpoint = NONE };
}

int instance_swap(struct service *svc, struct instance *inst)
{
	struct instance active = {
		.pid = svc->pid,
		.reaped = svc->reaped,
		.killed = svc->killed,
	};
	int r;

	r = sys_update(svc->endpoint, inst->endpoint, 0);
	if (r < 0) {
		rs_log("%s: cannot swap ep %d and ep %d: %s", svc->label,
		       svc->endpoint, inst->endpoint, sef_strerror(r));
		return r;
	}
	/* The endpoints stay; the processes (and what RS knows) trade. */
	svc->pid = inst->pid;
	svc->reaped = inst->reaped;
	svc->killed = inst->killed;
	inst->pid = active.pid;
	inst->reaped = active.reaped;
	inst->killed = active.killed;
	rs_log("%s: pid %d now serves ep %d, pid %d moved to ep %d",
	       svc->label, svc->pid, svc->endpoint, inst->pid,
	       inst->endpoint);
	return 0;
}

int instance_apply_config(struct service *svc, const struct rs_config *cfg)
{
	struct mxsys_priv priv;
	struct rs_config old = svc->config;
	int r;

	svc->config = *cfg;
	build_priv(svc, MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE, &priv);
	svc->config = old;
	r = sys_privctl_updatesys(svc->endpoint, &priv);
	if (r < 0)
		rs_log("%s (ep %d): cannot update its privileges: %s",
		       svc->label, svc->endpoint, sef_strerror(r));
	return r;
}
