#!/usr/bin/env bash
# Runs every fuzz target for a while (default 60 s each) with cargo-fuzz on
# the nightly toolchain, starting from the seed corpus in fuzz/corpus/.
# Inputs over 1 s count as failures (-timeout=1). New crashes land in
# fuzz/artifacts/<target>/.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs: rustup toolchain install nightly; cargo install cargo-fuzz.
# Without them, `cargo test --release --test fuzz_corpus` replays the corpus
# through the same harnesses on stable.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(geonames_line import_geojson import_csv geoparse layer_filter write_bodies)
fi
for target in "${targets[@]}"; do
  echo "== $target for ${seconds}s"
  mkdir -p "corpus/$target"
  # a copy of the corpus receives the new inputs; the seeds in git stay small
  mkdir -p "work/$target"
  cp -n corpus/"$target"/* "work/$target/" 2>/dev/null || true
  cargo +nightly fuzz run "$target" "work/$target" -- \
    -max_total_time="$seconds" -timeout=1 -rss_limit_mb=4096 -max_len=65536
done
