// SPDX-License-Identifier: MIT
/*
 * minix-service: start, stop, update and inspect MINIX-style system
 * services by asking rs-daemon through the mxsys module, and watch the
 * module's slot events. MINIX's syntax; exit status 0 or the positive
 * error number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mxsys.h>

#include "ds.h"
#include "errors.h"
#include "logdir.h"
#include "logs.h"
#include "monitor.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "slots.h"
#include "reply.h"
#include "version.h"

#define PROG	"minix-service"

static void usage(FILE *out)
{
	fputs("usage: " PROG " [-bcdefnoprstxyz] (up|run|edit) <binary> [option...]\n"
	      "       " PROG " [-bcdefnopqrstxyz] update (<binary>|self) [option...]\n"
	      "         options: -args \"<args>\" -label <label> -progname <name>\n"
	      "                  -period <time> -script <path> -config <path>\n"
	      "                  -state <n> -maxtime <time>\n"
	      "       " PROG " (down|refresh|restart|clone|unclone|fi|lookup|dump) <label>\n"
	      "       " PROG " shutdown\n"
	      "       " PROG " reload\n"
	      "       " PROG " sysctl (srv_status|upd_start|upd_run|upd_stop|upd_status)\n"
	      "       " PROG " status [-j] [<label>]\n"
	      "       " PROG " monitor [-j] [-n <events>]\n"
	      "       " PROG " logs [-f] [-n <lines>] <label>\n"
	      "       " PROG " ds (list [<regex>]|get [-t <type>] <key>|set [-t u32|str] <key> <value>|del [-t <type>] <key>)\n"
	      "<time> is N (clock ticks), Ns or NHZ (seconds), or Nms. See minix-service(8).\n",
	      out);
}

/* Report a request that rs-daemon (or the module) refused. */
static int request_failed(const struct service_cmd *cmd, int error,
			  const char *message, int exit_status)
{
	print_failure(stderr, service_action_name(cmd->action),
		      service_subject(cmd),
		      service_failure_reason(error,
				(cmd->req.rss_label[0] ? REASON_NAMES_SERVICE : 0) |
				(cmd->action == SERVICE_UPDATE ? REASON_UPDATE : 0) |
				(cmd->action == SERVICE_DUMP ? REASON_DUMP : 0)),
		      message);
	return exit_status;
}

/*
 * One request. Returns 0 with *reply holding RS's answer, or the exit
 * status after a failure that leaves no answer was reported.
 */
static int call(struct rs_link *link, const struct service_cmd *cmd,
		struct rs_reply *reply)
{
	char err[SERVICE_ERRLEN];
	int r;

	r = rs_link_call(link, &cmd->req, reply, err);
	if (r && err[0] == '\0')	/* the module refused the request */
		return request_failed(cmd, r, "", service_exit_status(r));
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		return service_exit_status(r);
	}
	if (reply->result > 0) {
		fprintf(stderr, PROG ": rs-daemon answered with a positive result %d\n",
			(int)reply->result);
		return service_exit_status(EPROTO);
	}
	return 0;
}

/* RS's failure as the user sees it: the message and the exit status. */
static int reply_failed(const struct service_cmd *cmd,
			const struct rs_reply *reply)
{
	char message[RS_REPLY_MESSAGE_LEN];
	int error = rs_reply_error(reply);

	rs_reply_message(reply, message);
	if (error == 0)		/* RS_REPLY_CONFIG_ERROR alone */
		error = EINVAL;
	return request_failed(cmd, error, message,
			      rs_reply_exit_status(reply));
}

static void print_status(FILE *out, const struct service_cmd *cmd,
			 const struct rs_status *status)
{
	static char names[MXSYS_FD_MAX][MXSYS_FD_NAME_LEN];
	struct slot_info slot = {
		.fd_names = names,
		.fd_names_max = MXSYS_FD_MAX,
	};
	char err[SERVICE_ERRLEN];
	/* The fd store is the module's to tell: ask it, not RS. */
	bool known = slot_query_one(status->endpoint, &slot, err) == 0;

	if (cmd->json)
		status_print_json(out, status, known ? &slot : NULL);
	else
		status_print_text(out, status, known ? &slot : NULL);
}

