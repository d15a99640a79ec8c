#!/usr/bin/env bash
# Memory growth of the two grouping tools with the number of items (DESIGN.md §1: they hold
# per-group state; memory must grow with the items, not with the records).
#
# Usage: bench/memory.sh [ITEMS]     (default "10000 100000 1000000" items)
# Environment: ROWS  grade records of the consensus inputs (default 1000000)
#              RUNS  timed runs per tool and input (default 3)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Inputs (made once in BENCH_DATA):
#   consensus: grades-ROWS-itemsN.jsonl, ROWS grade records whose (challenge, model) is drawn from
#     N items (bench/gen_grades.py --items N, then csv2jsonl; the same files bench/consensus.sh
#     makes with ITEMS). With N = ROWS most items have one or two grades.
#   pairup: items-N-G.jsonl, N item records in G = N / 10 groups with a response text each
#     (bench/gen_items.py; the 1 M file is bench/pairup.sh's default input); pairup best-vs-rest.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

item_counts=${1:-10000 100000 1000000}
rows=${ROWS:-1000000}
runs=${RUNS:-3}
for n in $item_counts $rows; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "ITEMS and ROWS must be positive integers, not '$n'"
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"
bench_need_bin csv2jsonl consensus pairup
bench_install_time
bench_warn_load

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in $item_counts; do
  file=$data_dir/grades-$rows-items$n.jsonl
  if [[ ! -f $file ]]; then
    echo "generating $file ($rows rows, $n items)..." >&2
    python3 bench/gen_grades.py --rows "$rows" --items "$n" -o "$work/items.csv"
    "$bin/csv2jsonl" --quiet -o "$file" "$work/items.csv"
    rm -f "$work/items.csv"
  fi
  groups=$(((n + 9) / 10))
  file=$data_dir/items-$n-$groups.jsonl
  if [[ ! -f $file ]]; then
    echo "generating $file ($n items in $groups groups)..." >&2
    python3 bench/gen_items.py --items "$n" --groups "$groups" -o "$file"
  fi
done

echo "memory growth with items: consensus on $rows grade records, pairup on the items themselves; median of $runs runs"
row() { printf '%-10s %9s %10s %10s %10s %12s %12s\n' "$@"; }
row tool items records "median s" "cpu s" "peak MiB" "outputs"
export SOURCE_DATE_EPOCH=0
for tool in consensus pairup; do
  for n in $item_counts; do
    if [[ $tool == consensus ]]; then
      input=$data_dir/grades-$rows-items$n.jsonl records=$rows
      command=("$bin/consensus" --quiet -o "$work/out" "$input")
    else
      input=$data_dir/items-$n-$(((n + 9) / 10)).jsonl records=$n
      command=("$bin/pairup" --quiet -o "$work/out" "$input")
    fi
    cat "$input" > /dev/null # warm the page cache
    rm -f "$work/$tool-$n"
    for ((run = 1; run <= runs; run++)); do bench_time "$work/$tool-$n" "${command[@]}"; done
    read -r median rss cpu < <(bench_summary "$work/$tool-$n")
    outputs=$(wc -l < "$work/out")
    row "$tool" "$n" "$records" "$median" "$cpu" "$rss" "$outputs"
    bench_emit tool="$tool" items="$n" input="$(basename "$input")" rows="$records" bytes="$(stat -c %s "$input")" \
      runs="$runs" median_s="$median" cpu_s="$cpu" rss_mib="$rss" outputs="$outputs"
  done
done
if ((rows == 1000000)) && [[ " $item_counts " == *" 10000 "* ]]; then # the consensus issue's target
  read -r _ rss _ < <(bench_summary "$work/consensus-10000")
  result=$(awk -v r="$rss" 'BEGIN { print (r < 64) ? "PASS" : "MISS" }')
  echo "target consensus, 1000000 grades of 10000 items: peak RSS < 64 MiB: $rss MiB $result"
  bench_emit target="consensus, 1000000 grades of 10000 items: peak RSS < 64 MiB" measured="$rss MiB" result="$result"
fi
echo "outputs: item records (consensus) or pairs (pairup) written"
