/* SPDX-License-Identifier: MIT */
/*
 * /dev/hello through CUSE, served so that its clients never notice a crash
 * or a live update of the driver. Reading returns HELLO_MESSAGE from the
 * file position, then EOF; each open bumps a counter.
 *
 * The device outlives the process. The /dev/cuse session is kept in the
 * slot's fd store ("cuse"), so the kernel keeps /dev/hello as long as the
 * module holds it, whatever happens to the process. The next instance
 * fetches the session and serves it; an open or read made meanwhile waits
 * in the kernel until it does.
 *
 * libfuse attaches a session to an fd it is given ("/dev/fd/N"), but only
 * serves it after a CUSE_INIT, which the kernel sends once per session.
 * So the next instance hands libfuse a CUSE_INIT of its own making, with
 * a request id no request has: libfuse sets itself up, its answer is
 * refused by the kernel (ENOENT, which libfuse ignores as it does for an
 * interrupted request), and from then on the session is served as usual.
 *
 * What a crash would lose lives in a memfd kept in the store too
 * ("hello.state", struct hello_state): the position of every open file,
 * and the request being served. Requests are read straight into the
 * memfd, so the moment the kernel hands one over it is saved; the header
 * is cleared before each read and after each request is done. A request
 * the dead instance took from the kernel and did not answer is therefore
 * still there for the next instance, which serves it again under its
 * original id: the kernel hands that answer to the waiting client. If the
 * dead instance did answer (it died just after), the kernel refuses the
 * second answer with ENOENT, so nothing is answered twice. Serving again
 * does what the first time did, once: an open made again reuses the file
 * it made (files remember the request that opened them); a read made again
 * reads from where the first one did (files remember their last read and
 * its position) and advances the position once, when its answer got
 * through either time (ENOENT to the second answer says the first one
 * did); a release frees what is already free. No request can hang: it is
 * answered by one instance or the next, or (a copy to us that failed)
 * ended by the kernel with EIO.
 *
 * A live update: the old instance stops reading between two requests
 * (hello_device_pause(), from its prepare callback) and the new one takes
 * the session over; if the update does not happen, the old one goes on
 * (hello_device_resume()).
 */
#define FUSE_USE_VERSION 31

#include <cuse_lowlevel.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <minix/sef.h>

#include "hello.h"

#define HELLO_STORE_SESSION	"cuse"
#define HELLO_STORE_STATE	"hello.state"

/* Between two looks at whether the name is still taken. */
#define HELLO_RETRY_MS		20
/* How long a start waits for a dead instance's device to go away. */
#define HELLO_FREE_WAIT_MS	5000
/* How long a pause waits for the request being served to be done. */
#define HELLO_PAUSE_WAIT_MS	2000

/*
 * The kernel's read buffer must hold the largest request; with max_write
 * at 4 KiB that is its minimum, FUSE_MIN_READ_BUFFER (8 KiB).
 */
#define HELLO_MAX_WRITE		4096
#define HELLO_REQUEST_MAX	8192
#define HELLO_MAX_OPEN		256
#define HELLO_STATE_MAGIC	0x68656c32	/* "hel2" */
/* The id of our own CUSE_INIT: even, and past any the kernel hands out. */
#define HELLO_OWN_INIT_ID	0xfffffffffffffffeULL

/* What survives the process, in the memfd "hello.state". */
struct hello_state {
	uint32_t magic;
	uint32_t pad;
	struct hello_open_file {
		uint64_t opened_by;	/* the open request's id */
		uint64_t pos;		/* CUSE devices do not seek: ours */
		uint64_t read_by;	/* the last read request's id */
		uint64_t read_from;	/* ... and where it read from */
		uint32_t in_use;
		uint32_t pad;
	} files[HELLO_MAX_OPEN];
	/* The request being served; its header's len is 0 between two. */
	_Alignas(8) unsigned char request[HELLO_REQUEST_MAX];
};

enum loop_state { LOOP_RUNNING, LOOP_PAUSING, LOOP_PAUSED };

static struct {
	atomic_int open_count;
	unsigned int stall_read_ms;	/* hello_set_stall_read(), for tests */
	struct fuse_session *session;
	struct hello_state *state;
	uint64_t serving;		/* id of the request being served */
	bool serving_again;		/* ... left by the last instance */
	int wake;			/* eventfd: pause requested */
	pthread_t thread;
	pthread_mutex_t lock;		/* protects ready and loop */
	pthread_cond_t changed;
	bool ready;			/* CUSE initialised */
	enum loop_state loop;
} hello_dev = {
	.wake = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
};

void hello_set_open_count(int count)
{
	atomic_store(&hello_dev.open_count, count);
}

int hello_open_count(void)
{
	return atomic_load(&hello_dev.open_count);
}

