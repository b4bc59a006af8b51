// SPDX-License-Identifier: MIT
/*
 * Process spawning for services: fork, wait for the go, take on the
 * service's system.conf privileges, exec; and the kill that ends them.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "exec.h"

/*
 * What the child does before exec, worked out by the parent: user and
 * group lookups (NSS) and allocation stay out of the child.
 */
struct privileges {
	const struct rs_config *cfg;	/* NULL: nothing to change */
	bool change_ids;	/* uid, gid, groups and capabilities */
	uint64_t caps;		/* kept across exec, bit n = capability n */
	int last_cap;		/* the kernel's highest capability */
	int nr_groups;
	gid_t *groups;		/* the user's supplementary groups */
};

static void close_pipe(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* Read exactly len bytes unless EOF comes first; returns the count read. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void write_errno(int fd, int error)
{
	ssize_t r;

	do {
		r = write(fd, &error, sizeof(error));
	} while (r < 0 && errno == EINTR);
}

/* The capability sets of this process, raw (no allocation). */
static int capabilities_get(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return (int)syscall(SYS_capget, &header, data);
}

static int capabilities_set(uint64_t caps)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(caps >> (32 * i));
		data[i].permitted = data[i].effective;
		/* Inheritable: a condition of the ambient set. */
		data[i].inheritable = data[i].effective;
	}
	return (int)syscall(SYS_capset, &header, data);
}

/*
 * The child's side: limits, nice, CPU, then ids and capabilities. Returns
 * 0 or the errno of the step that failed. Capabilities: the bounding set
 * keeps only the service's (which is what a uid 0 process gets at exec);
 * PR_SET_KEEPCAPS keeps them through setuid; the ambient set carries them
 * through exec for a uid other than 0.
 */
static int take_privileges(const struct privileges *priv)
{
	const struct rs_config *cfg = priv->cfg;

	if (!cfg)
		return 0;
	for (unsigned int i = 0; i < cfg->nr_limits; i++)
		if (setrlimit(cfg->limits[i].resource, &cfg->limits[i].limit) < 0)
			return errno;
	if (cfg->nice_set && setpriority(PRIO_PROCESS, 0, cfg->nice) < 0)
		return errno;
	if (cfg->cpu >= 0) {
		cpu_set_t cpus;

		CPU_ZERO(&cpus);
		CPU_SET(cfg->cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus) < 0)
			return errno;
	}
	if (!priv->change_ids)
		return 0;
	if (cfg->caps_set) {
		for (int cap = 0; cap <= priv->last_cap; cap++)
			if (!(priv->caps & (1ULL << cap)) &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
				return errno;
	}
	if (priv->caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return errno;
	if (setgroups((size_t)priv->nr_groups, priv->groups) < 0 ||
	    setresgid(cfg->gid, cfg->gid, cfg->gid) < 0 ||
	    setresuid(cfg->uid, cfg->uid, cfg->uid) < 0)
		return errno;
	if (capabilities_set(priv->caps) < 0)
		return errno;
	for (int cap = 0; cap <= priv->last_cap; cap++)
		if ((priv->caps & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return errno;
	return 0;
}

/*
 * The child between fork and exec. Only async-signal-safe calls: RS is
 * single-threaded, but keeping to them costs nothing and stays correct if
 * that ever changes.
 */
static void __attribute__((noreturn))
child_run(int release_fd, int exec_status_fd, char *const argv[],
	  const struct privileges *priv, int exec_fd, char *const envp[])
{
	int error;

	struct sigaction dfl;
	sigset_t empty;
	char go;

	if (read_full(release_fd, &go, 1) != 1)
		_exit(126);	/* RS gave up on this child */
	close(release_fd);

	/* A service must not die with RS's session or share its signals. */
	setsid();
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	/* libsef blocks what the service needs itself. */
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);

	/*
	 * Keep stdin/stdout/stderr (service logs go to RS's console) and
	 * close everything else at exec, the status pipe included.
	 */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		write_errno(exec_status_fd, errno);
		_exit(127);
	}
	error = take_privileges(priv);
	if (error) {
		write_errno(exec_status_fd, error);
		_exit(127);
	}
	if (exec_fd >= 0)
		syscall(SYS_execveat, exec_fd, "", argv, envp, AT_EMPTY_PATH);
	else
		execve(argv[0], argv, envp);
	write_errno(exec_status_fd, errno);
	_exit(127);
}

size_t exec_service_environ(char *const in[], char **out)
{
	/*
	 * systemd's, meant for rs-daemon alone: a service sending READY=1
	 * or writing into rs-daemon's journal stream would speak for it.
	 */
	static const char *const dropped[] = { "NOTIFY_SOCKET=",
					       "JOURNAL_STREAM=" };
	size_t n = 0;

	for (; *in; in++) {
		bool keep = true;

		for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]);
		     i++)
			if (strncmp(*in, dropped[i], strlen(dropped[i])) == 0)
				keep = false;
		if (keep)
			out[n++] = *in;
	}
	out[n] = NULL;
	return n;
}

