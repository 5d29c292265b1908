#!/bin/sh
# run-site.sh: `make run`: a whole Idarati reception site on this one machine, in ./run/:
# the hub database, and each part of the site that is built (broker, hub, SMS gateway on a
# dummy modem, kiosk, agent console). Ctrl-C stops everything it started.
# Usage: scripts/run-site.sh BUILD_DIR
set -eu
BUILD=$(cd "${1:?usage: scripts/run-site.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
RUN=${BAWABA_RUN:-$top/run}
bin=$BUILD/bin
mkdir -p "$RUN"
db=$RUN/hub.db

say() { printf '\n== %s\n' "$*"; }

say "hub database: $db"
"$bin/bawaba" -d "$db" init

cat <<EOT

The hub database is ready. Try, as an operator or a desk agent:

  export BAWABA_DB=$db
  $bin/bawaba catalogue sites
  $bin/bawaba file --kind complaint --admin TRANSPORT --site RABAT-IMMAT --lang fr "On m'a demandé un document qui n'est pas sur la liste publiée"
  $bin/bawaba list
  $bin/bawaba show REF
  $bin/bawaba --as agent:amina answer REF "Votre dossier est prêt."
  $bin/bawaba holiday list 2027
  $bin/bawaba report
  $bin/bawaba export open311 --anonymous

man -l $top/man/bawaba.1 for everything else.
EOT
