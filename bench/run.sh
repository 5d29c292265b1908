#!/bin/sh
# run.sh: runs every benchmark against the build in $1 and prints their figures.
# Each benchmark measures bawaba and a reference in the same run and prints the ratio.
# Usage: bench/run.sh BUILD_DIR [name-filter]
set -u
BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR}" && pwd)
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
export BW_BUILD="$BUILD" BW_TOP="$top"
status=0
for b in "$BUILD"/bench/*; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  case "$(basename "$b")" in *"$filter"*) ;; *) continue ;; esac
  echo "== $(basename "$b")"
  "$b" || status=1
done
for s in "$top"/bench/*.sh; do
  [ -e "$s" ] || continue
  [ "$(basename "$s")" = run.sh ] && continue
  case "$(basename "$s")" in *"$filter"*) ;; *) continue ;; esac
  echo "== $(basename "$s" .sh)"
  sh "$s" || status=1
done
exit $status
