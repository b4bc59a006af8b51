#!/bin/sh
# 15-netlink: the mxsys generic netlink family through nl-test: slot-table
# dump and SLOT_GET (without RS, across several skbs, in another pid
# namespace), slot events, strict attribute policies, who may do what,
# and the RS registration over several sockets. Each subcommand prints its
# own PASS/FAIL line; a run that dies without one counts as a failure. A
# subcommand that exits 77 with a SKIP line cannot run yet (it says why)
# and is reported as a comment, neither passed nor failed.
. /tests/lib.sh

NL_TEST=/tests/bin/nl-test

# run_test NAME: nl-test NAME, turned into one verdict.
run_test() {
	local t=$1 out rc
	out=$(mktemp /tmp/nl-test.XXXXXX)
	"$NL_TEST" "$t" >"$out" 2>&1
	rc=$?
	grep -v -e '^PASS:' -e '^FAIL:' -e '^SKIP:' "$out"
	if grep -q "^FAIL: $t:" "$out"; then
		t_fail "$t" "$(grep "^FAIL: $t:" "$out" | head -n 1 | sed "s/^FAIL: $t: //")"
	elif [ "$rc" -eq 0 ] && grep -q "^PASS: $t\$" "$out"; then
		t_pass "$t"
	elif [ "$rc" -eq 77 ] && grep -q "^SKIP: $t:" "$out"; then
		echo "# $(grep "^SKIP: $t:" "$out" | head -n 1)"
	else
		t_fail "$t" "nl-test $t exited $rc without a verdict"
	fi
	rm -f "$out"
}

# A table big enough for a dump that takes several skbs (dump-multi).
if ! mx_load nr_slots=1024; then
	t_fail netlink-load "mx_load nr_slots=1024 failed"
	exit 1
fi

# First, while nothing has touched the table: no RS, nothing bound.
run_test dump-empty

for t in $("$NL_TEST" list); do
	run_test "$t"
done

# Every test cleared the slots it used: the module unloads.
t_check netlink-unload mx_unload
t_summary
