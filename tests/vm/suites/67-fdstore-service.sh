#!/bin/sh
# 67-fdstore-service: a service's fd store under rs-daemon (issue 10).
# testsvc keeps a FIFO's read end in its store; a shell writer on the FIFO
# is the witness from outside: its writes go on (the module holds the read
# end) through a kill -9, a fault-injection crash, a standby replica's
# takeover, a live update and a rolled-back one, and fail with EPIPE only
# once `down` or a reset clears the slot. Each new instance finds the name
# in its store at init and nothing else open that it did not open itself;
# RS never holds a stored file. `status` names the files, `monitor`
# reports stores and closes.
. /tests/lib.sh

RESTART_WAIT=30

if ! mx_load || ! rs_start; then
	t_fail fdstore-setup "module or rs-daemon did not start"
	exit 1
fi
ts_init
events_start || t_fail fdstore-monitor "monitor did not start"
# RS's descriptors but the services' log pipes and files (3 per label).
rs_fds() {
	ls -l /proc/"$RS_PID"/fd | grep -v -e 'pipe:' -e '/var/log/mxsys/' | wc -l
}
rs_fds_before=$(rs_fds)

# ---- helpers ---------------------------------------------------------------

# A writer on FIFO $1 (after its reader exists): one byte every 0.1 s, the
# number of good writes in $1.writes, "broken" in $1.state after a failed one.
start_writer() {
	(
		trap '' PIPE
		exec 3>"$1" || exit 1
		n=0
		while printf x >&3 2>/dev/null; do
			n=$((n + 1))
			echo "$n" >"$1.writes.tmp" && mv "$1.writes.tmp" "$1.writes"
			sleep 0.1
		done
		echo broken >"$1.state"
	) &
}
writes() { cat "$1.writes" 2>/dev/null || echo 0; }
writes_past() { [ "$(writes "$1")" -ge "$2" ]; }
broken() { [ -f "$1.state" ]; }
# The writer still gets through: two more writes than now.
writer_goes_on() {
	local target=$(($(writes "$1") + 2))
	wait_for 30 writes_past "$1" "$target" && ! broken "$1"
}

fd_event_seen() { ts_value "$1" "$2" result | grep -qx 0; }
init_count() { grep -c ' event=init ' "$TS_DIR/$1.log" 2>/dev/null; }
inits_past() { [ "$(init_count "$1")" -gt "$2" ]; }

# After a crash or update of $1 (old pid $2, $3 inits before): the new
# instance had the FIFO in its store at init, no more open than the first
# instance had, and the writer went on.
check_kept() {
	local name=$1 label=$2 inits=$3 fifo=$4
	if ! wait_for "$RESTART_WAIT" inits_past "$label" "$inits"; then
		t_fail "$name-new-instance" "no new init of $label"
		return 1
	fi
	fds=$(ts_value "$label" init fds)
	open=$(ts_value "$label" init open)
	if [ "$fds" = fifo.r ]; then
		t_pass "$name-store-kept"
	else
		t_fail "$name-store-kept" "the new instance's store held '$fds'"
	fi
	if [ "$open" = "$FIRST_OPEN" ]; then
		t_pass "$name-nothing-leaked-into-instance"
	else
		t_fail "$name-nothing-leaked-into-instance" "$open descriptors open at init, the first instance had $FIRST_OPEN"
	fi
	if writer_goes_on "$fifo"; then
		t_pass "$name-fifo-reader-kept"
	else
		t_fail "$name-fifo-reader-kept" "writes $(writes "$fifo"), state $(cat "$fifo.state" 2>/dev/null)"
	fi
}

# ---- 1. store, status, crashes, updates: the FIFO stays open ------------

