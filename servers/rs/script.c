// SPDX-License-Identifier: MIT
/* Recovery scripts: fork, reset what RS changed for itself, exec sh. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "script.h"

#define SHELL	"/bin/sh"

int script_run(const char *script, const char *label, const char *reason,
	       unsigned int incarnation)
{
	char count[16];
	sigset_t empty;
	pid_t pid;

	snprintf(count, sizeof(count), "%u", incarnation);
	pid = fork();
	if (pid < 0) {
		rs_err("%s: cannot run script %s: %s", label, script,
		       strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		/* RS blocks the signals its signalfd reads; a script must not. */
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&empty);
		sigprocmask(SIG_SETMASK, &empty, NULL);
		execl(SHELL, "sh", script, label, reason, count, (char *)NULL);
		fprintf(stderr, "rs-daemon: cannot execute %s: %s\n", SHELL,
			strerror(errno));
		_exit(127);
	}
	rs_info("%s: running script %s (%s, incarnation %u), pid %d", label,
	       script, reason, incarnation, (int)pid);
	return pid;
}
