#!/bin/sh
# suite-timeout: 900
# 80-campaign: a small fault-injection campaign (mxsys-campaign) against
# hello (a /dev/hello reader; one fault of each of ten types) and testsvc
# (testclient; three types), kv (kv-server under kv-load; two types)
# and ds (ds-daemon under ds-test storm; nop and a crash by signal: ds
# has no heartbeat). It proves that the runner works end to end and that its
# output is whole; it asserts no timing and no rates:
#  - every run is recorded in runs.csv and runs.jsonl, with a class and
#    the fault's description, and the module, RS and DS survive;
#  - a hang (SIGSTOP) is detected by the heartbeat and recovered, a
#    breakpoint trap in code every request runs (stop into hello_read)
#    is a crash RS recovers;
#  - the report prints the table (a row per type and a total) and
#    gnuplot draws the plots (outcomes, recovery times, and the client's
#    throughput over time with a line at each injection);
#  - the trap is seen executed first (--activation);
#  - a golden run (--golden) sees the read path entered, and the code
#    faults then go only into functions it saw;
#  - with a standby replica (--replica) a hang is recovered;
#  - a wrong answer testsvc gives on purpose is a client-failure;
#  - the same seed plans the same faults (--dry-run twice).
# The CSV lines also go to the console (CAMPAIGN lines).
# Needs mxsys.ko, rs-daemon, hello, testsvc, testclient, kv-server,
# kv-load, ds-test, gnuplot.
. /tests/lib.sh

TYPES=src,dst,ptr,interface,loop,text,nop,stop,hang,while1
# testsvc gets fewer: the suite must stay well inside its time limit on a
# busy host, and the types are the same code paths of the runner.
TS_TYPES=nop,hang,while1
KV_TYPES=nop,hang
# ds has no heartbeat (the runner refuses hang and while1 there): a
# crash by signal instead.
DS_TYPES=nop,signal
# The debug kernel (KASAN, kmemleak) runs several times slower: fewer
# types there, the same checks.
KMEMLEAK=0
. /tests/harness.conf 2>/dev/null
if [ "$KMEMLEAK" = 1 ]; then
	TYPES=nop,text,hang
	TS_TYPES=hang
	KV_TYPES=hang
	DS_TYPES=signal
fi
# A shorter heartbeat and window than the defaults: the runs are the
# same, the suite takes less time.
FAST="--period 500 --window 2"
CLASSES=" not-injected not-manifested crash-recovered hang-recovered client-failure not-recovered os-failure "

if ! mx_load || ! rs_start; then
	t_fail campaign-setup "module or rs-daemon did not start"
	exit 1
fi

# check_campaign NAME DIR TYPES: the structure of a finished campaign.
check_campaign() {
	name=$1 dir=$2 types=$3
	ntypes=$(echo "$types" | tr ',' '\n' | grep -c .)
	lines=$(($(wc -l <"$dir/runs.csv") - 1))
	if [ "$lines" = "$ntypes" ] && [ "$(wc -l <"$dir/runs.jsonl")" = "$ntypes" ]; then
		t_pass "$name-every-run-recorded"
	else
		t_fail "$name-every-run-recorded" "$lines CSV lines, $(wc -l <"$dir/runs.jsonl") JSON lines for $ntypes runs"
	fi
	bad=
	for class in $(tail -n +2 "$dir/runs.csv" | awk -F, '{ print $21 }'); do
		case $CLASSES in *" $class "*) ;; *) bad="$bad $class" ;; esac
	done
	if [ -z "$bad" ]; then
		t_pass "$name-every-run-classified"
	else
		t_fail "$name-every-run-classified" "classes:$bad"
	fi
	if [ "$(grep -c '"fault":{"pid":' "$dir/runs.jsonl")" = "$ntypes" ]; then
		t_pass "$name-faults-described"
	else
		t_fail "$name-faults-described" "$(head -c 300 "$dir/runs.jsonl")"
	fi
	missing=
	for type in $(echo "$types" | tr ',' ' ') all; do
		grep -q "^[a-z]* *$type " "$dir/table.txt" || missing="$missing $type"
	done
	if [ -z "$missing" ] && grep -q 'manifested \[95% CI\]' "$dir/table.txt"; then
		t_pass "$name-table"
	else
		t_fail "$name-table" "no row for:$missing"
	fi
	if grep -q '<svg' "$dir/outcomes.svg" 2>/dev/null &&
		grep -q '<svg' "$dir/recovery.svg" 2>/dev/null &&
		grep -q '<svg' "$dir/throughput.svg" 2>/dev/null &&
		[ "$(wc -l <"$dir/injections.log")" = "$ntypes" ]; then
		t_pass "$name-plots"
	else
		t_fail "$name-plots" "$(ls "$dir" | tr '\n' ' ')"
	fi
	# The hang is RS's to find, through the heartbeat; the signal a
	# death RS recovers (a libsef service takes an asynchronous SEGV
	# through its signal manager, and RS ends it with SIGKILL, which
	# the runner counts as a hang: either class passes).
	case ,$types, in
	*,hang,*)
		hang=$(awk -F, '$3 == "hang" { print $21 }' "$dir/runs.csv")
		if [ "$hang" = hang-recovered ]; then
			t_pass "$name-hang-detected-and-recovered"
		else
			t_fail "$name-hang-detected-and-recovered" "hang run: '$hang'"
		fi ;;
	esac
	case ,$types, in
	*,signal,*)
		sig=$(awk -F, '$3 == "signal" { print $21 }' "$dir/runs.csv")
		case $sig in
		crash-recovered | hang-recovered) t_pass "$name-signal-recovered" ;;
		*) t_fail "$name-signal-recovered" "signal run: '$sig'" ;;
		esac ;;
	esac
	if ! grep -q ',os-failure,' "$dir/runs.csv" && svc status ds >/dev/null 2>&1 &&
		[ -c /dev/mxsys ] && kill -0 "$RS_PID"; then
		t_pass "$name-system-survived"
	else
		t_fail "$name-system-survived" "$(grep os-failure "$dir/runs.csv" | head -n 1)"
	fi
}

