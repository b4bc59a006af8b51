/* SPDX-License-Identifier: MIT */
/*
 * /dev/hello through CUSE: reading returns HELLO_MESSAGE from the file
 * position, then EOF; each open bumps a counter. The session runs in its
 * own thread so that the main thread can stay in sef_receive().
 */
#define FUSE_USE_VERSION 31

#include <cuse_lowlevel.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <minix/ipc.h>

#include "hello.h"

/* Between two looks at whether the name is still taken. */
#define HELLO_RETRY_MS		20
/* How long a live update's new version waits for the old one's device. */
#define HELLO_HANDOVER_MS	30000

/* Per open file: CUSE devices are not seekable, so we keep the position. */
struct hello_file {
	size_t pos;
};

enum session_state { SESSION_STARTING, SESSION_READY, SESSION_FAILED };

static struct {
	atomic_int open_count;
	struct fuse_session *session;
	pthread_t thread;
	pthread_mutex_t lock;		/* protects state */
	pthread_cond_t changed;
	enum session_state state;
} hello_dev = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
	.state = SESSION_STARTING,
};

void hello_set_open_count(int count)
{
	atomic_store(&hello_dev.open_count, count);
}

int hello_open_count(void)
{
	return atomic_load(&hello_dev.open_count);
}

static void set_state(enum session_state state)
{
	pthread_mutex_lock(&hello_dev.lock);
	hello_dev.state = state;
	pthread_cond_broadcast(&hello_dev.changed);
	pthread_mutex_unlock(&hello_dev.lock);
}

static void hello_init_done(void *userdata)
{
	(void)userdata;
	/* devtmpfs creates the node root-only; the example is for everyone. */
	if (chmod("/dev/" HELLO_DEVICE_NAME, 0666) < 0)
		fprintf(stderr, "hello: chmod /dev/%s: %s\n",
			HELLO_DEVICE_NAME, strerror(errno));
	set_state(SESSION_READY);
}

static void hello_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct hello_file *file = calloc(1, sizeof(*file));
	int count;

	if (!file) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	count = atomic_fetch_add(&hello_dev.open_count, 1) + 1;
	fprintf(stderr, "hello_open(). Called %d time(s).\n", count);
	hello_opened(count);
	fi->fh = (uint64_t)(uintptr_t)file;
	fi->nonseekable = 1;
	if (fuse_reply_open(req, fi) != 0)
		free(file);
}

static void hello_read(fuse_req_t req, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct hello_file *file = (struct hello_file *)(uintptr_t)fi->fh;
	const size_t len = strlen(HELLO_MESSAGE);
	size_t n = 0;

	(void)off;	/* always 0 for a CUSE device */
	fprintf(stderr, "hello_read()\n");
	if (file->pos < len) {
		n = len - file->pos;
		if (n > size)
			n = size;
	}
	if (fuse_reply_buf(req, HELLO_MESSAGE + file->pos, n) == 0)
		file->pos += n;
}

static void hello_release(fuse_req_t req, struct fuse_file_info *fi)
{
	free((void *)(uintptr_t)fi->fh);
	fprintf(stderr, "hello_close()\n");
	fuse_reply_err(req, 0);
}

static const struct cuse_lowlevel_ops hello_ops = {
	.init_done = hello_init_done,
	.open = hello_open,
	.read = hello_read,
	.release = hello_release,
};

static void *serve_device(void *arg)
{
	int r;

	(void)arg;
	r = fuse_session_loop(hello_dev.session);

	pthread_mutex_lock(&hello_dev.lock);
	if (hello_dev.state == SESSION_STARTING) {
		/* hello_device_start() reports it. */
		hello_dev.state = SESSION_FAILED;
		pthread_cond_broadcast(&hello_dev.changed);
		pthread_mutex_unlock(&hello_dev.lock);
		return NULL;
	}
	pthread_mutex_unlock(&hello_dev.lock);
	fprintf(stderr, "hello: the CUSE session for /dev/%s ended (%d); "
		"exiting\n", HELLO_DEVICE_NAME, r);
	exit(1);
}

int hello_device_start(void)
{
	static const char *dev_info[] = { "DEVNAME=" HELLO_DEVICE_NAME };
	/* Foreground and single-threaded: we run the loop ourselves. */
	static char *args[] = { "hello", "-f", "-s", NULL };
	struct cuse_info info = {
		.dev_info_argc = 1,
		.dev_info_argv = dev_info,
	};
	int multithreaded;
	int r;

	hello_dev.session = cuse_lowlevel_setup(3, args, &info, &hello_ops,
						&multithreaded, NULL);
	if (!hello_dev.session) {
		fprintf(stderr, "hello: cannot create /dev/%s through CUSE "
			"(is /dev/cuse there, and are we root?)\n",
			HELLO_DEVICE_NAME);
		return -ENODEV;
	}

	set_state(SESSION_STARTING);
	r = pthread_create(&hello_dev.thread, NULL, serve_device, NULL);
	if (r != 0) {
		fprintf(stderr, "hello: cannot start the CUSE thread: %s\n",
			strerror(r));
		cuse_lowlevel_teardown(hello_dev.session);
		return -r;
	}

	/* The kernel answers CUSE_INIT through the thread's loop. */
	pthread_mutex_lock(&hello_dev.lock);
	while (hello_dev.state == SESSION_STARTING)
		pthread_cond_wait(&hello_dev.changed, &hello_dev.lock);
	r = hello_dev.state == SESSION_READY ? OK : -ENODEV;
	pthread_mutex_unlock(&hello_dev.lock);

	if (r != OK) {
		fprintf(stderr, "hello: the kernel refused /dev/%s "
			"(CUSE initialisation failed)\n", HELLO_DEVICE_NAME);
		/* The loop ended: free the session for another try. */
		pthread_join(hello_dev.thread, NULL);
		cuse_lowlevel_teardown(hello_dev.session);
		hello_dev.session = NULL;
	}
	return r;
}

/* Registered CUSE devices appear here; a duplicate name oopses the log. */
#define HELLO_SYSFS_ENTRY	"/sys/class/cuse/" HELLO_DEVICE_NAME

int hello_device_start_when_free(unsigned int timeout_ms)
{
	const struct timespec pause = { .tv_nsec = HELLO_RETRY_MS * 1000000L };
	unsigned int waited = 0;
	struct stat st;

	while (stat(HELLO_SYSFS_ENTRY, &st) == 0) {
		if (waited >= timeout_ms) {
			fprintf(stderr, "hello: /dev/%s is still taken after %u ms\n",
				HELLO_DEVICE_NAME, timeout_ms);
			return -EBUSY;
		}
		nanosleep(&pause, NULL);
		waited += HELLO_RETRY_MS;
	}
	return hello_device_start();
}

static void *start_when_free(void *arg)
{
	(void)arg;
	if (hello_device_start_when_free(HELLO_HANDOVER_MS) != OK)
		exit(1);
	return NULL;
}

int hello_device_start_later(void)
{
	pthread_t starter;
	int r;

	r = pthread_create(&starter, NULL, start_when_free, NULL);
	if (r != 0) {
		fprintf(stderr, "hello: cannot start the device thread: %s\n",
			strerror(r));
		return -r;
	}
	pthread_detach(starter);
	return OK;
}
