#!/usr/bin/env bash
# Benchmark pairup on generated item records (consensus output shape).
#
# Usage: bench/pairup.sh [ITEMS] [GROUPS]   (default 1000000 items in 100000 groups)
# Environment: RUNS timed runs (default 3). Needs a Release build (make build).
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Reports median wall time, items/s, MB/s in and out, pairs written and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

items=${1:-1000000}
groups=${2:-100000}
runs=${RUNS:-3}
tool=$bin/pairup
data=$data_dir/items-${items}-${groups}.jsonl

bench_need_bin pairup
bench_install_time
if [[ ! -f $data ]]; then
  echo "generating $data ($items items in $groups groups)..." >&2
  python3 bench/gen_items.py --items "$items" --groups "$groups" -o "$data"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$data" > /dev/null  # warm the page cache

size_in=$(stat -c %s "$data")
times=() cpus=()
peak=0
for ((run = 1; run <= runs; run++)); do
  SOURCE_DATE_EPOCH=0 /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$tool" --quiet "$data" > "$work/pairs.jsonl"
  read -r seconds rss_kb user system < "$work/time"
  cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
  times+=("$seconds")
  (( rss_kb > peak )) && peak=$rss_kb
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
pairs=$(wc -l < "$work/pairs.jsonl")
size_out=$(stat -c %s "$work/pairs.jsonl")
awk -v items="$items" -v groups="$groups" -v t="$median" -v in_b="$size_in" -v out_b="$size_out" -v pairs="$pairs" -v rss="$peak" -v runs="$runs" 'BEGIN {
  printf "pairup benchmark: %d items in %d groups (%.1f MB), best-vs-rest, texts from the items, %d runs\n", items, groups, in_b / 1e6, runs
  printf "median wall %.2f s  %.0f items/s  %.1f MB/s in  %d pairs (%.1f MB) out  peak RSS %.1f MiB\n", t, items / t, in_b / 1e6 / t, pairs, out_b / 1e6, rss / 1024
}'
cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
bench_emit tool=pairup input="$(basename "$data")" rows="$items" groups="$groups" bytes="$size_in" runs="$runs" median_s="$median" \
  cpu_s="$cpu" records_per_s="$(awk -v n="$items" -v t="$median" 'BEGIN { printf "%.0f", n / t }')" \
  mb_per_s="$(awk -v b="$size_in" -v t="$median" 'BEGIN { printf "%.1f", b / 1e6 / t }')" rss_mib="$(awk -v r="$peak" 'BEGIN { printf "%.1f", r / 1024 }')" outputs="$pairs"
