// SPDX-License-Identifier: MIT
/*
 * mxsys-campaign: fault-injection campaigns against mxsys services. The
 * run itself (starting the target and its client, injecting with
 * mxsys-swifi, watching) is the script LIBEXECDIR/campaign-run, which
 * `run` executes; this program holds what the script needs done in C
 * (the clock, the device reader, classifying and recording a run) and
 * the report (table, intervals, plots). See mxsys-campaign(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "reads.h"
#include "report.h"
#include "run.h"
#include "timeline.h"
#include "version.h"

#ifndef LIBEXECDIR
#define LIBEXECDIR "/usr/local/libexec/mxsys"
#endif

static const char *prog = "mxsys-campaign";

static const char help[] =
	"usage: mxsys-campaign run [OPTION...]   a campaign (run --help)\n"
	"       mxsys-campaign report [--out DIR] [--no-plot] RUNS.csv...\n"
	"       mxsys-campaign record --csv FILE --jsonl FILE [--fault FILE] "
	"KEY=VALUE...\n"
	"       mxsys-campaign reader DEVICE TEXT STOP PROGRESS RESULT "
	"[PAUSE_US]\n"
	"       mxsys-campaign sample PROGRESS FIELD PERIOD_MS STOP OUT RUN\n"
	"       mxsys-campaign now\n"
	"       mxsys-campaign header\n"
	"       mxsys-campaign (--help|--version)\n"
	"See mxsys-campaign(8).\n";

static void usage(FILE *out)
{
	fputs(help, out);
}

static int bad_usage(const char *why)
{
	fprintf(stderr, "%s: %s\n", prog, why);
	usage(stderr);
	return 2;
}

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* ---- reader: the device workload ---------------------------------------- */

