#!/usr/bin/env bash
# Benchmark duel-judge (DESIGN.md §4, issue 5) in its two regimes:
#  1. over HTTP: against judge_server (tests/support/judge_server.cpp) answering after a fixed
#     latency, one call per turn (--orders ab); calls/s against Little's law,
#     concurrency / latency = 64 / 0.05 s = 1280 calls/s. Target: >= 90 % of that bound.
#  2. aggregate-only: turns that already carry judgements (2 judges x 2 orders), no calls.
#     Target: >= 1 M turns/s.
#
# Usage: bench/duel.sh [TURNS] [AGGREGATE_TURNS]   (defaults 6400 and 1000000)
#   6400 calls at concurrency 64 are 100 rounds of 50 ms: the fixed costs of a run (start-up,
#   64 connections opened, the last round draining) are then ~3 % of it; with 2000 calls
#   (32 rounds) they were ~10 % and the bound itself only reachable to 97.7 %.
# Environment: RUNS         timed runs of each part (default 3; the median is reported)
#              LATENCY_MS   judge_server latency (default 50)
#              CONCURRENCY  duel-judge --concurrency (default 64)
#              STRICT=1     exit 1 when a target is missed (default: report only)
#              BIN          the binaries' folder (default build/bin)
#              BENCH_DATA   where inputs are kept (default bench/data)
#              DUEL_JUDGE   the binary to measure (default $BIN/duel-judge)
# Needs $BIN/duel-judge and $BIN/judge_server (`make build`), curl, python3.
# Inputs, made once and kept in $BENCH_DATA by tests/duel/gen_turns.py:
#   duel-turns-TURNS.jsonl          turns without judgements (--markers: judge_server's GOOD words)
#   duel-judged-AGGREGATE_TURNS.jsonl  --short turns with judgements from 2 judges in both orders
#                                   (about 950 bytes a turn)
set -euo pipefail
cd "$(dirname "$0")/.."

turns=${1:-6400}
aggregate_turns=${2:-1000000}
runs=${RUNS:-3}
latency_ms=${LATENCY_MS:-50}
concurrency=${CONCURRENCY:-64}
strict=${STRICT:-0}
bin=${BIN:-build/bin}
data_dir=${BENCH_DATA:-bench/data}
tool=${DUEL_JUDGE:-$bin/duel-judge}
readonly TARGET_BOUND_PERCENT=90
readonly TARGET_TURNS_PER_S=1000000

for binary in "$tool" "$bin/judge_server"; do
  [[ -x $binary ]] || { echo "bench/duel.sh: $binary not found: run 'make build' first" >&2; exit 1; }
done
command -v curl > /dev/null || scripts/install-deps curl
[[ -x /usr/bin/time ]] || scripts/install-deps time

export JUDGE_SERVER=$(realpath "$bin/judge_server")
source tests/support/judge_server.bash
work=$(mktemp -d)
trap 'judge_server_stop_all; rm -rf "$work"' EXIT

mkdir -p "$data_dir"
http_input=$data_dir/duel-turns-${turns}.jsonl
aggregate_input=$data_dir/duel-judged-${aggregate_turns}.jsonl
[[ -f $http_input ]] || python3 tests/duel/gen_turns.py --turns "$turns" --markers -o "$http_input"
if [[ ! -f $aggregate_input ]]; then
  echo "bench/duel.sh: generating $aggregate_input (once; about 30 s per million turns)" >&2
  python3 tests/duel/gen_turns.py --turns "$aggregate_turns" --short --judges deepseek-v3,qwen3-thinking -o "$aggregate_input"
fi

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
stat_field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "PASS" : "MISS" }'; }
missed=0

# --- 1. over HTTP -------------------------------------------------------------------------
judge_server_start --latency-ms "$latency_ms" --threads 256
bound=$(awk -v c="$concurrency" -v l="$latency_ms" 'BEGIN { print c / (l / 1000) }')
rates=() rss_http=0 max_in_flight=0
for ((run = 1; run <= runs; run++)); do
  before=$(stat_field "$(judge_server_stats)" requests)
  start=$(now)
  /usr/bin/time -f '%M' -o "$work/time" "$tool" --quiet --judge "bench=$JUDGE_URL#bench-model" \
    --concurrency "$concurrency" --orders ab "$http_input" > "$work/judged.jsonl" 2> "$work/http.stderr"
  end=$(now)
  stats=$(judge_server_stats)
  calls=$(( $(stat_field "$stats" requests) - before ))
  in_flight=$(stat_field "$stats" max_in_flight)
  (( in_flight > max_in_flight )) && max_in_flight=$in_flight
  kb=$(tail -n 1 "$work/time")
  (( kb > rss_http )) && rss_http=$kb
  lines=$(wc -l < "$work/judged.jsonl")
  parsed=$(grep -c '"parsed":true' "$work/judged.jsonl" || true)
  [[ $lines -eq $turns ]] || { echo "bench/duel.sh: $lines output records for $turns turns" >&2; exit 1; }
  rate=$(awk -v n="$calls" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }')
  rates+=("$rate")
  printf 'http run %d: %d calls in %.3f s = %s calls/s, %d/%d turns parsed\n' "$run" "$calls" \
    "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" "$rate" "$parsed" "$turns"
