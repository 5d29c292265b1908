#!/bin/sh
# cli.sh: the operator's command end to end on a real database file: every sub-command
# works, and every error prints one line, exits non-zero and leaves the database unchanged.
set -u
B="$BW_BUILD/bin/bawaba"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export BAWABA_DB="$dir/hub.db" BAWABA_LOCALEDIR="$BW_BUILD/locale"
# Friday 2026-11-27 10:00 UTC: a fixed clock so deadlines are known
export BAWABA_NOW=1795773600
fail() { echo "FAIL: $*"; exit 1; }
snap() { sqlite3 "$BAWABA_DB" .dump | md5sum; }
# must_fail DESCRIPTION EXPECTED-TEXT COMMAND...: non-zero exit, message on stderr, db unchanged
must_fail() {
  what=$1; want=$2; shift 2
  before=$(snap)
  "$@" >"$dir/out" 2>"$dir/err" && fail "$what: exit 0"
  grep -q -- "$want" "$dir/err" || fail "$what: stderr lacks '$want': $(cat "$dir/err")"
  [ "$(snap)" = "$before" ] || fail "$what: database changed"
  echo "ok: $what -> $(head -n 1 "$dir/err")"
}

$B --help | grep -q "usage: bawaba" || fail "--help"
$B init | grep -q "4 sites" || fail "init"
$B init >/dev/null || fail "init twice"
[ "$(sqlite3 "$BAWABA_DB" 'PRAGMA journal_mode')" = wal ] || fail "not WAL"

ref=$($B file --kind complaint --admin TRANSPORT --category SERVICE-NOT-AS-PUBLISHED --site RABAT-IMMAT \
      --lang fr "On m'a demandé une pièce qui n'est pas dans la liste publiée") || fail "file complaint"
echo "filed $ref"
info=$($B file --kind info --admin SANTE --name "Amina El Idrissi" --id-number AB123456 --form email \
      --contact amina@example.ma "Le budget 2025 de l'hôpital") || fail "file info"
paper=$($B file --kind suggestion --admin MRAFP --channel paper --received 2026-10-01 "اقتراح مكتوب") || fail "paper"
# 20 working days from Friday 27 Nov: Friday 25 Dec
$B show "$info" | grep -q "deadline    2026-12-25" || fail "info deadline"
$B show "$info" | grep -E -q "^code        [0-9]{4} " || fail "receipt code shown"
# typed back with Arabic-Indic digits and dashes
arabic=$(python3 -c 'import sys; print(sys.argv[1].translate(str.maketrans("0123456789 ", "٠١٢٣٤٥٦٧٨٩-")))' "$info")
$B show "$arabic" | grep -q "Amina" || fail "show with Arabic digits"

must_fail "missing kind" "--kind is required" $B file --admin SANTE "x"
must_fail "unknown admin" 'unknown administration "NOPE"' $B file --kind complaint --admin NOPE "x"
must_fail "empty text" "text: missing" $B file --kind complaint --admin SANTE
must_fail "bad phone" "phone:" $B file --kind complaint --admin SANTE --phone 0812 "x"
must_fail "info without id" "id_number: missing" $B file --kind info --admin SANTE --name A --form email --contact x "y"
must_fail "category of another kind" "category" $B file --kind suggestion --admin SANTE --category SERVICE-NOT-AS-PUBLISHED "x"
must_fail "future paper date" "future" $B file --kind complaint --admin SANTE --channel paper --received 2027-01-01 "x"
must_fail "bad check digit" "check digit" $B show 000000000014
must_fail "unknown ref" "no such request" $B show 000000000092
must_fail "answer without text" "the answer" $B answer "$ref"
must_fail "extend a complaint" "cannot go from received to extended" $B extend "$ref" "busy"
must_fail "reject without reason" "out-of-scope" $B reject "$ref"
must_fail "unknown command" "unknown command" $B frobnicate
must_fail "bad holiday date" "no such day" $B holiday add 2026-02-30 "X"
must_fail "holiday date with more digits" "2026-03-1299" $B holiday add 2026-03-1299 "X"
# arguments that do not fit are refused, never cut (64 Arabic letters: 128 bytes, one too many)
AR64=$(python3 -c "print('\u0639'*64)")
must_fail "holiday name too long" "NAME_AR: too long (at most 127 bytes)" $B holiday add 2026-12-30 "Fete" "$AR64"
must_fail "holiday French name too long" "NAME_FR: too long" $B holiday add 2026-12-30 "$AR64"
must_fail "file: --name too long" "--name: too long" $B file --kind info --admin SANTE --name "$AR64$AR64$AR64$AR64$AR64" --id-number AB123456 --form email --contact x "y"
must_fail "file: --site too long" "--site: too long" $B file --kind complaint --admin SANTE --site "$AR64" "x"
AR63=$(python3 -c "print('\u0639'*63)")
$B holiday add 2026-12-30 "Fete" "$AR63" >/dev/null || fail "holiday with a 63-letter Arabic name"
[ "$(sqlite3 "$BAWABA_DB" "SELECT name_ar FROM holidays WHERE day = '2026-12-30'")" = "$AR63" ] || fail "Arabic name stored whole"
$B holiday remove 2026-12-30 >/dev/null || fail "holiday remove"
must_fail "list bad state" "lifecycle" $B list --state done