# ---- hello ---------------------------------------------------------------

out=/tmp/campaign-hello
if mxsys-campaign run $FAST --target hello --types "$TYPES" --runs 1 --seed 7 \
	--out "$out" --emit "CAMPAIGN " >/tmp/campaign-hello.log 2>&1; then
	t_pass hello-campaign-ran
else
	t_fail hello-campaign-ran "$(tail -n 3 /tmp/campaign-hello.log)"
fi
cat "$out/table.txt" 2>/dev/null
check_campaign hello "$out" "$TYPES"
# --emit also gives each run's injection and samples (make experiment's
# throughput plot): as many injection lines as runs, each run sampled.
runs=$(($(wc -l <"$out/runs.csv") - 1))
marks=$(grep -c '^CAMPAIGN timeline hello inject [0-9]* [0-9]* ' /tmp/campaign-hello.log)
sampled=$(sed -n 's/^CAMPAIGN timeline hello sample [0-9]* \([0-9]*\) [0-9]*$/\1/p' \
	/tmp/campaign-hello.log | sort -u | wc -l)
if [ "$runs" -gt 0 ] && [ "$marks" = "$runs" ] && [ "$sampled" = "$runs" ]; then
	t_pass hello-campaign-emits-timeline
else
	t_fail hello-campaign-emits-timeline "$runs runs, $marks injection lines, $sampled runs sampled"
fi

# A breakpoint in the code every read runs (seed 3 puts it on hello_read's
# common path): a crash, recovered; and the activation check sees the
# instruction reached before the trap.
out=/tmp/campaign-stop
if mxsys-campaign run $FAST --target hello --types stop --runs 1 --seed 3 \
	--function hello_read --activation 2 --out "$out" \
	--no-report >/tmp/campaign-stop.log 2>&1; then
	t_pass hello-trap-campaign-ran
else
	t_fail hello-trap-campaign-ran "$(tail -n 2 /tmp/campaign-stop.log)"
fi
last=$(tail -n 1 "$out/runs.csv" 2>/dev/null)
if [ "$(echo "$last" | awk -F, '{ print $21 }')" = crash-recovered ]; then
	t_pass hello-trap-crash-recovered
else
	t_fail hello-trap-crash-recovered "$last"
fi
if [ "$(echo "$last" | awk -F, '{ print $22 }')" = 1 ]; then
	t_pass hello-trap-activated
else
	t_fail hello-trap-activated "$last"
fi

# A golden run first (--golden): hello under its reader, no fault, its
# function entries under one-shot breakpoints. The read path is seen
# entered, main (long past) is not, hello is left serving, and every
# run's code fault is in a function the golden run saw entered.
out=/tmp/campaign-golden
if mxsys-campaign run $FAST --target hello --types nop,dst --runs 2 --seed 5 \
	--golden 2 --out "$out" --no-report >/tmp/campaign-golden.log 2>&1; then
	t_pass golden-campaign-ran
else
	t_fail golden-campaign-ran "$(tail -n 3 /tmp/campaign-golden.log)"
fi
if grep -qx 'reached hello_read' "$out/golden.txt" 2>/dev/null &&
	! grep -qx 'reached main' "$out/golden.txt"; then
	t_pass golden-saw-the-read-path
else
	t_fail golden-saw-the-read-path "$(head -n 12 "$out/golden.txt" 2>&1)"
