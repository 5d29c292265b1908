# tests/lib/sync.sh: shell helpers for the sync tests: a broker with enrolled devices, the
# hub daemon started and stopped (or killed) as a real process, devices simulated with
# bawaba-devsim, SQL on the databases. POSIX sh; source it after tests/lib/broker.sh (it
# sources that itself when it was not).
#
#   bw_sync_setup k1:kiosk g1:gateway   # broker up, devices registered + enrolled, hub db
#   bw_hub_start; bw_hub_stop; bw_hub_kill
#   bw_dev k1 -n 10 -p                  # bawaba-devsim as k1 with the local db $BW_TMP/k1.db
#   bw_hubsql "SELECT count(*) FROM requests"
#   bw_agent_add agent-amina --site RABAT-IMMAT   # an agent at the hub, credentials at the broker

command -v bw_broker_up >/dev/null 2>&1 || . "${BW_TOP:-$(pwd)}/tests/lib/broker.sh"

BW_HUB_BIN=$BW_BUILD/bin/bawaba-hub
BW_DEVSIM=$BW_BUILD/bin/bawaba-devsim
BW_HUB_PID=
BW_HUB_DB=
BW_HUB_LOG=
BW_SITE=RABAT   # the site bw_sync_setup registers its devices at

# bw_sync_setup ID:KIND...: starts the broker, registers (at $BW_SITE) and enrols each device, makes the
# hub database (with `bawaba init` when the CLI is built, else the hub does it at start).
bw_sync_setup() {
  bw_need sqlite3
  [ -x "$BW_HUB_BIN" ] && [ -x "$BW_DEVSIM" ] || bw_fail "bawaba-hub / bawaba-devsim are not built"
  bw_broker_up
  BW_HUB_DB=$BW_TMP/hub.db
  BW_HUB_LOG=$BW_TMP/hub.log
  : > "$BW_HUB_LOG"
  if [ -x "$BW_BUILD/bin/bawaba" ]; then
    "$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" init >/dev/null || bw_fail "bawaba init"
  fi
  for bw_d in "$@"; do
    bw_broker_register "${bw_d#*:}" "${bw_d%%:*}" --site "$BW_SITE"
    "$BW_HUB_BIN" -d "$BW_HUB_DB" enroll "$BW_BROKER_DIR/devices/${bw_d%%:*}.conf" >/dev/null ||
      bw_fail "enroll ${bw_d%%:*}"
  done
}

bw_sync__exit() {
  [ -n "$BW_HUB_PID" ] && kill -9 "$BW_HUB_PID" 2>/dev/null
  if [ "${bw_rc:-0}" -ne 0 ] && [ "${bw_rc:-0}" -ne 77 ] && [ -n "$BW_HUB_LOG" ] && [ -f "$BW_HUB_LOG" ]; then
    echo "---- last lines of the hub's log ----" >&2
    tail -n 40 "$BW_HUB_LOG" >&2
  fi
  return 0
}
bw_on_exit() { bw_sync__exit; }

# bw_hub_start [options]: starts bawaba-hub in the background; returns once it is connected.
bw_hub_start() {
  bw_n0=$(grep -c "connected to" "$BW_HUB_LOG")
  $BW_EMPTY_ENV ${BAWABA_NOW:+BAWABA_NOW=$BAWABA_NOW} "$BW_HUB_BIN" -b "$BW_BROKER_DIR" -d "$BW_HUB_DB" -o hub.events_ms=50 "$@" >>"$BW_HUB_LOG" 2>&1 &
  BW_HUB_PID=$!
  bw_i=0
  while [ "$(grep -c "connected to" "$BW_HUB_LOG")" -le "$bw_n0" ]; do
    kill -0 "$BW_HUB_PID" 2>/dev/null || bw_fail "bawaba-hub exited at start"
    bw_i=$((bw_i + 1)); [ $bw_i -gt 250 ] && bw_fail "bawaba-hub did not connect"
    sleep 0.02
  done
}

# bw_hub_stop: SIGTERM (commit, ack, exit) and wait; fails the test if the hub exits
# with an error or a sanitizer report is in its log.
bw_hub_stop() {
  [ -n "$BW_HUB_PID" ] || return 0
  kill "$BW_HUB_PID" 2>/dev/null; wait "$BW_HUB_PID"; bw_st=$?; BW_HUB_PID=
  [ $bw_st -eq 0 ] || bw_fail "bawaba-hub exited with status $bw_st"
  ! grep -q "Sanitizer\|runtime error" "$BW_HUB_LOG" || bw_fail "sanitizer report in the hub's log"
}

# bw_hub_kill: SIGKILL, no goodbye.
bw_hub_kill() {
  [ -n "$BW_HUB_PID" ] || return 0
  kill -9 "$BW_HUB_PID" 2>/dev/null; wait "$BW_HUB_PID" 2>/dev/null; BW_HUB_PID=
}

# bw_dev ID [devsim options]: runs bawaba-devsim as ID (fast timers for tests).
bw_dev() {
  bw_id=$1; shift
  "$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/$bw_id.conf" -d "$BW_TMP/$bw_id.db" \
    -o sync.heartbeat=1 -o sync.ack_timeout_ms=700 -o sync.retry_max_ms=3000 \
    -o sync.reconnect_max_ms=1000 "$@"
}

# bw_agent_add ID [bawaba agent add options]: adds the agent at the hub's database, its
# credentials in $BW_BROKER_DIR/devices/ID.conf.
bw_agent_add() {
  "$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" agent add "$@" --broker "$BW_BROKER_DIR" >/dev/null || bw_fail "agent add $1"
}

# bw_devsim ID [devsim options]: bawaba-devsim as ID with the shipped timings, the
# benchmarks' device (bw_dev is the tests' one, with fast retries); its log in $BW_TMP/ID.log.
bw_devsim() {
  bw_id=$1; shift
  "$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/$bw_id.conf" -d "$BW_TMP/$bw_id.db" "$@" 2>>"$BW_TMP/$bw_id.log"
}

# bw_field FILE NAME: the last number that follows " NAME " in FILE (a tool's summary line).
bw_field() { sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$1" | tail -n 1; }

bw_hubsql() { sqlite3 -cmd ".timeout 5000" "$BW_HUB_DB" "$1"; }
bw_devsql() { sqlite3 -cmd ".timeout 5000" "$BW_TMP/$1.db" "$2"; }

# bw_ref_make 11DIGITS: prints the 12-digit reference (Damm check digit appended).
bw_ref_make() {
  echo "$1" | awk '{
    split("0317598642 7092154863 4206871359 1750983426 6123045978 3674209581 5869720134 8945362017 9438617205 2581436790", rows, " ")
    i = 0
    for (k = 1; k <= length($1); k++) { d = substr($1, k, 1) + 0; i = substr(rows[i + 1], d + 1, 1) + 0 }
    print $1 i }'
}
