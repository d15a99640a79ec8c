#!/usr/bin/env bash
# Scaling: throughput and peak memory of csv2jsonl, consensus and bucket at growing input sizes,
# to show that cost grows linearly with the records and memory stays flat.
#
# Usage: bench/scaling.sh [SIZES]     (default "10000 100000 1000000 10000000" grade rows)
# Environment: RUNS        timed runs per tool and size up to 1 M rows (default 3)
#              LARGE_RUNS  timed runs above 1 M rows (default 1)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Inputs (made once in BENCH_DATA): grades-N.csv from bench/gen_grades.py (the same stream, so
# the smaller files are prefixes of the larger); above 1 M rows, N must be a multiple of 1 M and
# the file is grades-1000000.csv repeated (one header), so a 10 M-row file costs seconds, not
# minutes, to make (disk: about 2 GB of CSV and 3 GB of JSONL at 10 M). grades-N.jsonl is
# csv2jsonl's output. The repeated rows are the same graders grading the same items again:
# consensus keeps the latest grade of each, so its output is the 1 M-row one.
# Each tool reads the file itself and writes to /dev/null:
#   csv2jsonl grades-N.csv; consensus grades-N.jsonl;
#   bucket --key challenge,model --ratios 80,10,10 --names train,validation,test grades-N.jsonl.
# cpu ns/record = (user + system) / records: flat when the cost is linear, and much less
# sensitive to other work on the machine than the wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

sizes=${1:-10000 100000 1000000 10000000}
runs=${RUNS:-3}
large_runs=${LARGE_RUNS:-1}
for n in $sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "SIZES must be positive integers, not '$n'"
  ((n <= 1000000 || n % 1000000 == 0)) || bench_die "sizes above 1000000 must be multiples of 1000000, not $n"
done
[[ $runs =~ ^[1-9][0-9]*$ && $large_runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS and LARGE_RUNS must be positive integers"
bench_need_bin csv2jsonl consensus bucket
bench_install_time
bench_warn_load

# scaled_csv N: grades-N.csv, above 1 M rows by repeating grades-1000000.csv.
scaled_csv() {
  local n=$1 base file=$data_dir/grades-$1.csv i
  if ((n > 1000000)) && [[ ! -f $file ]]; then
    base=$(bench_grades_csv 1000000)
    echo "making $file ($((n / 1000000)) x $base)..." >&2
    {
      cat "$base"
      for ((i = 1; i < n / 1000000; i++)); do tail -n +2 "$base"; done
    } > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  bench_grades_csv "$n"
}

targets=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "scaling benchmark: median of $runs runs per tool and size ($large_runs above 1 M rows)"
row() { printf '%-10s %10s %10s %10s %8s %13s %10s %13s\n' "$@"; }
row tool records "median s" "cpu s" "MB/s" "records/s" "peak MiB" "cpu ns/record"
for n in $sizes; do
  csv=$(scaled_csv "$n")
  jsonl=$(bench_grades_jsonl "$n")
  count=$n
  r=$runs
  ((n <= 1000000)) || r=$large_runs
  for tool in csv2jsonl consensus bucket; do
    case $tool in
      csv2jsonl) input=$csv command=("$bin/csv2jsonl" --quiet "$csv") ;;
      consensus) input=$jsonl command=("$bin/consensus" --quiet "$jsonl") ;;
      bucket) input=$jsonl command=("$bin/bucket" --quiet --key challenge,model --ratios 80,10,10 --names train,validation,test "$jsonl") ;;
    esac
    cat "$input" > /dev/null # warm the page cache (at 10 M rows it may not all fit)
    rm -f "$work/$tool-$n"
    for ((run = 1; run <= r; run++)); do bench_time "$work/$tool-$n" "${command[@]}"; done
    read -r median rss cpu < <(bench_summary "$work/$tool-$n")
    bytes=$(stat -c %s "$input")
    read -r speed rate per_record < <(awk -v b="$bytes" -v n="$count" -v t="$median" -v c="$cpu" \
      'BEGIN { t = t > 0.01 ? t : 0.01; printf "%.1f %.0f %.0f\n", b / 1e6 / t, n / t, c * 1e9 / n }')
    row "$tool" "$count" "$median" "$cpu" "$speed" "$rate" "$rss" "$per_record"
    bench_emit tool="$tool" input="$(basename "$input")" rows="$count" bytes="$bytes" runs="$r" median_s="$median" \
      cpu_s="$cpu" mb_per_s="$speed" records_per_s="$rate" rss_mib="$rss" cpu_ns_per_record="$per_record"
    if ((n >= 1000000)) && [[ $tool != consensus ]]; then # the streaming tools: DESIGN.md §4
      result=$(awk -v r="$rss" 'BEGIN { print (r <= 64) ? "PASS" : "MISS" }')
      targets+=("$tool, $count rows: peak RSS <= 64 MiB|$rss MiB|$result")
    fi
  done
done
for line in "${targets[@]}"; do
  IFS='|' read -r label measured result <<< "$line"
  printf 'target %s: %s %s\n' "$label" "$measured" "$result"
  bench_emit target="$label" measured="$measured" result="$result"
done
echo "timer resolution is 10 ms: at 10 k rows the figures are dominated by it and by start-up"
