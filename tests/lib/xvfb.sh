# xvfb.sh: sourced by the kiosk tests: start_xvfb picks a free display number, starts
# Xvfb 1920x1080x24 on it (killed by stop_xvfb, to be called from the EXIT trap) and
# exports DISPLAY; skip_unless exits 77 when a tool is missing.
skip_unless() { # command...
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || { echo "skipped: $c is missing (scripts/deps.sh check installs it)"; exit 77; }
  done
}

start_xvfb() { # log-file
  n=91
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >"$1" 2>&1 &
  XVFB_PID=$!
  i=0
  while [ ! -e "/tmp/.X11-unix/X$n" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$XVFB_PID" 2>/dev/null; then
      echo "Xvfb :$n did not start:"; cat "$1"; return 1
    fi
    sleep 0.05
  done
  export DISPLAY=":$n"
}

stop_xvfb() {
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  XVFB_PID=
}
