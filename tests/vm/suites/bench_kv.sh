#!/bin/sh
# bench_kv: kv-server (examples/kv, issue 13) under the same load and the
# same faults as the services users would pick instead. `make bench` runs
# it after bench.sh, in the same VM run; --suites all leaves it out.
#
#   throughput  kv-load (32 connections, 5 s, no fault, 3 rounds) against kv-server
#               run bare (standalone, its keys in files on tmpfs), under
#               rs-daemon with its keys in DS, and under rs-daemon with
#               the same files; ratios against bare (target >= 0.9).
#   crash       KV_EVENTS kill -9s of the server while kv-load runs, under
#               rs-daemon (with a standby replica), runsv (the server binds
#               its own socket) and s6-supervise with s6-fdholder holding
#               the listening socket; per supervisor: requests that had to
#               be sent again (a client without retries loses them),
#               requests never answered, wrong answers (the model's
#               verdict: a request applied twice, or a write lost),
#               connections lost per crash, and per crash the longest a
#               request waited: kv-load gets a SIGUSR1 just before each
#               crash and a SIGUSR2 WINDOW seconds later, and reports the
#               longest stall of each event's window (one request's
#               wait) and its longest blackout (no answer on any
#               connection: for a crash, last answer before it to first
#               after); their medians and maxima against bench.sh's
#               replica crash-to-serving time of the same run (target:
#               <= it + 2 ms). stall_before and blackout_before are the
#               longest before the first event: the host's noise, which
#               a stall carries whole and a blackout of 32 connections
#               hardly at all; stall_between the longest outside the
#               windows, while the harness checks that the server is back.
#   update      the same with live updates (minix-service update self)
#               against a restart by the supervisor (SIGTERM, then the
#               supervisor starts the binary again).
# rs-daemon runs with 1 ms backoff periods (-P 1) and kv-server with -c
# (backoff capped at one period): MINIX's backoff would make crash N wait
# 2^N s, which no supervisor here does. runsv restarts a service that ran
# less than a second after a second; s6-supervise always waits one second
# before a restart. kv-load sends a request again after 10 s without an
# answer (-r 10000), or at once on a new connection when its connection
# broke: `retried` counts what a client without retries would lose. The
# numbers get no verdict: the suite passes when
# every measurement ran.
. /tests/lib.sh

KV_SERVER=/usr/libexec/mxsys/kv-server
KV_LOAD=/usr/libexec/mxsys/kv-load
BINDER=/tests/bin/tcp-socketbinder
DIR=/tmp/kvb
KV_EVENTS=${KV_EVENTS:-5}
SETTLE=1.5		# s between two events: runsv's one-second rule
LOAD="-c 32 -k 8 -r 10000"

mkdir -p "$DIR"
val() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'
}
# bench.sh's replica crash-to-serving time, when it ran before us.
REPLICA_US=$(cat /tmp/bench.replica_crash_us 2>/dev/null)

# serving ADDR: a GET is answered.
serving() {
	kv -a "$1" -t 1 get bench-none >/dev/null 2>&1
	[ $? = 1 ]
}

# load_during ADDR NAME ACTION: kv-load on ADDR while ACTION runs
# KV_EVENTS times; its report in $DIR/NAME.out, the line in LOAD_LINE.
# Per event: ACTION_before (reads what the check needs), the mark
# (SIGUSR1), ACTION (the event alone: a kill, an update command), WINDOW
# seconds of nothing, the close (SIGUSR2), then ACTION_check (waits until
# it is over: a new process, serving) and SETTLE seconds. The harness
# starts no process inside the window, so what it does to check is not
# counted as the event's stall; the window is longer than any
# supervisor's restart, and a check that finds the server not serving yet
# at the close says so (the event's stall would be cut short).
WINDOW=3
load_during() {
	local addr=$1 name=$2 action=$3 i pid
	rm -f "$DIR/stop"
	# shellcheck disable=SC2086
	"$KV_LOAD" -a "$addr" $LOAD -s 13 -S "$DIR/stop" -p "$name" \
		>"$DIR/$name.out" 2>&1 &
	pid=$!
	sleep 2
	i=1
	while [ "$i" -le "$KV_EVENTS" ]; do
		"${action}_before"
		kill -USR1 "$pid"	# the event's window starts
		"$action" || echo "$name: event $i failed" >>"$DIR/$name.out"
		sleep "$WINDOW"
		kill -USR2 "$pid"	# and ends
		serving "$addr" ||
			echo "$name: event $i: not serving when its window closed" >>"$DIR/$name.out"
		"${action}_check" || echo "$name: event $i: no new process" >>"$DIR/$name.out"
		wait_for 30 serving "$addr"
		sleep "$SETTLE"
		i=$((i + 1))
	done
	touch "$DIR/stop"
	wait "$pid"
	LOAD_LINE=$(grep '^kv-load ' "$DIR/$name.out")
	if grep -q 'not serving when\|no new process\|failed$' "$DIR/$name.out"; then
		LOAD_LINE="$LOAD_LINE window_problem=1"
	fi
}

