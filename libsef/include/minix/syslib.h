/* SPDX-License-Identifier: MIT */
/* <minix/syslib.h>: MINIX kernel calls, as ioctls on /dev/mxsys. */
#ifndef _MINIX_SYSLIB_H
#define _MINIX_SYSLIB_H

#include <stdint.h>
#include <sys/types.h>
#include <minix/ipc.h>
#include <minix/safecopies.h>

#ifdef __cplusplus
extern "C" {
#endif

int sys_whoami(endpoint_t *ep, char *name, int len, int *priv_flags,
	       int *init_flags);
int sys_rs_claim(endpoint_t *ep);
/* SET_SYS: prepare endpoint (or NONE + slot) for pid; *ep gets the result. */
int sys_privctl_setsys(endpoint_t *ep, unsigned int slot, pid_t pid,
		       const struct mxsys_priv *priv);
/* ALLOW, DISALLOW, YIELD, CLEAR_IPC_REFS. */
int sys_privctl(endpoint_t ep, int request);
int sys_privctl_updatesys(endpoint_t ep, const struct mxsys_priv *priv);
/* Swap the processes behind src and dst (MXSYS_UPD_ROLLBACK in flags). */
int sys_update(endpoint_t src, endpoint_t dst, int flags);
/* Alarm in ms (absolute CLOCK_MONOTONIC ms if abs_time); 0 cancels. */
int sys_setalarm(uint64_t ms, int abs_time);
int sys_setalarm2(uint64_t ms, int abs_time, uint64_t *left_ms);
/* Next managed slot with pending events; *ep == NONE when there is none. */
int sys_getksig(struct mxsys_ksig *ksig);
int sys_endksig(endpoint_t ep);
/* A real signal to ep's process, by endpoint; its manager or RS only. */
int sys_kill(endpoint_t ep, int sig);
/* Before exiting: SIGABRT to the caller's signal manager (MINIX sys_exit). */
int sys_exit(void);
int sys_clear(endpoint_t ep);

/*
 * Copy bytes between the caller's address and [offset, offset + bytes) of
 * grant of src_e / dst_e (the granter): OK or a negative error.
 */
int sys_safecopyfrom(endpoint_t src_e, cp_grant_id_t grant, vir_bytes offset,
		     vir_bytes address, size_t bytes);
int sys_safecopyto(endpoint_t dst_e, cp_grant_id_t grant, vir_bytes offset,
		   vir_bytes address, size_t bytes);

/* Fill a privilege structure: flags, every slot in the send mask. */
void sys_priv_init(struct mxsys_priv *priv, const char *name,
		   unsigned int flags, uint64_t call_mask);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_SYSLIB_H */
