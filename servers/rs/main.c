// SPDX-License-Identifier: MIT
/*
 * rs-daemon, the Reincarnation Server: set-up, then one poll loop over
 * /dev/mxsys, the netlink socket, a signalfd and a timerfd. Everything a
 * wake-up means is decided elsewhere: requests in request.c (the netlink
 * transport hands them there), messages in dispatch.c, timeouts and
 * children in manager.c.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <minix/ipc.h>
#include <minix/sef.h>
#include <minix/syslib.h>
#include <systemd/sd-daemon.h>

#include "caller.h"
#include "dispatch.h"
#include "ds_relay.h"
#include "dump.h"
#include "duration.h"
#include "launch.h"
#include "config.h"
#include "log.h"
#include "logdir.h"
#include "manager.h"
#include "nl.h"
#include "recovery.h"
#include "request.h"
#include "standby.h"
#include "svclog.h"
#include "takeover.h"
#include "timer.h"
#include "version.h"

#ifndef SBINDIR
#define SBINDIR "/usr/local/sbin"
#endif

#define EXIT_USAGE	2

/* Consecutive failed receives after which RS gives up rather than spin. */
#define RECEIVE_FAILURES_MAX	1000

enum { FD_IPC, FD_SIGNAL, FD_TIMER, FD_NETLINK, NR_FDS };

/*
 * ds-daemon is installed beside rs-daemon: look next to our own binary
 * first, so that an install with another PREFIX than the build's works;
 * then where the build says it goes.
 */
static const char *default_ds_path(void)
{
	static char path[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n > 0 && (size_t)n < sizeof(path) - sizeof("ds-daemon")) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, "ds-daemon");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return SBINDIR "/ds-daemon";
}

#define USAGE "usage: rs-daemon [-ftv] [-c system.conf] [-d ds-daemon-path] [-P backoff-period]\n"

static const char help[] = USAGE
	"The mxsys Reincarnation Server: starts ds-daemon and the boot services\n"
	"of system.conf, restarts services that die, serves minix-service.\n"
	"  -c FILE  read FILE instead of /etc/minix/system.conf\n"
	"  -d PATH  run this ds-daemon instead of the installed one\n"
	"  -f       stay in the foreground (the only mode)\n"
	"  -t       check system.conf and system.conf.d, start nothing:\n"
	"           exit 0, or 1 with the first error (file:line)\n"
	"  -P TIME  backoff period: Nms, Ns, or N ms (default 1s)\n"
	"  -v       also log every request and reaped child\n"
	"  --standby  (first, started by rs-daemon itself) wait as RS's standby\n"
	"See rs-daemon(8).\n";

static void usage(void)
{
	fputs(USAGE, stderr);
	exit(EXIT_USAGE);
}

/* -P: the backoff unit (MINIX's RS_DELTA_T is 1 s); a bare number is ms. */
static int parse_period(const char *text, rs_time_t *ms)
{
	uint32_t value;

	if (duration_parse_ms(text, DURATION_BARE_MS, 0, &value) != 0 ||
	    value == 0 || value > 60000)
		return -EINVAL;
	*ms = value;
	return 0;
}

/* -t: as `sshd -t`, without the module or anything started. */
static int check_config(const char *path)
{
	struct rs_config_check counts;
	char err[RS_CONFIG_ERRLEN];

	if (rs_config_check(path, &counts, err) < 0) {
		fprintf(stderr, "rs-daemon: %s\n", err);
		return 1;
	}
	printf("rs-daemon: %s: ok, %u boot service(s); %s: %u file(s) ok\n",
	       path, counts.boot_services, RS_SYSTEM_CONF_D,
	       counts.conf_d_files);
	return 0;
}

static int open_signalfd(void)
{
	sigset_t handled;
	int fd;

	sigemptyset(&handled);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGCHLD);
	sigaddset(&handled, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0)
		return -errno;
	/* A child gone before its release pipe is written must not kill RS. */
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void reap_children(void)
{
	int status;
	pid_t pid;

	/* The exit status that matters comes from the module (GETKSIG). */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		rs_debug("reaped pid %d: %s", pid, rs_describe_status(status));
		manager_reaped(pid);
	}
}

