#!/bin/sh
# 65-liveupdate: live update as MINIX's testrelpol.sh checks it, and more.
#   self update and update to a new binary: exit 0, endpoint and restarts
#   kept, a new process, the state saved through DS comes over, a steady
#   client loses no request (the longest gap is printed as the blackout)
#   lu_test matrix: plain 0, -o 0, -x ERESTART 85, -y ENOSYS 38,
#   -z/1HZ EINTR 4, state 5/1HZ EINTR 4; afterwards the endpoint and
#   restarts are unchanged and the old instance still answers
#   state validity: ENOSYS 38 with the default isvalid, EINVAL 22 with a
#   custom one; -maxtime 0 waits for a late prepare, -maxtime 1HZ does not
#   batched update (-q ... sysctl upd_run): commit all or roll back all
#
# Needs mxsys.ko, rs-daemon, minix-service, /tests/bin/{testsvc,testclient}.
. /tests/lib.sh

pid_gone() {
	! _t_alive "$1"
}

answered_at_least() {
	local n
	n=$(kv_get "$1" answered)
	[ -n "$n" ] && [ "$n" -ge "$2" ] &&
		{ [ -z "$3" ] || [ "$(kv_get "$1" pid)" = "$3" ]; }
}

# client_start LABEL TARGET: a testclient loading TARGET; its stat file is
# $TS_DIR/LABEL.stat. Waits for 100 answers.
client_start() {
	local stat=$TS_DIR/$1.stat
	rm -f "$stat"
	svc up "$TS_CLIENT" -label "$1" -args "$2 $stat" >/tmp/65-cl.out 2>&1 || {
		echo "client $1 did not start: $(tail -n 1 /tmp/65-cl.out)"
		return 1
	}
	wait_for 30 answered_at_least "$stat" 100 || {
		echo "client $1 got no answers: $(tr '\n' ' ' <"$stat" 2>/dev/null)"
		return 1
	}
}

# client_more LABEL PID: 50 more answers, the last from PID.
client_more() {
	local stat=$TS_DIR/$1.stat n
	n=$(kv_get "$stat" answered)
	wait_for 40 answered_at_least "$stat" $((n + 50)) "$2"
}

# client_stop NAME LABEL: stop it; NAME passes if no request was lost.
client_stop() {
	local stat=$TS_DIR/$2.stat
	svc down "$2" >/dev/null 2>&1
	if [ "$(kv_get "$stat" state)" = stopped ] &&
		[ "$(kv_get "$stat" lost)" = 0 ] && [ "$(kv_get "$stat" errors)" = 0 ] &&
		[ "$(kv_get "$stat" mismatches)" = 0 ] &&
		[ "$(kv_get "$stat" sent)" = "$(kv_get "$stat" answered)" ]; then
		t_pass "$1"
	else
		t_fail "$1" "$(tr '\n' ' ' <"$stat" 2>/dev/null)"
	fi
}

# lu_case NAME CODE new|same ARGS...: `minix-service ARGS` exits CODE
# (an unexpected EINTR is retried twice, as testrelpol does: timeouts
# under load); then the label of the update runs a new process (new) or
# still the same one (same). The label is the word after -label.
lu_case() {
	local name=$1 code=$2 rule=$3 label='' prev='' a pid rc _ out=/tmp/65-lu.out
	shift 3
	for a in "$@"; do
		[ "$prev" = -label ] && label=$a
		prev=$a
	done
	svc_read "$label"
	pid=$S_PID
	for _ in 1 2 3; do
		svc "$@" >"$out" 2>&1
		rc=$?
		[ "$rc" = 4 ] && [ "$code" != 4 ] && continue
		break
	done
	if [ "$rc" != "$code" ]; then
		t_fail "$name" "'minix-service $*' exited $rc, expected $code: $(tail -n 1 "$out")"
		return 1
	fi
	t_pass "$name"
	svc_read "$label"
	if [ "$rule" = new ] && [ -n "$S_PID" ] && [ "$S_PID" != "$pid" ] &&
		wait_for 10 pid_gone "$pid"; then
		t_pass "$name-new-process"
	elif [ "$rule" = same ] && [ "$S_PID" = "$pid" ] && _t_alive "$pid"; then
		t_pass "$name-old-process-kept"
	else
		t_fail "$name-$rule-process" "pid $pid -> '$S_PID' (old alive: $(_t_alive "$pid" && echo yes || echo no))"
	fi
	return 0
}

