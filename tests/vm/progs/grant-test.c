// SPDX-License-Identifier: MIT
/*
 * grant-test: in-guest tests of mxsys.ko's memory grants (SETGRANT,
 * SAFECOPYFROM, SAFECOPYTO) and of libsef's wrappers for them
 * (tests/vm/suites/12-grant.sh).
 *
 *   grant-test SUBCOMMAND    one of the names in `tests` below
 *   grant-test list          the names, one a line
 *
 * The program is a fake RS (lib/mxtest.h). In most tests child 0 is the
 * granter: it makes grants with cpf_grant_direct(), as a service would, and
 * hands their ids to a grantee with a SENDREC; the grantee copies with
 * sys_safecopyfrom()/sys_safecopyto() and replies when it is done, so the
 * granter can check its own memory afterwards. Raw ioctls are used where a
 * test needs arguments that the wrappers cannot express.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mxsys.h>
#include <minix/safecopies.h>
#include <minix/syslib.h>

#include "mxtest.h"

#define GRANT_CALLS	((1ULL << MXSYS_KC_SETGRANT) | \
			 (1ULL << MXSYS_KC_SAFECOPYFROM) | \
			 (1ULL << MXSYS_KC_SAFECOPYTO))

/* Granter -> grantee: grant ids and sizes in m_u64[]; grantee -> granter. */
#define T_GRANTS	1
#define T_DONE		2
#define MAX_VALUES	(MXSYS_MSG_PAYLOAD / 8)

#define PAGE		4096
#define SENTINEL	0x5a

/* ---- helpers ---- */

/* Byte @i of the pattern @seed: differs between pages and between seeds. */
static uint8_t pat(uint64_t i, unsigned int seed)
{
	return (uint8_t)((i * 131 + (i >> 12) * 7 + seed * 29) ^ (i >> 8));
}

static void fill(void *buf, size_t len, uint64_t first, unsigned int seed)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(first + i, seed);
}

/* True if @buf holds pattern @seed from index @first; else note() where not. */
static bool check(const char *what, const void *buf, size_t len, uint64_t first,
		  unsigned int seed)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != pat(first + i, seed)) {
			note("child %d: %s: byte %zu of %zu is %#x, expected %#x",
			     (int)getpid(), what, i, len, p[i],
			     pat(first + i, seed));
			return false;
		}
	}
	return true;
}

/* True if all of @buf is @c. */
static bool check_byte(const char *what, const void *buf, size_t len, uint8_t c)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != c) {
			note("child %d: %s: byte %zu is %#x, expected %#x",
			     (int)getpid(), what, i, p[i], c);
			return false;
		}
	}
	return true;
}

/* An anonymous mapping of @len bytes (aborts the child on failure). */
static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		note("mmap: %s", strerror(errno));
		_exit(80);
	}
	return p;
}

/* A grant the test expects to succeed, or GRANT_INVALID after a note(). */
static cp_grant_id_t grant(const char *what, endpoint_t to, const void *addr,
			   size_t len, int access)
{
	cp_grant_id_t g = cpf_grant_direct(to, (vir_bytes)addr, len, access);

	if (g == GRANT_INVALID)
		note("child %d: %s: cpf_grant_direct: %s", (int)getpid(), what,
		     err_name(-errno));
	else if (g < 0)
		note("child %d: %s: negative grant id %d", (int)getpid(), what,
		     g);
	return g < 0 ? GRANT_INVALID : g;
}

/* True if cpf_grant_direct() fails with errno @want. */
static bool grant_fails(const char *what, endpoint_t to, vir_bytes addr,
			size_t len, int access, int want)
{
	cp_grant_id_t g;

	errno = 0;
	g = cpf_grant_direct(to, addr, len, access);
	if (g == GRANT_INVALID && errno == want)
		return true;
	note("child %d: %s: cpf_grant_direct gave %d, errno %s, expected %s",
	     (int)getpid(), what, g, err_name(-errno), err_name(-want));
	return false;
}

/* Raw SETGRANT: 0 or -errno; *@id gets the grant id. */
static int setgrant(int fd, uint32_t request, int32_t id, int32_t grantee,
		    uint32_t access, uint64_t addr, uint64_t len, int32_t *out)
{
	struct mxsys_grant g = {
		.request = request, .grant = id, .grantee = grantee,
		.access = access, .addr = addr, .len = len,
	};
	int ret = mx(fd, MXSYS_IOC_SETGRANT, &g);

	if (out)
		*out = g.grant;
	return ret;
}

/* Raw SAFECOPYFROM (or TO): 0 or -errno. */
static int safecopy(int fd, bool to, int32_t granter, int32_t id,
		    uint64_t offset, uint64_t addr, uint64_t len)
{
	struct mxsys_safecopy sc = {
		.granter = granter, .grant = id, .offset = offset,
		.addr = addr, .len = len,
	};

	return mx(fd, to ? MXSYS_IOC_SAFECOPYTO : MXSYS_IOC_SAFECOPYFROM, &sc);
}

/* Granter: hand @n values to @to and wait until it is done with them. */
static bool hand_over(struct child *self, int32_t to, const uint64_t *v, int n)
{
	struct mxsys_message m = make_msg(T_GRANTS, 0);
	int i;

	for (i = 0; i < n && i < MAX_VALUES; i++)
		m.m_u64[i] = v[i];
	if (!expect_ret("sendrec(grants)",
			ipc(self->fd, MXSYS_IOC_SENDREC, to, &m, NULL), 0))
		return false;
	if (m.m_type != T_DONE) {
		note("child %d: reply of type %d", (int)getpid(), m.m_type);
		return false;
	}
	return true;
}

/* Grantee: take the values of the next hand_over() from @from. */
static bool take(struct child *self, int32_t from, uint64_t *v, int n)
{
	struct mxsys_message m;
	uint32_t status;
	int i;

	if (!expect_ret("receive(grants)",
			ipc(self->fd, MXSYS_IOC_RECEIVE, from, &m, &status), 0) ||
	    !expect_msg("grants", &m, status, from, T_GRANTS,
			MXSYS_CALL_SENDREC))
		return false;
	for (i = 0; i < n && i < MAX_VALUES; i++)
		v[i] = m.m_u64[i];
	return true;
}