fi
outside=$(tail -n +2 "$out/runs.csv" 2>/dev/null | cut -d, -f7 | sed 's/+.*//' |
	while read -r f; do grep -qx "reached $f" "$out/golden.txt" || echo "$f"; done)
if [ "$(($(wc -l <"$out/runs.csv") - 1))" = 4 ] && [ -z "$outside" ]; then
	t_pass golden-faults-in-code-that-ran
else
	t_fail golden-faults-in-code-that-ran "outside: '$outside'; $(cut -d, -f1-7 "$out/runs.csv" | tr '\n' ';')"
fi

# With a standby replica the hang is recovered too (by the replica).
out=/tmp/campaign-replica
if mxsys-campaign run $FAST --target hello --types hang --runs 1 --seed 2 \
	--replica --out "$out" --no-report >/tmp/campaign-replica.log 2>&1 &&
	[ "$(tail -n 1 "$out/runs.csv" | awk -F, '{ print $21 }')" = hang-recovered ]; then
	t_pass hello-replica-hang-recovered
else
	t_fail hello-replica-hang-recovered "$(tail -n 1 "$out/runs.csv" 2>/dev/null) $(tail -n 2 /tmp/campaign-replica.log)"
fi

# ---- testsvc -------------------------------------------------------------

out=/tmp/campaign-testsvc
if mxsys-campaign run $FAST --target testsvc --types "$TS_TYPES" --runs 1 --seed 7 \
	--out "$out" --emit "CAMPAIGN " >/tmp/campaign-testsvc.log 2>&1; then
	t_pass testsvc-campaign-ran
else
	t_fail testsvc-campaign-ran "$(tail -n 3 /tmp/campaign-testsvc.log)"
fi
cat "$out/table.txt" 2>/dev/null
check_campaign testsvc "$out" "$TS_TYPES"

# A wrong answer is the client's to see: testsvc answers wrong from its
# 30th request on, and the fault (a nop in expect_exit, test-harness code
# linked into testsvc that it never calls) does nothing by itself.
out=/tmp/campaign-wrong
if mxsys-campaign run $FAST --target testsvc --types nop --runs 1 --seed 5 \
	--function expect_exit --target-args wrong-from=30 --out "$out" \
	--no-report >/tmp/campaign-wrong.log 2>&1 &&
	[ "$(tail -n 1 "$out/runs.csv" | awk -F, '$15 > 0 { print $21 }')" = client-failure ]; then
	t_pass testsvc-wrong-answer-is-client-failure
else
	t_fail testsvc-wrong-answer-is-client-failure "$(tail -n 1 "$out/runs.csv" 2>/dev/null) $(tail -n 2 /tmp/campaign-wrong.log)"
fi

# ---- kv and ds -------------------------------------------------------------

# client_campaign TARGET TYPES: a small campaign, recorded and classified
# as the others, with the client answered in every run (client_ok,
# column 13).
client_campaign() {
	out=/tmp/campaign-$1
	if mxsys-campaign run $FAST --target "$1" --types "$2" --runs 1 --seed 7 \
		--out "$out" --emit "CAMPAIGN " >"/tmp/campaign-$1.log" 2>&1; then
		t_pass "$1-campaign-ran"
	else
		t_fail "$1-campaign-ran" "$(tail -n 3 "/tmp/campaign-$1.log")"
	fi
	cat "$out/table.txt" 2>/dev/null
	check_campaign "$1" "$out" "$2"
	if [ -z "$(tail -n +2 "$out/runs.csv" 2>/dev/null | awk -F, '$13 <= 0')" ] &&
		[ -s "$out/runs.csv" ]; then
		t_pass "$1-client-answered-each-run"
	else
		t_fail "$1-client-answered-each-run" "$(tail -n +2 "$out/runs.csv" 2>/dev/null | tr '\n' ';')"
	fi
}
# The example key/value server under kv-load.
client_campaign kv "$KV_TYPES"
# The system's ds-daemon under a ds-test storm client each run; ds is
# there at the end (the runner never takes it down: check_campaign).
client_campaign ds "$DS_TYPES"

# ---- the same seed, the same faults -------------------------------------

plan() {
	mxsys-campaign run --target hello --types nop,dst --runs 1 --seed 99 \
		--out "$1" --dry-run >/dev/null 2>"$1.err"
}
if plan /tmp/plan-a && plan /tmp/plan-b && [ -s /tmp/plan-a/plan.txt ] &&
	grep -q 'location=' /tmp/plan-a/plan.txt &&
	cmp -s /tmp/plan-a/plan.txt /tmp/plan-b/plan.txt; then
	t_pass same-seed-same-faults
else
	t_fail same-seed-same-faults "$(cat /tmp/plan-a/plan.txt /tmp/plan-b/plan.txt /tmp/plan-a.err 2>&1 | head -n 8)"
fi

rs_stop
t_check campaign-unload mx_unload
t_summary
