#!/bin/sh
# 12-grant: memory grants of mxsys.ko (SETGRANT, SAFECOPYFROM/TO) and
# libsef's cpf_grant_direct, cpf_revoke and sys_safecopyfrom/to, through
# grant-test (a fake RS whose children grant and copy). Each subcommand
# prints its own PASS/FAIL line; a run that dies without one counts as a
# failure.
. /tests/lib.sh

GRANT_TEST=/tests/bin/grant-test

if ! mx_load; then
	t_fail grant-load "mx_load failed"
	exit 1
fi

t_run_prog "$GRANT_TEST"

# Every test cleared the slots it used, and the grant tables went with
# their processes: the module unloads.
t_check grant-unload mx_unload
t_summary
