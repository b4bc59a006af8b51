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

for t in $("$IPC_TEST" list); do
	out=$(mktemp /tmp/ipc-test.XXXXXX)
	"$IPC_TEST" "$t" >"$out" 2>&1
	rc=$?
	grep -v -e '^PASS:' -e '^FAIL:' "$out"
	if grep -q "^FAIL: $t:" "$out"; then
		t_fail "$t" "$(grep "^FAIL: $t:" "$out" | head -n 1 | sed "s/^FAIL: $t: //")"
	elif [ "$rc" -eq 0 ] && grep -q "^PASS: $t\$" "$out"; then
		t_pass "$t"
	else
		t_fail "$t" "ipc-test $t exited $rc without a verdict"
	fi
	rm -f "$out"
done

# Every test cleared the slots it used: the module unloads.
t_check ipc-unload mx_unload
t_summary
