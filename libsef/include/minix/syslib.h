/* SPDX-License-Identifier: MIT */
/* <minix/syslib.h>: MINIX kernel calls, as ioctls on /dev/mxsys. */
#ifndef _MINIX_SYSLIB_H
#define _MINIX_SYSLIB_H

#include <sys/types.h>
#include <minix/ipc.h>

int sys_whoami(endpoint_t *ep, char *name, int len, int *priv_flags,
	       int *init_flags);
int sys_rs_claim(endpoint_t *ep);
/* SET_SYS: prepare endpoint (or NONE + slot) for pid; *ep gets the result. */
int sys_privctl_setsys(endpoint_t *ep, unsigned int slot, pid_t pid,
		       const struct mxsys_priv *priv);
int sys_privctl(endpoint_t ep, int request);
/* Next managed slot with pending events; *ep == NONE when there is none. */
int sys_getksig(struct mxsys_ksig *ksig);
int sys_endksig(endpoint_t ep);
int sys_clear(endpoint_t ep);

/* Fill a privilege structure: flags, every slot in the send mask. */
void sys_priv_init(struct mxsys_priv *priv, const char *name,
		   unsigned int flags, uint64_t call_mask);

#endif /* _MINIX_SYSLIB_H */
