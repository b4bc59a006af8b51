#!/bin/sh
# 60-recovery: crash recovery as MINIX's testrelpol.sh checks it, and more.
#   restart policy   a crash by fi, kill -9 or exit() keeps the endpoint and
#                    adds one restart (restart callback of our own, and
#                    SEF_CB_INIT_RESTART_STATEFUL); DS data survives
#   reset policy     the default restart callback: new endpoint, restarts+1,
#                    the service's DS keys are gone
#   replica (-p)     the standby replica takes over, a new one appears
#   backoff          later crashes wait (flag D), -b waits one period;
#                    the delays are printed, never asserted
#   heartbeat        a SIGSTOPped service is killed and restarted
#   steady client    requests through crashes: none lost
# MEASURE lines (restart delays, crash-to-serving) carry numbers, no verdict.
#
# Needs mxsys.ko, rs-daemon, minix-service, /tests/bin/{testsvc,testclient}.
. /tests/lib.sh

RESTART_WAIT=30	# s; the longest backoff here is 4 s

crash_why=
# crash LABEL HOW: end LABEL's process $S_PID (from svc_read) by HOW:
# fi, kill9, exit (exit(5) from the service) or stop (SIGSTOP).
crash() {
	local out=/tmp/60-crash.out rc
	case $2 in
	fi)
		svc "fi" "$1" >"$out" 2>&1
		rc=$?
		if [ "$rc" != 0 ]; then
			crash_why="minix-service fi $1 exited $rc: $(tail -n 1 "$out")"
			return 1
		fi ;;
	kill9) kill -KILL "$S_PID" ;;
	exit) ts_cmd "$1" "exit 5" ;;
	stop) kill -STOP "$S_PID" ;;
	spin) ts_cmd "$1" spin ;;
	held) ts_cmd "$1" crash-holding ;;
	esac
}

# restart_case NAME LABEL HOW same|new: crash LABEL by HOW, wait for its
# next instance, check restarts + 1 and the endpoint rule. Leaves OLD_PID,
# NEW_PID, OLD_REPLICA, OLD_RESTARTS, SAW_D; non-zero when there was no
# restart.
restart_case() {
	local name=$1 label=$2 how=$3 rule=$4 old_ep old_restarts
	if ! svc_read "$label"; then
		t_fail "$name-restarted" "$label is not up"
		return 1
	fi
	OLD_PID=$S_PID
	OLD_REPLICA=$S_REPLICA
	OLD_RESTARTS=$S_RESTARTS
	old_ep=$S_ENDPOINT
	old_restarts=$S_RESTARTS
	if ! crash "$label" "$how"; then
		t_fail "$name-restarted" "$crash_why"
		return 1
	fi
	if ! await_restart "$label" "$OLD_PID" "$old_restarts" "$RESTART_WAIT"; then
		t_fail "$name-restarted" "no new instance ${RESTART_WAIT} s after $how of pid $OLD_PID (restarts $old_restarts): $AW_WHY"
		return 1
	fi
	t_pass "$name-restarted"
	NEW_PID=$S_PID
	SAW_D=$AW_SAW_D
	if [ "$S_RESTARTS" = $((old_restarts + 1)) ]; then
		t_pass "$name-restarts-plus-one"
	else
		t_fail "$name-restarts-plus-one" "restarts $old_restarts became $S_RESTARTS"
	fi
	if [ "$rule" = same ] && [ "$S_ENDPOINT" = "$old_ep" ]; then
		t_pass "$name-same-endpoint"
	elif [ "$rule" = new ] && [ -n "$S_ENDPOINT" ] && [ "$S_ENDPOINT" != "$old_ep" ]; then
		t_pass "$name-new-endpoint"
	else
		t_fail "$name-$rule-endpoint" "endpoint $old_ep became $S_ENDPOINT"
	fi
	return 0
}

# The delay from OLD_PID's death to NEW_PID serving, in ms ("?" unknown).
delay_of() {
	wait_for 10 ts_running "$1" "$NEW_PID"
	restart_delay_ms "$1" "$OLD_PID" "$NEW_PID" || echo "?"
}

pid_gone() {
	! _t_alive "$1"
}

cleanup_labels="rpol rstf rrst rrep hbstop hbspin load loadp lcl ldrop ldc"