# ms_list LIST: a comma list of us in ms.
ms_list() {
	echo "$1" | tr ',' '\n' | awk '{ printf "%s%.1f", (NR > 1 ? "," : ""), $1 / 1000 }'
}
TABLE=$DIR/table
rm -f "$TABLE"
# report WHAT SUPERVISOR: the BENCH line of the last load_during, and its
# row of the table printed at the end.
report() {
	local l=$LOAD_LINE med max extra='' target=-
	if [ -z "$l" ] || [ "$(val "$l" events)" != "$KV_EVENTS" ] ||
		[ -n "$(val "$l" window_problem)" ]; then
		t_fail "bench-kv-$1-$2" "no report, not $KV_EVENTS events or an event not over in its window: ${l:-$(tail -n 2 "$DIR/$2-$1.out" 2>/dev/null)} $(grep 'event [0-9]' "$DIR/$2-$1.out" | tr '\n' ' ')"
		return
	fi
	t_pass "bench-kv-$1-$2"
	med=$(val "$l" stall_median_us) max=$(val "$l" stall_max_us)
	bmed=$(val "$l" blackout_median_us) bmax=$(val "$l" blackout_max_us)
	if [ -n "$REPLICA_US" ]; then
		target=$(ms $((REPLICA_US + 2000)))
		extra=" replica_crash_ms=$(ms "$REPLICA_US") stall_target_ms=$target stall_max_minus_replica_ms=$(ms $((max - REPLICA_US))) blackout_median_minus_replica_ms=$(ms $((bmed - REPLICA_US))) blackout_max_minus_replica_ms=$(ms $((bmax - REPLICA_US)))"
	fi
	echo "BENCH bench=kv what=$1 supervisor=$2 events=$KV_EVENTS conns=32 retried=$(val "$l" retried) retried_per_event=$(ratio "$(val "$l" retried)" "$KV_EVENTS") lost=$(val "$l" lost) lost_per_event=$(ratio "$(val "$l" lost)" "$KV_EVENTS") wrong=$(val "$l" wrong) conns_lost=$(val "$l" conns_lost) conns_lost_per_event=$(ratio "$(val "$l" conns_lost)" "$KV_EVENTS") dups=$(val "$l" dups) stall_median_ms=$(ms "$med") stall_max_ms=$(ms "$max") stall_before_ms=$(ms "$(val "$l" stall_before_us)") stall_between_ms=$(ms "$(val "$l" stall_between_us)") blackout_median_ms=$(ms "$bmed") blackout_max_ms=$(ms "$bmax") blackout_before_ms=$(ms "$(val "$l" blackout_before_us)") window_s=$WINDOW event_stalls_ms=$(ms_list "$(val "$l" event_stalls_us)") event_blackouts_ms=$(ms_list "$(val "$l" event_blackouts_us)") event_retried=$(val "$l" event_retried) event_conns_lost=$(val "$l" event_conns_lost) answered=$(val "$l" answered)$extra"
	printf '%-7s %-12s %6s %8s %9s %10s %9s %9s %9s %9s %9s\n' "$1" "$2" "$KV_EVENTS" \
		"$(ratio "$(val "$l" lost)" "$KV_EVENTS")" \
		"$(ratio "$(val "$l" retried)" "$KV_EVENTS")" \
		"$(ratio "$(val "$l" conns_lost)" "$KV_EVENTS")" \
		"$(ms "$med")" "$(ms "$max")" "$(ms "$bmed")" "$(ms "$bmax")" \
		"$target" >>"$TABLE"
}

# ---- throughput --------------------------------------------------------------

# rps ADDR NAME: kv-load's answers per second, no fault.
rps() {
	# shellcheck disable=SC2086
	"$KV_LOAD" -a "$1" $LOAD -s 7 -d 5 -p "$2" >"$DIR/$2.out" 2>&1
	val "$(grep '^kv-load ' "$DIR/$2.out")" rps
}

if ! mx_load || ! rs_start -P 1; then
	t_fail bench-kv-setup "module or rs-daemon did not start"
	exit 1
fi