if ! mx_load; then
	t_fail liveupdate-setup "mx_load failed"
	exit 1
fi
if ! rs_start; then
	t_fail liveupdate-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
ts_init

t_elapsed "section 1"
# ---- 1. self update and a new binary, state through DS, under load -------

if t_check lu1-up ts_up lu1 "" -- restart=own lu=ds term=term; then
	client_ok=1
	why=$(client_start lcl lu1) || {
		client_ok=0
		t_fail lu1-client "$why"
	}
	svc_read lu1
	ep=$S_ENDPOINT
	restarts=$S_RESTARTS
	old=$S_PID
	if lu_case lu1-update-self 0 new update self -label lu1; then
		new=$S_PID
		if [ "$S_ENDPOINT" = "$ep" ] && [ "$S_RESTARTS" = "$restarts" ]; then
			t_pass lu1-self-endpoint-restarts-kept
		else
			t_fail lu1-self-endpoint-restarts-kept "endpoint $ep -> $S_ENDPOINT, restarts $restarts -> $S_RESTARTS"
		fi
		saved=$(ts_value lu1 save r "$old")
		type=$(ts_value lu1 init type "$new")
		restored=$(ts_value lu1 init restored "$new")
		gen=$(ts_value lu1 init gen "$new")
		if [ "$saved" = 0 ] && [ "$type" = lu ] && [ "$restored" = 1 ] && [ "$gen" = 1 ]; then
			t_pass lu1-self-state-through-ds
		else
			t_fail lu1-self-state-through-ds "old saved r='$saved'; new init type '$type' restored '$restored' gen '$gen' (expected 0; lu 1 1)"
		fi
		if [ "$client_ok" = 1 ]; then
			if client_more lcl "$new"; then
				t_pass lu1-self-new-process-serves
			else
				t_fail lu1-self-new-process-serves "$(tr '\n' ' ' <"$TS_DIR/lcl.stat")"
			fi
		fi
	fi
	cp "$TS_SVC" "$TS_DIR/testsvc-v2"
	old=$(svc_field lu1 pid)
	if lu_case lu1-update-binary 0 new update "$TS_DIR/testsvc-v2" -label lu1 \
		-args "lu1 restart=own lu=ds term=term tag=2"; then
		new=$S_PID
		if [ "$S_BINARY" = "$TS_DIR/testsvc-v2" ] && [ "$S_ENDPOINT" = "$ep" ] &&
			[ "$S_RESTARTS" = "$restarts" ]; then
			t_pass lu1-binary-endpoint-restarts-kept
		else
			t_fail lu1-binary-endpoint-restarts-kept "binary '$S_BINARY', endpoint $ep -> $S_ENDPOINT, restarts $restarts -> $S_RESTARTS"
		fi
		tag=$(ts_value lu1 init tag "$new")
		gen=$(ts_value lu1 init gen "$new")
		restored=$(ts_value lu1 init restored "$new")
		if [ "$tag" = 2 ] && [ "$restored" = 1 ] && [ "$gen" = 2 ]; then
			t_pass lu1-binary-state-carried
		else
			t_fail lu1-binary-state-carried "new init: tag '$tag' restored '$restored' gen '$gen' (expected 2 1 2)"
		fi
		if [ "$client_ok" = 1 ]; then
			if client_more lcl "$new" && [ "$(kv_get "$TS_DIR/lcl.stat" tag)" = 2 ]; then
				t_pass lu1-client-sees-new-version
			else
				t_fail lu1-client-sees-new-version "$(tr '\n' ' ' <"$TS_DIR/lcl.stat")"
			fi
		fi
	fi
	if [ "$client_ok" = 1 ]; then
		client_stop lu1-client-no-request-lost lcl
		stat=$TS_DIR/lcl.stat
		if [ "$(kv_get "$stat" served_regressions)" = 0 ] &&
			[ "$(kv_get "$stat" pids)" -ge 1 ]; then
			t_pass lu1-client-state-never-lost
		else
			t_fail lu1-client-state-never-lost "served went down $(kv_get "$stat" served_regressions) times over $(kv_get "$stat" pids) process changes"
		fi
		echo "MEASURE lu_blackout_ms=$(($(kv_get "$stat" max_gap_us) / 1000)) updates=self,binary sent=$(kv_get "$stat" sent) answered=$(kv_get "$stat" answered) retries=$(kv_get "$stat" retries) lost=$(kv_get "$stat" lost) label=lu1"
	fi
