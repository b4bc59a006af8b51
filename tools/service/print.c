// SPDX-License-Identifier: MIT
#include "print.h"

#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include "json.h"

/*
 * The strings come from rs-daemon over netlink; a missing NUL must not
 * make us read past the field.
 */
#define FIELD_COPY(dst, src) \
	do { \
		size_t n_ = strnlen((src), sizeof(src)); \
		memcpy((dst), (src), n_); \
		(dst)[n_] = '\0'; \
	} while (0)

#define FIELD_SIZE(field)	(sizeof(((struct rs_status *)0)->field) + 1)

struct status_strings {
	char label[FIELD_SIZE(label)];
	char policy[FIELD_SIZE(policy)];
	char binary[FIELD_SIZE(binary)];
	char script[FIELD_SIZE(script)];
	char args[FIELD_SIZE(args)];
	char flags[STATUS_FLAGS_LEN];
	char last_exit[FIELD_SIZE(last_exit)];
};

/* MINIX's /proc/service letters where it has them, and what they say. */
static const struct {
	uint32_t flag;
	char letter;
	const char *meaning;
} flag_letters[] = {
	{ RS_STATUS_ACTIVE, 'A', "active" },
	{ RS_STATUS_UPDATING, 'U', "live update in progress" },
	{ RS_STATUS_EXITING, 'E', "stopping" },
	{ RS_STATUS_NOPINGREPLY, 'N', "missed a heartbeat" },
	{ RS_STATUS_INITIALIZING, 'I', "initialising" },
	{ RS_STATUS_DEAD, 'D', "dead, waiting to be restarted" },
	{ RS_STATUS_USE_COPY, 'C', "restarts from a copy of its binary" },
	{ RS_STATUS_USE_REPL, 'R', "keeps a standby replica" },
	{ RS_STATUS_CORE, 's', "boot service" },
	{ RS_STATUS_TERMINATED, 'T', "crashed, its script decides" },
};
#define NR_FLAG_LETTERS	(sizeof(flag_letters) / sizeof(flag_letters[0]))

void status_flags_text(uint32_t flags, char text[STATUS_FLAGS_LEN])
{
	size_t i, n = 0;

	_Static_assert(NR_FLAG_LETTERS < STATUS_FLAGS_LEN,
		       "STATUS_FLAGS_LEN too small");
	for (i = 0; i < NR_FLAG_LETTERS; i++)
		if (flags & flag_letters[i].flag)
			text[n++] = flag_letters[i].letter;
	if (n == 0)
		text[n++] = '-';
	text[n] = '\0';
}

const char *status_state_name(uint32_t flags)
{
	/* The transient states first: a service in them is also active. */
	if (flags & RS_STATUS_UPDATING)
		return "updating";
	if (flags & RS_STATUS_EXITING)
		return "stopping";
	if (flags & RS_STATUS_INITIALIZING)
		return "starting";
	if (flags & RS_STATUS_DEAD)
		return "restarting";
	if (flags & RS_STATUS_TERMINATED)
		return "terminated";
	return "running";
}

void status_format_uptime(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (ms == 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, len, "%llum %llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh %llum",
			 (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%llud %lluh",
			 (unsigned long long)(s / 86400),
			 (unsigned long long)(s % 86400 / 3600));
}

static void status_strings(const struct rs_status *status,
			   struct status_strings *s)
{
	FIELD_COPY(s->label, status->label);
	FIELD_COPY(s->policy, status->policy);
	FIELD_COPY(s->binary, status->binary);
	FIELD_COPY(s->script, status->script);
	FIELD_COPY(s->args, status->args);
	status_flags_text(status->flags, s->flags);
	FIELD_COPY(s->last_exit, status->last_exit);
}

/* More names than shown: the count says so. */
static uint32_t hidden_fds(const struct slot_info *slot)
{
	return slot->fd_count > slot->nr_fd_names ?
		       slot->fd_count - slot->nr_fd_names : 0;
}

/*
 * No process is "-", never 0: `kill $(... pid)` with 0 would signal the
 * caller's whole process group.
 */
static void print_pid_text(FILE *out, const char *key, int32_t pid)
{
	if (pid > 0)
		fprintf(out, "%s: %d\n", key, (int)pid);
	else
		fprintf(out, "%s: -\n", key);
}

/* An empty field is "-", as fds are, so that no line ends in "key: ". */
static void print_text_or_none(FILE *out, const char *key, const char *text)
{
	fprintf(out, "%s: %s\n", key, text[0] != '\0' ? text : "-");
}

/* ", \"key\": PID" or null for none, as the text's "-". */
static void json_pid_member(FILE *out, const char *key, int32_t pid)
{
	if (pid > 0)
		fprintf(out, ", \"%s\": %d", key, (int)pid);
	else
		fprintf(out, ", \"%s\": null", key);
}

void status_print_text(FILE *out, const struct rs_status *status,
		       const struct slot_info *slot)
{
	struct status_strings s;

	status_strings(status, &s);
	fprintf(out, "label: %s\n", s.label);
	fprintf(out, "endpoint: %d\n", (int)status->endpoint);
	print_pid_text(out, "pid", status->pid);
	fprintf(out, "restarts: %u\n", (unsigned int)status->restarts);
	fprintf(out, "flags: %s\n", s.flags);
	fprintf(out, "policy: %s\n", s.policy);
	if (status->period_ms)
		fprintf(out, "period: %ums\n", (unsigned int)status->period_ms);
	else
		fprintf(out, "period: 0\n");
	fprintf(out, "binary: %s\n", s.binary);
	print_pid_text(out, "replica", status->replica_pid);
	fprintf(out, "uid: %u\n", (unsigned int)status->uid);
	print_text_or_none(out, "script", s.script);
	print_text_or_none(out, "args", s.args);
	if (!slot)
		return;
	fputs("fds:", out);
	for (uint32_t i = 0; i < slot->nr_fd_names; i++)
		fprintf(out, " %s", slot->fd_names[i]);
	if (slot->nr_fd_names == 0)
		fputs(" -", out);
	if (hidden_fds(slot))
		fprintf(out, " (and %u more)", (unsigned int)hidden_fds(slot));
	fputc('\n', out);
}

/* ", \"key\": \"value\"" */
static void json_string_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	json_print_string(out, value);
}

