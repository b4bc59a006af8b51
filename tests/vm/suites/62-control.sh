#!/bin/sh
# 62-control: what users and scripts do to running services, as MINIX's RS
# answers it:
#   recovery scripts   a crash runs `sh S LABEL REASON INCARNATION` and no
#                      automatic restart; `restart` restarts it (EBUSY on a
#                      running service); refresh gives reason "restart", a
#                      heartbeat kill (a spinning service) "no-heartbeat"
#   down               no SIGTERM handler: killed by SIGKILL after the grace
#                      time; sef_cb_signal_handler_term: exits 1 by itself
#   user signals       kill -TERM reaches the handler as a message; it does
#                      not kill the process
#   permissions        non-root: EPERM for every changing request; a service
#                      in the target's `control` list may refresh/update it
#   refresh, clone, unclone, edit
#   dump               SEF's debug dump: the default text (init type after
#                      a fresh start and a refresh), a service's own
#                      callback, errors (unknown label, non-root, a
#                      service that does not answer: ETIMEDOUT, no hang)
#   shutdown           every service stops in reverse dependency order, ds
#                      last; RS exits 0
#
# Needs mxsys.ko, rs-daemon, minix-service, /tests/bin/testsvc.
# S_* are set by svc_read (lib.sh), which shellcheck does not follow.
# shellcheck disable=SC2153
. /tests/lib.sh

MS=$(command -v minix-service)
SCRIPT=$TS_DIR/rec.sh
SCRIPT_LOG=$TS_DIR/rec.log

pid_gone() {
	! _t_alive "$1"
}

# restarted_from NAME LABEL OLD_PID OLD_RESTARTS: t_pass/t_fail NAME on
# whether LABEL came back within 20 s.
restarted_from() {
	if await_restart "$2" "$3" "$4" 20; then
		t_pass "$1"
		return 0
	fi
	t_fail "$1" "no new instance of $2 (was pid $3, restarts $4): $AW_WHY"
	return 1
}

# A death as the module saw it, waiting for the event to come in.
death_wait() {
	wait_for 10 eval "[ -n \"\$(death_of $1)\" ]"
	death_of "$1"
}

if ! mx_load; then
	t_fail control-setup "mx_load failed"
	exit 1
fi
if ! rs_start; then
	t_fail control-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
ts_init
events_start || t_fail control-setup "minix-service monitor did not start (exit statuses unknown)"

cat >"$SCRIPT" <<EOF
#!/bin/sh
# Recovery script of 62-control: log the arguments; restart if asked to.
echo "\$1 \$2 \$3" >>$SCRIPT_LOG
if [ -e $TS_DIR/rec.restart ]; then
	$MS restart "\$1"
	echo "restart-rc \$1 \$?" >>$SCRIPT_LOG
fi
EOF
chmod 0755 "$SCRIPT"

t_elapsed "section 1"
# ---- 1. recovery scripts -------------------------------------------------

if t_check scr-up ts_up scr "" -script "$SCRIPT" -- restart=own term=term; then
	svc_read scr
	pid=$S_PID
	kill -KILL "$pid"
	if wait_for 20 grep -qx "scr terminated 0" "$SCRIPT_LOG"; then
		t_pass scr-script-args-label-reason-incarnation
		# The restart RS would do on its own comes at once (first
		# crash): give it a second to show that it does not.
		sleep 1
		svc_read scr
		if [ "$S_RESTARTS" = 0 ] && [ "$(ts_value scr running pid)" = "$pid" ]; then
			t_pass scr-no-automatic-restart
		else
			t_fail scr-no-automatic-restart "restarts $S_RESTARTS, last running pid $(ts_value scr running pid)"
		fi
		if t_check scr-restart svc restart scr; then
			restarted_from scr-restart-restarts scr "$pid" 0
		fi
	else
		t_fail scr-script-args-label-reason-incarnation "script log: '$(tr '\n' '|' <"$SCRIPT_LOG" 2>/dev/null)'"
	fi
	t_expect_status scr-restart-running-ebusy 16 svc restart scr
	svc_read scr
	pid=$S_PID
	restarts=$S_RESTARTS
	touch "$TS_DIR/rec.restart"
	if t_check scr-refresh svc refresh scr; then
		if wait_for 20 grep -qx "scr restart $restarts" "$SCRIPT_LOG"; then
			t_pass scr-refresh-reason-restart
		else
			t_fail scr-refresh-reason-restart "script log: '$(tr '\n' '|' <"$SCRIPT_LOG")'"
		fi
		if wait_for 20 grep -qx "restart-rc scr 0" "$SCRIPT_LOG"; then
			t_pass scr-script-restart-ok
		else
			t_fail scr-script-restart-ok "script log: '$(tr '\n' '|' <"$SCRIPT_LOG")'"
		fi
		restarted_from scr-restarted-by-script scr "$pid" "$restarts"
	fi
