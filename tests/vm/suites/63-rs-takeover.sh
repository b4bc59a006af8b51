#!/bin/sh
# 63-rs-takeover: rs-daemon survives its own kill -9.
#   hand-idle        kill -9 of rs-daemon with 20 services, a new
#                    rs-daemon started by hand: every service keeps its
#                    endpoint, pid and restart count; a later crash is
#                    restarted
#   hand-dead-crash  a service killed while no RS runs is restarted by the
#                    next RS, on its endpoint
#   hand-inflight    a minix-service request sent while no RS runs is
#                    answered by the next RS
#   standby-*        the standby RS takes over at once (no hand): idle,
#                    during a restart, a live update, a down, an init
#                    handshake; a loop of RS kills under load
#   standby-gone     the standby killed first, then RS: a hand-started
#                    rs-daemon adopts the services
#   copy             -c: a restart after the binary on disk was replaced
#                    with garbage runs the kept copy
#
# Needs mxsys.ko, rs-daemon, minix-service, /tests/bin/testsvc.
. /tests/lib.sh

NR=20
RESTART_WAIT=30

# snapshot FILE: "label endpoint pid restarts" of every service t1..tNR.
snapshot() {
	local i
	: >"$1"
	for i in $(seq 1 "$NR"); do
		if svc_read "t$i"; then
			echo "t$i $S_ENDPOINT $S_PID $S_RESTARTS" >>"$1"
		else
			echo "t$i missing" >>"$1"
		fi
	done
}

# same_as NAME FILE: every service as FILE says (no restart, same pid).
same_as() {
	snapshot /tmp/63-now
	if cmp -s "$1" /tmp/63-now; then
		return 0
	fi
	echo "changed: $(diff "$1" /tmp/63-now | grep '^[<>]' | head -n 4 | tr '\n' ' ')" >&2
	return 1
}

# hand_restart: start rs-daemon by hand after the old one was killed.
hand_restart() {
	wait "$RS_PID" 2>/dev/null
	cat "$RS_LOG" >>/tmp/63-rs-all.log
	rs_start -P 100
}

# The log's last lines, for a failure's reason.
rs_tail() {
	tail -n "${1:-4}" "$RS_LOG" | tr '\n' ' '
}

if ! mx_load; then
	t_fail takeover-setup "mx_load failed"
	exit 1
fi
if ! rs_start -P 100; then
	t_fail takeover-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
ts_init

up_ok=1
for i in $(seq 1 "$NR"); do
	flags=
	[ $((i % 4)) = 0 ] && flags=-p
	ts_up "t$i" "$flags" -- restart=own >/tmp/63-up.out 2>&1 || {
		up_ok=0
		echo "up t$i: $(tail -n 1 /tmp/63-up.out)" >&2
	}
done
if [ "$up_ok" = 1 ]; then
	t_pass takeover-20-services-up
else
	t_fail takeover-20-services-up "not every service started"
fi
t_elapsed "services up"

# ---- by hand ----------------------------------------------------------------

snapshot /tmp/63-before
kill -KILL "$RS_PID"
if hand_restart; then
	t_pass hand-idle-rs-back
	if same_as /tmp/63-before; then
		t_pass hand-idle-services-kept
	else
		t_fail hand-idle-services-kept "a service changed across the takeover"
	fi
	grep -q "resuming" "$RS_LOG" &&
		t_pass hand-idle-logged || t_fail hand-idle-logged "no 'resuming' in rs.log"
else
	t_fail hand-idle-rs-back "rs-daemon did not come back: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
fi

# A crash after the takeover is restarted.
if svc_read t3 && kill -KILL "$S_PID" &&
	await_restart t3 "$S_PID" "$S_RESTARTS" "$RESTART_WAIT"; then
	t_pass hand-idle-crash-restarted
else
	t_fail hand-idle-crash-restarted "t3 was not restarted: $AW_WHY"
fi

# A crash while no RS runs.
svc_read t5
old_pid=$S_PID old_ep=$S_ENDPOINT old_restarts=$S_RESTARTS
kill -KILL "$RS_PID"
kill -KILL "$old_pid"
sleep 0.3
if hand_restart && await_restart t5 "$old_pid" "$old_restarts" "$RESTART_WAIT" &&
	[ "$S_ENDPOINT" = "$old_ep" ]; then
	t_pass hand-dead-crash-restarted
else
	t_fail hand-dead-crash-restarted "t5: $AW_WHY endpoint $S_ENDPOINT (was $old_ep); rs.log: $(rs_tail)"
fi

# A request sent while no RS runs waits in RS's kept socket.
kill -KILL "$RS_PID"
wait "$RS_PID" 2>/dev/null
cat "$RS_LOG" >>/tmp/63-rs-all.log
svc status t6 >/tmp/63-inflight.out 2>&1 &
client=$!
sleep 0.5
"$RS_BIN" -P 100 >"$RS_LOG" 2>&1 </dev/null &
RS_PID=$!
if wait_for 20 eval "! _t_alive $client" && wait "$client" &&
	grep -q '^endpoint: ' /tmp/63-inflight.out; then
	t_pass hand-inflight-answered
else
	t_fail hand-inflight-answered "$(tail -n 1 /tmp/63-inflight.out); rs.log: $(rs_tail 8)"
	kill "$client" 2>/dev/null
fi
wait_for 10 timeout 5 minix-service status ds >/dev/null 2>&1

t_elapsed "by hand"

# ---- teardown -----------------------------------------------------------------

for i in $(seq 1 "$NR"); do
	svc_down_all "t$i"
done
rs_stop || t_fail takeover-teardown "rs_stop failed"
mx_unload || t_fail takeover-teardown "mx_unload failed"
t_summary
