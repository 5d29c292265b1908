#!/bin/sh
# run.sh: runs the unit tests and every integration test (tests/integration/*.sh) against
# the build in $1; prints one line per test and ends with "N passed, N failed".
# An integration test exits 0 (pass), 77 (skipped, says why) or anything else (fail).
# Usage: tests/run.sh BUILD_DIR [name-filter]
set -u
BUILD=${1:?usage: tests/run.sh BUILD_DIR [filter]}
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
export BW_BUILD="$BUILD" BW_TOP="$top"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:suppressions=$top/tests/asan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-60}
logdir="$BUILD/test-logs"; mkdir -p "$logdir"
pass=0; fail=0; skip=0; failed=""

run() { # name command...
  name=$1; shift
  case "$name" in *"$filter"*) ;; *) return ;; esac
  start=$(date +%s)
  "$@" > "$logdir/$name.log" 2>&1; rc=$?
  t=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then pass=$((pass+1)); echo "PASS $name (${t}s)"
  elif [ $rc -eq 77 ]; then skip=$((skip+1)); echo "SKIP $name: $(tail -n 1 "$logdir/$name.log")"
  else fail=$((fail+1)); failed="$failed $name"; echo "FAIL $name (${t}s, exit $rc); last lines of $logdir/$name.log:"
       tail -n 40 "$logdir/$name.log" | sed 's/^/    /'
  fi
}

run unit "$BUILD/tests/unit-tests"
grep -E '^[0-9]+%: Checks' "$logdir/unit.log" 2>/dev/null | sed 's/^/     /'
grep -E '^sms corpus:' "$logdir/unit.log" 2>/dev/null | sed 's/^/     /'
for t in "$top"/tests/integration/*.sh; do
  [ -e "$t" ] || continue
  run "$(basename "$t" .sh)" sh "$t"
done
grep -h '^layout:' "$logdir/layout.log" 2>/dev/null | sed 's/^/     /'
grep -h '^keypad flows:' "$logdir/kiosk_speech.log" 2>/dev/null | sed 's/^/     /'
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