/* The supplementary groups of uid's user; none for a uid without one. */
static int user_groups(uid_t uid, gid_t gid, gid_t **groups, int *count)
{
	const struct passwd *pw = getpwuid(uid);
	int n = 16;

	*groups = NULL;
	*count = 0;
	if (!pw)
		return 0;
	for (;;) {
		int want = n;
		gid_t *bigger = realloc(*groups, (size_t)n * sizeof(gid_t));

		if (!bigger) {
			free(*groups);
			*groups = NULL;
			return -ENOMEM;
		}
		*groups = bigger;
		if (getgrouplist(pw->pw_name, gid, *groups, &n) >= 0) {
			*count = n;
			return 0;
		}
		/* n is now the number needed; guard against no progress. */
		if (n <= want)
			n = want * 2;
	}
}

static int plan_privileges(const struct rs_config *cfg,
			   struct privileges *priv)
{
	memset(priv, 0, sizeof(*priv));
	priv->cfg = cfg;
	if (!cfg)
		return 0;
	priv->change_ids = cfg->uid != 0 || cfg->caps_set;
	if (!priv->change_ids)
		return 0;
	priv->last_cap = cap_max_bits() - 1;
	if (priv->last_cap < 0 || priv->last_cap > 63)
		return -EINVAL;
	if (cfg->caps_set) {
		priv->caps = cfg->caps;
		if (priv->last_cap < 63)
			priv->caps &= (1ULL << (priv->last_cap + 1)) - 1;
		if (cfg->caps == ~0ULL) {
			/* ALL: every capability RS has; it has no others. */
			struct __user_cap_data_struct data[2];

			if (capabilities_get(data) < 0)
				return -errno;
			priv->caps &= (uint64_t)data[1].permitted << 32 |
				      data[0].permitted;
		}
	}
	return user_groups(cfg->uid, cfg->gid, &priv->groups,
			   &priv->nr_groups);
}

int spawn_prepare(struct spawn *sp, char *const argv[],
		  const struct rs_config *cfg)
{
	return spawn_prepare_fd(sp, argv, cfg, -1, 0);
}

int spawn_prepare_fd(struct spawn *sp, char *const argv[],
		     const struct rs_config *cfg, int exec_fd,
		     unsigned int flags)
{
	int release_pipe[2] = { -1, -1 };
	int status_pipe[2] = { -1, -1 };
	struct privileges priv;
	size_t nr_env = 0;
	char **envp;
	pid_t pid;
	int error;

	/* Built here: the child may only make async-signal-safe calls. */
	while (environ[nr_env])
		nr_env++;
	envp = malloc((nr_env + 1) * sizeof(*envp));
	if (!envp)
		return -ENOMEM;
	if (flags & SPAWN_KEEP_SYSTEMD_ENV)
		memcpy(envp, environ, (nr_env + 1) * sizeof(*envp));
	else
		exec_service_environ(environ, envp);
	error = plan_privileges(cfg, &priv);
	if (error < 0) {
		free(envp);
		free(priv.groups);
		return error;
	}
	if (pipe2(release_pipe, O_CLOEXEC) < 0 ||
	    pipe2(status_pipe, O_CLOEXEC) < 0) {
		error = -errno;
		close_pipe(release_pipe);
		close_pipe(status_pipe);
		free(envp);
		free(priv.groups);
		return error;
	}
	pid = fork();
	if (pid < 0) {
		error = -errno;
		close_pipe(release_pipe);
		close_pipe(status_pipe);
		free(envp);
		free(priv.groups);
		return error;
	}
	if (pid == 0) {
		close(release_pipe[1]);
		close(status_pipe[0]);
		child_run(release_pipe[0], status_pipe[1], argv, &priv,
			  exec_fd, envp);
	}
	free(envp);
	free(priv.groups);
	close(release_pipe[0]);
	close(status_pipe[1]);
	sp->pid = pid;
	sp->release_fd = release_pipe[1];
	sp->exec_status_fd = status_pipe[0];
	return 0;
}

int spawn_release(struct spawn *sp)
{
	const char go = 1;
	int child_errno;
	ssize_t n;

	do {
		n = write(sp->release_fd, &go, 1);
	} while (n < 0 && errno == EINTR);
	close(sp->release_fd);
	sp->release_fd = -1;
	if (n != 1) {
		/* The child is gone already: nothing will exec. */
		close(sp->exec_status_fd);
		sp->exec_status_fd = -1;
		kill(sp->pid, SIGKILL);
		return -ECHILD;
	}
	/*
	 * Blocks only for the few syscalls between the go and execve: the
	 * write end closes on a successful exec (EOF) or carries errno.
	 */
	n = read_full(sp->exec_status_fd, &child_errno, sizeof(child_errno));
	close(sp->exec_status_fd);
	sp->exec_status_fd = -1;
	if (n == 0)
		return 0;
	if (n == (ssize_t)sizeof(child_errno) && child_errno > 0)
		return -child_errno;
	return -EIO;
}

int spawn_kill(pid_t pid)
{
	return kill(pid, SIGKILL) < 0 ? -errno : 0;
}

int spawn_wait_exit(pid_t pid, unsigned int timeout_ms)
{
	const struct timespec step = { .tv_nsec = 10 * 1000 * 1000 };

	for (unsigned int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&step, NULL);
	}
}

void spawn_abort(struct spawn *sp)
{
	kill(sp->pid, SIGKILL);
	if (sp->release_fd >= 0)
		close(sp->release_fd);
	if (sp->exec_status_fd >= 0)
		close(sp->exec_status_fd);
	sp->release_fd = -1;
	sp->exec_status_fd = -1;
}
