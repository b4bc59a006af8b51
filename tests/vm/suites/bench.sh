#!/bin/sh
# bench: measurements, each against a baseline taken in the same run.
#   ipc         mxsys SENDREC round trip against a pipe ping-pong, a UNIX
#               socket and a futex hand-over; then SENDREC with 1, 2, 4 and
#               8 client threads of one process, each against its own
#               server, against as many pipe ping-pong pairs (bench-ipc)
#   floor       one bare fork+exec+exit of the service binary: what any
#               restarter pays at least (testclient --floor)
#   recovery    crash-to-serving of a testsvc killed with SIGKILL as a
#               steady testclient sees it (the longest gap between two
#               answers; the client pauses 2 ms between requests), cold and
#               with a standby replica (-p), each the first crash of a fresh
#               service (no backoff); and the restart delay, from the
#               module's death event to the new instance serving; ratios
#               against the floor. The gap includes RS noticing the death,
#               the restart, the SEF init handshake and the client's retry
#               and pause; the restart delay leaves out the kill's delivery
#               and the client.
#   kill_to_alive (bench=recovery too)
#               one and the same program, restart-probe, under each
#               supervisor: from its SIGKILL (taken by the stopwatch,
#               restart-probe --kill) to the new instance's first sign of
#               life (its own CLOCK_MONOTONIC stamp in a file, so no
#               polling delay counts). Under a bare fork+exec loop (the
#               floor among restarters: waitpid wakes, fork, exec, dynamic
#               loading), s6-supervise and runsv the sign comes at the start
#               of main; they add their own bookkeeping, and s6-supervise a
#               fixed one-second pause before every respawn (pause_ms). Under
#               rs-daemon (cold and with a standby replica) it comes when
#               sef_startup returns, so it also holds RS's death handling,
#               the fork+exec (cold) or the slot swap (replica) and the SEF
#               init handshake; no client is involved, unlike
#               crash_to_serving. Ratios against the floor, the bare loop
#               and, for rs-daemon, s6 and runit. s6-supervise and runsv
#               come from the host (scripts/install-deps); a missing one
#               gives a `skipped=` line.
#   ds          a DS u32 publish and retrieve against a plain SENDREC, the
#               notify latency (a publish by one service to its
#               subscriber's ds_check) against the same SENDREC, and DS's
#               restart to serving with 10,000 and 100,000 keys against
#               an empty one, cold (a new ds-daemon replays the journal)
#               and with a standby that followed it
#   continuity  hello (with a standby replica) killed with SIGKILL while a
#               client opens and reads /dev/hello in a loop (hello-reader):
#               the longest one open-read-close waited and the failed
#               reads, against the replica crash-to-serving time above
#               (the target: stall <= that + 2 ms, 0 failures)
#   liveupdate  the blackout of `update self` (state through DS) under the
#               same load, against the floor and the cold crash
#   backoff     the delays of four crashes in a row (MINIX: 0, 2, 4, 8 s)
#   rs_takeover rs-daemon (a fresh one, -v, with 5 services) killed with
#               SIGKILL by rs-takeover: from its CLOCK_MONOTONIC stamp just
#               before the kill to the first `status rs` (sent over the
#               netlink path of minix-service, waiting in RS's kept socket)
#               answered by the standby that took over, so no polling
#               interval counts; against the replica crash-to-serving
#               (target: at most twice) and the replica kill-to-alive
#               above. The standbys' takeover timelines (rs-daemon -v)
#               follow as comments: where the time goes
# Not part of `--suites all` (tests/vm/run leaves bench*.sh out); `make
# bench` runs it and turns its BENCH lines into JSON. The numbers get no
# verdict: the suite passes when every measurement ran.
. /tests/lib.sh

SAMPLES=5

# median N...: the middle value (the lower one of an even count).
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}

# ratio A B: A / B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'
}

# ms US: milliseconds with one decimal.
ms() {
	awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'
}

