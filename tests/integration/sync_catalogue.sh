#!/bin/sh
# sync_catalogue.sh: the hub's retained catalogue and holiday table reach a device's own
# store: a holiday added at the hub with `bawaba holiday add` (the hub notices the table
# changed) lands on the device; a moved holiday moves there too (the set is replaced, so a
# day the hub dropped goes); a name cut inside a character by the store does not lose its
# day; a renamed site follows, keeping the device's local columns.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

days() { echo "SELECT group_concat(day || ':' || islamic || ':' || name_fr, ',') FROM (SELECT * FROM holidays ORDER BY day)"; }
# same_days: the device's holiday table is the hub's, day by day
same_days() {
  [ "$(bw_devsql k1 "$(days)")" = "$(bw_hubsql "$(days)")" ] || bw_fail "holidays differ"
  echo "ok: device holidays = hub holidays ($(bw_devsql k1 "SELECT count(*) FROM holidays") days)"
}
npub() { grep -c "published bawaba/v1/pub/$1" "$BW_HUB_LOG"; }
# wait_pub WHAT N: until the hub published WHAT more than N times (5 s)
wait_pub() {
  i=0; while [ "$(npub "$1")" -le "$2" ]; do
    i=$((i + 1)); [ $i -gt 250 ] && bw_fail "the hub did not publish $1 again"; sleep 0.02; done
}

bw_sync_setup k1:kiosk
bw_hub_start

# 1. at its first connection the device takes the hub's tables
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p0" || bw_fail "no public messages: $(cat "$BW_TMP/p0")"
same_days

# 2. the moon is sighted: a holiday is added at the hub; the device gets it, and loses a
# day the hub does not have
bw_devsql k1 "INSERT INTO holidays (day, name_ar, name_fr) VALUES ('2031-01-02', 'x', 'local only')"
n=$(npub holidays)
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" holiday add 2026-12-24 "Jour de test" "يوم تجريبي" --islamic >/dev/null ||
  bw_fail "holiday add"
wait_pub holidays "$n"
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p1" || bw_fail "second run: $(cat "$BW_TMP/p1")"
bw_expect "new holiday on the device" "$(bw_devsql k1 "SELECT islamic || ' ' || name_fr || ' ' || name_ar FROM holidays WHERE day='2026-12-24'")" \
  "1 Jour de test يوم تجريبي"
bw_expect "local-only day gone" "$(bw_devsql k1 "SELECT count(*) FROM holidays WHERE day='2031-01-02'")" 0
same_days

# 3. the sighting moves it a day: it moves on the device too
n=$(npub holidays)
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" holiday remove 2026-12-24 >/dev/null || bw_fail "holiday remove"
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" holiday add 2026-12-25 "Jour de test" "يوم تجريبي" --islamic >/dev/null ||
  bw_fail "holiday add 2"
wait_pub holidays "$n"
sleep 1.2   # the two commits may be seen as one change or two: let the last one out
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p2" || bw_fail "third run"
bw_expect "moved holiday" "$(bw_devsql k1 "SELECT group_concat(day) FROM holidays WHERE day IN ('2026-12-24', '2026-12-25')")" 2026-12-25
same_days

# 3b. a holiday name longer than the store's buffer (64 Arabic letters, 2 bytes each;
# `bawaba holiday add` refuses it, see cli.sh, so it is written here as another program
# would): jansson refuses invalid UTF-8, and the hub used to publish the table without
# that day. The store reads it cut on a character boundary, so the day is published
# with whole letters and the hub never meets a broken character.
long_ar=$(awk 'BEGIN { for (i = 0; i < 64; i++) printf "\330\271" }')
n=$(npub holidays)
bw_hubsql "INSERT INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES ('2026-12-30', '$long_ar', 'Fête longue', 0, 1)" ||
  bw_fail "holiday add (long name)"
wait_pub holidays "$n"
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p2b" || bw_fail "run with the long name"
bw_expect "the day with the long name on the device" "$(bw_devsql k1 "SELECT count(*) FROM holidays WHERE day='2026-12-30'")" 1
bw_expect "its name: whole letters only" "$(bw_devsql k1 "SELECT length(name_ar) || ' ' || length(CAST(name_ar AS BLOB)) FROM holidays WHERE day='2026-12-30'")" "63 126"
grep -q "publishing holidays: name_ar of 2026-12-30 is not valid UTF-8" "$BW_HUB_LOG" && bw_fail "the store handed the hub a cut character"
same_days

# 3c. a holiday name that is not valid UTF-8 in the hub's database (written by another
# tool): the hub publishes the day with the broken bytes left out, and logs it
n=$(npub holidays)
bw_hubsql "INSERT INTO holidays (day, name_ar, name_fr, islamic, confirmed)
  VALUES ('2026-12-31', CAST(X'D8B9D8B9D8' AS TEXT), 'Fête cassée', 0, 1)"
wait_pub holidays "$n"
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p2c" || bw_fail "run with the broken name"
bw_expect "the day with the broken name on the device" "$(bw_devsql k1 "SELECT count(*) FROM holidays WHERE day='2026-12-31'")" 1
bw_expect "its name: whole letters only" "$(bw_devsql k1 "SELECT hex(name_ar) FROM holidays WHERE day='2026-12-31'")" D8B9D8B9
grep -q "publishing holidays: name_ar of 2026-12-31 is not valid UTF-8" "$BW_HUB_LOG" || bw_fail "the broken name was not logged"
same_days

# 4. the catalogue: a site renamed and an administration added at the hub
bw_devsql k1 "UPDATE administrations SET officer = 'M. Alaoui' WHERE code = 'TRANSPORT'"
n=$(npub catalogue)
bw_hubsql "UPDATE sites SET name_fr = 'Centre d''immatriculation de Rabat-Agdal' WHERE code = 'RABAT-IMMAT';
  INSERT INTO administrations (code, name_ar, name_fr, name_zgh) VALUES ('TESTADM', 'إدارة', 'Administration test', 'ⵜⴰⵏⴱⴰⴹⵜ')"
wait_pub catalogue "$n"
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p3" || bw_fail "fourth run"
bw_expect "renamed site" "$(bw_devsql k1 "SELECT name_fr FROM sites WHERE code='RABAT-IMMAT'")" "Centre d'immatriculation de Rabat-Agdal"
bw_expect "new administration" "$(bw_devsql k1 "SELECT name_zgh FROM administrations WHERE code='TESTADM'")" "ⵜⴰⵏⴱⴰⴹⵜ"
bw_expect "local officer kept" "$(bw_devsql k1 "SELECT officer FROM administrations WHERE code='TRANSPORT'")" "M. Alaoui"
bw_expect "device sites = hub sites" "$(bw_devsql k1 "SELECT group_concat(code || name_fr) FROM (SELECT * FROM sites ORDER BY code)")" \
  "$(bw_hubsql "SELECT group_concat(code || name_fr) FROM (SELECT * FROM sites ORDER BY code)")"

# 5. a device can submit to the new administration right away, offline-validated
bw_dev k1 -n 1 -a TESTADM -w 10 > "$BW_TMP/s" || bw_fail "submit to the new administration: $(cat "$BW_TMP/s")"
bw_expect "stored at the hub" "$(bw_hubsql "SELECT count(*) FROM requests WHERE admin='TESTADM'")" 1
bw_hub_stop
echo "PASS"
