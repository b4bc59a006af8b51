#!/bin/sh
# suite-timeout: 900
# 77-kill-every: MINIX's kill-every-second experiment (Herder et al.,
# issue 14 item 4a) on kv-server (examples/kv) under a steady kv-load:
# the server is killed (SIGKILL) every second, then every 100 ms, and the
# load's throughput is reported relative to the same load with no kills;
# under rs-daemon (the keys in DS, the sockets and connections in the fd
# store) and side by side under runit's runsv restarting the same binary
# (the server binds its own socket, its keys in files). Here in make
# check at a small size (KILL_SECONDS=3 per phase): it proves the
# experiment runs and its lines are whole, and that under mxsys a kill a
# second loses no request and gives no wrong answer; it asserts no rate.
# experiment-kill runs it at full size (make experiment).
#
# Each phase prints one line
#   KILLEXP supervisor=S interval_ms=I seconds=D kills=N rps=R ratio=X
#           sent= answered= lost= wrong= retried= conns_lost=
# (interval_ms=0: no kills; ratio: rps over the no-kill rps of the same
# supervisor) and the suite ends with the table. kills counts the
# processes killed: the loop finds the server with pidof and kills a pid
# once, so an interval shorter than the restart kills fewer than D/I.
# rs-daemon runs with 1 ms backoff periods (-P 1) and the server with -c
# (backoff capped at one period), as in bench_kv, and with -b: MINIX takes
# a death during a service's init as final (a binary that cannot start),
# and a kill every 100 ms lands in a restart's init now and then; -b
# (MINIX's SF_NO_BIN_EXP) restarts it instead, on the same endpoint with
# its fd store. Without it the first such kill ends the service, and its
# connections with it. runsv restarts a service that ran less than a
# second after a second.
# Needs mxsys.ko, rs-daemon, ds-daemon, kv-server, kv, kv-load; runsv
# (the runsv phases are skipped without it).
. /tests/lib.sh

KV_SERVER=/usr/libexec/mxsys/kv-server
KV_LOAD=/usr/libexec/mxsys/kv-load
DIR=/tmp/killexp
KILL_SECONDS=${KILL_SECONDS:-3}
KILL_INTERVALS=${KILL_INTERVALS:-1000 100}
LOAD="-c 16 -k 8 -r 10000"

rm -rf "$DIR"
mkdir -p "$DIR"
val() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'
}
serving() {
	kv -a "$1" -t 1 get killexp-none >/dev/null 2>&1
	[ $? = 1 ]
}

# killer MS: kill -9 every kv-server every MS ms until $DIR/stop; the
# number of processes killed in $DIR/kills.
killer() {
	local n=0 p last='' pause
	pause=$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')
	while [ ! -e "$DIR/stop" ]; do
		sleep "$pause"
		p=$(pidof kv-server)
		if [ -n "$p" ] && [ "$p" != "$last" ]; then
			# shellcheck disable=SC2086
			kill -9 $p 2>/dev/null && n=$((n + 1))
			last=$p
		fi
	done
	echo "$n" >"$DIR/kills"
}

TABLE=$DIR/table
# phase SUPERVISOR ADDR INTERVAL_MS: kv-load for KILL_SECONDS with the
# server killed every INTERVAL_MS (0: never); sets RPS.
phase() {
	local sup=$1 addr=$2 ms=$3 out="$DIR/$1-$3.out" kpid='' line kills=0 r
	rm -f "$DIR/stop" "$DIR/kills"
	# shellcheck disable=SC2086
	"$KV_LOAD" -a "$addr" $LOAD -s 77 -S "$DIR/stop" -p "K$sup$ms" >"$out" 2>&1 &
	lpid=$!
	if [ "$ms" -gt 0 ]; then
		killer "$ms" &
		kpid=$!
	fi
	sleep "$KILL_SECONDS"
	touch "$DIR/stop"
	[ -n "$kpid" ] && wait "$kpid" && kills=$(cat "$DIR/kills")
	wait_for 30 serving "$addr"
	wait "$lpid"
	line=$(grep '^kv-load ' "$out")
	if [ -z "$line" ]; then
		t_fail "killexp-$sup-$ms" "no report: $(tail -n 2 "$out")"
		RPS=0
		return
	fi
	RPS=$(val "$line" rps)
	[ "$ms" = 0 ] && BASE=$RPS
	r=$(ratio "$RPS" "$BASE")
	echo "KILLEXP supervisor=$sup interval_ms=$ms seconds=$KILL_SECONDS kills=$kills rps=$RPS ratio=$r sent=$(val "$line" sent) answered=$(val "$line" answered) lost=$(val "$line" lost) wrong=$(val "$line" wrong) retried=$(val "$line" retried) conns_lost=$(val "$line" conns_lost)"
	printf '%-8s %10s %6s %7s %6s %5s %6s %9s\n' "$sup" "$ms" "$kills" \
		"$RPS" "$r" "$(val "$line" lost)" "$(val "$line" wrong)" \
		"$(val "$line" conns_lost)" >>"$TABLE"
	t_pass "killexp-$sup-$ms"
}

