# devices.sh: what the shell benchmarks that drive simulated devices share (bench/sync.sh,
# bench/flood.sh), with the tests' broker and sync helpers it builds on. POSIX sh; source
# it with BW_TOP set.
#   dev ID [devsim options]   bawaba-devsim as ID with the shipped timings (not the tests'
#                             fast retries), its local db $BW_TMP/ID.db, its log $BW_TMP/ID.log
#   field FILE NAME           the last "NAME value" figure bawaba-devsim printed in FILE
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

dev() { id=$1; shift; "$BW_DEVSIM" -c "$BW_BROKER_DIR/devices/$id.conf" -d "$BW_TMP/$id.db" "$@" 2>>"$BW_TMP/$id.log"; }
field() { sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$1" | tail -n 1; }
