// SPDX-License-Identifier: GPL-2.0
/*
 * The fd store of a slot. Locking and the life of an entry are in
 * fdstore.h; the rules user space sees are in the uapi header.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "device.h"
#include "fdstore.h"
#include "kcall.h"
#include "netlink.h"
#include "proc.h"
#include "slot.h"

/*
 * Files stored in any slot, or dropped and not yet closed: while there is
 * one, the module holds a reference to itself, so that rmmod cannot take
 * the code away from files that still need the store to be cleared.
 */
static unsigned long mx_fd_held;
static LIST_HEAD(mx_fd_dropped);

static bool name_valid(const char *name)
{
	size_t len = strnlen(name, MXSYS_FD_NAME_LEN);
	size_t i;

	if (len == 0 || len == MXSYS_FD_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return false;
	return true;
}

static struct mx_fd_entry *find_locked(struct mx_slot *slot, const char *name)
{
	struct mx_fd_entry *e;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(e, &slot->fds, link)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static void fd_event_locked(struct mx_slot *slot, u32 type, const char *name)
{
	struct mx_slot_event ev = {
		.type = type,
		.endpoint = mx_slot_endpoint(slot),
	};

	lockdep_assert_held(&mx_lock);
	strscpy(ev.fd_name, name, sizeof(ev.fd_name));
	mx_nl_slot_event_locked(&ev);
}

/* Take @e out of its slot; it is closed by mx_fd_put_dropped(). */
static void drop_locked(struct mx_slot *slot, struct mx_fd_entry *e)
{
	lockdep_assert_held(&mx_lock);
	list_move_tail(&e->link, &mx_fd_dropped);
	slot->nr_fds--;
	fd_event_locked(slot, MXSYS_EVENT_FD_CLOSED, e->name);
}

void mx_fd_drop_locked(struct mx_slot *slot)
{
	struct mx_fd_entry *e, *tmp;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry_safe(e, tmp, &slot->fds, link)
		drop_locked(slot, e);
}

void mx_fd_put_dropped(void)
{
	struct mx_fd_entry *e;
	unsigned long flags;
	bool last;

	for (;;) {
		spin_lock_irqsave(&mx_lock, flags);
		e = list_first_entry_or_null(&mx_fd_dropped,
					     struct mx_fd_entry, link);
		if (e) {
			list_del(&e->link);
			last = --mx_fd_held == 0;
		}
		spin_unlock_irqrestore(&mx_lock, flags);
		if (!e)
			return;
		fput(e->file);
		kfree(e);
		if (last)
			module_put(THIS_MODULE);
	}
}

/* The caller's slot, if it is bound and may use the store. */
static int caller_slot_locked(struct mx_proc *proc, struct mx_slot **slotp)
{
	lockdep_assert_held(&mx_lock);
	return mx_kcall_caller_locked(proc, MXSYS_KC_FDSTORE, slotp);
}

static int get_arg(struct mxsys_fd *arg, struct mxsys_fd __user *uarg,
		   u32 flags_allowed, bool fd_is_input)
{
	if (copy_from_user(arg, uarg, sizeof(*arg)))
		return -EFAULT;
	if ((arg->flags & ~flags_allowed) || (!fd_is_input && arg->fd))
		return -EINVAL;
	if (!name_valid(arg->name))
		return -EINVAL;
	return 0;
}

long mx_fd_store(struct mx_proc *proc, struct mxsys_fd __user *uarg)
{
	struct mx_fd_entry *e, *old;
	struct mx_slot *slot;
	struct mxsys_fd arg;
	unsigned long flags;
	int ret;

	ret = get_arg(&arg, uarg, MXSYS_FD_REPLACE, true);
	if (ret)
		return ret;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->file = fget(arg.fd);
	if (!e->file) {
		ret = -EBADF;
		goto err_fget;
	}
	if (mx_device_file(e->file)) {
		ret = -EINVAL;
		goto err_refused;
	}
	memcpy(e->name, arg.name, sizeof(e->name));

	spin_lock_irqsave(&mx_lock, flags);
	ret = caller_slot_locked(proc, &slot);
	if (ret)
		goto err_unlock;
	old = find_locked(slot, e->name);
	if (old && !(arg.flags & MXSYS_FD_REPLACE)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	if (!old && slot->nr_fds >= MXSYS_FD_MAX) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	if (old)
		drop_locked(slot, old);
	list_add_tail(&e->link, &slot->fds);
	slot->nr_fds++;
	if (mx_fd_held++ == 0)
		__module_get(THIS_MODULE);
	fd_event_locked(slot, MXSYS_EVENT_FD_STORED, e->name);
	spin_unlock_irqrestore(&mx_lock, flags);
	mx_fd_put_dropped();
	mx_nl_slot_events_send();
	return 0;

err_unlock:
	spin_unlock_irqrestore(&mx_lock, flags);
err_refused:
	fput(e->file);
err_fget:
	kfree(e);
	return ret;
}

long mx_fd_fetch(struct mx_proc *proc, struct mxsys_fd __user *uarg)
{
	struct file *file = NULL;
	struct mx_fd_entry *e;
	struct mx_slot *slot;
	struct mxsys_fd arg;
	unsigned long flags;
	int ret, fd;

	ret = get_arg(&arg, uarg, 0, false);
	if (ret)
		return ret;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;

	spin_lock_irqsave(&mx_lock, flags);
	ret = caller_slot_locked(proc, &slot);
	if (!ret) {
		e = find_locked(slot, arg.name);
		if (e)
			file = get_file(e->file);
		else
			ret = -ENOENT;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		goto err_put_fd;

	arg.fd = fd;
	if (copy_to_user(&uarg->fd, &arg.fd, sizeof(arg.fd))) {
		ret = -EFAULT;
		goto err_put_file;
	}
	/* Once installed, the descriptor is the process's: no going back. */
	fd_install(fd, file);
	return 0;

err_put_file:
	fput(file);
err_put_fd:
	put_unused_fd(fd);
	return ret;
}

long mx_fd_remove(struct mx_proc *proc, struct mxsys_fd __user *uarg)
{
	struct mx_fd_entry *e;
	struct mx_slot *slot;
	struct mxsys_fd arg;
	unsigned long flags;
	int ret;

	ret = get_arg(&arg, uarg, 0, false);
	if (ret)
		return ret;
	spin_lock_irqsave(&mx_lock, flags);
	ret = caller_slot_locked(proc, &slot);
	if (!ret) {
		e = find_locked(slot, arg.name);
		if (e)
			drop_locked(slot, e);
		else
			ret = -ENOENT;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	mx_fd_put_dropped();
	mx_nl_slot_events_send();
	return ret;
}

long mx_fd_list(struct mx_proc *proc, struct mxsys_fd_list __user *uarg)
{
	struct mxsys_fd_list arg;
	struct mx_fd_entry *e;
	struct mx_slot *slot;
	unsigned long flags;
	unsigned int i = 0;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	memset(arg.name, 0, sizeof(arg.name));
	spin_lock_irqsave(&mx_lock, flags);
	ret = caller_slot_locked(proc, &slot);
	if (!ret) {
		arg.count = slot->nr_fds;
		ret = -ENOENT;
		list_for_each_entry(e, &slot->fds, link) {
			if (i++ == arg.index) {
				memcpy(arg.name, e->name, sizeof(arg.name));
				ret = 0;
				break;
			}
		}
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret && ret != -ENOENT)
		return ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return ret;
}
