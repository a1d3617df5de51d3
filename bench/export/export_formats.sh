#!/usr/bin/env bash
# Export benchmark (issue 6): time and peak memory of `sitrep export` of
# 100,000 incidents in every format, three trials each, median reported.
#
#   bash bench/export/export_formats.sh [N]
#
# The database of N generated incidents (default 100000) is made once by the
# peers bench binary (`make-db`, the generator of benches/serve_load.rs) into
# bench/cache/serving/, shared with `bash bench/run.sh serving`. Results go
# to bench/results/export.md. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-100000}
db=bench/cache/serving/incidents_${count}.db
out=bench/results/export.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --release --bin sitrep >&2
if [ ! -s "$db" ]; then
  peers=$(cargo bench --bench peers --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "peers" and m.get("executable"):
        print(m["executable"])')
  mkdir -p "$(dirname "$db")"
  "$peers" make-db "$count" "$db"
fi

{
  echo "# Export of $count incidents"
  echo
  echo "\`bash bench/export/export_formats.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores,"
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM,"
  echo "sitrep $(git rev-parse --short HEAD). Median of 3 trials of \`sitrep export --layer incidents --format F\`"
  echo "(the whole process: open, query, write); peak memory is the process's maximum resident set."
  echo "CPU seconds (user + system) are the figure to trust when the machine is shared: wall time"
  echo "then includes waiting for the other core's load (the load average when this ran: $(cut -d' ' -f1 /proc/loadavg))."
  echo
  echo "| format | wall seconds | CPU seconds | peak memory (MB) | file size (MB) | target |"
  echo "|---|---|---|---|---|---|"
} >"$out"

for format in geojson fgb gpkg csv kml; do
  case $format in
    geojson | fgb) target="< 2 s" ;;
    gpkg) target="< 5 s" ;;
    *) target="-" ;;
  esac
  runs=()
  for trial in 1 2 3; do
    rm -f "$tmp/out.$format"
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" target/release/sitrep export --layer incidents \
      --format "$format" --status all --db "$db" -o "$tmp/out.$format" 2>/dev/null
    runs+=("$(cat "$tmp/time")")
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  read -r seconds kilobytes user system <<<"$median"
  megabytes=$(( kilobytes / 1024 ))
  cpu=$(python3 -c "print(f'{$user + $system:.2f}')")
  size=$(( $(stat -c %s "$tmp/out.$format") / 1048576 ))
  echo "| $format | $seconds | $cpu | $megabytes | $size | $target, memory < 300 MB |" >>"$out"
  echo "$format: ${seconds} s (cpu $cpu s), ${megabytes} MB" >&2
done
cat "$out"
