#!/bin/sh
# 11-compat: the IPC and kernel-call tests again from a 32-bit program, so
# every ioctl goes through the module's compat path with the layouts the
# ABI promises (no pointers, 64-bit fields 8-aligned).
. /tests/lib.sh

IPC_TEST32=/tests/bin/ipc-test32

if ! mx_load; then
	t_fail compat-load "mx_load failed"
	exit 1
fi

t_run_prog "$IPC_TEST32" compat-

t_check compat-unload mx_unload
t_summary