# list_ms US...: "a,b,c" in ms.
# kv_value LINE KEY: the value of KEY=value in LINE.
kv_value() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

list_ms() {
	local v out=
	for v in "$@"; do
		out="$out,$(ms "$v")"
	done
	echo "${out#,}"
}

answered_at_least() {
	local n
	n=$(kv_get "$1" answered)
	[ -n "$n" ] && [ "$n" -ge "$2" ] &&
		{ [ -z "$3" ] || [ "$(kv_get "$1" pid)" = "$3" ]; }
}

# under_load TARGET ACTION...: a testclient loads TARGET while ACTION runs
# (after 100 answers); prints the longest gap between answers in us, once
# 50 more came from the process then serving TARGET. Else why it failed,
# and non-zero.
under_load() {
	local target=$1 stat=$TS_DIR/bcl.stat n pid
	shift
	rm -f "$stat"
	svc up "$TS_CLIENT" -label bcl -args "$target $stat" >/dev/null 2>&1 ||
		{ echo "client did not start"; return 1; }
	if ! wait_for 30 answered_at_least "$stat" 100; then
		svc down bcl >/dev/null 2>&1
		echo "client got no answers"
		return 1
	fi
	if ! "$@" >/tmp/bench-action.out 2>&1; then
		svc down bcl >/dev/null 2>&1
		echo "'$*' failed: $(tail -n 1 /tmp/bench-action.out)"
		return 1
	fi
	n=$(kv_get "$stat" answered)
	pid=$(svc_field "$target" pid)
	wait_for 60 answered_at_least "$stat" $((n + 50)) "$pid"
	svc down bcl >/dev/null 2>&1
	if [ "$(kv_get "$stat" lost)" != 0 ] || [ "$(kv_get "$stat" errors)" != 0 ] ||
		[ "$(kv_get "$stat" state)" != stopped ]; then
		echo "client: $(tr '\n' ' ' <"$stat")"
		return 1
	fi
	kv_get "$stat" max_gap_us
}

# kill_and_wait LABEL: SIGKILL it and wait for its next instance; the
# killed pid goes to $TS_DIR/LABEL.killed (this runs in a subshell).
kill_and_wait() {
	svc_read "$1" || return 1
	echo "$S_PID" >"$TS_DIR/$1.killed"
	kill -KILL "$S_PID"
	await_restart "$1" "$S_PID" "$S_RESTARTS" 60 || { echo "$AW_WHY"; return 1; }
}

# crash_bench REPLICA FLAGS: SAMPLES first crashes, each of a fresh service.
crash_bench() {
	local name=bench-crash-replica$1 label=bcrash$1 i gap gaps='' delays='' d
	for i in $(seq "$SAMPLES"); do
		if ! ts_up "$label" "$2" -- restart=own term=term >/dev/null 2>&1; then
			t_fail "$name" "up failed"
			return
		fi
		if [ "$1" = 1 ] &&
			! wait_for 20 eval "svc_read $label && [ \"\${S_REPLICA:-0}\" != 0 ]"; then
			t_fail "$name" "no standby replica"
			svc_down_all "$label"
			return
		fi
		if ! gap=$(under_load "$label" kill_and_wait "$label"); then
			t_fail "$name" "sample $i: $gap"
			svc_down_all "$label"
			return
		fi
		gaps="$gaps $gap"
		svc_read "$label"
		wait_for 10 ts_running "$label" "$S_PID"
		d=$(restart_delay_ms "$label" "$(cat "$TS_DIR/$label.killed")" "$S_PID") &&
			delays="$delays $d"
		svc down "$label" >/dev/null 2>&1
	done
	t_pass "$name"
	# shellcheck disable=SC2086
	gap=$(median $gaps)
	eval "CRASH_MEDIAN_$1=$gap"
	# bench_kv.sh, next in the same run, compares kv's stall with it.
	[ "$1" = 1 ] && echo "$gap" >/tmp/bench.replica_crash_us
	# shellcheck disable=SC2086
	echo "BENCH bench=recovery what=crash_to_serving replica=$1 samples=$SAMPLES median_ms=$(ms "$gap") samples_ms=$(list_ms $gaps) floor_ms=$(ms "$floor_us") ratio_floor=$(ratio "$gap" "$floor_us") restart_delay_median_ms=$(median $delays)"
}

