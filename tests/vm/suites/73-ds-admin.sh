#!/bin/sh
# 73-ds-admin: root's `minix-service ds` (issue 11 item 4): set, get, list
# and del of u32 and str keys, a 79-character key, the longest value the
# tool carries (1023 bytes) and a longer one refused, a regex filter,
# clear errors (no such key, bad regex, bad arguments, non-root refused),
# keys of a service seen and deleted whoever owns them; and a loop of CLI
# calls while ds-daemon is killed with SIGKILL: every call ends (answer or
# a clear error), none hangs; a stopped ds-daemon gives the answer (RS
# restarted it) or ETIMEDOUT with a clear message after RS's retries.
#
# Needs mxsys.ko, rs-daemon, ds-daemon, minix-service.
. /tests/lib.sh

if ! mx_load || ! rs_start -P 10; then
	t_fail dsadm-setup "module or rs-daemon did not start: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	exit 1
fi

# The tool must never hang: 60 s is far beyond RS's own 3 x 2 s retries.
ds() { timeout 60 minix-service ds "$@"; }

# ---- set and get -------------------------------------------------------------

t_check dsadm-set-u32 ds set adm.n 42
t_check dsadm-get-u32 sh -c 'minix-service ds get adm.n | grep -qx "adm.n u32 rs 42"'
t_check dsadm-set-str ds set adm.s "hello world"
t_check dsadm-get-str sh -c 'minix-service ds get adm.s | grep -qx "adm.s str rs hello world"'
t_check dsadm-set-t-str ds set -t str adm.t 7
t_check dsadm-get-t-str sh -c 'minix-service ds get -t str adm.t | grep -qx "adm.t str rs 7"'
t_expect_status dsadm-get-t-wrong-type 3 ds get -t u32 adm.t
t_check dsadm-overwrite sh -c 'minix-service ds set adm.n 43 && minix-service ds get adm.n | grep -qx "adm.n u32 rs 43"'
t_expect_status dsadm-set-t-u32-not-a-number 22 ds set -t u32 adm.x abc

key79=$(printf 'k%.0s' $(seq 1 79))
t_check dsadm-key-79 sh -c "minix-service ds set $key79 79 && minix-service ds get $key79 | grep -qx '$key79 u32 rs 79'"
t_expect_status dsadm-key-80 22 ds get "${key79}k"

v1023=$(head -c 1023 /dev/zero | tr '\0' 'v')
t_check dsadm-value-1023 sh -c "minix-service ds set adm.big $v1023 && minix-service ds get adm.big | grep -qx 'adm.big str rs $v1023'"
t_expect_status dsadm-value-1024-refused 22 ds set adm.big "${v1023}v"

# ---- list -------------------------------------------------------------------

ds list >/tmp/dsadm.all 2>&1
if grep -qx 'adm.n u32 rs 43' /tmp/dsadm.all && grep -q '^adm.s str ' /tmp/dsadm.all &&
	grep -qx "$key79 u32 rs 79" /tmp/dsadm.all; then
	t_pass dsadm-list-all
else
	t_fail dsadm-list-all "$(head -c 300 /tmp/dsadm.all)"
fi
ds list 'adm\.[ns]' >/tmp/dsadm.re 2>&1
if [ "$(wc -l </tmp/dsadm.re)" = 2 ] && grep -q '^adm.n ' /tmp/dsadm.re && grep -q '^adm.s ' /tmp/dsadm.re; then
	t_pass dsadm-list-regex
else
	t_fail dsadm-list-regex "$(cat /tmp/dsadm.re)"
fi
# Anchored: "adm" alone matches no key.
t_check dsadm-list-anchored sh -c '[ -z "$(minix-service ds list adm)" ]'
ds list 'adm(' >/tmp/dsadm.bad 2>&1
rc=$?
if [ $rc = 22 ] && grep -q 'regular expression' /tmp/dsadm.bad; then
	t_pass dsadm-list-bad-regex
else
	t_fail dsadm-list-bad-regex "status $rc: $(cat /tmp/dsadm.bad)"
fi

# ---- del and errors -----------------------------------------------------------

t_check dsadm-del ds del adm.n
ds get adm.n >/tmp/dsadm.none 2>&1
rc=$?
if [ $rc = 3 ] && grep -q 'no such key: adm.n' /tmp/dsadm.none; then
	t_pass dsadm-get-deleted-says-no-such-key
else
	t_fail dsadm-get-deleted-says-no-such-key "status $rc: $(cat /tmp/dsadm.none)"
