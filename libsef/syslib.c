/* SPDX-License-Identifier: MIT */
/* MINIX kernel calls: each one is an ioctl on /dev/mxsys (kernel_call.c). */
#include <errno.h>
#include <string.h>

#include <minix/syslib.h>

#include "sef_internal.h"

static void copy_name(char *dst, int len, const char *src)
{
	size_t n;

	if (!dst || len <= 0)
		return;
	n = strnlen(src, MXSYS_NAME_LEN);
	if (n > (size_t)len - 1)
		n = (size_t)len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int sys_whoami(endpoint_t *ep, char *name, int len, int *priv_flags,
	       int *init_flags)
{
	struct mxsys_whoami who;
	int r;

	memset(&who, 0, sizeof(who));
	r = kernel_call(MXSYS_IOC_WHOAMI, &who);
	if (r != OK)
		return r;
	if (ep)
		*ep = who.endpoint;
	copy_name(name, len, who.name);
	if (priv_flags)
		*priv_flags = (int)who.flags;
	if (init_flags)
		*init_flags = (int)who.init_flags;
	return OK;
}

int sys_rs_claim(endpoint_t *ep)
{
	struct mxsys_whoami who;
	int r;

	memset(&who, 0, sizeof(who));
	r = kernel_call(MXSYS_IOC_RS_CLAIM, &who);
	if (r != OK)
		return r;
	if (ep)
		*ep = who.endpoint;
	return OK;
}

int sys_privctl_setsys(endpoint_t *ep, unsigned int slot, pid_t pid,
		       const struct mxsys_priv *priv)
{
	struct mxsys_privctl ctl;
	int r;

	if (!ep || !priv)
		return -EINVAL;
	memset(&ctl, 0, sizeof(ctl));
	ctl.endpoint = *ep;
	ctl.request = MXSYS_PRIV_SET_SYS;
	ctl.pid = pid;
	ctl.slot = slot;
	ctl.priv = *priv;
	r = kernel_call(MXSYS_IOC_PRIVCTL, &ctl);
	if (r != OK)
		return r;
	*ep = ctl.endpoint;
	return OK;
}

int sys_privctl(endpoint_t ep, int request)
{
	struct mxsys_privctl ctl;

	/* SET_SYS and UPDATE_SYS need a privilege structure. */
	if (request != MXSYS_PRIV_ALLOW && request != MXSYS_PRIV_DISALLOW &&
	    request != MXSYS_PRIV_YIELD &&
	    request != MXSYS_PRIV_CLEAR_IPC_REFS)
		return -EINVAL;
	memset(&ctl, 0, sizeof(ctl));
	ctl.endpoint = ep;
	ctl.request = (uint32_t)request;
	return kernel_call(MXSYS_IOC_PRIVCTL, &ctl);
}

int sys_privctl_updatesys(endpoint_t ep, const struct mxsys_priv *priv)
{
	struct mxsys_privctl ctl;

	if (!priv)
		return -EINVAL;
	memset(&ctl, 0, sizeof(ctl));
	ctl.endpoint = ep;
	ctl.request = MXSYS_PRIV_UPDATE_SYS;
	ctl.priv = *priv;
	return kernel_call(MXSYS_IOC_PRIVCTL, &ctl);
}

int sys_update(endpoint_t src, endpoint_t dst, int flags)
{
	struct mxsys_update arg = {
		.src = src, .dst = dst, .flags = (uint32_t)flags, .pad = 0,
	};

	return kernel_call(MXSYS_IOC_UPDATE, &arg);
}

int sys_setalarm2(uint64_t ms, int abs_time, uint64_t *left_ms)
{
	struct mxsys_alarm arg = {
		.ms = ms, .flags = abs_time ? MXSYS_ALARM_ABS : 0, .pad = 0,
	};
	int r;

	r = kernel_call(MXSYS_IOC_SETALARM, &arg);
	if (r == OK && left_ms)
		*left_ms = arg.ms;
	return r;
}

int sys_setalarm(uint64_t ms, int abs_time)
{
	return sys_setalarm2(ms, abs_time, NULL);
}

int sys_getksig(struct mxsys_ksig *ksig)
{
	if (!ksig)
		return -EINVAL;
	memset(ksig, 0, sizeof(*ksig));
	return kernel_call(MXSYS_IOC_GETKSIG, ksig);
}

int sys_endksig(endpoint_t ep)
{
	struct mxsys_endpoint_arg arg = { .endpoint = ep, .pad = 0 };

	return kernel_call(MXSYS_IOC_ENDKSIG, &arg);
}

int sys_kill(endpoint_t ep, int sig)
{
	struct mxsys_kill arg = { .endpoint = ep, .sig = sig };

	return kernel_call(MXSYS_IOC_KILL, &arg);
}

int sys_exit(void)
{
	return kernel_call(MXSYS_IOC_EXIT, NULL);
}

int sys_clear(endpoint_t ep)
{
	struct mxsys_endpoint_arg arg = { .endpoint = ep, .pad = 0 };

	return kernel_call(MXSYS_IOC_CLEAR, &arg);
}

void sys_priv_init(struct mxsys_priv *priv, const char *name,
		   unsigned int flags, uint64_t call_mask)
{
	if (!priv)
		return;
	memset(priv, 0, sizeof(*priv));
	priv->flags = flags;
	priv->init_flags = 0;
	priv->sig_mgr = RS_PROC_NR;
	priv->bak_sig_mgr = NONE;
	priv->call_mask = call_mask;
	/* MINIX's ALL_M: the module keeps masks symmetric and checks slots. */
	memset(priv->send_mask, 0xff, sizeof(priv->send_mask));
	copy_name(priv->name, MXSYS_NAME_LEN, name ? name : "");
}
