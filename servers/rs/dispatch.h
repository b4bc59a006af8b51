/* SPDX-License-Identifier: MIT */
/* Messages RS receives on /dev/mxsys, turned into manager events. */
#ifndef RS_DISPATCH_H
#define RS_DISPATCH_H

#include <minix/ipc.h>

void dispatch_message(const message *m, int status);
/*
 * Pull and handle the kernel events (deaths, signals) pending for RS, as
 * a notify from SYSTEM asks; a resuming RS does it unasked, as the old
 * one may have taken the notify with it.
 */
void dispatch_kernel_events(void);

#endif /* RS_DISPATCH_H */
