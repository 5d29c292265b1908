#!/bin/sh
# agent.sh: issue 6's figures for the agent console (bawaba-agent), under Xvfb:
#  (a) the time from a request's submission at a device to its row in the console's
#      model, at a steady 100 requests/s through the real broker and hub (goal: p99 under
#      500 ms). The device's moment is the millisecond in the request's UUIDv7, taken
#      before the device's own commit, so this bounds the hub-commit-to-console time from
#      above; the reference in the same run is the device's submit-to-ack time (the hub's
#      commit and its acknowledgement), printed beside it;
#  (b) the frame time with 10,000 requests in the queue while it scrolls one row per
#      frame, at 1920x1080 and 1366x768, both languages (goal: under 16 ms);
#  (c) the console's resident memory: RSS and PSS (/proc/PID/smaps_rollup) with the
#      live queue of (a) and with the 10,000 rows of (b).
# Sizes: BW_BENCH_AGENT_N (2000 requests), BW_BENCH_AGENT_RATE (100/s), BW_BENCH_FRAMES (600).
set -u
BW_TOP=${BW_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$BW_TOP/tests/lib/sync.sh"   # and tests/lib/broker.sh, which sets BW_BUILD
. "$BW_TOP/tests/lib/xvfb.sh"
bw_need Xvfb

N=${BW_BENCH_AGENT_N:-2000}
RATE=${BW_BENCH_AGENT_RATE:-100}
FRAMES=${BW_BENCH_FRAMES:-600}
AGENT=$BW_BUILD/bin/bawaba-agent
[ -x "$AGENT" ] || bw_fail "$AGENT is not built"
XVFB_PID= AGENT_PID=
bw_on_exit() { [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null; [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null; bw_sync__exit; }

bw_tmpdir
start_xvfb "$BW_TMP/xvfb.log" || bw_fail "no display"

# (a) a site: broker, hub, one kiosk, one agent's console logging each row it gets
BW_SITE=RABAT-IMMAT
bw_sync_setup k1:kiosk
bw_agent_add agent-amina --site RABAT-IMMAT
bw_hub_start
bw_wait_file "$BW_HUB_LOG" "1 active agent" 5 || bw_fail "the hub did not load the agent"
"$AGENT" -c "$BW_BROKER_DIR/devices/agent-amina.conf" --locale-dir "$BW_BUILD/locale" --lang fr \
  --bench-log "$BW_TMP/rows.log" --dump-state "$BW_TMP/state" > "$BW_TMP/agent.log" 2>&1 &
AGENT_PID=$!
bw_wait_file "$BW_TMP/state" "^loaded 1" 10 || bw_fail "the console did not load: $(cat "$BW_TMP/agent.log")"
rm -f "$BW_TMP/state"   # the state dump costs a file per frame: not part of the figure
"$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/k1.conf" -d "$BW_TMP/k1.db" -n "$N" -r "$RATE" -p -a TRANSPORT -w 120 \
  > "$BW_TMP/k1.out" 2>>"$BW_TMP/k1.log" || bw_fail "devsim: $(tail -n 1 "$BW_TMP/k1.out")"
i=0; while [ "$(grep -c ' new ' "$BW_TMP/rows.log")" -lt "$N" ]; do
  i=$((i + 1)); [ $i -gt 200 ] && bw_fail "the console got $(grep -c ' new ' "$BW_TMP/rows.log") of $N rows"; sleep 0.05; done
pid_mem() { awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "RSS %d KiB, PSS %d KiB", r, p }' "/proc/$1/smaps_rollup"; }
live_mem=$(pid_mem "$AGENT_PID")
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null; AGENT_PID=
ack50=$(sed -n 's/.* p50_ms \([0-9.]*\).*/\1/p' "$BW_TMP/k1.out")
ack99=$(sed -n 's/.* p99_ms \([0-9.]*\).*/\1/p' "$BW_TMP/k1.out")
# ref -> submit ms (UUIDv7: the first 48 bits are Unix milliseconds); row -> console us
lat=$(awk '
  FNR == NR { if ($1 == "ref") { h = $3; gsub("-", "", h); ms[$2] = 0
      for (k = 1; k <= 12; k++) ms[$2] = ms[$2] * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1 }
    next }
  $1 == "row" && $4 == "new" && ($2 in ms) { d = $5 / 1000 - ms[$2]; print d }
' "$BW_TMP/k1.out" "$BW_TMP/rows.log" | sort -n | awk '{ v[NR] = $1 } END {
  if (NR == 0) { print "none"; exit }
  printf "%d %.1f %.1f %.1f", NR, v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR] }')
[ "$lat" != none ] || bw_fail "no matching rows between the device and the console"
set -- $lat
got=$1 p50=$2 p99=$3 max=$4
bw_hub_stop

# (b) frame time while scrolling 10,000 rows (no hub: the rows are made in the console)
scroll() { "$AGENT" --bench-scroll "$FRAMES" --size "$1" --lang "$2" --locale-dir "$BW_BUILD/locale" 2>/dev/null | tail -n 1; }
echo "agent console (issue 6)"
echo "  (a) device submit -> row in the console, $got requests at $RATE/s through broker and hub:"
echo "      median $p50 ms, p99 $p99 ms, max $max ms   (goal p99 < 500 ms)"
echo "      reference, same run: device submit -> hub's ack (after its commit): median $ack50 ms, p99 $ack99 ms"
worst=0
for s in 1920x1080:fr 1920x1080:ar 1366x768:fr 1366x768:ar; do
  out=$(scroll "${s%%:*}" "${s#*:}")
  f50=$(echo "$out" | sed -n 's/.* p50_us \([0-9]*\).*/\1/p')
  f99=$(echo "$out" | sed -n 's/.* p99_us \([0-9]*\).*/\1/p')
  rss=$(echo "$out" | sed -n 's/.* rss_kib \([0-9]*\).*/\1/p')
  pss=$(echo "$out" | sed -n 's/.* pss_kib \([0-9]*\).*/\1/p')
  [ -n "$f99" ] || bw_fail "bench-scroll $s: $out"
  [ "$f99" -gt "$worst" ] && worst=$f99
  awk -v s="$s" -v a="$f50" -v b="$f99" -v r="$rss" -v p="$pss" -v f="$FRAMES" 'BEGIN {
    printf "  (b) %-13s 10,000 rows, %d frames scrolled: median %.1f ms, p99 %.1f ms   (goal < 16 ms); RSS %d KiB, PSS %d KiB\n",
      s, f, a / 1000, b / 1000, r, p }'
done
echo "  (c) memory with the live queue of (a) ($got rows): $live_mem"
awk -v p="$p99" -v f="$worst" 'BEGIN {
  printf "  goals: latency p99 %s, frame p99 %s\n", (p < 500) ? "met" : "NOT met", (f < 16000) ? "met" : "NOT met" }'