# ---- continuity: a client of /dev/hello through a crash ----

HELLO=/usr/libexec/mxsys/hello

# hello_stall_bench: SAMPLES first crashes of a fresh hello with a replica.
hello_stall_bench() {
	local i stalls='' failed=0 out st reader
	for i in $(seq "$SAMPLES"); do
		rm -f /tmp/hello.stop
		if ! svc -p up "$HELLO" -label hello >/dev/null 2>&1 ||
			! wait_for 30 eval "test -c /dev/hello && svc_read hello && [ \"\${S_REPLICA:-0}\" != 0 ]"; then
			t_fail bench-hello-continuity "sample $i: hello with a replica did not come up"
			svc_down_all hello
			return
		fi
		/tests/bin/hello-reader /tmp/hello.stop >/tmp/hello.reader &
		reader=$!
		sleep 0.5
		svc_read hello
		kill -KILL "$S_PID"
		await_restart hello "$S_PID" "$S_RESTARTS" 30 || true
		sleep 0.5
		touch /tmp/hello.stop
		wait "$reader"
		out=$(cat /tmp/hello.reader)
		st=$(kv_value "$out" max_stall_us)
		stalls="$stalls $st"
		failed=$((failed + $(kv_value "$out" failed)))
		svc down hello >/dev/null 2>&1
	done
	t_pass bench-hello-continuity
	# shellcheck disable=SC2086
	st=$(median $stalls)
	echo "BENCH bench=continuity what=hello_read_stall samples=$SAMPLES median_ms=$(ms "$st") samples_ms=$(list_ms $stalls) failed=$failed replica_crash_ms=$(ms "$CRASH_MEDIAN_1") ratio_replica_crash=$(ratio "$st" "$CRASH_MEDIAN_1")"
}

# ---- kill to alive (restart-probe) ----

PROBE=/tests/bin/restart-probe
PROBE_DIR=/tmp/probe
# runsv holds back the restart of a service that ran less than a second:
# every sample kills an instance that ran longer.
PROBE_SETTLE_S=1.5
ALIVE_bare='' ALIVE_s6='' ALIVE_runit=''

alive_lines_at_least() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# probe_kill FILE: SIGKILL the instance that wrote FILE's last line; print
# the us from the kill to the next instance's line. Else why it failed,
# and non-zero.
probe_kill() {
	local out
	out=$("$PROBE" --kill "$1" 30 2>&1) || { echo "$out"; return 1; }
	out=${out#alive_us=}
	echo "${out%% *}"
}

# probe_stop FILE: SIGKILL the instance that wrote FILE's last line.
probe_stop() {
	local last
	last=$(tail -n 1 "$1" 2>/dev/null)
	[ -n "$last" ] && kill -KILL "${last##*pid=}" 2>/dev/null
}

# report_alive KEY WORDS US...: the BENCH line of one supervisor (WORDS:
# its key=value words); its median goes to ALIVE_KEY.
report_alive() {
	local key=$1 words=$2 med extra=''
	shift 2
	med=$(median "$@")
	eval "ALIVE_$key=$med"
	[ "$key" != bare ] && [ -n "$ALIVE_bare" ] &&
		extra=" ratio_bare=$(ratio "$med" "$ALIVE_bare")"
	case $key in
	rs*)
		[ -n "$ALIVE_s6" ] && extra="$extra ratio_s6=$(ratio "$med" "$ALIVE_s6")"
		[ -n "$ALIVE_runit" ] && extra="$extra ratio_runit=$(ratio "$med" "$ALIVE_runit")"
		;;
	esac
	echo "BENCH bench=recovery what=kill_to_alive $words binary=restart-probe samples=$# median_ms=$(ms "$med") samples_ms=$(list_ms "$@") floor_ms=$(ms "$floor_us") ratio_floor=$(ratio "$med" "$floor_us")$extra"
}

