/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The privilege slot table.
 *
 * LOCKING
 *
 *   One spinlock, mx_lock, taken with spin_lock_irqsave(), protects the
 *   whole slot table and all IPC state hanging off it: slot states, privileges,
 *   send masks, sender queues, waiter lists, pending notifications, the
 *   slot <-> mx_proc binding. Like MINIX's kernel, the module is one big
 *   critical section; every operation on it is short and never sleeps.
 *
 *   Functions whose name ends in _locked must be called with mx_lock held
 *   and assert it with lockdep_assert_held(). Nothing touches user memory,
 *   allocates with GFP_KERNEL or sleeps with mx_lock held: messages are
 *   copied into kernel buffers before the lock is taken and copied out
 *   after it is dropped.
 *
 *   Lock order: (target siglock, in the tracepoint probes) -> mx_lock ->
 *   waitqueue locks (wake_up() is called under mx_lock).
 *
 * SLOT STATES
 *
 *   FREE -> PREPARED   PRIVCTL SET_SYS for a pid (or RS_CLAIM)
 *   PREPARED -> BOUND  that thread group opened /dev/mxsys
 *   BOUND -> DEAD      the thread group exited or its file was released;
 *                      endpoint, queued senders, async messages and pending
 *                      notifications stay
 *   DEAD -> PREPARED   SET_SYS with the same endpoint for a new pid
 *   any -> FREE        CLEAR (not while BOUND): generation grows, waiters
 *                      on the slot fail with -MXSYS_EDEADSRCDST, the fd store
 *                      is closed (fdstore.h: after mx_lock is dropped)
 *
 *   What a slot keeps for its endpoint through DEAD and PREPARED, and
 *   through UPDATE (which moves only the process and its privileges):
 *   queued senders and async messages, notifications, signals, the alarm,
 *   and the fd store.
 */
#ifndef _MX_SLOT_H
#define _MX_SLOT_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <mxsys.h>

struct mx_proc;

enum mx_slot_state {
	MX_SLOT_FREE = MXSYS_SLOT_STATE_FREE,
	MX_SLOT_PREPARED = MXSYS_SLOT_STATE_PREPARED,
	MX_SLOT_BOUND = MXSYS_SLOT_STATE_BOUND,
	MX_SLOT_DEAD = MXSYS_SLOT_STATE_DEAD,
};

/* A pending notification from another slot; SYSTEM and CLOCK are fields. */
struct mx_notify {
	struct list_head link;
	unsigned int src;
	u64 timestamp;
};

struct mx_slot {
	unsigned int index;
	unsigned int gen;
	enum mx_slot_state state;
	bool allowed;

	struct pid *pid;		/* thread group prepared for/bound to */
	struct mx_proc *proc;		/* BOUND only */

	u32 flags;
	u32 init_flags;
	s32 sig_mgr;			/* endpoint, MXSYS_SELF or MXSYS_NONE */
	s32 bak_sig_mgr;
	u64 call_mask;
	unsigned long *send_mask;	/* nr_slots bits, kept symmetric */
	char name[MXSYS_NAME_LEN];

	struct list_head queue;		/* struct mx_queued: FIFO to receive */
	struct list_head waiters;	/* struct mx_waiter: blocked calls */
	struct list_head orphans;	/* struct mx_orphan: answers to drop */
	unsigned int senda_count;	/* async messages queued elsewhere */

	unsigned long *notify_bits;	/* nr_slots bits: pending sources */
	struct list_head notifies;	/* struct mx_notify */
	bool system_notify;
	u64 system_notify_ts;
	bool clock_notify;
	u64 clock_notify_ts;

	bool death_pending;		/* for GETKSIG */
	int exit_status;
	struct pid *exit_pid;		/* whose death: a swap moves pid */

	/*
	 * Signal routing, as MINIX's RTS_SIGNALED / RTS_SIG_PENDING: a
	 * signal joins sig_pending (nonzero: the manager was told); GETKSIG
	 * hands the set over and clears it; the slot's new IPC calls wait
	 * until ENDKSIG clears sig_frozen. self_sigs are the signals of a
	 * slot that is its own manager, carried by its notify from SYSTEM.
	 */
	u64 sig_pending;
	bool sig_frozen;
	u64 self_sigs;

	struct list_head fds;		/* struct mx_fd_entry: the fd store */
	unsigned int nr_fds;

	struct hrtimer alarm;		/* sys_setalarm: notify from CLOCK */
	ktime_t alarm_expires;
	bool alarm_armed;
};

extern spinlock_t mx_lock;
/* Bound slots: lets the tracepoint probes return at once when none is. */
extern atomic_t mx_nr_bound;
extern struct mx_slot *mx_slots;
extern unsigned int mx_nr_slots;

int mx_slot_init(void);
void mx_slot_uninit(void);

/* May the slot's process start IPC calls (ALLOWed, no signal pending)? */
static inline bool mx_slot_may_run_locked(const struct mx_slot *slot)
{
	lockdep_assert_held(&mx_lock);
	return slot->allowed && !slot->sig_frozen;
}

static inline s32 mx_slot_endpoint(const struct mx_slot *slot)
{
	return MXSYS_ENDPOINT(slot->gen, slot->index);
}

int mx_slot_lookup_locked(s32 endpoint, struct mx_slot **slotp);
struct mx_slot *mx_slot_of_pid_locked(struct pid *pid);
struct mx_proc *mx_slot_bound_proc_locked(struct pid *tgid);
void mx_slot_bind_locked(struct mx_slot *slot, struct mx_proc *proc);
void mx_slot_unbind_locked(struct mx_slot *slot);
struct mx_slot *mx_slot_sig_mgr_locked(struct mx_slot *slot);
void mx_slot_set_send_mask_locked(struct mx_slot *slot, const __u64 *mask);
void mx_slot_free_locked(struct mx_slot *slot);
bool mx_slot_can_send_locked(const struct mx_slot *from, const struct mx_slot *to);

#endif /* _MX_SLOT_H */
