// SPDX-License-Identifier: GPL-2.0
/*
 * Memory grants, as MINIX's safecopies: a process grants an endpoint
 * access to a range of its own memory (SETGRANT), and the grantee copies
 * from or to that range (SAFECOPYFROM, SAFECOPYTO), checked against the
 * granter's table. The semantics are in the uapi header.
 *
 * The table belongs to the process (struct mx_proc), not to the slot: it
 * moves with the process in a slot swap and goes away with it, as MINIX's
 * s_grant_table does. It is read and changed only under mx_lock, but
 * allocated and grown outside it (GFP_KERNEL): a bigger copy replaces the
 * old table under the lock, and the old one is freed after the unlock.
 *
 * Each table pins (mmgrab) the address space its grants were made in. A
 * copy takes a user reference on that mm (mmget_not_zero) under mx_lock,
 * then drops the lock and works on that mm only. A granter that exited or
 * exec'd has left no users on it, so the copy fails rather than reach the
 * memory of whatever program the task runs now; access_process_vm() would
 * look the mm up from the task at copy time, and access_remote_vm() is not
 * exported.
 */
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "grant.h"
#include "kcall.h"
#include "proc.h"
#include "slot.h"

/*
 * A grant id is (generation << MX_GRANT_INDEX_BITS) | index. Revoking a
 * grant bumps the generation of its entry, and free entries are taken
 * round-robin (next fit), so a revoked id only names a live grant again
 * after its entry has been reused 2^21 times.
 */
#define MX_GRANT_INDEX_BITS	ilog2(MXSYS_GRANT_MAX)
#define MX_GRANT_INDEX_MASK	(MXSYS_GRANT_MAX - 1)
#define MX_GRANT_GEN_MASK	((1U << (31 - MX_GRANT_INDEX_BITS)) - 1)

/* First table size; it doubles up to MXSYS_GRANT_MAX. */
#define MX_GRANT_MIN		32

struct mx_grant {
	u64 addr;
	u64 len;
	s32 grantee;		/* endpoint or MXSYS_ANY */
	u32 access;		/* MXSYS_CPF_*; 0: free entry */
	u32 gen;
};

struct mx_grant_table {
	struct mm_struct *mm;	/* mmgrab()ed: the granter's address space */
	unsigned int size;	/* entries */
	unsigned int live;	/* entries in use */
	unsigned int next;	/* where the search for a free entry starts */
	struct mx_grant entries[];
};

static s32 grant_id(unsigned int index, u32 gen)
{
	return (s32)((gen << MX_GRANT_INDEX_BITS) | index);
}

static struct mx_grant_table *table_alloc(unsigned int size)
{
	struct mx_grant_table *table;

	table = kvzalloc(struct_size(table, entries, size), GFP_KERNEL);
	if (!table)
		return NULL;
	table->size = size;
	table->mm = current->mm;
	mmgrab(table->mm);
	return table;
}

/* Outside mx_lock: mmdrop() and kvfree() may sleep. */
static void table_free(struct mx_grant_table *table)
{
	if (!table)
		return;
	mmdrop(table->mm);
	kvfree(table);
}

/*
 * The size of the table @proc needs before it can take one more grant
 * from the current process, or 0 when the current table will do (possibly
 * because it is full at MXSYS_GRANT_MAX).
 */
static unsigned int table_want_locked(const struct mx_proc *proc)
{
	const struct mx_grant_table *table = proc->grants;

	lockdep_assert_held(&mx_lock);
	if (!table)
		return MX_GRANT_MIN;
	/* exec()ed since: the grants are void, the table is replaced. */
	if (table->mm != current->mm)
		return table->size;
	if (table->live == table->size && table->size < MXSYS_GRANT_MAX)
		return min(table->size * 2, MXSYS_GRANT_MAX);
	return 0;
}

/*
 * Make @new the table of @proc if it is still wanted, carrying the entries
 * and their generations over. When the address space changed, the old
 * grants are revoked on the way (their generations move on). Returns the
 * table that is no longer used, for table_free() after the unlock.
 */
static struct mx_grant_table *table_install_locked(struct mx_proc *proc,
						   struct mx_grant_table *new)
{
	struct mx_grant_table *old = proc->grants;
	unsigned int i;
	bool same_mm;

	lockdep_assert_held(&mx_lock);
	if (!old) {
		proc->grants = new;
		return NULL;
	}
	same_mm = old->mm == new->mm;
	/* Another thread of the process got there first. */
	if (new->size < old->size || (new->size == old->size && same_mm))
		return new;
	for (i = 0; i < old->size; i++) {
		struct mx_grant *e = &new->entries[i];

		*e = old->entries[i];
		if (e->access && !same_mm) {
			e->access = 0;
			e->gen = (e->gen + 1) & MX_GRANT_GEN_MASK;
		}
	}
	new->live = same_mm ? old->live : 0;
	new->next = old->next;
	proc->grants = new;
	return old;
}

