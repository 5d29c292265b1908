#!/bin/sh
# legal_time.sh: days and deadlines in Morocco's legal time (tzdata Africa/Casablanca),
# with the clock pinned (BAWABA_NOW) inside and outside Ramadan 2026, at 23:30 and 00:30
# legal time and around both switches (2026-02-15 02:00Z to UTC+0, 2026-03-22 02:00Z
# back to UTC+1): the day of receipt, the last-day extension, the last-day answer counted
# in time, the appeal on the last day. A fixed UTC+1 fails the Ramadan cases, UTC fails
# the others. Runs under an empty environment and a hostile TZ, which must change nothing.
# Only instants of the first half of 2026 are used: every tzdata describes them alike.
set -u
B="$BW_BUILD/bin/bawaba"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# bw AT ARGS...: the CLI at instant AT (UTC seconds), under an empty environment but for
# a TZ that would put the day elsewhere if it were obeyed
bw() {
  at=$1; shift
  env -i TZ=Pacific/Kiritimati LANG=C ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    LSAN_OPTIONS="${LSAN_OPTIONS:-}" BAWABA_NOW="$at" BAWABA_DB="$dir/hub.db" "$B" "$@"
}
utc() { date -u -d "$1" +%s; }          # utc "2026-03-01 23:30"
field() { bw "$(utc '2026-06-30 12:00')" show "$1" | sed -n "s/^$2 *//p" | cut -d' ' -f1; }
info() { # AT: files an information request at AT, prints its reference
  bw "$1" file --kind info --admin SANTE --name "Amina El Idrissi" --id-number AB123456 --form email \
    --contact amina@example.ma "Le budget de l'hôpital" 2>/dev/null
}
bw "$(utc '2026-01-05 10:00')" init >/dev/null || fail "init"

# ---- the day of receipt ----
received() { # UTC-TIME WANT-DAY WHY
  r=$(bw "$(utc "$1")" file --kind complaint --admin TRANSPORT "الحافلة لا تأتي" 2>/dev/null) || fail "file at $1"
  got=$(field "$r" received)
  [ "$got" = "$2" ] || fail "filed at $1 UTC ($3): received $got, want $2"
  echo "ok: filed at $1 UTC ($3): received $2"
}
received "2026-01-19 23:30" 2026-01-20 "00:30 legal, UTC+1"
received "2026-01-19 22:30" 2026-01-19 "23:30 legal, UTC+1"
received "2026-03-01 23:30" 2026-03-01 "23:30 legal in Ramadan, UTC+0"
received "2026-03-02 00:30" 2026-03-02 "00:30 legal in Ramadan"
received "2026-02-14 23:30" 2026-02-15 "00:30 legal, the night of the switch to UTC+0"
received "2026-02-15 01:59:59" 2026-02-15 "02:59:59 legal, a second before the switch"
received "2026-02-15 02:00" 2026-02-15 "02:00 legal, the switch"
received "2026-03-21 23:30" 2026-03-21 "23:30 legal, the last night of UTC+0"
received "2026-03-22 23:30" 2026-03-23 "00:30 legal, UTC+1 again"

# ---- extension on the last day (law 31.13 art. 16: before the deadline ends) ----
# filed Monday 2 February: 20 working days end on a day of Ramadan
a=$(info "$(utc '2026-02-02 10:00')"); b=$(info "$(utc '2026-02-02 10:05')")
D=$(field "$a" deadline)
[ "$D" \> 2026-02-15 ] && [ "$D" \< 2026-03-21 ] || fail "deadline $D is not in Ramadan"
bw "$(utc "$D 23:30")" extend "$a" "volume du dossier" >/dev/null 2>"$dir/err" ||
  fail "extension at 23:30 legal on the last day ($D, Ramadan) refused: $(cat "$dir/err")"
echo "ok: extension at 23:30 legal on the last day $D (Ramadan) accepted"
next=$(date -u -d "$D + 1 day" +%F)
bw "$(utc "$next 00:30")" extend "$b" "volume du dossier" >/dev/null 2>"$dir/err" &&
  fail "extension at 00:30 legal the day after the deadline accepted"
grep -q "deadline ended on $D" "$dir/err" || fail "late extension message: $(cat "$dir/err")"
echo "ok: extension at 00:30 legal on $next (Ramadan) refused"
# outside Ramadan (June, UTC+1): 23:30 legal is 22:30 UTC; 00:30 legal is 23:30 UTC
c=$(info "$(utc '2026-06-01 10:00')"); d=$(info "$(utc '2026-06-01 10:05')")
J=$(field "$c" deadline)
bw "$(utc "$J 22:30")" extend "$c" "volume du dossier" >/dev/null 2>"$dir/err" ||
  fail "extension at 23:30 legal on the last day ($J) refused: $(cat "$dir/err")"
