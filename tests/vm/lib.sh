# tests/vm/lib.sh: helpers for the in-guest suites (busybox sh).
# Installed in the guest as /tests/lib.sh; a suite starts with
#     . /tests/lib.sh
#
# Results are lines on stdout, which the harness counts:
#     PASS: NAME
#     FAIL: NAME: REASON
# A suite that exits non-zero or times out without printing FAIL is counted
# as one failure named after the suite, so `set -e` style aborts are caught.
#
#   t_pass NAME                 record a pass
#   t_fail NAME REASON...       record a failure (REASON is one line)
#   t_check NAME CMD...         pass if CMD exits 0; else fail with its status
#                               and the last line it printed
#   t_expect_status NAME CODE CMD...
#                               pass if CMD exits with exactly CODE
#   wait_for TIMEOUT_S CMD...   run CMD every 0.1 s until it succeeds; returns
#                               non-zero after TIMEOUT_S (may be fractional).
#                               For waiting only: a test asserts on the result,
#                               never on how long it took.
#   mx_load [PARAM=VALUE...]    insmod mxsys.ko, wait for /dev/mxsys
#   mx_unload                   rmmod mxsys and check that it is gone
#   rs_start [ARGS...]          start /usr/sbin/rs-daemon in the background
#                               (log: /tmp/rs.log, pid: $RS_PID), wait until
#                               `minix-service status ds` answers (10 s)
#   rs_stop                     SIGTERM rs-daemon, SIGKILL after 5 s, then
#                               kill the services it leaves behind and
#                               clear their slots (mx-reap); the RS serving
#                               may be a standby that took over ($RS_PID
#                               then follows it); RS's standby goes with it
#   as_user USER CMD...         run CMD as USER (e.g. nobody, uid 65534),
#                               without its supplementary groups
#   svc ARGS...                 minix-service ARGS, killed after 120 s
#   svc_field LABEL KEY         one value from `minix-service status LABEL`
#   restarted_since LABEL PID   true once LABEL runs as a pid other than PID
#                               and RS counted a restart
#   t_summary                   print "# NAME: N passed, N failed" (optional)
#   t_elapsed [WHAT]            print "# NAME: WHAT at S s" (since lib.sh was
#                               sourced), to see where a suite spends time
#
# For the recovery and live-update suites (testsvc, testclient, and
# minix-service monitor for slot events;
# see tests/vm/progs/lib/testsvc.h):
#   svc_read LABEL              one `status LABEL` into S_ENDPOINT S_PID
#                               S_RESTARTS S_FLAGS S_POLICY S_PERIOD S_REPLICA
#                               S_UID S_BINARY; non-zero if status failed
#   svc_down_all LABEL...       down each LABEL that is still up (cleanup)
#   await_restart LABEL PID RESTARTS TIMEOUT_S
#                               wait until LABEL runs again as a pid other
#                               than PID with restarts > RESTARTS; sets
#                               AW_SAW_D=1 if status showed flag D (waiting
#                               for its backoff) meanwhile, and AW_WHY
#   ts_init                     make an empty $TS_DIR (mode 0777)
#   ts_up LABEL "FLAGS" [OPTION...] -- ARGS...
#                               minix-service FLAGS up $TS_SVC -label LABEL
#                               OPTION... -args "LABEL ARGS" (ID = label;
#                               FLAGS e.g. "-p -b", may be "")
#   ts_cmd ID CMD               give testsvc ID a command (testsvc.c)
#   ts_value ID EVENT KEY [PID] KEY's value in the last EVENT line of ID's
#                               log (written by PID, if given)
#   ts_running ID PID           true once PID logged event=running
#   kv_get FILE KEY             KEY's value in a key=value file
#   events_start / events_stop  run minix-service monitor into $EVENTS_LOG
#   event_value PID EVENT KEY   KEY (seq, time_us, or a key=value field such
#                               as exit or signal) of the last EVENT of PID
#   death_of PID                "exit N", "signal N" or "" (no death yet)
#   restart_delay_ms ID OLDPID NEWPID
#                               ms from OLDPID's death to NEWPID serving
#
# Helpers return non-zero on failure and explain why on stderr; they never
# print PASS/FAIL themselves, so the suite decides what a failure means.

T_PASSED=0
T_FAILED=0
T_SUITE=$(basename "$0" .sh)
MX_KO=/lib/modules/$(uname -r)/extra/mxsys.ko
RS_BIN=/usr/sbin/rs-daemon
RS_LOG=/tmp/rs.log
RS_PID=

