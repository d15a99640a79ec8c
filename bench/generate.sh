#!/usr/bin/env bash
# Benchmark generate (issue 19) against the stand-in endpoint (judge_server --role model):
#  1. over HTTP: CALLS prompts, one answer each, the server answering after LATENCY_MS, at
#     --concurrency CONCURRENCY: answers/s against Little's law (64 / 0.05 s = 1280 calls/s).
#     Target: >= 95 % of that bound.
#  2. from the cache: CACHED prompts answered once into a --cache folder (the server at 0 ms;
#     this fill is timed too), then the same run again, every answer from the cache.
#     Targets: >= 200 000 records/s, peak RSS <= 64 MiB.
#
# Usage: bench/generate.sh [CALLS] [CACHED]   (defaults 20000 and 1000000)
# Environment: RUNS (default 3; the median is reported), LATENCY_MS (50), CONCURRENCY (64),
#              STRICT=1 (exit 1 when a target is missed), BIN (build/bin), BENCH_DATA (bench/data)
# The cache of CACHED answers takes ~4 KiB of disk per answer (one file each): 4 GB at 1 M.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash  # bench_emit: the targets go to BENCH_RESULTS (make bench's docs/PERFORMANCE.md)

calls=${1:-20000}
cached=${2:-1000000}
runs=${RUNS:-3}
latency_ms=${LATENCY_MS:-50}
concurrency=${CONCURRENCY:-64}
strict=${STRICT:-0}
bin=${BIN:-build/bin}
data_dir=${BENCH_DATA:-bench/data}
readonly TARGET_BOUND_PERCENT=95 TARGET_CACHED_PER_S=200000 TARGET_RSS_MIB=64

