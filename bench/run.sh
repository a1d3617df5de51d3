#!/usr/bin/env bash
# Side-by-side benchmarks of issue 9. One command per benchmark, from the
# repository root:
#
#   bash bench/run.sh geoparsing   # sitrep vs geotext, flashgeotext (GWN, LGL)
#   bash bench/run.sh gazetteer    # sitrep search vs SQLite FTS5 (cities500)
#   bash bench/run.sh serving      # sitrep vs pygeoapi, 100,000 incidents, wrk
#   bash bench/run.sh scaling      # curves: text size, gazetteer size, incidents
#   bash bench/run.sh report       # only rewrite BENCHMARKS.md from bench/results
#   bash bench/run.sh all
#
# Each writes bench/results/<name>.json (and plots), then BENCHMARKS.md is
# regenerated from every result present. Python packages (pinned in
# bench/requirements.txt) go into the git-ignored venv bench/cache/venv,
# made with Debian's python3 (its sqlite3 can load extensions, which
# pygeoapi's GeoPackage provider needs). Not run in CI: far too slow.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
case "$what" in
  geoparsing|gazetteer|serving|scaling|report|all) ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac

venv=bench/cache/venv
python_for_venv=/usr/bin/python3
[ -x "$python_for_venv" ] || python_for_venv=$(command -v python3)
if [ ! -x "$venv/bin/python" ] || ! cmp -s bench/requirements.txt "$venv/requirements.txt"; then
  echo "== setting up $venv" >&2
  rm -rf "$venv"
  "$python_for_venv" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r bench/requirements.txt
  cp bench/requirements.txt "$venv/requirements.txt"
fi
py="$venv/bin/python"

if [ "$what" = serving ] || [ "$what" = all ]; then
  for tool in wrk sqlite3; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool"; }
  done
  [ -e /usr/lib/x86_64-linux-gnu/mod_spatialite.so ] || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-mod-spatialite; }
fi

if [ "$what" != report ]; then
  echo "== building (cargo build --release --bin sitrep; cargo bench --bench peers --no-run)" >&2
  cargo build --release --bin sitrep >&2
  export SITREP_BIN="$PWD/target/release/sitrep"
  SITREP_PEERS_BIN=$(cargo bench --bench peers --no-run --message-format=json 2>/dev/null \
    | "$py" -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "peers" and m.get("executable"):
        print(m["executable"])')
  export SITREP_PEERS_BIN
  "$py" bench/gazetteer/make_cities500.py bench/cache
fi

run() {
  echo "== $1" >&2
  case "$1" in
    geoparsing) "$py" bench/geoparsing/geotext_compare.py --trials "${BENCH_TRIALS:-3}" ;;
    gazetteer) "$py" bench/gazetteer/fts5_compare.py ;;
    serving) "$py" bench/serving/serve_compare.py ;;
    scaling) "$py" bench/scaling/scaling.py ;;
  esac
}

if [ "$what" = all ]; then
  for name in geoparsing gazetteer serving scaling; do run "$name"; done
elif [ "$what" != report ]; then
  run "$what"
fi
"$py" bench/report.py