/* The live grant @id of @table, or NULL. */
static struct mx_grant *grant_lookup_locked(struct mx_grant_table *table,
					    s32 id)
{
	struct mx_grant *e;
	unsigned int index;

	lockdep_assert_held(&mx_lock);
	if (!table || id < 0)
		return NULL;
	index = id & MX_GRANT_INDEX_MASK;
	if (index >= table->size)
		return NULL;
	e = &table->entries[index];
	if (!e->access || e->gen != (u32)id >> MX_GRANT_INDEX_BITS)
		return NULL;
	return e;
}

/* A new grant in @table as described by @arg: its id, or -ENOSPC. */
static int grant_add_locked(struct mx_grant_table *table,
			    const struct mxsys_grant *arg)
{
	struct mx_grant *e = NULL;
	unsigned int i, n;

	lockdep_assert_held(&mx_lock);
	if (table->live == table->size)
		return -ENOSPC;
	for (n = 0; n < table->size; n++) {
		i = (table->next + n) % table->size;
		if (!table->entries[i].access) {
			e = &table->entries[i];
			break;
		}
	}
	if (WARN_ON_ONCE(!e))
		return -ENOSPC;
	e->addr = arg->addr;
	e->len = arg->len;
	e->grantee = arg->grantee;
	e->access = arg->access;
	table->live++;
	table->next = i + 1;
	return grant_id(i, e->gen);
}

static int grant_revoke_locked(struct mx_grant_table *table, s32 id)
{
	struct mx_grant *e;

	lockdep_assert_held(&mx_lock);
	e = grant_lookup_locked(table, id);
	if (!e)
		return -EINVAL;
	e->access = 0;
	e->gen = (e->gen + 1) & MX_GRANT_GEN_MASK;
	table->live--;
	return 0;
}

/* A grant names one slot (in use, any state) or MXSYS_ANY. */
static int check_grantee_locked(s32 grantee)
{
	struct mx_slot *slot;

	lockdep_assert_held(&mx_lock);
	if (grantee == MXSYS_ANY)
		return 0;
	return mx_slot_lookup_locked(grantee, &slot);
}

static long grant_revoke(struct mx_proc *proc, s32 id)
{
	struct mx_slot *self;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, MXSYS_KC_SETGRANT, &self);
	if (!ret)
		ret = grant_revoke_locked(proc->grants, id);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

static long grant_direct(struct mx_proc *proc, const struct mxsys_grant *arg,
			 struct mxsys_grant __user *uarg)
{
	struct mx_grant_table *spare = NULL;
	unsigned int want = 0;
	struct mx_slot *self;
	unsigned long flags;
	u64 end;
	int ret;

	if (!arg->access || (arg->access & ~(MXSYS_CPF_READ | MXSYS_CPF_WRITE)))
		return -EINVAL;
	if (!arg->len || check_add_overflow(arg->addr, arg->len, &end) ||
	    !access_ok(u64_to_user_ptr(arg->addr), arg->len))
		return -EINVAL;

