#!/bin/sh
# 76-tutorial: Documentation/tutorial.md as a reader runs it. Each command
# block marked "<!-- step: NAME -->" is taken from the page and run as it
# is written, in the page's order, from the directory that holds the built
# ticker (the page's examples/ticker); then this suite checks what the
# page says happened: ticker runs, logs its ticks (in its own log and,
# prefixed, in rs-daemon's), comes back on the same endpoint after kill -9
# carrying on its count, is updated live on the same endpoint carrying on
# again, and goes away with down.
#
# First and last, rs-daemon as systemd runs it (mxsys.service is
# Type=notify): with NOTIFY_SOCKET set it says READY=1 once it serves
# requests, and STOPPING=1 when SIGTERM stops it (notify-listen plays
# systemd's socket).
#
# Needs mxsys.ko, rs-daemon, /tests/tutorial.md, /tests/bin/ticker
# (examples/examples.mk builds it for the VM) and /tests/bin/notify-listen.
. /tests/lib.sh

TUTORIAL=/tests/tutorial.md
LOG=/var/log/mxsys/ticker.log
INSTALLED=/usr/local/libexec/mxsys/ticker

# The commands of step NAME, as the page has them.
step_commands() {
	awk -v want="<!-- step: $1 -->" '
		$0 == want { found = 1; next }
		found && /^```sh$/ { inside = 1; next }
		inside && /^```$/ { exit }
		inside { print }' "$TUTORIAL"
}

# Run step NAME as sh would from a reader's terminal; its output in
# /tmp/step-NAME.out. Passes if the block exists and exits 0.
run_step() {
	local name=$1 commands
	commands=$(step_commands "$name")
	if [ -z "$commands" ]; then
		t_fail "step-$name" "no '<!-- step: $name -->' block in the tutorial"
		return 1
	fi
	if (cd /tests/bin && timeout 120 sh -e -c "$commands") >"/tmp/step-$name.out" 2>&1; then
		t_pass "step-$name"
	else
		t_fail "step-$name" "exited $?: $(tail -n 5 "/tmp/step-$name.out" | tr '\n' '|')"
		return 1
	fi
}

# The number after "from tick " in the last line of the log that has it.
carried_from() {
	sed -n "s/.*$1, carrying on from tick \([0-9]*\).*/\1/p" "$LOG" | tail -n 1
}

if [ ! -r "$TUTORIAL" ] || [ ! -x /tests/bin/ticker ]; then
	t_fail tutorial-setup "no $TUTORIAL or /tests/bin/ticker"
	exit 1
fi
if ! mx_load; then
	t_fail tutorial-setup "mx_load failed"
	exit 1
fi
NOTIFY=/tmp/76-notify.sock
# listen_for WANT: notify-listen in the background ($listener), bound.
listen_for() {
	rm -f /tmp/76-notify.err
	/tests/bin/notify-listen "$NOTIFY" "$1" 60 >/tmp/76-notify.out 2>/tmp/76-notify.err &
	listener=$!
	wait_for 10 grep -q listening /tmp/76-notify.err
}
listen_for READY=1
export NOTIFY_SOCKET=$NOTIFY
started=0
rs_start && started=1
unset NOTIFY_SOCKET
if [ "$started" != 1 ]; then
	t_fail tutorial-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	kill "$listener" 2>/dev/null
	mx_unload
	exit 1
fi
if wait "$listener" && grep -qx 'READY=1' /tmp/76-notify.out; then
	t_pass rs-daemon-notifies-ready
else
	t_fail rs-daemon-notifies-ready "got: $(tr '\n' '|' </tmp/76-notify.out) $(cat /tmp/76-notify.err)"
fi

# ---- 2. install ----------------------------------------------------------------
run_step install
t_check installed test -x "$INSTALLED"

# ---- 3. run --------------------------------------------------------------------
if run_step up && svc_read ticker && [ "$S_PID" != 0 ] &&
	grep -q '^label: ticker$' /tmp/step-up.out; then
	t_pass ticker-running
	endpoint=$S_ENDPOINT