void status_print_json(FILE *out, const struct rs_status *status,
		       const struct slot_info *slot)
{
	struct status_strings s;

	status_strings(status, &s);
	fputs("{\"label\": ", out);
	json_print_string(out, s.label);
	fprintf(out, ", \"endpoint\": %d", (int)status->endpoint);
	json_pid_member(out, "pid", status->pid);
	fprintf(out, ", \"restarts\": %u", (unsigned int)status->restarts);
	json_string_member(out, "flags", s.flags);
	json_string_member(out, "policy", s.policy);
	fprintf(out, ", \"period_ms\": %u", (unsigned int)status->period_ms);
	json_string_member(out, "binary", s.binary);
	json_pid_member(out, "replica_pid", status->replica_pid);
	fprintf(out, ", \"uid\": %u", (unsigned int)status->uid);
	json_string_member(out, "script", s.script);
	json_string_member(out, "args", s.args);
	json_string_member(out, "state", status_state_name(status->flags));
	fprintf(out, ", \"uptime_ms\": %llu",
		(unsigned long long)status->uptime_ms);
	json_string_member(out, "last_exit", s.last_exit);
	if (slot) {
		fputs(", \"fds\": [", out);
		for (uint32_t i = 0; i < slot->nr_fd_names; i++) {
			if (i)
				fputs(", ", out);
			json_print_string(out, slot->fd_names[i]);
		}
		fprintf(out, "], \"fd_count\": %u", (unsigned int)slot->fd_count);
	}
	fputc('}', out);
}

