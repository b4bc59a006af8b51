/* SPDX-License-Identifier: MIT */
/*
 * A process held still under ptrace: every thread seized and interrupted,
 * its memory read and written through /proc/PID/mem, its registers and
 * debug registers, and a clean detach that hands back any signal that
 * arrived meanwhile.
 */
#ifndef MXSYS_SWIFI_TRACEE_H
#define MXSYS_SWIFI_TRACEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct tracee_thread {
	pid_t tid;
	int pending_signal;	/* caught in a signal-delivery-stop; 0 none */
	bool running;		/* resumed by activation watching */
};

struct tracee {
	pid_t pid;
	struct tracee_thread *threads;
	size_t count;
	size_t capacity;
	int mem_fd;
};

/*
 * Seize and stop every thread of pid (threads created meanwhile too).
 * Returns 0, or -1 with the reason in err; nothing is left attached then.
 */
int tracee_attach(struct tracee *tracee, pid_t pid, char *err, size_t errlen);
/* Detach from every thread, which runs on (or stays in a group stop). */
void tracee_detach(struct tracee *tracee);

/* Return 0 or an errno value (EIO: not all of it is mapped). */
int tracee_read(const struct tracee *tracee, uint64_t address, void *buf,
		size_t len);
/* Writes read-only code too, as debuggers do. */
int tracee_write(const struct tracee *tracee, uint64_t address,
		 const void *buf, size_t len);

int tracee_get_regs(pid_t tid, struct user_regs_struct *regs);
int tracee_set_regs(pid_t tid, const struct user_regs_struct *regs);
int tracee_set_debugreg(pid_t tid, int number, uint64_t value);
int tracee_get_debugreg(pid_t tid, int number, uint64_t *value);

/* Add a thread that is already attached (a clone seen while watching). */
struct tracee_thread *tracee_add_thread(struct tracee *tracee, pid_t tid);
struct tracee_thread *tracee_thread(struct tracee *tracee, pid_t tid);
void tracee_forget_thread(struct tracee *tracee, pid_t tid);

#endif /* MXSYS_SWIFI_TRACEE_H */