/* TEXT with \n, \t and \\ unescaped, in place. */
static size_t unescape(char *text)
{
	char *in = text, *out = text;

	while (*in) {
		if (in[0] == '\\' && in[1]) {
			in++;
			*out++ = *in == 'n' ? '\n' : *in == 't' ? '\t' : *in;
			in++;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - text);
}

static enum read_result read_once(const char *device, const char *text,
				  size_t len)
{
	char buf[4096];
	ssize_t n;
	size_t got = 0;
	int fd = open(device, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return READ_FAILED;
	while (got < sizeof(buf) &&
	       (n = read(fd, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (n < 0)
		return READ_FAILED;
	return got == len && !memcmp(buf, text, len) ? READ_OK : READ_WRONG;
}

/* Write text into path atomically (a reader never sees half of it). */
static int write_file(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Read DEVICE until STOP exists; STOP holds "INJECT_US DIED_US" (0 for no
 * death). PROGRESS gets "ok failed wrong last_ok_us" every 100 ms; RESULT
 * the summary at the end. Every read is kept (a ring of the last
 * READER_KEEP), so the summary can be taken relative to times the runner
 * only learns afterwards.
 */
#define READER_KEEP	(1u << 18)

static int cmd_reader(int argc, char **argv)
{
	struct read_record *ring;
	uint64_t total = 0, ok = 0, failed = 0, wrong = 0, last_ok = 0;
	uint64_t next_progress = 0, pause_us = 1000;
	unsigned long long inject = 0, died = 0;
	char line[256];
	size_t len;

	if (argc != 6 && argc != 7)
		return bad_usage("reader: wrong number of arguments");
	const char *device = argv[1], *stop = argv[3], *progress = argv[4],
		   *result = argv[5];
	char *text = argv[2];
	if (argc == 7) {
		char *end;

		errno = 0;
		pause_us = strtoull(argv[6], &end, 10);
		if (errno || *end || !*argv[6] || pause_us > 1000000)
			return bad_usage("reader: PAUSE_US is 0 to 1000000");
	}
	len = unescape(text);
	ring = calloc(READER_KEEP, sizeof(*ring));
	if (!ring) {
		fprintf(stderr, "%s: reader: out of memory\n", prog);
		return 1;
	}
	while (access(stop, F_OK) != 0) {
		struct read_record *r = &ring[total % READER_KEEP];

		r->start_us = now_us();
		r->result = read_once(device, text, len);
		r->end_us = now_us();
		total++;
		if (r->result == READ_OK) {
			ok++;
			last_ok = r->end_us;
		} else if (r->result == READ_FAILED) {
			failed++;
		} else {
			wrong++;
		}
		if (r->end_us >= next_progress) {
			snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64
				 " %" PRIu64 " %" PRIu64 "\n", ok, failed,
				 wrong, last_ok);
			write_file(progress, line);
			next_progress = r->end_us + 100000;
		}
		if (pause_us)
			usleep((useconds_t)pause_us);
	}

	FILE *f = fopen(stop, "r");
	if (!f || fscanf(f, "%llu %llu", &inject, &died) != 2) {
		fprintf(stderr, "%s: reader: %s does not hold \"INJECT_US "
			"DIED_US\"\n", prog, stop);
		if (f)
			fclose(f);
		free(ring);
		return 1;
	}
	fclose(f);

	/* The kept records, oldest first. */
	size_t kept = total < READER_KEEP ? (size_t)total : READER_KEEP;
	size_t first = total < READER_KEEP ? 0 : (size_t)(total % READER_KEEP);
	struct read_record *ordered = malloc((kept ? kept : 1) * sizeof(*ordered));
	if (!ordered) {
		free(ring);
		return 1;
	}
	for (size_t i = 0; i < kept; i++)
		ordered[i] = ring[(first + i) % READER_KEEP];
	struct reads_summary s;
	reads_summarize(ordered, kept, inject, died, &s);
	snprintf(line, sizeof(line), "ok=%" PRIu64 "\nfailed=%" PRIu64
		 "\nwrong=%" PRIu64 "\nmax_stall_us=%" PRIu64
		 "\nserving_us=%" PRId64 "\nreads=%" PRIu64 "\n", s.ok,
		 s.failed, s.wrong, s.max_stall_us, s.serving_us, total);
	free(ordered);
	free(ring);
	if (write_file(result, line)) {
		fprintf(stderr, "%s: reader: cannot write %s: %s\n", prog,
			result, strerror(errno));
		return 1;
	}
	return 0;
}

/* ---- record: classify one run and append it ----------------------------- */

static int parse_key(struct run *run, const char *key, const char *value)
{
	char *end;
	long long v = 0;
	bool numeric = strcmp(key, "target") && strcmp(key, "type") &&
		       strcmp(key, "location");

	/* A seed takes all 64 bits, as mxsys-swifi's do. */
	if (!strcmp(key, "seed")) {
		unsigned long long seed;

		errno = 0;
		seed = strtoull(value, &end, 10);
		if (errno || *end || !*value || *value == '-')
			return EINVAL;
		run->seed = seed;
		return 0;
	}
	if (numeric) {
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno || *end || !*value)
			return EINVAL;
	}
	if (!strcmp(key, "target"))
		run_set_text(run->target, value);
	else if (!strcmp(key, "type"))
		run_set_text(run->type, value);
	else if (!strcmp(key, "location"))
		run_set_text(run->location, value);
	else if (v < 0 && strcmp(key, "recovery_us") && strcmp(key, "exit_code") &&
		 strcmp(key, "inject_status") && strcmp(key, "activated"))
		return EINVAL;
	else if (!strcmp(key, "run"))
		run->index = (uint64_t)v;
	else if (!strcmp(key, "faults"))
		run->faults = (uint64_t)v;
	else if (!strcmp(key, "inject_status"))
		run->inject_status = (int)v;
	else if (!strcmp(key, "died"))
		run->died = v != 0;
	else if (!strcmp(key, "signal"))
		run->signal = (int)v;
	else if (!strcmp(key, "exit_code"))
		run->exit_code = (int)v;
	else if (!strcmp(key, "recovered"))
		run->recovered = v != 0;
	else if (!strcmp(key, "activated"))
		run->activated = (int)v;
	else if (!strcmp(key, "recovery_us"))
		run->recovery_us = v;
	else if (!strcmp(key, "client_ok"))
		run->client_ok = (uint64_t)v;
	else if (!strcmp(key, "client_failed"))
		run->client_failed = (uint64_t)v;
	else if (!strcmp(key, "client_wrong"))
		run->client_wrong = (uint64_t)v;
	else if (!strcmp(key, "client_lost"))
		run->client_lost = (uint64_t)v;
	else if (!strcmp(key, "max_stall_us"))
		run->max_stall_us = (uint64_t)v;
	else if (!strcmp(key, "rs_up"))
		run->rs_up = v != 0;
	else if (!strcmp(key, "module_up"))
		run->module_up = v != 0;
	else if (!strcmp(key, "ds_up"))
		run->ds_up = v != 0;
	else
		return ENOENT;
	return 0;
}

/* The fault description: mxsys-swifi's JSON object (one line), or null. */
static void copy_fault_json(FILE *out, const char *path)
{
	char buf[65536];
	size_t n = 0;
	FILE *f = path ? fopen(path, "r") : NULL;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	/* Anything but one whole object (a failed injection prints none)
	 * is kept as text rather than breaking the JSON line. */
	if (n && buf[0] == '{' && buf[n - 1] == '}' && !memchr(buf, '\n', n)) {
		fwrite(buf, 1, n, out);
	} else if (n) {
		buf[n] = '\0';
		json_print_string(out, buf);
	} else {
		fputs("null", out);
	}
}

static int cmd_record(int argc, char **argv)
{
	const char *csv = NULL, *jsonl = NULL, *fault = NULL;
	struct run run = { .exit_code = -1, .recovery_us = -1, .activated = -1 };
	char line[1024];
	int i;

	strcpy(run.location, "-");
	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			return bad_usage("record: an option without its value");
		if (!strcmp(argv[i], "--csv"))
			csv = argv[i + 1];
		else if (!strcmp(argv[i], "--jsonl"))
			jsonl = argv[i + 1];
		else if (!strcmp(argv[i], "--fault"))
			fault = argv[i + 1];
		else
			return bad_usage("record: unknown option");
	}
	if (!csv || !jsonl)
		return bad_usage("record: --csv and --jsonl are required");
	bool have_target = false, have_type = false;
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "%s: record: '%s' is not KEY=VALUE\n",
				prog, argv[i]);
			return 2;
		}
		*eq = '\0';
		int err = parse_key(&run, argv[i], eq + 1);
		if (err) {
			fprintf(stderr, "%s: record: %s '%s'\n", prog,
				err == ENOENT ? "unknown key" : "bad value for",
				argv[i]);
			return 2;
		}
		have_target |= !strcmp(argv[i], "target");
		have_type |= !strcmp(argv[i], "type");
	}
	if (!have_target || !have_type)
		return bad_usage("record: target= and type= are required");
	run.class = run_classify(&run);
	if (run_format_csv(&run, line, sizeof(line)))
		return 1;

	struct stat st;
	bool header = stat(csv, &st) != 0 || st.st_size == 0;
	FILE *c = fopen(csv, "a"), *j = fopen(jsonl, "a");
	if (!c || !j) {
		fprintf(stderr, "%s: record: cannot open %s: %s\n", prog,
			!c ? csv : jsonl, strerror(errno));
		if (c)
			fclose(c);
		if (j)
			fclose(j);
		return 1;
	}
	if (header)
		fprintf(c, "%s\n", run_csv_header);
	fprintf(c, "%s\n", line);

	/* The JSON line: the CSV's columns by name, then the fault. */
	char names[1024], *name, *value, *save1, *save2;
	snprintf(names, sizeof(names), "%s", run_csv_header);
	fputc('{', j);
	name = strtok_r(names, ",", &save1);
	value = strtok_r(line, ",", &save2);
	for (; name && value; name = strtok_r(NULL, ",", &save1),
	     value = strtok_r(NULL, ",", &save2)) {
		bool text = !strcmp(name, "target") || !strcmp(name, "type") ||
			    !strcmp(name, "location") || !strcmp(name, "class");

		fprintf(j, "%s\"%s\":", name == names ? "" : ",", name);
		if (text)
			json_print_string(j, value);
		else
			fputs(value, j);
	}
	fputs(",\"fault\":", j);
	copy_fault_json(j, fault);
	fputs("}\n", j);
	int bad = fclose(c) | fclose(j);
	if (bad) {
		fprintf(stderr, "%s: record: write failed\n", prog);
		return 1;
	}
	printf("%s\n", run_class_name(run.class));
	return 0;
}

