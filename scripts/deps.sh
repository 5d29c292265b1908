#!/bin/sh
# deps.sh: installs the Debian packages bawaba needs to build, test and run, when missing.
# Run as root it uses apt-get (update first); otherwise it prints the exact command.
# Usage: scripts/deps.sh [build|check|run|bench|fuzz|deb]   (default: check)
set -eu
what=${1:-check}

BUILD="build-essential pkg-config gettext tzdata libsqlite3-dev sqlite3 libjansson-dev libcrypt-dev
libmosquitto-dev libssl-dev libsystemd-dev mosquitto mosquitto-clients libgammu-dev gammu libsdl2-dev
libsdl2-ttf-dev libfribidi-dev libharfbuzz-dev libqrencode-dev check
fonts-noto-core libespeak-ng-dev espeak-ng-data"
CHECK="$BUILD python3 xvfb xauth xdotool x11-utils imagemagick strace chromium debhelper dpkg-dev lintian"
case "$what" in
  build) PKGS=$BUILD ;;
  check|run) PKGS=$CHECK ;;
  bench) PKGS="$CHECK gammu-smsd chromium valgrind time" ;;
  fuzz) PKGS="$BUILD clang libclang-rt-14-dev" ;;
  deb) PKGS="$BUILD debhelper dpkg-dev lintian" ;;
  *) echo "deps.sh: unknown target '$what' (build, check, run, bench, fuzz, deb)" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "deps.sh: installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # mosquitto's package starts a system broker on port 1883; bawaba never uses it
  # (it starts its own on a free port), so keep the package from starting services.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.bawaba
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    cp /usr/sbin/policy-rc.d.bawaba /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; cleanup=1
  else cleanup=0; fi
  rm -f /usr/sbin/policy-rc.d.bawaba
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  [ "$cleanup" = 1 ] && rm -f /usr/sbin/policy-rc.d
  exit 0
fi
echo "deps.sh: missing packages. Run as root:" >&2
echo "  apt-get update && apt-get install -y$missing" >&2
exit 1
