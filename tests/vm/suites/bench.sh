#!/bin/sh
# bench: mxsys SENDREC round trip against a pipe ping-pong, in one run
# (bench-ipc). Not part of `--suites all` (tests/vm/run leaves bench*.sh
# out); `make bench` runs it and prints its BENCH lines. The numbers get
# no verdict: the suite passes when the benchmark ran.
. /tests/lib.sh

if ! mx_load; then
	t_fail bench-load "mx_load failed"
	exit 1
fi
# Shows the BENCH lines on the console, where `make bench` finds them.
t_run_prog /tests/bin/bench-ipc bench-
t_check bench-unload mx_unload
t_summary
