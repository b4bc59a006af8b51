#!/bin/sh
# 15-netlink: the mxsys generic netlink family through nl-test: slot-table
# dump and SLOT_GET (without RS, across several skbs, in another pid
# namespace), slot events, strict attribute policies, who may do what,
# and the RS registration over several sockets. Each subcommand prints its
# own PASS/FAIL line; a run that dies without one counts as a failure.
. /tests/lib.sh

NL_TEST=/tests/bin/nl-test

# A table big enough for a dump that takes several skbs (dump-multi).
if ! mx_load nr_slots=1024; then
	t_fail netlink-load "mx_load nr_slots=1024 failed"
	exit 1
fi

# First, while nothing has touched the table: no RS, nothing bound.
t_run_one "$NL_TEST" dump-empty
t_run_prog "$NL_TEST"

# Every test cleared the slots it used: the module unloads.
t_check netlink-unload mx_unload
t_summary
