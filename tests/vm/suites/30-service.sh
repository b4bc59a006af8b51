#!/bin/sh
# 30-service: services as a user sees them through minix-service: start,
# read, crash and restart on the same endpoint, heartbeat, stop, and the
# refusals (unknown label, non-root, failing init, bad binary path).
#
# Needs mxsys.ko, rs-daemon (with ds-daemon), hello and /tests/bin/ping-svc.
. /tests/lib.sh

HELLO=/usr/libexec/mxsys/hello
PING_SVC=/tests/bin/ping-svc
EXPECTED=/tmp/hello.expected
printf 'Hello, World!\n' >"$EXPECTED"

# True when /dev/hello reads back exactly the 14 bytes of MINIX's message.
hello_reads_ok() {
	timeout 10 cat /dev/hello >/tmp/hello.out 2>/dev/null &&
		cmp -s "$EXPECTED" /tmp/hello.out
}

hello_output() {
	timeout 10 cat /dev/hello 2>&1 | head -c 200 | tr '\n' '|'
}

restarts_at_least_one() {
	local restarts
	restarts=$(svc_field "$1" restarts)
	[ -n "$restarts" ] && [ "$restarts" -ge 1 ]
}

not_alive() {
	! _t_alive "$1"
}

if ! mx_load; then
	t_fail service-setup "mx_load failed"
	exit 1
fi
if ! rs_start; then
	t_fail service-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi

# ---- 1. up hello; /dev/hello reads "Hello, World!" -------------------------

hello_up=0
if t_check up-hello svc up "$HELLO" -label hello; then
	hello_up=1
	if wait_for 30 hello_reads_ok; then
		t_pass hello-reads-hello-world
	else
		t_fail hello-reads-hello-world "cat /dev/hello gave '$(hello_output)'"
	fi
else
	t_fail hello-reads-hello-world "hello is not up"
fi

# The other views of the same service agree with `status hello`.
if [ "$hello_up" = 1 ]; then
	ep=$(svc_field hello endpoint)
	looked_up=$(svc lookup hello 2>&1)
	if [ -n "$ep" ] && [ "$looked_up" = "$ep" ]; then
		t_pass lookup-hello-matches-status
	else
		t_fail lookup-hello-matches-status "lookup gave '$looked_up', status endpoint '$ep'"
	fi
	all=$(svc status 2>&1)
	if echo "$all" | head -n 1 | grep -q '^LABEL  *STATE ' &&
		echo "$all" | grep -q "^hello  *running  *[A-Za-z]*  *$ep  *[0-9]" &&
		echo "$all" | grep -q '^ds  *running '; then
		t_pass status-all-lists-hello-and-ds
	else
		t_fail status-all-lists-hello-and-ds "status gave: $all"
	fi
	case $(svc_field hello state):$(svc_field hello uptime) in
	running:[0-9]*) t_pass status-hello-state-and-uptime ;;
	*) t_fail status-hello-state-and-uptime "status hello gave: $(svc status hello 2>&1)" ;;
	esac
	json=$(svc status -j hello 2>&1)
	case $json in
	"{\"label\": \"hello\", \"endpoint\": $ep, "*"}") t_pass status-json-hello ;;
	*) t_fail status-json-hello "status -j hello gave: $json" ;;
	esac
	json=$(svc status -j 2>&1)
	case $json in
	"["*"\"label\": \"hello\""*"]") t_pass status-json-all ;;
	*) t_fail status-json-all "status -j gave: $json" ;;
	esac
fi

# ---- 2. kill -9 hello: same endpoint, restarts 1, /dev/hello works ---------

if [ "$hello_up" = 1 ]; then
	old_pid=$(svc_field hello pid)
	old_ep=$(svc_field hello endpoint)
	if [ -z "$old_pid" ] || [ -z "$old_ep" ] || [ "$old_pid" -le 0 ]; then
		t_fail hello-kill9-restarted "status hello gave pid '$old_pid' endpoint '$old_ep'"
	else
		kill -9 "$old_pid"
		if ! wait_for 60 restarted_since hello "$old_pid"; then
			t_fail hello-kill9-restarted "no new pid with restarts >= 1 after kill -9 $old_pid: $(svc status hello 2>&1 | tr '\n' ' ')"
		else
			t_pass hello-kill9-restarted
			new_ep=$(svc_field hello endpoint)
			if [ "$new_ep" = "$old_ep" ]; then
				t_pass hello-restart-keeps-endpoint
			else
				t_fail hello-restart-keeps-endpoint "endpoint $old_ep became '$new_ep'"
			fi
			restarts=$(svc_field hello restarts)
			if [ "$restarts" = 1 ]; then
				t_pass hello-restart-counted-once
			else
				t_fail hello-restart-counted-once "restarts is '$restarts', expected 1"
			fi
			last=$(svc_field hello "last exit")
			if [ "$last" = "killed by signal 9" ] &&
				svc status | grep -q '^hello .* killed by signal 9$'; then
				t_pass hello-status-says-last-exit
			else
				t_fail hello-status-says-last-exit "last exit '$last'; status: $(svc status 2>&1)"
			fi
			if wait_for 30 hello_reads_ok; then
				t_pass hello-reads-after-restart
			else
				t_fail hello-reads-after-restart "cat /dev/hello gave '$(hello_output)'"
			fi
		fi
	fi
