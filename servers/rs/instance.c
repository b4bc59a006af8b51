// SPDX-License-Identifier: MIT
/*
 * Instances: forking a process into a privilege slot, and the kernel calls
 * on that slot (allow, swap, clear).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <minix/syslib.h>

#include "binary.h"
#include "cmdline.h"
#include "exec.h"
#include "instance.h"
#include "log.h"

int instance_spawn(struct instance *inst, const struct instance_image *image,
		   unsigned int slot)
{
	char arg_buffer[RS_MAX_COMMAND_LEN];
	char *split[RS_ARGV_MAX];
	char *const *argv = image->argv;
	endpoint_t ep = NONE;
	struct spawn sp;
	int exec_fd = -1;
	int r;

	if (!argv) {
		r = cmdline_build_argv(image->binary, image->args, arg_buffer,
				       split);
		if (r < 0)
			return r;
		argv = split;
	}
	if (image->use_copy)
		exec_fd = binary_copy_fd(image->label, image->binary);
	r = spawn_prepare_fd(&sp, argv, image->config, exec_fd,
			     image->rs_itself ? SPAWN_KEEP_SYSTEMD_ENV : 0);
	if (exec_fd >= 0)
		close(exec_fd);
	if (r < 0) {
		rs_err("%s: cannot fork: %s", image->label, sef_strerror(r));
		return r;
	}
	r = sys_privctl_setsys(&ep, slot, sp.pid, image->priv);
	if (r == -EBUSY && slot != MXSYS_SLOT_DYNAMIC) {
		/*
		 * A static slot whose process died with an earlier RS keeps
		 * its well-known endpoint: take the slot over.
		 */
		ep = MXSYS_ENDPOINT(0, slot);
		r = sys_privctl_setsys(&ep, slot, sp.pid, image->priv);
	}
	if (r < 0) {
		rs_err("%s: cannot prepare a slot: %s", image->label,
		       sef_strerror(r));
		spawn_abort(&sp);
		return r;
	}
	r = spawn_release(&sp);
	if (r < 0) {
		rs_err("%s: cannot execute %s: %s", image->label,
		       image->binary, sef_strerror(r));
		/* The child is gone; its slot never got a process. */
		(void)sys_clear(ep);
		return r;
	}
	*inst = (struct instance){
		.endpoint = ep,
		.process = { .pid = sp.pid },
	};
	return 0;
}

int instance_clear(const struct instance *inst)
{
	return sys_clear(inst->endpoint);
}

void instance_destroy(struct instance *inst)
{
	int r;

	if (inst->endpoint == NONE)
		return;
	if (instance_has_process(inst)) {
		/*
		 * The module refuses to clear a slot whose process lives
		 * (EBUSY); its death report comes to RS for an endpoint no
		 * service has any more, and the manager frees the slot then.
		 */
		instance_kill(inst);
	} else {
		r = instance_clear(inst);
		if (r < 0)
			rs_err("ep %d: cannot clear the instance's slot: %s",
			       inst->endpoint, sef_strerror(r));
	}
	*inst = INSTANCE_NONE;
}

int instance_swap(struct instance *a, struct instance *b)
{
	struct process moved = a->process;
	int r;

	r = sys_update(a->endpoint, b->endpoint, 0);
	if (r < 0)
		return r;
	a->process = b->process;
	b->process = moved;
	return 0;
}

void instance_kill(struct instance *inst)
{
	struct process *p = &inst->process;
	int r;

	if (p->pid > 0 && !p->reaped) {
		r = spawn_kill(p->pid);
		if (r < 0 && r != -ESRCH)
			rs_err("cannot kill pid %d: %s", p->pid,
			       sef_strerror(r));
	}
	p->killed = true;
}

int instance_allow(const struct instance *inst)
{
	return sys_privctl(inst->endpoint, MXSYS_PRIV_ALLOW);
}

int instance_disallow(const struct instance *inst)
{
	return sys_privctl(inst->endpoint, MXSYS_PRIV_DISALLOW);
}

int instance_set_privileges(const struct instance *inst,
			    const struct mxsys_priv *priv)
{
	return sys_privctl_updatesys(inst->endpoint, priv);
}

void instance_process_died(struct instance *inst)
{
	inst->process = (struct process){ .pid = 0 };
}