static void handle_signals(int fd)
{
	struct signalfd_siginfo info;

	while (read(fd, &info, sizeof(info)) == (ssize_t)sizeof(info)) {
		switch (info.ssi_signo) {
		case SIGCHLD:
			reap_children();
			break;
		case SIGTERM:
		case SIGINT:
			rs_info("got signal %u", info.ssi_signo);
			sd_notify(0, "STOPPING=1");
			manager_shutdown(0);
			break;
		case SIGHUP:
			manager_reload();
			break;
		}
	}
}

static int claim_rs_slot(void)
{
	endpoint_t self;
	int r;

	if (ipc_fd() < 0) {
		r = errno;
		if (r == ENOENT || r == ENODEV || r == ENXIO)
			fprintf(stderr, "rs-daemon: cannot open /dev/%s: %s (is the mxsys module loaded?)\n",
				MXSYS_DEVICE_NAME, strerror(r));
		else if (r == EPERM || r == EACCES)
			fprintf(stderr, "rs-daemon: cannot open /dev/%s: %s (rs-daemon must run as root with CAP_SYS_ADMIN)\n",
				MXSYS_DEVICE_NAME, strerror(r));
		else
			fprintf(stderr, "rs-daemon: cannot open /dev/%s: %s\n",
				MXSYS_DEVICE_NAME, strerror(r ? r : EIO));
		return -1;
	}
	r = sys_rs_claim(&self);
	if (r == -EPERM || r == -EACCES) {
		fprintf(stderr, "rs-daemon: cannot claim the RS slot: %s (rs-daemon must run as root with CAP_SYS_ADMIN)\n",
			sef_strerror(r));
		return -1;
	}
	if (r == -EBUSY) {
		fprintf(stderr, "rs-daemon: cannot claim the RS slot: another rs-daemon is running\n");
		return -1;
	}
	if (r < 0) {
		fprintf(stderr, "rs-daemon: cannot claim the RS slot: %s\n",
			sef_strerror(r));
		return -1;
	}
	rs_notice("claimed the RS slot (ep %d)", self);
	return 0;
}

/* request.c decides; the first request a takeover serves ends its timeline. */
static void handle_request(uint32_t request_id, uint32_t uid, int32_t pid,
			   const void *payload, size_t len)
{
	request_handle(request_id, uid, pid, payload, len);
	takeover_mark(TAKEOVER_SERVED);
}

/*
 * A new relay socket, kept in RS's fd store: should RS die, requests
 * keep queueing there for the next RS instead of failing.
 */
static int open_relay(void)
{
	int r = relay_open(handle_request);

	if (r < 0) {
		fprintf(stderr, "rs-daemon: cannot open generic netlink family %s: %s\n",
			MXSYS_GENL_NAME, sef_strerror(r));
		return r;
	}
	r = sef_fd_replace(RECOVERY_NL_NAME, relay_fd());
	if (r < 0)
		rs_err("cannot keep the relay socket in the fd store: %s (requests sent while RS is dead will fail)",
		       sef_strerror(r));
	return 0;
}

/* Continue where the previous RS stopped (its state is in the fd store). */
static int resume(const char *why)
{
	int fd = sef_fd_fetch(RECOVERY_NL_NAME);
	int r;

	if (fd >= 0) {
		r = relay_adopt(handle_request, fd);
		if (r < 0)
			rs_err("cannot adopt the previous RS's relay socket: %s",
			       sef_strerror(r));
	} else {
		r = -ENOENT;
	}
	if (r < 0 && open_relay() < 0)
		return -1;
	takeover_mark(TAKEOVER_RELAY);
	r = recovery_resume(why);
	if (r < 0) {
		fprintf(stderr, "rs-daemon: cannot resume the previous RS's state: %s\n",
			sef_strerror(r));
		return r;
	}
	return 0;
}