fi
svc_down_all lcl lu1

t_elapsed "section 2"
# ---- 2. testrelpol's lu_test matrix, with a client all along ---------------

if t_check lum-up ts_up lum "" -- restart=own term=term; then
	client_ok=1
	why=$(client_start lmc lum) || {
		client_ok=0
		t_fail lum-client "$why"
	}
	svc_read lum
	ep=$S_ENDPOINT
	restarts=$S_RESTARTS
	plain=0
	lu_case lum-plain 0 new update self -label lum -maxtime 3HZ && plain=1
	lu_case lum-prepare-only 0 same -o update self -label lum -maxtime 3HZ
	lu_case lum-init-crash-erestart 85 same -x update self -label lum -maxtime 3HZ
	lu_case lum-init-fail-enosys 38 same -y update self -label lum -maxtime 3HZ
	lu_case lum-init-timeout-eintr 4 same -z update self -label lum -maxtime 1HZ
	lu_case lum-unreachable-eintr 4 same update self -label lum -state 5 -maxtime 1HZ
	lu_case lum-state-invalid-enosys 38 same update self -label lum -state 2
	svc_read lum
	if [ "$plain" = 0 ]; then
		t_fail lum-endpoint-restarts-unchanged "the plain update failed: nothing to compare"
	elif [ "$S_ENDPOINT" = "$ep" ] && [ "$S_RESTARTS" = "$restarts" ]; then
		t_pass lum-endpoint-restarts-unchanged
	else
		t_fail lum-endpoint-restarts-unchanged "endpoint $ep -> $S_ENDPOINT, restarts $restarts -> $S_RESTARTS"
	fi
	if [ "$client_ok" = 1 ]; then
		if client_more lmc "$S_PID"; then
			t_pass lum-old-instance-still-serves
		else
			t_fail lum-old-instance-still-serves "no answers from pid $S_PID: $(tr '\n' ' ' <"$TS_DIR/lmc.stat")"
		fi
		client_stop lum-client-no-request-lost lmc
		stat=$TS_DIR/lmc.stat
		echo "MEASURE lu_matrix_longest_gap_ms=$(($(kv_get "$stat" max_gap_us) / 1000)) updates=plain,o,x,y,z,state5 sent=$(kv_get "$stat" sent) answered=$(kv_get "$stat" answered) retries=$(kv_get "$stat" retries) lost=$(kv_get "$stat" lost) label=lum"
	fi
fi
svc_down_all lmc lum

t_elapsed "section 3"
# ---- 3. state validity and -maxtime ----------------------------------------

# luw accepts states 1 and 7; state 7 is ready 3 s after it is asked for.
if t_check luw-up ts_up luw "" -- restart=own isvalid=custom ready-after=3000 term=term; then
	lu_case luw-state-invalid-einval 22 same update self -label luw -state 2
	lu_case luw-late-prepare-maxtime-1s-eintr 4 same update self -label luw -state 7 -maxtime 1HZ
	old=$(svc_field luw pid)
	if lu_case luw-late-prepare-maxtime-0-waits 0 new update self -label luw -state 7 -maxtime 0; then
		if [ -n "$(ts_value luw ready state "$old")" ]; then
			t_pass luw-prepared-late
		else
			t_fail luw-prepared-late "pid $old never logged that it became ready"
		fi
	fi