$B assign "$ref" "bureau d'ordre" >/dev/null || fail "assign"
$B answer "$ref" "La pièce a été retirée." >/dev/null || fail "answer"
$B answer "$ref" "again" 2>/dev/null && fail "answered twice"
$B reopen "$ref" "toujours demandée" >/dev/null || fail "reopen"
$B show "$ref" | grep -q "state       reopened" || fail "state after reopen"
[ "$($B show "$ref" | grep -c 'operator:')" -eq 4 ] || fail "timeline has 4 events"
$B --as agent:amina extend "$info" "archives à consulter" >/dev/null || fail "extend info"
$B show "$info" | grep -q "deadline    2027-01-27 (extended once)" || fail "extended deadline"
$B show "$info" | grep -q "skipped     2027-01-01, 2027-01-11, 2027-01-14" || fail "skipped in extension"
$B show "$info" | grep -q "agent:amina" || fail "actor recorded"
must_fail "extend twice" "already extended" $B extend "$info" "again"
$B reject "$info" --reason archives "déposé aux Archives du Maroc" >/dev/null || fail "reject with reason"
$B show "$info" | grep -q "archives: déposé" || fail "reason in timeline"
$B show "$info" | grep -q "appeal      to the head of the body until 2026-12-25" || fail "appeal window shown"
# law 31.13 art. 19: 20 working days after the refusal; on 15 Jan 2027 that time has passed
BAWABA_NOW=1800000000 $B show "$info" | grep -q "that time has passed" || fail "appeal window passed shown"
must_fail "appeal too late" "time to appeal ended on 2026-12-25" env BAWABA_NOW=1800000000 $B appeal "$info" "trop tard"

# a holiday added after filing moves an open deadline, and show lists it
open=$($B file --kind info --admin SANTE --name B --id-number K12345 --form onsite --contact 0600000000 "x") || fail "file 3"
$B holiday add 2026-12-09 "Fête test" "عيد" --islamic | grep -q "1 open deadline moved" || fail "holiday add"
$B show "$open" | grep -q "deadline    2026-12-28" || fail "deadline moved"
$B show "$open" | grep -q "skipped     2026-12-09" || fail "skipped holiday listed"
$B holiday list 2026 | grep -q "2026-12-09  islamic  confirmed Fête test" || fail "holiday list"
$B holiday remove 2026-12-09 | grep -q "1 open deadline moved" || fail "holiday remove"
$B show "$open" | grep -q "deadline    2026-12-25" || fail "deadline back"

# overdue is a query: the paper suggestion of 1 Oct is due 30 Nov; on 1 Dec it is overdue
[ "$($B list --overdue | wc -l)" -eq 0 ] || fail "nothing overdue yet"
BAWABA_NOW=1796119200 $B list --overdue | grep -q "suggestion" || fail "overdue list"
$B list --kind complaint | grep -q reopened || fail "list by kind"
[ "$($B list --admin SANTE | wc -l)" -eq 2 ] || fail "list by admin"

