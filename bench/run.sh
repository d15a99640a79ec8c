#!/usr/bin/env bash
# Run every benchmark of bench/ (what `make bench` does), collect the figures into
# bench/results.json and regenerate the figures of docs/PERFORMANCE.md and docs/performance.svg.
#
# Usage: bench/run.sh
# Environment (defaults are the full run, about 30 minutes on 2 cores with the build, 25 of them the steps; smaller values give
# a quick check of the whole chain, e.g. ROWS=100000 SIZES="10000 100000" ITEM_COUNTS="1000 10000"
# DUEL_AGGREGATE_TURNS=100000 CSVKIT_ROWS=10000 REPORT_TURNS=20000):
#   ROWS                  grade rows of the main inputs (default 1000000)
#   RUNS                  timed runs of each command (default 3; the median is reported)
#   SIZES                 bench/scaling.sh sizes in input records (default "10000 100000 1000000 10000000")
#   SCALING_TOOLS         the tools bench/scaling.sh measures (default all: csv2jsonl consensus bucket
#                         jsonl2csv pairup duel-judge report export balance votes turns);
#                         SCALING_MAX_MB, SCALING_MIN_FREE_GB: see it
#   ITEM_COUNTS           bench/memory.sh item counts (default "10000 100000 1000000")
#   CSVKIT_ROWS           rows of the csvjson comparison (default 100000)
#   DUEL_TURNS, DUEL_AGGREGATE_TURNS   bench/duel.sh's arguments (default 6400 and 1000000)
#   GENERATE_CALLS, GENERATE_CACHED    bench/generate.sh's arguments (default 20000 and 1000000)
#   RESULTS               the results file (default bench/results.json)
#   TURNS_MEGABYTES       bench/turns.sh's trajectories in MB (default 2000)
#   LABEL_POSTS, LABEL_ITEMS   bench/label.sh's arguments: grades posted a run (default 10000) and
#                         the large item set (default 100000); PREFILLS and SHEET_POSTS: see it
#   EXPORT_PAIRS          bench/export.sh's pair records (default ROWS / 10)
#   BALANCE_ROWS, REPORT_TURNS   bench/balance.sh's candidates and bench/report.sh's judged turns
#                         (default ROWS each; REPORT_PEER_RUNS: the pandas runs of the latter,
#                         default 1, ~4 minutes of wall time at 1 M turns)
#   DOCS=0                do not regenerate docs/PERFORMANCE.md and docs/performance.svg
#   BIN, BENCH_DATA       see bench/lib.bash
# Each script prints its own tables and targets as it goes; a script that fails stops the run
# (exit 1) and leaves the previous results and docs as they were.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_NAME=run
source bench/lib.bash

rows=${ROWS:-1000000}
export RUNS=${RUNS:-3}
sizes=${SIZES:-10000 100000 1000000 10000000}
item_counts=${ITEM_COUNTS:-10000 100000 1000000}
export CSVKIT_ROWS=${CSVKIT_ROWS:-100000}
duel_turns=${DUEL_TURNS:-6400}
duel_aggregate_turns=${DUEL_AGGREGATE_TURNS:-1000000}
generate_calls=${GENERATE_CALLS:-20000}
generate_cached=${GENERATE_CACHED:-1000000}
results=${RESULTS:-bench/results.json}
docs=${DOCS:-1}
export BIN=$bin BENCH_DATA=$data_dir

bench_need_bin csv2jsonl consensus pairup bucket duel-judge generate votes label jsonl2csv export balance report
bench_install_time
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BENCH_RESULTS=$work/records.jsonl
: > "$BENCH_RESULTS"

# step NAME COMMAND...: runs one benchmark script, its output also kept in $work/NAME.log, and
# records its wall and CPU time (user + system of the script and all it ran).
step() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  if ! /usr/bin/time -f '%e %U %S' -o "$work/$name.time" "$@" 2>&1 | tee "$work/$name.log"; then
    echo "bench/run.sh: step '$name' failed: $*" >&2
    exit 1
  fi
  read -r wall user system < "$work/$name.time"
  BENCH_NAME=run bench_emit step="$name" command="$*" wall_s="$wall" cpu_s="$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')"
}

start=$(date +%s)
step csv2jsonl env BENCH_NAME=csv2jsonl bench/csv2jsonl.sh "$rows"
step consensus env BENCH_NAME=consensus ITEMS= bench/consensus.sh "$rows"
step pipeline env BENCH_NAME=pipeline bench/pipeline.sh "$rows"
step pairup env BENCH_NAME=pairup bench/pairup.sh "$rows" "$(((rows + 9) / 10))"
step bucket env BENCH_NAME=bucket bench/bucket.sh "$rows"
step memory env BENCH_NAME=memory ROWS="$rows" bench/memory.sh "$item_counts"
step scaling env BENCH_NAME=scaling bench/scaling.sh "$sizes"
step duel env DUEL_JUDGE="$bin/duel-judge" bench/duel.sh "$duel_turns" "$duel_aggregate_turns"
step generate env BENCH_NAME=generate bench/generate.sh "$generate_calls" "$generate_cached"
step votes env BENCH_NAME=votes bench/votes.sh "$rows"
step turns env BENCH_NAME=turns bench/turns.sh "${TURNS_MEGABYTES:-2000}"
step label env BENCH_NAME=label bench/label.sh "${LABEL_POSTS:-10000}" "${LABEL_ITEMS:-100000}"
step jsonl2csv env BENCH_NAME=jsonl2csv bench/jsonl2csv.sh "$rows"
step export env BENCH_NAME=export bench/export.sh "${EXPORT_PAIRS:-$(((rows + 9) / 10))}"
step balance env BENCH_NAME=balance bench/balance.sh "${BALANCE_ROWS:-$rows}"
step report env BENCH_NAME=report PEER_RUNS="${REPORT_PEER_RUNS:-1}" bench/report.sh "${REPORT_TURNS:-$rows}"

settings=$(printf '{"rows":%s,"runs":%s,"sizes":"%s","item_counts":"%s","csvkit_rows":%s,"duel_turns":%s,"duel_aggregate_turns":%s,"wall_s":%s}' \
  "$rows" "$RUNS" "$sizes" "$item_counts" "$CSVKIT_ROWS" "$duel_turns" "$duel_aggregate_turns" "$(($(date +%s) - start))")
python3 bench/collect.py --records "$BENCH_RESULTS" --duel-log "$work/duel.log" --bin "$bin" --settings "$settings" -o "$results"
echo
echo "results: $results"
if [[ $docs == 1 ]]; then
  python3 bench/report.py "$results" docs/PERFORMANCE.md
  python3 bench/plot.py "$results" docs/performance.svg
  echo "regenerated: docs/PERFORMANCE.md (figures), docs/performance.svg"
fi