FIFO1=$TS_DIR/fifo1
mkfifo "$FIFO1"
if ts_up fs1 "" -- restart=own &&
	wait_for 30 ts_running fs1 "$(svc_field fs1 pid)"; then
	FIRST_OPEN=$(ts_value fs1 init open)
	ts_cmd fs1 "fd-store fifo.r $FIFO1"
	if wait_for 30 fd_event_seen fs1 fd-store; then
		t_pass store-in-service
	else
		t_fail store-in-service "$(tail -n 3 "$TS_DIR/fs1.log")"
	fi
	start_writer "$FIFO1"
	if wait_for 30 writes_past "$FIFO1" 2; then
		t_pass writer-started
	else
		t_fail writer-started "no write reached the FIFO"
	fi
	case $(svc status fs1 2>&1) in
	*"fds: fifo.r"*) t_pass status-names-the-store ;;
	*) t_fail status-names-the-store "$(svc status fs1 2>&1 | tr '\n' ' ')" ;;
	esac
	case $(svc status -j fs1 2>&1) in
	*'"fds": ["fifo.r"], "fd_count": 1'*) t_pass status-json-names-the-store ;;
	*) t_fail status-json-names-the-store "$(svc status -j fs1 2>&1)" ;;
	esac

	n=$(init_count fs1)
	kill -9 "$(svc_field fs1 pid)"
	check_kept kill9 fs1 "$n" "$FIFO1"

	n=$(init_count fs1)
	t_check fi-crash svc fi fs1
	check_kept fi fs1 "$n" "$FIFO1"

	n=$(init_count fs1)
	t_check live-update svc update self -label fs1
	check_kept update fs1 "$n" "$FIFO1"

	# A new version that crashes in its init: rolled back to the old one,
	# which still has the file.
	t_expect_status rollback-exit-85 85 svc -x update self -label fs1
	ts_cmd fs1 "fd-check fifo.r"
	if wait_for 30 fd_event_seen fs1 fd-check && writer_goes_on "$FIFO1"; then
		t_pass rollback-store-kept
	else
		t_fail rollback-store-kept "fd-check: $(ts_value fs1 fd-check result), writes $(writes "$FIFO1")"
	fi
fi

# ---- 2. a standby replica takes over with the store -----------------------

FIFO2=$TS_DIR/fifo2
mkfifo "$FIFO2"
if ts_up fs2 "-p" -- restart=own &&
	wait_for 30 ts_running fs2 "$(svc_field fs2 pid)"; then
	ts_cmd fs2 "fd-store fifo.r $FIFO2"
	wait_for 30 fd_event_seen fs2 fd-store
	start_writer "$FIFO2"
	wait_for 30 writes_past "$FIFO2" 2
	n=$(init_count fs2)
	FIRST_OPEN=$(ts_value fs2 init open)
	kill -9 "$(svc_field fs2 pid)"
	check_kept replica fs2 "$n" "$FIFO2"
fi

# ---- 3. RS holds no stored file ---------------------------------------------

rs_fds_after=$(rs_fds)
if [ "$rs_fds_after" = "$rs_fds_before" ]; then
	t_pass nothing-leaked-into-rs
else
	t_fail nothing-leaked-into-rs "rs-daemon had $rs_fds_before descriptors, now $rs_fds_after"
fi

# ---- 4. down closes the store; so does a reset ----------------------------

if ! broken "$FIFO1"; then
	t_pass fifo-open-until-down
else
	t_fail fifo-open-until-down "the writer broke before the down"
fi
t_check down-fs1 svc down fs1
if wait_for 30 broken "$FIFO1"; then
	t_pass down-closes-the-store
else
	t_fail down-closes-the-store "the writer still gets through after down"
fi

FIFO3=$TS_DIR/fifo3
mkfifo "$FIFO3"
if ts_up fs3 "" -- &&
	wait_for 30 ts_running fs3 "$(svc_field fs3 pid)"; then
	ts_cmd fs3 "fd-store fifo.r $FIFO3"
	wait_for 30 fd_event_seen fs3 fd-store
	start_writer "$FIFO3"
	wait_for 30 writes_past "$FIFO3" 2
	old_ep=$(svc_field fs3 endpoint)
	# The default restart callback resets: a new endpoint, a clean slate.
	kill -9 "$(svc_field fs3 pid)"
	if wait_for 30 broken "$FIFO3"; then
		t_pass reset-closes-the-store
	else
		t_fail reset-closes-the-store "the writer still gets through after the reset"
	fi
	if wait_for "$RESTART_WAIT" sh -c "[ \"\$(minix-service status fs3 | sed -n 's/^endpoint: //p')\" != $old_ep ]"; then
		case $(svc status fs3 2>&1) in
		*"fds: -"*) t_pass reset-starts-with-empty-store ;;
		*) t_fail reset-starts-with-empty-store "$(svc status fs3 2>&1 | tr '\n' ' ')" ;;
		esac
	else
		t_fail reset-starts-with-empty-store "fs3 did not come back on a new endpoint"
	fi
fi

# ---- 5. monitor saw the stores and the closes -----------------------------

events_stop
if grep -q ' fd-stored .* fd=fifo.r' "$EVENTS_LOG" &&
	grep -q ' fd-closed .* fd=fifo.r' "$EVENTS_LOG"; then
	t_pass monitor-reports-fd-events
else
	t_fail monitor-reports-fd-events "$(grep fd- "$EVENTS_LOG" | head -n 3 | tr '\n' '|')"
fi

svc_down_all fs2 fs3
rs_stop
t_check fdstore-service-unload mx_unload
t_summary