fi
svc_down_all scr

# A spinning service misses its heartbeats; the script hears "no-heartbeat".
if t_check hbspin-up ts_up hbspin "" -script "$SCRIPT" -period 500ms -- restart=own term=term; then
	svc_read hbspin
	pid=$S_PID
	ts_cmd hbspin spin
	if wait_for 30 grep -qx "hbspin no-heartbeat 0" "$SCRIPT_LOG"; then
		t_pass hbspin-script-reason-no-heartbeat
	else
		t_fail hbspin-script-reason-no-heartbeat "script log: '$(tr '\n' '|' <"$SCRIPT_LOG")', service log: $(tail -n 2 "$TS_DIR/hbspin.log" | tr '\n' '|')"
	fi
	if restarted_from hbspin-restarted hbspin "$pid" 0; then
		death=$(death_wait "$pid")
		if [ "$death" = "signal 9" ]; then
			t_pass hbspin-killed-by-rs
		else
			t_fail hbspin-killed-by-rs "spinning pid $pid ended by '$death', expected 'signal 9'"
		fi
	fi
fi
rm -f "$TS_DIR/rec.restart"
svc_down_all hbspin

t_elapsed "section 2"
# ---- 2. down: SIGTERM as a message, SIGKILL after the grace time -----------

# down_case NAME TERM-OPTION EXPECTED-DEATH
down_case() {
	local name=$1 t0 t1 pid death
	# shellcheck disable=SC2086 # $2 may be empty: no argument then
	if ! t_check "$name-up" ts_up "$name" "" -- restart=own $2; then
		return
	fi
	svc_read "$name"
	pid=$S_PID
	t0=$(_t_now_cs)
	if t_check "$name-down" svc down "$name"; then
		t1=$(_t_now_cs)
		death=$(death_wait "$pid")
		if [ "$death" = "$3" ]; then
			t_pass "$name-ended-by-$(echo "$3" | tr ' ' -)"
		else
			t_fail "$name-ended-by-$(echo "$3" | tr ' ' -)" "pid $pid ended by '$death'"
		fi
		echo "MEASURE down_ms=$(((t1 - t0) * 10)) handler=${2:-null}"
		t_expect_status "$name-lookup-gone" 3 svc lookup "$name"
		t_expect_status "$name-status-gone" 3 svc status "$name"
	fi
	svc_down_all "$name"
}
down_case dnull "" "signal 9"
down_case dterm term=term "exit 1"

t_elapsed "section 3"
# ---- 3. a user's SIGTERM is a message to the service ------------------------

