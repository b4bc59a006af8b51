// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mxsys. Each open file is a struct mx_proc owned by the opening
 * thread group. The open binds the file to the slot prepared for that
 * thread group; only CAP_SYS_ADMIN may hold an unbound file (to claim the
 * RS slot). Access is enforced here, so the node is world-accessible.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/stddef.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "alarm.h"
#include "death.h"
#include "device.h"
#include "fdstore.h"
#include "grant.h"
#include "ipc.h"
#include "kcall.h"
#include "netlink.h"
#include "proc.h"
#include "signal.h"
#include "slot.h"
#include "update.h"

/*
 * compat_ptr_ioctl is enough only if every ioctl struct has the same
 * layout for 32-bit callers: no pointers, and every 64-bit field at an
 * offset that is a multiple of 8 in structs whose size is one too (i386
 * aligns __u64 to 4). These pin the layouts the ABI documents.
 */
static_assert(sizeof(struct mxsys_message) == 64);
static_assert(offsetof(struct mxsys_message, m_u64) == 8);
static_assert(sizeof(struct mxsys_ipc) == 72);
static_assert(offsetof(struct mxsys_ipc, msg) == 8);
static_assert(offsetof(struct mxsys_priv, call_mask) == 16);
static_assert(sizeof(struct mxsys_priv) == 24 + 8 * MXSYS_SEND_MASK_WORDS +
	      MXSYS_NAME_LEN);
static_assert(offsetof(struct mxsys_privctl, priv) == 16);
static_assert(sizeof(struct mxsys_whoami) == 32);
static_assert(sizeof(struct mxsys_ksig) == 24);
static_assert(offsetof(struct mxsys_ksig, sigset) == 8);
static_assert(sizeof(struct mxsys_endpoint_arg) == 8);
static_assert(sizeof(struct mxsys_kill) == 8);
static_assert(sizeof(struct mxsys_update) == 16);
static_assert(sizeof(struct mxsys_alarm) == 16);
static_assert(sizeof(struct mxsys_grant) == 32);
static_assert(offsetof(struct mxsys_grant, addr) == 16);
static_assert(sizeof(struct mxsys_safecopy) == 32);
static_assert(offsetof(struct mxsys_safecopy, offset) == 8);
static_assert(sizeof(struct mxsys_fd) == MXSYS_FD_NAME_LEN + 8);
static_assert(sizeof(struct mxsys_fd_list) == MXSYS_FD_NAME_LEN + 8);

static bool bind_prepared(struct mx_proc *proc)
{
	struct mx_slot *slot;
	unsigned long flags;

	spin_lock_irqsave(&mx_lock, flags);
	slot = mx_slot_of_pid_locked(proc->tgid);
	if (slot && slot->state == MX_SLOT_PREPARED)
		mx_slot_bind_locked(slot, proc);
	else
		slot = NULL;
	spin_unlock_irqrestore(&mx_lock, flags);
	if (slot)
		mx_nl_slot_events_send();
	return slot != NULL;
}

static int mx_open(struct inode *inode, struct file *file)
{
	struct mx_proc *proc;

	proc = mx_proc_create();
	if (!proc)
		return -ENOMEM;
	if (!bind_prepared(proc) && !capable(CAP_SYS_ADMIN)) {
		mx_proc_put(proc);
		return -EPERM;
	}
	file->private_data = proc;
	return nonseekable_open(inode, file);
}

static int mx_release(struct inode *inode, struct file *file)
{
	struct mx_proc *proc = file->private_data;

	mx_death_reap(proc);
	mx_proc_put(proc);
	return 0;
}

static long ipc_ioctl(struct mx_proc *proc, unsigned int call,
		      struct mxsys_ipc __user *uarg)
{
	struct mxsys_ipc ipc;
	long ret;

	if (copy_from_user(&ipc, uarg, sizeof(ipc)))
		return -EFAULT;
	ret = mx_ipc_call(proc, call, &ipc);
	if (ret)
		return ret;
	if ((call == MXSYS_CALL_RECEIVE || call == MXSYS_CALL_SENDREC) &&
	    copy_to_user(uarg, &ipc, sizeof(ipc)))
		return -EFAULT;
	return 0;
}

