# tests/lib/broker.sh: shell helpers for tests that need a real bawaba broker: a temp
# directory, bawaba-broker init on a free port, start, wait until ready, stop, and the
# broker's log printed when the test fails. POSIX sh (dash); source it, don't run it.
#
#   . "$BW_TOP/tests/lib/broker.sh"
#   bw_broker_up                 # init + start; sets BW_BROKER_DIR, BW_BROKER_PORT, BW_BROKER_PID
#   bw_broker_register kiosk k1  # prints nothing; credentials in $BW_BROKER_DIR/devices/k1.conf
#   bw_mqtt_pub k1 -t bawaba/v1/dev/k1/up/evt -m hello   # mosquitto_pub -V mqttv5 as k1
#   bw_mqtt_sub hub -t 'bawaba/v1/dev/+/up/#' -C 1 -W 5  # mosquitto_sub -V mqttv5 as hub
#
# bw_broker_up installs an EXIT trap (also on INT/TERM) that stops the broker, prints the
# last lines of its log if the test is failing, and removes the temp directory (kept when
# BW_KEEP=1). A test with its own clean-up defines a function bw_on_exit; the trap calls
# it first. Needs mosquitto and mosquitto-clients; exits 77 (skip) when they are missing.

BW_TOP=${BW_TOP:-$(pwd)}
BW_BUILD=${BW_BUILD:-$BW_TOP/build/rel}
BW_BROKER_BIN=$BW_BUILD/bin/bawaba-broker
BW_BROKER_DIR=
BW_BROKER_PORT=
BW_BROKER_PID=
BW_TMP=
BW_SUB=
BW_SUBS=
# What a service manager gives a daemon: no LANG, LC_*, LANGUAGE, TZ, HOME, USER, PATH.
# Only the sanitizers' settings pass, so a report still fails the test. Daemons started
# by the tests run under it: `$BW_EMPTY_ENV "$BIN" ...` ($! is still the daemon's pid).
BW_EMPTY_ENV="env -i ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-} LSAN_OPTIONS=${LSAN_OPTIONS:-}"

# bw_need PROGRAM...: skip the test (exit 77) unless every program is installed.
bw_need() {
  for bw_p in "$@"; do
    command -v "$bw_p" >/dev/null 2>&1 || [ -x "/usr/sbin/$bw_p" ] || {
      echo "skipped: $bw_p is not installed (scripts/deps.sh check)"; exit 77; }
  done
}

# bw_fail MESSAGE: the test fails with this message.
bw_fail() { echo "FAIL: $*" >&2; exit 1; }

# bw_expect WHAT GOT WANT: fails unless GOT = WANT.
bw_expect() { [ "$2" = "$3" ] || bw_fail "$1: got '$2', want '$3'"; echo "ok: $1 ($2)"; }

bw_broker__exit() {
  bw_rc=$?
  trap - EXIT INT TERM HUP
  if command -v bw_on_exit >/dev/null 2>&1; then bw_on_exit || true; fi
  for bw_p in $BW_SUBS; do kill "$bw_p" 2>/dev/null || true; done
  bw_broker_down
  if [ "$bw_rc" -ne 0 ] && [ "$bw_rc" -ne 77 ] && [ -n "$BW_BROKER_DIR" ] && [ -f "$BW_BROKER_DIR/mosquitto.log" ]; then
    echo "---- last lines of $BW_BROKER_DIR/mosquitto.log ----" >&2
    tail -n 40 "$BW_BROKER_DIR/mosquitto.log" >&2
  fi
  if [ -n "$BW_TMP" ] && [ "${BW_KEEP:-0}" != 1 ]; then rm -rf "$BW_TMP"; fi
  exit "$bw_rc"
}

