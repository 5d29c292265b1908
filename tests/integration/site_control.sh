#!/bin/sh
# site_control.sh: make run's site under control (scripts/run-site.sh, scripts/site.sh):
# a second run while a site runs is refused and leaves the running site alone (its
# broker, hub and gateway keep their pids and the broker keeps serving); status says
# what runs; stop stops every part, also those a killed run-site.sh left behind; reset
# refuses while the site runs and without --yes, then removes the site's data.
set -eu
. "$BW_TOP/tests/lib/broker.sh"
bw_need mosquitto mosquitto_pub flock
bw_tmpdir
RUN=$BW_TMP/run
export BAWABA_RUN=$RUN
unset DISPLAY WAYLAND_DISPLAY
S="$BW_TOP/scripts/site.sh $BW_BUILD"
bw_on_exit() { $S stop >/dev/null 2>&1 || true; }

alive() { kill -0 "$1" 2>/dev/null; }
start_site() { # runs make run's script in the background until it says the site runs
  sh "$BW_TOP/scripts/run-site.sh" "$BW_BUILD" > "$BW_TMP/run$1.out" 2>&1 &
  site=$!
  bw_wait_file "$BW_TMP/run$1.out" 'the site is running' 60 || bw_fail "site $1 did not start: $(cat "$BW_TMP/run$1.out")"
}
pub_as() { # ID: publishes as that device of the running site, succeeds if accepted
  c=$RUN/broker/devices/$1.conf
  mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$(sed -n 's/^port=//p' "$c")" -u "$1" \
    -P "$(sed -n 's/^password=//p' "$c")" -q 1 -t "bawaba/v1/dev/$1/up/presence" \
    -m '{"v":1,"type":"presence","online":true}'
}

# ---- nothing runs yet ----
if $S status > "$BW_TMP/st0"; then bw_fail "status says running before any run"; fi
grep -q 'not running' "$BW_TMP/st0" || bw_fail "status: $(cat "$BW_TMP/st0")"

# ---- a site runs ----
start_site 1
broker=$(cat "$RUN/broker/mosquitto.pid")
hub=$(cat "$RUN/pids/hub")
alive "$broker" && alive "$hub" || bw_fail "broker or hub not running"
$S status > "$BW_TMP/st1" || bw_fail "status says not running: $(cat "$BW_TMP/st1")"
grep -q "running (make run, pid $site)" "$BW_TMP/st1" || bw_fail "status: $(cat "$BW_TMP/st1")"
grep -q "broker: running (pid $broker, port [0-9]" "$BW_TMP/st1" || bw_fail "status broker: $(cat "$BW_TMP/st1")"
grep -q "hub: running (pid $hub)" "$BW_TMP/st1" || bw_fail "status hub: $(cat "$BW_TMP/st1")"

# ---- a second make run is refused and changes nothing ----
if sh "$BW_TOP/scripts/run-site.sh" "$BW_BUILD" > "$BW_TMP/run2.out" 2>&1; then
  bw_fail "a second run succeeded: $(cat "$BW_TMP/run2.out")"
fi
grep -q "a site already runs in $RUN (pid $site)" "$BW_TMP/run2.out" || bw_fail "second run said: $(cat "$BW_TMP/run2.out")"
alive "$broker" || bw_fail "the second run stopped the running site's broker"
alive "$hub" && alive "$site" || bw_fail "the second run stopped a part of the running site"
[ "$(cat "$RUN/broker/mosquitto.pid")" = "$broker" ] || bw_fail "broker pid changed"
[ "$(cat "$RUN/site.pid")" = "$site" ] || bw_fail "site pid file changed"
pub_as kiosk-01 || bw_fail "the running broker no longer serves kiosk-01"

# ---- reset refuses while it runs ----
if $S reset --yes 2>"$BW_TMP/err"; then bw_fail "reset of a running site succeeded"; fi
[ -s "$RUN/hub.db" ] || bw_fail "reset removed data of a running site"

# ---- stop: every part goes ----
$S stop > "$BW_TMP/stop1" || bw_fail "stop failed: $(cat "$BW_TMP/stop1")"
for p in "$site" "$broker" "$hub"; do
  i=0; while alive "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  alive "$p" && bw_fail "pid $p still runs after stop"
done
if $S status > "$BW_TMP/st2"; then bw_fail "status says running after stop: $(cat "$BW_TMP/st2")"; fi

# ---- a run-site.sh killed -9 leaves its parts: a new run is refused, stop cleans up ----
start_site 3
broker=$(cat "$RUN/broker/mosquitto.pid"); hub=$(cat "$RUN/pids/hub")
kill -9 "$site"; wait "$site" 2>/dev/null || true
alive "$broker" && alive "$hub" || bw_fail "parts died with their script"
if sh "$BW_TOP/scripts/run-site.sh" "$BW_BUILD" > "$BW_TMP/run4.out" 2>&1; then
  bw_fail "a run over orphaned parts succeeded"
fi
grep -q 'parts of an earlier site still run' "$BW_TMP/run4.out" || bw_fail "run over orphans said: $(cat "$BW_TMP/run4.out")"
alive "$broker" || bw_fail "the refused run stopped the orphaned broker"
$S stop > "$BW_TMP/stop2" || bw_fail "stop of orphans failed: $(cat "$BW_TMP/stop2")"
for p in "$broker" "$hub"; do
  i=0; while alive "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  alive "$p" && bw_fail "orphan $p still runs after stop"
done

# ---- a stale pid file naming another process is never signalled ----
sleep 30 & other=$!
echo "$other" > "$RUN/pids/hub"
$S stop >/dev/null || bw_fail "stop with a stale pid file failed"
alive "$other" || bw_fail "stop killed a process that is not the site's"
kill "$other"

# ---- reset: refused without --yes (no terminal), then removes the data ----
if $S reset < /dev/null 2>"$BW_TMP/err"; then bw_fail "reset without --yes succeeded"; fi
[ -s "$RUN/hub.db" ] || bw_fail "reset without --yes removed data"
$S reset --yes >/dev/null || bw_fail "reset --yes failed"
[ ! -e "$RUN" ] || bw_fail "reset left $RUN"
echo "site_control: all checks passed"
