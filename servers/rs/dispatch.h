/* SPDX-License-Identifier: MIT */
/* Messages RS receives on /dev/mxsys, turned into manager events. */
#ifndef RS_DISPATCH_H
#define RS_DISPATCH_H

#include <minix/ipc.h>

void dispatch_message(const message *m, int status);

#endif /* RS_DISPATCH_H */