if ! mx_load; then
	t_fail recovery-setup "mx_load failed"
	exit 1
fi
if ! rs_start; then
	t_fail recovery-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
ts_init
events_start || t_fail recovery-setup "minix-service monitor did not start (exit statuses and delays unknown)"

t_elapsed "section 1"
# ---- 1. restart policy: fi, kill -9, exit(); backoff between them -------

# No -b: the 2nd and 3rd crash wait 2 and 4 periods (MINIX's backoff).
if t_check rpol-up ts_up rpol "" -- restart=own term=term; then
	svc_read rpol
	if [ "$S_POLICY" = restart ]; then
		t_pass rpol-policy-restart
	else
		t_fail rpol-policy-restart "status says policy '$S_POLICY'"
	fi
	delays=
	if restart_case rpol-fi rpol "fi" same; then
		delays=$(delay_of rpol)
		restarts=$(ts_value rpol init restarts "$NEW_PID")
		type=$(ts_value rpol init type "$NEW_PID")
		if [ "$type" = restart ] && [ "$restarts" = 1 ]; then
			t_pass rpol-fi-init-restart
		else
			t_fail rpol-fi-init-restart "new instance's init: type '$type' restarts '$restarts', expected restart, 1"
		fi
		if [ "$(ts_value rpol init dskey "$NEW_PID")" = 1 ]; then
			t_pass rpol-restart-keeps-ds-data
		else
			t_fail rpol-restart-keeps-ds-data "ts.rpol was gone from DS at the restart init"
		fi
	fi
	if restart_case rpol-kill9 rpol kill9 same; then
		delays="$delays,$(delay_of rpol)"
		if [ "$SAW_D" = 1 ]; then
			t_pass rpol-second-crash-waits
		else
			t_fail rpol-second-crash-waits "restarted without status ever showing flag D (backoff)"
		fi
	fi
	if restart_case rpol-exit rpol exit same; then
		delays="$delays,$(delay_of rpol)"
		death=$(death_of "$OLD_PID")
		if [ "$death" = "exit 5" ]; then
			t_pass rpol-exit-is-a-death
		else
			t_fail rpol-exit-is-a-death "the module saw pid $OLD_PID end by '$death', expected 'exit 5'"
		fi
		if [ "$SAW_D" = 1 ]; then
			t_pass rpol-third-crash-waits
		else
			t_fail rpol-third-crash-waits "restarted without status ever showing flag D (backoff)"
		fi
	fi
	echo "MEASURE restart_delays_ms=$delays label=rpol crashes=fi,kill9,exit backoff=exponential"
fi
svc_down_all rpol

t_elapsed "section 2"
# ---- 2. SEF_CB_INIT_RESTART_STATEFUL keeps the endpoint too ----------------

if t_check rstf-up ts_up rstf "" -- restart=stateful term=term; then
	restart_case rstf-fi rstf "fi" same
fi
svc_down_all rstf

t_elapsed "section 3"
# ---- 3. reset policy (default restart callback) ----------------------------

if t_check rrst-up ts_up rrst "" -- term=term; then
	svc_read rrst
	if [ "$S_POLICY" = reset ]; then
		t_pass rrst-policy-reset
	else
		t_fail rrst-policy-reset "status says policy '$S_POLICY'"
	fi
	if [ "$(ts_value rrst init dskey)" = 0 ]; then
		first_ok=1
	else
		first_ok=0
	fi
	if restart_case rrst-fi rrst "fi" new; then
		wait_for 10 ts_running rrst "$NEW_PID"
		type=$(ts_value rrst init type "$NEW_PID")
		dskey=$(ts_value rrst init dskey "$NEW_PID")
		if [ "$first_ok" = 1 ] && [ "$type" = fresh ] && [ "$dskey" = 0 ]; then
			t_pass rrst-ds-keys-purged
		else
			t_fail rrst-ds-keys-purged "new instance's init: type '$type', ts.rrst existed '$dskey' (expected fresh, 0)"
		fi
		looked_up=$(svc lookup rrst 2>&1)
		if [ "$looked_up" = "$S_ENDPOINT" ]; then
			t_pass rrst-lookup-new-endpoint
		else
			t_fail rrst-lookup-new-endpoint "lookup gives '$looked_up', status $S_ENDPOINT"
		fi
	fi
