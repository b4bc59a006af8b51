#!/bin/sh
# experiment-campaign: the full fault-injection experiment behind `make
# experiment` (not part of `--suites all`: tests/vm/run leaves
# experiment*.sh out). For hello and testsvc, two campaigns:
#   minix    MINIX's run_swifi way: its 7 types (src, dst, ptr,
#            interface, loop, text, nop), 100 faults per injection
#   single   one fault per injection, the same 7 types plus stop (a
#            breakpoint), while1 (an endless loop) and hang (SIGSTOP),
#            each watched for a second (--activation 1)
#   replica  single's hello campaign again, hello started with a standby
#            replica (-p): what the replica buys in recovery time
# CAMPAIGN_RUNS injections per type (default 10), seed CAMPAIGN_SEED
# (default 1); both can be set on the kernel command line (make
# experiment RUNS=N SEED=N passes them with --append), which the kernel
# hands to /init as environment. Every run's CSV line goes to the console
# as "CAMPAIGN NAME LINE", and make experiment builds the report on the
# host; the tables are printed here too. The numbers get no verdict: the
# suite passes when every campaign ran and the system survived.
. /tests/lib.sh

RUNS=${campaign_runs:-10}
SEED=${campaign_seed:-1}
MINIX_TYPES=src,dst,ptr,interface,loop,text,nop
SINGLE_TYPES=$MINIX_TYPES,stop,while1,hang

if ! mx_load || ! rs_start; then
	t_fail experiment-setup "module or rs-daemon did not start"
	exit 1
fi

echo "EXPERIMENT runs=$RUNS seed=$SEED"
# campaign NAME TARGET FAULTS TYPES [OPTION...]
campaign() {
	name=$1 target=$2 faults=$3 types=$4
	shift 4
	out=/tmp/exp-$name-$target
	t_elapsed "$name $target start"
	if mxsys-campaign run --target "$target" --faults "$faults" --types "$types" \
		--runs "$RUNS" --seed "$SEED" --out "$out" --no-report "$@" \
		--emit "CAMPAIGN $name "; then
		t_pass "$name-$target"
	else
		t_fail "$name-$target" "mxsys-campaign run failed (see above)"
	fi
	mxsys-campaign report --no-plot "$out/runs.csv"
	t_elapsed "$name $target end"
}

campaign minix hello 100 "$MINIX_TYPES"
campaign minix testsvc 100 "$MINIX_TYPES"
campaign single hello 1 "$SINGLE_TYPES" --activation 1
campaign single testsvc 1 "$SINGLE_TYPES" --activation 1
campaign replica hello 1 "$SINGLE_TYPES" --replica --activation 1

if svc status ds >/dev/null 2>&1 && kill -0 "$RS_PID"; then
	t_pass experiment-system-survived
else
	t_fail experiment-system-survived "ds or rs-daemon gone"
fi
rs_stop
t_check experiment-unload mx_unload
t_summary
