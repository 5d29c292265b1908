#!/bin/sh
# agent_hub.sh: reception agents' consoles through the real broker and hub: an agent added
# while the hub runs is picked up; a device's new request reaches the live queue of the
# agent whose scope holds it and no other; queue answers are scoped; a move outside one's
# scope is refused and changes nothing; an agent's answer is attributed to them at the hub
# and reaches the device; device presence reaches the agents of its site; a device writing
# under agent/<its id>/ gets nothing done; an agent writing on another's topic is refused
# by the broker (PUBACK 0x87).
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

BW=$BW_BUILD/bin/bawaba
AGENTSIM=$BW_BUILD/bin/bawaba-agentsim
[ -x "$BW" ] && [ -x "$AGENTSIM" ] || bw_fail "bawaba / bawaba-agentsim are not built"
bw_sync_setup
bw_broker_register kiosk k1 --site RABAT-IMMAT
"$BW_HUB_BIN" -d "$BW_HUB_DB" enroll "$BW_BROKER_DIR/devices/k1.conf" >/dev/null || bw_fail "enroll k1"
"$BW" -d "$BW_HUB_DB" agent add agent-karim --site ELJADIDA-HOP --broker "$BW_BROKER_DIR" >/dev/null ||
  bw_fail "agent add karim"
bw_hub_start
bw_wait_file "$BW_HUB_LOG" "1 active agent$" 5 || bw_fail "hub did not load karim"
# amina comes while the hub runs: it notices the database changed and reloads the agents
"$BW" -d "$BW_HUB_DB" agent add agent-amina --site RABAT-IMMAT --admin TRANSPORT --broker "$BW_BROKER_DIR" >/dev/null ||
  bw_fail "agent add amina"
bw_wait_file "$BW_HUB_LOG" "2 active agents" 5 || bw_fail "hub did not reload the agents"

# the two consoles: one connection each, commands through a FIFO, everything printed
agents_pids=
for a in amina karim; do
  mkfifo "$BW_TMP/$a.in"
  "$AGENTSIM" -c "$BW_BROKER_DIR/devices/agent-$a.conf" -w 90 < "$BW_TMP/$a.in" > "$BW_TMP/$a.out" 2>&1 &
  agents_pids="$agents_pids $!"
done
exec 3> "$BW_TMP/amina.in" 4> "$BW_TMP/karim.in"
bw_on_exit() { exec 3>&- 4>&-; for p in $agents_pids; do kill "$p" 2>/dev/null; done; bw_sync__exit; }
bw_wait_file "$BW_TMP/amina.out" "^ready" 5 || bw_fail "amina's console: $(cat "$BW_TMP/amina.out")"
bw_wait_file "$BW_TMP/karim.out" "^ready" 5 || bw_fail "karim's console: $(cat "$BW_TMP/karim.out")"
cmd() { # FD CORR JSON
  printf 'cmd %s %s\n' "$2" "$3" >&"$1"
}

# 1. a device of RABAT-IMMAT files a TRANSPORT complaint: amina sees it live, karim not
bw_dev k1 -n 1 -p -a TRANSPORT -w 20 > "$BW_TMP/k1.out" || bw_fail "k1 submit: $(cat "$BW_TMP/k1.out")"
ref=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1.out")
[ -n "$ref" ] || bw_fail "no reference"
bw_wait_file "$BW_TMP/amina.out" "^msg queue - \{\"v\":1,\"type\":\"change\",\"row\":\{\"ref\":\"$ref\".*\"state\":\"received\"" 5 ||
  bw_fail "amina did not get the new row live: $(cat "$BW_TMP/amina.out")"
echo "ok: amina got $ref live"
bw_wait_file "$BW_TMP/amina.out" '^msg devices - .*"id":"k1".*"online":false' 5 ||
  bw_fail "amina did not see k1 go offline: $(cat "$BW_TMP/amina.out")"
grep -q '^msg devices - .*"id":"k1","kind":"kiosk","online":true' "$BW_TMP/amina.out" ||
  bw_fail "amina did not see k1 come online: $(cat "$BW_TMP/amina.out")"
echo "ok: amina saw k1 come and go"

# 2. queue answers are scoped
cmd 3 q1 '{"v":1,"type":"cmd","op":"queue"}'
cmd 4 q1 '{"v":1,"type":"cmd","op":"queue"}'
bw_wait_file "$BW_TMP/amina.out" "^msg reply q1 .*\"ok\":true.*\"rows\":\[\{\"ref\":\"$ref\"" 5 ||
  bw_fail "amina's queue: $(cat "$BW_TMP/amina.out")"
bw_wait_file "$BW_TMP/karim.out" '^msg reply q1 .*"ok":true.*"rows":\[\]' 5 ||
  bw_fail "karim's queue: $(cat "$BW_TMP/karim.out")"
echo "ok: queues scoped"

# 3. karim cannot move amina's request
cmd 4 m1 "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"$ref\",\"to\":\"closed\"}"
bw_wait_file "$BW_TMP/karim.out" '^msg reply m1 .*"ok":false.*"error":"no such request in your scope"' 5 ||
  bw_fail "karim's move: $(cat "$BW_TMP/karim.out")"