# supervised_bench KEY WORDS CMD...: CMD, started in the service
# directory $PROBE_DIR/KEY whose `run` is a symlink to the probe,
# supervises it; SAMPLES kills, each of an instance that ran
# PROBE_SETTLE_S. WORDS go into the BENCH line.
supervised_bench() {
	local key=$1 words=$2 dir=$PROBE_DIR/$1 log=$PROBE_DIR/$1.log pid i us
	local samples='' why=''
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	ln -s "$PROBE" "$dir/run"
	(cd "$dir" && exec "$@") </dev/null >"$log" 2>&1 &
	pid=$!
	for i in $(seq "$SAMPLES"); do
		if ! wait_for 10 alive_lines_at_least "$dir/alive" "$i"; then
			why="sample $i: no instance started: $(tail -n 1 "$log")"
			break
		fi
		sleep "$PROBE_SETTLE_S"
		if ! us=$(probe_kill "$dir/alive"); then
			why="sample $i: $us"
			break
		fi
		samples="$samples $us"
	done
	# The last restart done, stop the supervisor before its probe, so
	# that nothing starts another.
	[ -z "$why" ] && wait_for 10 alive_lines_at_least "$dir/alive" $((SAMPLES + 1))
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	probe_stop "$dir/alive"
	rm -rf "$dir" "$log"
	if [ -n "$why" ]; then
		t_fail "bench-restart-$key" "$why"
		return
	fi
	t_pass "bench-restart-$key"
	# shellcheck disable=SC2086
	report_alive "$key" "$words" $samples
}

# probe_skipped SUPERVISOR: it is not in the guest (the host lacks it:
# scripts/install-deps); say so where `make bench` shows it.
probe_skipped() {
	echo "BENCH bench=recovery what=kill_to_alive supervisor=$1 skipped=not_in_guest"
}

# rs_probe_bench REPLICA FLAGS: SAMPLES first crashes of the probe as an
# rs-daemon service, each of a fresh one (no backoff).
rs_probe_bench() {
	local key=rs$1 label=bprobe$1 file=$PROBE_DIR/bprobe$1.alive i us
	local samples='' why=''
	for i in $(seq "$SAMPLES"); do
		rm -f "$file"
		# shellcheck disable=SC2086
		if ! svc $2 up "$PROBE" -label "$label" -args "--sef $file" \
			>/dev/null 2>&1; then
			why="sample $i: up failed"
		elif ! wait_for 10 alive_lines_at_least "$file" 1; then
			why="sample $i: the probe never served"
		elif [ "$1" = 1 ] &&
			! wait_for 20 eval "svc_read $label && [ \"\${S_REPLICA:-0}\" != 0 ]"; then
			why="sample $i: no standby replica"
		elif ! us=$(probe_kill "$file"); then
			why="sample $i: $us"
		fi
		svc_down_all "$label"
		[ -n "$why" ] && break
		samples="$samples $us"
	done
	rm -f "$file"
	if [ -n "$why" ]; then
		t_fail "bench-restart-rs-replica$1" "$why"
		return
	fi
	t_pass "bench-restart-rs-replica$1"
	# shellcheck disable=SC2086
	report_alive "$key" "supervisor=rs-daemon replica=$1" $samples
}

lu_self() {
	svc update self -label "$1"
}

if ! mx_load; then
	t_fail bench-load "mx_load failed"
	exit 1
fi
# Shows the BENCH lines on the console, where `make bench` finds them.
t_run_prog /tests/bin/bench-ipc bench-

if ! rs_start; then
	t_fail bench-rs "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
ts_init
events_start || t_fail bench-events "minix-service monitor did not start (no restart delays)"

# ---- the floor ---------------------------------------------------------------

