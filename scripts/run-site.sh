#!/bin/sh
# run-site.sh: `make run`: a whole Idarati reception site on this one machine, in ./run/:
# the hub database, the site's mosquitto broker with per-device credentials, the hub
# daemon, the SMS gateway on a dummy modem, the kiosk and the agent console windows
# (each part that is built). State persists in ./run between runs; Ctrl-C stops all.
# One site per directory: a second run while one runs changes nothing and says so
# (run/site.lock, held while this script runs; run/pids/NAME, one file per part, read
# by scripts/site.sh for make status and make stop).
# Usage: scripts/run-site.sh BUILD_DIR        (BAWABA_RUN=DIR to run elsewhere)
set -eu
BUILD=$(cd "${1:?usage: scripts/run-site.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
RUN=${BAWABA_RUN:-$top/run}
bin=$BUILD/bin
SITE=RABAT-IMMAT
# the site's databases and logs hold citizens' phones, names and ID numbers: private
# files (0600) in private directories (0700), whatever umask the shell had
umask 077
mkdir -p "$RUN/logs" "$RUN/pids"
chmod 700 "$RUN" "$RUN/logs"
for f in "$RUN"/logs/*.log "$RUN"/*.db "$RUN"/*.db-wal "$RUN"/*.db-shm; do if [ -e "$f" ]; then chmod 600 "$f"; fi; done
db=$RUN/hub.db
broker=$RUN/broker
pids=""
started_broker=""

# Refuse before touching anything (the trap below would stop what runs): the lock is
# held by a running run-site.sh; a part left running by a killed one is found by its
# pid file (scripts/site.sh checks that the pid is still that program).
exec 9>"$RUN/site.lock"
if ! flock -n 9; then
  echo "make run: a site already runs in $RUN (pid $(cat "$RUN/site.pid" 2>/dev/null || echo '?')); it was left alone." >&2
  echo "          make status shows it, make stop stops it." >&2
  exit 1
fi
if left=$("$top/scripts/site.sh" "$BUILD" running-parts) && [ -n "$left" ]; then
  echo "make run: parts of an earlier site still run in $RUN:$left; they were left alone." >&2
  echo "          make stop stops them." >&2
  exit 1
fi
echo $$ > "$RUN/site.pid"

say() { printf '\n== %s\n' "$*"; }
have() { [ -x "$bin/$1" ]; }
stop_all() {
  trap - INT TERM EXIT
  say "stopping the site"
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  # only the broker this run started: a refused second run never gets here
  [ -n "$started_broker" ] && "$bin/bawaba-broker" stop "$broker" >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -f "$RUN"/pids/* "$RUN/site.pid"
}
trap stop_all INT TERM EXIT
# start NAME COMMAND...: runs a part in the background, its log in run/logs/NAME.log
start() {
  name=$1; shift
  "$@" >>"$RUN/logs/$name.log" 2>&1 9>&- &
  pids="$pids $!"
  echo $! > "$RUN/pids/$name"
  echo "   $name (pid $!), log: run/logs/$name.log"
}

say "hub database: $db"
"$bin/bawaba" -d "$db" init

say "broker"
if [ ! -f "$broker/mosquitto.conf" ]; then
  "$bin/bawaba-broker" init "$broker" >/dev/null
fi
# one kiosk, one SMS gateway, one agent for the site; enrolled once, kept across runs
for dev in kiosk:kiosk-01 gateway:gw-01; do
  kind=${dev%%:*}; id=${dev#*:}
  if [ ! -f "$broker/devices/$id.conf" ]; then
    "$bin/bawaba" -d "$db" device add "$id" --kind "$kind" --site "$SITE" --broker "$broker" >/dev/null
  fi
done
"$bin/bawaba-hub" -b "$broker" -d "$db" enroll "$broker/devices/kiosk-01.conf" "$broker/devices/gw-01.conf" >/dev/null
if [ ! -f "$broker/devices/agent-amina.conf" ]; then
  "$bin/bawaba" -d "$db" agent add agent-amina --site "$SITE" --name Amina --broker "$broker" >/dev/null
fi
bout=$("$bin/bawaba-broker" start "$broker" --daemon 9>&-)
started_broker=yes
echo "${bout% *}" > "$RUN/pids/broker"
port=$("$bin/bawaba-broker" port "$broker")

say "hub"
start hub "$bin/bawaba-hub" -b "$broker" -d "$db"

if have bawaba-smsd; then
  say "SMS gateway on a dummy modem ($RUN/phone)"
  mkdir -p "$RUN/phone"
  cat > "$RUN/smsd.conf" <<EOC
# written by make run: the site's SMS gateway gw-01 on Gammu's dummy phone
[gateway]
database = $RUN/smsd.db
sync = $broker/devices/gw-01.conf
localedir = $BUILD/locale
poll_ms = 1000

[modem dummy1]
device = $RUN/phone
connection = none
model = dummy
rate_per_minute = 6
EOC
  start smsd "$bin/bawaba-smsd" -c "$RUN/smsd.conf"
fi

gui=""
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  gui=yes
else
  echo
  echo "   No display: the kiosk and the agent console need one. To see them here, run"
  echo "   under Xvfb:  Xvfb :7 -screen 0 1920x1080x24 & DISPLAY=:7 make run"
  echo "   and take a screenshot with:  import -display :7 -window root site.png"
  echo "   (without a window manager both windows open at the same place: raise one with"
  echo "   DISPLAY=:7 xdotool search --name 'bawaba — agent' windowraise)"
fi
if [ -n "$gui" ] && have bawaba-kiosk; then
  say "kiosk"
  cat > "$RUN/kiosk.conf" <<EOC
# written by make run: the site's kiosk kiosk-01, in a window (fullscreen = yes on site)
[display]
width = 1920
height = 1080
fullscreen = no
[kiosk]
locale_dir = $BUILD/locale
database = $RUN/kiosk.db
device = kiosk-01
site = $SITE
pin = 1234
[printer]
device = $RUN/receipts.escpos
[sync]
config = $broker/devices/kiosk-01.conf
EOC
  start kiosk "$bin/bawaba-kiosk" -c "$RUN/kiosk.conf"
fi
if [ -n "$gui" ] && have bawaba-agent; then
  say "agent console"
  start agent "$bin/bawaba-agent" -c "$broker/devices/agent-amina.conf" --locale-dir "$BUILD/locale"
fi

cat <<EOT

== the site is running (broker on 127.0.0.1:$port). Try:

  export BAWABA_DB=$db
  $bin/bawaba file --kind complaint --admin TRANSPORT --site $SITE --lang fr "On m'a demandé une pièce qui n'est pas sur la liste publiée"
  $bin/bawaba list
  $bin/bawaba --as agent:amina answer REF "Votre dossier est prêt."
  $bin/bawaba devices
  $bin/bawaba report
EOT
if have bawaba-phone; then
cat <<EOT

  Play a citizen with a basic phone (the gateway reads the dummy modem every second):
  $bin/bawaba-phone $RUN/phone send +212612345678 "chikaya TRANSPORT talbo mni wra9a machi f la liste"
  $bin/bawaba-phone $RUN/phone sent
EOT
fi
cat <<EOT

Logs are in $RUN/logs. Ctrl-C (or make stop) stops the site; its data stays in $RUN
(make status says what runs, make reset removes the data of a stopped site).
EOT
wait