void status_print_details(FILE *out, const struct rs_status *status,
			  time_t now)
{
	struct status_strings s;
	char uptime[32], since[64];
	const char *sep = "";
	struct tm tm;
	time_t start;

	status_strings(status, &s);
	fprintf(out, "state: %s\n", status_state_name(status->flags));
	status_format_uptime(status->uptime_ms, uptime, sizeof(uptime));
	fprintf(out, "uptime: %s\n", uptime);
	start = now - (time_t)(status->uptime_ms / 1000);
	if (status->uptime_ms && localtime_r(&start, &tm) &&
	    strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S %Z", &tm))
		fprintf(out, "since: %s\n", since);
	else
		fputs("since: -\n", out);
	fprintf(out, "last exit: %s\n", s.last_exit[0] ? s.last_exit : "-");
	fputs("flag letters:", out);
	for (size_t i = 0; i < NR_FLAG_LETTERS; i++) {
		if (!(status->flags & flag_letters[i].flag))
			continue;
		fprintf(out, "%s %c %s", sep, flag_letters[i].letter,
			flag_letters[i].meaning);
		sep = ",";
	}
	fputs(sep[0] ? "\n" : " -\n", out);
}

/* Column widths: a label is at most RS_MAX_LABEL_LEN - 1 bytes. */
#define TABLE_FORMAT	"%-15s %-10s %-5s %-8s %8s %-9s %-6s %s\n"

void status_print_table_header(FILE *out)
{
	fprintf(out, TABLE_FORMAT, "LABEL", "STATE", "FLAGS", "ENDPOINT",
		"PID", "RESTARTS", "UPTIME", "LAST EXIT");
}

void status_print_table_row(FILE *out, const struct rs_status *status)
{
	struct status_strings s;
	char endpoint[16], pid[16], restarts[16], uptime[32];

	status_strings(status, &s);
	snprintf(endpoint, sizeof(endpoint), "%d", (int)status->endpoint);
	/* No process is "-", as in the key: value form. */
	if (status->pid > 0)
		snprintf(pid, sizeof(pid), "%d", (int)status->pid);
	else
		snprintf(pid, sizeof(pid), "-");
	snprintf(restarts, sizeof(restarts), "%u",
		 (unsigned int)status->restarts);
	status_format_uptime(status->uptime_ms, uptime, sizeof(uptime));
	fprintf(out, TABLE_FORMAT, s.label, status_state_name(status->flags),
		s.flags, endpoint, pid, restarts, uptime,
		s.last_exit[0] ? s.last_exit : "-");
}

/* The event's name, or "event<N>" for a type this program does not know. */
static const char *event_name(const struct slot_event *ev, char buf[24])
{
	const char *name = slot_event_name(ev->type);

	if (name)
		return name;
	snprintf(buf, 24, "event%u", (unsigned int)ev->type);
	return buf;
}

void event_print_text(FILE *out, const struct slot_event *ev,
		      const char *name)
{
	char buf[24];

	fprintf(out, "%llu.%06llu %llu %s endpoint=%d pid=%d name=%s",
		(unsigned long long)(ev->timestamp_ns / 1000000000),
		(unsigned long long)(ev->timestamp_ns % 1000000000 / 1000),
		(unsigned long long)ev->seq, event_name(ev, buf),
		(int)ev->endpoint, (int)ev->pid, name[0] ? name : "-");
	if (ev->has_other)
		fprintf(out, " other=%d", (int)ev->other);
	if (ev->has_status) {
		fprintf(out, " status=%d", (int)ev->status);
		if (WIFEXITED(ev->status))
			fprintf(out, " exit=%d", WEXITSTATUS(ev->status));
		else if (WIFSIGNALED(ev->status))
			fprintf(out, " signal=%d%s", WTERMSIG(ev->status),
				WCOREDUMP(ev->status) ? " core" : "");
	}
	if (ev->fd_name[0])
		fprintf(out, " fd=%s", ev->fd_name);
	fputc('\n', out);
}

void event_print_json(FILE *out, const struct slot_event *ev,
		      const char *name)
{
	char buf[24];

	fprintf(out, "{\"time_ns\": %llu, \"seq\": %llu",
		(unsigned long long)ev->timestamp_ns,
		(unsigned long long)ev->seq);
	json_string_member(out, "event", event_name(ev, buf));
	fprintf(out, ", \"endpoint\": %d, \"pid\": %d", (int)ev->endpoint,
		(int)ev->pid);
	json_string_member(out, "name", name);
	if (ev->has_other)
		fprintf(out, ", \"other\": %d", (int)ev->other);
	if (ev->has_status) {
		fprintf(out, ", \"status\": %d", (int)ev->status);
		if (WIFEXITED(ev->status))
			fprintf(out, ", \"exit\": %d", WEXITSTATUS(ev->status));
		else if (WIFSIGNALED(ev->status))
			fprintf(out, ", \"signal\": %d, \"core\": %s",
				WTERMSIG(ev->status),
				WCOREDUMP(ev->status) ? "true" : "false");
	}
	if (ev->fd_name[0])
		json_string_member(out, "fd", ev->fd_name);
	fputs("}\n", out);
}

void print_failure(FILE *out, const char *action, const char *subject,
		   const char *reason, const char *message)
{
	const char *space = subject[0] ? " " : "";
	/* "...; rolled back": what followed the failure, said once. */
	const char *consequence = strchr(reason, ';');

	if (message[0])
		fprintf(out, "minix-service: %s%s%s: %s%s\n", action, space,
			subject, message, consequence ? consequence : "");
	else
		fprintf(out, "minix-service: %s%s%s: %s\n", action, space,
			subject, reason);
}

void dump_print(FILE *out, FILE *err, const char *label,
		const struct rs_reply *reply)
{
	size_t n = strnlen(reply->dump, sizeof(reply->dump));

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)reply->dump[i];

		fputc(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) ?
		      c : '?', out);
	}
	if (n > 0 && reply->dump[n - 1] != '\n')
		fputc('\n', out);
	if (reply->flags & RS_REPLY_DUMP_CUT)
		fprintf(err, "minix-service: dump %s: the service had more to "
			"say; its dump was cut to %zu bytes\n", label, n);
}
