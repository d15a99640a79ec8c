#!/usr/bin/env bash
# Benchmark report on judged turns against a pandas script computing the same tables
# (bench/report_pandas.py), and check that every figure of those tables agrees (issue 23).
#
# Usage: bench/report.sh [TURNS]   (default 1000000 judged turns, ~1.7 GB of JSONL)
# Environment: RUNS       timed runs of report (default 3)
#              PEER_RUNS  timed runs of the pandas script (default 1: ~0.15 ms of CPU a turn
#                         here, over 4 minutes of wall time for the 1 M turns on a loaded machine)
#              STRICT=1   exit 1 when a target is missed (default: report only; figures that
#                         disagree always fail)
#              BENCH_INSTALL=0  never install pandas; without it exit 77 (skipped), as ctest's
#                         quick mode wants
#              PYTHON     the Python that runs the peer (default: bench_pandas_python)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Input, made once in BENCH_DATA: report-turns-TURNS.jsonl, duel-judge's output (aggregate-only)
# on duel-judged-TURNS.jsonl (tests/duel/gen_turns.py --short, 2 judges in both orders: the
# input bench/duel.sh makes, reused when it is there), routed by bucket --score duel.score
# --edges 66,80 --names defeat,refined,final: about 1.7 KB a turn, judgements included.
# Both compute the tables of `report --edges 66,80 --id instance_id,turn` (totals, score and
# delta statistics, buckets, the score histogram, per-metric and per-judge statistics, the 20
# highest-scoring turns); bench/compare_tables.py compares every cell.
# Targets (issue 23): report >= 5x the pandas script (median wall time, same run); report's peak
# RSS <= 64 MiB.
# Quick check of the script (what ctest bench/report-quick runs; exit 77 when the peer is missing):
#   BENCH_INSTALL=0 RUNS=1 bench/report.sh 5000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_TIMES_PANDAS=5 TARGET_RSS_MIB=64

turns=${1:-1000000}
runs=${RUNS:-3}
peer_runs=${PEER_RUNS:-1}
strict=${STRICT:-0}
[[ $turns =~ ^[1-9][0-9]*$ ]] || bench_die "TURNS must be a positive integer, not '$turns'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"
[[ $peer_runs =~ ^[1-9][0-9]*$ ]] || bench_die "PEER_RUNS must be a positive integer, not '$peer_runs'"
bench_need_bin report duel-judge bucket
bench_install_time
python=$(bench_pandas_python) || bench_no_peer "no python3 imports pandas (Debian package python3-pandas)"

data=$data_dir/report-turns-${turns}.jsonl
if [[ ! -f $data ]]; then
  raw=$data_dir/duel-judged-${turns}.jsonl
  if [[ ! -f $raw ]]; then
    echo "generating $raw ($turns turns with judgements)..." >&2
    python3 tests/duel/gen_turns.py --turns "$turns" --short --judges deepseek-v3,qwen3-thinking -o "$raw.tmp"
    mv "$raw.tmp" "$raw"
  fi
  echo "judging and routing $raw into $data..." >&2
  "$bin/duel-judge" --quiet "$raw" | "$bin/bucket" --quiet --score duel.score --edges 66,80 --names defeat,refined,final > "$data.tmp"
  mv "$data.tmp" "$data"
fi
bench_begin "$data"

declare -A commands=(
  [report]="'$bin/report' --quiet --edges 66,80 --id instance_id,turn '$data' > '$work/report.md'"
  [pandas]="'$python' bench/report_pandas.py --edges 66,80 '$data' > '$work/pandas.md'"
)
order=(report pandas)
bench_alternate "$peer_runs" "$work" report pandas
((runs > peer_runs)) && bench_alternate "$((runs - peer_runs))" "$work" report

printf 'report benchmark: %s (%.1f MB, %d judged turns), report %d runs, pandas %d\n' \
  "$data" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$turns" "$((runs > peer_runs ? runs : peer_runs))" "$peer_runs"
bench_table "$turns" "$size" "$data" "$work" "${order[@]}"

same=1
check=$(python3 bench/compare_tables.py "$work/report.md" "$work/pandas.md") || same=0
bench_target "report tables = the pandas script's" "$check" "$same"
read -r ratio cpu_ratio < <(bench_ratio report pandas)
bench_target "report >= ${TARGET_TIMES_PANDAS}x pandas" "${ratio}x wall, ${cpu_ratio}x cpu" \
  "$(awk -v r="$ratio" -v g="$TARGET_TIMES_PANDAS" 'BEGIN { print (r >= g) ? 1 : 0 }')"
bench_target "report peak RSS <= ${TARGET_RSS_MIB} MiB" "${bench_rss[report]} MiB" \
  "$(awk -v r="${bench_rss[report]}" -v g="$TARGET_RSS_MIB" 'BEGIN { print (r <= g) ? 1 : 0 }')"
[[ $same == 1 ]] || bench_die "report and the pandas script disagree: $check"
if [[ $strict == 1 ]] && ((bench_missed > 0)); then
  exit 1
fi
