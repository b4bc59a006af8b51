#!/bin/sh
# experiment-campaign: the full fault-injection experiment behind `make
# experiment` (not part of `--suites all`: tests/vm/run leaves
# experiment*.sh out). Three kinds of campaign:
#   minix    MINIX's run_swifi way: its 7 types (src, dst, ptr,
#            interface, loop, text, nop), 100 faults per injection, into
#            hello, kv (kv-server under kv-load), ds (the system's own
#            ds-daemon under a ds-test storm) and testsvc
#   single   one fault per injection, the same 7 types plus stop (a
#            breakpoint), while1 (an endless loop) and hang (SIGSTOP),
#            each watched for a second (--activation 1), into hello and
#            testsvc
#   replica  single's hello campaign again, hello started with a standby
#            replica (-p): what the replica buys in recovery time
# campaign_minix_runs injections per type in the minix campaigns (default
# 15: 7 x 15 x 100 = 10,500 faults into each target), campaign_runs in
# the others (default 10), seed campaign_seed (default 1), the kinds in
# campaign_kinds (default minix,single,replica,golden), the minix campaigns'
# targets in campaign_minix_targets (default hello,kv,ds,testsvc); all
# can be set on the kernel command line (make experiment MINIX_RUNS=N
# RUNS=N SEED=N CAMPAIGNS=LIST MINIX_TARGETS=LIST passes them with
# --append), which the kernel hands to
# /init as environment. rs-daemon runs with a heartbeat for ds (750 ms,
# the runner's period for its own targets): a fault that sends ds into an
# endless loop is then found and ds restarted, as any target. Its backoff
# period is 1 ms (-P 1, as in bench_kv): ds is the one target that is not
# a fresh service each run, and MINIX's backoff, whose count never
# decays, would have each of its recoveries wait 30 s after its fifth
# death; the recovery times are then the mechanism's, not that policy's
# (the other targets' first death never waits either way). Every run's
# CSV line goes to the console as "CAMPAIGN NAME LINE", and make
# experiment builds the report on the host; the tables are printed here
# too. The numbers get no verdict: the suite passes when every campaign
# ran and the system survived.
. /tests/lib.sh

RUNS=${campaign_runs:-10}
MINIX_RUNS=${campaign_minix_runs:-15}
SEED=${campaign_seed:-1}
KINDS=,${campaign_kinds:-minix,single,replica,golden},
MINIX_TARGETS=${campaign_minix_targets:-hello,kv,ds,testsvc}
MINIX_TYPES=src,dst,ptr,interface,loop,text,nop
SINGLE_TYPES=$MINIX_TYPES,stop,while1,hang

# The installed system.conf with a heartbeat for ds.
CONF=/tmp/exp-system.conf
awk '/^service ds$/ { ds = 1 } ds && /^};/ { print "\tperiod 750ms;"; ds = 0 } { print }' \
	/etc/minix/system.conf >"$CONF"
if ! grep -q 'period 750ms' "$CONF"; then
	t_fail experiment-setup "no ds entry to give a heartbeat in /etc/minix/system.conf"
	exit 1
fi
if ! mx_load || ! rs_start -c "$CONF" -P 1; then
	t_fail experiment-setup "module or rs-daemon did not start"
	exit 1
fi

echo "EXPERIMENT runs=$RUNS minix_runs=$MINIX_RUNS minix_targets=$MINIX_TARGETS seed=$SEED kinds=$KINDS"
# campaign NAME TARGET FAULTS RUNS TYPES [OPTION...], when NAME is asked for
campaign() {
	name=$1 target=$2 faults=$3 runs=$4 types=$5
	shift 5
	case $KINDS in *,"$name",*) ;; *) return 0 ;; esac
	out=/tmp/exp-$name-$target
	t_elapsed "$name $target start"
	if mxsys-campaign run --target "$target" --faults "$faults" --types "$types" \
		--runs "$runs" --seed "$SEED" --out "$out" --no-report "$@" \
		--emit "CAMPAIGN $name "; then
		t_pass "$name-$target"
	else
		t_fail "$name-$target" "mxsys-campaign run failed (see above)"
	fi
	mxsys-campaign report --no-plot "$out/runs.csv"
	t_elapsed "$name $target end"
}

for target in $(echo "$MINIX_TARGETS" | tr ',' ' '); do
	campaign minix "$target" 100 "$MINIX_RUNS" "$MINIX_TYPES"
done
campaign single hello 1 "$RUNS" "$SINGLE_TYPES" --activation 1
campaign single testsvc 1 "$RUNS" "$SINGLE_TYPES" --activation 1
campaign replica hello 1 "$RUNS" "$SINGLE_TYPES" --replica --activation 1
# MINIX's types again, each fault chosen among the functions a 3-second
# golden run saw entered, activation watched: against single's hello,
# what choosing among code that runs does to activated and manifested.
campaign golden hello 1 "$RUNS" "$MINIX_TYPES" --golden 3 --activation 1
campaign golden kv 1 "$RUNS" "$MINIX_TYPES" --golden 3 --activation 1

if svc status ds >/dev/null 2>&1 && kill -0 "$RS_PID"; then
	t_pass experiment-system-survived
else
	t_fail experiment-system-survived "ds or rs-daemon gone"
fi
rs_stop
t_check experiment-unload mx_unload
t_summary
