#!/bin/sh
# 35-config: system.conf as rs-daemon applies it. A service runs with its
# entry's uid, gid, capabilities (exactly those: effective, permitted,
# ambient, bounding), limits, nice value and CPU, and still binds its slot
# as a non-root user; entries come from -config (with -progname), from
# system.conf.d/<program>, else the defaults; errors reach minix-service
# as file:line with exit status 1; boot entries start with RS; the
# installed files are there.
#
# Needs mxsys.ko, rs-daemon (with ds-daemon), minix-service and
# /tests/bin/ping-svc.
. /tests/lib.sh

PING_SVC=/tests/bin/ping-svc
CONF=/tmp/35-config.conf
CONF_D_FILE=/etc/minix/system.conf.d/ping-svc
ERR=/tmp/35-stderr
LABELS="cfg-nobody cfg-caps cfg-root cfg-default cfg-conf-d cfg-progname cfg-warn cfg-badcpu"

# proc_field PID FILE KEY: the value after "KEY:" in /proc/PID/FILE, with
# its tabs turned into single spaces.
proc_field() {
	sed -n "s/^$3:[[:space:]]*//p" "/proc/$1/$2" 2>/dev/null | tr -s '\t ' '  '
}

# limit_of PID NAME: "soft hard" of the limit named NAME ("Max open files").
limit_of() {
	sed -n "s/^$2[[:space:]]\{1,\}\([^[:space:]]*\)[[:space:]]\{1,\}\([^[:space:]]*\).*/\1 \2/p" \
		"/proc/$1/limits" 2>/dev/null
}

nice_of() {
	cut -d' ' -f19 "/proc/$1/stat" 2>/dev/null
}

# expect_eq NAME WANT GOT: pass if equal.
expect_eq() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1" "expected '$2', got '$3'"
	fi
}

# up_with NAME LABEL ARGS...: `up` ping-svc as LABEL; sets PID on success.
up_with() {
	local name=$1 label=$2
	shift 2
	PID=
	if ! svc up "$PING_SVC" -label "$label" "$@" >/dev/null 2>"$ERR"; then
		t_fail "$name" "up failed: $(head -n 2 "$ERR" | tr '\n' ' ')"
		return 1
	fi
	PID=$(svc_field "$label" pid)
	if [ -z "$PID" ] || ! _t_alive "$PID"; then
		t_fail "$name" "$label is up but has no live pid ('$PID')"
		return 1
	fi
	t_pass "$name"
}

# expect_config_error NAME PATTERN ARGS...: `up` fails with exit status 1
# and says PATTERN (grep -F) on stderr.
expect_config_error() {
	local name=$1 pattern=$2 rc
	shift 2
	svc up "$PING_SVC" "$@" >/dev/null 2>"$ERR"
	rc=$?
	if [ "$rc" -ne 1 ]; then
		t_fail "$name" "exit $rc, expected 1: $(head -n 2 "$ERR" | tr '\n' ' ')"
	elif ! grep -qF -- "$pattern" "$ERR"; then
		t_fail "$name" "stderr lacks '$pattern': $(head -n 2 "$ERR" | tr '\n' ' ')"
	else
		t_pass "$name"
	fi
}

cleanup() {
	# shellcheck disable=SC2086 # one label per word
	svc_down_all $LABELS bootsvc bootsvc2 >/dev/null 2>&1
	rm -f "$CONF_D_FILE"
}

# ---- installed files ---------------------------------------------------------
t_check installed-system-conf test -f /etc/minix/system.conf
t_check installed-hello-entry grep -q '^service hello' /etc/minix/system.conf.d/hello
t_check installed-rs-single test -x /etc/minix/rs.single

if ! mx_load; then
	t_fail config-setup "mx_load failed"
	exit 1
fi
if ! rs_start; then
	t_fail config-setup "rs_start failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	mx_unload
	exit 1
fi
rs_caps=$(proc_field "$RS_PID" status CapEff)