static rs_time_t next_deadline(void)
{
	rs_time_t a = manager_next_deadline(), b = standby_next_deadline();
	rs_time_t c = ds_relay_next_deadline(), d = dump_next_deadline();

	a = a < b ? a : b;
	c = c < d ? c : d;
	return a < c ? a : c;
}

/* The loop. Returns RS's exit status. */
static int serve(int signal_fd, int timer_fd)
{
	/* The services' log pipes follow RS's own fds. */
	struct pollfd fds[NR_FDS + SVCLOG_CHANNELS_MAX];
	int nr_logs;
	unsigned int receive_failures = 0;
	bool registered = false;
	bool notified_ready = false;
	int exit_code;
	int r;

	fds[FD_IPC] = (struct pollfd){ .fd = ipc_fd(), .events = POLLIN };
	fds[FD_SIGNAL] = (struct pollfd){ .fd = signal_fd, .events = POLLIN };
	fds[FD_TIMER] = (struct pollfd){ .fd = timer_fd, .events = POLLIN };
	/* Negative until registered: poll() skips it. */
	fds[FD_NETLINK] = (struct pollfd){ .fd = -1, .events = POLLIN };

	while (!manager_finished(&exit_code)) {
		if (!registered && manager_booted() &&
		    !manager_shutting_down()) {
			r = relay_register();
			if (r < 0) {
				rs_err("cannot register with the module: %s",
				       sef_strerror(r));
				manager_shutdown(1);
				continue;
			}
			registered = true;
			takeover_mark(TAKEOVER_REGISTERED);
			fds[FD_NETLINK].fd = relay_fd();
			rs_notice("serving requests");
		}
		if (registered && !notified_ready && manager_boot_done()) {
			notified_ready = true;
			/*
			 * systemd's Type=notify; nothing without NOTIFY_SOCKET.
			 * MAINPID: a standby that took over is the main process
			 * now (mxsys.service: NotifyAccess=all, ExitType=cgroup).
			 */
			sd_notifyf(0, "READY=1\nMAINPID=%lu\nSTATUS=serving requests",
				   (unsigned long)getpid());
		}
		/* The turn's state is safe before anyone hears of it. */
		recovery_turn_end();
		r = timer_arm(timer_fd, next_deadline());
		if (r < 0) {
			rs_err("cannot arm the timer: %s", sef_strerror(r));
			return 1;
		}
		nr_logs = svclog_pollfds(fds + NR_FDS, SVCLOG_CHANNELS_MAX,
					 launch_label_in_use);
		if (poll(fds, NR_FDS + nr_logs, -1) < 0) {
			if (errno == EINTR)
				continue;
			rs_err("poll: %s", strerror(errno));
			return 1;
		}

		if (fds[FD_SIGNAL].revents & POLLIN)
			handle_signals(signal_fd);
		if (fds[FD_IPC].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			rs_err("/dev/%s failed", MXSYS_DEVICE_NAME);
			return 1;
		}
		if (fds[FD_IPC].revents & POLLIN) {
			message m;
			int status = 0;

			/* Readable: this receive does not block. */
			r = ipc_receive(ANY, &m, &status);
			if (r == OK) {
				receive_failures = 0;
				dispatch_message(&m, status);
			} else if (++receive_failures >= RECEIVE_FAILURES_MAX) {
				rs_err("receive keeps failing: %s",
				       sef_strerror(r));
				return 1;
			} else {
				rs_err("receive: %s", sef_strerror(r));
			}
		}
		svclog_dispatch(fds + NR_FDS, nr_logs);
		if (fds[FD_NETLINK].fd >= 0 && fds[FD_NETLINK].revents) {
			relay_dispatch();
		}
		if (fds[FD_TIMER].revents & POLLIN) {
			timer_drain(timer_fd);
			manager_timeout(now_ms());
			standby_timeout(now_ms());
			ds_relay_timeout(now_ms());
			dump_timeout(now_ms());
		}
	}
	return exit_code;
}

