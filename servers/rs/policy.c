// SPDX-License-Identifier: MIT
/* Restart backoff and heartbeat decisions (pure). */
#include "policy.h"

unsigned int policy_backoff_periods(unsigned int restarts)
{
	if (restarts == 0)
		return 0;
	/* 1 << 5 already exceeds the cap; avoid shifting out of range. */
	if (restarts >= 5)
		return RS_MAX_BACKOFF;
	return 1U << restarts;
}

unsigned int policy_restart_periods(unsigned int restarts, bool no_bin_exp,
				    bool use_copy)
{
	unsigned int periods;

	if (restarts == 0)
		return 0;
	if (no_bin_exp)
		return 1;
	periods = policy_backoff_periods(restarts);
	/* MINIX: with a copy of the binary a restart is cheap to retry. */
	if (use_copy && periods > 1)
		periods = 1;
	return periods;
}

void heartbeat_reset(struct heartbeat *hb, rs_time_t now)
{
	hb->check_tm = now;
	hb->alive_tm = now;
}

void heartbeat_set_period(struct heartbeat *hb, uint32_t period_ms,
			  rs_time_t now)
{
	hb->period_ms = period_ms;
	heartbeat_reset(hb, now);
}

bool heartbeat_ping_outstanding(const struct heartbeat *hb)
{
	return hb->alive_tm < hb->check_tm;
}

enum heartbeat_action heartbeat_decide(const struct heartbeat *hb,
				       rs_time_t now)
{
	rs_time_t period = hb->period_ms;

	if (period == 0)
		return HEARTBEAT_NONE;
	if (heartbeat_ping_outstanding(hb)) {
		/* Late only when no sign of life for two whole periods. */
		if (now > hb->alive_tm && now - hb->alive_tm > 2 * period)
			return HEARTBEAT_KILL;
		return HEARTBEAT_NONE;
	}
	if (now >= hb->check_tm && now - hb->check_tm >= period)
		return HEARTBEAT_PING;
	return HEARTBEAT_NONE;
}

rs_time_t heartbeat_deadline(const struct heartbeat *hb)
{
	rs_time_t period = hb->period_ms;

	if (period == 0)
		return RS_TIME_NEVER;
	if (heartbeat_ping_outstanding(hb))
		return hb->alive_tm + 2 * period + 1;
	return hb->check_tm + period;
}
