#!/bin/sh
# 50-stress: randomized exactly-once test of mxsys IPC while servers are
# killed and restarted and their slots swapped (stress-test; the
# invariants are in tests/vm/progs/stress-test.c). Three runs: clients
# and servers of several threads each on the default table; the same
# with one thread each (the single-threaded rules, unchanged); and
# several threads again with nr_slots=1024 filled, so that the test uses
# its last slots.
#
# Each run prints its seed. To replay one, pass it to the guest:
#     tests/vm/run --suites 50-stress --append STRESS_SEED=N
# (STRESS_OPS=K, STRESS_ACTIONS=A and STRESS_THREADS=T likewise; the
# kernel hands unknown NAME=VALUE parameters to init as environment.)
. /tests/lib.sh

STRESS=/tests/bin/stress-test

# Three runs of two thirds of the work each of the suite's two runs did
# before the threads came: some 4 to 5 s a run on the Debian kernel under
# TCG on an idle host, up to 4 times that on a busy one (the threaded runs
# take about a third longer than the single-threaded one: 48 threads on
# two CPUs).
ops=${STRESS_OPS:-2000}
actions=${STRESS_ACTIONS:-270}
threads=${STRESS_THREADS:-3}
# The debug kernel (KASAN, lockdep; tests/vm/run gives it kmemleak=on) is
# about 15 times slower here: a fifth of the work, some 10 to 15 s a run
# (the fill of nr_slots=1024 takes longer than its run).
if [ -z "${STRESS_OPS:-}" ] && grep -q 'kmemleak=on' /proc/cmdline; then
	ops=400
	actions=${STRESS_ACTIONS:-80}
fi

# run_stress NAME [OPTION...]: one stress-test run, reported as NAME.
run_stress() {
	name=$1
	shift
	out=$(mktemp /tmp/stress.XXXXXX)
	"$STRESS" stress ops="$ops" actions="$actions" \
		${STRESS_SEED:+seed="$STRESS_SEED"} "$@" >"$out" 2>&1
	rc=$?
	grep -v -e '^PASS:' -e '^FAIL:' "$out"
	seed=$(sed -n 's/^# stress: seed=\([0-9]*\).*/\1/p' "$out" | head -n 1)
	if grep -q '^FAIL: stress:' "$out"; then
		t_fail "$name" "$(grep '^FAIL: stress:' "$out" | head -n 1 |
			sed 's/^FAIL: stress: //') [seed $seed]"
	elif [ "$rc" -eq 0 ] && grep -q '^PASS: stress$' "$out"; then
		t_pass "$name"
	else
		t_fail "$name" "stress-test exited $rc without a verdict [seed $seed]"
	fi
	rm -f "$out"
}

if ! mx_load; then
	t_fail stress-load "mx_load failed"
	exit 1
fi
run_stress stress threads="$threads"
# Every slot the run used was cleared: the module unloads.
t_check stress-unload mx_unload

if ! mx_load; then
	t_fail stress-1thread-load "mx_load failed"
	exit 1
fi
run_stress stress-1thread threads=1
t_check stress-1thread-unload mx_unload

if ! mx_load nr_slots=1024; then
	t_fail stress-1024-load "mx_load nr_slots=1024 failed"
	exit 1
fi
run_stress stress-1024 fill=max threads="$threads"
t_check stress-1024-unload mx_unload
t_summary