bw_expect "state unchanged after karim's move" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref'")" 0
bw_expect "no event from karim's move" "$(bw_hubsql "SELECT count(*) FROM events e JOIN requests r ON r.uid=e.request_uid WHERE r.ref='$ref'")" 1

# 4. amina answers: attributed to her, pushed to her queue, and it reaches the device
note="Votre carte grise est prête au guichet 2"
cmd 3 a1 "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"$ref\",\"to\":\"answered\",\"note\":\"$note\"}"
bw_wait_file "$BW_TMP/amina.out" '^msg reply a1 .*"ok":true.*"state":"answered"' 5 ||
  bw_fail "amina's answer: $(cat "$BW_TMP/amina.out")"
bw_expect "event actor at the hub" "$(bw_hubsql "SELECT actor FROM events WHERE new_state=5")" agent-amina
bw_wait_file "$BW_TMP/amina.out" "^msg queue - .*\"ref\":\"$ref\".*\"state\":\"answered\"" 5 ||
  bw_fail "answered row not pushed: $(cat "$BW_TMP/amina.out")"
bw_dev k1 -N 1 -w 15 > "$BW_TMP/n1" || bw_fail "notification did not reach k1: $(cat "$BW_TMP/n1")"
grep -q "^notify $ref answered $note$" "$BW_TMP/n1" || bw_fail "notify: $(cat "$BW_TMP/n1")"
grep -q '"type":"change"' "$BW_TMP/karim.out" && bw_fail "karim got a row: $(cat "$BW_TMP/karim.out")"
grep -q '"type":"device"' "$BW_TMP/karim.out" && bw_fail "karim got a device of another site"
echo "ok: karim saw nothing of RABAT-IMMAT"

# 5. the reply goes to the command's response topic if it is the agent's own down/...,
# else to down/reply: an agent cannot make the hub write on a device's topic
printf 'rt bawaba/v1/agent/agent-amina/down/mine g1 {"v":1,"type":"cmd","op":"devices"}\n' >&3
bw_wait_file "$BW_TMP/amina.out" '^msg mine g1 .*"op":"devices".*"id":"k1"' 5 ||
  bw_fail "amina's devices: $(cat "$BW_TMP/amina.out")"
printf 'rt bawaba/v1/dev/k1/down/notify g2 {"v":1,"type":"cmd","op":"devices"}\n' >&3
bw_wait_file "$BW_TMP/amina.out" '^msg reply g2 .*"op":"devices"' 5 ||
  bw_fail "foreign response topic: $(cat "$BW_TMP/amina.out")"
echo "ok: response topics"

# 6. a device writing under agent/<its id>/ gets nothing done: its role grants only its
# own dev/ leaf topics, so the broker refuses it (the hub would drop it too: not an agent)
bw_mqtt_pub k1 -q 1 -d -t bawaba/v1/agent/k1/up/cmd \
  -m "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"$ref\",\"to\":\"closed\"}" > "$BW_TMP/k1cmd.out" 2>&1 || true
grep -q 'received PUBACK.*RC:135' "$BW_TMP/k1cmd.out" || bw_fail "k1's command not refused: $(cat "$BW_TMP/k1cmd.out")"
bw_expect "state unchanged after k1's command" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref'")" 5

# 7. karim writing on amina's topic: the broker refuses it, the hub never sees it
printf 'raw bawaba/v1/agent/agent-amina/up/cmd x1 {"v":1,"type":"cmd","op":"move","ref":"%s","to":"closed"}\n' "$ref" >&4
bw_wait_file "$BW_TMP/karim.out" '^puback x1 0x87' 5 || bw_fail "karim's publish not refused: $(cat "$BW_TMP/karim.out")"
sleep 0.3
bw_expect "state unchanged after karim's publish" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref'")" 5
grep -q "^msg reply x1" "$BW_TMP/amina.out" && bw_fail "amina got a reply to karim's command"

# 8. a request filed at amina's desk reaches her queue live too
cmd 3 f1 '{"v":1,"type":"cmd","op":"file","request":{"v":1,"type":"request","uid":"00000000-0000-7000-8000-000000000000","kind":"complaint","channel":"desk","admin":"TRANSPORT","text":"Dossier incomplet sans explication"}}'
bw_wait_file "$BW_TMP/amina.out" '^msg reply f1 .*"ok":true' 5 || bw_fail "desk filing: $(cat "$BW_TMP/amina.out")"
desk=$(sed -n 's/^msg reply f1 .*"row":{"ref":"\([0-9]*\)".*/\1/p' "$BW_TMP/amina.out")
[ -n "$desk" ] || bw_fail "no reference for the desk filing"
bw_wait_file "$BW_TMP/amina.out" "^msg queue - .*\"ref\":\"$desk\".*\"channel\":\"desk\"" 5 ||
  bw_fail "desk row not pushed: $(cat "$BW_TMP/amina.out")"
echo "ok: desk filing $desk pushed"

exec 3>&- 4>&-
bw_hub_stop
grep -q "agent commands [1-9]" "$BW_HUB_LOG" || bw_fail "stats line"
echo "PASS"