for binary in "$bin/generate" "$bin/judge_server"; do
  [[ -x $binary ]] || { echo "bench/generate.sh: $binary not found: run 'make build' first" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || scripts/install-deps time
export JUDGE_SERVER=$(realpath "$bin/judge_server")
source tests/support/judge_server.bash
work=$(mktemp -d)
trap 'judge_server_stop_all; rm -rf "$work"' EXIT
mkdir -p "$data_dir"
prompts() {  # prompts N FILE: N short, distinct prompt records
  [[ -f $2 ]] || python3 -c '
import sys
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write("{\"id\":%d,\"prompt\":\"Write a haiku about the number %d.\"}\n" % (i, i))' "$1" "$2"
}
http_input=$data_dir/generate-prompts-$calls.jsonl
cached_input=$data_dir/generate-prompts-$cached.jsonl
prompts "$calls" "$http_input"
prompts "$cached" "$cached_input"
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
verdict() { awk -v v="$1" -v t="$2" -v below="${3:-0}" 'BEGIN { print ((below ? v <= t : v >= t)) ? "PASS" : "MISS" }'; }
missed=0

# --- 1. over HTTP ------------------------------------------------------------------------
judge_server_start --role model --latency-ms "$latency_ms" --threads 256
bound=$(awk -v c="$concurrency" -v l="$latency_ms" 'BEGIN { print c / (l / 1000) }')
rates=() rss_http=0
for ((run = 1; run <= runs; run++)); do
  start=$(now)
  /usr/bin/time -f '%M' -o "$work/time" "$bin/generate" --quiet --model "bench=$JUDGE_URL#bench-model" \
    --concurrency "$concurrency" --seed "$run" "$http_input" > "$work/answers.jsonl" 2> "$work/http.stderr"
  end=$(now)
  lines=$(wc -l < "$work/answers.jsonl")
  [[ $lines -eq $calls ]] || { echo "bench/generate.sh: $lines answers for $calls prompts" >&2; cat "$work/http.stderr" >&2; exit 1; }
  rate=$(awk -v n="$calls" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }')
  rates+=("$rate")
  kb=$(tail -n 1 "$work/time"); (( kb > rss_http )) && rss_http=$kb
  printf 'http run %d: %d answers in %.3f s = %s answers/s\n' "$run" "$calls" "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" "$rate"
done
judge_server_stop
http_rate=$(echo "${rates[*]}" | median)
http_percent=$(awk -v r="$http_rate" -v b="$bound" 'BEGIN { printf "%.1f", 100 * r / b }')

# --- 2. from the cache ------------------------------------------------------------------------
judge_server_start --role model --threads 64
cache=$work/cache
start=$(now)
"$bin/generate" --quiet --model "bench=$JUDGE_URL#bench-model" --concurrency 32 --cache "$cache" "$cached_input" > /dev/null
fill_s=$(awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }')
judge_server_stop
times=() rss_cached=0
for ((run = 1; run <= runs; run++)); do
  start=$(now)
  /usr/bin/time -f '%M' -o "$work/time" "$bin/generate" --quiet --model "bench=http://127.0.0.1:9/v1#bench-model" \
    --cache "$cache" --max-retries 0 --stats "$work/cached.json" "$cached_input" > "$work/cached.jsonl"
  end=$(now)
  times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
  kb=$(tail -n 1 "$work/time"); (( kb > rss_cached )) && rss_cached=$kb
  hits=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cache_hits"])' "$work/cached.json")
  [[ $hits -eq $cached ]] || { echo "bench/generate.sh: $hits cache hits for $cached prompts" >&2; exit 1; }
done
cached_time=$(echo "${times[*]}" | median)
cached_rate=$(awk -v n="$cached" -v t="$cached_time" 'BEGIN { printf "%.0f", n / t }')
rss_mib=$(awk -v k="$rss_cached" 'BEGIN { printf "%.1f", k / 1024 }')

echo
printf 'generate benchmark, %d runs each (median)\n' "$runs"
printf 'over HTTP: %d prompts, stand-in latency %d ms, --concurrency %d: %s answers/s of the bound %s = %s %%; peak RSS %.1f MiB\n' \
  "$calls" "$latency_ms" "$concurrency" "$http_rate" "$bound" "$http_percent" "$(awk -v k="$rss_http" 'BEGIN { print k / 1024 }')"
printf 'cache fill: %d answers at 0 ms latency, --concurrency 32: %.1f s = %.0f answers/s\n' "$cached" "$fill_s" \
  "$(awk -v n="$cached" -v t="$fill_s" 'BEGIN { print n / t }')"
printf 'from the cache: %d prompts in %.3f s = %s records/s; peak RSS %s MiB\n' "$cached" "$cached_time" "$cached_rate" "$rss_mib"
result=$(verdict "$http_percent" "$TARGET_BOUND_PERCENT"); [[ $result == PASS ]] || missed=1
printf 'target HTTP throughput >= %d %% of concurrency / latency: %s %% %s\n' "$TARGET_BOUND_PERCENT" "$http_percent" "$result"
bench_emit target="HTTP throughput >= $TARGET_BOUND_PERCENT % of concurrency / latency" measured="$http_percent %" result="$result"
result=$(verdict "$cached_rate" "$TARGET_CACHED_PER_S"); [[ $result == PASS ]] || missed=1
printf 'target cached rerun >= %d records/s: %s %s\n' "$TARGET_CACHED_PER_S" "$cached_rate" "$result"
bench_emit target="cached rerun >= $TARGET_CACHED_PER_S records/s" measured="$cached_rate records/s" result="$result"
result=$(verdict "$rss_mib" "$TARGET_RSS_MIB" 1); [[ $result == PASS ]] || missed=1
printf 'target cached rerun peak RSS <= %d MiB: %s %s\n' "$TARGET_RSS_MIB" "$rss_mib" "$result"
bench_emit target="cached rerun peak RSS <= $TARGET_RSS_MIB MiB" measured="$rss_mib MiB" result="$result"
[[ $strict == 1 && $missed == 1 ]] && exit 1
exit 0