# ---- 1. nobody, no capabilities, limits, nice, CPU ---------------------------
cat >"$CONF" <<'EOF'
service ping-svc
{
	uid 65534;
	capabilities NONE;
	limit nofile 64;
	limit core 0 0;
	priority 9;		# nice 5
	cpu BSP;
};
EOF
if up_with nobody-up cfg-nobody -config "$CONF"; then
	expect_eq nobody-uid "65534 65534 65534 65534" "$(proc_field "$PID" status Uid)"
	expect_eq nobody-gid "65534 65534 65534 65534" "$(proc_field "$PID" status Gid)"
	expect_eq nobody-no-cap-eff 0000000000000000 "$(proc_field "$PID" status CapEff)"
	expect_eq nobody-no-cap-prm 0000000000000000 "$(proc_field "$PID" status CapPrm)"
	expect_eq nobody-no-cap-amb 0000000000000000 "$(proc_field "$PID" status CapAmb)"
	expect_eq nobody-no-cap-bnd 0000000000000000 "$(proc_field "$PID" status CapBnd)"
	expect_eq nobody-limit-nofile "64 64" "$(limit_of "$PID" "Max open files")"
	expect_eq nobody-limit-core "0 0" "$(limit_of "$PID" "Max core file size")"
	expect_eq nobody-nice 5 "$(nice_of "$PID")"
	expect_eq nobody-cpu 0 "$(proc_field "$PID" status Cpus_allowed_list)"
	expect_eq nobody-status-uid 65534 "$(svc_field cfg-nobody uid)"
	# It runs as a SEF service: RS can still restart it on its endpoint.
	ep=$(svc_field cfg-nobody endpoint)
	kill -KILL "$PID"
	if wait_for 30 restarted_since cfg-nobody "$PID"; then
		new=$(svc_field cfg-nobody pid)
		expect_eq nobody-restart-same-endpoint "$ep" "$(svc_field cfg-nobody endpoint)"
		expect_eq nobody-restart-keeps-uid "65534 65534 65534 65534" \
			"$(proc_field "$new" status Uid)"
	else
		t_fail nobody-restart "cfg-nobody did not come back: $(tail -n 2 "$RS_LOG" | tr '\n' ' ')"
	fi
	t_check nobody-down svc down cfg-nobody
fi

# ---- 2. nobody keeping two capabilities ------------------------------------
# cap_kill (5) and cap_net_bind_service (10): 0x420.
cat >"$CONF" <<'EOF'
service ping-svc {
	uid nobody;
	capabilities cap_kill CAP_NET_BIND_SERVICE;
};
EOF
if up_with caps-up cfg-caps -config "$CONF"; then
	expect_eq caps-uid "65534 65534 65534 65534" "$(proc_field "$PID" status Uid)"
	expect_eq caps-eff 0000000000000420 "$(proc_field "$PID" status CapEff)"
	expect_eq caps-prm 0000000000000420 "$(proc_field "$PID" status CapPrm)"
	expect_eq caps-amb 0000000000000420 "$(proc_field "$PID" status CapAmb)"
	expect_eq caps-bnd 0000000000000420 "$(proc_field "$PID" status CapBnd)"
	t_check caps-down svc down cfg-caps
fi

# ---- 3. root keeping one capability -----------------------------------------
printf 'service ping-svc { uid 0; capabilities cap_kill; };\n' >"$CONF"
if up_with root-caps-up cfg-root -config "$CONF"; then
	expect_eq root-caps-uid "0 0 0 0" "$(proc_field "$PID" status Uid)"
	expect_eq root-caps-eff 0000000000000020 "$(proc_field "$PID" status CapEff)"
	expect_eq root-caps-bnd 0000000000000020 "$(proc_field "$PID" status CapBnd)"
	t_check root-caps-down svc down cfg-root
fi

# ---- 4. no entry anywhere: the defaults -------------------------------------
rm -f "$CONF_D_FILE"
if up_with default-up cfg-default; then
	expect_eq default-uid "0 0 0 0" "$(proc_field "$PID" status Uid)"
	expect_eq default-keeps-rs-caps "$rs_caps" "$(proc_field "$PID" status CapEff)"
	expect_eq default-no-limit "$(limit_of "$RS_PID" "Max open files")" \
		"$(limit_of "$PID" "Max open files")"
	t_check default-down svc down cfg-default
fi

# ---- 5. system.conf.d/<program> before system.conf --------------------------
printf '# 35-config\nservice ping-svc { uid 65534; limit nofile 32; };\n' >"$CONF_D_FILE"
if up_with conf-d-up cfg-conf-d; then
	expect_eq conf-d-uid "65534 65534 65534 65534" "$(proc_field "$PID" status Uid)"
	expect_eq conf-d-limit "32 32" "$(limit_of "$PID" "Max open files")"
	t_check conf-d-down svc down cfg-conf-d
fi
# The file is the program's: it must hold its entry.
printf 'service other { uid 1; };\n' >"$CONF_D_FILE"
expect_config_error conf-d-without-entry \
	"service 'ping-svc' not found in '$CONF_D_FILE'" -label cfg-conf-d
rm -f "$CONF_D_FILE"

# ---- 6. -progname picks another entry ---------------------------------------
printf 'service ping-svc { uid 0; };\nservice other { uid 65534; };\n' >"$CONF"
if up_with progname-up cfg-progname -progname other -config "$CONF"; then
	expect_eq progname-uid "65534 65534 65534 65534" "$(proc_field "$PID" status Uid)"
	t_check progname-down svc down cfg-progname
fi

# ---- 7. errors --------------------------------------------------------------
printf 'service ping-svc {\n\tuid 0;\n\tfrobnicate 1;\n};\n' >"$CONF"
expect_config_error error-unknown-keyword-line \
	"$CONF:3: unknown keyword 'frobnicate'" -label cfg-err -config "$CONF"
