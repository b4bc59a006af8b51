/* SPDX-License-Identifier: MIT */
/* <minix/com.h>: message types shared by services, RS and DS. */
#ifndef _MINIX_COM_H
#define _MINIX_COM_H

#include <linux/mxsys.h>

#define NOTIFY_MESSAGE		MXSYS_NOTIFY_MESSAGE

/* MINIX's own errors, by their MINIX names (their numbers: <linux/mxsys.h>). */
#define ENOTREADY		MXSYS_ENOTREADY
#define EDEADSRCDST		MXSYS_EDEADSRCDST
#define EDONTREPLY		MXSYS_EDONTREPLY
#define EGENERIC		MXSYS_EGENERIC
#define EBADREQUEST		MXSYS_EBADREQUEST
#define ELOCKED			MXSYS_ELOCKED
#define EBADCALL		MXSYS_EBADCALL
#define ECALLDENIED		MXSYS_ECALLDENIED
#define ETRAPDENIED		MXSYS_ETRAPDENIED
#define EDEADEPT		MXSYS_EDEADEPT

/* RS requests between RS and services (service CLI requests: <minix/rs.h>). */
#define RS_RQ_BASE		0x700
#define RS_INIT			(RS_RQ_BASE + 20)	/* 0x714 */
#define RS_LU_PREPARE		(RS_RQ_BASE + 21)	/* 0x715 */
/*
 * RS <-> service: RS_DEBUG_DUMP (m_rs_dump, <minix/ipc.h>), MINIX's SEF
 * debug event: `minix-service dump LABEL` asks the service for a text
 * dump of its state. 0x71e: clear of the CLI request numbers of <minix/rs.h>.
 */
#define RS_DEBUG_DUMP		(RS_RQ_BASE + 30)	/* 0x71e */

/* DS requests. */
#define DS_RQ_BASE		0x800
#define DS_PUBLISH		(DS_RQ_BASE + 0)
#define DS_RETRIEVE		(DS_RQ_BASE + 1)
#define DS_SUBSCRIBE		(DS_RQ_BASE + 2)
#define DS_CHECK		(DS_RQ_BASE + 3)
#define DS_DELETE		(DS_RQ_BASE + 4)
#define DS_SNAPSHOT		(DS_RQ_BASE + 5)
#define DS_RETRIEVE_LABEL	(DS_RQ_BASE + 6)
#define DS_GETSYSINFO		(DS_RQ_BASE + 7)

/* Signal manager -> service. */
#define SIGS_RQ_BASE		0xE00
#define SIGS_SIGNAL_RECEIVED	(SIGS_RQ_BASE + 16)

/* Requests any service accepts. */
#define COMMON_RQ_BASE		0xE00
#define COMMON_REQ_FI_CTL	(COMMON_RQ_BASE + 2)

#endif /* _MINIX_COM_H */
