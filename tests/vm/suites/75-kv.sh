#!/bin/sh
# suite-timeout: 900
# 75-kv: kv-server, the example network service (issue 13), loses nothing
# through crashes and updates. It keeps its listening sockets, every
# connection and each connection's protocol state in its fd store, and its
# keys in DS.
#  1. kv's error message and exit code when no server runs.
#  2. kv get/set/incr/del over TCP and the UNIX socket.
#  3. kv-load, 32 connections checking every reply against its model,
#     through 20 kill -9s, 20 live updates, 2 rolled back ones and 5 `fi`
#     crashes: 0 requests lost, 0 wrong, 0 connections lost, no reply
#     twice (TCP) but to a request sent twice, and every key read back
#     right.
#  4. A crash with a request half read: the next instance reads on from
#     the half it finds in the state memfd; the request is answered once.
#  5. The heartbeat comes from the serving loop: with only that thread
#     stuck (mxsys-swifi while1 into it; the other thread still talks
#     to RS), RS sees no heartbeat, restarts kv-server, and the keys and
#     the service are back.
# rs-daemon runs with 20 ms backoff periods (-P 20), so that 45 crashes in
# a row wait less than a second each.
# Needs mxsys.ko, rs-daemon, ds-daemon, kv-server, kv and kv-load.
. /tests/lib.sh

KV_SERVER=/usr/libexec/mxsys/kv-server
KV_LOAD=/usr/libexec/mxsys/kv-load
TCP=tcp:127.0.0.1:7070
UNIX=unix:/tmp/kv.sock
ARGS="tcp=127.0.0.1:7070 unix=/tmp/kv.sock"
KILLS=20
UPDATES=20
FIS=5
RESTART_WAIT=30

if ! mx_load || ! rs_start -P 20; then
	t_fail kv-setup "module or rs-daemon did not start"
	exit 1
fi

# ---- 1. no server --------------------------------------------------------------

out=$(kv -a "$TCP" -t 1 get x 2>&1)
rc=$?
case $out in
*"cannot connect to $TCP"*"is kv-server running?"*)
	[ "$rc" = 4 ] && t_pass client-says-server-down ||
		t_fail client-says-server-down "exit $rc, want 4" ;;
*) t_fail client-says-server-down "exit $rc: '$out'" ;;
esac
out=$(kv -a "$TCP" frob x 2>&1)
[ $? = 2 ] && t_pass client-usage || t_fail client-usage "'$out'"

# ---- 2. the client ---------------------------------------------------------------

# Serving: a GET answered (NOTFOUND, or ERR from a DS without strings).
kv_ready() {
	kv -a "$TCP" -t 2 get none >/dev/null 2>&1
	case $? in 1|3) return 0 ;; esac
	return 1
}

STORE=ds
if t_check kv-up svc -p up "$KV_SERVER" -label kv -args "$ARGS store=ds" &&
	wait_for 30 kv_ready; then
	out=$(kv -a "$TCP" set probe 1 2>&1)
	[ $? = 0 ] && t_pass keys-in-ds || t_fail keys-in-ds "kv set: '$out'"
fi

c_ok=1
c() {	# c WANT_RC WANT_OUT kv-args...: one client call, checked
	local want_rc=$1 want=$2 got rc
	shift 2
	got=$(kv "$@" 2>/dev/null)
	rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		echo "kv $*: exit $rc '$got', want $want_rc '$want'"
		c_ok=0
	fi
}
c 0 "" -a "$TCP" set greeting hello world
c 0 "hello world" -a "$UNIX" get greeting
c 0 5 -a "$UNIX" incr counter 5
c 0 4 -a "$TCP" incr counter -1
c 0 "" -a "$TCP" del greeting
c 1 "" -a "$UNIX" get greeting
c 1 "" -a "$TCP" del greeting
c 0 "" -a "$TCP" set word not-a-number
c 3 "" -a "$TCP" incr word
c 2 "" -a "$TCP" get "bad/key"
[ "$c_ok" = 1 ] && t_pass client-commands || t_fail client-commands "see above"
# A write acknowledged before a crash is there after it.
svc_read kv
kill -9 "$S_PID"
if await_restart kv "$S_PID" "$S_RESTARTS" "$RESTART_WAIT"; then
	c_ok=1
	c 0 4 -a "$TCP" get counter
	[ "$c_ok" = 1 ] && t_pass write-survives-crash ||
		t_fail write-survives-crash "see above"
else
	t_fail write-survives-crash "no restart: $AW_WHY"
fi

# ---- 3. 32 connections through kills, updates and fi ---------------------------

LOAD_OUT=/tmp/kv-load.out
STOP=/tmp/kv-load.stop
rm -f "$STOP" "$LOAD_OUT"
"$KV_LOAD" -a "$TCP" -c 32 -k 8 -s 75 -r 10000 -S "$STOP" -p L75 \
	>"$LOAD_OUT" 2>&1 &
load_pid=$!
sleep 2

crash_kv() {	# crash_kv HOW NAME: crash kv-server, wait for its restart
	svc_read kv || { t_fail "$2" "no status"; return; }
	case $1 in
	kill) kill -9 "$S_PID" ;;
	fi) svc fi kv >/dev/null 2>&1 ;;
	esac
	if await_restart kv "$S_PID" "$S_RESTARTS" "$RESTART_WAIT"; then
		t_pass "$2"
	else
		t_fail "$2" "$AW_WHY"
	fi
	sleep 0.3
}
i=1
while [ "$i" -le "$KILLS" ]; do
	crash_kv kill "kill9-$i"
	i=$((i + 1))
