#!/bin/sh
# 68-hello-continuity: clients of /dev/hello never notice hello's crashes
# or updates (issue 10). hello keeps its CUSE session in its fd store.
#  1. `cat /dev/hello` in a loop, each read checked byte for byte, through
#     5 kill -9s (with RS's backoff between the restarts) and 5 live
#     updates: not one fails. An open made while no instance runs waits.
#  2. hello reads slowly (stall-read): killed with a read in hand, the next
#     instance serves that read again under its id and the client gets
#     its answer, once.
# Needs mxsys.ko, rs-daemon and hello.
. /tests/lib.sh

HELLO=/usr/libexec/mxsys/hello
EXPECTED=/tmp/hello.expected
COUNTS=/tmp/hello.counts
STOP=/tmp/hello.stop
KILLS=5
UPDATES=5
RESTART_WAIT=60		# s; the fifth crash waits 16 s of backoff

printf 'Hello, World!\n' >"$EXPECTED"

if ! mx_load || ! rs_start; then
	t_fail continuity-setup "module or rs-daemon did not start"
	exit 1
fi

# ---- 1. a reader through kills and updates --------------------------------

# Reads until $STOP exists; "ok failed" in $COUNTS after each read.
reader() {
	local ok=0 failed=0
	while [ ! -e "$STOP" ]; do
		if timeout 60 cat /dev/hello >/tmp/hello.got 2>/tmp/hello.err &&
			cmp -s "$EXPECTED" /tmp/hello.got; then
			ok=$((ok + 1))
		else
			failed=$((failed + 1))
			{ echo "read $((ok + failed)):"; cat /tmp/hello.err
			  head -c 100 /tmp/hello.got; } >>/tmp/hello.failures
		fi
		echo "$ok $failed" >"$COUNTS.tmp" && mv "$COUNTS.tmp" "$COUNTS"
	done
}
reads_ok() { set -- $(cat "$COUNTS" 2>/dev/null || echo 0 0); echo "$1"; }
reads_failed() { set -- $(cat "$COUNTS" 2>/dev/null || echo 0 0); echo "$2"; }
reads_past() { [ "$(reads_ok)" -ge "$1" ]; }
# The reader gets two more good reads than now.
reader_goes_on() {
	local target=$(($(reads_ok) + 2))
	wait_for "$RESTART_WAIT" reads_past "$target"
}

rm -f "$STOP" "$COUNTS" /tmp/hello.failures
if t_check up-hello svc up "$HELLO" -label hello && wait_for 30 test -c /dev/hello; then
	reader &
	reader_pid=$!
	reader_goes_on || t_fail reader-started "no read went through"

	i=1
	while [ "$i" -le "$KILLS" ]; do
		svc_read hello
		kill -9 "$S_PID"
		if await_restart hello "$S_PID" "$S_RESTARTS" "$RESTART_WAIT"; then
			t_pass "kill9-$i-restarted"
		else
			t_fail "kill9-$i-restarted" "$AW_WHY"
		fi
		if reader_goes_on; then
			t_pass "kill9-$i-reader-goes-on"
		else
			t_fail "kill9-$i-reader-goes-on" "reads: $(cat "$COUNTS")"
		fi
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$UPDATES" ]; do
		t_check "update-$i" svc update self -label hello
		if reader_goes_on; then
			t_pass "update-$i-reader-goes-on"
		else
			t_fail "update-$i-reader-goes-on" "reads: $(cat "$COUNTS")"
		fi
		i=$((i + 1))
	done

	touch "$STOP"
	wait "$reader_pid"
	echo "MEASURE hello-continuity reads_ok=$(reads_ok) reads_failed=$(reads_failed) kills=$KILLS updates=$UPDATES"
	if [ "$(reads_failed)" = 0 ] && [ "$(reads_ok)" -gt 0 ]; then
		t_pass no-read-failed
	else
		t_fail no-read-failed "$(reads_failed) of $(($(reads_ok) + $(reads_failed))) reads failed: $(head -n 6 /tmp/hello.failures | tr '\n' '|')"
	fi
	fds=$(svc_field hello fds)
	case " $fds " in *" cuse "*) has_cuse=1 ;; *) has_cuse=0 ;; esac
	case " $fds " in *" hello.state "*) has_state=1 ;; *) has_state=0 ;; esac
	if [ "$has_cuse$has_state" = 11 ]; then
		t_pass status-names-hellos-store
	else
		t_fail status-names-hellos-store "fds: '$fds'"
	fi
fi
svc_down_all hello

# ---- 2. killed with a read in hand ----------------------------------------

reads_started() { [ "$(grep -c 'hello_read()' "$RS_LOG")" -gt "$1" ]; }
if t_check up-slow-hello svc up "$HELLO" -label hello -args "stall-read=2000" &&
	wait_for 30 test -c /dev/hello; then
	before=$(grep -c 'hello_read()' "$RS_LOG")
	( timeout 120 cat /dev/hello >/tmp/hello.inflight; echo $? >/tmp/hello.inflight.rc ) &
	if wait_for 30 reads_started "$before"; then
		svc_read hello
		kill -9 "$S_PID"
		if wait_for 120 test -s /tmp/hello.inflight.rc; then
			rc=$(cat /tmp/hello.inflight.rc)
			if [ "$rc" = 0 ] && cmp -s "$EXPECTED" /tmp/hello.inflight; then
				t_pass read-in-hand-answered-after-restart
			else
				t_fail read-in-hand-answered-after-restart "cat exited $rc with '$(head -c 60 /tmp/hello.inflight)'"
			fi
		else
			t_fail read-in-hand-answered-after-restart "cat still waits"
		fi
		if grep -q 'serving request .* again' "$RS_LOG"; then
			t_pass read-in-hand-served-again
		else
			t_fail read-in-hand-served-again "no 'serving request ... again' in rs.log"
		fi
	else
		t_fail read-in-hand-answered-after-restart "hello never started the read"
	fi
fi
svc_down_all hello

rs_stop
t_check continuity-unload mx_unload
t_summary