if t_check ksig-up ts_up ksig "" -- restart=own term=log; then
	svc_read ksig
	pid=$S_PID
	kill -TERM "$pid"
	if wait_for 20 grep -q " pid=$pid id=ksig event=signal signo=15" "$TS_DIR/ksig.log"; then
		t_pass ksig-handler-sees-sigterm
	else
		t_fail ksig-handler-sees-sigterm "no signal event: $(tail -n 2 "$TS_DIR/ksig.log" | tr '\n' '|')"
	fi
	svc_read ksig
	if _t_alive "$pid" && [ "$S_PID" = "$pid" ] && [ "$S_RESTARTS" = 0 ]; then
		t_pass ksig-not-killed-by-signal
	else
		t_fail ksig-not-killed-by-signal "pid $pid alive: $(_t_alive "$pid" && echo yes || echo no), status pid $S_PID restarts $S_RESTARTS, death '$(death_of "$pid")'"
	fi
fi
svc_down_all ksig
if t_check ksigt-up ts_up ksigt "" -- restart=own term=term; then
	svc_read ksigt
	pid=$S_PID
	kill -TERM "$pid"
	death=$(death_wait "$pid")
	if [ "$death" = "exit 1" ]; then
		t_pass ksigt-handler-exits-1
	else
		t_fail ksigt-handler-exits-1 "pid $pid ended by '$death', expected 'exit 1' (sef_cb_signal_handler_term)"
	fi
	restarted_from ksigt-exit-restarted ksigt "$pid" 0
fi
svc_down_all ksigt

t_elapsed "section 4"
# ---- 4. permissions ------------------------------------------------------

# nobody_expect NAME CODE ARGS...: minix-service ARGS as nobody exits CODE.
nobody_expect() {
	local name=$1 code=$2 rc
	shift 2
	as_user nobody timeout 60 "$MS" "$@" >/dev/null 2>/tmp/62-nobody.err
	rc=$?
	if [ "$rc" = "$code" ]; then
		t_pass "$name"
	else
		t_fail "$name" "'minix-service $*' as nobody exited $rc, expected $code: $(tail -n 1 /tmp/62-nobody.err)"
	fi
}

if t_check perm-up ts_up perm "" -- restart=own term=term; then
	svc_read perm
	pid=$S_PID
	restarts=$S_RESTARTS
	nobody_expect perm-nobody-up-eperm 1 up "$TS_SVC" -label permx -args permx
	nobody_expect perm-nobody-down-eperm 1 down perm
	nobody_expect perm-nobody-refresh-eperm 1 refresh perm
	nobody_expect perm-nobody-restart-eperm 1 restart perm
	nobody_expect perm-nobody-update-eperm 1 update self -label perm
	nobody_expect perm-nobody-clone-eperm 1 clone perm
	nobody_expect perm-nobody-fi-eperm 1 "fi" perm
	nobody_expect perm-nobody-edit-eperm 1 edit "$TS_SVC" -label perm -period 1HZ
	nobody_expect perm-nobody-shutdown-eperm 1 shutdown
	nobody_expect perm-nobody-status-ok 0 status perm
	nobody_expect perm-nobody-lookup-ok 0 lookup perm
	# Slot events carry pids: listening needs CAP_NET_ADMIN.
	nobody_expect perm-nobody-monitor-eperm 1 monitor -n 1
	svc_read perm
	if [ "$S_PID" = "$pid" ] && [ "$S_RESTARTS" = "$restarts" ] &&
		[ "${S_REPLICA:-0}" = 0 ] &&
		! svc status permx >/dev/null 2>&1 && _t_alive "$RS_PID"; then
		t_pass perm-nobody-changed-nothing
	else
		t_fail perm-nobody-changed-nothing "pid $pid -> $S_PID, restarts $restarts -> $S_RESTARTS, replica '$S_REPLICA'"
	fi
fi
svc_down_all perm permx

# Control lists: permok (uid 65534) may control permtgt, permno may not.
cat >"$TS_DIR/perm.conf" <<EOF
service permtgt {
	control permok;
};
service permok {
	uid 65534;
};
service permno {
	uid 65534;
};
EOF