bw "$(utc "$J 23:30")" extend "$d" "volume du dossier" >/dev/null 2>&1 &&
  fail "extension at 00:30 legal (23:30 UTC on $J) the day after the deadline accepted"
echo "ok: outside Ramadan: extension at 23:30 legal on $J accepted, at 00:30 legal the next day refused"

# ---- an answer on the last day counts in time ----
e=$(info "$(utc '2026-02-02 10:10')"); f=$(info "$(utc '2026-02-02 10:15')")
bw "$(utc "$D 23:30")" answer "$e" "Voici le budget." >/dev/null || fail "answer on the last day"
bw "$(utc "$next 00:30")" answer "$f" "Voici le budget." >/dev/null || fail "answer the day after"
intime() { sqlite3 "$dir/hub.db" "SELECT answered_in_time || ' ' || answered_on FROM requests WHERE ref = '$(echo "$1" | tr -d ' ')'"; }
[ "$(intime "$e")" = "1 $D" ] || fail "answer at 23:30 legal on $D: $(intime "$e"), want in time on $D"
[ "$(intime "$f")" = "0 $next" ] || fail "answer at 00:30 legal on $next: $(intime "$f"), want late"
bw "$(utc '2026-06-30 12:00')" report --from 2026-02-02 --to 2026-02-02 > "$dir/report" || fail "report"
echo "ok: answer at 23:30 legal on the last day $D in time, at 00:30 legal the next day late"

# ---- the appeal on the last day of its window (art. 19: 20 working days after the answer) ----
g=$(info "$(utc '2026-02-02 10:20')"); h=$(info "$(utc '2026-02-02 10:25')")
bw "$(utc '2026-02-16 10:00')" answer "$g" "Refus partiel." >/dev/null || fail "answer g"
bw "$(utc '2026-02-16 10:00')" answer "$h" "Refus partiel." >/dev/null || fail "answer h"
U=$(bw "$(utc '2026-02-16 10:00')" show "$g" | sed -n 's/^appeal .* until \([0-9-]*\) .*/\1/p')
[ "$U" \> 2026-02-16 ] && [ "$U" \< 2026-03-21 ] || fail "appeal window end '$U' is not in Ramadan"
bw "$(utc "$U 23:30")" appeal "$g" "La réponse est incomplète" >/dev/null 2>"$dir/err" ||
  fail "appeal at 23:30 legal on the window's last day $U refused: $(cat "$dir/err")"
Un=$(date -u -d "$U + 1 day" +%F)
bw "$(utc "$Un 00:30")" appeal "$h" "La réponse est incomplète" >/dev/null 2>"$dir/err" &&
  fail "appeal at 00:30 legal after the window accepted"
grep -q "time to appeal ended on $U" "$dir/err" || fail "late appeal message: $(cat "$dir/err")"
echo "ok: appeal at 23:30 legal on $U (Ramadan) accepted, at 00:30 legal on $Un refused"

# ---- times shown carry the legal offset in force ----
bw "$(utc '2026-06-30 12:00')" show "$e" | grep -q "${D}T23:30:00+00:00 .*answered" ||
  fail "timeline time of the Ramadan answer: $(bw "$(utc '2026-06-30 12:00')" show "$e")"
bw "$(utc '2026-06-30 12:00')" show "$c" | grep -q "${J}T23:30:00+01:00 .*extended" ||
  fail "timeline time of the June extension"
echo "ok: timelines in legal time with the offset (+00:00 in Ramadan, +01:00 in June)"

# ---- the daemons: a kiosk files at 23:30 legal in Ramadan, the hub (same pinned clock,
# empty environment) takes it as received that day and acks it ----
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
bw_on_exit() { bw_sync__exit; rm -rf "$dir"; }
export BAWABA_NOW
BAWABA_NOW=$(utc "2026-03-01 23:30")
bw_sync_setup k1:kiosk
bw_hub_start
bw_dev k1 -n 2 -p -w 20 > "$BW_TMP/k1.out" || bw_fail "k1: not acknowledged: $(tail -n 1 "$BW_TMP/k1.out")"
bw_hub_stop
bw_expect "days of receipt at the hub" "$(bw_hubsql "SELECT group_concat(DISTINCT received_on) FROM requests WHERE device = 'k1'")" 2026-03-01
bw_expect "days of receipt at the kiosk" "$(sqlite3 "$BW_TMP/k1.db" "SELECT group_concat(DISTINCT received_on) FROM requests")" 2026-03-01
echo "ok: a kiosk's filing at 23:30 legal in Ramadan is received on 2026-03-01 at the kiosk and the hub"
