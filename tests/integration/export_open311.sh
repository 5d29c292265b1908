#!/bin/sh
# export_open311.sh: the exports checked field by field. Open311 GeoReport v2: services and
# requests in JSON and XML, human names in the asked language, open/closed with status
# notes in words, updated_datetime, times in legal time with their offset, the site's
# address; `export open311 --dir` writes a static endpoint, anonymous by default. CSV:
# --excel (byte order mark, numbers kept as text, formulas never run) and the filters of
# `list`.
set -u
B="$BW_BUILD/bin/bawaba"
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 is missing"; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export BAWABA_DB="$dir/hub.db" BAWABA_NOW=1795773600 BAWABA_LOCALEDIR="$BW_BUILD/locale"
fail() { echo "FAIL: $*"; exit 1; }
$B init >/dev/null || fail "init"
r1=$($B file --kind complaint --admin TRANSPORT --site RABAT-IMMAT --category RECEPTION --lang fr \
     "=HYPERLINK(\"http://x\") guichet fermé" | head -n 1 | tr -cd 0-9) || fail "file 1"
r2=$($B file --kind info --admin SANTE --name "Amina El Idrissi" --id-number AB123456 --form email \
     --contact amina@example.ma "Le budget 2025 de l'hôpital" | head -n 1 | tr -cd 0-9) || fail "file 2"