fi
svc_down_all rrst

t_elapsed "section 4"
# ---- 4. standby replica (-p); -b: one period between restarts -------------

replica_ready() {
	svc_read "$1" && [ -n "$S_REPLICA" ] && [ "$S_REPLICA" != 0 ] &&
		[ "$S_REPLICA" != "$S_PID" ] && _t_alive "$S_REPLICA"
}

if t_check rrep-up ts_up rrep "-p -b" -- restart=own term=term; then
	if wait_for 20 replica_ready rrep; then
		t_pass rrep-replica-standing-by
	else
		t_fail rrep-replica-standing-by "status shows replica '$S_REPLICA' for pid '$S_PID'"
	fi
	if restart_case rrep-fi rrep "fi" same; then
		if [ -n "$OLD_REPLICA" ] && [ "$OLD_REPLICA" != 0 ] &&
			[ "$NEW_PID" = "$OLD_REPLICA" ]; then
			t_pass rrep-replica-takes-over
		else
			t_fail rrep-replica-takes-over "new pid $NEW_PID, the replica was '$OLD_REPLICA'"
		fi
		echo "MEASURE restart_delay_ms=$(delay_of rrep) label=rrep crash=fi replica=1"
		if wait_for 20 replica_ready rrep && [ "$S_REPLICA" != "$OLD_REPLICA" ]; then
			t_pass rrep-new-replica
		else
			t_fail rrep-new-replica "after the takeover: replica '$S_REPLICA', pid '$S_PID'"
		fi
	fi
	if restart_case rrep-kill9 rrep kill9 same; then
		if [ "$SAW_D" = 1 ]; then
			t_pass rrep-b-still-waits-a-period
		else
			t_fail rrep-b-still-waits-a-period "-b restarted without status ever showing flag D"
		fi
		if [ "$NEW_PID" = "$OLD_REPLICA" ]; then
			t_pass rrep-replica-takes-over-again
		else
			t_fail rrep-replica-takes-over-again "new pid $NEW_PID, the replica was '$OLD_REPLICA'"
		fi
		echo "MEASURE restart_delay_ms=$(delay_of rrep) label=rrep crash=kill9 replica=1 backoff=-b"
	fi
	svc_read rrep
	pids="$S_PID $S_REPLICA"
	if t_check rrep-down svc down rrep; then
		left=
		for p in $pids; do
			[ "$p" != 0 ] && ! wait_for 10 pid_gone "$p" && left="$left $p"
		done
		if [ -z "$left" ]; then
			t_pass rrep-down-ends-replica-too
		else
			t_fail rrep-down-ends-replica-too "still running after down:$left"
		fi
	fi
fi
svc_down_all rrep

t_elapsed "section 5"
# ---- 5. heartbeat: a stopped or spinning service is killed and restarted --

if t_check hbstop-up ts_up hbstop "" -period 500ms -- restart=own term=term; then
	if restart_case hbstop-sigstop hbstop stop same; then
		if wait_for 10 pid_gone "$OLD_PID" &&
			[ "$(death_of "$OLD_PID")" = "signal 9" ]; then
			t_pass hbstop-killed-by-rs
		else
			t_fail hbstop-killed-by-rs "stopped pid $OLD_PID: death '$(death_of "$OLD_PID")', expected 'signal 9'"
		fi
	fi
	kill -CONT "$OLD_PID" 2>/dev/null
fi
svc_down_all hbstop

# Busy in an endless loop: alive to Linux, silent to RS.
if t_check hbspin-up ts_up hbspin "" -period 500ms -- restart=own term=term; then
	if restart_case hbspin-loop hbspin spin same; then
		if wait_for 10 pid_gone "$OLD_PID" &&
			wait_for 10 eval '[ -n "$(death_of "$OLD_PID")" ]' &&
			[ "$(death_of "$OLD_PID")" = "signal 9" ]; then
			t_pass hbspin-killed-by-rs
		else
			t_fail hbspin-killed-by-rs "spinning pid $OLD_PID: death '$(death_of "$OLD_PID")', expected 'signal 9'"
		fi
	fi
fi
svc_down_all hbspin

