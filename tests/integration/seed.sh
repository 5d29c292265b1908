#!/bin/sh
# seed.sh: checks the seed SQL (db/seed) against the schema (db/migrations) with the sqlite3 tool:
# loads cleanly, is idempotent, and holds the catalogue and holiday facts the hub relies on.
set -eu
top=${BW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 command-line tool not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bw-seed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db="$tmp/hub.db"
errors=0

fail() { echo "FAIL: $*" >&2; errors=$((errors + 1)); }
q() { sqlite3 -bail -batch "$db" "$1"; }
# expect DESCRIPTION SQL: the query must return no rows; prints them otherwise.
expect_none() {
	out=$(q "$2") || { fail "$1: query failed"; return; }
	[ -z "$out" ] || fail "$1:
$out"
}

# The seeds are string literals in C compiled with -std=c11, where trigraphs are on:
# a "??" sequence would silently change the SQL the programs run.
for f in "$top"/db/seed/*.sql; do
	if grep -n '??' "$f" >/dev/null; then fail "$f contains '??' (a C trigraph once embedded)"; fi
done

for f in "$top"/db/migrations/*.sql; do
	sqlite3 -bail -batch "$db" < "$f" || { echo "FAIL: migration $f does not load" >&2; exit 1; }
done

counts() {
	q "SELECT (SELECT count(*) FROM administrations) || ' ' || (SELECT count(*) FROM sites)
	   || ' ' || (SELECT count(*) FROM categories) || ' ' || (SELECT count(*) FROM holidays);"
}
load_seeds() {
	for f in "$top"/db/seed/*.sql; do
		sqlite3 -bail -batch "$db" < "$f" || { echo "FAIL: seed $f does not load (pass $1)" >&2; exit 1; }
	done
}
load_seeds 1
first=$(counts)
load_seeds 2
second=$(counts)
[ "$first" = "$second" ] || fail "seeds are not idempotent: counts (admins sites categories holidays) $first then $second"
set -- $first
[ "$1" -ge 12 ] || fail "only $1 administrations"
[ "$2" -eq 4 ] || fail "expected the 4 pilot sites, got $2 sites"
[ "$3" -ge 15 ] || fail "only $3 categories"
[ "$4" -ge 120 ] || fail "only $4 holidays for 2024-2030"

# The script classes below use GLOB over UTF-8 code points; prove them on known strings
# first, so that a pattern that never matches cannot pass the checks vacuously.
TFNG="[ⴰ-⵿]"        # U+2D30..U+2D7F Tifinagh
ARAB="[ء-ي]"        # U+0621..U+064A Arabic letters
probe=$(q "SELECT ('ⵜⴰⵎⴰⵡⴰⵙⵜ' GLOB '*$TFNG*') || ('Tamawast' GLOB '*$TFNG*') || ('وزارة' GLOB '*$TFNG*')
           || ('وزارة' GLOB '*$ARAB*') || ('Ministere' GLOB '*$ARAB*') || ('ⵜⴰⵎⴰⵡⴰⵙⵜ' GLOB '*$ARAB*');")
[ "$probe" = "100100" ] || fail "GLOB script classes do not work as expected ($probe)"

# --- catalogue -------------------------------------------------------------------------
for s in RABAT-IMMAT:TRANSPORT ELJADIDA-HOP:SANTE ALGECIRAS-CONS:MAECE CASA-OUKACHA:DGAPR; do
	code=${s%%:*}; admin=${s#*:}
	got=$(q "SELECT s.admin FROM sites s JOIN administrations a ON a.code = s.admin WHERE s.code = '$code';")
	[ "$got" = "$admin" ] || fail "pilot site $code: expected administration $admin present, got '$got'"
done
for a in MRAFP CDAI MEDIATEUR INTERIEUR MEF JUSTICE SANTE TRANSPORT MAECE DGAPR; do
	[ "$(q "SELECT count(*) FROM administrations WHERE code = '$a';")" = 1 ] || fail "administration $a missing"
done

for t in administrations sites categories; do
	expect_none "$t with an empty name" \
		"SELECT code FROM $t WHERE trim(name_ar) = '' OR trim(name_fr) = '' OR trim(name_zgh) = '';"
	expect_none "$t whose name_zgh has no Tifinagh letter or has Latin/Arabic ones" \
		"SELECT code, name_zgh FROM $t WHERE NOT name_zgh GLOB '*$TFNG*'
		 OR name_zgh GLOB '*[A-Za-z]*' OR name_zgh GLOB '*$ARAB*';"
	expect_none "$t whose name_ar has no Arabic letter" \
		"SELECT code, name_ar FROM $t WHERE NOT name_ar GLOB '*$ARAB*';"
	expect_none "$t whose name_fr has an Arabic or Tifinagh letter" \
		"SELECT code FROM $t WHERE name_fr GLOB '*$ARAB*' OR name_fr GLOB '*$TFNG*';"
	# Codes go into requests, SMS and URLs: short upper-case ASCII (BW_CODE_MAX = 32).
	expect_none "$t with a code that is not [A-Z0-9-]{1,32}" \
		"SELECT code FROM $t WHERE code = '' OR length(code) > 32 OR code GLOB '*[^A-Z0-9-]*';"
	# bw_store.h copies names into char[256]: a longer one would be cut.
	expect_none "$t with a name of 256 bytes or more" \
		"SELECT code FROM $t WHERE length(CAST(name_ar AS BLOB)) > 255
		 OR length(CAST(name_fr AS BLOB)) > 255 OR length(CAST(name_zgh AS BLOB)) > 255;"
done
expect_none "administrations without an information officer (law 31.13 art. 13) or one over 127 bytes" \
	"SELECT code FROM administrations WHERE trim(officer) = '' OR length(CAST(officer AS BLOB)) > 127;"
expect_none "sites with an empty city or one over 63 bytes" \
	"SELECT code FROM sites WHERE trim(city) = '' OR length(CAST(city AS BLOB)) > 63;"
expect_none "sites whose administration is unknown" \
	"SELECT code, admin FROM sites WHERE admin NOT IN (SELECT code FROM administrations);"
expect_none "categories whose administration is unknown" \
	"SELECT code, admin FROM categories WHERE admin <> '' AND admin NOT IN (SELECT code FROM administrations);"
expect_none "categories whose kinds is not a non-empty set of the 4 kinds" \
	"SELECT code, kinds FROM categories WHERE kinds < 1 OR kinds > 15;"
[ "$(q "SELECT kinds FROM categories WHERE code = 'SERVICE-NOT-AS-PUBLISHED' AND admin = '';")" = 1 ] \
	|| fail "category SERVICE-NOT-AS-PUBLISHED (commitment 8) missing, not generic or not complaint-only"
# Every kind must offer at least one category valid for every administration.
for k in 0 1 2 3; do
	[ "$(q "SELECT count(*) FROM categories WHERE admin = '' AND (kinds >> $k) & 1;")" -ge 2 ] \
		|| fail "kind $k has fewer than 2 generic categories"
done
for a in TRANSPORT SANTE MAECE DGAPR; do
	[ "$(q "SELECT count(*) FROM categories WHERE admin = '$a';")" -ge 1 ] \
		|| fail "pilot administration $a has no category of its own"
done

# --- holidays --------------------------------------------------------------------------
expect_none "holidays whose day is not a real date" \
	"SELECT day FROM holidays WHERE date(day) IS NOT day;"
expect_none "holidays with an empty name or a non-Arabic name_ar" \
	"SELECT day FROM holidays WHERE trim(name_fr) = '' OR NOT name_ar GLOB '*$ARAB*';"
expect_none "holidays with islamic/confirmed not 0 or 1, or a fixed-date holiday unconfirmed" \
	"SELECT day FROM holidays WHERE islamic NOT IN (0, 1) OR confirmed NOT IN (0, 1)
	 OR (islamic = 0 AND confirmed = 0);"
# Islamic dates before 2025-12-31 were checked against the announcements; later ones are
# expectations, and only an operator (after the announcement) may mark them confirmed.
expect_none "Islamic holidays of 2024-2025 not confirmed" \
	"SELECT day FROM holidays WHERE islamic = 1 AND day < '2026-01-01' AND confirmed = 0;"
expect_none "Islamic holidays after 2026 shipped as confirmed" \
	"SELECT day FROM holidays WHERE islamic = 1 AND day >= '2027-01-01' AND confirmed = 1;"

y=2024
while [ $y -le 2030 ]; do
	fixed="01-01 01-11 05-01 07-30 08-14 08-20 08-21 11-06 11-18 01-14"
	# Aid al-Wahda: decided 4 November 2025, first day off 31 October 2026.
	[ $y -ge 2026 ] && fixed="$fixed 10-31"
	for md in $fixed; do
		[ "$(q "SELECT count(*) FROM holidays WHERE day = '$y-$md' AND confirmed = 1;")" = 1 ] \
			|| fail "fixed holiday $y-$md missing or unconfirmed"
	done
	[ $y -ge 2026 ] || [ "$(q "SELECT count(*) FROM holidays WHERE day = '$y-10-31';")" = 0 ] \
		|| fail "$y-10-31 is a holiday but Aid al-Wahda was only decided in November 2025"
	# Each Islamic holiday by its name: a day merged with a fixed holiday keeps both names
	# (joined by " / ") and islamic = 0, so counting names accounts for merges.
	for spec in "Aïd al-Fitr (1er jour):1" "Aïd al-Fitr (2e jour):1" "Aïd al-Adha (1er jour):1" \
	            "Aïd al-Adha (2e jour):1" "1er Moharram:1" "Aïd al-Mawlid (1er jour):1" "Aïd al-Mawlid (2e jour):1"; do
		name=${spec%:*}; want=${spec##*:}
		n=$(q "SELECT count(*) FROM holidays WHERE day LIKE '$y-%' AND instr(name_fr, '$name') > 0;")
		[ "$n" = "$want" ] || fail "$y: '$name' found $n times, expected $want"
	done
	isl=$(q "SELECT count(*) FROM holidays WHERE day LIKE '$y-%' AND islamic = 1;")
	merged=$(q "SELECT count(*) FROM holidays WHERE day LIKE '$y-%' AND islamic = 0 AND instr(name_fr, ' / ') > 0
	            AND (instr(name_fr, 'Aïd al-') > 0 OR instr(name_fr, 'Moharram') > 0);")
	[ $((isl + merged)) -eq 7 ] || fail "$y: $isl Islamic days + $merged merged with a fixed day, expected 7"
	# Second days follow first days.
	for h in Fitr Adha Mawlid; do
		n=$(q "SELECT count(*) FROM holidays a JOIN holidays b ON b.day = date(a.day, '+1 day')
		       WHERE a.day LIKE '$y-%' AND instr(a.name_fr, 'Aïd al-$h (1er jour)') > 0
		       AND instr(b.name_fr, 'Aïd al-$h (2e jour)') > 0;")
		[ "$n" = 1 ] || fail "$y: the 2nd day of Aïd al-$h does not follow the 1st"
	done
	y=$((y + 1))
done

# The lunar year is ~354 days: each Eid al-Fitr comes 10-12 days earlier than the last.
expect_none "consecutive Eid al-Fitr dates not 10-12 days apart" \
	"WITH f AS (SELECT day, CAST(substr(day, 1, 4) AS INTEGER) AS y FROM holidays
	            WHERE instr(name_fr, 'Aïd al-Fitr (1er jour)') > 0)
	 SELECT a.day, b.day FROM f a JOIN f b ON b.y = a.y + 1
	 WHERE julianday(a.day) - julianday(date(b.day, '-1 year')) NOT BETWEEN 10 AND 12;"
[ "$(q "SELECT count(*) FROM holidays WHERE instr(name_fr, 'Aïd al-Fitr (1er jour)') > 0;")" = 7 ] \
	|| fail "expected one Eid al-Fitr in each year 2024-2030"

if [ $errors -ne 0 ]; then
	echo "seed: $errors check(s) failed" >&2
	exit 1
fi
echo "seed: ok ($first: administrations sites categories holidays)"