/* Grantee: let the granter of take() go on. */
static bool done(struct child *self, int32_t to)
{
	struct mxsys_message m = make_msg(T_DONE, 0);

	return expect_ret("reply", ipc(self->fd, MXSYS_IOC_SEND, to, &m, NULL),
			  0);
}

/* The common test body: children with grant calls, each with a role. */
static int run_roles(int n, const role_fn *roles, uint64_t call_mask)
{
	mxt_call_mask = call_mask;
	if (start_children(n, roles, true) || wait_children(NULL))
		return 1;
	return pass();
}

/* ---- copyfrom: the grantee reads exactly the granter's bytes ---- */

#define CF_LEN	(PAGE + 100)

static int copyfrom_a(struct child *self)
{
	uint8_t *buf = map(2 * PAGE, PROT_READ | PROT_WRITE);
	uint64_t v[2];

	fill(buf, CF_LEN, 0, 1);
	/* Unaligned, across a page boundary. */
	v[0] = (uint64_t)grant("grant", eps[1], buf + 7, CF_LEN - 7, CPF_READ);
	v[1] = CF_LEN - 7;
	if ((int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 2))
		return 1;
	return !(expect_ret("cpf_revoke", cpf_revoke((cp_grant_id_t)v[0]), OK) &&
		 check("granter's buffer", buf, CF_LEN, 0, 1));
}

static int copyfrom_b(struct child *self)
{
	static uint8_t buf[CF_LEN];
	uint64_t v[2];
	bool ok;

	if (!take(self, eps[0], v, 2))
		return 1;
	memset(buf, SENTINEL, sizeof(buf));
	ok = expect_ret("safecopyfrom all",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, v[1]), OK) &&
	     check("whole grant", buf, v[1], 7, 1) &&
	     check_byte("past the copy", buf + v[1], sizeof(buf) - v[1],
			SENTINEL);
	memset(buf, SENTINEL, sizeof(buf));
	ok = ok && expect_ret("safecopyfrom at offset",
			      sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0],
					       4000, (vir_bytes)buf, 150), OK) &&
	     check("offset 4000", buf, 150, 4007, 1) &&
	     check_byte("past the copy", buf + 150, 10, SENTINEL);
	memset(buf, SENTINEL, sizeof(buf));
	ok = ok && expect_ret("safecopyfrom of 0 bytes",
			      sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 5,
					       (vir_bytes)buf, 0), OK) &&
	     check_byte("after 0 bytes", buf, sizeof(buf), SENTINEL);
	return !(done(self, eps[0]) && ok);
}

static int test_copyfrom(void)
{
	static const role_fn roles[] = { copyfrom_a, copyfrom_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- copyto: the grantee writes exactly the granted bytes ---- */

#define CT_LEN	(3 * PAGE)

static int copyto_a(struct child *self)
{
	uint8_t *buf = map(CT_LEN, PROT_READ | PROT_WRITE);
	uint64_t v[1];

	memset(buf, SENTINEL, CT_LEN);
	/* [100, 100 + 2 * PAGE): the grantee writes [110, 110 + 5000). */
	v[0] = (uint64_t)grant("grant", eps[1], buf + 100, 2 * PAGE, CPF_WRITE);
	if ((int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1))
		return 1;
	return !(check_byte("before the copy", buf, 110, SENTINEL) &&
		 check("copied", buf + 110, 5000, 0, 2) &&
		 check_byte("after the copy", buf + 5110, CT_LEN - 5110,
			    SENTINEL));
}

static int copyto_b(struct child *self)
{
	static uint8_t buf[5000];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	fill(buf, sizeof(buf), 0, 2);
	ok = expect_ret("safecopyto",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 10,
				       (vir_bytes)buf, sizeof(buf)), OK);
	return !(done(self, eps[0]) && ok);
}

static int test_copyto(void)
{
	static const role_fn roles[] = { copyto_a, copyto_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- wrong-grantee: only the named grantee may use a grant ---- */

static uint8_t wg_buf[256];

static int wrong_grantee_a(struct child *self)
{
	uint64_t v[1];

	fill(wg_buf, sizeof(wg_buf), 0, 3);
	v[0] = (uint64_t)grant("grant to B", eps[1], wg_buf, sizeof(wg_buf),
			       CPF_READ | CPF_WRITE);
	if ((int32_t)v[0] == GRANT_INVALID)
		return 1;
	/* The granter itself is not the grantee either. */
	if (!expect_ret("granter's own copy",
			sys_safecopyfrom(self->ep, (cp_grant_id_t)v[0], 0,
					 (vir_bytes)wg_buf, 16), -EPERM))
		return 1;
	if (!hand_over(self, eps[2], v, 1) || !hand_over(self, eps[1], v, 1))
		return 1;
	return !check("granter's buffer after C", wg_buf, sizeof(wg_buf), 0, 3);
}

static int wrong_grantee_b(struct child *self)
{
	uint8_t buf[256];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("B's safecopyfrom",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("B's copy", buf, sizeof(buf), 0, 3);
	return !(done(self, eps[0]) && ok);
}

static int wrong_grantee_c(struct child *self)
{
	uint8_t buf[256];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	memset(buf, SENTINEL, sizeof(buf));
	ok = expect_ret("C's safecopyfrom",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EPERM) &&
	     check_byte("C's buffer", buf, sizeof(buf), SENTINEL) &&
	     expect_ret("C's safecopyto",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 0,
				       (vir_bytes)buf, sizeof(buf)), -EPERM);
	return !(done(self, eps[0]) && ok);
}

static int test_wrong_grantee(void)
{
	static const role_fn roles[] = {
		wrong_grantee_a, wrong_grantee_b, wrong_grantee_c
	};

	return run_roles(3, roles, GRANT_CALLS);
}

/* ---- access: a READ grant cannot be written, a WRITE grant not read ---- */

static int access_a(struct child *self)
{
	static uint8_t buf[512];
	uint64_t v[2];

	fill(buf, sizeof(buf), 0, 4);
	v[0] = (uint64_t)grant("read grant", eps[1], buf, 256, CPF_READ);
	v[1] = (uint64_t)grant("write grant", eps[1], buf + 256, 256,
			       CPF_WRITE);
	if ((int32_t)v[0] == GRANT_INVALID || (int32_t)v[1] == GRANT_INVALID ||
	    !hand_over(self, eps[1], v, 2))
		return 1;
	/* The read grant is untouched; the write grant holds pattern 5. */
	return !(check("read-only range", buf, 256, 0, 4) &&
		 check("written range", buf + 256, 256, 0, 5));
}

static int access_b(struct child *self)
{
	uint8_t in[256], out[256];
	uint64_t v[2];
	bool ok;

	if (!take(self, eps[0], v, 2))
		return 1;
	memset(in, SENTINEL, sizeof(in));
	fill(out, sizeof(out), 0, 5);
	ok = expect_ret("safecopyto on a READ grant",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 0,
				       (vir_bytes)out, sizeof(out)), -EPERM) &&
	     expect_ret("safecopyfrom on a WRITE grant",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[1], 0,
					 (vir_bytes)in, sizeof(in)), -EPERM) &&
	     check_byte("after the refused read", in, sizeof(in), SENTINEL) &&
	     expect_ret("safecopyfrom on the READ grant",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)in, sizeof(in)), OK) &&
	     check("read", in, sizeof(in), 0, 4) &&
	     expect_ret("safecopyto on the WRITE grant",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[1], 0,
				       (vir_bytes)out, sizeof(out)), OK);
	return !(done(self, eps[0]) && ok);
}