fi
svc_down_all luw

t_elapsed "section 4"
# ---- 4. batched update: all commit or all roll back --------------------------

# batch_case NAME CODE [SPECIAL-LABEL "FLAGS" "OPTIONS"]: schedule a self
# update of b1, b2 and b3 (-q; SPECIAL-LABEL with FLAGS and OPTIONS, the
# others with -maxtime 3HZ), run them with `sysctl upd_run`, expect CODE;
# then all three run new processes (CODE 0) or all their old ones, on
# their endpoints.
batch_case() {
	local name=$1 code=$2 special=$3 sflags=$4 sopts=$5 l rc why='' pid ep _
	local result=all-kept
	[ "$code" = 0 ] && result=all-new
	for l in b1 b2 b3; do
		svc_read "$l"
		eval "pid_$l=\$S_PID ep_$l=\$S_ENDPOINT"
	done
	for _ in 1 2 3; do
		for l in b1 b2 b3; do
			if [ "$l" = "$special" ]; then
				# shellcheck disable=SC2086
				svc -q $sflags update self -label "$l" $sopts >/tmp/65-q.out 2>&1
			else
				svc -q update self -label "$l" -maxtime 3HZ >/tmp/65-q.out 2>&1
			fi
			rc=$?
			if [ "$rc" != 0 ]; then
				t_fail "$name" "scheduling the update of $l exited $rc: $(tail -n 1 /tmp/65-q.out)"
				svc sysctl upd_stop >/dev/null 2>&1
				return
			fi
		done
		svc sysctl upd_run >/tmp/65-q.out 2>&1
		rc=$?
		# testrelpol's retry: a timeout under load where none was meant.
		[ "$rc" = 4 ] && [ "$code" != 4 ] && continue
		break
	done
	if [ "$rc" = "$code" ]; then
		t_pass "$name"
	else
		t_fail "$name" "sysctl upd_run exited $rc, expected $code: $(tail -n 1 /tmp/65-q.out)"
		return
	fi
	for l in b1 b2 b3; do
		svc_read "$l"
		eval "pid=\$pid_$l ep=\$ep_$l"
		if [ "$code" = 0 ] && [ "$S_PID" = "$pid" ]; then
			why="$why $l kept pid $pid;"
		elif [ "$code" != 0 ] && [ "$S_PID" != "$pid" ]; then
			why="$why $l pid $pid -> $S_PID;"
		fi
		[ "$S_ENDPOINT" = "$ep" ] || why="$why $l endpoint $ep -> $S_ENDPOINT;"
	done
	if [ -z "$why" ]; then
		t_pass "$name-$result"
	else
		t_fail "$name-$result" "${why# }"
	fi
}

if t_check b1-up ts_up b1 "" -- restart=own term=term &&
	t_check b2-up ts_up b2 "" -- restart=own term=term &&
	t_check b3-up ts_up b3 "" -- restart=own term=term; then
	batch_case batch-commit 0
	batch_case batch-init-crash-erestart 85 b2 -x "-maxtime 3HZ"
	batch_case batch-init-fail-enosys 38 b3 -y "-maxtime 3HZ"
	batch_case batch-init-timeout-eintr 4 b2 -z "-maxtime 1HZ"
	batch_case batch-unreachable-eintr 4 b3 "" "-state 5 -maxtime 1HZ"
fi
svc_down_all b1 b2 b3

# ---- teardown ----------------------------------------------------------------

if [ "$T_FAILED" -gt 0 ]; then
	echo "# rs.log of 65-liveupdate:"
	sed 's/^/# rs.log: /' "$RS_LOG"
fi
rs_stop || t_fail liveupdate-teardown "rs_stop failed"
mx_unload || t_fail liveupdate-teardown "mx_unload failed"
t_elapsed end
t_summary