t_pass() {
	T_PASSED=$((T_PASSED + 1))
	echo "PASS: $1"
}

t_fail() {
	local name=$1
	shift
	T_FAILED=$((T_FAILED + 1))
	# One line per result: the harness reads the console line by line.
	echo "FAIL: $name: $(echo "$*" | sed -e ':a' -e 'N;$!ba' -e 's/\n/ | /g')"
}

# Last non-empty line of a file, for a short failure reason.
_t_last_line() {
	grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1
}

# ": LAST-LINE" if the command printed anything, else nothing.
_t_reason_tail() {
	local last
	last=$(_t_last_line "$1")
	[ -n "$last" ] && echo ": $last"
}

t_check() {
	local name=$1 out rc
	shift
	out=$(mktemp /tmp/t_check.XXXXXX)
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		t_pass "$name"
	else
		t_fail "$name" "'$*' exited $rc$(_t_reason_tail "$out")"
	fi
	rm -f "$out"
	return "$rc"
}

t_expect_status() {
	local name=$1 want=$2 out rc
	shift 2
	out=$(mktemp /tmp/t_check.XXXXXX)
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		t_pass "$name"
		rm -f "$out"
		return 0
	fi
	t_fail "$name" "'$*' exited $rc, expected $want$(_t_reason_tail "$out")"
	rm -f "$out"
	return 1
}

