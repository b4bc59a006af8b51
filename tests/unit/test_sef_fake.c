/* SPDX-License-Identifier: MIT */
/* The fake mxsys of test_sef_fake.h. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <minix/ipc.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../libsef/sef_internal.h"
#include "test_sef_fake.h"

struct fake_mxsys fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.whoami.endpoint = MXSYS_ENDPOINT(1, 9);
	fake.whoami.flags = MXSYS_SYS_PROC;
	strcpy(fake.whoami.name, "svc");
	fake.exit_fd = -1;
	fake.sig_mgr = RS_PROC_NR;
}

message *fake_push(endpoint_t src, int32_t type, int call)
{
	message *m;

	ck_assert_int_lt(fake.nin, FAKE_MAX);
	m = &fake.in[fake.nin];
	memset(m, 0, sizeof(*m));
	m->m_source = src;
	m->m_type = type;
	fake.in_call[fake.nin++] = call;
	return m;
}

void fake_push_notify(endpoint_t src, uint64_t sigset)
{
	message *m = fake_push(src, NOTIFY_MESSAGE, MXSYS_CALL_NOTIFY);

	m->m_notify_sigset = sigset;
}

message *fake_push_reply(int32_t type)
{
	message *m;

	ck_assert_int_lt(fake.nreply, FAKE_MAX);
	m = &fake.reply[fake.nreply++];
	memset(m, 0, sizeof(*m));
	m->m_source = RS_PROC_NR;
	m->m_type = type;
	return m;
}

void fake_push_ksig(endpoint_t ep, uint32_t flags, uint64_t sigset,
		    int exit_status)
{
	ck_assert_int_lt(fake.nksig, FAKE_MAX);
	fake.ksig[fake.nksig++] = fake_ksig(ep, flags, sigset, exit_status, 0);
}

const struct fake_sent *fake_sent_at(int i)
{
	ck_assert_msg(i < fake.nsent, "message %d was not sent (%d were)", i,
		      fake.nsent);
	return &fake.sent[i];
}

void fake_start_service(void)
{
	ck_assert_msg(fake.nin == 0 && fake.nreply == 0,
		      "start the service before scripting messages");
	fake_push(RS_PROC_NR, RS_INIT, MXSYS_CALL_SENDA)->m_rs_init.type =
		SEF_INIT_FRESH;
	sef_startup();
	ck_assert_int_eq(fake.next_in, 1);
	fake.nin = fake.next_in = 0;
	fake.nsent = 0;
}

static void record(int call, endpoint_t dst, const message *m)
{
	fake_sent_append(fake.sent, &fake.nsent, FAKE_MAX, call, dst, m);
}

int ipc_fd(void)
{
	errno = ENODEV;
	return -1;
}

int ipc_send(endpoint_t dst, message *m)
{
	if (!m)
		return -EINVAL;
	record(MXSYS_CALL_SEND, dst, m);
	return OK;
}

int ipc_sendnb(endpoint_t dst, message *m)
{
	if (!m)
		return -EINVAL;
	record(MXSYS_CALL_SENDNB, dst, m);
	return OK;
}

int ipc_senda(endpoint_t dst, message *m)
{
	if (!m)
		return -EINVAL;
	record(MXSYS_CALL_SENDA, dst, m);
	return OK;
}

/* Recorded as a senda: AMF_NOREPLY only changes who may take it. */
int asynsend3(endpoint_t dst, message *m, int flags)
{
	if (flags & ~AMF_NOREPLY)
		return -EINVAL;
	return ipc_senda(dst, m);
}

int ipc_notify(endpoint_t dst)
{
	record(MXSYS_CALL_NOTIFY, dst, NULL);
	return OK;
}

