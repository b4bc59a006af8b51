#!/bin/sh
# experiment-kill: MINIX's kill-every-second experiment at full size,
# behind `make experiment` (tests/vm/run leaves experiment*.sh out of
# --suites all): suite 77-kill-every with KILL_SECONDS (default 30) per
# phase, settable on the kernel command line (make experiment
# KILL_SECONDS=N passes kill_seconds=N).
KILL_SECONDS=${kill_seconds:-30}
. /tests/suites/77-kill-every.sh
