#!/usr/bin/env bash
# The long reliability runs of issue #9: 8 editors on 20 places for 60 s
# (no lost update) and 50 connections of mixed reads and writes for 2
# minutes (no errors but intended 412s, p99 printed, memory flat). The test
# suite runs the same tests for 5 s and 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
SITREP_LONG=1 cargo test --release --test reliability_concurrency -- --nocapture --test-threads=1
