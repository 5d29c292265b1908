#!/bin/sh
# durable_private.sh: every program that keeps a SQLite database opens it durable at a
# power cut and private (issue 9). Each one starts under umask 022 and an empty
# environment, on a fresh database, under strace: with synchronous=FULL each commit
# (one per migration at least) fsyncs the WAL; with NORMAL only the checkpoint at close
# would. Then the database and its -wal/-shm must be 0600, whatever the umask.
set -u
command -v strace >/dev/null 2>&1 || { echo "skipped: strace is missing (scripts/deps.sh check)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
B=$BW_BUILD/bin
fail() { echo "FAIL: $*"; exit 1; }
migrations=$(ls "$BW_TOP"/db/migrations/*.sql | wc -l)
strace -f -qq -o /dev/null true 2>/dev/null || { echo "skipped: strace cannot trace here (ptrace refused)"; exit 77; }
# LeakSanitizer cannot run under ptrace: leaks are checked by every other test
EMPTY="env -i ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 UBSAN_OPTIONS=${UBSAN_OPTIONS:-} LSAN_OPTIONS=${LSAN_OPTIONS:-}"

# check NAME DB: the WAL of DB was fsynced at least once per migration, and DB and its
# side files are 0600
check() {
  name=$1 db=$2
  syncs=$(grep -c "sync([0-9]*<$db-wal>" "$dir/$name.strace")
  [ "$syncs" -ge "$migrations" ] ||
    fail "$name: the WAL was synced $syncs times for $migrations+ commits: not synchronous=FULL"
  for f in "$db" "$db-wal" "$db-shm"; do
    [ -e "$f" ] || continue
    m=$(stat -c %a "$f")
    [ "$m" = 600 ] || fail "$name: $f is $m, want 600"
  done
  echo "ok: $name: $syncs WAL syncs, files 0600"
}
trace() { # NAME command...: runs it under umask 022, an empty environment and strace
  name=$1; shift
  if ! (umask 022; strace -f -qq -y -e trace=fsync,fdatasync -o "$dir/$name.strace" $EMPTY "$@") \
    >"$dir/$name.out" 2>&1; then
    cat "$dir/$name.out"; fail "$name: it failed"
  fi
}

# the operator's CLI: init, then a request filed at the desk
trace cli-init "$B/bawaba" -d "$dir/hub.db" init
check cli-init "$dir/hub.db"
trace cli-file "$B/bawaba" -d "$dir/hub.db" file --kind complaint --admin TRANSPORT "الحافلة لا تأتي في موعدها"
grep -c "sync([0-9]*<$dir/hub.db-wal>" "$dir/cli-file.strace" | grep -qv '^0$' ||
  fail "cli-file: the filing's commit was not synced"
echo "ok: cli-file: the filing's commit synced"

# an export with personal data written through the shell's redirection (umask 022) is
# made private; an anonymous one, meant to be published, is left as the shell made it
(umask 022; BAWABA_DB="$dir/hub.db" "$B/bawaba" export csv > "$dir/full.csv") || fail "export csv"
(umask 022; BAWABA_DB="$dir/hub.db" "$B/bawaba" export csv --anonymous > "$dir/anon.csv") || fail "export anon"
[ "$(stat -c %a "$dir/full.csv")" = 600 ] || fail "export with personal data is $(stat -c %a "$dir/full.csv")"
[ "$(stat -c %a "$dir/anon.csv")" = 644 ] || fail "anonymous export is $(stat -c %a "$dir/anon.csv")"
echo "ok: exports: with personal data 0600, anonymous 0644"

# the hub (-n: opens its store, migrates, checks the settings, exits)
trace hub "$B/bawaba-hub" -d "$dir/hub2.db" -o broker.password=x -n
check hub "$dir/hub2.db"

# the SMS gateway on Gammu's dummy phone
mkdir -p "$dir/phone"
cat > "$dir/smsd.conf" <<CONF
[gateway]
database = $dir/smsd.db
localedir = $BW_BUILD/locale
[modem sim1]
device = $dir/phone
connection = none
model = dummy
CONF
trace smsd "$B/bawaba-smsd" -c "$dir/smsd.conf" -n
check smsd "$dir/smsd.db"

# the kiosk (--check: opens its store, seeds the catalogue, exits; no display needed)
trace kiosk "$B/bawaba-kiosk" -o kiosk.locale_dir="$BW_BUILD/locale" -o kiosk.database="$dir/kiosk.db" --check
check kiosk "$dir/kiosk.db"

echo "ok: all programs"
