#!/bin/sh
# 10-ipc: MINIX IPC and kernel calls of mxsys.ko, through ipc-test (a fake
# RS and its children using raw ioctls). Each subcommand prints its own
# PASS/FAIL line; a run that dies without one counts as a failure.
. /tests/lib.sh

IPC_TEST=/tests/bin/ipc-test

if ! mx_load; then
	t_fail ipc-load "mx_load failed"
	exit 1
fi

t_run_prog "$IPC_TEST"

# Every test cleared the slots it used: the module unloads.
t_check ipc-unload mx_unload
t_summary