# ctl_run ID CMD...: service ID runs CMD as its child; prints its exit code.
ctl_run() {
	local id=$1 before
	shift
	before=$(grep -c " event=run " "$TS_DIR/$id.log" 2>/dev/null)
	ts_cmd "$id" "run $*"
	wait_for 60 eval "[ \$(grep -c ' event=run ' $TS_DIR/$id.log) -gt ${before:-0} ]" ||
		return 1
	ts_value "$id" run rc
}

ctl_up() {
	ts_up "$1" "" -progname "$1" -config "$TS_DIR/perm.conf" -- restart=own lu=ds term=term
}

if t_check permtgt-up ctl_up permtgt && t_check permok-up ctl_up permok &&
	t_check permno-up ctl_up permno; then
	svc_read permok
	okpid=$S_PID
	uid=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$okpid/status")
	if [ "$uid" = 65534 ] && [ "$S_UID" = 65534 ]; then
		t_pass permok-runs-as-uid-65534
	else
		t_fail permok-runs-as-uid-65534 "process uid '$uid', status uid '$S_UID'"
	fi
	svc_read permtgt
	pid=$S_PID
	restarts=$S_RESTARTS
	ep=$S_ENDPOINT
	rc=$(ctl_run permok "$MS refresh permtgt")
	if [ "$rc" = 0 ]; then
		t_pass control-listed-may-refresh
		restarted_from control-refresh-restarted permtgt "$pid" "$restarts"
	else
		t_fail control-listed-may-refresh "minix-service refresh run by permok exited '$rc'"
	fi
	svc_read permtgt
	pid=$S_PID
	restarts=$S_RESTARTS
	rc=$(ctl_run permok "$MS update self -label permtgt")
	svc_read permtgt
	if [ "$rc" = 0 ] && [ "$S_PID" != "$pid" ] && [ "$S_ENDPOINT" = "$ep" ] &&
		[ "$S_RESTARTS" = "$restarts" ]; then
		t_pass control-listed-may-update
	else
		t_fail control-listed-may-update "update self run by permok exited '$rc'; pid $pid -> $S_PID, endpoint $ep -> $S_ENDPOINT"
	fi
	svc_read permtgt
	pid=$S_PID
	rc=$(ctl_run permno "$MS refresh permtgt")
	svc_read permtgt
	if [ "$rc" = 1 ] && [ "$S_PID" = "$pid" ]; then
		t_pass control-unlisted-eperm
	else
		t_fail control-unlisted-eperm "refresh run by permno exited '$rc' (expected 1); pid $pid -> $S_PID"
	fi
fi
svc_down_all permtgt permok permno

t_elapsed "section 5"
# ---- 5. refresh, clone, unclone, edit ---------------------------------------

replica_ready() {
	svc_read "$1" && [ -n "$S_REPLICA" ] && [ "$S_REPLICA" != 0 ] &&
		[ "$S_REPLICA" != "$S_PID" ] && _t_alive "$S_REPLICA"
}
replica_gone() {
	svc_read "$1" && [ "${S_REPLICA:-0}" = 0 ] && ! _t_alive "$2"
}