void hello_set_stall_read(unsigned int ms)
{
	hello_dev.stall_read_ms = ms;
}

/* ---- the CUSE operations ---- */

static void hello_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Every request then fits the saved request buffer. */
	conn->max_write = HELLO_MAX_WRITE;
}

static void hello_init_done(void *userdata)
{
	(void)userdata;
	/* devtmpfs creates the node root-only; the example is for everyone. */
	if (chmod("/dev/" HELLO_DEVICE_NAME, 0666) < 0)
		fprintf(stderr, "hello: chmod /dev/%s: %s\n",
			HELLO_DEVICE_NAME, strerror(errno));
	pthread_mutex_lock(&hello_dev.lock);
	hello_dev.ready = true;
	pthread_cond_broadcast(&hello_dev.changed);
	pthread_mutex_unlock(&hello_dev.lock);
}

/* The file an open request made, or a free one; NULL when all are used. */
static struct hello_open_file *file_for(uint64_t opened_by)
{
	struct hello_open_file *free_file = NULL;

	for (int i = 0; i < HELLO_MAX_OPEN; i++) {
		struct hello_open_file *f = &hello_dev.state->files[i];

		if (f->in_use && f->opened_by == opened_by)
			return f;
		if (!f->in_use && !free_file)
			free_file = f;
	}
	return free_file;
}

static void hello_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct hello_open_file *file = file_for(hello_dev.serving);
	int count;

	if (!file) {
		fuse_reply_err(req, ENFILE);
		return;
	}
	if (!file->in_use) {
		file->opened_by = hello_dev.serving;
		file->pos = 0;
		file->in_use = 1;
		count = atomic_fetch_add(&hello_dev.open_count, 1) + 1;
		fprintf(stderr, "hello_open(). Called %d time(s).\n", count);
		hello_opened(count);
	}
	fi->fh = (uint64_t)(file - hello_dev.state->files);
	fi->nonseekable = 1;
	fuse_reply_open(req, fi);
}

/* The open file behind fh, or NULL for one we never handed out. */
static struct hello_open_file *file_of(uint64_t fh)
{
	if (fh >= HELLO_MAX_OPEN || !hello_dev.state->files[fh].in_use)
		return NULL;
	return &hello_dev.state->files[fh];
}

static void hello_read(fuse_req_t req, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct hello_open_file *file = file_of(fi->fh);
	const size_t len = strlen(HELLO_MESSAGE);
	size_t n = 0;
	int r;

	(void)off;	/* always 0 for a CUSE device */
	fprintf(stderr, "hello_read()\n");
	if (!file) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (file->read_by == hello_dev.serving) {
		/* Served again: from where its first time read. */
		file->pos = file->read_from;
	} else {
		file->read_by = hello_dev.serving;
		file->read_from = file->pos;
	}
	if (hello_dev.stall_read_ms) {
		struct timespec t = {
			.tv_sec = hello_dev.stall_read_ms / 1000,
			.tv_nsec = (long)(hello_dev.stall_read_ms % 1000) * 1000000L,
		};

		nanosleep(&t, NULL);
	}
	if (file->pos < len) {
		n = len - file->pos;
		if (n > size)
			n = size;
	}
	/*
	 * The position moves once the answer got through: now (0), or, for a
	 * request served again, the first time (the kernel refuses a second
	 * answer with ENOENT). A live request refused with ENOENT was
	 * interrupted: its client reads that part again.
	 */
	r = fuse_reply_buf(req, HELLO_MESSAGE + file->pos, n);
	if (r == 0 || (r == -ENOENT && hello_dev.serving_again))
		file->pos += n;
}

static void hello_release(fuse_req_t req, struct fuse_file_info *fi)
{
	struct hello_open_file *file = file_of(fi->fh);

	if (file)
		file->in_use = 0;
	fprintf(stderr, "hello_close()\n");
	fuse_reply_err(req, 0);
}

static const struct cuse_lowlevel_ops hello_ops = {
	.init = hello_init,
	.init_done = hello_init_done,
	.open = hello_open,
	.read = hello_read,
	.release = hello_release,
};

/* ---- serving ---- */

static struct fuse_in_header *request_header(void)
{
	return (struct fuse_in_header *)hello_dev.state->request;
}

/* Serve the request in the saved buffer (@len bytes), then forget it. */
static void serve_saved(size_t len)
{
	struct fuse_buf buf = {
		.size = len,
		.mem = hello_dev.state->request,
	};

	hello_dev.serving = request_header()->unique;
	fuse_session_process_buf(hello_dev.session, &buf);
	/* Answered (the call above wrote the answer): nothing to serve again. */
	request_header()->len = 0;
}

