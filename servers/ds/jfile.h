/* SPDX-License-Identifier: MIT */
/*
 * The journal's file in ds-daemon: a memfd that DS keeps in its own fd
 * store under DS_STATE_NAME, so that it outlives the process (journal.h
 * is the format in it). Here are its creation, its growth and the mapping
 * a new instance makes of what its predecessor left.
 */
#ifndef DS_JFILE_H
#define DS_JFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "journal.h"

/* The fd store's name for the journal (also the memfd's name). */
#define DS_STATE_NAME		"ds.state"

/*
 * A new, empty journal (header written and committed) in a new memfd,
 * not yet in the fd store: 0 with *fdp set, or -errno. It grows on
 * demand; the file is never made shorter by growing: in a live update the
 * old instance, which may come back, still maps it as it was.
 */
int jfile_new(struct journal *j, int *fdp, uint64_t generation);

/*
 * Map the journal a predecessor left in fd: the part its header says was
 * committed, not the whole file. A predecessor gone wrong may have left
 * the memfd huge (a size set with ftruncate takes no memory until it is
 * touched), and faulting all of it in would fill the machine's memory,
 * the module keeping the file across every restart. trim (a restart,
 * where no earlier instance can come back): cut the file to what is
 * mapped, giving back what lay past it. populate: every page will be read
 * (a replay from the start, not the tail a standby left), so map them all
 * at once. 0, -EBADMSG for a file that is not a journal, or -errno.
 */
int jfile_adopt(struct journal *j, int fd, bool trim, bool populate);

/* Unmap j and close fd (if >= 0). */
void jfile_close(struct journal *j, int fd);

#endif /* DS_JFILE_H */