else
	t_fail hello-kill9-restarted "hello is not up"
fi

# ---- 3. update self: the open counter crosses through DS (MINIX §7) -------
# After the restart the counter began again at 0. Three opens bring it to
# 3 (the restart test's read was the first); the new version must log
# "Called 4 time(s)" for the next open, keep the endpoint and restarts, and
# take its device over from the old version, which RS kills at the commit.

last_open_count() {
	sed -n 's/^hello: hello_open(). Called \([0-9]*\) time(s)\.$/\1/p' "$RS_LOG" |
		tail -n 1
}

if [ "$hello_up" = 1 ]; then
	hello_reads_ok
	hello_reads_ok
	before=$(last_open_count)
	ep=$(svc_field hello endpoint)
	restarts=$(svc_field hello restarts)
	old_pid=$(svc_field hello pid)
	if t_check hello-update-self svc update self -label hello; then
		if [ "$(svc_field hello endpoint)" = "$ep" ] &&
			[ "$(svc_field hello restarts)" = "$restarts" ] &&
			[ "$(svc_field hello pid)" != "$old_pid" ]; then
			t_pass hello-update-keeps-endpoint-and-restarts
		else
			t_fail hello-update-keeps-endpoint-and-restarts "before ep $ep restarts $restarts pid $old_pid; now $(svc status hello | tr '\n' ' ')"
		fi
		if grep -q "Hey, I'm a new version!" "$RS_LOG"; then
			t_pass hello-update-new-version-said-so
		else
			t_fail hello-update-new-version-said-so "$(tail -n 5 "$RS_LOG" | tr '\n' ' ')"
		fi
		if wait_for 30 hello_reads_ok &&
			[ "$(last_open_count)" = $((before + 1)) ]; then
			t_pass hello-update-counter-carried-over
		else
			t_fail hello-update-counter-carried-over "before $before, now '$(last_open_count)'; read '$(hello_output)'"
		fi
	fi
	# A rolled-back update: the old version serves on, and the counter
	# it saved for the new version that died is not left behind in DS.
	pid=$(svc_field hello pid)
	svc -x update self -label hello >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 85 ] && [ "$(svc_field hello pid)" = "$pid" ] &&
		hello_reads_ok && ! minix-service ds get open_counter >/dev/null 2>&1; then
		t_pass hello-rollback-leaves-no-saved-counter
	else
		t_fail hello-rollback-leaves-no-saved-counter "exit $rc, pid $(svc_field hello pid) (was $pid), ds: $(minix-service ds get open_counter 2>&1)"
	fi
fi

# ---- 4. down hello: exits 0, process gone, /dev/hello gone, no status ------

if [ "$hello_up" = 1 ]; then
	pid=$(svc_field hello pid)
	if t_check down-hello svc down hello; then
		if [ -n "$pid" ] && wait_for 30 not_alive "$pid"; then
			t_pass down-hello-process-gone
		else
			t_fail down-hello-process-gone "pid '$pid' still running after down"
		fi
		if wait_for 30 test ! -e /dev/hello; then
			t_pass down-hello-device-gone
		else
			t_fail down-hello-device-gone "/dev/hello still exists after down"
		fi
		t_expect_status down-hello-status-fails 3 svc status hello
	fi
else
	t_fail down-hello "hello is not up"
fi
svc_down_all hello

# ---- 3a. a service that answers its pings is left alone -------------------

# pings_answered LABEL PID N: PID of LABEL has logged its N-th ping.
pings_answered() {
	grep -q ": ping-svc\[$2\]: ping $3 from" "$RS_LOG"
}

# A period well above the TCG guest's scheduling hiccups: this checks that
# answered pings count, not how tight RS's deadline can be.
if t_check up-healthy svc up "$PING_SVC" -label healthy -period 1000ms; then
	pid=$(svc_field healthy pid)
	if wait_for 120 pings_answered healthy "$pid" 3; then
		restarts=$(svc_field healthy restarts)
		now_pid=$(svc_field healthy pid)
		if [ "$restarts" = 0 ] && [ "$now_pid" = "$pid" ]; then
			t_pass healthy-not-restarted
		else
			t_fail healthy-not-restarted "after 3 answered pings: restarts '$restarts', pid $pid -> '$now_pid'"
		fi
	else
		t_fail healthy-not-restarted "pid $pid did not answer 3 pings: $(grep "ping-svc\[$pid\]" "$RS_LOG" | tail -n 2 | tr '\n' ' ')"
	fi
	t_check down-healthy svc down healthy
fi
svc_down_all healthy