$B --as agent:amina answer "$r2" "Le budget est publié au BO." >/dev/null || fail "answer"
# a complaint filed long ago and never answered: overdue today
r3=$(BAWABA_NOW=1785000000 $B file --kind complaint --admin SANTE --lang ar "لا جواب" | head -n 1 | tr -cd 0-9) || fail "file 3"
[ ${#r1} = 12 ] && [ ${#r2} = 12 ] && [ ${#r3} = 12 ] || fail "references: $r1 $r2 $r3"

for lang in fr ar; do
  $B export open311 --lang $lang >"$dir/req.$lang.json" || fail "open311 json $lang"
  $B export open311 --lang $lang --xml >"$dir/req.$lang.xml" || fail "open311 xml $lang"
  $B export open311 --lang $lang --services >"$dir/svc.$lang.json" || fail "services json $lang"
  $B export open311 --lang $lang --services --xml >"$dir/svc.$lang.xml" || fail "services xml $lang"
done
$B export open311 --dir "$dir/pub" --lang fr >/dev/null || fail "open311 --dir"
python3 - "$dir" "$r1" "$r2" "$r3" <<'PY' || fail "open311 fields"
import json, os, re, sys
import xml.etree.ElementTree as ET
d, r1, r2, r3 = sys.argv[1:]
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
# GeoReport v2: required service fields and request fields
SVC = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQ = ["service_request_id", "status", "status_notes", "service_name", "service_code",
       "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
       "expected_datetime"]
for lang in ("fr", "ar"):
    svc = json.load(open(f"{d}/svc.{lang}.json"))
    assert len(svc) >= 4, svc
    for s in svc:
        for k in SVC[:6]:
            assert k in s, (k, s)
        assert s["type"] in ("realtime", "batch", "blackbox") and s["metadata"] is False, s
    codes = {s["service_code"]: s for s in svc}
    assert "complaint" in codes and "RECEPTION" in codes, codes.keys()
    want = {"fr": "Réclamation", "ar": "شكاية"}[lang]
    assert codes["complaint"]["service_name"] == want, codes["complaint"]
    req = {x["service_request_id"]: x for x in json.load(open(f"{d}/req.{lang}.json"))}
    assert set(req) == {r1, r2, r3}, req.keys()
    for x in req.values():
        for k in REQ:
            assert k in x and x[k] != "", (k, x)
        assert x["status"] in ("open", "closed"), x
        for k in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert ISO.match(x[k]), (k, x[k])
        assert x["status_notes"] not in ("received", "answered", "closed"), x  # words, not a state
        for k, val in x.items():                                   # no catalogue key left
            assert not str(val).startswith(("open.", "site.")), (k, val)
    a, b, c = req[r1], req[r2], req[r3]
    assert a["status"] == "open" and b["status"] == "closed" and c["status"] == "open"
    # human names, in the language asked: category, kind, administration, site
    if lang == "fr":
        assert a["service_name"] == "Qualité de l'accueil" and a["service_code"] == "RECEPTION", a
        assert b["service_name"] == "Demande d'accès à l'information" and b["service_code"] == "info", b
        assert a["agency_responsible"].startswith("Ministère"), a
        assert a["address"].startswith("Centre d'immatriculation") and a["address"].endswith("Rabat"), a
        assert b["status_notes"].startswith("Réponse donnée le 27/11/2026"), b
        assert "au plus tard le" in a["status_notes"], a
        assert "délai légal a expiré" in c["status_notes"], c
    else:
        assert a["service_name"] == "جودة الاستقبال", a
        assert a["agency_responsible"].startswith("وزارة"), a
        assert a["address"].startswith("مركز تسجيل السيارات"), a
        assert "في أجل أقصاه" in a["status_notes"], a
    # the deadline's last second, in legal time; the answer's time as updated_datetime
    assert b["expected_datetime"].startswith("2026-12-25T23:59:59"), b
    assert b["updated_datetime"].startswith("2026-11-27T"), b
    assert "description" in a                                   # not anonymous here
    # XML: the same requests, element by element
    root = ET.parse(f"{d}/req.{lang}.xml").getroot()
    assert root.tag == "service_requests", root.tag
    xs = {e.findtext("service_request_id"): e for e in root.findall("request")}
    assert set(xs) == set(req), xs.keys()
    for rid, e in xs.items():
        for k in REQ:
            assert e.findtext(k) == req[rid][k], (rid, k, e.findtext(k), req[rid][k])
    sroot = ET.parse(f"{d}/svc.{lang}.xml").getroot()
    assert sroot.tag == "services" and len(sroot.findall("service")) == len(svc)
    assert sroot.find("service/metadata").text == "false"
# the static endpoint: anonymous by default, one file per request, JSON and XML
pub = f"{d}/pub"
for f in ("services.json", "services.xml", "requests.json", "requests.xml"):
    assert os.path.isfile(f"{pub}/{f}"), f
allreq = json.load(open(f"{pub}/requests.json"))
assert len(allreq) == 3
for x in allreq:
    rid = x["service_request_id"]
    assert rid not in (r1, r2, r3) and rid.isdigit(), rid
    assert "description" not in x, x
    assert x["requested_datetime"][11:19] == "00:00:00", x
    one = json.load(open(f"{pub}/requests/{rid}.json"))
    assert one == [x], (one, x)
    ET.parse(f"{pub}/requests/{rid}.xml")
blob = open(f"{pub}/requests.json").read() + open(f"{pub}/requests.xml").read()
for secret in (r1, r2, r3, "Amina", "AB123456", "budget", "guichet", "HYPERLINK"):
    assert secret not in blob, secret
PY
echo "ok: open311 services and requests, JSON and XML, fr and ar, field by field; --dir anonymous"

# CSV for spreadsheet programs
$B export csv --excel >"$dir/x.csv" || fail "csv --excel"
head -c 3 "$dir/x.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "--excel: no byte order mark"
grep -q "^\"=\"\"$r1\"\"\"," "$dir/x.csv" || fail "--excel: reference not kept as text: $(sed -n 2p "$dir/x.csv")"
grep -q "\"=\"\"AB123456\"\"\"" "$dir/x.csv" || fail "--excel: ID number not kept as text"
grep -q "\"'=HYPERLINK" "$dir/x.csv" || fail "--excel: a formula in the text would run"
$B export csv >"$dir/plain.csv" || fail "csv"
head -c 3 "$dir/plain.csv" | od -An -tx1 | grep -q "ef bb bf" && fail "plain csv has a byte order mark"
grep -q "^$r1," "$dir/plain.csv" || fail "plain csv: reference"
echo "ok: csv --excel: BOM, =\"…\" for numbers kept as text, formulas neutralised"

# the filters of list
n() { sed 1d | wc -l | tr -d ' '; }
[ "$($B export csv --kind info | n)" = 1 ] || fail "--kind"
[ "$($B export csv --admin SANTE | n)" = 2 ] || fail "--admin"
[ "$($B export csv --overdue | n)" = 1 ] || fail "--overdue"
$B export csv --overdue | grep -q "^$r3," || fail "--overdue: not $r3"
[ "$($B export csv --state answered --anonymous | n)" = 1 ] || fail "--state"
[ "$($B export csv --site RABAT-IMMAT | n)" = 1 ] || fail "--site"
[ "$($B export csv --limit 2 | n)" = 2 ] || fail "--limit"
[ "$($B export open311 --kind complaint | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] || fail "open311 --kind"
$B export csv --kind nope >/dev/null 2>"$dir/err" && fail "--kind nope accepted"
grep -q "complaint, observation" "$dir/err" || fail "--kind nope: $(cat "$dir/err")"
$B export csv --lang ar >/dev/null 2>&1 && fail "csv --lang accepted"
$B export open311 --lang de >/dev/null 2>&1 && fail "--lang de accepted"
echo "ok: export takes the filters of list; bad options refused"
exit 0
