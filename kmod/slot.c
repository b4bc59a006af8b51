// SPDX-License-Identifier: GPL-2.0
/*
 * The slot table: allocation, endpoint lookup, send masks, freeing.
 * Locking rules are in slot.h.
 */
#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/slab.h>

#include "alarm.h"
#include "fdstore.h"
#include "ipc.h"
#include "netlink.h"
#include "proc.h"
#include "slot.h"

static unsigned int nr_slots = 64;
module_param(nr_slots, uint, 0444);
MODULE_PARM_DESC(nr_slots, "number of privilege slots (at most 2048)");

DEFINE_SPINLOCK(mx_lock);
struct mx_slot *mx_slots;
unsigned int mx_nr_slots;
atomic_t mx_nr_bound = ATOMIC_INIT(0);

/*
 * Bound processes by thread group, for the tracepoint probes: they run on
 * every signal and exit in the system and must not scan the table.
 */
static DEFINE_HASHTABLE(bound_procs, 8);

int mx_slot_init(void)
{
	unsigned int i;

	if (nr_slots <= MXSYS_NR_STATIC_SLOTS || nr_slots > MXSYS_MAX_SLOTS) {
		pr_err("nr_slots must be in %d..%d\n", MXSYS_NR_STATIC_SLOTS + 1,
		       MXSYS_MAX_SLOTS);
		return -EINVAL;
	}
	mx_slots = kvcalloc(nr_slots, sizeof(*mx_slots), GFP_KERNEL);
	if (!mx_slots)
		return -ENOMEM;
	mx_nr_slots = nr_slots;
	for (i = 0; i < nr_slots; i++) {
		struct mx_slot *slot = &mx_slots[i];

		slot->index = i;
		INIT_LIST_HEAD(&slot->queue);
		INIT_LIST_HEAD(&slot->waiters);
		INIT_LIST_HEAD(&slot->orphans);
		INIT_LIST_HEAD(&slot->notifies);
		INIT_LIST_HEAD(&slot->fds);
		mx_alarm_init(slot);
		slot->send_mask = bitmap_zalloc(nr_slots, GFP_KERNEL);
		slot->notify_bits = bitmap_zalloc(nr_slots, GFP_KERNEL);
		if (!slot->send_mask || !slot->notify_bits) {
			mx_slot_uninit();
			return -ENOMEM;
		}
	}
	return 0;
}

/* Module exit: no file is open, so no slot is bound and nobody waits. */
void mx_slot_uninit(void)
{
	unsigned long flags;
	unsigned int i;

	if (!mx_slots)
		return;
	spin_lock_irqsave(&mx_lock, flags);
	for (i = 0; i < mx_nr_slots; i++)
		if (mx_slots[i].send_mask && mx_slots[i].notify_bits &&
		    mx_slots[i].state != MX_SLOT_FREE)
			mx_slot_free_locked(&mx_slots[i]);
	spin_unlock_irqrestore(&mx_lock, flags);
	for (i = 0; i < mx_nr_slots; i++) {
		mx_alarm_uninit(&mx_slots[i]);
		bitmap_free(mx_slots[i].send_mask);
		bitmap_free(mx_slots[i].notify_bits);
	}
	kvfree(mx_slots);
	mx_slots = NULL;
}

/*
 * Resolve an endpoint to its slot: -EINVAL when it cannot name a slot at
 * all, -MXSYS_EDEADEPT when the slot is free or the generation is stale.
 */
int mx_slot_lookup_locked(s32 endpoint, struct mx_slot **slotp)
{
	struct mx_slot *slot;

	lockdep_assert_held(&mx_lock);
	if (endpoint < 0 || MXSYS_ENDPOINT_SLOT(endpoint) >= mx_nr_slots)
		return -EINVAL;
	slot = &mx_slots[MXSYS_ENDPOINT_SLOT(endpoint)];
	if (slot->state == MX_SLOT_FREE ||
	    slot->gen != MXSYS_ENDPOINT_GEN(endpoint))
		return -MXSYS_EDEADEPT;
	*slotp = slot;
	return 0;
}

struct mx_proc *mx_slot_bound_proc_locked(struct pid *tgid)
{
	struct mx_proc *proc;

	lockdep_assert_held(&mx_lock);
	hash_for_each_possible(bound_procs, proc, bound_node, (unsigned long)tgid)
		if (proc->tgid == tgid)
			return proc;
	return NULL;
}

