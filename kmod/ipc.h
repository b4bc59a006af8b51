/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MINIX message IPC between slots: send, receive, sendrec, notify, sendnb,
 * senda. Every blocked call is a struct mx_waiter on the caller's kernel
 * stack, linked into its own slot's waiters list; a blocked sender's
 * message also sits in the destination slot's queue. Messages move from
 * kernel buffer to kernel buffer under mx_lock; user memory is touched
 * only by the caller, outside the lock.
 */
#ifndef _MX_IPC_H
#define _MX_IPC_H

#include <linux/types.h>
#include <mxsys.h>

struct mx_proc;
struct mx_slot;

long mx_ipc_call(struct mx_proc *proc, unsigned int call,
		 struct mxsys_ipc *ipc);
bool mx_ipc_pending_locked(const struct mx_slot *slot);
void mx_ipc_notify_kernel_locked(struct mx_slot *dst, s32 src);
void mx_ipc_slot_died_locked(struct mx_slot *slot);
void mx_ipc_clear_slot_locked(struct mx_slot *slot);

#endif /* _MX_IPC_H */
