#!/bin/sh
# 11-compat: the IPC, kernel-call and grant tests again from 32-bit
# programs, so every ioctl goes through the module's compat path with the
# layouts the ABI promises (no pointers, 64-bit fields 8-aligned).
. /tests/lib.sh


if ! mx_load; then
	t_fail compat-load "mx_load failed"
	exit 1
fi

t_run_prog /tests/bin/ipc-test32 compat-
t_run_prog /tests/bin/grant-test32 compat-grant-
t_run_prog /tests/bin/fd-test32 compat-fd-

t_check compat-unload mx_unload
t_summary
