#!/bin/sh
# units.sh: the systemd units of dist/systemd (broker, hub, SMS gateway, kiosk) pass
# `systemd-analyze verify` with their programs at this build's paths, each carries what
# issue 10 asks of a service (readiness and watchdog, restart on failure, a dedicated
# user, private state and logs directories, umask 0077, hardening), and the sysusers.d
# file makes its users in an empty root. (READY=1 and WATCHDOG=1 themselves: sd_notify.sh.)
set -u
. "$BW_TOP/tests/lib/broker.sh"
bw_need systemd-analyze
bw_tmpdir
U=$BW_TMP/units; mkdir -p "$U"
for f in "$BW_TOP"/dist/systemd/*.service.in; do
  n=$(basename "$f" .in)
  sed "s|@BINDIR@|$BW_BUILD/bin|g" "$f" > "$U/$n"
done
[ "$(ls "$U" | wc -l)" = 4 ] || bw_fail "want 4 units, got: $(ls "$U")"
systemd-analyze verify --man=no "$U"/*.service > "$BW_TMP/verify" 2>&1 || bw_fail "verify: $(cat "$BW_TMP/verify")"
[ ! -s "$BW_TMP/verify" ] || bw_fail "verify warns: $(cat "$BW_TMP/verify")"
for u in "$U"/*.service; do
  n=$(basename "$u")
  for want in '^Type=notify$' '^NotifyAccess=main$' '^WatchdogSec=[0-9]' '^Restart=on-failure$' \
      '^User=bawaba' '^StateDirectory=bawaba' '^UMask=0077$' '^NoNewPrivileges=yes$' \
      '^ProtectSystem=strict$' '^ProtectHome=yes$' '^PrivateTmp=yes$' "^ExecStart=$BW_BUILD/bin/bawaba-"; do
    grep -q "$want" "$u" || bw_fail "$n lacks $want"
  done
  if grep -q '^User=root' "$u"; then bw_fail "$n runs as root"; fi
done
grep -q '^LogsDirectory=bawaba' "$U/bawaba-hub.service" || bw_fail "hub has no LogsDirectory"
grep -q '^SupplementaryGroups=dialout' "$U/bawaba-smsd.service" || bw_fail "smsd cannot open the modem"
grep -q '^AssertPathExists=/var/lib/bawaba/broker/mosquitto.conf' "$U/bawaba-broker.service" || bw_fail "broker unit starts an uninitialised directory"
# a broken unit is caught (the check can fail)
sed 's/^Type=notify$/Type=notifyy/' "$U/bawaba-hub.service" > "$BW_TMP/bad.service"
if systemd-analyze verify --man=no "$BW_TMP/bad.service" >/dev/null 2>&1 && ! systemd-analyze verify --man=no "$BW_TMP/bad.service" 2>&1 | grep -q .; then
  bw_fail "verify accepted Type=notifyy"
fi

# the users, made by systemd-sysusers in an empty root
if command -v systemd-sysusers >/dev/null 2>&1; then
  mkdir -p "$BW_TMP/root/etc"
  systemd-sysusers --root="$BW_TMP/root" "$BW_TOP/dist/sysusers.d/bawaba.conf" >/dev/null 2>&1 || bw_fail "sysusers"
  grep -q '^bawaba:x:[0-9]*:[0-9]*:.*:/var/lib/bawaba:/usr/sbin/nologin$' "$BW_TMP/root/etc/passwd" || bw_fail "no bawaba user"
  grep -q '^dialout:x:[0-9]*:bawaba$' "$BW_TMP/root/etc/group" || bw_fail "bawaba not in dialout"
fi
echo "units: all checks passed"
