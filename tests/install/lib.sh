# shellcheck shell=bash
# tests/install/lib.sh: results for the host lanes of tests/install/
# (sourced). Same lines as the VM suites, which scripts/check-all counts:
#     PASS: NAME
#     FAIL: NAME: REASON
#
#   t_pass NAME             record a pass
#   t_fail NAME REASON...   record a failure; REASON may span lines
#   t_check NAME CMD...     pass if CMD exits 0, else fail with its output
#   t_summary               print `N passed, N failed` (the lane's last
#                           line) and return non-zero after any failure
#   t_scratch VAR           set VAR to a new directory under build/tests,
#                           removed on exit unless KEEP=1
#
# The lane sets T_TOP (the source tree) and T_LANE (its name) first.

T_PASSED=0
T_FAILED=0
T_SCRATCH=()

t_pass() {
	T_PASSED=$((T_PASSED + 1))
	echo "PASS: $1"
}

t_fail() {
	local name=$1
	shift
	T_FAILED=$((T_FAILED + 1))
	echo "FAIL: $name: $(printf '%s\n' "$*" | head -n 1)"
	# The rest of a long reason, indented, capped.
	printf '%s\n' "$*" | sed -n '2,40s/^/    /p'
}

t_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$name"
	else
		t_fail "$name" "'$*' exited $?"$'\n'"$out"
		return 1
	fi
}

t_summary() {
	echo "$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ]
}

_t_cleanup() {
	[ "${KEEP:-0}" = 1 ] && { printf 'kept %s\n' "${T_SCRATCH[@]}" >&2; return; }
	[ ${#T_SCRATCH[@]} -eq 0 ] || rm -rf "${T_SCRATCH[@]}"
}
trap _t_cleanup EXIT

t_scratch() {
	local d
	mkdir -p "$T_TOP/build/tests"
	d=$(mktemp -d "$T_TOP/build/tests/${T_LANE:-lane}.XXXXXX")
	T_SCRATCH+=("$d")
	printf -v "$1" '%s' "$d"
}
