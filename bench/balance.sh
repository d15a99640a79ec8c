#!/usr/bin/env bash
# Benchmark balance --total against a pandas groupby-sample script doing the same mix
# (bench/balance_pandas.py), and check that the two samples have the same mix (issue 23).
#
# Usage: bench/balance.sh [ROWS] [TOTAL]   (default 1000000 candidates, ~330 MB of JSONL, and a
#                                          sample of TOTAL = min(100000, ROWS / 10))
# Environment: RUNS      timed runs per command (default 3), alternating
#              MIX       the mix (default easy-heavy, easy=50,medium=30,hard=20)
#              STRICT=1  exit 1 when a target is missed (default: report only; a mix that differs
#                        always fails)
#              BENCH_INSTALL=0  never install pandas; without it exit 77 (skipped), as ctest's
#                        quick mode wants
#              PYTHON    the Python that runs the peer (default: bench_pandas_python)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Both run --require passed --dedup problem_id --stratum difficulty --mix MIX --total TOTAL on
# candidates-ROWS.jsonl (bench/gen_candidates.py, made once in BENCH_DATA). The samples cannot be
# equal (balance ranks by XXH3 of the line, pandas draws with its own random state), so the check
# is: the same count per stratum, the same eligible records per stratum (balance's --stats
# "available" against the peer's), and each sample holds only passed records, one per problem.
# Target (issue 23): balance >= 10x the pandas script (median wall time, same run).
# Quick check of the script (what ctest bench/balance-quick runs; exit 77 when the peer is missing):
#   BENCH_INSTALL=0 RUNS=1 bench/balance.sh 30000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_TIMES_PANDAS=10

rows=${1:-1000000}
total=${2:-$((rows / 10 < 100000 ? rows / 10 : 100000))}
runs=${RUNS:-3}
strict=${STRICT:-0}
mix=${MIX:-easy-heavy}
[[ $rows =~ ^[1-9][0-9]*$ ]] || bench_die "ROWS must be a positive integer, not '$rows'"
[[ $total =~ ^[1-9][0-9]*$ ]] || bench_die "TOTAL must be a positive integer, not '$total'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive integer, not '$runs'"
case $mix in
  balanced) shares=easy=1,medium=1,hard=1 ;;
  easy-heavy) shares=easy=50,medium=30,hard=20 ;;
  medium-heavy) shares=easy=25,medium=50,hard=25 ;;
  hard-heavy) shares=easy=20,medium=30,hard=50 ;;
  *) shares=$mix ;;
esac
bench_need_bin balance
bench_install_time
python=$(bench_pandas_python) || bench_no_peer "no python3 imports pandas (Debian package python3-pandas)"

data=$data_dir/candidates-${rows}.jsonl
if [[ ! -f $data ]]; then
  echo "generating $data ($rows candidates)..." >&2
  python3 bench/gen_candidates.py --rows "$rows" -o "$data"
fi
bench_begin "$data"

options="--require passed --dedup problem_id --stratum difficulty --mix $shares --total $total --seed 0"
declare -A commands=(
  [balance]="'$bin/balance' --quiet $options --stats '$work/balance.stats' '$data' > '$work/balance.jsonl'"
  [pandas]="'$python' bench/balance_pandas.py --mix $shares --total $total --seed 0 --stats '$work/pandas.stats' '$data' > '$work/pandas.jsonl'"
)
order=(balance pandas)
bench_alternate "$runs" "$work" "${order[@]}"

printf 'balance benchmark: %s (%.1f MB, %d candidates), --total %d, mix %s, %d runs each, alternating\n' \
  "$data" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$rows" "$total" "$shares" "$runs"
bench_table "$rows" "$size" "$data" "$work" "${order[@]}"

# Prints the mix of both samples and "1" when they agree as the header says, else the reason.
check=$(python3 - "$work" <<'PY'
import collections, json, sys
work = sys.argv[1]
def sample(name):
    counts, problems, failed = collections.Counter(), set(), 0
    for line in open(f"{work}/{name}.jsonl", encoding="utf-8"):
        record = json.loads(line)
        counts[record["difficulty"]] += 1
        failed += record["passed"] is not True or record["problem_id"] in problems
        problems.add(record["problem_id"])
    return counts, failed
ours, ours_failed = sample("balance")
theirs, theirs_failed = sample("pandas")
stats = json.load(open(f"{work}/balance.stats", encoding="utf-8"))["strata"]
peer = json.load(open(f"{work}/pandas.stats", encoding="utf-8"))["strata"]
print("mix " + ", ".join(f"{s} {ours[s]}/{theirs[s]}" for s in stats) + " (balance/pandas); available "
      + ", ".join(f"{s} {stats[s]['available']}/{peer[s]['available']}" for s in stats))
problems = []
if ours != theirs or any(stats[s]["count"] != ours[s] for s in stats):
    problems.append("the counts per stratum differ")
if any(stats[s]["available"] != peer[s]["available"] for s in stats):
    problems.append("the eligible records per stratum differ")
if ours_failed or theirs_failed:
    problems.append(f"records not passed or repeated problems: balance {ours_failed}, pandas {theirs_failed}")
print("; ".join(problems) or "1")
PY
)
counts=$(head -1 <<< "$check")
verdict=$(tail -1 <<< "$check")
bench_target "balance mix = the pandas script's" "$counts" "$([[ $verdict == 1 ]] && echo 1 || echo 0)"
read -r ratio cpu_ratio < <(bench_ratio balance pandas)
bench_target "balance --total $total >= ${TARGET_TIMES_PANDAS}x pandas" "${ratio}x wall, ${cpu_ratio}x cpu" \
  "$(awk -v r="$ratio" -v g="$TARGET_TIMES_PANDAS" 'BEGIN { print (r >= g) ? 1 : 0 }')"
[[ $verdict == 1 ]] || bench_die "balance and the pandas script disagree: $verdict"
if [[ $strict == 1 ]] && ((bench_missed > 0)); then
  exit 1
fi
