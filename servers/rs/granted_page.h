/* SPDX-License-Identifier: MIT */
/*
 * A page of RS's memory granted to one service, for the requests RS makes
 * of a service without blocking (dump.c, ds_relay.c): the service copies
 * into or out of it by the grant and answers later, by its own message.
 * A page of its own each, so that a grant exposes nothing else of RS.
 */
#ifndef RS_GRANTED_PAGE_H
#define RS_GRANTED_PAGE_H

#include <stddef.h>

#include <minix/safecopies.h>

#define GRANTED_PAGE_SIZE	4096

struct granted_page {
	void *page;		/* NULL: none */
	cp_grant_id_t grant;
};

/*
 * A zeroed page granted to ep with access (CPF_READ, CPF_WRITE) over its
 * first len bytes: OK, or -ENOMEM, or the grant's error (gp left empty).
 */
int granted_page_get(struct granted_page *gp, endpoint_t ep, size_t len,
		     int access);
/* Revoke the grant and free the page (nothing if there is none). */
void granted_page_put(struct granted_page *gp);

#endif /* RS_GRANTED_PAGE_H */
