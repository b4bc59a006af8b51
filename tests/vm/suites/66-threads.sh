#!/bin/sh
# 66-threads: multithreaded services under rs-daemon and ds-daemon (issue 9).
#  1. mt-svc's client: 8 threads make SENDRECs to ds and to an echo service
#     in a loop (ROUNDS each) while its SEF thread and a second thread
#     receive from ANY and a third from the pusher only; every reply must
#     reach its caller and every push exactly one receiver that accepts it.
#     The echo service, which pushes from a thread of its own, is
#     live-updated twice meanwhile (a multithreaded live update).
#  2. hello's device thread publishes its open counter in ds while its SEF
#     thread answers RS's pings; a live update of hello keeps doing so.
# Needs mxsys.ko, rs-daemon, hello and /tests/bin/mt-svc.
. /tests/lib.sh

MT=/tests/bin/mt-svc
HELLO=/usr/libexec/mxsys/hello
OUT=/tmp/mt-svc
ROUNDS=${MT_ROUNDS:-10000}
PUSHES=${MT_PUSHES:-2000}

if ! mx_load || ! rs_start; then
	t_fail threads-setup "module or rs-daemon did not start"
	exit 1
fi
rm -rf "$OUT"

# ---- 1. 8 callers, 3 receivers; echo live-updated under the load ---------

result_written() { [ -s "$OUT/mt-client.result" ]; }
first_calls_done() {
	# The callers have started: ds holds a key of theirs.
	[ -f "$OUT/mt.mt-client.0.value" ] &&
		[ "$(cat "$OUT/mt.mt-client.0.value")" != none ]
}

if t_check mt-up-servers sh -c "
	timeout 120 minix-service up $MT -label mt-echo -args echo &&
	timeout 120 minix-service up $MT -label mt-pusher -args pusher &&
	timeout 120 minix-service up $MT -label mt-watch -args 'watch mt.mt-client.0'"; then
	t_check mt-up-client svc up "$MT" -label mt-client \
		-args "client mt-client $ROUNDS $PUSHES"
	wait_for 120 first_calls_done
	echo_pid=$(svc_field mt-echo pid)
	# Ready only once its push thread is done: however slow the kernel,
	# the update waits for the service's word (no timing in the verdict).
	t_check mt-update-echo-1 svc update self -label mt-echo -maxtime 600HZ
	t_check mt-update-echo-2 svc update self -label mt-echo -maxtime 600HZ
	if [ "$(svc_field mt-echo pid)" != "$echo_pid" ]; then
		t_pass mt-echo-replaced-by-update
	else
		t_fail mt-echo-replaced-by-update "mt-echo still runs as pid $echo_pid"
	fi
	if wait_for 900 result_written; then
		res=$(cat "$OUT/mt-client.result")
		case $res in
		ok*) t_pass mt-every-reply-to-its-caller
		     echo "MEASURE mt-client $res rounds_per_thread=$ROUNDS" ;;
		*) t_fail mt-every-reply-to-its-caller "$res" ;;
		esac
	else
		t_fail mt-every-reply-to-its-caller "no result in 900 s; rs.log: $(tail -n 5 "$RS_LOG")"
	fi
	# Nothing crashed on the way: no service was restarted.
	for l in mt-echo mt-pusher mt-client; do
		r=$(svc_field "$l" restarts)
		if [ "$r" = 0 ]; then
			t_pass "mt-$l-never-restarted"
		else
			t_fail "mt-$l-never-restarted" "restarts: '$r'"
		fi
	done
fi
svc_down_all mt-client mt-watch mt-pusher mt-echo

# ---- 2. hello's device thread calls ds beside its SEF thread -------------

opens_in_ds() {
	[ "$(cat "$OUT/drv.chr.hello.opens.value" 2>/dev/null)" = "$1" ]
}
read_hello() {
	i=0
	while [ "$i" -lt "$1" ]; do
		timeout 10 cat /dev/hello >/dev/null || return 1
		i=$((i + 1))
	done
}

if t_check hello-up-pinged svc up "$HELLO" -label hello -period 200ms &&
	wait_for 30 test -c /dev/hello &&
	t_check hello-watch-up svc up "$MT" -label mt-watch \
		-args "watch drv.chr.hello.opens"; then
	t_check hello-reads-from-the-device read_hello 30
	if wait_for 30 opens_in_ds 30; then
		t_pass hello-device-thread-publishes-in-ds
	else
		t_fail hello-device-thread-publishes-in-ds "ds has '$(cat "$OUT/drv.chr.hello.opens.value" 2>/dev/null)', expected 30"
	fi
	t_check hello-update-with-device-thread svc update self -label hello
	wait_for 30 test -c /dev/hello
	before=$(cat "$OUT/drv.chr.hello.opens.value" 2>/dev/null)
	if t_check hello-reads-after-update read_hello 5 &&
		wait_for 30 opens_in_ds $((before + 5)); then
		t_pass hello-new-version-publishes-in-ds
	else
		t_fail hello-new-version-publishes-in-ds "ds has '$(cat "$OUT/drv.chr.hello.opens.value" 2>/dev/null)', expected $((before + 5))"
	fi
fi
svc_down_all mt-watch hello

rs_stop
t_check threads-unload mx_unload
t_summary
