// SPDX-License-Identifier: MIT
/*
 * minix-service: start, stop and inspect MINIX-style system services by
 * asking rs-daemon through the mxsys module. MINIX's syntax; exit status 0
 * or the positive error number.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <mxsys.h>

#include "errors.h"
#include "nl.h"
#include "parse.h"
#include "print.h"

#define PROG	"minix-service"

static void usage(FILE *out)
{
	fputs("usage: " PROG " [-bcnpr] up <binary> [-args \"<args>\"] [-label <label>]\n"
	      "                      [-period <time>] [-script <path>] [-progname <name>]\n"
	      "                      [-maxtime <time>] [-state <n>]\n"
	      "       " PROG " down <label>\n"
	      "       " PROG " status [-j] [<label>]\n"
	      "       " PROG " lookup <label>\n"
	      "<time> is N (clock ticks), NHZ (seconds) or Nms. See minix-service(8).\n",
	      out);
}

/* Report a failed request; returns the exit status. */
static int request_failed(const struct service_cmd *cmd, int error)
{
	const char *action = service_action_name(cmd->action);
	const char *label = cmd->req.rss_label;
	const char *space = label[0] ? " " : "";

	/* From rs-daemon, ESRCH always means the label is unknown. */
	if (error == ESRCH && label[0])
		fprintf(stderr, PROG ": %s%s%s: no such service\n", action,
			space, label);
	else
		fprintf(stderr, PROG ": %s%s%s: %s\n", action, space, label,
			service_strerror(error));
	return service_exit_status(error);
}

/*
 * One request. Returns 0 with *result set to RS's verdict (0 or a positive
 * error), or the exit status after a transport failure was reported.
 */
static int call(struct rs_link *link, const struct service_cmd *cmd,
		struct rs_reply *reply, int *result)
{
	char err[SERVICE_ERRLEN];
	int r;

	r = rs_link_call(link, &cmd->req, reply, err);
	if (r && err[0] == '\0') {
		*result = r;
		return 0;
	}
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		return service_exit_status(r);
	}
	if (reply->result > 0) {
		fprintf(stderr, PROG ": rs-daemon answered with a positive result %d\n",
			(int)reply->result);
		return service_exit_status(EPROTO);
	}
	*result = -reply->result;
	return 0;
}

static void print_status(const struct service_cmd *cmd,
			 const struct rs_status *status)
{
	if (cmd->json)
		status_print_json(stdout, status);
	else
		status_print_text(stdout, status);
}

/* Every action but `status` of all services: one request, one answer. */
static int run_one(struct rs_link *link, const struct service_cmd *cmd)
{
	struct rs_reply reply;
	int r, result;

	r = call(link, cmd, &reply, &result);
	if (r)
		return r;
	if (result)
		return request_failed(cmd, result);
	switch (cmd->action) {
	case SERVICE_STATUS:
		print_status(cmd, &reply.status);
		if (cmd->json)
			putchar('\n');
		break;
	case SERVICE_LOOKUP:
		printf("%d\n", (int)reply.status.endpoint);
		break;
	default:
		break;
	}
	return 0;
}

/* Every service, by index, until rs-daemon says there is no more. */
static int run_status_all(struct rs_link *link, struct service_cmd *cmd)
{
	struct rs_reply reply;
	uint32_t index;
	int r, result;

	if (cmd->json)
		putchar('[');
	/* RS cannot have more services than the module has slots. */
	for (index = 0; index < MXSYS_MAX_SLOTS; index++) {
		cmd->req.rq_index = index;
		r = call(link, cmd, &reply, &result);
		if (r)
			return r;
		if (result == ENOENT)
			break;
		if (result)
			return request_failed(cmd, result);
		if (index > 0)
			fputs(cmd->json ? ", " : "\n", stdout);
		print_status(cmd, &reply.status);
	}
	if (cmd->json)
		puts("]");
	return 0;
}

int main(int argc, char **argv)
{
	char err[SERVICE_ERRLEN];
	struct service_cmd cmd;
	struct rs_link *link;
	int r;

	r = service_parse(argc, argv, sysconf(_SC_CLK_TCK), &cmd, err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		if (r == EINVAL)
			fputs("Try '" PROG " --help'.\n", stderr);
		return service_exit_status(r);
	}
	if (cmd.action == SERVICE_HELP) {
		usage(stdout);
		return 0;
	}

	r = rs_link_open(&link, err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		return service_exit_status(r);
	}
	if (cmd.action == SERVICE_STATUS && cmd.all)
		r = run_status_all(link, &cmd);
	else
		r = run_one(link, &cmd);
	rs_link_close(link);
	if (fflush(stdout) != 0 && r == 0) {
		fprintf(stderr, PROG ": write error\n");
		r = EIO;
	}
	return r;
}
