/* SPDX-License-Identifier: MIT */
/* The journal's file: a memfd, its growth and its mapping (see jfile.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jfile.h"

/*
 * Grow the memfd and its mapping to hold need bytes. The file is never
 * made shorter: in a live update the old instance, which may come back,
 * still maps it as it was.
 */
static int grow_memfd(struct journal *j, size_t need)
{
	int fd = (int)(intptr_t)j->arg;
	size_t size = j->size ? j->size : 1u << 16;
	struct stat st;
	void *p;

	while (size < need)
		size *= 2;
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((off_t)size > st.st_size && ftruncate(fd, (off_t)size) < 0)
		return -errno;
	p = j->base ? mremap(j->base, j->size, size, MREMAP_MAYMOVE) :
		      mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   0);
	if (p == MAP_FAILED)
		return -errno;
	j->base = p;
	j->size = size;
	return 0;
}

void jfile_close(struct journal *j, int fd)
{
	if (j->base)
		munmap(j->base, j->size);
	memset(j, 0, sizeof(*j));
	if (fd >= 0)
		close(fd);
}

int jfile_new(struct journal *j, int *fdp, uint64_t generation)
{
	int fd = memfd_create(DS_STATE_NAME, MFD_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	memset(j, 0, sizeof(*j));
	j->grow = grow_memfd;
	j->arg = (void *)(intptr_t)fd;
	r = journal_format(j, generation);
	if (r != 0) {
		jfile_close(j, fd);
		return r;
	}
	journal_commit(j);
	*fdp = fd;
	return 0;
}

int jfile_adopt(struct journal *j, int fd, bool trim, bool populate)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), want;
	struct journal_header h;
	off_t size = lseek(fd, 0, SEEK_END);
	void *p;

	if (size < (off_t)sizeof(h) ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !journal_header_valid(&h, (size_t)size))
		return -EBADMSG;
	want = ((size_t)h.committed + page - 1) / page * page;
	if (want > (size_t)size)
		want = (size_t)size;	/* never map past the end of the file */
	if (trim && (off_t)want < size && ftruncate(fd, (off_t)want) < 0)
		return -errno;
	/* A whole replay reads every page: map them all now, not one fault each. */
	p = mmap(NULL, want, PROT_READ | PROT_WRITE,
		 MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	memset(j, 0, sizeof(*j));
	j->base = p;
	j->size = want;
	j->grow = grow_memfd;
	j->arg = (void *)(intptr_t)fd;
	return 0;
}
