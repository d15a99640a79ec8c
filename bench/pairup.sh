#!/usr/bin/env bash
# Benchmark pairup on generated item records (consensus output shape).
#
# Usage: bench/pairup.sh [ITEMS] [GROUPS]   (default 1000000 items in 100000 groups)
# Environment: RUNS timed runs (default 3). Needs a Release build (make build).
# Reports median wall time, items/s, MB/s in and out, pairs written and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

items=${1:-1000000}
groups=${2:-100000}
runs=${RUNS:-3}
tool=build/bin/pairup
data=bench/data/items-${items}-${groups}.jsonl

[[ -x $tool ]] || { echo "bench/pairup.sh: $tool not found: run 'make build' first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || scripts/install-deps time
mkdir -p bench/data
if [[ ! -f $data ]]; then
  echo "generating $data ($items items in $groups groups)..." >&2
  python3 bench/gen_items.py --items "$items" --groups "$groups" -o "$data"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$data" > /dev/null  # warm the page cache

size_in=$(stat -c %s "$data")
times=()
peak=0
for ((run = 1; run <= runs; run++)); do
  SOURCE_DATE_EPOCH=0 /usr/bin/time -f '%e %M' -o "$work/time" "$tool" --quiet "$data" > "$work/pairs.jsonl"
  read -r seconds rss_kb < "$work/time"
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
