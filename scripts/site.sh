#!/bin/sh
# site.sh: control of the site `make run` starts in ./run/ (BAWABA_RUN=DIR elsewhere):
# status, stop and reset. It reads what scripts/run-site.sh records: run/site.pid (the
# running run-site.sh), run/pids/NAME (the pid of each part) and run/broker (the broker
# directory, whose own pid file bawaba-broker reads).
# A pid counts only while it is still the program that was started (its /proc/PID/exe
# is in BUILD_DIR/bin, or is mosquitto for the broker): a stale file after a crash or a
# reboot never makes this script signal someone else's process.
# Usage: scripts/site.sh BUILD_DIR status|stop|reset [--yes]|running-parts
set -eu
BUILD=$(cd "${1:?usage: scripts/site.sh BUILD_DIR status|stop|reset|running-parts}" && pwd)
cmd=${2:-status}
top=$(cd "$(dirname "$0")/.." && pwd)
RUN=${BAWABA_RUN:-$top/run}
bin=$BUILD/bin

# ours PID NAME: true if PID runs and is the part NAME this site started
ours() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  case "$exe" in
    "$bin"/*) return 0 ;;
    */mosquitto) [ "$2" = broker ] ;;
    */sh|*/dash|*/bash) [ "$2" = site ] && grep -q run-site "/proc/$1/cmdline" 2>/dev/null ;;
    *) return 1 ;;
  esac
}

# parts: "NAME PID" for every part with a pid file (the broker's from its directory)
parts() {
  for f in "$RUN"/pids/*; do
    [ -f "$f" ] || continue
    n=${f##*/}
    [ "$n" = broker ] && continue
    echo "$n $(cat "$f" 2>/dev/null)"
  done
  [ -f "$RUN/broker/mosquitto.pid" ] && echo "broker $(cat "$RUN/broker/mosquitto.pid" 2>/dev/null)"
  return 0
}

site_pid() { p=$(cat "$RUN/site.pid" 2>/dev/null || true); ours "$p" site && echo "$p"; return 0; }

running_parts() {
  parts | while read -r n p; do ours "$p" "$n" && printf ' %s' "$n"; done
  return 0
}

status() {
  sp=$(site_pid)
  if [ -n "$sp" ]; then echo "site $RUN: running (make run, pid $sp)"
  else echo "site $RUN: not running"; fi
  any=""
  while read -r n p; do
    if ours "$p" "$n"; then
      extra=""
      [ "$n" = broker ] && extra=", port $("$bin/bawaba-broker" port "$RUN/broker" 2>/dev/null || echo '?')"
      echo "  $n: running (pid $p$extra), log: $RUN/logs/$n.log"
      any=yes
    else
      echo "  $n: stopped"
    fi
  done <<EOF
$(parts)
EOF
  [ -n "$sp$any" ]
}

stop() {
  sp=$(site_pid)
  if [ -n "$sp" ]; then
    kill -TERM "$sp"   # its trap stops the parts it started, the broker last
    i=0
    while kill -0 "$sp" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  # what a killed run-site.sh left behind
  parts | while read -r n p; do
    [ "$n" = broker ] && continue
    ours "$p" "$n" && kill -TERM "$p" 2>/dev/null && echo "stopped $n (pid $p)"
    rm -f "$RUN/pids/$n"
  done
  if [ -f "$RUN/broker/mosquitto.pid" ] && "$bin/bawaba-broker" stop "$RUN/broker" 2>/dev/null; then
    echo "stopped the broker"
  fi
  rm -f "$RUN/pids/broker" "$RUN/site.pid"
  [ -n "$sp" ] && echo "stopped the site (pid $sp)"
  left=$(running_parts)
  [ -z "$left" ] || { echo "site.sh: still running:$left" >&2; return 1; }
  return 0
}

reset() {
  if [ -n "$(site_pid)$(running_parts)" ]; then
    echo "site.sh: the site in $RUN runs; make stop first (nothing was removed)" >&2
    return 1
  fi
  [ -d "$RUN" ] || { echo "nothing to reset: $RUN does not exist"; return 0; }
  if [ "${1:-}" != --yes ]; then
    if [ -t 0 ]; then
      printf 'Remove %s (the hub database, every request, credentials, logs)? Type yes: ' "$RUN"
      read -r answer
      [ "$answer" = yes ] || { echo "nothing was removed"; return 1; }
    else
      echo "site.sh: reset removes $RUN with all its data; add --yes (make reset YES=1)" >&2
      return 1
    fi
  fi
  rm -rf "$RUN"
  echo "removed $RUN; the next make run starts a new site"
}

case "$cmd" in
  status) status ;;
  stop) stop ;;
  reset) reset "${3:-}" ;;
  running-parts) running_parts ;;
  *) echo "usage: scripts/site.sh BUILD_DIR status|stop|reset [--yes]" >&2; exit 2 ;;
esac