# ---- 3. a service that stops answering pings is restarted ------------------

# The first instance may hang and be killed before `status` could read its
# pid, so the hung instance is the one that logged it in RS's log.
first_hung_pid() {
	tail -n +"$((log_start + 1))" "$RS_LOG" |
		sed -n 's/^pinger: ping-svc\[\([0-9]*\)\]: hanging after 2 pings.*/\1/p' |
		head -n 1
}
pinger_replaced() {
	p=$(svc_field pinger pid)
	[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$hung_pid" ]
}
log_start=$(wc -l <"$RS_LOG")
if t_check up-pinger svc up "$PING_SVC" -args "hang-after 2" -label pinger \
	-period 200ms; then
	ep=$(svc_field pinger endpoint)
	if wait_for 120 restarts_at_least_one pinger; then
		hung_pid=$(first_hung_pid)
		if [ -n "$hung_pid" ]; then
			t_pass pinger-restarted-by-heartbeat
		else
			t_fail pinger-restarted-by-heartbeat "restarted, but no instance logged that it hung: $(grep 'ping-svc' "$RS_LOG" | tail -n 2 | tr '\n' ' ')"
		fi
		if [ -n "$hung_pid" ] && wait_for 120 pinger_replaced; then
			t_pass pinger-restart-new-process
		else
			t_fail pinger-restart-new-process "no process replaced the hung pid '$hung_pid': $(svc status pinger 2>&1 | tr '\n' ' ')"
		fi
		new_ep=$(svc_field pinger endpoint)
		if [ -n "$ep" ] && [ "$new_ep" = "$ep" ]; then
			t_pass pinger-restart-keeps-endpoint
		else
			t_fail pinger-restart-keeps-endpoint "endpoint '$ep' became '$new_ep'"
		fi
	else
		t_fail pinger-restarted-by-heartbeat "restarts still 0: $(svc status pinger 2>&1 | tr '\n' ' ')"
	fi
	t_check down-pinger svc down pinger
fi
svc_down_all pinger

# ---- 5. status of an unknown label: non-zero exit, clear message -----------

svc status nosuch >/tmp/nosuch.out 2>/tmp/nosuch.err
rc=$?
if [ "$rc" = 3 ]; then
	t_pass status-unknown-exits-esrch
else
	t_fail status-unknown-exits-esrch "exit status $rc, expected 3 (ESRCH)"
fi
if grep -qx 'minix-service: status nosuch: no such service' /tmp/nosuch.err &&
	[ ! -s /tmp/nosuch.out ]; then
	t_pass status-unknown-message
else
	t_fail status-unknown-message "stderr '$(cat /tmp/nosuch.err)' stdout '$(cat /tmp/nosuch.out)'"
fi

# ---- 6. a non-root user cannot start a service (EPERM = 1) -----------------

# as_nobody CMD: run a shell command line as uid 65534 (busybox su).
as_nobody() {
	su -s /bin/sh nobody -c "$1"
}

uid=$(as_nobody 'id -u' 2>&1)
if [ "$uid" != 65534 ]; then
	t_fail up-as-nobody-eperm "cannot run as nobody: 'id -u' gave '$uid'"
else
	as_nobody "timeout 120 $(command -v minix-service) up $PING_SVC -label nobodysvc" \
		2>/tmp/nobody.err
	rc=$?
	if [ "$rc" = 1 ] && grep -qx 'minix-service: up nobodysvc: Operation not permitted' /tmp/nobody.err; then
		t_pass up-as-nobody-eperm
	else
		t_fail up-as-nobody-eperm "exit status $rc (expected 1), stderr '$(cat /tmp/nobody.err)'"
	fi
fi
t_expect_status up-as-nobody-left-nothing 3 svc status nobodysvc
svc_down_all nobodysvc

# ---- 7. a failing init: up exits EDEADEPT (215), no label remains ----------

t_expect_status up-init-fail-edeadept 215 svc up "$PING_SVC" -args init-fail \
	-label initfail
t_expect_status up-init-fail-left-nothing 3 svc status initfail
if grep -q ': ping-svc\[[0-9]*\]: failing init as asked' "$RS_LOG"; then
	t_pass up-init-fail-ran-init
else
	t_fail up-init-fail-ran-init "ping-svc never reached its init callback"
fi
svc_down_all initfail

# ---- 8. up with a relative or missing binary: usage error ------------------

t_expect_status up-relative-path-einval 22 svc up tests/bin/ping-svc -label rel
t_expect_status up-missing-binary-einval 22 svc up /tests/bin/no-such-binary
t_expect_status up-directory-einval 22 svc up /tests -label dir

# RS's log (with the services' stderr) explains most failures above.
if [ "$T_FAILED" -gt 0 ]; then
	echo "# rs.log of 30-service:"
	sed 's/^/# rs.log: /' "$RS_LOG"
fi

rs_stop || t_fail service-teardown "rs_stop failed"
mx_unload || t_fail service-teardown "mx_unload failed"
t_summary
