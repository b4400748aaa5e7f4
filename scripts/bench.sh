#!/usr/bin/env bash
# Times the whole job (release build, year-end report with last year's
# comparison) on generated inputs of 100, 1,000 and 10,000 workbooks per
# year, and reports peak memory. Inputs are generated once into
# target/bench/<N>/ by examples/bench_input.rs (fixed seed).
#   scripts/bench.sh            # all sizes
#   scripts/bench.sh 100 1000   # chosen sizes
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "needs GNU time for peak memory: apt-get install time"; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
cargo build --release --quiet --bin annual-report --example bench_input
bin=target/release/annual-report
printf '%-8s %-10s %-12s %-10s\n' workbooks "wall (s)" "peak RSS" "runs"
for n in "${sizes[@]}"; do
  dir=target/bench/$n
  [ -f "$dir/input/units.csv" ] || target/release/examples/bench_input "$dir/input" "$n" >/dev/null
  runs=3
  best=""
  rss=""
  for _ in $(seq $runs); do
    out=$( { /usr/bin/time -f '%e %M' "$bin" 2015 --input "$dir/input" --output "$dir/output" --quiet; } 2>&1 >/dev/null | tail -1)
    t=${out% *}; m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    if [ -z "$rss" ] || [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  printf '%-8s %-10s %-12s %-10s\n' "$n" "$best" "$((rss / 1024)) MiB" "best of $runs"
done