# Monotonic time in centiseconds, from /proc/uptime ("123.45 ...").
_t_now_cs() {
	local up rest
	read -r up rest </proc/uptime
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# TIMEOUT_S as centiseconds; accepts "10", "2.5", "0.3".
_t_seconds_cs() {
	local int=${1%%.*} frac=00
	case $1 in
	*.*) frac=${1#*.}00 ;;
	esac
	frac=${frac%"${frac#??}"}
	# "1$frac - 100" keeps a leading zero from reading as octal.
	echo $((${int:-0} * 100 + 1$frac - 100))
}

wait_for() {
	local deadline
	deadline=$(($(_t_now_cs) + $(_t_seconds_cs "$1")))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(_t_now_cs)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

mx_load() {
	if [ ! -f "$MX_KO" ]; then
		echo "mx_load: $MX_KO not found (kmod not built?)" >&2
		return 1
	fi
	if ! insmod "$MX_KO" "$@"; then
		echo "mx_load: insmod $MX_KO failed" >&2
		return 1
	fi
	if ! wait_for 5 test -c /dev/mxsys; then
		echo "mx_load: /dev/mxsys did not appear" >&2
		return 1
	fi
}

mx_unload() {
	local p
	if ! rmmod mxsys; then
		# Say what holds it: open /dev/mxsys files, or fd stores.
		echo "mx_unload: rmmod mxsys failed; refcnt $(cat /sys/module/mxsys/refcnt 2>/dev/null)" >&2
		for p in /proc/[0-9]*; do
			ls -l "$p/fd" 2>/dev/null | grep -q '/dev/mxsys' &&
				echo "mx_unload: pid ${p#/proc/} ($(cat "$p/comm" 2>/dev/null)) has /dev/mxsys open" >&2
		done
		return 1
	fi
	if [ -d /sys/module/mxsys ] || [ -e /dev/mxsys ]; then
		# devtmpfs removes the node asynchronously; give it a moment.
		wait_for 2 test ! -e /dev/mxsys -a ! -d /sys/module/mxsys || {
			echo "mx_unload: mxsys still present after rmmod" >&2
			return 1
		}
	fi
}

# True while PID exists and is not a zombie.
_t_alive() {
	local pid=$1 rest state
	[ -r "/proc/$pid/stat" ] || return 1
	read -r rest </proc/"$pid"/stat || return 1
	rest=${rest##*) }
	state=${rest%% *}
	[ "$state" != Z ]
}

# Direct children of PID.
_t_children() {
	local p ppid
	for p in /proc/[0-9]*; do
		ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "$p/status" 2>/dev/null)
		[ "$ppid" = "$1" ] && echo "${p#/proc/}"
	done
}

rs_start() {
	if [ ! -x "$RS_BIN" ]; then
		echo "rs_start: $RS_BIN not found" >&2
		return 1
	fi
	"$RS_BIN" "$@" >"$RS_LOG" 2>&1 </dev/null &
	RS_PID=$!
	# minix-service has no timeout of its own: a stuck RS must not
	# stall the poll.
	if ! wait_for 10 timeout 5 minix-service status ds; then
		echo "rs_start: 'minix-service status ds' did not answer in 10 s;" \
			"rs.log:" >&2
		tail -n 20 "$RS_LOG" >&2
		return 1
	fi
}

rs_stop() {
	local services p exe rc=0 killed=0
	if [ -z "$RS_PID" ]; then
		echo "rs_stop: rs-daemon was not started by rs_start" >&2
		return 1
	fi
	# RS's standby may have taken over: stop the RS that serves now.
	if ! _t_alive "$RS_PID"; then
		p=$(timeout 5 minix-service status rs 2>/dev/null |
			sed -n 's/^pid: //p')
		[ -n "$p" ] && [ "$p" != 0 ] && RS_PID=$p
	fi
	services=$(_t_children "$RS_PID")
	kill -TERM "$RS_PID" 2>/dev/null
	if ! wait_for 5 eval "! _t_alive $RS_PID"; then
		echo "rs_stop: rs-daemon ignored SIGTERM; killing it" >&2
		kill -KILL "$RS_PID" 2>/dev/null
		rc=1
	fi
	wait "$RS_PID" 2>/dev/null
	# Whatever RS started and did not stop: its children, and anything
	# still running a service binary (RS may have re-parented them).
	for p in $services; do
		_t_alive "$p" && kill -KILL "$p" 2>/dev/null && killed=1
	done
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in
		/usr/libexec/mxsys/* | /usr/sbin/ds-daemon | "$RS_BIN" | \
			"$TS_SVC" | "$TS_CLIENT" | "$TS_DIR"/*)
			kill -KILL "${p#/proc/}" 2>/dev/null && killed=1 ;;
		esac
	done
	# Killed behind RS's back, they left their slots (and fd stores,
	# which keep the module loaded): clear them for the next suite.
	if [ "$rc" != 0 ] || [ "$killed" = 1 ]; then
		/tests/bin/mx-reap || rc=1
	fi
	RS_PID=
	return "$rc"
}

as_user() {
	local user=$1
	shift
	# "--" stops su from reading CMD's options as its own; $0 and $@ are
	# expanded by the inner shell.
	# shellcheck disable=SC2016
	su -s /bin/sh -c 'exec "$0" "$@"' -- "$user" "$@"
}

# minix-service waits for RS's reply without a limit of its own (replies
# come late by design); a broken RS must not hang the whole suite.
svc() {
	timeout 120 minix-service "$@"
}

svc_field() {
	local value
	value=$(svc status "$1" 2>/dev/null | sed -n "s/^$2: //p")
	# status says "-" for no process; the suites compare pids with 0.
	case $2:$value in pid:- | replica:-) value=0 ;; esac
	echo "$value"
}

restarted_since() {
	local pid restarts
	pid=$(svc_field "$1" pid)
	restarts=$(svc_field "$1" restarts)
	[ -n "$pid" ] && [ "$pid" != "$2" ] && [ "$pid" != 0 ] &&
		[ -n "$restarts" ] && [ "$restarts" -ge 1 ]
}

# t_run_one PROG NAME [PREFIX]: run `PROG NAME` as one test (named PREFIX
# + NAME). A harness program prints `PASS: NAME` or `FAIL: NAME: WHY` and
# exits 0 only on a pass; a run that dies without a verdict is a failure.
# Its other output is shown.
t_run_one() {
	_prog=$1
	_t=$2
	_prefix=${3:-}
	_out=$(mktemp /tmp/prog.XXXXXX)
	"$_prog" "$_t" >"$_out" 2>&1
	_rc=$?
	grep -v -e '^PASS:' -e '^FAIL:' "$_out"
	if grep -q "^FAIL: $_t:" "$_out"; then
		t_fail "$_prefix$_t" "$(grep "^FAIL: $_t:" "$_out" | head -n 1 | sed "s/^FAIL: $_t: //")"
	elif [ "$_rc" -eq 0 ] && grep -q "^PASS: $_t\$" "$_out"; then
		t_pass "$_prefix$_t"
	else
		t_fail "$_prefix$_t" "$_prog $_t exited $_rc without a verdict"
	fi
	rm -f "$_out"
}

# t_run_prog PROG [PREFIX]: t_run_one for every subcommand `PROG list` names.
t_run_prog() {
	for _name in $("$1" list); do
		t_run_one "$1" "$_name" "${2:-}"
	done
}

t_summary() {
	echo "# $T_SUITE: $T_PASSED passed, $T_FAILED failed"
}

t_elapsed() {
	local cs=$(($(_t_now_cs) - T_START_CS))
	echo "# $T_SUITE: ${1:+$1 }at $((cs / 100)).$((cs % 100 / 10)) s"
}

# ---- recovery and live-update suites --------------------------------------

TS_DIR=/tmp/ts
TS_SVC=/tests/bin/testsvc
TS_CLIENT=/tests/bin/testclient
EVENTS_LOG=/tmp/events.log
EVENTS_PID=

svc_read() {
	local out line
	out=$(svc status "$1" 2>/dev/null) || return 1
	# The S_* and AW_* variables are the helpers' results, for the suites.
	# shellcheck disable=SC2034
	{
		S_ENDPOINT='' S_PID='' S_RESTARTS='' S_FLAGS='' S_POLICY=''
		S_PERIOD='' S_REPLICA='' S_UID='' S_BINARY=''
	}
	# Builtins only: under emulation every sed costs tens of ms, and
	# this runs in polling loops.
	# shellcheck disable=SC2034
	while IFS= read -r line; do
		case $line in
		"endpoint: "*) S_ENDPOINT=${line#*: } ;;
		"pid: "*) S_PID=${line#*: } ;;
		"restarts: "*) S_RESTARTS=${line#*: } ;;
		"flags: "*) S_FLAGS=${line#*: } ;;
		"policy: "*) S_POLICY=${line#*: } ;;
		"period: "*) S_PERIOD=${line#*: } ;;
		"replica: "*) S_REPLICA=${line#*: } ;;
		"uid: "*) S_UID=${line#*: } ;;
		"binary: "*) S_BINARY=${line#*: } ;;
		esac
	done <<EOF
$out
EOF
	# status says "-" for no process; the suites compare with 0.
	[ "$S_PID" = - ] && S_PID=0
	[ "$S_REPLICA" = - ] && S_REPLICA=0
	[ -n "$S_ENDPOINT" ]
}

svc_down_all() {
	local label
	for label in "$@"; do
		if svc status "$label" >/dev/null 2>&1; then
			svc down "$label" >/dev/null 2>&1 ||
				echo "cleanup: down $label failed" >&2
		fi
	done
}

await_restart() {
	local label=$1 old_pid=$2 old_restarts=$3 deadline
	deadline=$(($(_t_now_cs) + $(_t_seconds_cs "$4")))
	# shellcheck disable=SC2034
	{
		AW_SAW_D=0
		AW_WHY=''
	}
	# shellcheck disable=SC2034
	while :; do
		if svc_read "$label"; then
			case $S_FLAGS in *D*) AW_SAW_D=1 ;; esac
			if [ -n "$S_PID" ] && [ "$S_PID" != 0 ] &&
				[ "$S_PID" != "$old_pid" ] &&
				[ "${S_RESTARTS:-0}" -gt "$old_restarts" ]; then
				return 0
			fi
			AW_WHY="pid $S_PID restarts $S_RESTARTS flags $S_FLAGS"
		else
			AW_WHY="status $label failed"
		fi
		[ "$(_t_now_cs)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

ts_init() {
	rm -rf "$TS_DIR"
	mkdir -p "$TS_DIR"
	chmod 0777 "$TS_DIR"
}

ts_up() {
	local label=$1 flags=$2 opts=
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	[ "$1" = -- ] && shift
	# Words only: no option value here holds a blank.
	# shellcheck disable=SC2086
	svc $flags up "$TS_SVC" -label "$label" $opts -args "$label $*"
}

ts_cmd() {
	echo "$2" >"$TS_DIR/.$1.cmd.tmp" && mv "$TS_DIR/.$1.cmd.tmp" "$TS_DIR/$1.cmd"
}

ts_value() {
	local pat=" event=$2 "
	[ -n "$4" ] && pat=" pid=$4 id=$1 event=$2 "
	# A trailing blank lets every key (and the event) end in one.
	sed 's/^/ /; s/$/ /' "$TS_DIR/$1.log" 2>/dev/null | grep -F -- "$pat" |
		tail -n 1 | sed -n "s/.* $3=\([^ ]*\) .*/\1/p"
}

ts_running() {
	grep -qF " pid=$2 id=$1 event=running " "$TS_DIR/$1.log" 2>/dev/null
}

kv_get() {
	local key value found=
	[ -r "$1" ] || return 0
	while IFS='=' read -r key value; do
		[ "$key" = "$2" ] && found=$value
	done <"$1"
	echo "$found"
}

events_start() {
	minix-service monitor >"$EVENTS_LOG" 2>"$EVENTS_LOG.err" &
	EVENTS_PID=$!
	if ! wait_for 10 grep -q 'monitor: listening' "$EVENTS_LOG.err"; then
		echo "events_start: minix-service monitor did not start: $(cat "$EVENTS_LOG.err")" >&2
		return 1
	fi
}

events_stop() {
	[ -n "$EVENTS_PID" ] || return 0
	kill "$EVENTS_PID" 2>/dev/null
	wait "$EVENTS_PID" 2>/dev/null
	EVENTS_PID=
}

# The last EVENT line of PID, as minix-service monitor prints it:
# "time seq event endpoint=E pid=P name=N [other=E] [status=S exit=C|signal=N]".
event_line() {
	sed 's/$/ /' "$EVENTS_LOG" 2>/dev/null |
		grep "^[0-9.]* [0-9]* $2 .* pid=$1 " | tail -n 1
}

event_value() {
	local line
	line=$(event_line "$1" "$2")
	[ -n "$line" ] || return 0
	case $3 in
	seq) echo "$line" | cut -d' ' -f2 ;;
	# Seconds with 6 decimals: the digits are the microseconds.
	time_us) echo "$line" | cut -d' ' -f1 | tr -d . | sed 's/^0*\(.\)/\1/' ;;
	*) echo "$line" | sed -n "s/.* $3=\([^ ]*\) .*/\1/p" ;;
	esac
}

