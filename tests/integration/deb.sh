#!/bin/sh
# deb.sh: `make deb` builds the Debian package with debhelper from a copy of the tree
# (PREFIX=/usr) and lintian finds no error in it; the package has the programs, units,
# system users, a sample configuration per program (each accepted by its program), man
# pages and catalogues, and its programs look for their catalogues under /usr, not
# /usr/local. Skipped (77) without debhelper and lintian (scripts/deps.sh check has them).
set -u
# the package is built by debhelper with its own flags: the sanitizer run would build the
# same package a second time and test nothing more
case "$BW_BUILD" in */san) echo "skipped: the package is checked by the run without sanitizers"; exit 77 ;; esac
. "$BW_TOP/tests/lib/broker.sh"
bw_need dpkg-buildpackage dh lintian
bw_tmpdir
D=$BW_TMP/deb
make -s -C "$BW_TOP" deb DEBDIR="$D" > "$BW_TMP/make.out" 2>&1 || bw_fail "make deb: $(tail -n 30 "$BW_TMP/make.out")"
deb=$(ls "$D"/bawaba_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || bw_fail "no bawaba_*.deb in $D: $(ls "$D")"
if grep -q '^E:' "$D/lintian.txt"; then bw_fail "lintian errors: $(grep '^E:' "$D/lintian.txt")"; fi
echo "ok: $(basename "$deb"), lintian: $(grep -c '^W:' "$D/lintian.txt") warnings, no error"

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$BW_TMP/files"
for f in /usr/bin/bawaba /usr/bin/bawaba-broker /usr/bin/bawaba-hub /usr/bin/bawaba-smsd \
    /usr/bin/bawaba-kiosk /usr/bin/bawaba-agent \
    /lib/systemd/system/bawaba-broker.service /lib/systemd/system/bawaba-hub.service \
    /lib/systemd/system/bawaba-smsd.service /lib/systemd/system/bawaba-kiosk.service \
    /usr/lib/sysusers.d/bawaba.conf /etc/bawaba/bawaba.conf.sample /etc/bawaba/hub.conf.sample \
    /etc/bawaba/smsd.conf.sample /etc/bawaba/kiosk.conf.sample /etc/bawaba/agent.conf.sample \
    /usr/share/man/man1/bawaba-broker.1.gz /usr/share/man/man8/bawaba-smsd.8.gz \
    /usr/share/locale/ar/LC_MESSAGES/bawaba-sms.mo /usr/share/locale/zgh/LC_MESSAGES/bawaba-kiosk.mo; do
  grep -qx "$f" "$BW_TMP/files" || bw_fail "the package lacks $f"
done
R=$BW_TMP/root
dpkg-deb -x "$deb" "$R" || bw_fail "dpkg-deb -x"
grep -q "^ExecStart=/usr/bin/bawaba-hub " "$R/lib/systemd/system/bawaba-hub.service" || bw_fail "hub unit path"
strings "$R/usr/bin/bawaba-smsd" | grep -qx /usr/share/locale || bw_fail "bawaba-smsd does not look in /usr/share/locale"
if strings "$R/usr/bin/bawaba-smsd" "$R/usr/bin/bawaba-kiosk" | grep -q '^/usr/local/'; then
  bw_fail "a packaged program looks in /usr/local"
fi
# the samples are what the programs accept (written by --print-config, read back by -c)
env -i "$R/usr/bin/bawaba" -c "$R/etc/bawaba/bawaba.conf.sample" -n | grep -q 'configuration OK' ||
  bw_fail "bawaba refuses its own sample"
grep -q '^\[hub\]' "$R/etc/bawaba/hub.conf.sample" || bw_fail "hub sample without [hub]"
dpkg-deb -e "$deb" "$BW_TMP/control" || bw_fail "dpkg-deb -e"
grep -q 'systemd-sysusers /usr/lib/sysusers.d/bawaba.conf' "$BW_TMP/control/postinst" || bw_fail "postinst makes no users"
grep -q '^Depends:.*mosquitto' "$BW_TMP/control/control" || bw_fail "no dependency on mosquitto"
echo "deb: all checks passed"