if t_check ops-up ts_up ops "" -- restart=own term=term; then
	svc_read ops
	pid=$S_PID
	ep=$S_ENDPOINT
	restarts=$S_RESTARTS
	if t_check ops-refresh svc refresh ops &&
		restarted_from ops-refresh-restarted ops "$pid" "$restarts"; then
		if [ "$S_RESTARTS" = $((restarts + 1)) ] && [ "$S_ENDPOINT" = "$ep" ]; then
			t_pass ops-refresh-same-endpoint-restarts-plus-one
		else
			t_fail ops-refresh-same-endpoint-restarts-plus-one "endpoint $ep -> $S_ENDPOINT, restarts $restarts -> $S_RESTARTS"
		fi
		death=$(death_wait "$pid")
		if [ "$death" = "exit 1" ]; then
			t_pass ops-refresh-sends-sigterm
		else
			t_fail ops-refresh-sends-sigterm "old pid $pid ended by '$death', expected 'exit 1' (its SIGTERM handler)"
		fi
	fi
	if t_check ops-clone svc clone ops; then
		if wait_for 20 replica_ready ops; then
			t_pass ops-clone-replica
		else
			t_fail ops-clone-replica "status shows replica '$S_REPLICA' for pid $S_PID"
		fi
	fi
	t_expect_status ops-clone-twice-eexist 17 svc clone ops
	svc_read ops
	replica=$S_REPLICA
	if t_check ops-unclone svc unclone ops; then
		if wait_for 20 replica_gone ops "${replica:-0}"; then
			t_pass ops-unclone-replica-gone
		else
			t_fail ops-unclone-replica-gone "replica was $replica; status shows '$S_REPLICA'"
		fi
	fi
	t_expect_status ops-unclone-again-enoent 2 svc unclone ops
	svc_read ops
	pid=$S_PID
	if t_check ops-edit svc edit "$TS_SVC" -label ops -period 1500ms; then
		svc_read ops
		if [ "$S_PERIOD" = 1500ms ] && [ "$S_PID" = "$pid" ]; then
			t_pass ops-edit-period
		else
			t_fail ops-edit-period "period '$S_PERIOD' (expected 1500ms), pid $pid -> $S_PID"
		fi
	fi
fi
svc_down_all ops

t_elapsed "section 5b"
# ---- 5b. dump: the SEF debug event ---------------------------------------

# dump_has NAME LABEL PATTERN...: `dump LABEL` succeeds and prints a line
# matching each (grep -E) pattern.
dump_has() {
	local name=$1 label=$2 out pat
	shift 2
	if ! out=$(svc dump "$label" 2>&1); then
		t_fail "$name" "dump $label failed: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
	for pat in "$@"; do
		if ! echo "$out" | grep -Eq -- "$pat"; then
			t_fail "$name" "no line /$pat/ in: $(echo "$out" | tr '\n' '|')"
			return 1
		fi
	done
	t_pass "$name"
}

if t_check dump-up ts_up dmp "" -- restart=own term=term; then
	svc_read dmp
	dump_has dump-default-fresh dmp "^service: dmp \\(endpoint $S_ENDPOINT, pid $S_PID\\)$" \
		'^init: fresh$' '^restarts: 0$' '^live update: none$' \
		'^pending signals: none$' '^open fds: [0-9]+$' '^fd store: 0 of 1024$' \
		'^ds requests: [0-9]+ '
	pid=$S_PID
	restarts=$S_RESTARTS
	if t_check dump-refresh svc refresh dmp &&
		restarted_from dump-refresh-restarted dmp "$pid" "$restarts"; then
		dump_has dump-after-refresh dmp '^init: restart$' "^restarts: $S_RESTARTS\$"
	fi
	t_expect_status dump-unknown-label-esrch 3 svc dump nosuchsvc
	nobody_expect dump-nobody-eperm 1 dump dmp
	t_expect_status dump-long-label-einval 22 svc dump 0123456789abcdefXYZ
	# A service that never gets back to sef_receive: a clear ETIMEDOUT,
	# and RS goes on answering meanwhile.
	ts_cmd dmp spin
	if wait_for 10 grep -q "event=spin" "$TS_DIR/dmp.log"; then
		svc dump dmp >/tmp/62-dump.out 2>&1 &
		dump_job=$!
		if svc status ds >/dev/null 2>&1; then
			t_pass dump-rs-answers-while-waiting
		else
			t_fail dump-rs-answers-while-waiting "status ds failed during a dump"
		fi
		wait "$dump_job"
		rc=$?
		if [ "$rc" = 110 ] && grep -q "dmp did not answer within" /tmp/62-dump.out; then
			t_pass dump-stuck-service-etimedout
		else
			t_fail dump-stuck-service-etimedout "exit $rc: $(tr '\n' '|' </tmp/62-dump.out)"
		fi
	else
		t_fail dump-stuck-service-etimedout "dmp never logged event=spin"
	fi
fi
svc_down_all dmp

