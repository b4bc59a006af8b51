// SPDX-License-Identifier: MIT
/* The service table. */
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "timer.h"

/*
 * An array of pointers in start order: services are few (one per slot at
 * most) and a linear scan is cheaper than keeping indexes coherent.
 */
static struct service **services;
static unsigned int nr_services;
static unsigned int capacity;

struct service *service_add(const char *label)
{
	struct service *svc;

	if (nr_services == capacity) {
		unsigned int new_capacity = capacity ? capacity * 2 : 16;
		struct service **grown;

		grown = realloc(services, new_capacity * sizeof(*grown));
		if (!grown)
			return NULL;
		services = grown;
		capacity = new_capacity;
	}
	svc = calloc(1, sizeof(*svc));
	if (!svc)
		return NULL;
	strncpy(svc->label, label, sizeof(svc->label) - 1);
	svc->slot = MXSYS_SLOT_DYNAMIC;
	svc->deadline = RS_TIME_NEVER;
	svc->active = INSTANCE_NONE;
	svc->replica = INSTANCE_NONE;
	svc->update = INSTANCE_NONE;
	services[nr_services++] = svc;
	return svc;
}

void service_remove(struct service *svc)
{
	for (unsigned int i = 0; i < nr_services; i++) {
		if (services[i] != svc)
			continue;
		memmove(&services[i], &services[i + 1],
			(nr_services - i - 1) * sizeof(*services));
		nr_services--;
		free(svc);
		return;
	}
}

struct service *service_by_label(const char *label)
{
	for (unsigned int i = 0; i < nr_services; i++)
		if (strncmp(services[i]->label, label, RS_MAX_LABEL_LEN) == 0)
			return services[i];
	return NULL;
}

/* Does inst have key (an endpoint, or a pid)? */
typedef bool instance_match(const struct instance *inst, long key);

static bool has_endpoint(const struct instance *inst, long endpoint)
{
	return endpoint != NONE && inst->endpoint == endpoint;
}

static bool has_pid(const struct instance *inst, long pid)
{
	return pid > 0 && inst->process.pid == pid;
}

/*
 * The first service with an instance that has key: its active one only,
 * or any of the three. *found (unless NULL) is set to that instance.
 */
static struct service *find(instance_match *match, long key, bool active_only,
			    struct instance **found)
{
	for (unsigned int i = 0; i < nr_services; i++) {
		struct service *svc = services[i];
		struct instance *all[] = {
			&svc->active, &svc->replica, &svc->update,
		};
		unsigned int n = active_only ? 1 : sizeof(all) / sizeof(all[0]);

		for (unsigned int j = 0; j < n; j++) {
			if (!match(all[j], key))
				continue;
			if (found)
				*found = all[j];
			return svc;
		}
	}
	return NULL;
}

struct service *service_by_endpoint(endpoint_t endpoint)
{
	return find(has_endpoint, endpoint, true, NULL);
}

struct service *service_by_pid(pid_t pid)
{
	return find(has_pid, pid, true, NULL);
}

struct service *service_by_instance_endpoint(endpoint_t endpoint,
					     struct instance **inst)
{
	return find(has_endpoint, endpoint, false, inst);
}

struct service *service_by_instance_pid(pid_t pid, struct instance **inst)
{
	return find(has_pid, pid, false, inst);
}

struct service *service_at(unsigned int index)
{
	return index < nr_services ? services[index] : NULL;
}

unsigned int service_count(void)
{
	return nr_services;
}

static const char *policy_name(unsigned int policy)
{
	switch (policy) {
	case RS_POLICY_RESTART:	return "restart";
	case RS_POLICY_RESET:	return "reset";
	default:		return "";
	}
}

void service_status(const struct service *svc, struct rs_status *status)
{
	memset(status, 0, sizeof(*status));
	memcpy(status->label, svc->label, sizeof(status->label));
	status->endpoint = svc->active.endpoint;
	status->pid = svc->active.process.reaped ? 0 : svc->active.process.pid;
	status->restarts = svc->restarts;
	status->flags = RS_STATUS_ACTIVE;
	switch (svc->state) {
	case SERVICE_STARTING:
		status->flags |= RS_STATUS_INITIALIZING;
		break;
	case SERVICE_STOPPING:
		status->flags |= RS_STATUS_EXITING;
		break;
	case SERVICE_RESTART_WAIT:
		status->flags |= RS_STATUS_DEAD;
		break;
	case SERVICE_TERMINATED:
		status->flags |= RS_STATUS_TERMINATED;
		break;
	case SERVICE_UPDATING:
		status->flags |= RS_STATUS_UPDATING;
		break;
	case SERVICE_RUNNING:
		break;
	}
	if (svc->no_ping_reply)
		status->flags |= RS_STATUS_NOPINGREPLY;
	if (svc->rss_flags & (RSS_COPY | RSS_REUSE))
		status->flags |= RS_STATUS_USE_COPY;
	if (svc->rss_flags & RSS_REPLICA)
		status->flags |= RS_STATUS_USE_REPL;
	if (svc->core)
		status->flags |= RS_STATUS_CORE;
	status->period_ms = svc->heartbeat.period_ms;
	strcpy(status->policy, policy_name(svc->policy));
	memcpy(status->binary, svc->binary, sizeof(status->binary));
	/* A replica is a standby only while it is not dead or swapped in. */
	if (instance_has_process(&svc->replica) &&
	    svc->state != SERVICE_STARTING)
		status->replica_pid = svc->replica.process.pid;
	status->uid = (uint32_t)svc->config.uid;
	memcpy(status->script, svc->script, sizeof(status->script));
	memcpy(status->args, svc->args, sizeof(status->args));
	/* At least 1 while up: 0 says it is not. */
	if (svc->running_since) {
		rs_time_t now = now_ms();

		status->uptime_ms = now > svc->running_since ?
				    now - svc->running_since : 1;
	}
	memcpy(status->last_exit, svc->last_exit, sizeof(status->last_exit));
}

void service_save(struct image *img)
{
	image_put_u32(img, nr_services);
	for (unsigned int i = 0; i < nr_services; i++)
		image_put(img, services[i], sizeof(*services[i]));
}

void service_restore(struct image_reader *rd)
{
	uint32_t n;

	while (nr_services > 0)
		service_remove(services[nr_services - 1]);
	n = image_get_count(rd, MXSYS_MAX_SLOTS);
	for (uint32_t i = 0; i < n && !rd->failed; i++) {
		struct service saved, *svc;

		image_get(rd, &saved, sizeof(saved));
		saved.label[sizeof(saved.label) - 1] = '\0';
		if (rd->failed || service_by_label(saved.label)) {
			image_fail(rd);
			return;
		}
		svc = service_add(saved.label);
		if (!svc) {
			image_fail(rd);
			return;
		}
		*svc = saved;
	}
}