floor_us=$("$TS_CLIENT" --floor "$TS_SVC" 50 | sed -n 's/^floor_us=//p')
if [ -n "$floor_us" ]; then
	t_pass bench-floor
	echo "BENCH bench=floor what=fork_exec_exit binary=testsvc samples=50 median_ms=$(ms "$floor_us")"
else
	t_fail bench-floor "testclient --floor gave nothing"
	floor_us=0
fi

# ---- crash to serving ----------------------------------------------------------

CRASH_MEDIAN_0=0
crash_bench 0 ""
crash_bench 1 "-p"
hello_stall_bench

# ---- kill to alive: one probe under each supervisor ---------------------------

if [ -x "$PROBE" ]; then
	mkdir -p "$PROBE_DIR"
	chmod 0777 "$PROBE_DIR"
	supervised_bench bare supervisor=fork-exec "$PROBE" --bare ./run
	# s6-supervise waits one second after every death (after ./finish,
	# whether there is one or not) before it starts ./run again, however
	# long the service ran: its number is that pause plus its restart.
	if command -v s6-supervise >/dev/null; then
		supervised_bench s6 "supervisor=s6-supervise pause_ms=1000" \
			s6-supervise "$PROBE_DIR/s6"
	else
		probe_skipped s6-supervise
	fi
	if command -v runsv >/dev/null; then
		supervised_bench runit supervisor=runsv runsv "$PROBE_DIR/runit"
	else
		probe_skipped runsv
	fi
	rs_probe_bench 0 ""
	rs_probe_bench 1 "-p"
	rm -rf "$PROBE_DIR"
else
	t_fail bench-restart "$PROBE not built"
fi

# ---- live-update blackout ------------------------------------------------------

gaps=
if ts_up blu "" -- restart=own lu=ds term=term >/dev/null 2>&1; then
	for i in $(seq "$SAMPLES"); do
		if ! gap=$(under_load blu lu_self blu); then
			t_fail bench-lu-blackout "sample $i: $gap"
			gaps=
			break
		fi
		gaps="$gaps $gap"
	done
	if [ -n "$gaps" ]; then
		t_pass bench-lu-blackout
		# shellcheck disable=SC2086
		gap=$(median $gaps)
		# shellcheck disable=SC2086
		echo "BENCH bench=liveupdate what=blackout kind=self state=ds samples=$SAMPLES median_ms=$(ms "$gap") samples_ms=$(list_ms $gaps) floor_ms=$(ms "$floor_us") ratio_floor=$(ratio "$gap" "$floor_us") ratio_cold_crash=$(ratio "$gap" "$CRASH_MEDIAN_0")"
	fi
else
	t_fail bench-lu-blackout "up failed"
fi
svc_down_all blu

# ---- backoff -------------------------------------------------------------------

delays=
if ts_up bbo "" -- restart=own term=term >/dev/null 2>&1; then
	for i in 1 2 3 4; do
		if ! kill_and_wait bbo >/tmp/bench-bo.out; then
			t_fail bench-backoff "crash $i: $(cat /tmp/bench-bo.out)"
			delays=
			break
		fi
		svc_read bbo
		wait_for 10 ts_running bbo "$S_PID"
		delays="$delays,$(restart_delay_ms bbo "$(cat "$TS_DIR/bbo.killed")" "$S_PID")"
	done
	if [ -n "$delays" ]; then
		t_pass bench-backoff
		echo "BENCH bench=backoff what=restart_delays crashes=4 delays_ms=${delays#,} minix_s=0,2,4,8"
	fi
else
	t_fail bench-backoff "up failed"
fi
svc_down_all bbo

# ---- rs_takeover: RS's own death (issue 12) ----------------------------------------
# A fresh rs-daemon -v (its takeover timeline is a debug line) with a few
# services; rs-takeover kills it and times the first answer of the standby
# that took over, SAMPLES times.

rs_has_standby() {
	r=$(timeout 20 minix-service status rs 2>/dev/null | sed -n 's/^replica: //p')
	[ -n "$r" ] && [ "$r" != 0 ]
}

