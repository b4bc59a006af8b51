#!/bin/sh
# 13-threads: the module's IPC rules for a process with several threads
# (the uapi header's THREADS section), through thread-test (a fake RS and
# multithreaded children using raw ioctls). Each subcommand prints its own
# PASS/FAIL line; a run that dies without one counts as a failure.
. /tests/lib.sh

if ! mx_load; then
	t_fail threads-load "mx_load failed"
	exit 1
fi

t_run_prog /tests/bin/thread-test

# Every test cleared the slots it used: the module unloads.
t_check threads-unload mx_unload
t_summary
