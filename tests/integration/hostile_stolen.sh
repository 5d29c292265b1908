#!/bin/sh
# hostile_stolen.sh: a kiosk carried out of a reception hall carries no one's requests
# (issue 11). A kiosk and a gateway file information requests with a citizen's identity
# (name, ID number, address, contact, phone); once the hub has acknowledged them, each
# device's database files are read byte by byte: no name, ID number, address, contact or
# text, and on the kiosk no phone number and no receipt code in clear (a salted hash
# instead); the gateway keeps the phone, since its SMS notifications go to it. The hub
# holds everything. Offline, the kiosk still opens the answer with the right code (from
# the hash) and not with a wrong one.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

bw_sync_setup k1:kiosk g1:gateway
bw_hub_start
bw_dev k1 -n 3 -I -p -w 20 > "$BW_TMP/k1.out" || bw_fail "k1: $(cat "$BW_TMP/k1.out")"
bw_dev g1 -n 2 -I -w 20 > "$BW_TMP/g1.out" || bw_fail "g1: $(cat "$BW_TMP/g1.out")"
bw_expect "the hub holds them, identity included" \
  "$(bw_hubsql "SELECT count(*) FROM requests WHERE id_number = 'AB123456' AND name <> '' AND phone <> ''")" 5
ref=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1.out")
code=$(bw_hubsql "SELECT code FROM requests WHERE ref='$ref'")
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$ref" "Votre attestation est prete au guichet 3" > /dev/null || bw_fail "answer"
bw_dev k1 -N 1 -w 15 > /dev/null || bw_fail "notification"
bw_hub_stop
sleep 0.2

# every byte of every file of each device's database (main file, and -wal/-shm if any)
has() { # DEVICE BYTES...: 0 if one of the strings is found
  d=$1; shift
  for s in "$@"; do
    for f in "$BW_TMP/$d.db" "$BW_TMP/$d.db-wal" "$BW_TMP/$d.db-shm"; do
      [ -f "$f" ] && LC_ALL=C grep -a -q -F -- "$s" "$f" && { echo "$s in $f"; return 0; }
    done
  done
  return 1
}
text=$(printf 'طلب تجريبي')
for d in k1 g1; do
  has $d "Fatima" "Alaoui" "AB123456" "Oued Sebou" "fatima.alaoui" "$text" && bw_fail "$d keeps personal data"
  echo "ok: $d's database holds no name, ID number, address, contact or text"
done
has k1 "612345678" && bw_fail "the kiosk keeps the phone number"
echo "ok: the kiosk keeps no phone number"
has g1 "612345678" > /dev/null || bw_fail "the gateway lost the number its notifications go to"
bw_expect "no receipt code in clear on the kiosk" "$(bw_devsql k1 "SELECT count(*) FROM requests WHERE code <> ''")" 0
bw_expect "a hash of it" "$(bw_devsql k1 "SELECT count(*) FROM requests WHERE code_hash LIKE '\$5\$%'")" 3
bw_expect "outbox payloads emptied" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE payload <> ''")" 0
bw_expect "what offline status needs is kept" \
  "$(bw_devsql k1 "SELECT count(*) FROM requests WHERE ref <> '' AND kind = 3 AND received_on <> '' AND deadline <> ''")" 3

# offline: the right code opens the answer from the hash, a wrong one does not
bw_dev k1 -q "$ref" -Q "$code" -o sync.query_timeout_ms=300 -w 10 > "$BW_TMP/q1" || bw_fail "query"
grep -q "^step answered .*Votre attestation" "$BW_TMP/q1" || bw_fail "right code offline: $(cat "$BW_TMP/q1")"
wrong=$(awk -v c="$code" 'BEGIN { printf "%04d", (c + 1) % 10000 }')
bw_dev k1 -q "$ref" -Q "$wrong" -o sync.query_timeout_ms=300 -w 10 > "$BW_TMP/q2" || bw_fail "query 2"
grep -q "Votre attestation" "$BW_TMP/q2" && bw_fail "a wrong code opened the answer offline"
echo "PASS"
