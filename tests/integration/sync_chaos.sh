#!/bin/sh
# sync_chaos.sh: three simulated devices submit 3,000 requests while the test kills the
# broker and the hub with SIGKILL at random moments and restarts them. At the end the hub
# holds every request exactly once (by uid and by reference, the same set the devices
# hold) and every device's outbox is drained. Nothing relies on the broker's disk.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

PER_DEVICE=${BW_CHAOS_N:-1000}
RATE=${BW_CHAOS_RATE:-100}
KILLS=${BW_CHAOS_KILLS:-6}

bw_sync_setup k1:kiosk k2:kiosk g1:gateway
bw_hub_start

# random integer in [0, $1)
rnd() { od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ print $1 % m }'; }

pids=
for d in k1 k2 g1; do
  bw_dev "$d" -n "$PER_DEVICE" -r "$RATE" -w 50 > "$BW_TMP/$d.out" 2> "$BW_TMP/$d.err" &
  pids="$pids $!"
done

i=0
while [ $i -lt "$KILLS" ]; do
  sleep "$(( $(rnd 10) / 10 + 1 )).$(rnd 10)"
  if [ "$(rnd 2)" -eq 0 ]; then
    echo "kill -9 broker ($BW_BROKER_PID)"
    kill -9 "$BW_BROKER_PID" 2>/dev/null
    sleep "0.$(rnd 8)"
    bw_broker_start
  else
    echo "kill -9 hub ($BW_HUB_PID)"
    bw_hub_kill
    sleep "0.$(rnd 8)"
    bw_hub_start
  fi
  i=$((i + 1))
done

rc=0
for p in $pids; do wait "$p" || rc=1; done
for d in k1 k2 g1; do echo "$d: $(tail -n 1 "$BW_TMP/$d.out")"; done
[ $rc -eq 0 ] || bw_fail "a device did not drain its outbox"

total=$((3 * PER_DEVICE))
bw_expect "requests at the hub" "$(bw_hubsql "SELECT count(*) FROM requests")" $total
bw_expect "distinct uids" "$(bw_hubsql "SELECT count(DISTINCT uid) FROM requests")" $total
bw_expect "distinct references" "$(bw_hubsql "SELECT count(DISTINCT ref) FROM requests")" $total
bw_expect "one received event per request" "$(bw_hubsql "SELECT count(*) FROM events WHERE old_state = -1")" $total
for d in k1 k2 g1; do
  bw_expect "$d outbox drained" "$(bw_devsql $d "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" 0
  bw_expect "$d: none rejected" "$(bw_devsql $d "SELECT count(*) FROM outbox WHERE status = 'rejected'")" 0
  missing=$(bw_hubsql "ATTACH '$BW_TMP/$d.db' AS dev; SELECT count(*) FROM dev.requests d
    LEFT JOIN main.requests h ON h.uid = d.uid AND h.ref = d.ref WHERE h.uid IS NULL")
  bw_expect "$d: every local request is at the hub with the same reference" "$missing" 0
done
bw_hub_stop
echo "PASS"