/* Every request but `status` of all services: one request, one answer. */
static int run_one(struct rs_link *link, const struct service_cmd *cmd)
{
	struct rs_reply reply;
	int r;

	r = call(link, cmd, &reply);
	if (r)
		return r;
	if (rs_reply_exit_status(&reply))
		return reply_failed(cmd, &reply);
	switch (cmd->action) {
	case SERVICE_STATUS:
		print_status(stdout, cmd, &reply.status);
		if (cmd->json) {
			putchar('\n');
			break;
		}
		status_print_details(stdout, &reply.status, time(NULL));
		if (reply.message[0] != '\0')
			/* status rs: its last takeover. */
			printf("note: %s\n", reply.message);
		break;
	case SERVICE_LOOKUP:
		printf("%d\n", (int)reply.status.endpoint);
		break;
	case SERVICE_DUMP:
		dump_print(stdout, stderr, service_subject(cmd), &reply);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Every service, by index, until rs-daemon says there is no more. The
 * output goes to out, which the caller writes only on success: a failure
 * midway must not leave half a JSON array on stdout.
 */
static int status_all(struct rs_link *link, struct service_cmd *cmd,
		      FILE *out)
{
	struct rs_reply reply;
	uint32_t index;
	int r;

	if (cmd->json)
		fputc('[', out);
	else
		status_print_table_header(out);
	/* RS cannot have more services than the module has slots. */
	for (index = 0; index < MXSYS_MAX_SLOTS; index++) {
		cmd->req.rq_index = index;
		r = call(link, cmd, &reply);
		if (r)
			return r;
		if (rs_reply_error(&reply) == ENOENT)
			break;
		if (rs_reply_exit_status(&reply))
			return reply_failed(cmd, &reply);
		if (!cmd->json) {
			status_print_table_row(out, &reply.status);
			continue;
		}
		if (index > 0)
			fputs(", ", out);
		print_status(out, cmd, &reply.status);
	}
	if (cmd->json)
		fputs("]\n", out);
	return 0;
}

static int run_status_all(struct rs_link *link, struct service_cmd *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int r;

	out = open_memstream(&text, &len);
	if (!out) {
		fprintf(stderr, PROG ": %s\n", strerror(errno));
		return service_exit_status(errno);
	}
	r = status_all(link, cmd, out);
	if (fclose(out) != 0 && r == 0) {
		fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
		r = service_exit_status(ENOMEM);
	}
	if (r == 0)
		fwrite(text, 1, len, stdout);
	free(text);
	return r;
}

static int run_request(struct service_cmd *cmd)
{
	char err[SERVICE_ERRLEN];
	struct rs_link *link;
	int r;

	r = rs_link_open(&link, err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		return service_exit_status(r);
	}
	if (cmd->action == SERVICE_STATUS && cmd->all)
		r = run_status_all(link, cmd);
	else
		r = run_one(link, cmd);
	rs_link_close(link);
	return r;
}

int main(int argc, char **argv)
{
	char err[SERVICE_ERRLEN];
	struct service_cmd cmd;
	int r;

	version_help_options(argc, argv, PROG, NULL);
	if (argc > 1 && !strcmp(argv[1], "ds")) {
		struct ds_admin rq;

		r = ds_parse(argc - 1, argv + 1, &rq, err);
		if (r) {
			fprintf(stderr, PROG ": %s\n", err);
			return service_exit_status(r);
		}
		r = ds_run(&rq);
		if (fflush(stdout) != 0 && r == 0)
			r = EIO;
		return r;
	}
	r = service_parse(argc, argv, sysconf(_SC_CLK_TCK), &cmd, err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		if (r == EINVAL)
			fputs("Try '" PROG " --help'.\n", stderr);
		return service_exit_status(r);
	}
	switch (cmd.action) {
	case SERVICE_HELP:
		usage(stdout);
		r = 0;
		break;
	case SERVICE_MONITOR:
		r = monitor_run(&cmd, stdout);
		break;
	case SERVICE_LOGS:
		r = logs_run(&cmd, MXSYS_LOG_DIR, stdout);
		break;
	default:
		r = run_request(&cmd);
		break;
	}
	if (fflush(stdout) != 0 && r == 0) {
		fprintf(stderr, PROG ": write error\n");
		r = EIO;
	}
	return r;
}
