#!/bin/sh
# 69-journal: rs-daemon under systemd's journal (JOURNAL_STREAM names its
# stderr, as for a unit whose output goes to the journal). Each service's
# output gets a journal stream of its own, opened by sd_journal_stream_fd
# with the label as its identifier (journalctl -t LABEL) and <N> prefixes
# read as priorities; it stays out of rs-daemon's stream, whose own lines
# carry <N> prefixes; the file under /var/log/mxsys is still written; the
# stream carries on across the service's restart. With journald's socket
# gone, a new service's lines go into rs-daemon's stream, label first.
# journal-sink plays journald's stdout socket.
#
# Needs mxsys.ko, rs-daemon, /tests/bin/ticker and /tests/bin/journal-sink.
. /tests/lib.sh

DIR=/tmp/69-journal
SVC=/tmp/69-jsvc.sh

if ! mx_load; then
	t_fail journal-setup "mx_load failed"
	exit 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"
# A service that says one line at priority 3, then ticks (ticker).
cat >"$SVC" <<'EOF'
#!/bin/sh
echo "<3>jl is cross"
exec /tests/bin/ticker "$@"
EOF
chmod 755 "$SVC"

rs_bin=$RS_BIN
RS_BIN=/tests/bin/journal-sink
started=0
rs_start "$DIR" "$rs_bin" && started=1
RS_BIN=$rs_bin
if [ "$started" != 1 ]; then
	t_fail journal-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
CMD_LOG=$DIR/cmd.log

# rs-daemon's own lines, in its stream, carry priorities.
if wait_for 10 grep -q '^<[0-7]>' "$CMD_LOG"; then
	t_pass rs-own-lines-have-priorities
else
	t_fail rs-own-lines-have-priorities "$(head -n 3 "$CMD_LOG" 2>&1 | tr '\n' '|')"
fi

t_check up-jl1 svc up "$SVC" -label jl1
if wait_for 20 grep -q '^tick 2$' "$DIR/jl1.log"; then
	t_pass service-has-its-own-stream
else
	t_fail service-has-its-own-stream "$(ls "$DIR"; tail -n 3 "$DIR/jl1.log" 2>&1)"
fi
if grep -qx 'identifier=jl1 priority=6 level_prefix=1' "$DIR/jl1.header"; then
	t_pass stream-named-by-the-label
else
	t_fail stream-named-by-the-label "$(cat "$DIR/jl1.header" 2>&1)"
fi
# Passed on as it came: the journal reads the prefix as the priority.
if grep -qx '<3>jl is cross' "$DIR/jl1.log" && grep -qx 'started fresh' "$DIR/jl1.log"; then
	t_pass priority-prefix-passed-on
else
	t_fail priority-prefix-passed-on "$(head -n 3 "$DIR/jl1.log" | tr '\n' '|')"
fi
if grep -q 'tick\|jl is cross' "$CMD_LOG"; then
	t_fail not-in-rs-stream "$(grep 'tick\|cross' "$CMD_LOG" | head -n 2 | tr '\n' '|')"
else
	t_pass not-in-rs-stream
fi
t_check file-still-written grep -q ' tick 2$' /var/log/mxsys/jl1.log

# A restart: the new process writes into the same pipe, so the same stream.
if svc_read jl1 && kill -KILL "$S_PID" &&
	wait_for 30 grep -q 'carrying on from tick' "$DIR/jl1.log"; then
	t_pass stream-carries-on-after-restart
else
	t_fail stream-carries-on-after-restart "$(tail -n 3 "$DIR/jl1.log" | tr '\n' '|')"
fi

# journald gone: a new label falls back to rs-daemon's stream.
rm -f /run/systemd/journal/stdout
t_check up-jl2 svc up "$SVC" -label jl2
if wait_for 20 grep -q '^jl2: tick 1$' "$CMD_LOG" &&
	grep -q '^<3>jl2: jl is cross$' "$CMD_LOG"; then
	t_pass no-journald-falls-back-to-rs-stream
else
	t_fail no-journald-falls-back-to-rs-stream "$(grep jl2 "$CMD_LOG" | head -n 3 | tr '\n' '|')"
fi
if grep -q 'jl2: no journal stream of its own' "$CMD_LOG"; then
	t_pass fallback-said-why
else
	t_fail fallback-said-why "$(grep -i journal "$CMD_LOG" | head -n 2 | tr '\n' '|')"
fi

svc_down_all jl1 jl2
rs_stop || t_fail journal-teardown "rs_stop failed"
[ -f "$DIR/sink.pid" ] && kill "$(cat "$DIR/sink.pid")" 2>/dev/null
mx_unload || t_fail journal-teardown "mx_unload failed"
t_summary