$B report | grep -q "^ALL" || fail "report"
$B report --from 2026-11-01 --to 2026-11-30 | grep -E -q "^ALL +3 " || fail "report range"
$B export csv | head -n 1 | grep -q "^ref,kind" || fail "csv header"
[ "$($B export csv | wc -l)" -eq 5 ] || fail "csv rows"
$B export csv --anonymous | grep -q "Amina" && fail "anonymous csv leaks a name"
$B export open311 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==4 and all("service_request_id" in x for x in d)' || fail "open311"
$B export open311 --anonymous | grep -q description && fail "anonymous open311 has text"
$B lifecycle | grep -q "under_appeal" || fail "lifecycle"
echo "cli commands: all good"

# configuration: -n checks it, errors name file and line, -d wins over the file
printf '[store]\ndatabase = %s\n' "$BAWABA_DB" > "$dir/ok.conf"
$B -c "$dir/ok.conf" -n | grep -q "configuration OK" || fail "-n"
env -u BAWABA_DB $B -c "$dir/ok.conf" list | grep -q reopened || fail "database from config"
printf '[store]\ndatabse = x\n' > "$dir/bad.conf"
must_fail "config typo" "bad.conf:2" $B -c "$dir/bad.conf" -n
must_fail "missing config" "missing.conf" $B -c "$dir/missing.conf" list
$B --print-config | grep -q "^database = /var/lib/bawaba/hub.db" || fail "--print-config"
echo "cli config: all good"

# agents: registered with a scope and broker credentials; bad site refused, nothing left
"$BW_BUILD/bin/bawaba-broker" init "$dir/broker" >/dev/null || fail "broker init"
$B agent add agent-amina --site RABAT-IMMAT --admin TRANSPORT --name Amina --broker "$dir/broker" \
  | grep -q "credentials: $dir/broker/devices/agent-amina.conf" || fail "agent add"
"$BW_BUILD/bin/bawaba-broker" list "$dir/broker" | grep -Eq "^agent-amina +agent +RABAT-IMMAT +enabled" \
  || fail "agent not a broker user"
must_fail "agent of an unknown site" "not in the catalogue" $B agent add agent-x --site NOWHERE
# devices: only for a site of the catalogue; a refused one leaves no broker user behind
$B device add k1 --kind kiosk --site RABAT-IMMAT --broker "$dir/broker" | grep -q "credentials: $dir/broker/devices/k1.conf" \
  || fail "device add"
grep -q '^site=RABAT-IMMAT$' "$dir/broker/devices/k1.conf" || fail "device site"
must_fail "device of an unknown site" "not in the catalogue" $B device add k2 --kind kiosk --site NOWHERE --broker "$dir/broker"
must_fail "device of a bad kind" "is not kiosk or gateway" $B device add k2 --kind agent --site RABAT-IMMAT --broker "$dir/broker"
[ ! -e "$dir/broker/devices/k2.conf" ] || fail "a refused device got credentials"
if "$BW_BUILD/bin/bawaba-broker" list "$dir/broker" | grep -q '^k2 '; then fail "a refused device is a broker user"; fi
must_fail "agent id without prefix" "must start with agent-" $B agent add amina2 --site RABAT-IMMAT
must_fail "agent twice" "already registered" $B agent add agent-amina --site RABAT-IMMAT --broker "$dir/broker"
must_fail "agent name too long" "--name: too long" $B agent add agent-y --site RABAT-IMMAT --name "$AR64$AR64"
must_fail "agent site too long" "--site: too long" $B agent add agent-y --site "RABAT-IMMAT-RABAT-IMMAT-RABAT-IMMAT-RABAT-IMMAT"
$B agent list | grep -q "agent-amina .*RABAT-IMMAT .*TRANSPORT .*active" || fail "agent list"
$B devices | grep -q "^device" || fail "devices header"
echo "cli agents: all good"