static int test_access(void)
{
	static const role_fn roles[] = { access_a, access_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/*
 * ---- range: nothing outside [offset, offset + len) of the grant ----
 *
 * The granter's three pages hold a "secret" pattern except for the 100
 * granted bytes in the middle page; no refused call may move a byte.
 */

#define RG_OFF	(PAGE + 10)
#define RG_LEN	100

static int range_a(struct child *self)
{
	uint8_t *buf = map(3 * PAGE, PROT_READ | PROT_WRITE);
	uint64_t v[1];

	fill(buf, 3 * PAGE, 0, 6);
	fill(buf + RG_OFF, RG_LEN, 0, 7);
	v[0] = (uint64_t)grant("grant", eps[1], buf + RG_OFF, RG_LEN,
			       CPF_READ | CPF_WRITE);
	if ((int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1))
		return 1;
	/* The grantee's one write was bytes [90, 100) of the grant. */
	return !(check("secret before", buf, RG_OFF, 0, 6) &&
		 check("grant", buf + RG_OFF, 90, 0, 7) &&
		 check("written", buf + RG_OFF + 90, 10, 90, 8) &&
		 check("secret after", buf + RG_OFF + RG_LEN,
		       3 * PAGE - RG_OFF - RG_LEN, RG_OFF + RG_LEN, 6));
}

static const struct {
	uint64_t offset, len;
	int want;
} range_cases[] = {
	{ 0, RG_LEN, 0 },
	{ RG_LEN - 1, 1, 0 },
	{ RG_LEN, 0, 0 },
	{ RG_LEN, 1, -EINVAL },
	{ 0, RG_LEN + 1, -EINVAL },
	{ 1, RG_LEN, -EINVAL },
	{ RG_LEN + 1, 0, -EINVAL },
	{ 4096, 10, -EINVAL },
	{ UINT64_MAX, 2, -EINVAL },
	{ UINT64_MAX, 0, -EINVAL },
	{ 50, UINT64_MAX - 10, -EINVAL },
	{ 1, UINT64_MAX, -EINVAL },
};

static int range_b(struct child *self)
{
	uint8_t *buf = map(2 * PAGE, PROT_READ | PROT_WRITE);
	uint8_t out[10];
	uint64_t v[1];
	bool ok = true;
	size_t i;

	if (!take(self, eps[0], v, 1))
		return 1;
	for (i = 0; ok && i < MXT_ARRAY_SIZE(range_cases); i++) {
		uint64_t len = range_cases[i].len;
		char what[64];

		snprintf(what, sizeof(what), "safecopyfrom offset %#llx len %#llx",
			 (unsigned long long)range_cases[i].offset,
			 (unsigned long long)len);
		memset(buf, SENTINEL, 2 * PAGE);
		/* A huge len is refused before the caller's buffer matters. */
		ok = expect_ret(what, safecopy(self->fd, false, eps[0],
					       (int32_t)v[0],
					       range_cases[i].offset,
					       (uintptr_t)buf, len),
				range_cases[i].want);
		if (ok && range_cases[i].want)
			ok = check_byte("refused copy", buf, 2 * PAGE, SENTINEL);
		else if (ok && len)
			ok = check("copy", buf, len,
				   range_cases[i].offset, 7) &&
			     check_byte("past the copy", buf + len,
					2 * PAGE - len, SENTINEL);
	}
	/* Writes: the same bounds; only [90, 100) is written. */
	fill(out, sizeof(out), 90, 8);
	ok = ok &&
	     expect_ret("safecopyto past the end",
			safecopy(self->fd, true, eps[0], (int32_t)v[0], 91,
				 (uintptr_t)out, 10), -EINVAL) &&
	     expect_ret("safecopyto overflowing",
			safecopy(self->fd, true, eps[0], (int32_t)v[0],
				 UINT64_MAX - 5, (uintptr_t)out, 10), -EINVAL) &&
	     expect_ret("safecopyto at the end",
			safecopy(self->fd, true, eps[0], (int32_t)v[0], 90,
				 (uintptr_t)out, 10), 0);
	return !(done(self, eps[0]) && ok);
}

static int test_range(void)
{
	static const role_fn roles[] = { range_a, range_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- revoke: a revoked id fails and stays invalid ---- */

static int revoke_a(struct child *self)
{
	static uint8_t buf[64];
	cp_grant_id_t old, g = GRANT_INVALID;
	uint64_t v[2];
	int i;

	fill(buf, sizeof(buf), 0, 9);
	old = grant("grant", eps[1], buf, sizeof(buf), CPF_READ);
	v[0] = (uint64_t)old;
	if (old == GRANT_INVALID || !hand_over(self, eps[1], v, 1))
		return 1;
	if (!expect_ret("cpf_revoke", cpf_revoke(old), OK) ||
	    !expect_ret("second cpf_revoke", cpf_revoke(old), -EINVAL))
		return 1;
	/* Cycle every entry of the table several times: old never returns. */
	for (i = 0; i < 3 * MXSYS_GRANT_MAX; i++) {
		g = grant("new grant", eps[1], buf, sizeof(buf), CPF_READ);
		if (g == GRANT_INVALID)
			return 1;
		if (g == old) {
			note("grant %d after revoking: the revoked id %d again",
			     i, old);
			return 1;
		}
		if (i < 3 * MXSYS_GRANT_MAX - 1 &&
		    !expect_ret("cpf_revoke", cpf_revoke(g), OK))
			return 1;
	}
	v[1] = (uint64_t)g;
	return !hand_over(self, eps[1], v, 2);
}

static int revoke_b(struct child *self)
{
	uint8_t buf[64];
	uint64_t v[2];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("copy before the revoke",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("copy", buf, sizeof(buf), 0, 9);
	if (!done(self, eps[0]) || !ok || !take(self, eps[0], v, 2))
		return 1;
	memset(buf, SENTINEL, sizeof(buf));
	ok = expect_ret("copy with the revoked id",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EPERM) &&
	     check_byte("after the refused copy", buf, sizeof(buf), SENTINEL) &&
	     expect_ret("copy with the new id",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[1], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("new copy", buf, sizeof(buf), 0, 9);
	return !(done(self, eps[0]) && ok);
}

static int test_revoke(void)
{
	static const role_fn roles[] = { revoke_a, revoke_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- bad-granter: endpoints that name no granter ---- */

static int bad_granter_a(struct child *self)
{
	static uint8_t buf[64];
	uint64_t v[1];

	v[0] = (uint64_t)grant("grant", MXSYS_ANY, buf, sizeof(buf), CPF_READ);
	return (int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1);
}

static int bad_granter_b(struct child *self)
{
	int32_t stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(eps[0]) + 1,
				       MXSYS_ENDPOINT_SLOT(eps[0]));
	uint8_t buf[64];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("granter -1",
			sys_safecopyfrom(-1, (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EINVAL) &&
	     expect_ret("granter ANY",
			sys_safecopyfrom(ANY, (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EINVAL) &&
	     expect_ret("granter slot out of range",
			sys_safecopyfrom(MXSYS_ENDPOINT(0, MXSYS_SLOT_MASK),
					 (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EINVAL) &&
	     expect_ret("granter of a stale generation",
			sys_safecopyto(stale, (cp_grant_id_t)v[0], 0,
				       (vir_bytes)buf, sizeof(buf)), -EDEADEPT) &&
	     expect_ret("granter in a free slot",
			sys_safecopyfrom(MXSYS_ENDPOINT(0, MXSYS_NR_STATIC_SLOTS - 1),
					 (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EDEADEPT) &&
	     /* RS is alive but has no grant table: no such grant. */
	     expect_ret("granter without grants",
			sys_safecopyfrom(RS_PROC_NR, (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EPERM) &&
	     expect_ret("the right granter",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK);
	return !(done(self, eps[0]) && ok);
}

static int test_bad_granter(void)
{
	static const role_fn roles[] = { bad_granter_a, bad_granter_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/*
 * ---- dead-granter: grants die with their process ----
 *
 * A grants to B and exits. B's copy then fails with EDEADSRCDST. RS binds
 * a new process (A2) to A's endpoint; A2 makes a grant of its own (most
 * likely with A's old id), and B's old id still gets nothing: EPERM.
 */

static int dead_a(struct child *self)
{
	static uint8_t buf[64];
	uint64_t v[1];

	fill(buf, sizeof(buf), 0, 10);
	v[0] = (uint64_t)grant("grant", eps[1], buf, sizeof(buf), CPF_READ);
	return (int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1);
}

static int dead_b(struct child *self)
{
	uint8_t buf[64];
	struct mxsys_message m = make_msg(T_DONE, 0);
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("copy from the live granter",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("copy", buf, sizeof(buf), 0, 10);
	ok = done(self, eps[0]) && ok;
	order_wait();		/* A is dead */
	ok = expect_ret("copy from the dead granter",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)),
			-EDEADSRCDST) && ok;
	sync_signal();
	order_wait();		/* A2 is bound and has made its grant */
	ok = expect_ret("copy from the slot's new process",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EPERM) &&
	     ok;
	ok = expect_ret("tell A2", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m,
				       NULL), 0) && ok;
	return !ok;
}

static int dead_a2(struct child *self)
{
	static uint8_t buf[64];
	struct mxsys_message m;
	uint32_t status;
	cp_grant_id_t g;

	g = grant("A2's grant", self->ep, buf, sizeof(buf), CPF_READ);
	sync_signal();
	if (g == GRANT_INVALID)
		return 1;
	return !(expect_ret("receive(B)", ipc(self->fd, MXSYS_IOC_RECEIVE,
					      eps[1], &m, &status), 0) &&
		 expect_msg("B's message", &m, status, eps[1], T_DONE,
			    MXSYS_CALL_SEND));
}

static int test_dead_granter(void)
{
	static const role_fn roles[] = { dead_a, dead_b };

	mxt_call_mask = GRANT_CALLS;
	if (start_children(2, roles, true))
		return 1;
	if (wait_child(&children[0]) || await_death(&children[0]))
		return 1;
	order_signal();
	sync_wait();
	/* RS restarts A as A2, in the same slot (same endpoint). */
	children[0].role = dead_a2;
	if (respawn_child(&children[0]))
		return 1;
	sync_wait();
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

/* ---- calldenied: the call mask is checked ---- */

static int denied_a(struct child *self)
{
	static uint8_t buf[64];
	uint64_t v[1];

	v[0] = (uint64_t)grant("grant", eps[1], buf, sizeof(buf),
			       CPF_READ | CPF_WRITE);
	return (int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1);
}

static int denied_b(struct child *self)
{
	uint8_t buf[64];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("safecopyfrom without its call bit",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)),
			-ECALLDENIED) &&
	     expect_ret("safecopyto without its call bit",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 0,
				       (vir_bytes)buf, sizeof(buf)),
			-ECALLDENIED);
	return !(done(self, eps[0]) && ok);
}

/* Children may grant but not copy. */
static int test_calldenied(void)
{
	static const role_fn roles[] = { denied_a, denied_b };

	return run_roles(2, roles, 1ULL << MXSYS_KC_SETGRANT);
}

static uint8_t rs_buf[300];
static int32_t rs_grant = -1;

static int copy_only(struct child *self)
{
	uint8_t buf[sizeof(rs_buf)];

	(void)self;
	return !(grant_fails("cpf_grant_direct without SETGRANT", ANY,
			     (vir_bytes)buf, sizeof(buf), CPF_READ,
			     ECALLDENIED) &&
		 expect_ret("cpf_revoke without SETGRANT",
			    cpf_revoke(rs_grant), -ECALLDENIED) &&
		 expect_ret("copy from RS's grant",
			    sys_safecopyfrom(RS_PROC_NR, rs_grant, 0,
					     (vir_bytes)buf, sizeof(buf)), OK) &&
		 check("RS's bytes", buf, sizeof(buf), 0, 11));
}

/* Children may copy but not grant; RS grants to ANY. */
static int test_calldenied_setgrant(void)
{
	static const role_fn roles[] = { copy_only };
	int ret;

	fill(rs_buf, sizeof(rs_buf), 0, 11);
	ret = setgrant(rs_fd, MXSYS_GRANT_DIRECT, 0, MXSYS_ANY, MXSYS_CPF_READ,
		       (uintptr_t)rs_buf, sizeof(rs_buf), &rs_grant);
	if (ret)
		return fail("RS's grant: %s", err_name(ret));
	mxt_call_mask = (1ULL << MXSYS_KC_SAFECOPYFROM) |
			(1ULL << MXSYS_KC_SAFECOPYTO);
	if (start_children(1, roles, true) || wait_children(NULL))
		return 1;
	ret = setgrant(rs_fd, MXSYS_GRANT_REVOKE, rs_grant, 0, 0, 0, 0, NULL);
	if (ret)
		return fail("RS's revoke: %s", err_name(ret));
	return pass();
}

/* ---- set-args: SETGRANT's argument checks ---- */

static int set_args_a(struct child *self)
{
	static uint8_t buf[64];
	int32_t stale = MXSYS_ENDPOINT(MXSYS_ENDPOINT_GEN(self->ep) + 1,
				       MXSYS_ENDPOINT_SLOT(self->ep));
	uint64_t a = (uintptr_t)buf;
	int fd = self->fd;
	int32_t id = -77;

	if (!(expect_ret("unknown request",
			    setgrant(fd, 0, 0, ANY, MXSYS_CPF_READ, a, 64, NULL), -EINVAL) &&
		 expect_ret("unknown request 3",
			    setgrant(fd, 3, 0, ANY, MXSYS_CPF_READ, a, 64, NULL), -EINVAL) &&
		 expect_ret("access 0",
			    setgrant(fd, MXSYS_GRANT_DIRECT, 0, ANY, 0, a, 64, NULL), -EINVAL) &&
		 expect_ret("unknown access bit",
			    setgrant(fd, MXSYS_GRANT_DIRECT, 0, ANY,
				     MXSYS_CPF_READ | 4, a, 64, NULL), -EINVAL) &&
		 grant_fails("len 0", ANY, (vir_bytes)buf, 0, CPF_READ, EINVAL) &&
		 expect_ret("addr + len overflows",
			    setgrant(fd, MXSYS_GRANT_DIRECT, 0, ANY, MXSYS_CPF_READ,
				     UINT64_MAX - 10, 100, NULL), -EINVAL) &&
		 expect_ret("kernel address",
			    setgrant(fd, MXSYS_GRANT_DIRECT, 0, ANY, MXSYS_CPF_READ,
				     0xffff888000000000ULL, 4096, NULL), -EINVAL) &&
		 grant_fails("grantee -5", -5, (vir_bytes)buf, 64, CPF_READ,
			     EINVAL) &&
		 grant_fails("grantee out of range",
			     MXSYS_ENDPOINT(0, MXSYS_SLOT_MASK),
			     (vir_bytes)buf, 64, CPF_READ, EINVAL) &&
		 grant_fails("grantee in a free slot",
			     MXSYS_ENDPOINT(0, MXSYS_NR_STATIC_SLOTS - 1),
			     (vir_bytes)buf, 64, CPF_READ, EDEADEPT) &&
		 grant_fails("grantee of a stale generation", stale,
			     (vir_bytes)buf, 64, CPF_READ, EDEADEPT) &&
		 expect_ret("grant to RS",
			    setgrant(fd, MXSYS_GRANT_DIRECT, -77, RS_PROC_NR,
				     MXSYS_CPF_READ, a, 64, &id), 0)))
		return 1;
	if (id < 0) {
		note("grant id %d", id);
		return 1;
	}
	return !(expect_ret("revoke with an address",
			    setgrant(fd, MXSYS_GRANT_REVOKE, id, 0, 0, a, 0, NULL), -EINVAL) &&
		 expect_ret("revoke with a grantee",
			    setgrant(fd, MXSYS_GRANT_REVOKE, id, ANY, 0, 0, 0, NULL), -EINVAL) &&
		 expect_ret("revoke of an unknown id", cpf_revoke(id + 1), -EINVAL) &&
		 expect_ret("revoke of a negative id", cpf_revoke(-5), -EINVAL) &&
		 expect_ret("revoke", cpf_revoke(id), OK) &&
		 expect_ret("revoke again", cpf_revoke(id), -EINVAL) &&
		 expect_ret("SETGRANT, argument NULL",
			    mx(fd, MXSYS_IOC_SETGRANT, NULL), -EFAULT) &&
		 expect_ret("SAFECOPYFROM, argument NULL",
			    mx(fd, MXSYS_IOC_SAFECOPYFROM, NULL), -EFAULT));
}

/* A process without a slot: every grant call is refused. */
static int unbound_caller(void)
{
	static uint8_t buf[64];
	int fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		note("open: %s", strerror(errno));
		return 1;
	}
	return !(expect_ret("unbound SETGRANT",
			    setgrant(fd, MXSYS_GRANT_DIRECT, 0, ANY, MXSYS_CPF_READ,
				     (uintptr_t)buf, 64, NULL), -EPERM) &&
		 expect_ret("unbound SAFECOPYFROM",
			    safecopy(fd, false, MXSYS_RS_ENDPOINT, 0, 0,
				     (uintptr_t)buf, 64), -EPERM));
}

static int test_set_args(void)
{
	static const role_fn roles[] = { set_args_a };

	if (run_in_child(unbound_caller))
		return fail("an unbound process was not refused");
	return run_roles(1, roles, GRANT_CALLS);
}

/*
 * ---- efault: bad buffers on either side ----
 *
 * A grants a good page, an unmapped one, a read-only one, a PROT_NONE one
 * and a never touched one. Only what A itself could read (or write) moves.
 */

static int efault_a(struct child *self)
{
	uint8_t *good = map(PAGE, PROT_READ | PROT_WRITE);
	uint8_t *gone = map(PAGE, PROT_READ | PROT_WRITE);
	uint8_t *ro = map(PAGE, PROT_READ | PROT_WRITE);
	uint8_t *none = map(PAGE, PROT_READ | PROT_WRITE);
	uint8_t *fresh = map(PAGE, PROT_READ | PROT_WRITE);
	int rw = CPF_READ | CPF_WRITE;
	uint64_t v[5];
	int i;

	fill(good, PAGE, 0, 12);
	fill(ro, PAGE, 0, 13);
	fill(none, PAGE, 0, 14);
	munmap(gone, PAGE);
	if (mprotect(ro, PAGE, PROT_READ) || mprotect(none, PAGE, PROT_NONE)) {
		note("mprotect: %s", strerror(errno));
		return 1;
	}
	v[0] = (uint64_t)grant("good", eps[1], good, PAGE, rw);
	v[1] = (uint64_t)grant("unmapped", eps[1], gone, PAGE, rw);
	v[2] = (uint64_t)grant("read-only", eps[1], ro, PAGE, rw);
	v[3] = (uint64_t)grant("PROT_NONE", eps[1], none, PAGE, rw);
	v[4] = (uint64_t)grant("fresh", eps[1], fresh, PAGE, rw);
	for (i = 0; i < 5; i++)
		if ((int32_t)v[i] == GRANT_INVALID)
			return 1;
	if (!hand_over(self, eps[1], v, 5))
		return 1;
	if (mprotect(none, PAGE, PROT_READ)) {
		note("mprotect: %s", strerror(errno));
		return 1;
	}
	return !(check("good page", good, PAGE, 0, 12) &&
		 check("read-only page", ro, PAGE, 0, 13) &&
		 check("PROT_NONE page", none, PAGE, 0, 14) &&
		 check("fresh page", fresh, PAGE, 0, 15));
}

static int efault_b(struct child *self)
{
	uint8_t *buf = map(PAGE, PROT_READ | PROT_WRITE);
	uint8_t *ro = map(PAGE, PROT_READ);
	uint8_t *gone = map(PAGE, PROT_READ | PROT_WRITE);
	cp_grant_id_t g[5];
	int32_t a = eps[0];
	uint64_t v[5];
	bool ok;
	int i;

	munmap(gone, PAGE);
	if (!take(self, eps[0], v, 5))
		return 1;
	for (i = 0; i < 5; i++)
		g[i] = (cp_grant_id_t)v[i];
	ok = expect_ret("safecopyfrom into NULL",
			sys_safecopyfrom(a, g[0], 0, 0, 64), -EFAULT) &&
	     expect_ret("safecopyfrom into an unmapped page",
			sys_safecopyfrom(a, g[0], 0, (vir_bytes)gone, 64), -EFAULT) &&
	     expect_ret("safecopyfrom into a read-only page",
			sys_safecopyfrom(a, g[0], 0, (vir_bytes)ro, 64), -EFAULT) &&
	     expect_ret("safecopyfrom into kernel memory",
			safecopy(self->fd, false, a, (int32_t)g[0], 0,
				 0xffffffff81000000ULL, 64), -EFAULT) &&
	     expect_ret("safecopyto from NULL",
			sys_safecopyto(a, g[0], 0, 0, 64), -EFAULT) &&
	     expect_ret("safecopyto from kernel memory",
			safecopy(self->fd, true, a, (int32_t)g[0], 0,
				 0xffffffff81000000ULL, 64), -EFAULT) &&
	     expect_ret("safecopyfrom an unmapped grant",
			sys_safecopyfrom(a, g[1], 0, (vir_bytes)buf, 64), -EFAULT) &&
	     expect_ret("safecopyto an unmapped grant",
			sys_safecopyto(a, g[1], 0, (vir_bytes)buf, 64), -EFAULT) &&
	     expect_ret("safecopyfrom a read-only grant",
			sys_safecopyfrom(a, g[2], 0, (vir_bytes)buf, PAGE), OK) &&
	     check("read-only page", buf, PAGE, 0, 13) &&
	     expect_ret("safecopyto a read-only page",
			sys_safecopyto(a, g[2], 0, (vir_bytes)buf, PAGE), -EFAULT) &&
	     expect_ret("safecopyfrom a PROT_NONE page",
			sys_safecopyfrom(a, g[3], 0, (vir_bytes)buf, 64), -EFAULT) &&
	     expect_ret("safecopyto a PROT_NONE page",
			sys_safecopyto(a, g[3], 0, (vir_bytes)buf, 64), -EFAULT) &&
	     expect_ret("SAFECOPYTO, argument NULL",
			mx(self->fd, MXSYS_IOC_SAFECOPYTO, NULL), -EFAULT);
	fill(buf, PAGE, 0, 15);
	ok = ok && expect_ret("safecopyto a never touched page",
			      sys_safecopyto(a, g[4], 0, (vir_bytes)buf, PAGE),
			      OK);
	return !(done(self, eps[0]) && ok);
}

static int test_efault(void)
{
	static const role_fn roles[] = { efault_a, efault_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- table-full: MXSYS_GRANT_MAX live grants, then ENOSPC ---- */

static int cmp_id(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int table_full_a(struct child *self)
{
	static int32_t ids[MXSYS_GRANT_MAX + 1], sorted[MXSYS_GRANT_MAX];
	static uint8_t buf[64];
	struct mxsys_grant *ro_arg;
	uint8_t out[64];
	cp_grant_id_t g;
	int i;

	fill(buf, sizeof(buf), 0, 16);
	for (i = 0; i < MXSYS_GRANT_MAX - 1; i++) {
		ids[i] = grant("grant", ANY, buf, sizeof(buf), CPF_READ);
		if (ids[i] == GRANT_INVALID) {
			note("grant %d of %d failed", i, MXSYS_GRANT_MAX);
			return 1;
		}
	}
	/* A grant whose id cannot be stored is undone: it takes no entry. */
	ro_arg = map(PAGE, PROT_READ | PROT_WRITE);
	*ro_arg = (struct mxsys_grant) {
		.request = MXSYS_GRANT_DIRECT, .grantee = MXSYS_ANY,
		.access = MXSYS_CPF_READ, .addr = (uintptr_t)buf, .len = 64,
	};
	if (mprotect(ro_arg, PAGE, PROT_READ) ||
	    !expect_ret("SETGRANT, read-only argument",
			mx(self->fd, MXSYS_IOC_SETGRANT, ro_arg), -EFAULT))
		return 1;
	/* The last one is the process's own: granter == grantee. */
	ids[i] = grant("last grant", self->ep, buf, sizeof(buf), CPF_READ);
	if (ids[i] == GRANT_INVALID)
		return 1;
	if (!grant_fails("grant beyond MXSYS_GRANT_MAX", ANY, (vir_bytes)buf,
			 sizeof(buf), CPF_READ, ENOSPC))
		return 1;
	memcpy(sorted, ids, sizeof(sorted));
	qsort(sorted, MXSYS_GRANT_MAX, sizeof(sorted[0]), cmp_id);
	for (i = 1; i < MXSYS_GRANT_MAX; i++) {
		if (sorted[i] == sorted[i - 1]) {
			note("grant id %d handed out twice", sorted[i]);
			return 1;
		}
	}
	if (!expect_ret("revoke one", cpf_revoke(ids[5]), OK))
		return 1;
	g = grant("grant after the revoke", ANY, buf, sizeof(buf), CPF_READ);
	if (g == GRANT_INVALID || g == ids[5] ||
	    !grant_fails("grant beyond MXSYS_GRANT_MAX again", ANY,
			 (vir_bytes)buf, sizeof(buf), CPF_READ, ENOSPC))
		return 1;
	/* A full table still serves copies, the own grant included. */
	memset(out, 0, sizeof(out));
	return !(expect_ret("copy from the own grant",
			    sys_safecopyfrom(self->ep, ids[MXSYS_GRANT_MAX - 1],
					     0, (vir_bytes)out, sizeof(out)), OK) &&
		 check("own grant", out, sizeof(out), 0, 16) &&
		 expect_ret("copy from a grant to ANY",
			    sys_safecopyfrom(self->ep, g, 0, (vir_bytes)out,
					     sizeof(out)), OK) &&
		 expect_ret("copy with the revoked id",
			    sys_safecopyfrom(self->ep, ids[5], 0,
					     (vir_bytes)out, sizeof(out)),
			    -EPERM));
}

static int test_table_full(void)
{
	static const role_fn roles[] = { table_full_a };

	return run_roles(1, roles, GRANT_CALLS);
}

/* ---- large: 1 MiB across many pages, both ways, unaligned ---- */

#define LG_LEN	((1u << 20) + 4097)

static int large_a(struct child *self)
{
	uint8_t *buf = map(LG_LEN + 2 * PAGE, PROT_READ | PROT_WRITE);
	uint64_t v[1];

	fill(buf, LG_LEN + 2 * PAGE, 0, 17);
	v[0] = (uint64_t)grant("grant", eps[1], buf + 1, LG_LEN,
			       CPF_READ | CPF_WRITE);
	if ((int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1))
		return 1;
	/* The grantee wrote pattern 18 over [3, LG_LEN) of the grant. */
	return !(check("head", buf, 4, 0, 17) &&
		 check("written", buf + 4, LG_LEN - 3, 0, 18) &&
		 check("tail", buf + 1 + LG_LEN, 2 * PAGE - 1, 1 + LG_LEN, 17));
}

static int large_b(struct child *self)
{
	uint8_t *buf = map(LG_LEN, PROT_READ | PROT_WRITE);
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("safecopyfrom 1 MiB",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, LG_LEN), OK) &&
	     check("1 MiB read", buf, LG_LEN, 1, 17);
	fill(buf, LG_LEN - 3, 0, 18);
	ok = ok && expect_ret("safecopyto 1 MiB",
			      sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 3,
					     (vir_bytes)buf, LG_LEN - 3), OK);
	return !(done(self, eps[0]) && ok);
}

static int test_large(void)
{
	static const role_fn roles[] = { large_a, large_b };

	return run_roles(2, roles, GRANT_CALLS);
}

/* ---- any: a grant to ANY serves every caller ---- */

static int any_a(struct child *self)
{
	static uint8_t buf[128];
	uint64_t v[1];

	fill(buf, sizeof(buf), 0, 19);
	v[0] = (uint64_t)grant("grant to ANY", ANY, buf, sizeof(buf), CPF_READ);
	return (int32_t)v[0] == GRANT_INVALID ||
	       !hand_over(self, eps[1], v, 1) || !hand_over(self, eps[2], v, 1) ||
	       !check("granter's buffer", buf, sizeof(buf), 0, 19);
}

static int any_grantee(struct child *self)
{
	uint8_t buf[128];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	memset(buf, SENTINEL, sizeof(buf));
	ok = expect_ret("safecopyfrom a grant to ANY",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("copy", buf, sizeof(buf), 0, 19) &&
	     expect_ret("safecopyto a READ grant to ANY",
			sys_safecopyto(eps[0], (cp_grant_id_t)v[0], 0,
				       (vir_bytes)buf, sizeof(buf)), -EPERM);
	return !(done(self, eps[0]) && ok);
}

static int test_any(void)
{
	static const role_fn roles[] = { any_a, any_grantee, any_grantee };

	return run_roles(3, roles, GRANT_CALLS);
}

/*
 * ---- swap: the grant table moves with the process ----
 *
 * A grants to B, then RS swaps A's slot with C's (both blocked receiving).
 * A's grants are now found under its new endpoint, C's old one, and no
 * longer under A's old endpoint, whose new process (C) has none.
 */

static int swap_a(struct child *self)
{
	static uint8_t buf[64];
	struct mxsys_message m;
	uint32_t status;
	uint64_t v[1];

	fill(buf, sizeof(buf), 0, 20);
	v[0] = (uint64_t)grant("grant", eps[1], buf, sizeof(buf), CPF_READ);
	if ((int32_t)v[0] == GRANT_INVALID || !hand_over(self, eps[1], v, 1))
		return 1;
	/* Quiescent until B is done; then A runs in C's old slot. */
	return !(expect_ret("receive(B)", ipc(self->fd, MXSYS_IOC_RECEIVE,
					      eps[1], &m, &status), 0) &&
		 expect_msg("B's message", &m, status, eps[1], T_DONE,
			    MXSYS_CALL_SEND));
}

static int swap_b(struct child *self)
{
	struct mxsys_message m = make_msg(T_DONE, 0);
	uint8_t buf[64];
	uint64_t v[1];
	bool ok;

	if (!take(self, eps[0], v, 1))
		return 1;
	ok = expect_ret("copy before the swap",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK);
	ok = done(self, eps[0]) && ok;
	sync_signal();
	order_wait();		/* A's process is at eps[2] now */
	memset(buf, SENTINEL, sizeof(buf));
	ok = expect_ret("copy from A's new endpoint",
			sys_safecopyfrom(eps[2], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), OK) &&
	     check("copy after the swap", buf, sizeof(buf), 0, 20) &&
	     expect_ret("copy from A's old endpoint",
			sys_safecopyfrom(eps[0], (cp_grant_id_t)v[0], 0,
					 (vir_bytes)buf, sizeof(buf)), -EPERM) &&
	     ok;
	ok = expect_ret("tell A", ipc(self->fd, MXSYS_IOC_SEND, eps[2], &m,
				      NULL), 0) && ok;
	ok = expect_ret("tell C", ipc(self->fd, MXSYS_IOC_SEND, eps[0], &m,
				      NULL), 0) && ok;
	return !ok;
}

static int swap_c(struct child *self)
{
	struct mxsys_message m;
	uint32_t status;

	sync_signal();		/* bound: a swap now moves this process */
	return !(expect_ret("receive(B)", ipc(self->fd, MXSYS_IOC_RECEIVE,
					      eps[1], &m, &status), 0) &&
		 expect_msg("B's message", &m, status, eps[1], T_DONE,
			    MXSYS_CALL_SEND));
}

static int test_swap(void)
{
	static const role_fn roles[] = { swap_a, swap_b, swap_c };
	struct mxsys_update upd = { .src = 0 };
	int ret, tries;

	mxt_call_mask = GRANT_CALLS;
	if (start_children(3, roles, true))
		return 1;
	sync_wait();		/* B, after its first copy */
	sync_wait();		/* C, bound */
	/* A and C are quiescent once in their receive: wait for that. */
	upd.src = eps[0];
	upd.dst = eps[2];
	for (tries = 0; tries < 5000; tries++) {
		ret = mx(rs_fd, MXSYS_IOC_UPDATE, &upd);
		if (ret != -EBUSY)
			break;
		usleep(1000);
	}
	if (ret)
		return fail("UPDATE(A, C): %s", err_name(ret));
	/* Deaths are reported per slot: file them under the right child. */
	children[0].ep = eps[2];
	children[2].ep = eps[0];
	order_signal();
	if (wait_children(NULL))
		return 1;
	return pass();
}

static const struct mxt_test tests[] = {
	{ "copyfrom", test_copyfrom },
	{ "copyto", test_copyto },
	{ "wrong-grantee", test_wrong_grantee },
	{ "access", test_access },
	{ "range", test_range },
	{ "revoke", test_revoke },
	{ "bad-granter", test_bad_granter },
	{ "dead-granter", test_dead_granter },
	{ "calldenied", test_calldenied },
	{ "calldenied-setgrant", test_calldenied_setgrant },
	{ "set-args", test_set_args },
	{ "efault", test_efault },
	{ "table-full", test_table_full },
	{ "large", test_large },
	{ "any", test_any },
	{ "swap", test_swap },
};

int main(int argc, char **argv)
{
	return mxt_main(argc, argv, tests, MXT_ARRAY_SIZE(tests), "grant-test");
}