	/* Grow (or replace) the table outside the lock until it has room. */
	for (;;) {
		if (want) {
			spare = table_alloc(want);
			if (!spare)
				return -ENOMEM;
		}
		spin_lock_irqsave(&mx_lock, flags);
		ret = mx_kcall_caller_locked(proc, MXSYS_KC_SETGRANT, &self);
		if (!ret)
			ret = check_grantee_locked(arg->grantee);
		if (ret)
			break;
		if (spare)
			spare = table_install_locked(proc, spare);
		want = table_want_locked(proc);
		if (!want) {
			ret = grant_add_locked(proc->grants, arg);
			break;
		}
		spin_unlock_irqrestore(&mx_lock, flags);
		table_free(spare);
		spare = NULL;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	table_free(spare);
	if (ret < 0)
		return ret;

	/* A grant the caller cannot learn about must not stay behind. */
	if (put_user(ret, &uarg->grant)) {
		grant_revoke(proc, ret);
		return -EFAULT;
	}
	return 0;
}

long mx_grant_set(struct mx_proc *proc, struct mxsys_grant __user *uarg)
{
	struct mxsys_grant arg;

	BUILD_BUG_ON(!is_power_of_2(MXSYS_GRANT_MAX));
	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	switch (arg.request) {
	case MXSYS_GRANT_DIRECT:
		return grant_direct(proc, &arg, uarg);
	case MXSYS_GRANT_REVOKE:
		if (arg.grantee || arg.access || arg.addr || arg.len)
			return -EINVAL;
		return grant_revoke(proc, arg.grant);
	default:
		return -EINVAL;
	}
}

/*
 * Check a safecopy of @self against the granter's table. On success the
 * granter's address of the copy is in *@addrp and a user reference on its
 * mm in *@mmp (mmput() it).
 */
static int check_copy_locked(const struct mx_slot *self,
			     const struct mxsys_safecopy *sc, bool to_granter,
			     u64 *addrp, struct mm_struct **mmp)
{
	u32 need = to_granter ? MXSYS_CPF_WRITE : MXSYS_CPF_READ;
	struct mx_grant_table *table;
	struct mx_slot *granter;
	struct mx_grant *e;
	int ret;

	lockdep_assert_held(&mx_lock);
	ret = mx_slot_lookup_locked(sc->granter, &granter);
	if (ret)
		return ret;
	if (granter->state != MX_SLOT_BOUND)
		return -MXSYS_EDEADSRCDST;
	table = granter->proc->grants;
	e = grant_lookup_locked(table, sc->grant);
	if (!e || (e->grantee != MXSYS_ANY &&
		   e->grantee != mx_slot_endpoint(self)))
		return -EPERM;
	if (!(e->access & need))
		return -EPERM;
	/* offset + len <= e->len, without the sum overflowing. */
	if (sc->offset > e->len || sc->len > e->len - sc->offset)
		return -EINVAL;
	/* No users left: the granter exited or exec'd. */
	if (!mmget_not_zero(table->mm))
		return -MXSYS_EDEADSRCDST;
	*addrp = e->addr + sc->offset;
	*mmp = table->mm;
	return 0;
}

/*
 * Copy @len (at most a page) bytes between @buf and the granter's @mm at
 * @addr. Without FOLL_FORCE, only what the granter itself may read (or
 * write) is reached; unmapped or protected memory gives -EFAULT.
 */
static int granter_access(struct mm_struct *mm, unsigned long addr, void *buf,
			  size_t len, bool write)
{
	unsigned int gup_flags = write ? FOLL_WRITE : 0;
	int ret = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;

		if (get_user_pages_remote(mm, addr, 1, gup_flags, &page, NULL,
					  NULL) != 1) {
			ret = -EFAULT;
			break;
		}
		if (write) {
			memcpy_to_page(page, off, buf, n);
			set_page_dirty_lock(page);
		} else {
			memcpy_from_page(buf, page, off, n);
		}
		put_page(page);
		addr += n;
		buf += n;
		len -= n;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Copy @len bytes between the granter's @mm at @addr and the caller's @ubuf,
 * a page-sized bounce buffer at a time: the granter's pages are touched
 * under its mmap_lock, the caller's memory only after dropping it (the
 * caller may be the granter, and its page faults take that same lock).
 */
static int copy_granted(struct mm_struct *mm, u64 addr, void __user *ubuf,
			u64 len, bool to_granter)
{
	void *bounce;
	int ret = 0;

	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (len) {
		size_t n = min_t(u64, len, PAGE_SIZE);

		if (to_granter && copy_from_user(bounce, ubuf, n)) {
			ret = -EFAULT;
			break;
		}
		ret = granter_access(mm, addr, bounce, n, to_granter);
		if (ret)
			break;
		if (!to_granter && copy_to_user(ubuf, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		addr += n;
		ubuf += n;
		len -= n;
		if (len && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	kfree(bounce);
	return ret;
}

long mx_grant_copy(struct mx_proc *proc, bool to_granter,
		   struct mxsys_safecopy __user *uarg)
{
	unsigned int kcall = to_granter ? MXSYS_KC_SAFECOPYTO :
					  MXSYS_KC_SAFECOPYFROM;
	struct mm_struct *mm = NULL;
	struct mxsys_safecopy sc;
	struct mx_slot *self;
	unsigned long flags;
	void __user *ubuf;
	u64 addr = 0;
	int ret;

	if (copy_from_user(&sc, uarg, sizeof(sc)))
		return -EFAULT;

	spin_lock_irqsave(&mx_lock, flags);
	ret = mx_kcall_caller_locked(proc, kcall, &self);
	if (!ret)
		ret = check_copy_locked(self, &sc, to_granter, &addr, &mm);
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret)
		return ret;

	/* Checked once, here; a grant revoked meanwhile does not stop it. */
	ubuf = u64_to_user_ptr(sc.addr);
	if (!access_ok(ubuf, sc.len))
		ret = -EFAULT;
	else if (sc.len)
		ret = copy_granted(mm, addr, ubuf, sc.len, to_granter);
	mmput(mm);
	return ret;
}

/* The process is gone: its grants go with it. May sleep. */
void mx_grant_release(struct mx_proc *proc)
{
	table_free(proc->grants);
	proc->grants = NULL;
}
