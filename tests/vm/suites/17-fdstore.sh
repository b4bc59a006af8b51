#!/bin/sh
# 17-fdstore: the module's fd store (the uapi header's THE FD STORE)
# through fd-test (a fake RS and its children using raw ioctls): store,
# fetch, remove, list; the store outlives the process and stays with the
# endpoint through UPDATE; CLEAR closes it; caps and refused cases; the
# module's reference; threads; the slot table and events.
. /tests/lib.sh

if ! mx_load; then
	t_fail fdstore-load "mx_load failed"
	exit 1
fi

t_run_prog /tests/bin/fd-test

# Every test cleared the slots it used: no file keeps the module.
t_check fdstore-unload mx_unload
t_summary
