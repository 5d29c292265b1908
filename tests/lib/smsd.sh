# tests/lib/smsd.sh: the set-up of a test of the SMS gateway (bawaba-smsd) on Gammu's dummy
# phone: the phone's directory, the gateway's configuration, its device file with fast
# timers, a citizen's SMS sent to it, SQL on its database. POSIX sh; source it after
# tests/lib/broker.sh (and tests/lib/sync.sh for a gateway with a hub), don't run it.
#
#   bw_smsd_conf 'device_num = 77' 'poll_ms = 20' '[abuse]' 'rate_max = 1000'
#   bw_sms_send +212620000001 "plainte transport ..."   # a citizen's SMS to the gateway
#   bw_smsdsql "SELECT count(*) FROM sms_inbox"

SMSD=$BW_BUILD/bin/bawaba-smsd
PHONE_BIN=$BW_BUILD/bin/bawaba-phone
PHONE=
SMSD_DB=

# bw_smsd_conf [LINE...]: makes the dummy phone's directory $PHONE and writes
# $BW_TMP/smsd.conf: the gateway's database $SMSD_DB and the built catalogues, the LINEs
# (more [gateway] settings first, then other sections), and one modem, sim1, on the phone.
bw_smsd_conf() {
  bw_tmpdir
  PHONE=$BW_TMP/phone
  SMSD_DB=$BW_TMP/smsd.db
  mkdir -p "$PHONE"
  {
    printf '[gateway]\ndatabase = %s\nlocaledir = %s\n' "$SMSD_DB" "$BW_BUILD/locale"
    for bw_l in "$@"; do printf '%s\n' "$bw_l"; done
    printf '[modem sim1]\ndevice = %s\nconnection = none\nmodel = dummy\nrate_per_minute = 6000\n' "$PHONE"
  } > "$BW_TMP/smsd.conf"
}

# bw_smsd_device ID: $BW_TMP/ID.conf, the broker's device file of ID (bw_sync_setup) with
# the fast timers of a test (heartbeat, ack time-out, retries, reconnection).
bw_smsd_device() {
  cp "$BW_BROKER_DIR/devices/$1.conf" "$BW_TMP/$1.conf"
  printf '[sync]\nheartbeat = 1\nack_timeout_ms = 700\nretry_max_ms = 3000\nreconnect_max_ms = 1000\n' >> "$BW_TMP/$1.conf"
}

# bw_sms_send NUMBER TEXT...: a citizen at NUMBER sends TEXT to the gateway's phone.
bw_sms_send() { "$PHONE_BIN" "$PHONE" send "$@" > /dev/null || bw_fail "bawaba-phone send $1"; }

bw_smsdsql() { sqlite3 -cmd ".timeout 5000" "$SMSD_DB" "$1"; }
