#!/bin/sh
# The mxsys demo (`make run`), run by the VM's init instead of the suites:
# a driver crashes and the Reincarnation Server brings it back behind the
# same endpoint; then it is live-updated, keeping its state, and an update
# whose new version crashes is rolled back. Each step says what it does; the first step that does not
# behave as described ends the demo with status 1.
. /tests/lib.sh

step() {
	echo
	echo ">>> $*"
}

fail() {
	echo "demo: $*"
	[ -f "$RS_LOG" ] && { echo "--- rs-daemon log:"; tail -n 30 "$RS_LOG"; }
	exit 1
}

# minix-service waits for RS without a limit; a broken RS must not hang
# the demo.
svc() {
	timeout 60 minix-service "$@"
}

# status_field LABEL KEY: one value from `minix-service status LABEL`.
status_field() {
	svc status "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# True once hello runs again as a new process and serves /dev/hello.
hello_is_back() {
	local pid
	pid=$(status_field hello pid)
	[ -n "$pid" ] && [ "$pid" != - ] && [ "$pid" != "$old_pid" ] &&
		[ -c /dev/hello ]
}

step "Load the mxsys kernel module"
mx_load || fail "could not load mxsys.ko"
ls -l /dev/mxsys

step "Start the Reincarnation Server; it starts the Data Store as a boot service"
rs_start || fail "rs-daemon did not come up"
svc status ds

step "minix-service up /usr/libexec/mxsys/hello -label hello"
svc up /usr/libexec/mxsys/hello -label hello ||
	fail "minix-service up failed with status $?"
wait_for 10 test -c /dev/hello || fail "/dev/hello did not appear"

step "cat /dev/hello"
cat /dev/hello || fail "reading /dev/hello failed"

step "minix-service status hello"
svc status hello || fail "status failed"
old_pid=$(status_field hello pid)
old_endpoint=$(status_field hello endpoint)
old_restarts=$(status_field hello restarts)

step "Crash the driver: kill -9 $old_pid"
kill -9 "$old_pid" || fail "cannot kill pid '$old_pid'"

step "Wait for RS to restart it"
wait_for 20 hello_is_back || fail "hello did not come back"
svc status hello
endpoint=$(status_field hello endpoint)
restarts=$(status_field hello restarts)
echo "endpoint $old_endpoint -> $endpoint, restarts $old_restarts -> $restarts"
echo "--- what rs-daemon and hello logged:"
tail -n 8 "$RS_LOG"
[ "$endpoint" = "$old_endpoint" ] || fail "the endpoint changed"
[ "$restarts" = $((old_restarts + 1)) ] || fail "restarts did not go up by one"

step "cat /dev/hello (served by the new process)"
cat /dev/hello || fail "reading /dev/hello after the restart failed"

step "Open it twice more: hello counts its opens (the restart reset the count)"
cat /dev/hello >/dev/null && cat /dev/hello >/dev/null ||
	fail "reading /dev/hello failed"
grep 'hello_open' "$RS_LOG" | tail -n 1

step "Live update: minix-service update self -label hello"
pid=$(status_field hello pid)
svc update self -label hello || fail "the live update failed with status $?"
wait_for 20 test -c /dev/hello || fail "/dev/hello did not come back"
svc status hello
[ "$(status_field hello endpoint)" = "$endpoint" ] || fail "the endpoint changed"
[ "$(status_field hello pid)" != "$pid" ] || fail "the same process still runs"
cat /dev/hello >/dev/null || fail "reading /dev/hello after the update failed"
echo "--- the new version took the count over through DS:"
grep -e "new version" -e 'hello_open' "$RS_LOG" | tail -n 2

step "A new version that crashes in its init (-x): RS rolls back"
pid=$(status_field hello pid)
svc -x update self -label hello
rc=$?
echo "minix-service exited $rc (85 = ERESTART)"
[ "$rc" = 85 ] || fail "expected exit status 85"
[ "$(status_field hello pid)" = "$pid" ] || fail "the old process does not serve"
cat /dev/hello || fail "reading /dev/hello after the rollback failed"

# hello's open counter in DS (minix-service ds get: "key type owner value").
opens_in_ds() {
	minix-service ds get drv.chr.hello.opens 2>/dev/null | cut -d' ' -f4
}

step "Crash the Data Store (kill -9 ds-daemon): hello does not notice"
minix-service ds list 'drv\..*'
before=$(opens_in_ds)
[ -n "$before" ] || fail "hello's open counter is not in DS"
ds_pid=$(status_field ds pid)
kill -9 "$ds_pid" || fail "cannot kill ds-daemon"
wait_for 20 sh -c "p=\$(minix-service status ds 2>/dev/null | sed -n 's/^pid: *//p');
	[ -n \"\$p\" ] && [ \"\$p\" != - ] && [ \"\$p\" != $ds_pid ]" ||
	fail "ds-daemon did not come back"
svc status ds
cat /dev/hello >/dev/null || fail "reading /dev/hello after DS's crash failed"
wait_for 10 sh -c "[ \"\$(minix-service ds get drv.chr.hello.opens | cut -d' ' -f4)\" = $((before + 1)) ]" ||
	fail "the open counter did not go on from $before (DS has $(opens_in_ds))"
echo "hello's open counter in DS: $before before DS's crash, $(opens_in_ds) after one more open"

step "minix-service down hello"
svc down hello || fail "minix-service down failed with status $?"
wait_for 10 test ! -e /dev/hello || fail "/dev/hello is still there"

step "Stop RS and unload the module"
rs_stop || fail "rs-daemon did not stop cleanly"
mx_unload || fail "could not unload mxsys"

echo
echo "demo: done"
