#!/bin/sh
# export_anonymous.sh: `bawaba export csv|open311 --anonymous` publishes no reference (an
# opaque row id instead), no device, no personal data or text, and days rather than
# times; the plain exports still carry the references for the operator.
set -u
B="$BW_BUILD/bin/bawaba"
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 is missing"; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export BAWABA_DB="$dir/hub.db" BAWABA_NOW=1795773600 BAWABA_LOCALEDIR="$BW_BUILD/locale"
fail() { echo "FAIL: $*"; exit 1; }
$B init >/dev/null || fail "init"
r1=$($B file --kind complaint --admin TRANSPORT --site RABAT-IMMAT --lang fr "Guichet fermé à midi") || fail "file 1"
r2=$($B file --kind info --admin SANTE --name "Amina El Idrissi" --id-number AB123456 --form email \
     --contact amina@example.ma "Le budget 2025 de l'hôpital") || fail "file 2"
r1=$(echo "$r1" | tr -cd 0-9); r2=$(echo "$r2" | tr -cd 0-9)   # printed grouped
[ ${#r1} = 12 ] && [ ${#r2} = 12 ] || fail "references: $r1 $r2"
$B export csv >"$dir/plain.csv" || fail "export csv"
grep -q "^$r1," "$dir/plain.csv" || fail "the operator's csv lacks $r1"

$B export csv --anonymous >"$dir/anon.csv" || fail "export csv --anonymous"
$B export open311 --anonymous >"$dir/anon.json" || fail "export open311 --anonymous"
for f in "$dir/anon.csv" "$dir/anon.json"; do
  for secret in "$r1" "$r2" Amina AB123456 amina@example.ma "Guichet" budget device; do
    grep -q "$secret" "$f" && fail "$(basename "$f") publishes \"$secret\""
  done
done
head -n 1 "$dir/anon.csv" | grep -q "^id,kind,channel,admin,category,site,lang,state," || fail "anonymous csv header: $(head -n 1 "$dir/anon.csv")"
ids=$(sed 1d "$dir/anon.csv" | cut -d, -f1 | sort -n | tr '\n' ' ')
[ "$ids" = "1 2 " ] || fail "anonymous csv ids: '$ids', want the row ids 1 and 2"
echo "ok: anonymous csv: row ids, no reference, no device, no personal data"
python3 - "$dir/anon.json" <<'PY' || fail "anonymous open311"
import json, re, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 2, d
assert sorted(x["service_request_id"] for x in d) == ["1", "2"], d
# the day only, at legal midnight with its offset (+00:00 or +01:00 as tzdata says)
assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+0[01]:00", x["requested_datetime"]) for x in d), d
assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT23:59:59\+0[01]:00", x["expected_datetime"]) for x in d), d
assert all("description" not in x for x in d), d
PY
echo "ok: anonymous open311: row ids, the day only, no description"
exit 0
