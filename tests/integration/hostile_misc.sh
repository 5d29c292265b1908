#!/bin/sh
# hostile_misc.sh: issue 11's smaller items that need a real program: `bawaba-broker init
# --bind 0.0.0.0` without TLS warns that passwords and requests would cross the network
# in clear; on loopback it says nothing. (The other small items are unit tests: references
# never issued, test_store.c; the agent's `file` idempotent by uid, test_agent.c; holiday
# names, hostile_text.sh.)
set -u
. "$BW_TOP/tests/lib/broker.sh"
bw_tmpdir
BR="$BW_BUILD/bin/bawaba-broker"
"$BR" init "$BW_TMP/open" --bind 0.0.0.0 > /dev/null 2> "$BW_TMP/err" || bw_fail "init --bind 0.0.0.0"
grep -q "warning: listening on 0.0.0.0 without TLS" "$BW_TMP/err" || bw_fail "no warning: $(cat "$BW_TMP/err")"
"$BR" init "$BW_TMP/local" > /dev/null 2> "$BW_TMP/err2" || bw_fail "init"
[ ! -s "$BW_TMP/err2" ] || bw_fail "a warning on loopback: $(cat "$BW_TMP/err2")"
echo "PASS"