/*
 * @proc becomes the process of @slot (prepared, or taken over by RS). The
 * BOUND event is queued here; the caller sends it once the lock is dropped
 * (mx_nl_slot_events_send()).
 */
void mx_slot_bind_locked(struct mx_slot *slot, struct mx_proc *proc)
{
	struct mx_slot_event ev = { .type = MXSYS_EVENT_BOUND };

	lockdep_assert_held(&mx_lock);
	slot->state = MX_SLOT_BOUND;
	slot->proc = proc;
	proc->slot = slot;
	hash_add(bound_procs, &proc->bound_node, (unsigned long)proc->tgid);
	atomic_inc(&mx_nr_bound);
	ev.endpoint = mx_slot_endpoint(slot);
	ev.pid = pid_nr(slot->pid);
	mx_nl_slot_event_locked(&ev);
}

/* @slot's process is gone; the slot is DEAD and keeps its identity. */
void mx_slot_unbind_locked(struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	hash_del(&slot->proc->bound_node);
	slot->proc->slot = NULL;
	slot->proc = NULL;
	slot->state = MX_SLOT_DEAD;
	slot->allowed = false;
	atomic_dec(&mx_nr_bound);
}

/* The live slot that manages @slot's signals, or NULL. SELF is @slot. */
struct mx_slot *mx_slot_sig_mgr_locked(struct mx_slot *slot)
{
	struct mx_slot *mgr;

	lockdep_assert_held(&mx_lock);
	if (slot->sig_mgr == MXSYS_SELF)
		return slot;
	if (mx_slot_lookup_locked(slot->sig_mgr, &mgr))
		return NULL;
	return mgr;
}

/* The slot prepared for or bound to thread group @pid, if any. */
struct mx_slot *mx_slot_of_pid_locked(struct pid *pid)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++) {
		struct mx_slot *slot = &mx_slots[i];

		if ((slot->state == MX_SLOT_PREPARED ||
		     slot->state == MX_SLOT_BOUND) && slot->pid == pid)
			return slot;
	}
	return NULL;
}

bool mx_slot_can_send_locked(const struct mx_slot *from,
			     const struct mx_slot *to)
{
	lockdep_assert_held(&mx_lock);
	return test_bit(to->index, from->send_mask);
}

/*
 * Grant @slot the destinations in @mask (bit = slot, bits past nr_slots
 * ignored) and keep the relation symmetric: every destination may send
 * back, and every slot that may already send to @slot may be answered.
 * Masks only grow here; a slot's bits disappear when it is freed.
 */
void mx_slot_set_send_mask_locked(struct mx_slot *slot, const __u64 *mask)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++) {
		struct mx_slot *other = &mx_slots[i];

		if (i == slot->index)
			continue;
		if (mask[i / 64] & (1ULL << (i % 64))) {
			set_bit(i, slot->send_mask);
			set_bit(slot->index, other->send_mask);
		} else if (test_bit(slot->index, other->send_mask)) {
			set_bit(i, slot->send_mask);
		}
	}
}

/*
 * Free a slot (sys_clear): fail everything still waiting on it, drop its
 * messages and notifications, remove it from every send mask and bump the
 * generation of a dynamic slot so that its endpoint becomes stale.
 */
void mx_slot_free_locked(struct mx_slot *slot)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	mx_ipc_clear_slot_locked(slot);
	mx_fd_drop_locked(slot);
	mx_alarm_stop_locked(slot);
	for (i = 0; i < mx_nr_slots; i++)
		clear_bit(slot->index, mx_slots[i].send_mask);
	bitmap_zero(slot->send_mask, mx_nr_slots);
	/* A static slot's endpoint is well known (RS, DS): it stays. */
	if (slot->index >= MXSYS_NR_STATIC_SLOTS)
		slot->gen = (slot->gen + 1) & MXSYS_MAX_GENERATION;
	slot->state = MX_SLOT_FREE;
	slot->allowed = false;
	put_pid(slot->pid);
	slot->pid = NULL;
	slot->proc = NULL;
	slot->flags = 0;
	slot->init_flags = 0;
	slot->sig_mgr = MXSYS_NONE;
	slot->bak_sig_mgr = MXSYS_NONE;
	slot->call_mask = 0;
	memset(slot->name, 0, sizeof(slot->name));
	slot->death_pending = false;
	slot->exit_status = 0;
	put_pid(slot->exit_pid);
	slot->exit_pid = NULL;
	slot->sig_pending = 0;
	slot->sig_frozen = false;
	slot->self_sigs = 0;
}
