// SPDX-License-Identifier: MIT
/* The service table. */
#include <stdlib.h>
#include <string.h>

#include "service.h"

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
	svc->endpoint = NONE;
	svc->slot = MXSYS_SLOT_DYNAMIC;
	svc->deadline = RS_TIME_NEVER;
	svc->replica.endpoint = NONE;
	svc->update.endpoint = NONE;
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

struct service *service_by_endpoint(endpoint_t endpoint)
{
	if (endpoint == NONE)
		return NULL;
	for (unsigned int i = 0; i < nr_services; i++)
		if (services[i]->endpoint == endpoint)
			return services[i];
	return NULL;
}

struct service *service_by_pid(pid_t pid)
{
	if (pid <= 0)
		return NULL;
	for (unsigned int i = 0; i < nr_services; i++)
		if (services[i]->pid == pid)
			return services[i];
	return NULL;
}

struct service *service_by_instance_endpoint(endpoint_t endpoint,
					     struct instance **inst)
{
	if (endpoint == NONE)
		return NULL;
	for (unsigned int i = 0; i < nr_services; i++) {
		struct service *svc = services[i];

		if (svc->replica.endpoint == endpoint) {
			*inst = &svc->replica;
			return svc;
		}
		if (svc->update.endpoint == endpoint) {
			*inst = &svc->update;
			return svc;
		}
	}
	return NULL;
}

struct service *service_by_instance_pid(pid_t pid, struct instance **inst)
{
	if (pid <= 0)
		return NULL;
	for (unsigned int i = 0; i < nr_services; i++) {
		struct service *svc = services[i];

		if (svc->replica.pid == pid) {
			*inst = &svc->replica;
			return svc;
		}
		if (svc->update.pid == pid) {
			*inst = &svc->update;
			return svc;
		}
	}
	return NULL;
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
	status->endpoint = svc->endpoint;
	status->pid = svc->reaped ? 0 : svc->pid;
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
	if (svc->replica.pid > 0 && !svc->replica.reaped &&
	    svc->state != SERVICE_STARTING)
		status->replica_pid = svc->replica.pid;
	status->uid = (uint32_t)svc->config.uid;
	memcpy(status->script, svc->script, sizeof(status->script));
	memcpy(status->args, svc->args, sizeof(status->args));
}