t_elapsed "section 6"
# ---- 6. a steady client through crashes: no request lost -------------------

# answered_at_least STAT N [PID]: the client answered N requests (the last
# one from PID).
answered_at_least() {
	local n
	n=$(kv_get "$1" answered)
	[ -n "$n" ] && [ "$n" -ge "$2" ] &&
		{ [ -z "$3" ] || [ "$(kv_get "$1" pid)" = "$3" ]; }
}

# client_through NAME TARGET HOW: a client loads TARGET while it is
# crashed by HOW; checks and measures what the client saw.
client_through() {
	local name=$1 target=$2 how=$3 stat=$TS_DIR/lcl.stat n replica
	rm -f "$stat"
	if ! svc up "$TS_CLIENT" -label lcl -args "$target $stat" >/tmp/60-cl.out 2>&1; then
		t_fail "$name-no-request-lost" "client did not start: $(tail -n 1 /tmp/60-cl.out)"
		return
	fi
	if ! wait_for 30 answered_at_least "$stat" 100; then
		t_fail "$name-no-request-lost" "client got no answers: $(tr '\n' ' ' <"$stat" 2>/dev/null)"
		svc_down_all lcl
		return
	fi
	svc_read "$target"
	replica=0
	[ -n "$S_REPLICA" ] && [ "$S_REPLICA" != 0 ] && replica=1
	if restart_case "$name" "$target" "$how" same; then
		n=$(kv_get "$stat" answered)
		if ! wait_for 40 answered_at_least "$stat" $((n + 100)) "$NEW_PID"; then
			t_fail "$name-served-after" "the new instance $NEW_PID did not answer: $(tr '\n' ' ' <"$stat")"
		fi
	fi
	svc down lcl >/dev/null 2>&1
	if [ "$(kv_get "$stat" state)" != stopped ]; then
		t_fail "$name-no-request-lost" "client did not stop cleanly: $(tr '\n' ' ' <"$stat" 2>/dev/null)"
		return
	fi
	if [ "$(kv_get "$stat" lost)" = 0 ] && [ "$(kv_get "$stat" errors)" = 0 ] &&
		[ "$(kv_get "$stat" mismatches)" = 0 ] &&
		[ "$(kv_get "$stat" sent)" = "$(kv_get "$stat" answered)" ] &&
		[ "$(kv_get "$stat" pids)" -ge 1 ]; then
		t_pass "$name-no-request-lost"
	else
		t_fail "$name-no-request-lost" "$(tr '\n' ' ' <"$stat")"
	fi
	echo "MEASURE crash_to_serving_ms=$(($(kv_get "$stat" max_gap_us) / 1000)) replica=$replica crash=$how restarts_before=$OLD_RESTARTS sent=$(kv_get "$stat" sent) answered=$(kv_get "$stat" answered) retries=$(kv_get "$stat" retries) lost=$(kv_get "$stat" lost) label=$target"
}

if t_check load-up ts_up load "" -- restart=own term=term; then
	client_through load-kill9 load kill9
	client_through load-fi load "fi"
	# Dead with the client's request in hand: the client's sendrec fails
	# with EDEADSRCDST, it sends again, the new instance answers.
	client_through load-held load held
	if [ "$(kv_get "$TS_DIR/lcl.stat" retries)" -ge 1 ] 2>/dev/null; then
		t_pass load-held-client-retried
	else
		t_fail load-held-client-retried "the client saw no EDEADSRCDST: $(tr '\n' ' ' <"$TS_DIR/lcl.stat")"
	fi
fi
svc_down_all load
if t_check loadp-up ts_up loadp "-p" -- restart=own term=term; then
	if wait_for 20 replica_ready loadp; then
		client_through loadp-kill9 loadp kill9
	else
		t_fail loadp-kill9-no-request-lost "no standby replica appeared"
	fi
fi
svc_down_all loadp

