#!/bin/sh
# 72-ds-limits: the Data Store at its caps (issue 11). ds-daemon gets
# `-n 100 -b 64K -C 20 -G 4G` from the args of its system.conf entry; ds-test caps
# publishes until ENOMEM (entries), overwrites and deletes at the cap,
# fills the bytes until ENOMEM, and gets E2BIG for one value larger than
# the whole cap; DS keeps serving and never crashes. A kill -9 at the cap
# brings it back with the same keys (the caps hold for replay too).
# -C 20 makes DS abort once, after committing the 20th client change and
# before answering it: the client's retry must be answered from the
# journal (OK, not EEXIST), so the publishes go on to ENOMEM. -G 4G first
# sets the journal's file to 4 GiB, four times the VM's memory, as a DS
# gone wrong could: the next DS must map only what was committed (not
# fill the memory faulting all of it in) and give the rest back.
#
# Needs mxsys.ko, rs-daemon, ds-daemon, minix-service, /tests/bin/ds-test.
. /tests/lib.sh

# rs-daemon reads ds's entry from the installed system.conf (-c names the
# boot services' file only): edit it for this suite, put it back after.
CONF=/etc/minix/system.conf
cp "$CONF" /tmp/72-system.conf.orig
awk '
	{ print }
	/^service ds$/ { inds = 1 }
	inds && /^[{]/ { print "\targs \"-n 100 -b 64K -C 20 -G 4G\";"; inds = 0 }
' /tmp/72-system.conf.orig >"$CONF" || cp /tmp/72-system.conf.orig "$CONF"

if ! mx_load || ! rs_start -P 10; then
	t_fail ds-limits-setup "module or rs-daemon did not start: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	cp /tmp/72-system.conf.orig "$CONF"
	exit 1
fi
if tr '\0' ' ' </proc/"$(svc_field ds pid)"/cmdline | grep -q -- '-n 100 -b 64K -C 20 -G 4G'; then
	t_pass ds-limits-args-from-system-conf
else
	t_fail ds-limits-args-from-system-conf "ds runs as: $(tr '\0' ' ' </proc/"$(svc_field ds pid)"/cmdline); entry: $(grep -A3 '^service ds$' "$CONF" | tr '\n' ' '); rs.log: $(grep 'ds' "$RS_LOG" | head -n 3 | tr '\n' ' ')"
fi

dst_up dscaps caps || t_fail dscaps-up "up failed"
dst_wait dscaps 120
dst_report dscaps
[ "$(svc_field ds restarts)" = 1 ] && t_pass ds-limits-crashed-once ||
	t_fail ds-limits-crashed-once "ds restarts: $(svc_field ds restarts)"
if grep -q 'answered with its first result' "$RS_LOG"; then
	t_pass ds-limits-retry-answered-from-journal
else
	t_fail ds-limits-retry-answered-from-journal "$(grep 'ds:' "$RS_LOG" | tail -n 3 | tr '\n' ' ')"
fi

# The journal's file after the restart: cut back to what was committed.
ds_state_size() {
	local pid fd
	pid=$(svc_field ds pid)
	for fd in /proc/"$pid"/fd/*; do
		case $(readlink "$fd") in
		*memfd:ds.state*) stat -L -c %s "$fd"; return ;;
		esac
	done
}
size=$(ds_state_size)
if [ -n "$size" ] && [ "$size" -lt $((16 << 20)) ]; then
	t_pass ds-limits-huge-journal-file-trimmed
else
	t_fail ds-limits-huge-journal-file-trimmed "ds.state is '$size' bytes; rs.log: $(grep 'ds:' "$RS_LOG" | tail -n 3 | tr '\n' ' ')"
fi

# At the cap, through a restart: the keys are there again.
if ds_kill9; then
	t_pass ds-limits-restart-at-cap
	dst_up dsget get cap.0 3 >/dev/null 2>&1
	dst_wait dsget 60
	dst_report dsget
	svc down dsget >/dev/null 2>&1
else
	t_fail ds-limits-restart-at-cap "$AW_WHY"
fi
svc_down_all dscaps
cp /tmp/72-system.conf.orig "$CONF"
rs_stop || t_fail ds-limits-rs-stop "rs_stop failed"
mx_unload || t_fail ds-limits-unload "rmmod failed"
t_summary