# phases SUPERVISOR ADDR: no kills, then each interval.
phases() {
	local ms
	phase "$1" "$2" 0
	for ms in $KILL_INTERVALS; do
		phase "$1" "$2" "$ms"
	done
}

# ---- mxsys ---------------------------------------------------------------------

if ! mx_load || ! rs_start -P 1; then
	t_fail killexp-setup "module or rs-daemon did not start"
	exit 1
fi
echo "KILLEXP seconds=$KILL_SECONDS intervals=$(echo "$KILL_INTERVALS" | tr ' ' ,) load=$(echo "$LOAD" | tr ' ' _)"
if svc -c -b up "$KV_SERVER" -label kvkill -args "tcp=127.0.0.1:7077 unix=none store=ds" >/dev/null &&
	wait_for 30 serving tcp:127.0.0.1:7077; then
	phases mxsys tcp:127.0.0.1:7077
else
	t_fail killexp-mxsys "kv-server did not come up"
fi
# Still the one service, whatever the kills hit (its init included).
if svc status kvkill >/dev/null 2>&1; then
	t_pass killexp-mxsys-service-survived
else
	t_fail killexp-mxsys-service-survived "kvkill is gone: $(grep -a 'kvkill' "$RS_LOG" | tail -n 5 | tr '\n' ';')"
fi
echo "kill-every: kills that landed in an init (rs-daemon retried them): $(grep -ac 'died during init' "$RS_LOG")"
svc_down_all kvkill
rs_stop

# ---- runsv ---------------------------------------------------------------------

if command -v runsv >/dev/null; then
	mkdir -p "$DIR/runit" "$DIR/runit.data"
	printf '#!/bin/sh\nexec %s standalone store=file:%s tcp=127.0.0.1:7078 unix=none\n' \
		"$KV_SERVER" "$DIR/runit.data" >"$DIR/runit/run"
	chmod +x "$DIR/runit/run"
	runsv "$DIR/runit" </dev/null >"$DIR/runsv.log" 2>&1 &
	sup_pid=$!
	if wait_for 10 serving tcp:127.0.0.1:7078; then
		phases runsv tcp:127.0.0.1:7078
	else
		t_fail killexp-runsv "kv-server under runsv does not serve: $(cat "$DIR/runsv.log")"
	fi
	kill -KILL "$sup_pid" 2>/dev/null
	wait "$sup_pid" 2>/dev/null
	p=$(pidof kv-server)
	# shellcheck disable=SC2086
	[ -n "$p" ] && kill -KILL $p
else
	echo "KILLEXP supervisor=runsv skipped=not_in_guest"
fi

# The table: every line whole (a number in each column).
echo "kill-every: kv-load throughput, the server killed every interval_ms (0: never), $KILL_SECONDS s each"
printf '%-8s %10s %6s %7s %6s %5s %6s %9s\n' supervisor interval_ms kills rps ratio lost wrong conns_lost
cat "$TABLE" 2>/dev/null
bad=$(awk 'NF != 8 || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ || $4 !~ /^[0-9]+$/ || $5 !~ /^[0-9.]+$/ { print }' "$TABLE" 2>/dev/null)
rows=$(wc -l <"$TABLE" 2>/dev/null || echo 0)
want=$((($(echo "$KILL_INTERVALS" | wc -w) + 1) * $(command -v runsv >/dev/null && echo 2 || echo 1)))
if [ -z "$bad" ] && [ "$rows" = "$want" ]; then
	t_pass killexp-table-well-formed
else
	t_fail killexp-table-well-formed "$rows rows, want $want; bad: $bad"
fi
# What mxsys promises at any interval: no request lost, no wrong answer,
# no connection lost.
if [ -n "$(awk '$1 == "mxsys"' "$TABLE")" ] &&
	[ -z "$(awk '$1 == "mxsys" && ($6 != 0 || $7 != 0 || $8 != 0)' "$TABLE")" ]; then
	t_pass killexp-mxsys-nothing-lost-or-wrong
else
	t_fail killexp-mxsys-nothing-lost-or-wrong "$(awk '$1 == "mxsys"' "$TABLE" | tr '\n' ';')"
fi
t_check killexp-unload mx_unload
t_summary
