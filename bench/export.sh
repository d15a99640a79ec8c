#!/usr/bin/env bash
# Benchmark export --to trl-chat against the jq program a user would write for the same records
# (bench/export_trl_chat.jq), and check that both write the same bytes (issue 23).
#
# Usage: bench/export.sh [PAIRS]   (default 100000 pair records, ~380 MB of JSONL)
# Environment: RUNS      timed runs per command (default 3), alternating
#              STRICT=1  exit 1 when a target is missed (default: report only; outputs that differ
#                        always fail)
#              BENCH_INSTALL=0  never install jq; without it exit 77 (skipped), as ctest's
#                        quick mode wants
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Input, made once in BENCH_DATA: pairs-PAIRS.jsonl (bench/gen_pairs.py: two pairs in three with a
# 'prompt', the others with 'messages'; answers of 0.3-2.5 KB with quotes, line breaks, tabs,
# backslashes and UTF-8; no DEL, which jq 1.6 escapes as \u007f and export does not). jq -c
# writes the same JSON as export on them (same key order, same escapes, UTF-8 unescaped), so the
# outputs are compared with cmp, unnormalised.
# Target (issue 23): export >= 10x jq (median wall time, same run).
# Quick check of the script (what ctest bench/export-quick runs; exit 77 when the peer is missing):
#   BENCH_INSTALL=0 RUNS=1 bench/export.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_TIMES_JQ=10

pairs=${1:-100000}
runs=${RUNS:-3}
strict=${STRICT:-0}
[[ $pairs =~ ^[1-9][0-9]*$ ]] || bench_die "PAIRS must be a positive integer, not '$pairs'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"
bench_need_bin export
bench_install_time
jq=$(command -v jq) || { [[ ${BENCH_INSTALL:-1} != 0 ]] && scripts/install-deps jq >&2 && jq=$(command -v jq); } ||
  bench_no_peer "jq (Debian package 'jq') is not installed"

data=$data_dir/pairs-${pairs}.jsonl
if [[ ! -f $data ]]; then
  echo "generating $data ($pairs pair records)..." >&2
  python3 bench/gen_pairs.py --pairs "$pairs" -o "$data"
fi
bench_begin "$data"

# export is also a shell builtin: the commands name the binary by its path.
declare -A commands=(
  [export]="'$bin/export' --quiet --to trl-chat '$data' > '$work/export.jsonl'"
  [jq]="'$jq' -c -f bench/export_trl_chat.jq '$data' > '$work/jq.jsonl'"
)
order=(export jq)
bench_alternate "$runs" "$work" "${order[@]}"

printf 'export benchmark: %s (%.1f MB, %d pair records), %d runs each, alternating\n' \
  "$data" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$pairs" "$runs"
bench_table "$pairs" "$size" "$data" "$work" "${order[@]}"

bench_against_peer export jq "$work/export.jsonl" "$work/jq.jsonl" jq "$TARGET_TIMES_JQ"
if [[ $strict == 1 ]] && ((bench_missed > 0)); then
  exit 1
fi
