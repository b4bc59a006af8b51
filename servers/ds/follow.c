/* SPDX-License-Identifier: MIT */
/* A standby follows the serving DS's journal (see follow.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "follow.h"
#include "journal.h"

/* One follower per process: a ds-daemon has one store to fill. */
static struct {
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	const char *hint;
	unsigned int period_ms;
	struct ds_store *store;

	/* The hint as last looked at: a new file each time it is written. */
	bool hint_seen;
	dev_t hint_dev;
	ino_t hint_ino;

	/* The journal followed, mapped read-only; fd < 0: none yet. */
	int fd;
	dev_t dev;
	ino_t ino;
	struct journal j;
	atomic_long records;	/* replayed from it so far */
	bool damaged;		/* stop replaying until the file changes */
} f = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
	.fd = -1,
};

static void drop_journal(void)
{
	if (f.j.base)
		munmap(f.j.base, f.j.size);
	memset(&f.j, 0, sizeof(f.j));
	if (f.fd >= 0)
		close(f.fd);
	f.fd = -1;
	atomic_store(&f.records, 0);
	f.damaged = false;
}

/* Open what a hint names: a journal's file, or -1. */
static int open_hinted(const char *hint)
{
	struct journal_header h;
	char path[64];
	FILE *in = fopen(hint, "re");
	int pid, fd, n;
	struct stat st;

	if (!in)
		return -1;
	n = fscanf(in, "%d %d", &pid, &fd);
	fclose(in);
	if (n != 2 || pid <= 0 || fd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;	/* that DS is gone: its successor will say */
	/* Whatever the descriptor is now, it must be a journal. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !journal_header_valid(&h, (size_t)st.st_size)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Follow the file the hint names now, if it is another one. */
static void look_at_hint(void)
{
	struct stat st;
	int fd;

	if (stat(f.hint, &st) < 0)
		return;
	if (f.hint_seen && st.st_dev == f.hint_dev && st.st_ino == f.hint_ino)
		return;
	/* Looked at once: a DS that writes a new hint writes a new file. */
	f.hint_seen = true;
	f.hint_dev = st.st_dev;
	f.hint_ino = st.st_ino;
	fd = open_hinted(f.hint);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 ||
	    (f.fd >= 0 && st.st_dev == f.dev && st.st_ino == f.ino)) {
		close(fd);	/* the same journal: go on with it */
		return;
	}
	/* Another journal (a compaction, a new DS): start over from it. */
	drop_journal();
	ds_store_reset(f.store);
	f.fd = fd;
	f.dev = st.st_dev;
	f.ino = st.st_ino;
}

static int apply_unless_stopped(void *arg, const void *rec, size_t len)
{
	int r;

	if (atomic_load_explicit(&f.stop, memory_order_relaxed))
		return -EINTR;
	r = ds_store_apply(arg, rec, len);
	if (r == 0)
		atomic_fetch_add(&f.records, 1);
	return r;
}

/* Map the whole file as it is now, read-only. */
static int map_journal(void)
{
	struct stat st;
	void *p;

	if (fstat(f.fd, &st) < 0)
		return -errno;
	if ((size_t)st.st_size <= f.j.size)
		return -EBADMSG;	/* committed past the end: not ours */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, f.fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (f.j.base)
		munmap(f.j.base, f.j.size);
	f.j.base = p;
	f.j.size = (size_t)st.st_size;
	return 0;
}

/* Replay what was committed since the last look. */
static void catch_up(void)
{
	bool first = f.j.tail == 0;
	size_t committed;
	long n;

	if (f.fd < 0 || f.damaged)
		return;
	if (!f.j.base && map_journal() < 0) {
		f.damaged = true;
		return;
	}
	committed = journal_committed(&f.j);
	if (committed == f.j.tail)
		return;
	if (committed > f.j.size && map_journal() < 0) {
		f.damaged = true;
		return;
	}
	if (first)	/* as a cold start does: one table, one arena */
		ds_store_presize(f.store, committed /
				 journal_record_size(ds_store_record_min()),
				 committed);
	n = journal_replay(&f.j, apply_unless_stopped, f.store);
	if (n == -EINTR)
		return;		/* the takeover goes on, in the same arena */
	if (n < 0) {
		f.damaged = true;	/* the takeover will find it too */
		return;
	}
	if (first)
		ds_store_replayed(f.store);
}

static void *follow_main(void *arg)
{
	struct sched_param idle = { 0 };

	(void)arg;
	/*
	 * Getting ahead is worth only the time nothing else wants: at a
	 * takeover, a new standby starts replaying while the DS swapped in
	 * must answer at once. Whatever this thread has not replayed yet,
	 * the takeover replays itself.
	 */
	sched_setscheduler(0, SCHED_IDLE, &idle);
	pthread_mutex_lock(&f.lock);
	while (!atomic_load(&f.stop)) {
		struct timespec until;

		pthread_mutex_unlock(&f.lock);
		look_at_hint();
		catch_up();
		pthread_mutex_lock(&f.lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += (long)f.period_ms * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		while (!atomic_load(&f.stop) &&
		       pthread_cond_timedwait(&f.wake, &f.lock, &until) !=
		       ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&f.lock);
	return NULL;
}

int ds_follow_start(const char *hint, struct ds_store *store,
		    unsigned int period_ms)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int r;

	if (f.running)
		return -EBUSY;
	f.hint = hint;
	f.store = store;
	f.period_ms = period_ms ? period_ms : 1;
	atomic_store(&f.stop, false);
	/* Timed waits on the monotonic clock: a clock step is no wake-up. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&f.wake);
	pthread_cond_init(&f.wake, &ca);
	pthread_condattr_destroy(&ca);
	/*
	 * The thread starts with every signal blocked: it may start before
	 * sef_startup blocks them for the process, and a SIGTERM must reach
	 * the service as a message, never kill it through this thread.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&f.thread, NULL, follow_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return -r;
	f.running = true;
	return 0;
}

size_t ds_follow_end(int fd, long *records)
{
	struct stat st;
	size_t from = 0;

	*records = 0;
	if (!f.running)
		return 0;
	pthread_mutex_lock(&f.lock);
	atomic_store(&f.stop, true);
	pthread_cond_signal(&f.wake);
	pthread_mutex_unlock(&f.lock);
	pthread_join(f.thread, NULL);
	f.running = false;
	if (fd >= 0 && f.fd >= 0 && fstat(fd, &st) == 0 &&
	    st.st_dev == f.dev && st.st_ino == f.ino) {
		from = f.j.tail;
		*records = atomic_load(&f.records);
	}
	drop_journal();
	f.hint_seen = false;
	return from;
}

long ds_follow_progress(void)
{
	return atomic_load(&f.records);
}

int ds_follow_hint(const char *hint, int fd)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	char *slash;
	FILE *out;
	int r = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.%d", hint, (int)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", hint);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	out = fopen(tmp, "we");
	if (!out)
		return -errno;
	if (fprintf(out, "%d %d\n", (int)getpid(), fd) < 0)
		r = -EIO;
	if (fclose(out) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, hint) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}