if t_check dump-custom-up ts_up dmpc "" -- term=term dump=custom; then
	dump_has dump-custom-callback dmpc '^init: fresh$' '^testsvc: dmpc served=0 gen=0$'
fi
svc_down_all dmpc

t_elapsed "section 6"
# ---- 6. shutdown: reverse dependency order, ds last, RS exits 0 ----------
# sd1 (program sdtop) is the oldest but its ipc list names sd2's program
# (sdmid): it must stop before sd2. sd3 (plain testsvc) has no dependents
# and is the newest: it stops first. Newest-first alone would give sd3,
# sd2, sd1; the dependency makes it sd3, sd1, sd2.

# seq of PID's death event, or "" if none.
death_seq() {
	event_value "$1" died seq
}

shutdown_ok=0
SD_CONF=/tmp/62-shutdown.conf
cat >"$SD_CONF" <<'EOF_CONF'
service sdtop { ipc ds sdmid; };
service sdmid { ipc ALL_SYS; };
EOF_CONF
if t_check sd1-up ts_up sd1 "" -config "$SD_CONF" -progname sdtop -- term=term &&
	t_check sd2-up ts_up sd2 "" -config "$SD_CONF" -progname sdmid -- term=term &&
	t_check sd3-up ts_up sd3 "" -- term=term; then
	p1=$(svc_field sd1 pid)
	p2=$(svc_field sd2 pid)
	p3=$(svc_field sd3 pid)
	pds=$(svc_field ds pid)
	if t_check shutdown svc shutdown; then
		if wait_for 30 pid_gone "$RS_PID"; then
			wait "$RS_PID"
			rc=$?
			shutdown_ok=1
			if [ "$rc" = 0 ]; then
				t_pass shutdown-rs-exits-0
			else
				t_fail shutdown-rs-exits-0 "rs-daemon exited $rc"
			fi
			RS_PID=
		else
			t_fail shutdown-rs-exits-0 "rs-daemon still running 30 s after shutdown"
		fi
		wait_for 10 eval "[ -n \"\$(death_seq $pds)\" ]"
		s1=$(death_seq "$p1")
		s2=$(death_seq "$p2")
		s3=$(death_seq "$p3")
		sds=$(death_seq "$pds")
		if [ -n "$s1" ] && [ -n "$s2" ] && [ -n "$s3" ] &&
			[ "$s3" -lt "$s1" ] && [ "$s1" -lt "$s2" ]; then
			t_pass shutdown-reverse-dependency-order
		else
			t_fail shutdown-reverse-dependency-order "death event order sd1 '$s1' sd2 '$s2' sd3 '$s3' (lower first; expected sd3, sd1, sd2)"
		fi
		if [ -n "$sds" ] && [ -n "$s2" ] && [ "$s2" -lt "$sds" ]; then
			t_pass shutdown-ds-last
		else
			t_fail shutdown-ds-last "death event of ds '$sds', of sd2 '$s2'"
		fi
		t_expect_status shutdown-no-rs-left 3 svc status ds
	fi
fi

# ---- teardown ----------------------------------------------------------------

if [ "$T_FAILED" -gt 0 ]; then
	echo "# rs.log of 62-control:"
	sed 's/^/# rs.log: /' "$RS_LOG"
	echo "# slot events:"
	sed 's/^/# events: /' "$EVENTS_LOG"
fi
events_stop
if [ "$shutdown_ok" = 0 ]; then
	svc_down_all scr hbspin dnull dterm ksig ksigt perm permx permtgt permok permno ops sd1 sd2 sd3
	rs_stop || t_fail control-teardown "rs_stop failed"
else
	# Whatever the shutdown left behind.
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in
		"$TS_SVC" | /usr/sbin/ds-daemon) kill -KILL "${p#/proc/}" 2>/dev/null ;;
		esac
	done
fi
mx_unload || t_fail control-teardown "mx_unload failed"
t_elapsed end
t_summary
