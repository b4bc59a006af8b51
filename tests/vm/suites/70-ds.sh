#!/bin/sh
# 70-ds: the Data Store's whole MINIX contract from services (issue 11):
# MINIX's dstest (U32, STR with truncation, MEM with min(len, stored),
# LABEL), keys up to 79 characters and a 1 MiB value through grants, typed
# keys, the subs sequence and DSF_INITIAL (ds-test api); the owner rules
# and DSF_PRIV_* from another service (peer); malformed requests sent
# straight through IPC (raw). Then the state after a kill -9 of ds-daemon
# and after `minix-service update`: the keys, their owners and the
# subscriptions are all still there; a service brought down loses its keys.
# ds keeps a standby by default (system.conf), which takes over after the
# kill with the journal already replayed.
# ds-daemon --help, --version and bad options.
#
# Needs mxsys.ko, rs-daemon, ds-daemon, minix-service, /tests/bin/ds-test.
. /tests/lib.sh

if ! mx_load || ! rs_start -P 10; then
	t_fail ds-setup "module or rs-daemon did not start: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	exit 1
fi

# ---- the command line --------------------------------------------------------

t_check ds-daemon-help sh -c '/usr/sbin/ds-daemon --help | grep -q "^usage: ds-daemon"'
t_check ds-daemon-version sh -c '/usr/sbin/ds-daemon --version | grep -q "^ds-daemon (mxsys)"'
t_expect_status ds-daemon-bad-option 2 /usr/sbin/ds-daemon -x
t_expect_status ds-daemon-bad-value 2 /usr/sbin/ds-daemon -n 12q
t_expect_status ds-daemon-missing-value 2 /usr/sbin/ds-daemon -b
if /usr/sbin/ds-daemon -n 0 2>&1 | grep -q 'not a positive number'; then
	t_pass ds-daemon-bad-value-says-why
else
	t_fail ds-daemon-bad-value-says-why "$(/usr/sbin/ds-daemon -n 0 2>&1 | head -n 1)"
fi

# ---- the API ---------------------------------------------------------------

dst_up dsapi api || t_fail dsapi-up "up failed"
dst_wait dsapi 120
dst_report dsapi
dst_up dspeer peer || t_fail dspeer-up "up failed"
dst_wait dspeer 60
dst_report dspeer
dst_up dsraw raw || t_fail dsraw-up "up failed"
dst_wait dsraw 60
dst_report dsraw
if svc status ds >/dev/null 2>&1 && [ "$(svc_field ds restarts)" = 0 ]; then
	t_pass ds-never-crashed
else
	t_fail ds-never-crashed "ds restarts: $(svc_field ds restarts)"
fi

# ---- what survives ----------------------------------------------------------

# dsapi left dsapi.priv (7) and dsapi.privsub (9); a checker reads them
# after each event. A fresh ds-test with mode `peer` expects them there.
survives() {
	local what=$1
	dst_up "dsp$what" peer >/dev/null 2>&1
	dst_wait "dsp$what" 60
	if grep -q '^PASS: peer-priv-retrieve-eperm' "$DSV_DIR/dsp$what.out"; then
		t_pass "ds-keys-survive-$what"
	else
		t_fail "ds-keys-survive-$what" "$(grep -m1 peer-priv-retrieve "$DSV_DIR/dsp$what.out")"
	fi
	svc down "dsp$what" >/dev/null 2>&1
}

# system.conf's ds entry says `standby`: RS keeps a standby ds-daemon,
# which follows the journal the serving one names in its hint file.
ds_has_standby() { [ "$(svc_field ds replica)" != 0 ]; }
if wait_for 20 ds_has_standby; then
	t_pass ds-standby-by-default
else
	t_fail ds-standby-by-default "$(svc status ds 2>&1 | tr '\n' ' ')"
fi
hint_pid=$(cut -d' ' -f1 /run/mxsys/ds-journal 2>/dev/null)
[ "$hint_pid" = "$(svc_field ds pid)" ] && t_pass ds-hint-names-the-serving-ds ||
	t_fail ds-hint-names-the-serving-ds "hint: '$(cat /run/mxsys/ds-journal 2>&1)', ds pid $(svc_field ds pid)"
t_expect_status ds-daemon-bad-hint 2 /usr/sbin/ds-daemon -H relative/path

if ds_kill9; then
	t_pass ds-restarted-after-kill9
	survives kill9
	# The standby took over with the journal replayed ahead.
	if grep 'took over' "$RS_LOG" | tail -n 1 | grep -q 'records, [1-9][0-9]* of them replayed ahead'; then
		t_pass ds-takeover-replayed-ahead
	else
		t_fail ds-takeover-replayed-ahead "$(grep 'took over' "$RS_LOG" | tail -n 2 | tr '\n' ' ')"
	fi
else
	t_fail ds-restarted-after-kill9 "no restart: $AW_WHY"
fi
old_pid=$(svc_field ds pid)
if t_check ds-live-update svc update /usr/sbin/ds-daemon -label ds; then
	[ "$(svc_field ds pid)" != "$old_pid" ] && t_pass ds-update-new-process ||
		t_fail ds-update-new-process "pid still $old_pid"
	survives update
fi
if t_check ds-update-self svc update self -label ds; then
	survives update-self
fi
# A rolled-back update (the new version fails its init): the old ds
# serves on, and its hint names it again, not the new version that died.
old_pid=$(svc_field ds pid)
svc -x update self -label ds >/dev/null 2>&1
rc=$?
hint_pid=$(cut -d' ' -f1 /run/mxsys/ds-journal 2>/dev/null)
if [ "$rc" = 85 ] && [ "$(svc_field ds pid)" = "$old_pid" ] &&
	[ "$hint_pid" = "$old_pid" ]; then
	t_pass ds-rollback-hint-names-the-serving-ds
else
	t_fail ds-rollback-hint-names-the-serving-ds "exit $rc (want 85), pid $(svc_field ds pid) (was $old_pid), hint '$(cat /run/mxsys/ds-journal 2>&1)'"
fi
survives rollback
if grep -q 'took over' "$RS_LOG"; then
	t_pass ds-took-over-state
else
	t_fail ds-took-over-state "no 'took over' in rs.log"
fi

# A service brought down takes its keys along.
svc down dsapi
dst_up dsgone peer >/dev/null 2>&1
dst_wait dsgone 60
if grep -q '^FAIL: peer-priv-retrieve-eperm: got -3 ' "$DSV_DIR/dsgone.out"; then
	t_pass ds-down-purges-keys
else
	t_fail ds-down-purges-keys "$(grep -m1 peer-priv-retrieve "$DSV_DIR/dsgone.out")"
fi

svc_down_all dspeer dsraw dsgone
rs_stop || t_fail ds-rs-stop "rs_stop failed"
mx_unload || t_fail ds-unload "rmmod failed"
t_summary
