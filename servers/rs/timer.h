/* SPDX-License-Identifier: MIT */
/*
 * RS's one timer (s6 style): every state keeps its own deadline, and the
 * loop arms a single timerfd for the earliest of them.
 */
#ifndef RS_TIMER_H
#define RS_TIMER_H

#include "policy.h"

/* Milliseconds of CLOCK_MONOTONIC. */
rs_time_t now_ms(void);

/* Returns the timerfd, or a negative error. */
int timer_open(void);
/* Arm for an absolute deadline; RS_TIME_NEVER disarms. */
int timer_arm(int fd, rs_time_t deadline);
/* Consume an expiry so the fd stops polling readable. */
void timer_drain(int fd);

#endif /* RS_TIMER_H */
