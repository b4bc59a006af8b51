/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fd store of a slot (see the uapi header, THE FD STORE): named
 * references to open files, kept for the endpoint so that what they refer
 * to outlives the process that stored them. Only CLEAR closes them.
 *
 * Entries hang off slot->fds under mx_lock. A file is got (fget) before
 * the lock is taken and put after it is dropped: mx_fd_drop_locked()
 * moves entries to a list of files to close, which mx_fd_put_dropped()
 * closes in process context, as events are queued under the lock and sent
 * after it.
 */
#ifndef _MX_FDSTORE_H
#define _MX_FDSTORE_H

#include <linux/list.h>
#include <mxsys.h>

struct file;
struct mx_proc;
struct mx_slot;

struct mx_fd_entry {
	struct list_head link;		/* in slot->fds, or the dropped list */
	struct file *file;
	char name[MXSYS_FD_NAME_LEN];
};

long mx_fd_store(struct mx_proc *proc, struct mxsys_fd __user *uarg);
long mx_fd_fetch(struct mx_proc *proc, struct mxsys_fd __user *uarg);
long mx_fd_remove(struct mx_proc *proc, struct mxsys_fd __user *uarg);
long mx_fd_list(struct mx_proc *proc, struct mxsys_fd_list __user *uarg);

/* CLEAR: every file of @slot is to be closed (events FD_CLOSED queued). */
void mx_fd_drop_locked(struct mx_slot *slot);
/* Close what was dropped; process context, mx_lock not held. */
void mx_fd_put_dropped(void);

#endif /* _MX_FDSTORE_H */