# All three up at once, loaded in turn, ROUNDS times: the host's other
# load then weighs on each alike. The medians are compared.
ROUNDS=3
rm -rf "$DIR/bare.data" "$DIR/mx.data"
mkdir -p "$DIR/bare.data" "$DIR/mx.data"
"$KV_SERVER" standalone store=file:"$DIR/bare.data" tcp=127.0.0.1:7080 \
	unix=none 2>"$DIR/bare.log" &
bare_pid=$!
svc -c up "$KV_SERVER" -label kvds -args "tcp=127.0.0.1:7073 unix=none store=ds" >/dev/null 2>&1
svc -c up "$KV_SERVER" -label kvfile -args "tcp=127.0.0.1:7074 unix=none store=file:$DIR/mx.data" >/dev/null 2>&1
bare='' mx_ds='' mx_file=''
if wait_for 10 serving tcp:127.0.0.1:7080 && wait_for 30 serving tcp:127.0.0.1:7073 &&
	wait_for 30 serving tcp:127.0.0.1:7074; then
	for r in $(seq "$ROUNDS"); do
		bare="$bare $(rps tcp:127.0.0.1:7080 tbare$r)"
		mx_ds="$mx_ds $(rps tcp:127.0.0.1:7073 tds$r)"
		mx_file="$mx_file $(rps tcp:127.0.0.1:7074 tfile$r)"
	done
fi
kill "$bare_pid"
wait "$bare_pid" 2>/dev/null
svc_down_all kvds kvfile
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
list() { echo "$*" | tr ' ' ','; }
# shellcheck disable=SC2086
if [ "$(echo $bare $mx_ds $mx_file | wc -w)" = $((3 * ROUNDS)) ]; then
	t_pass bench-kv-throughput
	# shellcheck disable=SC2086
	b=$(median $bare) d=$(median $mx_ds) f=$(median $mx_file)
	# shellcheck disable=SC2086
	# The longest wait with no fault at all: the host's own noise, which
	# every max_stall below includes too.
	calm=0
	for out in "$DIR"/tbare*.out "$DIR"/tds*.out; do
		v=$(val "$(grep '^kv-load ' "$out")" max_stall_us)
		[ -n "$v" ] && [ "$v" -gt "$calm" ] && calm=$v
	done
	echo "BENCH bench=kv what=throughput conns=32 seconds=5 rounds=$ROUNDS no_fault_max_stall_ms=$(ms "$calm") bare_rps=$b mxsys_ds_rps=$d mxsys_file_rps=$f ratio_ds_bare=$(ratio "$d" "$b") ratio_file_bare=$(ratio "$f" "$b") target_ratio=0.9 bare_samples=$(list $bare) ds_samples=$(list $mx_ds) file_samples=$(list $mx_file)"
else
	t_fail bench-kv-throughput "bare '$bare' ds '$mx_ds' file '$mx_file': $(cat "$DIR"/t*.out | tr '\n' ' ')"
fi

# ---- mxsys: kills and live updates -------------------------------------------

mx_kill_before() { svc_read kv; }
mx_kill() { kill -9 "$S_PID"; }
mx_kill_check() { await_restart kv "$S_PID" "$S_RESTARTS" 30; }
mx_update_before() { :; }
mx_update() { svc update self -label kv >/dev/null 2>&1; }
mx_update_check() { :; }
if svc -c -p up "$KV_SERVER" -label kv -args "tcp=127.0.0.1:7070 unix=none store=ds" &&
	wait_for 30 serving tcp:127.0.0.1:7070 &&
	wait_for 20 eval "svc_read kv && [ \"\${S_REPLICA:-0}\" != 0 ]"; then
	load_during tcp:127.0.0.1:7070 mxsys-crash mx_kill
	report crash mxsys
	load_during tcp:127.0.0.1:7070 mxsys-update mx_update
	report update mxsys
else
	t_fail bench-kv-mxsys "kv-server did not come up with a replica"
fi
svc_down_all kv
rs_stop

# ---- runsv: the server binds its own socket ------------------------------------

# server_pid: the server's pid, the child of the supervisor SUP_PID.
server_pid() {
	_t_children "$SUP_PID" | head -n 1
}
sup_kill_before() { SUP_OLD=$(server_pid); }
sup_kill() { [ -n "$SUP_OLD" ] && kill -9 "$SUP_OLD"; }
# sup_kill_check: the supervisor runs a new server process.
sup_kill_check() {
	wait_for 30 eval "[ -n \"\$(server_pid)\" ] && [ \"\$(server_pid)\" != $SUP_OLD ]"
}