death_of() {
	local value
	value=$(event_value "$1" died exit)
	if [ -n "$value" ]; then
		echo "exit $value"
		return
	fi
	value=$(event_value "$1" died signal)
	[ -z "$value" ] || echo "signal $value"
}

restart_delay_ms() {
	local died_us up_us
	died_us=$(event_value "$2" died time_us)
	up_us=$(ts_value "$1" running t "$3")
	[ -n "$died_us" ] && [ -n "$up_us" ] || return 1
	echo $(((up_us - died_us) / 1000))
}

# When the suite started, for t_elapsed.
T_START_CS=$(_t_now_cs)

# ---- Data Store suites (70-ds, 71-ds-survival, 72-ds-limits, bench) ------
#
#   dst_up LABEL MODE [ARG...]   start /tests/bin/ds-test LABEL in MODE
#   dst_wait LABEL [SECONDS]      wait for its DONE line
#   dst_report LABEL              its PASS/FAIL lines as results, prefixed
#                                 "LABEL-"; `# ` lines are shown
#   ds_kill9                      kill -9 ds-daemon, wait for its restart

DSV_DIR=/tmp/dsv
DST_BIN=/tests/bin/ds-test

dst_up() {
	local label=$1
	shift
	mkdir -p "$DSV_DIR" && chmod 0777 "$DSV_DIR"
	rm -f "$DSV_DIR/$label.out" "$DSV_DIR/$label.stop"
	svc up "$DST_BIN" -label "$label" -args "$*"
}

dst_done() { grep -q '^DONE' "$DSV_DIR/$1.out" 2>/dev/null; }

dst_wait() {
	wait_for "${2:-60}" dst_done "$1"
}

dst_report() {
	local line
	if ! dst_done "$1"; then
		t_fail "$1-done" "no DONE from ds-test $1: $(tail -n 2 "$DSV_DIR/$1.out" 2>/dev/null | tr '\n' ' ')"
	fi
	while IFS= read -r line; do
		case $line in
		PASS:*) t_pass "$1-${line#PASS: }" ;;
		FAIL:*) line=${line#FAIL: }; t_fail "$1-${line%%:*}" "${line#*: }" ;;
		DONE*) ;;
		*) echo "# $1: $line" ;;
		esac
	done <"$DSV_DIR/$1.out"
}

ds_kill9() {
	local pid restarts
	pid=$(svc_field ds pid)
	restarts=$(svc_field ds restarts)
	[ -n "$pid" ] && [ "$pid" != 0 ] || return 1
	kill -9 "$pid" || return 1
	await_restart ds "$pid" "${restarts:-0}" 30
}