else
	t_fail ticker-running "status: $(tr '\n' ' ' </tmp/step-up.out)"
	endpoint=
fi

run_step logs
# The page promises "started fresh" and ticks in the service's own log,
# and the same lines, prefixed with the label, in rs-daemon's.
if wait_for 20 grep -q ' tick 2$' "$LOG" && grep -q ' started fresh$' "$LOG"; then
	t_pass log-file-has-ticks
else
	t_fail log-file-has-ticks "$(tail -n 3 "$LOG" 2>&1 | tr '\n' '|')"
fi
if grep -q '^ticker: tick 1$' "$RS_LOG" && grep -q '^ticker: started fresh$' "$RS_LOG"; then
	t_pass rs-log-lines-have-the-label
else
	t_fail rs-log-lines-have-the-label "$(grep ticker "$RS_LOG" | tail -n 3 | tr '\n' '|')"
fi
if grep -q '^[0-9-]*T[0-9:.]* tick [0-9]*$' /tmp/step-logs.out; then
	t_pass logs-prints-timed-ticks
else
	t_fail logs-prints-timed-ticks "$(tr '\n' '|' </tmp/step-logs.out)"
fi
# The service's own output goes nowhere else: not unprefixed to RS's log.
if grep -q '^tick ' "$RS_LOG"; then
	t_fail no-unprefixed-service-lines "$(grep '^tick ' "$RS_LOG" | head -n 2 | tr '\n' '|')"
else
	t_pass no-unprefixed-service-lines
fi

# ---- 4. crash --------------------------------------------------------------------
old_pid=$S_PID
run_step crash
if wait_for 20 eval 'svc_read ticker && [ "$S_RESTARTS" = 1 ] && [ "$S_PID" != 0 ]' &&
	[ "$S_ENDPOINT" = "$endpoint" ] && [ "$S_PID" != "$old_pid" ]; then
	t_pass crash-same-endpoint-new-pid
else
	t_fail crash-same-endpoint-new-pid "endpoint $endpoint -> $S_ENDPOINT, pid $old_pid -> $S_PID, restarts $S_RESTARTS"
fi
if wait_for 20 eval '[ -n "$(carried_from restarted)" ]' &&
	[ "$(carried_from restarted)" -ge 1 ]; then
	t_pass crash-carries-the-count
else
	t_fail crash-carries-the-count "$(tail -n 4 "$LOG" | tr '\n' '|')"
fi

# ---- 5. update -------------------------------------------------------------------
before=$(carried_from restarted)
run_step update
if wait_for 20 eval '[ -n "$(carried_from "new version")" ]' &&
	[ "$(carried_from "new version")" -ge "${before:-1}" ]; then
	t_pass update-carries-the-count
else
	t_fail update-carries-the-count "$(tail -n 4 "$LOG" | tr '\n' '|')"
fi
if svc_read ticker && [ "$S_ENDPOINT" = "$endpoint" ] && [ "$S_RESTARTS" = 1 ]; then
	t_pass update-same-endpoint
else
	t_fail update-same-endpoint "endpoint $endpoint -> $S_ENDPOINT, restarts $S_RESTARTS"
fi

# ---- 6. down ---------------------------------------------------------------------
run_step down
out=$(svc status ticker 2>&1)
case $out in
*"no such service"*) t_pass down-ticker-gone ;;
*) t_fail down-ticker-gone "status after down: $out" ;;
esac

svc_down_all ticker
listen_for STOPPING=1
rs_stop || t_fail tutorial-teardown "rs_stop failed"
if wait "$listener"; then
	t_pass rs-daemon-notifies-stopping
else
	t_fail rs-daemon-notifies-stopping "got: $(tr '\n' '|' </tmp/76-notify.out)"
fi
mx_unload || t_fail tutorial-teardown "mx_unload failed"
t_summary