/* ---- report ------------------------------------------------------------- */

static int load_runs(const char *path, struct run **runs, size_t *count,
		     size_t *cap)
{
	char line[1024];
	unsigned long number = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "%s: report: cannot open %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		int column;

		number++;
		if (line[0] == '\n' || line[0] == '#' ||
		    !strncmp(line, run_csv_header, strlen("run,target")))
			continue;
		if (*count == *cap) {
			size_t more = *cap ? 2 * *cap : 256;
			struct run *grown = realloc(*runs, more * sizeof(**runs));

			if (!grown) {
				fclose(f);
				return 1;
			}
			*runs = grown;
			*cap = more;
		}
		if (run_parse_csv(line, &(*runs)[*count], &column)) {
			fprintf(stderr, "%s: report: %s:%lu: %s\n", prog, path,
				number, column ? "bad value" : "wrong number of columns");
			if (column)
				fprintf(stderr, "%s: report: column %d of: %s",
					prog, column, line);
			fclose(f);
			return 1;
		}
		(*count)++;
	}
	fclose(f);
	return 0;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "%s: report: cannot write %s: %s\n", prog, path,
			strerror(errno));
	return f;
}

/* The runner's throughput.log and injections.log, when it left them. */
static int write_timeline(const char *dir, FILE *script)
{
	char path[PATH_MAX];
	FILE *samples, *marks, *dat;
	size_t points = 0;

	snprintf(path, sizeof(path), "%s/throughput.log", dir);
	samples = fopen(path, "r");
	if (!samples)
		return 0;
	snprintf(path, sizeof(path), "%s/injections.log", dir);
	marks = fopen(path, "r");
	dat = open_in(dir, "throughput.dat");
	if (dat) {
		points = timeline_write(samples, marks, dat, script);
		fclose(dat);
	}
	fclose(samples);
	if (marks)
		fclose(marks);
	return points ? 1 : 0;
}