fi
t_expect_status dsadm-del-missing 3 ds del adm.n
t_expect_status dsadm-del-label-refused 1 ds del -t label ds
t_expect_status dsadm-bad-verb 22 ds frob
as_user nobody minix-service ds get adm.s >/tmp/dsadm.perm 2>&1
rc=$?
if [ $rc = 1 ] && grep -q 'only root' /tmp/dsadm.perm; then
	t_pass dsadm-non-root-refused
else
	t_fail dsadm-non-root-refused "status $rc: $(cat /tmp/dsadm.perm)"
fi
t_expect_status dsadm-non-root-set-refused 1 as_user nobody minix-service ds set adm.s x
t_check dsadm-non-root-changed-nothing sh -c 'minix-service ds get adm.s | grep -qx "adm.s str rs hello world"'

# ---- a service's keys, whoever owns them --------------------------------------

if svc up /usr/libexec/mxsys/hello -label hello && wait_for 10 test -c /dev/hello; then
	cat /dev/hello >/dev/null
	t_check dsadm-service-key-owner sh -c 'minix-service ds get drv.chr.hello | grep -q "^drv.chr.hello u32 hello "'
	t_check dsadm-service-key-set-keeps-owner sh -c 'minix-service ds set drv.chr.hello 100 && minix-service ds get drv.chr.hello | grep -qx "drv.chr.hello u32 hello 100"'
	t_check dsadm-service-key-del sh -c 'minix-service ds del drv.chr.hello && ! minix-service ds get drv.chr.hello'
	svc down hello
else
	t_fail dsadm-service-up "hello did not start"
fi

# ---- kill -9 of ds in the middle of a loop ------------------------------------

answered=0
errors=0
hung=0
unclear=0
(
	for i in 1 2 3 4 5; do
		sleep 0.5
		ds_kill9 || echo "# kill $i: $AW_WHY"
	done
) &
killer=$!
i=0
while kill -0 $killer 2>/dev/null || [ $i -lt 20 ]; do
	i=$((i + 1))
	timeout 30 minix-service ds set adm.loop $i >/tmp/dsadm.loop 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		answered=$((answered + 1))
	elif [ $rc = 124 ]; then
		hung=$((hung + 1))
	elif grep -q 'ds did not answer\|ds: ' /tmp/dsadm.loop; then
		errors=$((errors + 1))
		echo "# loop $i: status $rc: $(cat /tmp/dsadm.loop)"
	else
		unclear=$((unclear + 1))
		echo "# loop $i: status $rc: $(cat /tmp/dsadm.loop)"
	fi
done
wait $killer
echo "# ds-admin kill loop: $i calls, $answered answered, $errors clear errors, $hung hung, $unclear unclear"
[ $hung = 0 ] && t_pass dsadm-kill-none-hung || t_fail dsadm-kill-none-hung "$hung of $i calls hung"
[ $unclear = 0 ] && t_pass dsadm-kill-errors-clear || t_fail dsadm-kill-errors-clear "$unclear unclear failures"
[ $answered -gt 0 ] && t_pass dsadm-kill-some-answered || t_fail dsadm-kill-some-answered "none of $i answered"
# The last acknowledged value is there after the kills.
t_check dsadm-kill-last-value sh -c "minix-service ds get adm.loop | grep -qx 'adm.loop u32 rs $i' || [ $answered != $i ]"

# How often RS had to send a request again (a death in the middle).
echo "# ds-admin: RS sent $(grep -c 'ds did not answer request' "$RS_LOG") requests again"

# ---- ds stopped (SIGSTOP): RS's retries end in a clear error, or the answer
# if RS restarted the stuck ds meanwhile -----------------------------------------

ds_pid=$(svc_field ds pid)
kill -STOP "$ds_pid"
ds get adm.s >/tmp/dsadm.stop 2>&1
rc=$?
kill -CONT "$ds_pid" 2>/dev/null
echo "# ds stopped: status $rc: $(cat /tmp/dsadm.stop)"
if { [ $rc = 110 ] && grep -q 'ds did not answer' /tmp/dsadm.stop; } ||
	{ [ $rc = 0 ] && grep -qx 'adm.s str rs hello world' /tmp/dsadm.stop; }; then
	t_pass dsadm-ds-stopped-answer-or-timeout
else
	t_fail dsadm-ds-stopped-answer-or-timeout "status $rc: $(cat /tmp/dsadm.stop)"
fi
t_check dsadm-serves-after-stop sh -c 'minix-service ds get adm.s | grep -qx "adm.s str rs hello world"'

rs_stop
mx_unload
t_summary
