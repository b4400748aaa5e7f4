#!/usr/bin/env bash
# Times the whole job (release build, year-end report with last year's
# comparison, every output written) on generated inputs of N units, i.e.
# 2 x N workbooks (2014 and 2015), and reports wall time, processor time and
# peak memory: a cold run into an empty output folder, then a rerun after one
# unit sent a corrected workbook (the run compares with the previous one and
# writes changes.md). Inputs are generated once into target/bench/<N>/ by
# examples/bench_input.rs (fixed seed). The machine is shared and noisy:
# compare figures taken side by side, and read the CPU column.
#   scripts/bench.sh              # 100, 1,000 and 10,000 units
#   scripts/bench.sh 100 1000     # chosen sizes
#   RUNS=1 scripts/bench.sh 10000 # one run per size instead of the best of 3
#   TIMINGS=1 scripts/bench.sh    # also print --timings (each stage) per run
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "needs GNU time for peak memory: apt-get install time"; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
runs=${RUNS:-3}
cargo build --release --quiet --bin annual-report --example bench_input
bin=$PWD/target/release/annual-report
flags=(--quiet)
[ -z "${TIMINGS:-}" ] || flags+=(--timings)

# One run: prints "wall cpu peak_kb" (best wall of $runs, largest peak).
run() {
  local input=$1 output=$2 fresh=$3 best="" cpu="" rss=0
  for _ in $(seq "$runs"); do
    [ "$fresh" = fresh ] && rm -rf "$output"
    local out
    out=$( { /usr/bin/time -f '@@ %e %U %S %M' "$bin" 2015 --input "$input" --output "$output" "${flags[@]}"; } 2>&1 >/dev/null)
    grep -v '^@@' <<<"$out" >&2 || true
    read -r _ t u s m < <(grep '^@@' <<<"$out")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
      best=$t
      cpu=$(awk "BEGIN{printf \"%.2f\", $u + $s}")
    fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  echo "$best $cpu $rss"
}

printf '%-10s %-10s %-9s %-9s %-10s %-15s %s\n' units workbooks "wall (s)" "CPU (s)" "peak RSS" "ms/workbook" run
for n in "${sizes[@]}"; do
  dir=target/bench/$n
  [ -f "$dir/input/units.csv" ] && [ -f "$dir/corrected/B00000-更正.xlsx" ] ||
    target/release/examples/bench_input "$dir/input" "$n" >/dev/null
  books=$(find "$dir/input/2014" "$dir/input/2015" -name '*.xlsx' | wc -l)
  correction=$dir/input/2015/B00000-更正.xlsx
  rm -f "$correction"
  line() {
    read -r t c m <<<"$1"
    printf '%-10s %-10s %-9s %-9s %-10s %-15s %s\n' "$n" "$books" "$t" "$c" "$((m / 1024)) MiB" \
      "$(awk "BEGIN{printf \"%.3f\", $t * 1000 / $books}")" "$2"
  }
  line "$(run "$dir/input" "$dir/output" fresh)" "cold (best of $runs)"
  # The rerun: the previous run's folder is there; one unit sent a correction.
  rm -rf "$dir/output" && "$bin" 2015 --input "$dir/input" --output "$dir/output" --quiet
  cp "$dir/corrected/B00000-更正.xlsx" "$correction"
  line "$(runs=1 run "$dir/input" "$dir/output" again)" "rerun after one corrected workbook"
  rm -f "$correction"
done
