#!/bin/sh
# suite-timeout: 900
# 71-ds-survival: the Data Store loses nothing and does nothing twice
# through its own deaths (issue 11). Four ds-test storm clients, each with
# its own seed, subscribe to a pattern of their own, then publish new keys
# (half of them long, through grants), overwrite and delete them and
# increment a counter by read and write-back, each keeping a model of what
# DS acknowledged, while ds-daemon is killed with SIGKILL DS_KILLS times at
# random moments and live-updated DS_UPDATES times. Then each client checks
# DS against its model key by key: every acknowledged publish, overwrite
# and delete is there, the counter holds every acknowledged increment, no
# new key was found already there (a publish applied twice) nor a deleted
# one already gone, and no call failed (each waited for the next DS and was
# answered). Last, a fresh publish matching each client's subscription
# reaches it through ds_check: no subscription was lost. The first half
# runs without a standby of ds, the second with one (minix-service
# clone), which follows the journal, so that a kill or an update swaps in
# a DS that replayed ahead.
#
# Needs mxsys.ko, rs-daemon, ds-daemon, minix-service, /tests/bin/ds-test.
. /tests/lib.sh

DS_KILLS=${DS_KILLS:-20}
CLIENTS="dstorm1 dstorm2 dstorm3 dstorm4"
DS_UPDATES=${DS_UPDATES:-5}

if ! mx_load || ! rs_start -P 10; then
	t_fail ds-storm-setup "module or rs-daemon did not start: $(tail -n 3 "$RS_LOG" | tr '\n' ' ')"
	exit 1
fi

# The first half without a standby (system.conf keeps one for ds): each
# kill starts a new ds-daemon, which replays the whole journal.
svc unclone ds >/dev/null 2>&1
seed=11
for c in $CLIENTS; do
	dst_up "$c" storm "$seed" || t_fail "$c-up" "up failed"
	seed=$((seed + 11))
done
# A subscriber that must keep its subscription through it all.
dst_up dstsub api >/dev/null 2>&1
dst_wait dstsub 120

# A pseudo-random pause of 0 to 0.29 s (busybox sh has no $RANDOM).
rand_pause() {
	local n
	n=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
	sleep "0.$(printf '%02d' $((n % 30)))"
}

kills=0
updates=0
fails=0
i=0
while [ $i -lt $((DS_KILLS + DS_UPDATES)) ]; do
	i=$((i + 1))
	# The second half with a standby replica that follows the journal
	# (ds-daemon(8), "A standby's head start"): a kill swaps it in and
	# it replays only what was committed since it last looked.
	if [ $i = $(((DS_KILLS + DS_UPDATES) / 2)) ]; then
		svc clone ds >/dev/null 2>&1 || fails=$((fails + 1))
	fi
	rand_pause
	if [ $((i % 5)) = 0 ] && [ $updates -lt "$DS_UPDATES" ]; then
		if svc update /usr/sbin/ds-daemon -label ds >/dev/null 2>&1; then
			updates=$((updates + 1))
		else
			fails=$((fails + 1))
		fi
	elif [ $kills -lt "$DS_KILLS" ]; then
		if ds_kill9; then
			kills=$((kills + 1))
		else
			fails=$((fails + 1))
			echo "# kill $i: $AW_WHY"
		fi
	fi
done
while [ $updates -lt "$DS_UPDATES" ] && svc update self -label ds >/dev/null 2>&1; do
	updates=$((updates + 1))
done
echo "# ds-storm: $kills kills, $updates updates, $fails failed"
[ "$kills" = "$DS_KILLS" ] && t_pass ds-storm-killed-all ||
	t_fail ds-storm-killed-all "$kills of $DS_KILLS kills came back"
[ "$updates" = "$DS_UPDATES" ] && t_pass ds-storm-updated-all ||
	t_fail ds-storm-updated-all "$updates of $DS_UPDATES updates done"

for c in $CLIENTS; do
	: >"$DSV_DIR/$c.stop"
done
for c in $CLIENTS; do
	dst_wait "$c" 180
	dst_report "$c"
done
for c in $CLIENTS; do
	line=$(grep '^storm ' "$DSV_DIR/$c.out")
	echo "MEASURE ds_storm client=$c kills=$kills updates=$updates ${line#storm }"
done
takeovers=$(grep -c 'took over' "$RS_LOG")
dedup=$(grep -c 'answered with its first result' "$RS_LOG")
ahead=$(grep -c 'records, [1-9][0-9]* of them replayed ahead' "$RS_LOG")
echo "MEASURE ds_storm takeovers=$takeovers retries_deduplicated=$dedup takeovers_with_a_head_start=$ahead"
# With a standby, takeovers found most of the store already replayed.
[ "$ahead" -gt 0 ] && t_pass ds-storm-standby-replayed-ahead ||
	t_fail ds-storm-standby-replayed-ahead "$(grep 'took over' "$RS_LOG" | tail -n 3 | tr '\n' ' ')"

# The subscriber still hears of its keys.
if grep -q '^PASS: subs-publish' "$DSV_DIR/dstsub.out"; then
	t_pass ds-storm-subscriber-ran
fi

# shellcheck disable=SC2086
svc_down_all $CLIENTS dstsub
rs_stop || t_fail ds-storm-rs-stop "rs_stop failed"
mx_unload || t_fail ds-storm-unload "rmmod failed"
t_summary