printf 'service ping-svc {\n\tuid nosuchuser;\n};\n' >"$CONF"
expect_config_error error-unknown-user \
	"$CONF:2: uid: unknown user 'nosuchuser'" -label cfg-err -config "$CONF"
printf 'service ping-svc {\n\tlimit nofile 128 64;\n};\n' >"$CONF"
expect_config_error error-limit-soft-above-hard \
	"$CONF:2: limit nofile: the soft limit is above the hard limit" \
	-label cfg-err -config "$CONF"
printf 'service ping-svc {\n\tuid 0\n};\n' >"$CONF"
expect_config_error error-missing-semicolon \
	"$CONF:3: missing ';' before '}'" -label cfg-err -config "$CONF"
printf 'service other { };\n' >"$CONF"
expect_config_error error-entry-not-found \
	"service 'ping-svc' not found in '$CONF'" -label cfg-err -config "$CONF"
# minix-service itself refuses a -config file that is not there.
svc up "$PING_SVC" -label cfg-err -config /tmp/35-none.conf >/dev/null 2>"$ERR"
rc=$?
if [ "$rc" -ne 0 ] && grep -qF /tmp/35-none.conf "$ERR"; then
	t_pass error-no-such-file
else
	t_fail error-no-such-file "exit $rc: $(head -n 2 "$ERR" | tr '\n' ' ')"
fi
if svc status cfg-err >/dev/null 2>&1; then
	t_fail errors-start-nothing "cfg-err is up after the errors"
else
	t_pass errors-start-nothing
fi

# A privilege the child cannot take fails the start, and nothing runs.
printf 'service ping-svc { cpu 1000; };\n' >"$CONF"
svc up "$PING_SVC" -label cfg-badcpu -config "$CONF" >/dev/null 2>"$ERR"
rc=$?
if [ "$rc" -ne 0 ] && ! svc status cfg-badcpu >/dev/null 2>&1; then
	t_pass error-cpu-not-present
else
	t_fail error-cpu-not-present "exit $rc, status: $(svc status cfg-badcpu 2>&1 | tr '\n' ' ')"
fi

# ---- 8. MINIX kernel calls with no Linux meaning: a warning, not an error ---
printf 'service ping-svc {\n\tsystem\n\t\tIRQCTL\n\t\tKILL;\n};\n' >"$CONF"
if up_with minix-calls-accepted cfg-warn -config "$CONF"; then
	if grep -qF "$CONF:3: system: IRQCTL has no meaning on Linux, ignored" "$RS_LOG"; then
		t_pass minix-calls-warned
	else
		t_fail minix-calls-warned "no warning in rs.log: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	fi
	t_check minix-calls-down svc down cfg-warn
fi

cleanup
rs_stop || t_fail config-rs-stop "rs-daemon did not stop cleanly"

# ---- 9. boot entries start with RS, with their privileges -------------------
cat >"$CONF" <<EOF
service bootsvc
{
	boot;
	binary $PING_SVC;
	uid 65534;
	capabilities NONE;
	limit nofile 48;
};
EOF
if rs_start -c "$CONF"; then
	if wait_for 30 eval '[ -n "$(svc_field bootsvc pid)" ]'; then
		PID=$(svc_field bootsvc pid)
		expect_eq boot-service-uid "65534 65534 65534 65534" \
			"$(proc_field "$PID" status Uid)"
		expect_eq boot-service-limit "48 48" "$(limit_of "$PID" "Max open files")"
		t_check rs-daemon-t-passes "$RS_BIN" -t -c "$CONF"
		# reload: a new boot entry starts, the running one stays.
		cat >>"$CONF" <<EOF
service bootsvc2
{
	boot;
	binary $PING_SVC;
};
EOF
		t_check reload-as-root svc reload
		if wait_for 30 eval '[ "$(svc_field bootsvc2 state)" = running ]'; then
			t_pass reload-starts-new-boot-entry
		else
			t_fail reload-starts-new-boot-entry "no bootsvc2: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
		fi
		expect_eq reload-keeps-running-entry "$PID" "$(svc_field bootsvc pid)"
		# SIGHUP with bootsvc2 gone from the file: left running, logged.
		head -n 8 "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
		pid2=$(svc_field bootsvc2 pid)
		kill -HUP "$RS_PID"
		if wait_for 30 grep -q 'bootsvc2: no longer a boot entry' "$RS_LOG"; then
			t_pass sighup-logs-removed-entry
		else
			t_fail sighup-logs-removed-entry "$(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
		fi
		expect_eq sighup-leaves-removed-running "$pid2" "$(svc_field bootsvc2 pid)"
	else
		t_fail boot-service-started "no bootsvc: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	fi
	cleanup
	rs_stop || t_fail config-rs-stop "rs-daemon did not stop cleanly"
else
	t_fail boot-service-started "rs_start -c failed: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
fi

rm -f "$CONF" "$ERR"
t_check config-unload mx_unload