events_stop
rs_stop || t_fail bench-rs "rs_stop failed"
takeovers= why=
if rs_start -v; then
	for i in 1 2 3 4 5; do
		ts_up "brt$i" "" -- restart=own >/dev/null 2>&1 || why="up brt$i failed"
	done
	for i in $(seq "$SAMPLES"); do
		[ -n "$why" ] && break
		if ! wait_for 20 rs_has_standby; then
			why="sample $i: no standby; rs.log: $(tail -n 6 "$RS_LOG" | tr '\n' ' ')"
		elif ! out=$(/tests/bin/rs-takeover 30); then
			why="sample $i: $out"
		else
			echo "# rs_takeover sample $i: $out"
			takeovers="$takeovers $(kv_value "$out" takeover_us)"
		fi
	done
	# Where the time went: the standbys' own timelines (rs-daemon -v).
	grep -o 'takeover timeline.*' "$RS_LOG" | sed 's/^/# rs_takeover /'
	# rs_stop stops the RS serving now, which may be a standby that took over.
	RS_PID=$(timeout 20 minix-service status rs 2>/dev/null | sed -n 's/^pid: //p')
	svc_down_all brt1 brt2 brt3 brt4 brt5
	rs_stop || t_fail bench-rs "rs_stop failed"
else
	why="rs_start -v failed"
fi
if [ -z "$why" ]; then
	t_pass bench-rs-takeover
	# shellcheck disable=SC2086
	gap=$(median $takeovers)
	# shellcheck disable=SC2086
	echo "BENCH bench=rs_takeover what=kill_to_serving samples=$SAMPLES median_ms=$(ms "$gap") samples_ms=$(list_ms $takeovers) replica_crash_ms=$(ms "$CRASH_MEDIAN_1") ratio_replica_crash=$(ratio "$gap" "$CRASH_MEDIAN_1") replica_alive_ms=$(ms "${ALIVE_rs1:-0}") ratio_replica_alive=$(ratio "$gap" "${ALIVE_rs1:-0}") target_ratio=2"
else
	t_fail bench-rs-takeover "$why"
fi