done
i=1
while [ "$i" -le "$UPDATES" ]; do
	t_check "update-$i" svc update self -label kv
	sleep 0.3
	i=$((i + 1))
done
# A new version that crashes in its init (-x): rolled back (exit 85), the
# old one serves on, its connections taken from the store again.
for i in 1 2; do
	svc -x update self -label kv >/dev/null 2>&1
	rc=$?
	[ "$rc" = 85 ] && t_pass "rollback-$i" || t_fail "rollback-$i" "exit $rc, want 85"
	sleep 0.3
done
i=1
while [ "$i" -le "$FIS" ]; do
	crash_kv fi "fi-$i"
	i=$((i + 1))
done
touch "$STOP"
wait "$load_pid"
load_rc=$?
line=$(grep '^kv-load ' "$LOAD_OUT")
echo "MEASURE kv-continuity kills=$KILLS updates=$UPDATES fis=$FIS store=$STORE ${line#kv-load }"
grep 'wrong:' "$LOAD_OUT" | head -n 5
val() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
for k in lost wrong conns_lost; do
	if [ -n "$line" ] && [ "$(val "$k")" = 0 ]; then
		t_pass "load-$k-0"
	else
		t_fail "load-$k-0" "${line:-no report: $(tail -n 3 "$LOAD_OUT")}"
	fi
done
# A reply comes twice only to a request sent twice (after 10 s without an
# answer: a very slow host): never because of a crash (TCP).
if [ -n "$line" ] && [ "$(val dups)" -le "$(val retried)" ]; then
	t_pass load-no-reply-twice
else
	t_fail load-no-reply-twice "$line"
fi
if [ "$(val answered)" -gt 1000 ] 2>/dev/null && [ "$(val verified)" = 256 ] &&
	[ "$load_rc" = 0 ]; then
	t_pass load-answered-and-read-back
else
	t_fail load-answered-and-read-back "exit $load_rc: $line"
fi
if grep -q 'kv-server: serving 32 connection(s) again' "$RS_LOG"; then
	t_pass connections-adopted
else
	t_fail connections-adopted "no 'serving 32 connection(s) again' in rs.log"
fi

# ---- 4. a request half read at a crash -----------------------------------------

half_done=0
for attempt in 1 2 3; do
	before=$(grep -c 'resuming a partial request' "$RS_LOG")
	rm -f /tmp/kv-half.out
	"$KV_LOAD" -a "$UNIX" -c 1 -k 2 -m set=50,incr=50 -s "$attempt" \
		-h 3000 -d 2 -p H75 >/tmp/kv-half.out 2>&1 &
	half_pid=$!
	sleep 1
	svc_read kv
	kill -9 "$S_PID"
	await_restart kv "$S_PID" "$S_RESTARTS" "$RESTART_WAIT" ||
		t_fail half-read-restart "$AW_WHY"
	wait "$half_pid"
	half_rc=$?
	if [ "$(grep -c 'resuming a partial request' "$RS_LOG")" -gt "$before" ]; then
		half_done=1
		break
	fi
done
line=$(grep '^kv-load ' /tmp/kv-half.out)
echo "MEASURE kv-half-read attempts=$attempt ${line#kv-load }"
if [ "$half_done" = 1 ]; then
	t_pass half-read-resumed
else
	t_fail half-read-resumed "no 'resuming a partial request' in rs.log"
fi
if [ "$half_rc" = 0 ] && [ "$(val lost)" = 0 ] && [ "$(val wrong)" = 0 ] &&
	[ "$(val answered)" -ge 1 ]; then
	t_pass half-read-answered-once
else
	t_fail half-read-answered-once "exit $half_rc: $(cat /tmp/kv-half.out)"
fi

svc_down_all kv

# ---- 5. a stuck serving loop is a missed heartbeat ---------------------------

loop_tid() {	# the kv-serve thread of pid $1
	for t in /proc/"$1"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = kv-serve ] && echo "${t##*/}"
	done
}
if t_check hb-up svc up "$KV_SERVER" -label kv -period 500ms \
	-args "$ARGS store=ds" && wait_for 30 kv_ready &&
	kv -a "$TCP" set hb-key 42 >/dev/null && svc_read kv; then
	tid=$(loop_tid "$S_PID") stuck=$S_PID
	if [ -n "$tid" ] && [ "$tid" != "$S_PID" ] &&
		mxsys-swifi --pid "$tid" --type while1 >/tmp/kv-while1.out 2>&1; then
		# A request only the loop could answer: it spins instead.
		kv -a "$TCP" -t 1 get hb-key >/dev/null 2>&1
		if await_restart kv "$S_PID" "$S_RESTARTS" "$RESTART_WAIT" &&
			grep -q "kv (ep [0-9]*, pid $stuck): no heartbeat" "$RS_LOG"; then
			t_pass stuck-loop-restarted
		else
			t_fail stuck-loop-restarted "${AW_WHY:-no 'no heartbeat' for pid $stuck in rs.log}: $(grep '^rs-daemon: kv ' "$RS_LOG" | tail -n 4 | tr '\n' ' ') $(cat /tmp/kv-while1.out)"
		fi
		if wait_for 30 kv_ready &&
			[ "$(kv -a "$TCP" -t 2 get hb-key 2>&1)" = 42 ]; then
			t_pass stuck-loop-serving-again
		else
			t_fail stuck-loop-serving-again "kv get hb-key: '$(kv -a "$TCP" -t 2 get hb-key 2>&1)'"
		fi
	else
		t_fail stuck-loop-restarted "thread '$tid' of pid $S_PID: $(cat /tmp/kv-while1.out 2>/dev/null)"
	fi
fi
svc_down_all kv

rs_stop
t_check kv-unload mx_unload
t_summary