# bw_tmpdir: makes (once) the test's temp directory $BW_TMP and installs the EXIT trap.
bw_tmpdir() {
  [ -n "$BW_TMP" ] && return 0
  BW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bawaba-test.XXXXXX") || bw_fail "mktemp"
  trap bw_broker__exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# bw_broker_init [init options...]: bawaba-broker init in $BW_TMP/broker on a free port.
bw_broker_init() {
  bw_need mosquitto mosquitto_passwd mosquitto_pub mosquitto_sub
  [ -x "$BW_BROKER_BIN" ] || bw_fail "$BW_BROKER_BIN is not built (make all)"
  bw_tmpdir
  BW_BROKER_DIR=$BW_TMP/broker
  "$BW_BROKER_BIN" init "$BW_BROKER_DIR" "$@" >/dev/null || bw_fail "bawaba-broker init failed"
  BW_BROKER_PORT=$("$BW_BROKER_BIN" port "$BW_BROKER_DIR") || bw_fail "bawaba-broker port failed"
}

# bw_broker_start: starts the broker (daemon mode: returns once it accepts connections).
bw_broker_start() {
  bw_out=$("$BW_BROKER_BIN" start "$BW_BROKER_DIR" --daemon) || bw_fail "bawaba-broker start failed"
  BW_BROKER_PID=${bw_out% *}
  BW_BROKER_PORT=${bw_out#* }
}

# bw_broker_up [init options...]: init + start.
bw_broker_up() { bw_broker_init "$@"; bw_broker_start; }

# bw_broker_down: stops the broker if it runs (safe to call twice).
bw_broker_down() {
  [ -n "$BW_BROKER_DIR" ] || return 0
  "$BW_BROKER_BIN" stop "$BW_BROKER_DIR" 2>/dev/null || true
  BW_BROKER_PID=
}

# bw_broker_register KIND ID [options]: registers ID (the running broker picks it up).
bw_broker_register() {
  "$BW_BROKER_BIN" register "$BW_BROKER_DIR" "$@" >/dev/null || bw_fail "register $* failed"
}

# bw_broker_password ID: prints ID's password from its device config.
bw_broker_password() {
  sed -n 's/^password=//p' "$BW_BROKER_DIR/devices/$1.conf"
}

# bw_mqtt_pub ID [mosquitto_pub options]: publishes as ID with MQTT v5.
bw_mqtt_pub() {
  bw_id=$1; shift
  mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u "$bw_id" -P "$(bw_broker_password "$bw_id")" "$@"
}

# bw_mqtt_sub ID [mosquitto_sub options]: subscribes as ID with MQTT v5; output is
# line-buffered (stdbuf) so a test can watch a file it writes to.
bw_mqtt_sub() {
  bw_id=$1; shift
  bw_stdbuf=; command -v stdbuf >/dev/null 2>&1 && bw_stdbuf="stdbuf -oL"
  $bw_stdbuf mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u "$bw_id" -P "$(bw_broker_password "$bw_id")" "$@"
}

# bw_mqtt_sub_bg NAME ID [mosquitto_sub options]: a live subscriber as ID in the
# background, its output (with -d debug lines) in $BW_TMP/NAME.out; returns once the
# broker has acknowledged the subscription. Sets BW_SUB to its pid; the exit trap stops it.
bw_mqtt_sub_bg() {
  bw_sn=$1; bw_id=$2; shift 2
  bw_pw=$(bw_broker_password "$bw_id")
  # line-buffered, or the SUBACK line waits in a stdio buffer; a simple command, so $!
  # is mosquitto_sub itself (stdbuf execs it) and the clean-up can kill it
  stdbuf -oL mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u "$bw_id" -P "$bw_pw" \
    "$@" -d -v > "$BW_TMP/$bw_sn.out" 2>&1 &
  BW_SUB=$!; BW_SUBS="$BW_SUBS $BW_SUB"
  bw_wait_file "$BW_TMP/$bw_sn.out" 'received SUBACK' || bw_fail "$bw_sn: no SUBACK: $(cat "$BW_TMP/$bw_sn.out")"
}

# bw_mqtt_pub_rc ID [mosquitto_pub options]: publishes as ID at QoS 1 and prints the
# PUBACK reason code (0 = delivered and 16 = no matching subscribers are success; 135 =
# not authorised); prints nothing when no PUBACK came.
bw_mqtt_pub_rc() {
  bw_mqtt_pub "$@" -q 1 -d 2>&1 | sed -n 's/.*received PUBACK (Mid: [0-9]*, RC:\([0-9]*\)).*/\1/p'
}

# bw_wait_file FILE PATTERN [SECONDS]: waits until FILE has a line matching PATTERN
# (grep -E); returns 1 after SECONDS (default 5).
bw_wait_file() {
  bw_n=$(( ${3:-5} * 50 ))
  while [ "$bw_n" -gt 0 ]; do
    grep -Eq -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.02
    bw_n=$((bw_n - 1))
  done
  return 1
}
