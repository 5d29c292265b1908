#!/bin/sh
# sync.sh: issue 3's figures, in one run on one broker:
#  (a) reference: the rate at which one libmosquitto subscriber receives QoS 1 messages of
#      the size of a request from P publishers (bench/tools/mqtt_raw);
#  (b) bawaba: the rate at which bawaba-hub ingests, commits and acknowledges requests from
#      P simulated devices (bawaba-devsim) draining a backlog of fresh requests, over the
#      hub's span from its first request received to its last batch acknowledged, and the
#      ratio to (a) (goal: at least 80%);
#  (c) the median and 99th-percentile time from submit to ack at a steady 1,000
#      requests/s (goal: p99 under 50 ms).
# Sizes: BW_BENCH_DEVICES (4), BW_BENCH_PER_DEVICE (5000), BW_BENCH_STEADY (10000 requests).
set -u
BW_TOP=${BW_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BW_BUILD=${BW_BUILD:-$BW_TOP/build/rel}
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

P=${BW_BENCH_DEVICES:-4}
N=${BW_BENCH_PER_DEVICE:-5000}
STEADY=${BW_BENCH_STEADY:-10000}
RAW=$BW_BUILD/bench/tools/mqtt_raw
[ -x "$RAW" ] || bw_fail "$RAW is not built (make benches)"

# a device with the shipped timings (not the tests' fast retries)
dev() { id=$1; shift; "$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/$id.conf" -d "$BW_TMP/$id.db" "$@" 2>>"$BW_TMP/$id.log"; }
field() { sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$1" | tail -n 1; }

ids=; devs=
i=1; while [ $i -le "$P" ]; do ids="$ids d$i"; devs="$devs d$i:kiosk"; i=$((i + 1)); done
bw_sync_setup $devs k0:kiosk

# backlogs: made while no hub has ever connected, so the broker keeps nothing for it
for d in $ids; do dev "$d" -n "$N" -W -w 300 > "$BW_TMP/$d.backlog" & done
wait
for d in $ids; do
  bw_expect "$d backlog" "$(bw_devsql "$d" "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" "$N" > /dev/null
done
size=$(bw_devsql d1 "SELECT CAST(avg(length(payload)) AS INT) FROM outbox")
total=$((P * N))

# (a) the reference
"$RAW" "$BW_BROKER_DIR" "$size" "$N" $ids > "$BW_TMP/raw.out" || bw_fail "mqtt_raw: $(cat "$BW_TMP/raw.out")"
raw=$(sed -n 's/^rate //p' "$BW_TMP/raw.out")

# (b) the hub draining the backlogs
# capacity, not the per-device budget (issue 11), is measured here: no request budget
bw_hub_start -o budget.req_rate=0 ${BW_BENCH_HUB_OPTS:-}
pids=
for d in $ids; do dev "$d" -w 300 > "$BW_TMP/$d.drain" & pids="$pids $!"; done
wait $pids   # not a bare wait: the hub is a child too
secs=0
for d in $ids; do
  grep -q " outbox 0 " "$BW_TMP/$d.drain" || bw_fail "$d not drained: $(cat "$BW_TMP/$d.drain")"
  s=$(field "$BW_TMP/$d.drain" seconds)
  secs=$(awk -v a="$secs" -v b="$s" 'BEGIN { print (b > a) ? b : a }')
done
bw_expect "hub holds every request once" "$(bw_hubsql "SELECT count(*) FROM requests")" "$total" > /dev/null
# the hub's own span, from its first request received to its last batch acknowledged,
# like the reference's, which starts once every client is connected
kill -USR1 "$BW_HUB_PID"; sleep 0.3
# CPU the hub used (user + system, clock ticks) for the whole drain
ticks=$(awk '{ print $14 + $15 }' "/proc/$BW_HUB_PID/stat")
hz=$(getconf CLK_TCK)
cpu_us=$(awk -v t="$ticks" -v hz="$hz" -v n="$total" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')
span=$(sed -n 's/.*ingest span \([0-9]*\) ms.*/\1/p' "$BW_HUB_LOG" | tail -n 1)
[ -n "$span" ] && [ "$span" -gt 0 ] || bw_fail "no ingest span in the hub's log"
hub=$(awk -v n="$total" -v s="$span" 'BEGIN { printf "%.0f", n * 1000 / s }')
secs=$(awk -v s="$span" 'BEGIN { printf "%.2f", s / 1000 }')
ratio=$(awk -v h="$hub" -v r="$raw" 'BEGIN { printf "%.0f", 100 * h / r }')

# (c) steady 1,000 requests/s from one device
dev k0 -n "$STEADY" -r 1000 -w 120 > "$BW_TMP/steady.out" || bw_fail "steady run: $(cat "$BW_TMP/steady.out")"
p50=$(field "$BW_TMP/steady.out" p50_ms)
p99=$(field "$BW_TMP/steady.out" p99_ms)
bw_hub_stop

echo "sync (issue 3): $P devices, $N requests each, $size-byte payloads, QoS 1, loopback"
echo "  (a) raw MQTT, one subscriber:           $raw messages/s"
echo "  (b) bawaba-hub ingest+commit+ack:       $hub requests/s ($total in ${secs} s)"
echo "      ratio b/a:                          $ratio%   (goal >= 80%)"
echo "      hub CPU per request:                $cpu_us us (user + system, start-up included)"
echo "  (c) submit->ack at 1,000 requests/s:    median $p50 ms, p99 $p99 ms   (goal p99 < 50 ms; $STEADY requests)"
awk -v r="$ratio" -v p="$p99" 'BEGIN {
  printf "  goals: ratio %s, p99 %s\n", (r >= 80) ? "met" : "NOT met", (p < 50) ? "met" : "NOT met" }'