done
judge_server_stop
http_rate=$(echo "${rates[*]}" | median)
http_percent=$(awk -v r="$http_rate" -v b="$bound" 'BEGIN { printf "%.1f", 100 * r / b }')

# --- 2. aggregate-only ---------------------------------------------------------------------
cat "$aggregate_input" > /dev/null  # warm the page cache
size=$(stat -c %s "$aggregate_input")
cat_times=() times=() rss_aggregate=0
for ((run = 1; run <= runs; run++)); do
  start=$(now); cat "$aggregate_input" > /dev/null; end=$(now)
  cat_times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
  start=$(now)
  /usr/bin/time -f '%M' -o "$work/time" "$tool" --quiet "$aggregate_input" > /dev/null 2> "$work/aggregate.stderr"
  end=$(now)
  times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
  kb=$(tail -n 1 "$work/time")
  (( kb > rss_aggregate )) && rss_aggregate=$kb
done
aggregate_time=$(echo "${times[*]}" | median)
cat_time=$(echo "${cat_times[*]}" | median)
aggregate_rate=$(awk -v n="$aggregate_turns" -v t="$aggregate_time" 'BEGIN { printf "%.0f", n / t }')

# --- report --------------------------------------------------------------------------------
echo
printf 'duel-judge benchmark, %d runs each (median)\n' "$runs"
printf 'over HTTP: %s (%d turns, 1 call each), judge_server latency %d ms, --concurrency %d\n' \
  "$http_input" "$turns" "$latency_ms" "$concurrency"
printf '  %.1f calls/s of the Little'"'"'s-law bound %s calls/s = %s %%; server saw at most %d in flight; peak RSS %.1f MiB\n' \
  "$http_rate" "$bound" "$http_percent" "$max_in_flight" "$(awk -v k="$rss_http" 'BEGIN { print k / 1024 }')"
printf '  (%d calls need at least ceil(%d / %d) = %d rounds of %d ms: at most %.1f %% of the bound for this TURNS)\n' \
  "$turns" "$turns" "$concurrency" "$(( (turns + concurrency - 1) / concurrency ))" "$latency_ms" \
  "$(awk -v n="$turns" -v c="$concurrency" 'BEGIN { r = int((n + c - 1) / c); print 100 * n / (r * c) }')"
printf '  duel-judge said: %s\n' "$(tail -n 1 "$work/http.stderr")"
printf 'aggregate-only: %s (%d turns, %.1f MB, %.0f bytes a turn)\n' "$aggregate_input" "$aggregate_turns" \
  "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$(awk -v s="$size" -v n="$aggregate_turns" 'BEGIN { print s / n }')"
printf '  %.3f s = %s turns/s = %.0f MB/s (cat > /dev/null: %.3f s = %.0f MB/s); peak RSS %.1f MiB\n' \
  "$aggregate_time" "$aggregate_rate" "$(awk -v s="$size" -v t="$aggregate_time" 'BEGIN { print s / 1e6 / t }')" \
  "$cat_time" "$(awk -v s="$size" -v t="$cat_time" 'BEGIN { print s / 1e6 / t }')" \
  "$(awk -v k="$rss_aggregate" 'BEGIN { print k / 1024 }')"
printf '  duel-judge said: %s\n' "$(tail -n 1 "$work/aggregate.stderr")"
result=$(verdict "$http_percent" "$TARGET_BOUND_PERCENT")
[[ $result == PASS ]] || missed=1
printf 'target HTTP throughput >= %d %% of concurrency / latency: %s %% %s\n' "$TARGET_BOUND_PERCENT" "$http_percent" "$result"
result=$(verdict "$aggregate_rate" "$TARGET_TURNS_PER_S")
[[ $result == PASS ]] || missed=1
printf 'target aggregate-only >= %d turns/s: %s %s\n' "$TARGET_TURNS_PER_S" "$aggregate_rate" "$result"
[[ $strict == 1 && $missed == 1 ]] && exit 1
exit 0
