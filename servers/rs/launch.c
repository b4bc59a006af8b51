// SPDX-License-Identifier: MIT
/* Starting a service's processes (see launch.h). */
#include <string.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "launch.h"
#include "log.h"
#include "message.h"
#include "svclog.h"

/* The slot of the running service of program progname, for send masks. */
static int slot_of_progname(const char *progname, void *arg)
{
	struct service *svc;

	(void)arg;
	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (svc->active.endpoint != NONE &&
		    strncmp(svc->progname, progname, RS_MAX_LABEL_LEN) == 0)
			return (int)_ENDPOINT_P(svc->active.endpoint);
	return -1;
}

static endpoint_t signal_manager_of(const struct service *svc,
				    const struct rs_config *cfg)
{
	struct service *mgr;

	if (cfg->sigmgr[0] == '\0')
		return NONE;		/* the module's default: RS */
	if (strcmp(cfg->sigmgr, "SELF") == 0)
		return SELF;
	mgr = service_by_label(cfg->sigmgr);
	if (mgr && mgr->active.endpoint != NONE)
		return mgr->active.endpoint;
	rs_warn("%s: signal manager '%s' is not running; RS manages it",
	       svc->label, cfg->sigmgr);
	return NONE;
}

void launch_privileges(const struct service *svc, const struct rs_config *cfg,
		       unsigned int extra_flags, struct mxsys_priv *priv)
{
	sys_priv_init(priv, svc->label,
		      MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE | extra_flags,
		      cfg->call_mask);
	rs_config_send_mask(cfg, slot_of_progname, NULL,
			    (uint64_t *)priv->send_mask, MXSYS_SEND_MASK_WORDS);
	priv->sig_mgr = signal_manager_of(svc, cfg);
	priv->bak_sig_mgr = NONE;
}

int launch_process(const struct service *svc, const char *binary,
		   const char *args, unsigned int extra_flags,
		   unsigned int slot, struct instance *inst)
{
	struct mxsys_priv priv;
	const struct instance_image image = {
		.label = svc->label,
		.binary = binary,
		.args = args,
		.config = &svc->config,
		.priv = &priv,
		/* Its own binary, not an update's new one. */
		.use_copy = (svc->rss_flags & RSS_COPY) &&
			    strcmp(binary, svc->binary) == 0,
	};

	bool logged;
	int r;

	launch_privileges(svc, &svc->config, extra_flags, &priv);
	/* The child inherits its stdout and stderr: the label's log pipe. */
	logged = svclog_redirect(svc->label);
	r = instance_spawn(inst, &image, slot);
	svclog_restore(logged);
	if (r == 0 && (extra_flags & (MXSYS_RST_SYS_PROC | MXSYS_LU_SYS_PROC)))
		rs_info("%s: %s instance pid %d ready at ep %d", svc->label,
		       extra_flags & MXSYS_LU_SYS_PROC ? "update" : "standby",
		       inst->process.pid, inst->endpoint);
	return r;
}

int launch_swap(struct service *svc, struct instance *other)
{
	int r = instance_swap(&svc->active, other);

	if (r < 0)
		rs_err("%s: cannot swap ep %d and ep %d: %s", svc->label,
		       svc->active.endpoint, other->endpoint, sef_strerror(r));
	else if (other->process.pid > 0)
		rs_info("%s: pid %d now serves ep %d, pid %d moved to ep %d",
		       svc->label, svc->active.process.pid,
		       svc->active.endpoint, other->process.pid,
		       other->endpoint);
	else	/* a crash: the dead process's slot, never "pid 0" */
		rs_info("%s: pid %d now serves ep %d, the dead one's slot moved to ep %d",
		       svc->label, svc->active.process.pid,
		       svc->active.endpoint, other->endpoint);
	return r;
}

int launch_init(const struct service *svc, int type, uint32_t flags,
		endpoint_t old_endpoint, int prepare_state)
{
	const struct instance *active = &svc->active;
	int r;

	r = instance_allow(active);
	if (r < 0) {
		rs_err("%s (ep %d): cannot allow it to run: %s", svc->label,
		       active->endpoint, sef_strerror(r));
		return r;
	}
	if (svc->script[0] != '\0')
		flags |= SEF_INIT_SCRIPT_RESTART;
	r = message_init(active->endpoint, type, flags, old_endpoint,
			 prepare_state, svc->restarts + 1);
	if (r < 0)
		rs_err("%s (ep %d): cannot send RS_INIT: %s", svc->label,
		       active->endpoint, sef_strerror(r));
	return r;
}

bool launch_label_in_use(const char *label)
{
	return service_by_label(label) != NULL;
}