/* A pause was asked for: say so and wait until resumed. */
static void pause_here(void)
{
	uint64_t n;

	if (read(hello_dev.wake, &n, sizeof(n)) < 0 && errno != EAGAIN)
		fprintf(stderr, "hello: eventfd: %s\n", strerror(errno));
	pthread_mutex_lock(&hello_dev.lock);
	if (hello_dev.loop == LOOP_PAUSING) {
		hello_dev.loop = LOOP_PAUSED;
		pthread_cond_broadcast(&hello_dev.changed);
		while (hello_dev.loop == LOOP_PAUSED)
			pthread_cond_wait(&hello_dev.changed, &hello_dev.lock);
	}
	pthread_mutex_unlock(&hello_dev.lock);
}

static void *serve_device(void *arg)
{
	int fd = fuse_session_fd(hello_dev.session);
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = hello_dev.wake, .events = POLLIN },
	};

	(void)arg;
	for (;;) {
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLIN) {
			pause_here();
			continue;
		}
		if (!(p[0].revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		/* Read straight into the memfd: see the opening comment. */
		memset(request_header(), 0, sizeof(struct fuse_in_header));
		n = read(fd, hello_dev.state->request, HELLO_REQUEST_MAX);
		if (n < 0) {
			/* A request that went away before we read it. */
			if (errno == EINTR || errno == EAGAIN || errno == ENOENT)
				continue;
			break;
		}
		serve_saved((size_t)n);
	}
	fprintf(stderr, "hello: the CUSE session for /dev/%s ended (%s); "
		"exiting\n", HELLO_DEVICE_NAME, strerror(errno));
	exit(1);
}

/* ---- what survives: the state memfd ---- */

