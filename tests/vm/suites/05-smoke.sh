#!/bin/sh
# 05-smoke: the harness checks itself and the guest environment that every
# other suite relies on. It does not load mxsys.
. /tests/lib.sh

t_pass harness-reports-pass
t_check true-succeeds true
t_expect_status false-exits-1 1 false
t_expect_status exit-status-passes-through 3 sh -c 'exit 3'

# wait_for must both succeed on a true condition and give up on a false one.
t_check wait-for-true wait_for 1 true
if wait_for 0.3 false; then
	t_fail wait-for-gives-up "wait_for 0.3 false returned success"
else
	t_pass wait-for-gives-up
fi

t_check root-is-uid-0 test "$(id -u)" -eq 0
t_check dev-is-devtmpfs grep -q '^devtmpfs /dev ' /proc/mounts
t_check tmp-is-tmpfs grep -q '^tmpfs /tmp ' /proc/mounts
t_check proc-mounted test -r /proc/self/status
t_check dev-null-is-char test -c /dev/null
t_check fuse-loaded test -d /sys/module/fuse
t_check cuse-loaded test -d /sys/module/cuse
t_check dev-cuse-exists test -c /dev/cuse
t_check mxsys-ko-present test -f "$MX_KO"
t_check nobody-user-resolves test "$(id -u nobody)" = 65534
t_check as-user-nobody test "$(as_user nobody id -u)" = 65534
t_expect_status nobody-cannot-write-root 1 as_user nobody sh -c ': >/root/x'

t_check busybox-timeout-kills test "$(timeout 1 sleep 5; echo $?)" != 0

# Every dynamically linked program in the guest must find its libraries.
missing=
for f in /usr/sbin/* /usr/libexec/mxsys/* /tests/bin/*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	case $(head -c 4 "$f") in *ELF*) ;; *) continue ;; esac
	# Static programs (the 32-bit compat tests) name no loader.
	grep -q ld-linux-x86-64 "$f" || continue
	# The dynamic loader lists the libraries without running the program.
	if ! /lib64/ld-linux-x86-64.so.2 --list "$f" >/dev/null 2>&1; then
		missing="$missing ${f##*/}"
	fi
done
if [ -n "$missing" ]; then
	t_fail shared-libraries-resolve "cannot load:$missing"
else
	t_pass shared-libraries-resolve
fi

t_summary