if command -v runsv >/dev/null; then
	rm -rf "$DIR/runit" "$DIR/runit.data"
	mkdir -p "$DIR/runit" "$DIR/runit.data"
	printf '#!/bin/sh\nexec %s standalone store=file:%s tcp=127.0.0.1:7081 unix=none\n' \
		"$KV_SERVER" "$DIR/runit.data" >"$DIR/runit/run"
	chmod +x "$DIR/runit/run"
	runsv "$DIR/runit" </dev/null >"$DIR/runsv.log" 2>&1 &
	SUP_PID=$!
	runit_restart_before() { sup_kill_before; }
	runit_restart() { printf t >"$DIR/runit/supervise/control"; }
	runit_restart_check() { sup_kill_check; }
	if wait_for 10 serving tcp:127.0.0.1:7081; then
		sleep "$SETTLE"
		load_during tcp:127.0.0.1:7081 runsv-crash sup_kill
		report crash runsv
		load_during tcp:127.0.0.1:7081 runsv-update runit_restart
		report update runsv
	else
		t_fail bench-kv-runsv "kv-server under runsv does not serve: $(cat "$DIR/runsv.log")"
	fi
	p=$(server_pid)
	kill -KILL "$SUP_PID" 2>/dev/null
	wait "$SUP_PID" 2>/dev/null
	[ -n "$p" ] && kill -KILL "$p"
else
	echo "BENCH bench=kv supervisor=runsv skipped=not_in_guest"
fi

# ---- s6-supervise + s6-fdholder: the supervisor side holds the socket ----------

if command -v s6-supervise >/dev/null && command -v s6-fdholder-daemon >/dev/null &&
	[ -x "$BINDER" ]; then
	rm -rf "$DIR/s6" "$DIR/s6.data" "$DIR/rules" "$DIR/fdh.sock"
	mkdir -p "$DIR/s6" "$DIR/s6.data" "$DIR/rules/uid/0/env"
	touch "$DIR/rules/uid/0/allow"
	echo '^socket:' >"$DIR/rules/uid/0/env/S6_FDHOLDER_STORE_REGEX"
	echo '^socket:' >"$DIR/rules/uid/0/env/S6_FDHOLDER_RETRIEVE_REGEX"
	s6-fdholder-daemon -i "$DIR/rules" "$DIR/fdh.sock" </dev/null \
		>"$DIR/fdholder.log" 2>&1 &
	fdh_pid=$!
	wait_for 10 test -S "$DIR/fdh.sock"
	"$BINDER" 127.0.0.1:7082 s6-fdholder-store "$DIR/fdh.sock" socket:kv \
		>>"$DIR/fdholder.log" 2>&1
	printf '#!/bin/sh\nexec s6-fdholder-retrieve %s socket:kv %s standalone listen-fd=0 unix=none store=file:%s\n' \
		"$DIR/fdh.sock" "$KV_SERVER" "$DIR/s6.data" >"$DIR/s6/run"
	chmod +x "$DIR/s6/run"
	s6-supervise "$DIR/s6" </dev/null >"$DIR/s6.log" 2>&1 &
	SUP_PID=$!
	s6_restart_before() { sup_kill_before; }
	s6_restart() { s6-svc -r "$DIR/s6"; }
	s6_restart_check() { sup_kill_check; }
	if wait_for 10 serving tcp:127.0.0.1:7082; then
		load_during tcp:127.0.0.1:7082 s6-crash sup_kill
		report crash s6-fdholder
		load_during tcp:127.0.0.1:7082 s6-update s6_restart
		report update s6-fdholder
	else
		t_fail bench-kv-s6 "kv-server under s6 does not serve: $(cat "$DIR/s6.log" "$DIR/fdholder.log")"
	fi
	p=$(server_pid)
	kill -KILL "$SUP_PID" 2>/dev/null
	wait "$SUP_PID" 2>/dev/null
	[ -n "$p" ] && kill -KILL "$p"
	kill "$fdh_pid" 2>/dev/null
	wait "$fdh_pid" 2>/dev/null
else
	echo "BENCH bench=kv supervisor=s6-fdholder skipped=not_in_guest"
fi

# The three supervisors side by side: per event (crash or update),
# requests lost and sent again and connections lost, and the median and
# largest of the events' longest stalls and blackouts, against the
# replica target.
echo "bench_kv: per event, $KV_EVENTS events each, 32 connections (ms)"
printf '%-7s %-12s %6s %8s %9s %10s %9s %9s %9s %9s %9s\n' event supervisor events \
	lost/ev retried/ev connlost/ev stall_med stall_max black_med black_max target
cat "$TABLE" 2>/dev/null
t_check bench-kv-unload mx_unload
t_summary
