# tests/lib/cli.sh: the set-up of a test of the bawaba command line on its own hub
# database: B (the program), dir (a temporary directory removed at exit), BAWABA_DB and
# BAWABA_LOCALEDIR exported, fail. POSIX sh; source it, don't run it:
#
#   . "$BW_TOP/tests/lib/cli.sh"
#   export BAWABA_NOW=1795773600   # when the test pins the clock
#   $B init >/dev/null || fail "init"

B="$BW_BUILD/bin/bawaba"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export BAWABA_DB="$dir/hub.db" BAWABA_LOCALEDIR="$BW_BUILD/locale"

# fail MESSAGE: the test fails with this message.
fail() { echo "FAIL: $*"; exit 1; }

# cli_need PROGRAM...: skip the test (exit 77) unless every program is installed.
cli_need() {
  for cli_p in "$@"; do
    command -v "$cli_p" >/dev/null 2>&1 || { echo "skipped: $cli_p is missing"; exit 77; }
  done
}
