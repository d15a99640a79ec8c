#!/usr/bin/env bash
# Benchmark the whole pipeline `csv2jsonl | consensus | pairup` against a straightforward pandas
# script producing the same pairs (bench/pipeline_pandas.py), and check the two outputs are equal.
#
# Usage: bench/pipeline.sh [ROWS]        (default ROWS=1000000 grade rows, ~196 MB of CSV)
# Environment: RUNS     timed runs per command (default 5), alternating
#              STRICT=1 exit 1 when the target is missed or the outputs differ (default: report only)
#              BIN, BENCH_DATA, BENCH_RESULTS, PYTHON: see bench/lib.bash
# Inputs (made once in BENCH_DATA): grades-ROWS.csv (bench/gen_grades.py), and the texts of its
# 782 items, responses.jsonl and prompts.jsonl (bench/gen_texts.py).
# Both sides run with SOURCE_DATE_EPOCH=0, so generated_at is the same; the check compares every
# field of every pair (numbers to within 1e-9) with bench/compare_jsonl.py.
# Target (DESIGN.md §4): the pipeline >= 10x the pandas script.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_TIMES_PANDAS=10
rows=${1:-1000000}
runs=${RUNS:-5}
strict=${STRICT:-0}
[[ $rows =~ ^[1-9][0-9]*$ ]] || bench_die "ROWS must be a positive integer, not '$rows'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"

bench_need_bin csv2jsonl consensus pairup
bench_install_time
have_pandas=1
python=$(bench_pandas_python) || have_pandas=0
bench_warn_load

csv=$(bench_grades_csv "$rows")
responses=$data_dir/responses.jsonl
prompts=$data_dir/prompts.jsonl
[[ -f $responses && -f $prompts ]] || python3 bench/gen_texts.py --responses "$responses" --prompts "$prompts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$csv" > /dev/null # warm the page cache

export SOURCE_DATE_EPOCH=0
ours="'$bin/csv2jsonl' --quiet '$csv' | '$bin/consensus' --quiet | '$bin/pairup' --quiet --responses '$responses' --prompts '$prompts'"
theirs="'$python' bench/pipeline_pandas.py '$csv' --responses '$responses' --prompts '$prompts'"
for ((run = 1; run <= runs; run++)); do
  bench_time "$work/ours" bash -o pipefail -c "$ours > '$work/ours.jsonl'"
  if ((have_pandas)); then bench_time "$work/pandas" bash -c "$theirs > '$work/pandas.jsonl'"; fi
done

bytes=$(stat -c %s "$csv")
read -r median rss cpu < <(bench_summary "$work/ours")
pairs=$(wc -l < "$work/ours.jsonl")
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / (t > 0.01 ? t : 0.01) }'; }
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { printf "%.1f", b / 1e6 / (t > 0.01 ? t : 0.01) }'; }
echo "pipeline benchmark: $csv ($(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $rows rows) to pairs; $runs runs each, alternating"
row() { printf '%-38s %10s %9s %12s %8s %13s %8s\n' "$@"; }
row command "median s" "cpu s" "rows/s" "MB/s" "peak RSS MiB*" pairs
row "csv2jsonl | consensus | pairup" "$median" "$cpu" "$(rate "$rows" "$median")" "$(mbs "$median")" "$rss" "$pairs"
bench_emit tool=prefline-pipeline input="$(basename "$csv")" rows="$rows" bytes="$bytes" runs="$runs" \
  median_s="$median" cpu_s="$cpu" records_per_s="$(rate "$rows" "$median")" mb_per_s="$(mbs "$median")" rss_mib="$rss" outputs="$pairs"
ratio=
if ((have_pandas)); then
  read -r p_median p_rss p_cpu < <(bench_summary "$work/pandas")
  row "pipeline_pandas.py" "$p_median" "$p_cpu" "$(rate "$rows" "$p_median")" "$(mbs "$p_median")" "$p_rss" "$(wc -l < "$work/pandas.jsonl")"
  ratio=$(awk -v p="$p_median" -v o="$median" 'BEGIN { printf "%.1f", p / (o > 0.01 ? o : 0.01) }')
  cpu_ratio=$(awk -v p="$p_cpu" -v o="$cpu" 'BEGIN { printf "%.1f", p / (o > 0.01 ? o : 0.01) }')
  bench_emit tool=pandas input="$(basename "$csv")" rows="$rows" bytes="$bytes" runs="$runs" median_s="$p_median" \
    cpu_s="$p_cpu" records_per_s="$(rate "$rows" "$p_median")" mb_per_s="$(mbs "$p_median")" rss_mib="$p_rss" \
    outputs="$(wc -l < "$work/pandas.jsonl")"
  echo "* the largest process of each command; cpu s: user + system of all its processes"
  echo "speedup (pandas wall / pipeline wall): ${ratio}x; in cpu time: ${cpu_ratio}x"
else
  echo "skipped: pandas not available (no python3 with pandas, and installing python3-pandas was not possible)"
fi

failed=0
if ((have_pandas)); then
  if check=$(python3 bench/compare_jsonl.py "$work/ours.jsonl" "$work/pandas.jsonl" --names prefline,pandas); then
    equal=1
  else
    equal=0
    failed=1
  fi
  echo "$check"
  summary_line=$(head -n 1 <<< "$check")
  summary_line=${summary_line#*prefline: }
  bench_emit target="pipeline output equals pipeline_pandas.py output" measured="${summary_line%% (*}" \
    result="$( ((equal)) && echo PASS || echo MISS)"
  result=$(awk -v r="$ratio" -v t="$TARGET_TIMES_PANDAS" 'BEGIN { print (r >= t) ? "PASS" : "MISS" }')
  [[ $result == PASS ]] || failed=1
  printf 'target csv2jsonl | consensus | pairup >= %dx pandas: %sx %s\n' "$TARGET_TIMES_PANDAS" "$ratio" "$result"
  bench_emit target="csv2jsonl | consensus | pairup >= ${TARGET_TIMES_PANDAS}x pandas" measured="${ratio}x" result="$result"
else
  bench_emit target="csv2jsonl | consensus | pairup >= ${TARGET_TIMES_PANDAS}x pandas" measured="n/a (pandas not installed)" result=SKIPPED
fi
[[ $rows -eq 1000000 ]] || echo "note: the targets are stated for 1000000 rows, this run has $rows"
if [[ $strict == 1 ]] && ((failed)); then exit 1; fi
exit 0
