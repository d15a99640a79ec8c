#!/usr/bin/env bash
# Benchmark jsonl2csv against Miller (`mlr --ijsonl --ocsv cat`) on the same grade records, and
# check that both write the same bytes (issue 23).
#
# Usage: bench/jsonl2csv.sh [ROWS]   (default 1000000 grade records, ~250 MB of JSONL)
# Environment: RUNS      timed runs per command (default 3), alternating
#              STRICT=1  exit 1 when a target is missed (default: report only; outputs that differ
#                        always fail)
#              BENCH_INSTALL=0  never install Miller; without it exit 77 (skipped), as ctest's
#                        quick mode wants
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Input, made once in BENCH_DATA: grades-ROWS-nonull.jsonl, the grade records of
# bench_grades_jsonl (csv2jsonl of bench/gen_grades.py's CSV) with every null written as "".
# Why: Miller writes a JSON null as the text `null` where jsonl2csv writes an empty cell; on
# everything else these records hold (strings with commas, quotes and UTF-8, integers) the two
# agree byte for byte, so the outputs are compared with cmp, unnormalised.
# Target (issue 23): jsonl2csv >= 5x Miller (median wall time, same run).
# Quick check of the script (what ctest bench/jsonl2csv-quick runs; exit 77 when the peer is missing):
#   BENCH_INSTALL=0 RUNS=1 bench/jsonl2csv.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_TIMES_MILLER=5

rows=${1:-1000000}
runs=${RUNS:-3}
strict=${STRICT:-0}
[[ $rows =~ ^[1-9][0-9]*$ ]] || bench_die "ROWS must be a positive integer, not '$rows'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"
bench_need_bin jsonl2csv csv2jsonl
bench_install_time
mlr=$(bench_miller) || bench_no_peer "Miller (mlr, Debian package 'miller') is not installed"

data=$data_dir/grades-${rows}-nonull.jsonl
if [[ ! -f $data ]]; then
  source_jsonl=$(bench_grades_jsonl "$rows")
  echo "writing $data (nulls as \"\")..." >&2
  # csv2jsonl writes null only as a whole value (":null," or ":null}"); a string holding that text
  # would show it as \":null, and stays a valid string either way.
  sed -e 's/":null,/":"",/g' -e 's/":null}/":""}/g' "$source_jsonl" > "$data.tmp"
  mv "$data.tmp" "$data"
fi
bench_begin "$data"

declare -A commands=(
  [jsonl2csv]="'$bin/jsonl2csv' --quiet '$data' > '$work/jsonl2csv.csv'"
  [miller]="'$mlr' --ijsonl --ocsv cat '$data' > '$work/miller.csv'"
)
order=(jsonl2csv miller)
bench_alternate "$runs" "$work" "${order[@]}"

printf 'jsonl2csv benchmark: %s (%.1f MB, %d records), %d runs each, alternating\n' \
  "$data" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$rows" "$runs"
bench_table "$rows" "$size" "$data" "$work" "${order[@]}"

bench_against_peer jsonl2csv miller "$work/jsonl2csv.csv" "$work/miller.csv" Miller "$TARGET_TIMES_MILLER"
if [[ $strict == 1 ]] && ((bench_missed > 0)); then
  exit 1
fi
