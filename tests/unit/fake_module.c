// SPDX-License-Identifier: MIT
#include <check.h>
#include <string.h>

#include "fake_module.h"

void fake_sent_append(struct fake_sent *sent, int *n, int max, int call,
		      endpoint_t dst, const message *m)
{
	struct fake_sent *s;

	ck_assert_int_lt(*n, max);
	s = &sent[(*n)++];
	s->call = call;
	s->dst = dst;
	if (m)
		s->m = *m;
	else
		memset(&s->m, 0, sizeof(s->m));
}

struct mxsys_ksig fake_ksig(endpoint_t ep, uint32_t flags, uint64_t sigset,
			    int exit_status, pid_t pid)
{
	return (struct mxsys_ksig){
		.endpoint = ep, .flags = flags, .sigset = sigset,
		.exit_status = exit_status, .pid = pid,
	};
}