# The loss detector itself: a request the service never answers is
# reported lost by the client's watchdog.
client_lost() {
	[ "$(kv_get "$1" lost)" = 1 ] && [ "$(kv_get "$1" state)" = lost ]
}
if t_check ldrop-up ts_up ldrop "" -- restart=own term=term drop=150; then
	stat=$TS_DIR/ldc.stat
	if t_check ldrop-client-up svc up "$TS_CLIENT" -label ldc -args "ldrop $stat watchdog=2"; then
		if wait_for 30 client_lost "$stat" && [ "$(kv_get "$stat" answered)" = 149 ]; then
			t_pass client-watchdog-reports-lost-request
		else
			t_fail client-watchdog-reports-lost-request "after the 150th request was dropped: $(tr '\n' ' ' <"$stat" 2>/dev/null)"
		fi
	fi
fi
svc_down_all ldc ldrop

# ---- a failed init: final, unless -b ---------------------------------------
# init-fails=1: the first init of the ID fails with EIO, the next succeed.

rm -f "$TS_DIR/bfail.inits" "$TS_DIR/binit.inits"
t_expect_status init-fail-without-b-edeadept 215 ts_up bfail "" -- init-fails=1 restart=own term=term
t_expect_status init-fail-without-b-label-gone 3 svc status bfail
if t_check init-fail-with-b-up-succeeds ts_up binit "-b" -- init-fails=1 restart=own term=term; then
	svc_read binit
	if [ "$(cat "$TS_DIR/binit.inits")" = 2 ] && [ "$S_RESTARTS" = 1 ]; then
		t_pass init-fail-with-b-retried-once
	else
		t_fail init-fail-with-b-retried-once "inits '$(cat "$TS_DIR/binit.inits")', restarts '$S_RESTARTS' (expected 2 and 1)"
	fi
fi
svc_down_all bfail binit

# ---- backoff period (rs-daemon -P) ------------------------------------------
# With a 100 ms period the waits are 2 and 4 periods: RS says how long it
# waits, which is exact, unlike any measured delay.

expect_rs_usage() {
	local rc
	"$RS_BIN" -P "$2" >/dev/null 2>/tmp/60-rs-usage.err
	rc=$?
	if [ "$rc" = 2 ] && grep -q -- "-P $2" /tmp/60-rs-usage.err; then
		t_pass "$1"
	else
		t_fail "$1" "rs-daemon -P $2 exited $rc: $(cat /tmp/60-rs-usage.err)"
	fi
}
expect_rs_usage backoff-period-zero-refused 0
expect_rs_usage backoff-period-junk-refused 10mins
expect_rs_usage backoff-period-above-60s-refused 61s

crashed_and_waiting() {
	grep -q "bperiod: restarting in $1 ms" "$RS_LOG"
}
if ! rs_stop || ! rs_start -P 100; then
	t_fail backoff-period-rs "rs-daemon -P 100 did not start: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
elif t_check bperiod-up ts_up bperiod "" -- restart=own term=term; then
	svc_read bperiod
	svc fi bperiod >/dev/null 2>&1
	wait_for 30 restarted_since bperiod "$S_PID"
	svc_read bperiod
	svc fi bperiod >/dev/null 2>&1
	if wait_for 30 crashed_and_waiting 200 &&
		wait_for 30 restarted_since bperiod "$S_PID"; then
		t_pass backoff-period-second-crash-waits-2-periods
	else
		t_fail backoff-period-second-crash-waits-2-periods "rs.log: $(grep bperiod "$RS_LOG" | tail -n 4 | tr '\n' ' ')"
	fi
	svc_read bperiod
	svc fi bperiod >/dev/null 2>&1
	if wait_for 30 crashed_and_waiting 400; then
		t_pass backoff-period-third-crash-waits-4-periods
	else
		t_fail backoff-period-third-crash-waits-4-periods "rs.log: $(grep bperiod "$RS_LOG" | tail -n 4 | tr '\n' ' ')"
	fi
	wait_for 30 restarted_since bperiod "$S_PID"
fi
svc_down_all bperiod

# ---- teardown ----------------------------------------------------------------

# shellcheck disable=SC2086
svc_down_all $cleanup_labels
if [ "$T_FAILED" -gt 0 ]; then
	echo "# rs.log of 60-recovery:"
	sed 's/^/# rs.log: /' "$RS_LOG"
	echo "# slot events:"
	sed 's/^/# events: /' "$EVENTS_LOG"
fi
events_stop
rs_stop || t_fail recovery-teardown "rs_stop failed"
mx_unload || t_fail recovery-teardown "mx_unload failed"
t_elapsed end
t_summary
