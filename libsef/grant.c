/* SPDX-License-Identifier: MIT */
/* Memory grants: the granter's calls and the grantee's safecopies. */
#include <errno.h>
#include <string.h>

#include <minix/safecopies.h>
#include <minix/syslib.h>

#include "sef_internal.h"

cp_grant_id_t cpf_grant_direct(endpoint_t who_to, vir_bytes addr,
			       size_t bytes, int access)
{
	struct mxsys_grant g;
	int r;

	memset(&g, 0, sizeof(g));
	g.request = MXSYS_GRANT_DIRECT;
	g.grant = GRANT_INVALID;
	g.grantee = who_to;
	g.access = (uint32_t)access;
	g.addr = addr;
	g.len = bytes;
	r = kernel_call(MXSYS_IOC_SETGRANT, &g);
	if (r != OK) {
		errno = -r;
		return GRANT_INVALID;
	}
	return g.grant;
}

int cpf_revoke(cp_grant_id_t grant)
{
	struct mxsys_grant g;

	memset(&g, 0, sizeof(g));
	g.request = MXSYS_GRANT_REVOKE;
	g.grant = grant;
	return kernel_call(MXSYS_IOC_SETGRANT, &g);
}

static int safecopy(unsigned long request, endpoint_t granter,
		    cp_grant_id_t grant, vir_bytes offset, vir_bytes address,
		    size_t bytes)
{
	struct mxsys_safecopy sc;

	memset(&sc, 0, sizeof(sc));
	sc.granter = granter;
	sc.grant = grant;
	sc.offset = offset;
	sc.addr = address;
	sc.len = bytes;
	return kernel_call(request, &sc);
}

int sys_safecopyfrom(endpoint_t src_e, cp_grant_id_t grant, vir_bytes offset,
		     vir_bytes address, size_t bytes)
{
	return safecopy(MXSYS_IOC_SAFECOPYFROM, src_e, grant, offset, address,
			bytes);
}

int sys_safecopyto(endpoint_t dst_e, cp_grant_id_t grant, vir_bytes offset,
		   vir_bytes address, size_t bytes)
{
	return safecopy(MXSYS_IOC_SAFECOPYTO, dst_e, grant, offset, address,
			bytes);
}
