#!/bin/sh
# smsd_modem.sh: what an operator installing a modem uses, on Gammu's dummy phone:
# `bawaba-smsd --probe` (modem, SIM, network, signal; a missing modem says so and exits
# 1), and the SIM PIN read from a file only its owner may read (or a systemd credential)
# and entered with libGammu (the dummy driver logs the code it got); a PIN file others may
# read, a content that is not a PIN, or no pin_file for a SIM that asks, are refused with
# a message that never shows the file's content, and no PIN reaches the modem.
set -u
. "$BW_TOP/tests/lib/broker.sh"
bw_tmpdir
SMSD=$BW_BUILD/bin/bawaba-smsd
[ -x "$SMSD" ] || { echo "skipped: bawaba-smsd is not built"; exit 77; }
P=$BW_TMP/phone; mkdir -p "$P"
conf() { # PIN_FILE: a configuration with one dummy modem
  printf '[gateway]\ndatabase = %s/smsd.db\nlocaledir = %s/locale\n\n[modem sim1]\ndevice = %s\nconnection = none\nmodel = dummy\npin_file = %s\n' \
    "$BW_TMP" "$BW_BUILD" "$1" "$2" > "$BW_TMP/smsd.conf"
}
# the dummy phone rewrites its operations.log at each connection: after a refused run it
# must hold no code
none_entered() { ! grep -q 'Security code' "$P/operations.log" 2>/dev/null || bw_fail "$1: a PIN reached the modem"; }

# ---- probe ----
conf "$P" ""
env -i "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/probe" 2>&1 || bw_fail "probe failed: $(cat "$BW_TMP/probe")"
for want in "^modem: sim1 ($P)\$" '^manufacturer: Gammu$' '^model: Dummy$' '^imei: [0-9]' '^sim: ready$' \
    '^network: registered (home), operator ' '^signal: [0-9]*% (-\{0,1\}[0-9]* dBm)$'; do
  grep -q "$want" "$BW_TMP/probe" || bw_fail "probe lacks $want: $(cat "$BW_TMP/probe")"
done
[ ! -e "$BW_TMP/smsd.db" ] || bw_fail "probe made a database"
conf "$BW_TMP/no-such-phone" ""
if "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/probe2" 2>&1; then bw_fail "probe of a missing modem succeeded"; fi
grep -q '^error: sim1: connect: ' "$BW_TMP/probe2" || bw_fail "missing modem: $(cat "$BW_TMP/probe2")"
echo "ok: probe"

# ---- the SIM's PIN ----
printf '4711\n' > "$BW_TMP/pin"; chmod 600 "$BW_TMP/pin"
conf "$P" "$BW_TMP/pin"
BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/pin.out" 2>&1 || bw_fail "PIN: $(cat "$BW_TMP/pin.out")"
grep -q 'Security code [0-9]*: 4711' "$P/operations.log" || bw_fail "the PIN did not reach the modem"

# others may read it
chmod 644 "$BW_TMP/pin"
if BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/o" 2>&1; then bw_fail "a PIN file others may read was used"; fi
grep -q 'others may read it (mode 644); chmod 600' "$BW_TMP/o" || bw_fail "mode message: $(cat "$BW_TMP/o")"
none_entered "a PIN file others may read"
# not a PIN: refused, and the content is not shown
printf 'x9y8z7\n' > "$BW_TMP/pin"; chmod 600 "$BW_TMP/pin"
if BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/o" 2>&1; then bw_fail "a non-PIN was used"; fi
grep -q 'not a PIN' "$BW_TMP/o" || bw_fail "non-PIN message: $(cat "$BW_TMP/o")"
if grep -q 'x9y8z7' "$BW_TMP/o"; then bw_fail "the file's content was shown"; fi
none_entered "a non-PIN"
# a SIM that asks, no pin_file
conf "$P" ""
if BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/o" 2>&1; then bw_fail "a locked SIM without pin_file worked"; fi
grep -q 'asks for its PIN: set pin_file' "$BW_TMP/o" || bw_fail "no-pin message: $(cat "$BW_TMP/o")"
none_entered "no pin_file"

# a systemd credential (LoadCredential=sim-pin:/etc/bawaba/sim1.pin)
mkdir -p "$BW_TMP/creds"; printf '2468\n' > "$BW_TMP/creds/sim-pin"; chmod 400 "$BW_TMP/creds/sim-pin"
conf "$P" "credential:sim-pin"
CREDENTIALS_DIRECTORY=$BW_TMP/creds BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/o" 2>&1 ||
  bw_fail "credential: $(cat "$BW_TMP/o")"
grep -q 'Security code [0-9]*: 2468' "$P/operations.log" || bw_fail "the credential's PIN did not reach the modem"
if BAWABA_SMSD_FAULT=pin "$SMSD" -c "$BW_TMP/smsd.conf" --probe > "$BW_TMP/o" 2>&1; then bw_fail "credential without CREDENTIALS_DIRECTORY"; fi
grep -q 'no \$CREDENTIALS_DIRECTORY' "$BW_TMP/o" || bw_fail "credential message: $(cat "$BW_TMP/o")"
echo "smsd_modem: all checks passed"
