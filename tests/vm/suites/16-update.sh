#!/bin/sh
# 16-update: slot swap (UPDATE), the PRIVCTL requests YIELD, CLEAR_IPC_REFS
# and UPDATE_SYS with PRIVCTL's privilege checks, and alarms (SETALARM) of
# mxsys.ko, through update-test (a fake RS and its children using raw
# ioctls). Each subcommand prints its own PASS/FAIL line; a run that dies
# without one counts as a failure.
. /tests/lib.sh

UPDATE_TEST=/tests/bin/update-test

if ! mx_load; then
	t_fail update-load "mx_load failed"
	exit 1
fi

t_run_prog "$UPDATE_TEST"

# Every test cleared the slots it used and no alarm is left armed: the
# module unloads.
t_check update-unload mx_unload
t_summary
