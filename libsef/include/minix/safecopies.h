/* SPDX-License-Identifier: MIT */
/*
 * <minix/safecopies.h>: memory grants, as MINIX's. A granter makes a grant
 * for a range of its own memory with cpf_grant_direct() and passes the id
 * in a message; the grantee copies with sys_safecopyfrom()/sys_safecopyto()
 * (<minix/syslib.h>) and the granter revokes the grant with cpf_revoke().
 */
#ifndef _MINIX_SAFECOPIES_H
#define _MINIX_SAFECOPIES_H

#include <stddef.h>
#include <stdint.h>
#include <linux/mxsys.h>
#include <minix/ipc.h>

typedef int32_t cp_grant_id_t;
typedef uintptr_t vir_bytes;

#define GRANT_INVALID	((cp_grant_id_t)MXSYS_GRANT_INVALID)
#define GRANT_VALID(g)	((g) > GRANT_INVALID)

/* What the grantee may do with the memory. */
#define CPF_READ	MXSYS_CPF_READ	/* copy from it */
#define CPF_WRITE	MXSYS_CPF_WRITE	/* copy to it */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Grant who_to (or ANY) access to [addr, addr + bytes) of the caller's
 * memory. Returns the grant id, or GRANT_INVALID with errno set.
 */
cp_grant_id_t cpf_grant_direct(endpoint_t who_to, vir_bytes addr,
			       size_t bytes, int access);
/* Revoke one of the caller's grants: OK or a negative error. */
int cpf_revoke(cp_grant_id_t grant);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_SAFECOPIES_H */