int ipc_sendrec(endpoint_t dst, message *m)
{
	if (!m)
		return -EINVAL;
	record(MXSYS_CALL_SENDREC, dst, m);
	if (fake.sendrec_fails > 0) {
		fake.sendrec_fails--;
		return fake.sendrec_fail_result;
	}
	if (fake.sendrec_result != OK)
		return fake.sendrec_result;
	if (fake.next_reply < fake.nreply) {
		*m = fake.reply[fake.next_reply++];
	} else {
		memset(m, 0, sizeof(*m));
		m->m_source = dst;
		m->m_type = OK;
	}
	return OK;
}

int ipc_receive(endpoint_t src, message *m, int *status)
{
	if (!m)
		return -EINVAL;
	(void)src;
	if (fake.next_in >= fake.nin)
		return FAKE_NO_MESSAGE;
	*m = fake.in[fake.next_in];
	if (status)
		*status = fake.in_call[fake.next_in];
	fake.next_in++;
	return OK;
}

static int fake_getksig(struct mxsys_ksig *k)
{
	fake.getksig_calls++;
	if (fake.getksig_result != OK)
		return fake.getksig_result;
	if (fake.next_ksig < fake.nksig) {
		*k = fake.ksig[fake.next_ksig++];
	} else {
		memset(k, 0, sizeof(*k));
		k->endpoint = NONE;
	}
	return OK;
}

static int fake_endksig(const struct mxsys_endpoint_arg *arg)
{
	ck_assert_int_lt(fake.nendksig, FAKE_MAX);
	fake.endksig[fake.nendksig++] = arg->endpoint;
	return fake.endksig_result;
}

static int fake_exit(void)
{
	fake.exit_calls++;
	if (fake.exit_fd >= 0)
		ck_assert_int_eq(write(fake.exit_fd, "X", 1), 1);
	return OK;
}

static int fake_safecopyto(const struct mxsys_safecopy *sc)
{
	fake.copy_calls++;
	if (fake.copy_result != OK)
		return fake.copy_result;
	ck_assert_uint_eq(sc->offset, 0);
	ck_assert_uint_le(sc->len, sizeof(fake.copied));
	fake.copy_granter = sc->granter;
	fake.copy_grant = sc->grant;
	memcpy(fake.copied, (const void *)(uintptr_t)sc->addr, sc->len);
	fake.copied_len = sc->len;
	return OK;
}

int kernel_call(unsigned long request, void *arg)
{
	switch (request) {
	case MXSYS_IOC_SAFECOPYTO:
		return fake_safecopyto(arg);
	case MXSYS_IOC_FD_LIST:
		((struct mxsys_fd_list *)arg)->count = 0;
		return -ENOENT;
	case MXSYS_IOC_WHOAMI:
		if (fake.whoami_result != OK)
			return fake.whoami_result;
		memcpy(arg, &fake.whoami, sizeof(fake.whoami));
		if (fake.whoami_calls++ > 0 && fake.swapped_to != 0)
			((struct mxsys_whoami *)arg)->endpoint = fake.swapped_to;
		return OK;
	case MXSYS_IOC_GETKSIG:
		return fake_getksig(arg);
	case MXSYS_IOC_ENDKSIG:
		return fake_endksig(arg);
	case MXSYS_IOC_EXIT:
		return fake_exit();
	default:
		ck_abort_msg("unexpected kernel call 0x%lx", request);
		return -EINVAL;
	}
}

int sef_slot_sig_pending(endpoint_t ep, uint64_t *pending)
{
	ck_assert_int_eq(ep, fake.whoami.endpoint);
	if (fake.sig_pending_result != OK)
		return fake.sig_pending_result;
	*pending = fake.sig_pending;
	return OK;
}

int sef_slot_signal_manager(endpoint_t ep, endpoint_t *mgr)
{
	ck_assert_int_eq(ep, fake.whoami.endpoint);
	fake.sig_mgr_calls++;
	if (fake.sig_mgr_result != OK)
		return fake.sig_mgr_result;
	*mgr = fake.sig_mgr;
	return OK;
}
