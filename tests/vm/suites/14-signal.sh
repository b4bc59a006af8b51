#!/bin/sh
# 14-signal: signal-manager routing of mxsys.ko (the signal_generate probe,
# GETKSIG, ENDKSIG, KILL, EXIT, where deaths are reported), through
# sig-test (a fake RS whose children have their own managers); then once
# end to end, from kill(1) through the real RS to a service's SEF handler.
# Each sig-test subcommand prints its own PASS/FAIL line; a run that dies
# without one counts as a failure.
. /tests/lib.sh

SIG_TEST=/tests/bin/sig-test
PING_SVC=/tests/bin/ping-svc

if ! mx_load; then
	t_fail signal-load "mx_load failed"
	exit 1
fi

t_run_prog "$SIG_TEST" sig-

# ---- kill -TERM of a service: RS hands it to SEF, whose handler exits -----
# ping-svc blocks every signal (libsef) and exits 1 from its SEF handler on
# SIGTERM. Without routing the signal would stay pending for ever; had it
# reached the process as a Linux signal, the death would say "killed by
# signal 15". SIGUSR1 before it goes the same way and is ignored.
if ! rs_start; then
	t_fail signal-rs-start "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
elif t_check signal-up-service svc up "$PING_SVC" -label sigsvc; then
	pid=$(svc_field sigsvc pid)
	kill -USR1 "$pid"
	kill -TERM "$pid"
	if wait_for 30 restarted_since sigsvc "$pid" &&
		grep -q "sigsvc (ep [0-9]*) died: exited with status 1" "$RS_LOG"; then
		t_pass signal-term-reaches-sef-handler
	else
		t_fail signal-term-reaches-sef-handler "pid $pid; rs.log: $(tail -n 5 "$RS_LOG")"
	fi
	if grep -q -e "cannot forward" -e "getksig failed" "$RS_LOG"; then
		t_fail signal-rs-log-clean "$(grep -e "cannot forward" -e "getksig failed" "$RS_LOG" | head -n 3)"
	else
		t_pass signal-rs-log-clean
	fi
	t_check signal-down-service svc down sigsvc
fi
[ -n "$RS_PID" ] && rs_stop

# Every test cleared the slots it used: the module unloads.
t_check signal-unload mx_unload
t_summary
