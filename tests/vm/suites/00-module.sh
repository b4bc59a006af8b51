#!/bin/sh
# 00-module: mxsys.ko loads and unloads cleanly, twice; /dev/mxsys comes
# and goes with it; an open file pins the module; processes that had bound
# slots do not keep it loaded once they are gone; bad parameters are refused.
. /tests/lib.sh

IPC_TEST=/tests/bin/ipc-test

for round in 1 2; do
	if mx_load; then
		t_pass "load-$round"
	else
		t_fail "load-$round" "insmod failed or /dev/mxsys missing"
		break
	fi
	t_check "dev-is-char-$round" test -c /dev/mxsys
	t_check "dev-mode-0666-$round" test "$(stat -c %a /dev/mxsys)" = 666
	t_check "default-nr-slots-$round" \
		test "$(cat /sys/module/mxsys/parameters/nr_slots)" = 64
	if mx_unload; then
		t_pass "unload-$round"
	else
		t_fail "unload-$round" "rmmod failed or mxsys still present"
		break
	fi
	t_check "dev-gone-$round" test ! -e /dev/mxsys
done

# An open file holds a reference on the module.
if mx_load; then
	exec 3</dev/mxsys
	if rmmod mxsys 2>/dev/null; then
		t_fail rmmod-refused-while-open "rmmod succeeded with /dev/mxsys open"
		exec 3<&-
	else
		t_pass rmmod-refused-while-open
		exec 3<&-
		t_check unload-after-close mx_unload
	fi
else
	t_fail rmmod-refused-while-open "mx_load failed"
fi

# Processes that bound slots (and died, some killed) leave nothing behind.
if mx_load; then
	t_check bound-processes-run "$IPC_TEST" sendrec
	t_check killed-process-run "$IPC_TEST" death
	t_check unload-after-bound-processes mx_unload
else
	t_fail unload-after-bound-processes "mx_load failed"
fi

# Unload while slots are still prepared, dead and holding queued messages:
# a fake RS that exits without clearing them.
if mx_load; then
	"$IPC_TEST" senda >/dev/null 2>&1
	t_check unload-with-slots-in-use mx_unload
fi

# The table size is a parameter, range-checked.
if mx_load nr_slots=1024; then
	t_check nr-slots-1024 test "$(cat /sys/module/mxsys/parameters/nr_slots)" = 1024
	t_check ipc-with-1024-slots "$IPC_TEST" rendezvous
	t_check unload-1024 mx_unload
else
	t_fail nr-slots-1024 "insmod nr_slots=1024 failed"
fi
if insmod "$MX_KO" nr_slots=4 2>/dev/null; then
	t_fail nr-slots-too-small "insmod nr_slots=4 succeeded"
	rmmod mxsys
else
	t_pass nr-slots-too-small
fi
if insmod "$MX_KO" nr_slots=4096 2>/dev/null; then
	t_fail nr-slots-too-large "insmod nr_slots=4096 succeeded"
	rmmod mxsys
else
	t_pass nr-slots-too-large
fi

t_summary