# ---- ds: round trips and restart to serving (ds-test; issue 11) -------------
# A u32 publish and retrieve against a plain SENDREC to a testsvc, in the
# same client; the notify latency (publish by one service to the
# subscriber's ds_check) against the same SENDREC; then ds-daemon killed 3
# times with an empty store, 3 times with 10,000 keys and 3 times with
# 100,000 keys, each under a fresh rs-daemon -P 1 (the same backoff,
# 2, 4 and 8 ms, in both series): kill to the next DS answer, medians.
# Cold (minix-service unclone ds first): RS starts a new ds-daemon, which
# replays the whole journal. With a standby (system.conf's `standby`, the
# default for ds), the standby follows the journal and
# replays only the records committed since it last looked; between kills
# the next standby gets 2 s to catch up with the 100,000 keys.
ds_restart_series() {	# $1: tag, $2: keys to publish first, $3: standby
	rs_start -P 1 || return 1
	[ "$2" -gt 0 ] && dst_up "dsf$1" fill "$2" >/dev/null && dst_wait "dsf$1" 900
	pause=500
	if [ -n "$3" ]; then
		# system.conf's ds entry keeps one (`standby`): make sure.
		svc clone ds >/dev/null 2>&1
		pause=2000
		sleep 2
	else
		svc unclone ds >/dev/null 2>&1
	fi
	dst_up "dsr$1" restart 3 $pause >/dev/null && dst_wait "dsr$1" 300
	sed -n 's/^restart .*median_us=\([0-9]*\).*/\1/p' "$DSV_DIR/dsr$1.out"
	grep '^restart' "$DSV_DIR/dsr$1.out" >&2
	grep 'ds: took over' "$RS_LOG" >&2
	svc_down_all "dsf$1" "dsr$1"
	rs_stop
}
if rs_start; then
	ts_init
	ts_up bdsecho "" -- >/dev/null 2>&1
	dst_up dsbench bench 20000 bdsecho >/dev/null && dst_wait dsbench 600
	line=$(grep '^bench ' "$DSV_DIR/dsbench.out")
	pub=$(echo "$line" | sed -n 's/.*publish_ns=\([0-9]*\).*/\1/p')
	ret=$(echo "$line" | sed -n 's/.*retrieve_ns=\([0-9]*\).*/\1/p')
	raw=$(echo "$line" | sed -n 's/.*sendrec_ns=\([0-9]*\).*/\1/p')
	if [ -n "$raw" ] && [ "$raw" -gt 0 ]; then
		t_pass bench-ds-round-trip
		echo "BENCH bench=ds what=u32_round_trip publish_ns=$pub retrieve_ns=$ret sendrec_ns=$raw publish_per_sendrec=$(awk "BEGIN{printf \"%.2f\", $pub/$raw}") retrieve_per_sendrec=$(awk "BEGIN{printf \"%.2f\", $ret/$raw}") target_publish_per_sendrec=3"
	else
		t_fail bench-ds-round-trip "ds-test bench: $(tail -n 2 "$DSV_DIR/dsbench.out" | tr '\n' ' ')"
	fi
	# Notify latency: ping publishes, pong's ds_check sees it and
	# publishes back (ds-test notify); half a round against a SENDREC.
	dst_up dsnpong notify 2000 pong >/dev/null &&
		dst_up dsnping notify 2000 ping >/dev/null &&
		dst_wait dsnping 600
	note=$(sed -n 's/^notify .*notify_ns=\([0-9]*\).*/\1/p' "$DSV_DIR/dsnping.out")
	if [ -n "$note" ] && [ -n "$raw" ] && [ "$raw" -gt 0 ]; then
		t_pass bench-ds-notify
		echo "BENCH bench=ds what=notify_latency notify_ns=$note sendrec_ns=$raw notify_per_sendrec=$(awk "BEGIN{printf \"%.2f\", $note/$raw}")"
	else
		t_fail bench-ds-notify "ds-test notify: $(tail -n 2 "$DSV_DIR/dsnping.out" | tr '\n' ' ')"
	fi
	svc_down_all dsbench bdsecho dsnping dsnpong
	rs_stop
	empty=$(ds_restart_series e 0)
	mid=$(ds_restart_series m 10000)
	full=$(ds_restart_series f 100000)
	if [ -n "$empty" ] && [ -n "$mid" ] && [ -n "$full" ] && [ "$empty" -gt 0 ]; then
		t_pass bench-ds-restart
		echo "BENCH bench=ds what=restart_to_serving empty_ms=$(ms "$empty") keys10k_ms=$(ms "$mid") keys100k_ms=$(ms "$full") ratio_10k=$(ratio "$mid" "$empty") ratio_100k=$(ratio "$full" "$empty") target_ratio=2"
	else
		t_fail bench-ds-restart "empty '$empty' 10k '$mid' 100k '$full'"
	fi
	sempty=$(ds_restart_series se 0 standby)
	sfull=$(ds_restart_series sf 100000 standby)
	if [ -n "$sempty" ] && [ -n "$sfull" ] && [ "$empty" -gt 0 ] && [ "$sempty" -gt 0 ]; then
		t_pass bench-ds-restart-standby
		echo "BENCH bench=ds what=restart_to_serving_standby standby_empty_ms=$(ms "$sempty") standby_keys100k_ms=$(ms "$sfull") cold_empty_ms=$(ms "$empty") ratio_100k_standby_empty=$(ratio "$sfull" "$sempty") ratio_100k_cold_empty=$(ratio "$sfull" "$empty") target_ratio=2"
	else
		t_fail bench-ds-restart-standby "standby: empty '$sempty' 100k '$sfull'"
	fi
else
	t_fail bench-ds "rs_start failed"
fi

t_check bench-unload mx_unload
t_summary