static long mx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mx_proc *proc = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (task_tgid(current) != proc->tgid)
		return -EPERM;

	switch (cmd) {
	case MXSYS_IOC_SEND:
		return ipc_ioctl(proc, MXSYS_CALL_SEND, uarg);
	case MXSYS_IOC_RECEIVE:
		return ipc_ioctl(proc, MXSYS_CALL_RECEIVE, uarg);
	case MXSYS_IOC_SENDREC:
		return ipc_ioctl(proc, MXSYS_CALL_SENDREC, uarg);
	case MXSYS_IOC_NOTIFY:
		return ipc_ioctl(proc, MXSYS_CALL_NOTIFY, uarg);
	case MXSYS_IOC_SENDNB:
		return ipc_ioctl(proc, MXSYS_CALL_SENDNB, uarg);
	case MXSYS_IOC_SENDA:
		return ipc_ioctl(proc, MXSYS_CALL_SENDA, uarg);
	case MXSYS_IOC_SENDA_NOREPLY:
		return ipc_ioctl(proc, MX_CALL_SENDA_NOREPLY, uarg);
	case MXSYS_IOC_WHOAMI:
		return mx_kcall_whoami(proc, uarg);
	case MXSYS_IOC_RS_CLAIM:
		return mx_kcall_rs_claim(proc, uarg);
	case MXSYS_IOC_PRIVCTL:
		return mx_kcall_privctl(proc, uarg);
	case MXSYS_IOC_GETKSIG:
		return mx_signal_getksig(proc, uarg);
	case MXSYS_IOC_ENDKSIG:
		return mx_signal_endksig(proc, uarg);
	case MXSYS_IOC_CLEAR:
		return mx_kcall_clear(proc, uarg);
	case MXSYS_IOC_KILL:
		return mx_signal_kill(proc, uarg);
	case MXSYS_IOC_EXIT:
		return mx_signal_exit(proc);
	case MXSYS_IOC_UPDATE:
		return mx_update(proc, uarg);
	case MXSYS_IOC_SETALARM:
		return mx_alarm_set(proc, uarg);
	case MXSYS_IOC_SETGRANT:
		return mx_grant_set(proc, uarg);
	case MXSYS_IOC_SAFECOPYFROM:
		return mx_grant_copy(proc, false, uarg);
	case MXSYS_IOC_SAFECOPYTO:
		return mx_grant_copy(proc, true, uarg);
	case MXSYS_IOC_FD_STORE:
		return mx_fd_store(proc, uarg);
	case MXSYS_IOC_FD_FETCH:
		return mx_fd_fetch(proc, uarg);
	case MXSYS_IOC_FD_REMOVE:
		return mx_fd_remove(proc, uarg);
	case MXSYS_IOC_FD_LIST:
		return mx_fd_list(proc, uarg);
	default:
		return -ENOTTY;
	}
}

/* EPOLLIN: a receive from ANY would not block. EPOLLHUP: the slot is gone. */
static __poll_t mx_poll(struct file *file, poll_table *wait)
{
	struct mx_proc *proc = file->private_data;
	unsigned long flags;
	__poll_t mask = 0;

	poll_wait(file, &proc->wq, wait);
	spin_lock_irqsave(&mx_lock, flags);
	if (proc->slot && mx_ipc_pending_locked(proc->slot))
		mask = EPOLLIN | EPOLLRDNORM;
	else if (!proc->slot && test_bit(MX_PROC_REAPED, &proc->flags))
		mask = EPOLLHUP;
	spin_unlock_irqrestore(&mx_lock, flags);
	return mask;
}

static const struct file_operations mx_fops = {
	.owner = THIS_MODULE,
	.open = mx_open,
	.release = mx_release,
	.unlocked_ioctl = mx_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = mx_poll,
	.llseek = no_llseek,
};

bool mx_device_file(const struct file *file)
{
	return file->f_op == &mx_fops;
}

static struct miscdevice mx_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MXSYS_DEVICE_NAME,
	.fops = &mx_fops,
	.mode = 0666,
};

int mx_device_init(void)
{
	return misc_register(&mx_miscdev);
}

void mx_device_uninit(void)
{
	misc_deregister(&mx_miscdev);
}
