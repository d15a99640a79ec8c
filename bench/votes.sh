#!/usr/bin/env bash
# Benchmark votes: the tallies (majority decisions) against a straightforward Python + numpy
# script on the same votes, and the ratings (Bradley-Terry with bootstrap intervals).
#
# Usage: bench/votes.sh [VOTES] [COMPARISONS]   (default 1000000 votes over 100000 comparisons of
#                                                200 models, about 70 MB of JSONL)
# Environment: RUNS timed runs per command (default 3), alternating
#              BOOTSTRAP bootstrap rounds of the ratings run (default 1000)
#              STRICT=1  exit 1 when a target is missed or the peer disagrees (default: report only)
#              PYTHON    the Python that runs bench/votes_numpy.py (default: the first of python3,
#                        /usr/bin/python3 that imports numpy)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Input, made once and kept in bench/data/: votes-VOTES-COMPARISONS.jsonl (bench/gen_votes.py).
# Targets (votes issue): tallies >= 2 M votes/s; ratings of 200 models from 1 M battles with 1000
# bootstrap rounds in < 30 s; the peer's decisions equal ours.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_VOTES_PER_S=2000000
readonly TARGET_RATINGS_S=30

votes=${1:-1000000}
comparisons=${2:-$(((votes + 9) / 10))}
runs=${RUNS:-3}
bootstrap=${BOOTSTRAP:-1000}
strict=${STRICT:-0}
[[ $votes =~ ^[1-9][0-9]*$ && $comparisons =~ ^[1-9][0-9]*$ ]] || bench_die "VOTES and COMPARISONS must be positive integers"
bench_need_bin votes
bench_install_time
# Debian's python3-numpy is for /usr/bin/python3, which need not be the first python3.
find_numpy_python() {
  local candidate
  for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
    if "$candidate" -c 'import numpy' > /dev/null 2>&1; then command -v "$candidate"; return 0; fi
  done
  return 1
}
python=$(find_numpy_python) || { scripts/install-deps python3-numpy >&2 && python=$(find_numpy_python); } ||
  bench_die "no python3 imports numpy (Debian package python3-numpy)"

data=$data_dir/votes-${votes}-${comparisons}.jsonl
if [[ ! -f $data ]]; then
  echo "generating $data ($votes votes over $comparisons comparisons)..." >&2
  python3 bench/gen_votes.py --votes "$votes" --comparisons "$comparisons" -o "$data"
fi
cat "$data" > /dev/null  # warm the page cache
size=$(stat -c %s "$data")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Commands, run RUNS times each, alternating; each writes its output to $work/NAME.out.
declare -A commands=(
  [votes]="'$bin/votes' --quiet --rater judge '$data' > '$work/votes.out'"
  [numpy]="'$python' bench/votes_numpy.py '$data' > '$work/numpy.out'"
  [ratings]="'$bin/votes' --quiet --rater judge --ratings '$work/ratings.json' --bootstrap $bootstrap '$data' > /dev/null"
)
order=(votes numpy ratings)
for ((run = 1; run <= runs; run++)); do
  for name in "${order[@]}"; do
    /usr/bin/time -f '%e %M %U %S' -o "$work/last" bash -c "${commands[$name]}" || bench_die "'${commands[$name]}' failed"
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/last" >> "$work/$name.time"
  done
done

printf 'votes benchmark: %s (%.1f MB, %d votes over %d comparisons of 200 models), %d runs each\n' \
  "$data" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$votes" "$comparisons" "$runs"
printf '%-8s %-62s %10s %12s %14s\n' name command "median s" "votes/s" "peak RSS MiB"
declare -A median
for name in "${order[@]}"; do
  read -r t rss cpu < <(bench_summary "$work/$name.time")
  median[$name]=$t
  rate=$(awk -v n="$votes" -v t="$t" 'BEGIN { printf "%.0f", n / (t > 0.01 ? t : 0.01) }')
  command=${commands[$name]//"'$data'"/FILE}
  command=${command//"'$bin/votes'"/votes}
  command=${command//"'$python'"/python3}
  command=${command//"'$work/"/"'"}
  printf '%-8s %-62s %10s %12s %14s\n' "$name" "$command" "$t" "$rate" "$rss"
  bench_emit tool="$name" command="$command" input="$(basename "$data")" rows="$votes" comparisons="$comparisons" bytes="$size" \
    runs="$runs" median_s="$t" cpu_s="$cpu" records_per_s="$rate" rss_mib="$rss" \
    mb_per_s="$(awk -v s="$size" -v t="$t" 'BEGIN { printf "%.1f", s / 1e6 / (t > 0.01 ? t : 0.01) }')"
done

missed=0
target() {  # LABEL MEASURED PASS(1/0)
  local result=PASS
  if [[ $3 != 1 ]]; then result=MISS; missed=$((missed + 1)); fi
  echo "target $1: $2 $result"
  bench_emit target="$1" measured="$2" result="$result"
}
same=$(python3 - "$work/votes.out" "$work/numpy.out" <<'PY'
import json, sys
ours = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
theirs = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
print(1 if ours == theirs else 0)
PY
)
target "votes decisions equal the numpy script's" "$(wc -l < "$work/votes.out") comparisons" "$same"
rate=$(awk -v n="$votes" -v t="${median[votes]}" 'BEGIN { printf "%.2f", n / (t > 0.01 ? t : 0.01) / 1e6 }')
target "votes tallies >= 2 M votes/s" "$rate M/s" "$(awk -v r="$rate" -v g="$TARGET_VOTES_PER_S" 'BEGIN { print (r * 1e6 >= g) ? 1 : 0 }')"
target "ratings, $bootstrap bootstrap rounds, < ${TARGET_RATINGS_S} s" "${median[ratings]} s" \
  "$(awk -v t="${median[ratings]}" -v g="$TARGET_RATINGS_S" 'BEGIN { print (t < g) ? 1 : 0 }')"
[[ $votes -eq 1000000 && $bootstrap -eq 1000 ]] ||
  echo "note: the ratings target is stated for 1000000 battles and 1000 rounds; this run has $votes and $bootstrap"
if [[ $strict == 1 ]] && ((missed > 0)); then
  exit 1
fi