int main(int argc, char *argv[])
{
	const char *ds_path = default_ds_path();
	rs_time_t backoff_period;
	int signal_fd, timer_fd;
	char why[128];
	bool standby = false;
	bool check_only = false;
	const char *config_path = RS_SYSTEM_CONF;
	int exit_code;
	int opt, r;

	/* The same arguments, for a standby (and for ours when we are one). */
	standby_set_args(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--standby") == 0) {
		standby = true;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	version_help_options(argc, argv, "rs-daemon", help);
	while ((opt = getopt(argc, argv, "c:d:ftvP:")) != -1) {
		switch (opt) {
		case 'c':
			config_path = optarg;
			manager_set_config_path(optarg);
			break;
		case 'd':
			ds_path = optarg;
			break;
		case 'P':
			if (parse_period(optarg, &backoff_period) < 0) {
				fprintf(stderr, "rs-daemon: -P %s: not a period of 1 ms to 60s (Nms, Ns or N ms)\n",
					optarg);
				return EXIT_USAGE;
			}
			manager_set_backoff_period(backoff_period);
			break;
		case 'f':
			/* Always in the foreground for now. */
			break;
		case 't':
			check_only = true;
			break;
		case 'v':
			log_set_verbose(true);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* Under systemd, the journal takes each line's priority from it. */
	log_set_journal(log_stderr_is_journal());
	if (check_only)
		return check_config(config_path);
	if (ds_path[0] != '/' || access(ds_path, X_OK) < 0) {
		fprintf(stderr, "rs-daemon: -d %s: %s\n", ds_path,
			ds_path[0] != '/' ? "not an absolute path"
					  : strerror(errno));
		return EXIT_USAGE;
	}

	/* Before anything can fork: the signals RS handles stay blocked. */
	signal_fd = open_signalfd();
	if (signal_fd < 0) {
		fprintf(stderr, "rs-daemon: signalfd: %s\n",
			strerror(-signal_fd));
		return 1;
	}
	timer_fd = timer_open();
	if (timer_fd < 0) {
		fprintf(stderr, "rs-daemon: timerfd: %s\n",
			strerror(-timer_fd));
		return 1;
	}
	if (standby) {
		svclog_prepare();
		/* Until RS dies; then we are RS. */
		if (takeover_wait(why, sizeof(why)) < 0)
			return 1;
	} else {
		if (claim_rs_slot() < 0)
			return 1;
		snprintf(why, sizeof(why),
			 "started by hand after the previous rs-daemon died");
	}
	r = svclog_enable(MXSYS_LOG_DIR);
	if (r < 0)
		rs_err("cannot keep the services' logs in %s: %s; their output goes to rs-daemon's",
		       MXSYS_LOG_DIR, strerror(-r));
	takeover_mark(TAKEOVER_LOGS);
	if (recovery_found()) {
		takeover_mark(TAKEOVER_STATE_READ);
		r = resume(why);
		if (r < 0)
			return 1;
	} else {
		r = open_relay();
		if (r < 0)
			return 1;
		r = manager_boot(ds_path);
		if (r < 0) {
			fprintf(stderr, "rs-daemon: cannot start ds (%s): %s%s\n",
				ds_path, sef_strerror(r),
				r == -EBUSY ? " (services of an earlier rs-daemon still run, and it left no state to take over)" : "");
			return 1;
		}
	}
	standby_enable();

	exit_code = serve(signal_fd, timer_fd);
	rs_notice("exiting with status %d", exit_code);
	caller_flush();
	/*
	 * Stopped for good, every service with it: nothing to take over.
	 * Otherwise the logs' pipes stay in the fd store for the standby.
	 */
	if (manager_shutting_down()) {
		svclog_close_all();
		standby_stop();
		recovery_forget();
	}
	relay_close();
	close(timer_fd);
	close(signal_fd);
	return exit_code;
}