static int map_state(int fd, bool fresh)
{
	void *p;

	if (fresh && ftruncate(fd, sizeof(struct hello_state)) < 0)
		return -errno;
	p = mmap(NULL, sizeof(struct hello_state), PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	hello_dev.state = p;
	if (fresh)
		hello_dev.state->magic = HELLO_STATE_MAGIC;
	return hello_dev.state->magic == HELLO_STATE_MAGIC ? OK : -EINVAL;
}

/* Adopt the predecessor's state, or start one and keep it in the store. */
static int attach_state(void)
{
	int fd = sef_fd_fetch(HELLO_STORE_STATE);
	int r;

	if (fd >= 0) {
		r = map_state(fd, false);
		close(fd);
		if (r == OK)
			return OK;
		fprintf(stderr, "hello: the saved state is unusable (%d); "
			"starting afresh\n", r);
		if (hello_dev.state)
			munmap(hello_dev.state, sizeof(struct hello_state));
		hello_dev.state = NULL;
	} else if (fd != -ENOENT) {
		fprintf(stderr, "hello: cannot fetch %s: %d\n",
			HELLO_STORE_STATE, fd);
	}
	fd = memfd_create(HELLO_STORE_STATE, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = map_state(fd, true);
	if (r == OK)
		r = sef_fd_replace(HELLO_STORE_STATE, fd);
	close(fd);
	return r;
}

/* ---- the session: a new one, or the predecessor's ---- */

static struct fuse_session *new_session(void)
{
	static const char *dev_info[] = { "DEVNAME=" HELLO_DEVICE_NAME };
	/* Foreground and single-threaded: we run the loop ourselves. */
	static char *argv[] = { "hello", "-f", "-s", NULL };
	struct cuse_info info = {
		.dev_info_argc = 1,
		.dev_info_argv = dev_info,
	};
	int multithreaded;

	return cuse_lowlevel_setup(3, argv, &info, &hello_ops, &multithreaded,
				   NULL);
}

/*
 * libfuse's session on @fd, a /dev/cuse session the kernel already
 * initialised: see the opening comment.
 */
static struct fuse_session *adopt_session(int fd)
{
	static const char *dev_info[] = { "DEVNAME=" HELLO_DEVICE_NAME };
	struct cuse_info info = {
		.dev_info_argc = 1,
		.dev_info_argv = dev_info,
	};
	char *argv[] = { "hello", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct {
		struct fuse_in_header in;
		struct fuse_init_in init;
	} own_init = {
		.in = {
			.len = sizeof(own_init),
			.opcode = CUSE_INIT,
			.unique = HELLO_OWN_INIT_ID,
		},
		.init = {
			.major = FUSE_KERNEL_VERSION,
			.minor = FUSE_KERNEL_MINOR_VERSION,
		},
	};
	struct fuse_buf buf = { .size = sizeof(own_init), .mem = &own_init };
	struct fuse_session *se;
	char mountpoint[32];

	se = cuse_lowlevel_new(&args, &info, &hello_ops, NULL);
	if (!se)
		return NULL;
	snprintf(mountpoint, sizeof(mountpoint), "/dev/fd/%d", fd);
	if (fuse_session_mount(se, mountpoint) != 0) {
		fuse_session_destroy(se);
		return NULL;
	}
	fuse_session_process_buf(se, &buf);
	return se;
}

/* Registered CUSE devices appear here; a duplicate name oopses the log. */
#define HELLO_SYSFS_ENTRY	"/sys/class/cuse/" HELLO_DEVICE_NAME

/* A device left by an instance that died before storing its session. */
static int await_name_free(void)
{
	const struct timespec pause = { .tv_nsec = HELLO_RETRY_MS * 1000000L };
	unsigned int waited = 0;
	struct stat st;

	while (stat(HELLO_SYSFS_ENTRY, &st) == 0) {
		if (waited >= HELLO_FREE_WAIT_MS) {
			fprintf(stderr, "hello: /dev/%s is still taken after %u ms\n",
				HELLO_DEVICE_NAME, waited);
			return -EBUSY;
		}
		nanosleep(&pause, NULL);
		waited += HELLO_RETRY_MS;
	}
	return OK;
}

static int open_session(void)
{
	int fd = sef_fd_fetch(HELLO_STORE_SESSION);
	int r;

	if (fd >= 0) {
		hello_dev.session = adopt_session(fd);
		if (!hello_dev.session) {
			close(fd);
			fprintf(stderr, "hello: cannot serve the kept /dev/%s session\n",
				HELLO_DEVICE_NAME);
			return -ENODEV;
		}
		fprintf(stderr, "hello: serving the kept /dev/%s again\n",
			HELLO_DEVICE_NAME);
		return OK;
	}
	if (fd != -ENOENT)
		fprintf(stderr, "hello: cannot fetch the session: %d\n", fd);
	r = await_name_free();
	if (r != OK)
		return r;
	hello_dev.session = new_session();
	if (!hello_dev.session) {
		fprintf(stderr, "hello: cannot create /dev/%s through CUSE "
			"(is /dev/cuse there, and are we root?)\n",
			HELLO_DEVICE_NAME);
		return -ENODEV;
	}
	/* Kept at once: from now on the device outlives this process. */
	r = sef_fd_replace(HELLO_STORE_SESSION,
			   fuse_session_fd(hello_dev.session));
	if (r != OK)
		fprintf(stderr, "hello: cannot keep the session in the fd store "
			"(%d): /dev/%s will go with this process\n", r,
			HELLO_DEVICE_NAME);
	return OK;
}

int hello_device_start(void)
{
	struct fuse_in_header *saved;
	int r;

	r = attach_state();
	if (r != OK) {
		fprintf(stderr, "hello: no state memfd: %s\n", strerror(-r));
		return r;
	}
	hello_dev.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (hello_dev.wake < 0)
		return -errno;
	r = open_session();
	if (r != OK)
		return r;

	/* What the predecessor took and did not finish: serve it again. */
	saved = request_header();
	if (saved->len >= sizeof(*saved) && saved->len <= HELLO_REQUEST_MAX) {
		fprintf(stderr, "hello: serving request %llu (opcode %u) again\n",
			(unsigned long long)saved->unique, saved->opcode);
		hello_dev.serving_again = true;
		serve_saved(saved->len);
		hello_dev.serving_again = false;
	}

	r = pthread_create(&hello_dev.thread, NULL, serve_device, NULL);
	if (r != 0) {
		fprintf(stderr, "hello: cannot start the CUSE thread: %s\n",
			strerror(r));
		return -r;
	}
	/* A new session is ready once the kernel's CUSE_INIT was served. */
	pthread_mutex_lock(&hello_dev.lock);
	while (!hello_dev.ready)
		pthread_cond_wait(&hello_dev.changed, &hello_dev.lock);
	pthread_mutex_unlock(&hello_dev.lock);
	return OK;
}

int hello_device_pause(void)
{
	struct timespec deadline;
	uint64_t one = 1;
	int r = OK;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += HELLO_PAUSE_WAIT_MS / 1000;
	pthread_mutex_lock(&hello_dev.lock);
	if (hello_dev.loop == LOOP_RUNNING) {
		hello_dev.loop = LOOP_PAUSING;
		if (write(hello_dev.wake, &one, sizeof(one)) < 0)
			r = -errno;
	}
	while (r == OK && hello_dev.loop == LOOP_PAUSING)
		if (pthread_cond_timedwait(&hello_dev.changed, &hello_dev.lock,
					   &deadline) == ETIMEDOUT)
			r = -ENOTREADY;
	pthread_mutex_unlock(&hello_dev.lock);
	return r;
}

void hello_device_resume(void)
{
	pthread_mutex_lock(&hello_dev.lock);
	hello_dev.loop = LOOP_RUNNING;
	pthread_cond_broadcast(&hello_dev.changed);
	pthread_mutex_unlock(&hello_dev.lock);
}