static int run_gnuplot(const char *dir)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (chdir(dir))
			_exit(127);
		execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
		fprintf(stderr, "%s: report: cannot run gnuplot: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cmd_report(int argc, char **argv)
{
	const char *dir = NULL;
	bool plot = true;
	struct run *runs = NULL;
	size_t count = 0, cap = 0;
	struct report report;
	int i, rc = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--no-plot"))
			plot = false;
		else
			return bad_usage("report: unknown option");
	}
	if (i == argc)
		return bad_usage("report: no runs file");
	for (; i < argc; i++)
		if (load_runs(argv[i], &runs, &count, &cap)) {
			free(runs);
			return 1;
		}
	if (!count) {
		fprintf(stderr, "%s: report: no runs\n", prog);
		free(runs);
		return 1;
	}
	if (report_build(runs, count, &report)) {
		fprintf(stderr, "%s: report: out of memory\n", prog);
		free(runs);
		return 1;
	}
	free(runs);
	report_print_table(&report, stdout);
	if (dir) {
		FILE *table = open_in(dir, "table.txt"),
		     *summary = open_in(dir, "summary.csv"),
		     *outcomes = open_in(dir, "outcomes.dat"),
		     *recovery = open_in(dir, "recovery.dat"),
		     *script = open_in(dir, "plots.gp");
		int plots = 0;

		if (table && summary && outcomes && recovery && script) {
			report_print_table(&report, table);
			report_print_csv(&report, summary);
			plots = report_write_plots(&report, outcomes, recovery,
						   script);
			plots += write_timeline(dir, script);
		} else {
			rc = 1;
		}
		FILE *all[] = { table, summary, outcomes, recovery, script };
		for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
			if (all[k] && fclose(all[k]))
				rc = 1;
		if (!rc && plot) {
			int status = run_gnuplot(dir);

			if (status) {
				fprintf(stderr, "%s: report: gnuplot %s/plots.gp "
					"failed (status %d)\n", prog, dir, status);
				rc = 1;
			} else {
				printf("plots: %d in %s\n", plots, dir);
			}
		}
	}
	report_free(&report);
	return rc;
}

