#!/bin/sh
# hostile_text.sh: control characters in a citizen's text (issue 11). Terminal escape
# sequences, BEL and bidi overrides are removed at validation, by the same rule on every
# channel (the store's: `bawaba file` here, kiosks and SMS through the same insert); text
# already stored with them (an older hub, a hand edit) reaches a terminal escaped from
# `bawaba show`, `list` and `export csv`. A holiday name that is not valid UTF-8, or holds
# a control character, is refused.
set -u
. "$BW_TOP/tests/lib/broker.sh"
bw_need sqlite3
bw_tmpdir
B="$BW_BUILD/bin/bawaba"
export BAWABA_DB="$BW_TMP/hub.db"
$B init > /dev/null || bw_fail "init"
esc=$(printf '\033')
bel=$(printf '\007')
rlo=$(printf '\342\200\256')

# 1. filed with controls: stored without them
ref0=$($B file --kind complaint --admin TRANSPORT "${esc}]0;owned${bel}Le guichet ${esc}[2Jest ferme ${rlo}txt.exe") ||
  bw_fail "file"
ref=$(echo "$ref0" | tr -d " ")
t=$(sqlite3 "$BAWABA_DB" "SELECT text FROM requests WHERE ref='$ref'")
[ "$t" = "]0;ownedLe guichet [2Jest ferme txt.exe" ] || bw_fail "stored: $(printf '%s' "$t" | od -c | head -3)"
echo "ok: stored without controls"

# 2. stored raw by something else: escaped on the way out
sqlite3 "$BAWABA_DB" "UPDATE requests SET text = 'x' || char(27) || '[31mred' || char(7) || char(8238) || 'cba' || char(10) || 'line2'"
for out in "show $ref" "list" "export csv"; do
  $B $out > "$BW_TMP/out" || bw_fail "bawaba $out"
  if grep -q "$esc\|$bel\|$rlo" "$BW_TMP/out"; then bw_fail "bawaba $out printed a control character raw"; fi
  grep -q 'x\\x1b\[31mred\\x07\\u202ecba' "$BW_TMP/out" || bw_fail "bawaba $out: $(cat "$BW_TMP/out")"
  echo "ok: bawaba $out escapes"
done

# 3. holiday names
$B holiday add 2027-04-07 "$(printf 'A\377id')" "عيد" > "$BW_TMP/h1" 2>&1 && bw_fail "invalid UTF-8 stored"
grep -q "not valid UTF-8" "$BW_TMP/h1" || bw_fail "message: $(cat "$BW_TMP/h1")"
$B holiday add 2027-04-07 "A${esc}[2Jid" "عيد" > "$BW_TMP/h2" 2>&1 && bw_fail "control stored"
grep -q "control character" "$BW_TMP/h2" || bw_fail "message: $(cat "$BW_TMP/h2")"
[ "$(sqlite3 "$BAWABA_DB" "SELECT count(*) FROM holidays WHERE day='2027-04-07'")" = 0 ] || bw_fail "a holiday was stored"
echo "PASS"
