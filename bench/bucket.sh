#!/usr/bin/env bash
# Benchmark bucket against the physical limit of a pipe stage: `cat | cat` on the same file.
#
# Usage: bench/bucket.sh [ROWS]   (default 1000000 grade records, about 300 MB of JSONL)
# Environment: RUNS timed runs per command (default 5), alternating. Needs `make build`.
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Target (issue 23; DESIGN.md §4 had 70 %): bucket >= 80 % of cat | cat. After the timed runs,
# both bucket commands run once more into files, checked by bench/bucket_check.py (by score:
# byte-identical to a plain Python reading; by hash: each record plus its bucket, shares near the
# ratios); a difference fails the script (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

rows=${1:-1000000}
runs=${RUNS:-5}
bench_need_bin csv2jsonl bucket
bench_install_time
data=$(bench_grades_jsonl "$rows")
cat "$data" > /dev/null  # warm the page cache
size=$(stat -c %s "$data")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A commands=(
  [cat-cat]="cat '$data' | cat > /dev/null"
  [bucket-score]="cat '$data' | '$bin/bucket' --quiet --score grade --edges 2,4 --names low,mid,high > /dev/null"
  [bucket-hash]="cat '$data' | '$bin/bucket' --quiet --key challenge,model --ratios 80,10,10 --names train,validation,test > /dev/null"
)
order=(cat-cat bucket-score bucket-hash)
declare -A times rss cpu
for ((run = 1; run <= runs; run++)); do
  for name in "${order[@]}"; do
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" bash -c "${commands[$name]}"
    read -r seconds kb user system < "$work/time"
    cpu[$name]+="$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }') "
    times[$name]+="$seconds "
    (( kb > ${rss[$name]:-0} )) && rss[$name]=$kb
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
base=$(echo "${times[cat-cat]}" | median)
printf 'bucket benchmark: %s (%.1f MB, %d records), %d runs each, alternating\n' "$data" "$(echo "$size / 1000000" | bc -l)" "$rows" "$runs"
printf '%-14s %10s %10s %10s %14s\n' command "median s" "MB/s" "of cat|cat" "peak RSS MiB*"
for name in "${order[@]}"; do
  t=$(echo "${times[$name]}" | median)
  awk -v n="$name" -v t="$t" -v b="$base" -v s="$size" -v r="${rss[$name]}" 'BEGIN { printf "%-14s %10.3f %10.1f %9.0f%% %14.1f\n", n, t, s / 1e6 / t, 100 * b / t, r / 1024 }'
  command=${commands[$name]//"'$data'"/FILE}
  bench_emit tool="$name" command="${command//"'$bin/bucket'"/bucket}" input="$(basename "$data")" rows="$rows" bytes="$size" runs="$runs" \
    median_s="$t" cpu_s="$(echo "${cpu[$name]}" | median)" mb_per_s="$(awk -v s="$size" -v t="$t" 'BEGIN { printf "%.1f", s / 1e6 / t }')" \
    records_per_s="$(awk -v n="$rows" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" rss_mib="$(awk -v r="${rss[$name]}" 'BEGIN { printf "%.1f", r / 1024 }')" \
    percent_of_cat="$(awk -v t="$t" -v b="$base" 'BEGIN { printf "%.0f", 100 * b / t }')"
done
echo "* peak RSS of the largest process of the pipeline (/usr/bin/time on bash -c)"
for name in bucket-score bucket-hash; do
  t=$(echo "${times[$name]}" | median)
  line=$(awk -v n="$name" -v t="$t" -v b="$base" 'BEGIN { r = 100 * b / t; printf "target %s >= 80%% of cat|cat: %.0f%% %s\n", n, r, (r >= 80 ? "PASS" : "MISS") }')
  echo "$line"
  bench_emit target="$name >= 80% of cat | cat" measured="$(awk '{ print $(NF - 1) }' <<< "$line")" result="${line##* }"
done
# The outputs, checked (not timed).
cat "$data" | "$bin/bucket" --quiet --score grade --edges 2,4 --names low,mid,high > "$work/score.jsonl"
cat "$data" | "$bin/bucket" --quiet --key challenge,model --ratios 80,10,10 --names train,validation,test > "$work/hash.jsonl"
if check=$(python3 bench/bucket_check.py "$data" "$work/score.jsonl" "$work/hash.jsonl"); then
  echo "$check"
  bench_emit target="bucket output equals the reference" measured="OK, $rows records" result=PASS
else
  bench_emit target="bucket output equals the reference" measured="differs" result=MISS
  bench_die "the outputs differ from the reference (above)"
fi