/* ---- sample: the client's count over time ------------------------------- */

/*
 * Every PERIOD_MS until STOP exists, the count FIELD of the client's
 * PROGRESS file (timeline.h) appended to OUT as "T_US RUN COUNT". One
 * process for the whole run: the runner forks nothing while it measures.
 */
static int cmd_sample(int argc, char **argv)
{
	struct timespec period;
	unsigned long ms;
	char *end;
	FILE *out;

	if (argc != 7)
		return bad_usage("sample: PROGRESS FIELD PERIOD_MS STOP OUT RUN");
	ms = strtoul(argv[3], &end, 10);
	if (*end || ms == 0 || ms > 60000)
		return bad_usage("sample: PERIOD_MS is 1 to 60000");
	period.tv_sec = (time_t)(ms / 1000);
	period.tv_nsec = (long)(ms % 1000) * 1000000L;
	out = fopen(argv[5], "a");
	if (!out) {
		fprintf(stderr, "%s: sample: cannot open %s: %s\n", prog,
			argv[5], strerror(errno));
		return 1;
	}
	while (access(argv[4], F_OK) != 0) {
		char text[4096];
		uint64_t count;
		ssize_t n = -1;
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			n = read(fd, text, sizeof(text) - 1);
			close(fd);
		}
		if (n > 0) {
			text[n] = '\0';
			if (timeline_progress_field(text, argv[2], &count)) {
				fprintf(out, "%" PRIu64 " %s %" PRIu64 "\n",
					now_us(), argv[6], count);
				fflush(out);
			}
		}
		nanosleep(&period, NULL);
	}
	return fclose(out) ? 1 : 0;
}

/* ---- run: the script ---------------------------------------------------- */

static int cmd_run(int argc, char **argv)
{
	const char *script = getenv("MXSYS_CAMPAIGN_RUN");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!script)
		script = LIBEXECDIR "/campaign-run";
	if (n > 0) {
		self[n] = '\0';
		/* The script calls back into this very program. */
		setenv("MXSYS_CAMPAIGN", self, 1);
	}
	argv[0] = (char *)script;
	execv(script, argv);
	fprintf(stderr, "%s: run: cannot run %s: %s\n", prog, script,
		strerror(errno));
	(void)argc;
	return 1;
}

int main(int argc, char **argv)
{
	version_help_options(argc, argv, prog, help);
	if (argc < 2)
		return bad_usage("which action?");
	const char *action = argv[1];

	if (!strcmp(action, "header")) {
		printf("%s\n", run_csv_header);
		return 0;
	}
	if (!strcmp(action, "now")) {
		printf("%" PRIu64 "\n", now_us());
		return 0;
	}
	if (!strcmp(action, "reader"))
		return cmd_reader(argc - 1, argv + 1);
	if (!strcmp(action, "sample"))
		return cmd_sample(argc - 1, argv + 1);
	if (!strcmp(action, "record"))
		return cmd_record(argc - 1, argv + 1);
	if (!strcmp(action, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(action, "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown action '%s'\n", prog, action);
	usage(stderr);
	return 2;
}
