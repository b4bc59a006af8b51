/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys_setalarm: one timer per slot that ends in a notify from CLOCK. The
 * alarm belongs to the endpoint: it survives the death or swap of the
 * process and is stopped only by CLEAR.
 */
#ifndef _MX_ALARM_H
#define _MX_ALARM_H

#include <mxsys.h>

struct mx_proc;
struct mx_slot;

void mx_alarm_init(struct mx_slot *slot);
void mx_alarm_stop_locked(struct mx_slot *slot);
void mx_alarm_uninit(struct mx_slot *slot);
long mx_alarm_set(struct mx_proc *proc, struct mxsys_alarm __user *uarg);

#endif /* _MX_ALARM_H */
