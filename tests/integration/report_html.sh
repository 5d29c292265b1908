#!/bin/sh
# report_html.sh: `bawaba report --html DIR` writes the static transparency site: ar (right
# to left) and fr pages with the indicators as bawaba report computes them, SVG charts and
# tables, the open-data files, no script and no personal data; headless Chromium renders
# both pages (the screenshots are kept in the test logs, to be looked at).
set -u
B="$BW_BUILD/bin/bawaba"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export BAWABA_DB="$dir/hub.db" BAWABA_LOCALEDIR="$BW_BUILD/locale"
fail() { echo "FAIL: $*"; exit 1; }
$B init >/dev/null || fail "init"
# four requests over two months: one answered in time, one late, one overdue, one open
f() { if [ "$2" = info ]; then set -- "$@" --name "Amina El Idrissi" --id-number AB123456 --form email \
      --contact amina@example.ma; fi
      t=$1 k=$2 adm=$3 txt=$4; shift 4
      BAWABA_NOW=$t $B file --kind "$k" --admin "$adm" --lang fr "$@" "$txt" | head -n 1 | tr -cd 0-9; }
a=$(f 1785000000 complaint SANTE "secret text one") || fail "file a"
b=$(f 1785000000 complaint TRANSPORT "secret text two") || fail "file b"
c=$(f 1790000000 complaint SANTE "secret text three") || fail "file c"
d=$(f 1795600000 info MEF "secret text four") || fail "file d"
BAWABA_NOW=1785500000 $B --as agent:a answer "$a" "answered in time" >/dev/null || fail "answer a"
BAWABA_NOW=1795700000 $B --as agent:a answer "$b" "answered late" >/dev/null || fail "answer b"
export BAWABA_NOW=1795773600
$B report --from 2026-07-01 --to 2026-11-30 >"$dir/report.txt" || fail "report"
$B report --from 2026-07-01 --to 2026-11-30 --html "$dir/site" >/dev/null || fail "report --html"
for p in index.html ar/index.html fr/index.html data/requests.csv data/indicators.csv \
         open311/ar/requests.json open311/fr/services.xml; do
  [ -s "$dir/site/$p" ] || fail "missing $p"
done
grep -q '<html lang="ar" dir="rtl">' "$dir/site/ar/index.html" || fail "ar page not right to left"
grep -q '<html lang="fr" dir="ltr">' "$dir/site/fr/index.html" || fail "fr page not left to right"
grep -rqi "<script\|javascript:" "$dir/site" && fail "the site has script"
# every text from the catalogues: a key shown as such is a missing translation
grep -Eo ">(site|open)\.[a-z_.]+" "$dir/site/ar/index.html" "$dir/site/fr/index.html" "$dir/site/index.html" \
  && fail "untranslated keys in the pages"
grep -c "<svg" "$dir/site/ar/index.html" | grep -q "^2$" || fail "ar page: not two SVG charts"
for secret in "$a" "$b" "$c" "$d" Amina AB123456 amina@example.ma secret "answered in"; do
  grep -rq "$secret" "$dir/site" && fail "the site publishes \"$secret\""
done
# the same figures as bawaba report: answered 2/4 = 50.0%, in time 1/3 = 33.3%
grep "^ALL" "$dir/report.txt" | grep -q "50.0%.*33.3%" || fail "report: $(grep ^ALL "$dir/report.txt")"
grep -q ">50.0%<" "$dir/site/fr/index.html" && grep -q ">33.3%<" "$dir/site/fr/index.html" \
  || fail "fr page: the figures differ from bawaba report"
grep -q ">50.0%<" "$dir/site/ar/index.html" && grep -q "<bdi>1 / 3</bdi>" "$dir/site/ar/index.html" \
  || fail "ar page: the figures differ from bawaba report"
grep -q "^SANTE,complaint,2,1,2,1,0,50.0%,50.0%,0.0%" "$dir/site/data/indicators.csv" \
  || fail "indicators.csv: $(cat "$dir/site/data/indicators.csv")"
echo "ok: site files, directions, no script, no personal data, figures as bawaba report"

command -v chromium >/dev/null 2>&1 || { echo "skipped: chromium is missing (the pages were checked as files)"; exit 77; }
shots="$BW_BUILD/test-logs/report_html"; mkdir -p "$shots"
for l in ar fr; do
  ud=$(mktemp -d "$dir/chromium.XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$ud" --window-size=1000,1400 --screenshot="$shots/$l.png" \
    "file://$dir/site/$l/index.html" >"$dir/chromium.$l.log" 2>&1 || fail "chromium $l: $(tail -n 3 "$dir/chromium.$l.log")"
  [ -s "$shots/$l.png" ] || fail "no screenshot of the $l page"
  colours=$(identify -format %k "$shots/$l.png" 2>/dev/null || echo 0)
  [ "$colours" -gt 100 ] || fail "$l screenshot looks blank ($colours colours)"
done
# right to left for real: the link to the other language (link blue) sits at the top
# left of the Arabic page and at the top right of the French one
blue() { convert "$1" -crop "$2" -fill white -fuzz 20% +opaque "#0000ee" -format "%[fx:1-mean]" info:; }
ar_l=$(blue "$shots/ar.png" 200x50+0+5); ar_r=$(blue "$shots/ar.png" 200x50+800+5)
fr_l=$(blue "$shots/fr.png" 200x50+0+5); fr_r=$(blue "$shots/fr.png" 200x50+800+5)
echo "link blue at the top: ar left $ar_l right $ar_r; fr left $fr_l right $fr_r"
python3 -c "import sys; al,ar,fl,fr=map(float,sys.argv[1:]); sys.exit(0 if al>0.001 and ar<al/10 and fr>0.001 and fl<fr/10 else 1)" \
  "$ar_l" "$ar_r" "$fr_l" "$fr_r" || fail "the pages are not laid out in their directions"
echo "ok: chromium rendered both pages ($shots/ar.png, $shots/fr.png)"
exit 0
