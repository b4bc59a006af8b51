#!/bin/sh
# 40-rs-lifecycle: minix-service and rs-daemon when things around them are
# missing or die: no module, no RS, RS refusing to run twice or unprivileged,
# RS dying while a request waits for its late reply, and a new RS claiming
# the slot of a dead one.
#
# Needs mxsys.ko, rs-daemon (with ds-daemon) and /tests/bin/ping-svc.
. /tests/lib.sh

PING_SVC=/tests/bin/ping-svc
ERR=/tmp/40-stderr

# minix-service waits for late replies without a limit of its own.
svc() {
	timeout 60 minix-service "$@"
}

# expect_failure NAME CODE PATTERN CMD...: CMD exits with CODE and says
# something matching PATTERN (grep -E) on stderr.
expect_failure() {
	local name=$1 code=$2 pattern=$3 rc
	shift 3
	"$@" >/dev/null 2>"$ERR"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		t_fail "$name" "exit $rc, expected $code: $(head -n 2 "$ERR")"
	elif ! grep -qE "$pattern" "$ERR"; then
		t_fail "$name" "stderr does not match '$pattern': $(head -n 2 "$ERR")"
	else
		t_pass "$name"
	fi
}

kill_leftovers() {
	local p exe
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" = "$PING_SVC" ] && kill -KILL "${p#/proc/}" 2>/dev/null
	done
}

# ---- without the module ----------------------------------------------------
expect_failure cli-without-module 2 'module not loaded' svc status ds

if ! mx_load; then
	t_fail lifecycle-setup "mxsys.ko did not load"
	exit 1
fi

# ---- without rs-daemon -----------------------------------------------------
expect_failure cli-without-rs 3 'rs-daemon is not running' svc status ds
expect_failure cli-usage-unknown-action 38 'unknown|usage' minix-service frobnicate
expect_failure cli-usage-no-action 22 'usage|action' minix-service

# rs-daemon needs CAP_SYS_ADMIN to claim the RS slot.
expect_failure rs-as-nobody-refused 1 'root|CAP_SYS_ADMIN|permitted' \
	as_user nobody timeout 20 /usr/sbin/rs-daemon

# ---- with rs-daemon ----------------------------------------------------------
if ! rs_start; then
	t_fail lifecycle-rs-start "rs-daemon did not start"
	mx_unload
	exit 1
fi
first_rs=$RS_PID

expect_failure second-rs-refused 1 'another rs-daemon|running|busy' \
	timeout 20 /usr/sbin/rs-daemon
expect_failure down-core-service-refused 1 'not permitted|EPERM' svc down ds

# A request waiting for RS's late reply (`up` of a service whose init never
# ends) must not hang when RS dies and nobody takes over (its standby is
# killed first; 63-rs-takeover checks the takeover): minix-service sees
# RS's slot dead and gives up with ESRCH.
svc up "$PING_SVC" -args init-hang -label slow >/tmp/40-up.out 2>"$ERR" &
up_pid=$!
initializing() {
	svc status slow 2>/dev/null | grep -q '^flags: .*I'
}
if wait_for 60 initializing; then
	t_pass pending-up-is-initializing
	slow_ep=$(svc status slow | sed -n 's/^endpoint: //p')
else
	t_fail pending-up-is-initializing "slow never showed flag I: $(svc status slow 2>&1 | tr '\n' ' ')"
fi
standby=$(svc_field rs replica)
if [ -n "$standby" ] && [ "$standby" != 0 ]; then
	kill -KILL "$standby"
	wait_for 5 eval "! _t_alive $standby"
fi
kill -KILL "$first_rs"
wait "$first_rs" 2>/dev/null
RS_PID=
if wait_for 30 eval "! _t_alive $up_pid"; then
	wait "$up_pid"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q 'rs-daemon' "$ERR"; then
		t_pass pending-request-answered-when-rs-dies
	else
		t_fail pending-request-answered-when-rs-dies "exit $rc: $(head -n 2 "$ERR")"
	fi
else
	kill -KILL "$up_pid" 2>/dev/null
	t_fail pending-request-answered-when-rs-dies "minix-service up still waiting 30 s after RS died"
fi
expect_failure cli-after-rs-died 3 'rs-daemon is not running' svc status ds

# What the dead RS started keeps running unsupervised: stop it by hand, then
# a new RS claims the RS slot of the dead one.
RS_PID=$first_rs
rs_stop 2>/dev/null
kill_leftovers
if rs_start; then
	t_pass new-rs-claims-dead-rs-slot
	# The dead "slow" service's slot is freed by the new RS.
	if wait_for 20 grep -q "unknown endpoint $slow_ep .*slot freed" "$RS_LOG"; then
		t_pass orphan-slot-freed
	else
		t_fail orphan-slot-freed "no 'slot freed' for endpoint $slow_ep: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	fi
	t_check new-rs-serves-up svc up "$PING_SVC" -label again
	t_check new-rs-serves-down svc down again
	rs_stop || t_fail lifecycle-rs-stop "rs-daemon did not stop cleanly"
else
	t_fail new-rs-claims-dead-rs-slot "$(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
fi
kill_leftovers

t_check lifecycle-unload mx_unload
