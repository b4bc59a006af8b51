// SPDX-License-Identifier: MIT
/* Kept copies of services' binaries (-c), in RS's fd store. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minix/sef.h>

#include "binary.h"
#include "log.h"

static void store_name(const char *label, char name[SEF_FD_NAME_LEN])
{
	snprintf(name, SEF_FD_NAME_LEN, "bin.%s", label);
}

/* A sealed memfd holding path's bytes, or a negative error. */
static int copy_of(const char *path, const char *name)
{
	struct stat st;
	char head[2];
	int in, out, r;
	off_t done = 0;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return -ENOEXEC;
	}
	if (pread(in, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
	    head[0] == '#' && head[1] == '!') {
		close(in);
		return -ENOTSUP;
	}
	out = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while (done < st.st_size) {
		ssize_t n = sendfile(out, in, NULL, (size_t)(st.st_size - done));

		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			close(in);
			close(out);
			return r;
		}
		done += n;
	}
	close(in);
	/* Executable, and nobody may change it any more. */
	if (fchmod(out, 0555) < 0 ||
	    fcntl(out, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK |
				    F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		r = -errno;
		close(out);
		return r;
	}
	return out;
}

int binary_copy_fd(const char *label, const char *path)
{
	char name[SEF_FD_NAME_LEN];
	int fd, r;

	store_name(label, name);
	fd = sef_fd_fetch(name);
	if (fd >= 0)
		return fd;
	fd = copy_of(path, name);
	if (fd == -ENOTSUP) {
		rs_info("%s: %s is a script: -c runs it from its path",
		       label, path);
		return -1;
	}
	if (fd < 0) {
		rs_err("%s: cannot keep a copy of %s: %s", label, path,
		       sef_strerror(fd));
		return -1;
	}
	r = sef_fd_replace(name, fd);
	if (r < 0)
		rs_err("%s: cannot keep the copy of %s in the fd store: %s",
		       label, path, sef_strerror(r));
	else
		rs_info("%s: keeping a copy of %s (-c)", label, path);
	return fd;
}

void binary_drop(const char *label)
{
	char name[SEF_FD_NAME_LEN];
	int r;

	store_name(label, name);
	r = sef_fd_remove(name);
	if (r < 0 && r != -ENOENT)
		rs_err("%s: cannot drop the copy of its binary: %s", label,
		       sef_strerror(r));
}
