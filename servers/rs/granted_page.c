// SPDX-License-Identifier: MIT
/* A page of RS's memory granted to one service (see granted_page.h). */
#include "granted_page.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int granted_page_get(struct granted_page *gp, endpoint_t ep, size_t len,
		     int access)
{
	int r;

	gp->page = aligned_alloc(GRANTED_PAGE_SIZE, GRANTED_PAGE_SIZE);
	if (!gp->page)
		return -ENOMEM;
	memset(gp->page, 0, GRANTED_PAGE_SIZE);
	gp->grant = cpf_grant_direct(ep, (vir_bytes)gp->page, len, access);
	if (!GRANT_VALID(gp->grant)) {
		r = -errno;
		free(gp->page);
		gp->page = NULL;
		return r;
	}
	return OK;
}

void granted_page_put(struct granted_page *gp)
{
	if (!gp->page)
		return;
	cpf_revoke(gp->grant);
	free(gp->page);
	gp->page = NULL;
}
