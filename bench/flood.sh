#!/bin/sh
# flood.sh: issue 11's figures, in one run on one broker and hub:
#  (a) another device's submit->ack time (median, p99) while one device floods the hub at
#      full speed with malformed requests (its own credentials, its own topic), against
#      (b) the same device's figure with no flood, measured just before (goal: p99 (a)
#      at most 2x (b));
#  (d) the flood again against a hub with no budgets (-o budget.req_rate=0), as before;
#  (c) the broker's resident memory with the hub paused (SIGSTOP) while one device sends
#      payloads of ~1 MB at full speed (goal: under 64 MiB; the broker's limits are
#      bawaba-broker's configuration).
# Sizes: BW_BENCH_FLOOD_N (2000 requests from the measured device at 200/s),
# BW_BENCH_BIG (200 big payloads).
set -u
BW_TOP=${BW_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BW_BUILD=${BW_BUILD:-$BW_TOP/build/rel}
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

N=${BW_BENCH_FLOOD_N:-2000}
BIG=${BW_BENCH_BIG:-200}
dev() { id=$1; shift; "$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/$id.conf" -d "$BW_TMP/$id.db" "$@" 2>>"$BW_TMP/$id.log"; }
field() { sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$1" | tail -n 1; }
# the flooding loop and its mosquitto_pub: the loop is stopped first so it starts no new
# one, then its child is killed (killing the loop alone left the child publishing)
flood_stop() {
  kill -STOP "$FLOOD" 2>/dev/null; pkill -P "$FLOOD" 2>/dev/null
  kill "$FLOOD" 2>/dev/null; kill -CONT "$FLOOD" 2>/dev/null; wait "$FLOOD" 2>/dev/null
}
rss() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

bw_sync_setup k1:kiosk k2:kiosk
bw_hub_start
dev k2 -n 50 -w 30 > /dev/null || bw_fail "warm-up"

# (b) no flood
dev k2 -n "$N" -r 200 -w 120 > "$BW_TMP/calm.out" || bw_fail "calm run: $(cat "$BW_TMP/calm.out")"

# (a) k1 floods at full speed (QoS 1, as a device publishes) while k2 files the same way
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "{\"v\":1,\"type\":\"request\",\"n\":%d}\n", i }' > "$BW_TMP/flood"
( while :; do bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k1/up/req -l < "$BW_TMP/flood" || exit 0; done ) &
FLOOD=$!
sleep 1
dev k2 -n "$N" -r 200 -w 120 > "$BW_TMP/flood.out" || bw_fail "flood run: $(cat "$BW_TMP/flood.out")"
flood_stop
sleep 1.5
flooded=$(bw_hubsql "SELECT dropped FROM devices WHERE id='k1'")
throttled=$(bw_hubsql "SELECT throttled FROM devices WHERE id='k1'")
lines=$(grep -c "k1" "$BW_HUB_LOG")

# (d) the same flood against a hub without budgets (as before issue 11), for comparison
bw_hub_stop
bw_hub_start -o budget.req_rate=0
( while :; do bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k1/up/req -l < "$BW_TMP/flood" || exit 0; done ) &
FLOOD=$!
sleep 1
dev k2 -n "$N" -r 200 -w 120 > "$BW_TMP/nobudget.out" || bw_fail "no-budget run: $(cat "$BW_TMP/nobudget.out")"
flood_stop

# (c) the hub paused, k1 sends big payloads as fast as it can
rss0=$(rss "$BW_BROKER_PID")
kill -STOP "$BW_HUB_PID"
head -c 1000000 /dev/zero | tr '\0' 'a' > "$BW_TMP/big"
i=0; while [ $i -lt "$BIG" ]; do
  bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k1/up/req -f "$BW_TMP/big" > /dev/null 2>&1 || true
  i=$((i + 1))
done
sleep 0.5
rss1=$(rss "$BW_BROKER_PID")
kill -CONT "$BW_HUB_PID"
bw_hub_stop

c50=$(field "$BW_TMP/calm.out" p50_ms); c99=$(field "$BW_TMP/calm.out" p99_ms)
f50=$(field "$BW_TMP/flood.out" p50_ms); f99=$(field "$BW_TMP/flood.out" p99_ms)
echo "flood (issue 11): one device floods, another files $N requests at 200/s"
echo "  (a) with the flood:    median $f50 ms, p99 $f99 ms (flooder: $flooded dropped, $throttled of them unread; $lines log lines about it)"
echo "  (b) no flood:          median $c50 ms, p99 $c99 ms"
echo "  (d) flood, no budgets: median $(field "$BW_TMP/nobudget.out" p50_ms) ms, p99 $(field "$BW_TMP/nobudget.out" p99_ms) ms (the hub before issue 11's budgets)"
echo "  (c) broker RSS, hub paused, $BIG payloads of 1 MB from one device: $rss0 -> $rss1 MiB"
awk -v a="$f99" -v b="$c99" -v r="$rss1" 'BEGIN {
  printf "  goals: p99 ratio a/b %.1fx %s; broker RSS %s\n", a / (b > 0 ? b : 0.001),
    (a <= 2 * b) ? "met" : "NOT met", (r < 64) ? "met" : "NOT met (broker limits: bawaba-broker, issue 10)" }'
