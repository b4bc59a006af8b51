// SPDX-License-Identifier: MIT
/* The timerfd behind RS's single deadline. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "timer.h"

rs_time_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (rs_time_t)ts.tv_sec * 1000 + (rs_time_t)ts.tv_nsec / 1000000;
}

int timer_open(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int timer_arm(int fd, rs_time_t deadline)
{
	struct itimerspec spec;

	memset(&spec, 0, sizeof(spec));
	if (deadline != RS_TIME_NEVER) {
		/* it_value 0 would disarm: a deadline at time 0 is "now". */
		if (deadline == 0)
			deadline = 1;
		spec.it_value.tv_sec = (time_t)(deadline / 1000);
		spec.it_value.tv_nsec = (long)(deadline % 1000) * 1000000;
	}
	if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL) < 0)
		return -errno;
	return 0;
}

void timer_drain(int fd)
{
	uint64_t expirations;

	/* Non-blocking: EAGAIN just means it was drained already. */
	if (read(fd, &expirations, sizeof(expirations)) < 0)
		return;
}
