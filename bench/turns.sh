#!/usr/bin/env bash
# Benchmark turns on generated agent trajectories against a plain Python script doing the same cut
# (bench/turns_python.py: json.loads, the same XXH3 ranks, the same records).
#
# Usage: bench/turns.sh [MEGABYTES]   (default 2000: 2 GB of trajectories, ~36 KB per rollout)
# Environment: RUNS timed runs per command (default 3), alternating. BIN, BENCH_DATA, BENCH_RESULTS:
#              see bench/lib.bash
# Targets (issue 22): turns --rate 0.001 >= 700 MB/s; --sample 10000 >= 500 MB/s with peak RSS
# <= 64 MiB + the sample (the bytes of the 10000 records written).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

megabytes=${1:-2000}
runs=${RUNS:-3}
bench_need_bin turns
bench_install_time
data=$data_dir/trajectories-${megabytes}mb.jsonl
if [[ ! -f $data ]]; then
  echo "generating $data..." >&2
  python3 bench/gen_trajectories.py --megabytes "$megabytes" -o "$data"
fi
cat "$data" > /dev/null  # warm the page cache
size=$(stat -L -c %s "$data")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample_bytes=$("$bin/turns" --quiet --sample 10000 "$data" | wc -c)

declare -A commands=(
  [cat]="cat '$data' > /dev/null"
  [turns-rate]="'$bin/turns' --quiet --rate 0.001 '$data' > /dev/null"
  [turns-sample]="'$bin/turns' --quiet --sample 10000 '$data' > /dev/null"
  [python-rate]="python3 bench/turns_python.py --rate 0.001 '$data' > /dev/null"
  [python-sample]="python3 bench/turns_python.py --sample 10000 '$data' > /dev/null"
)
order=(cat turns-rate turns-sample python-rate python-sample)
declare -A times rss
for ((run = 1; run <= runs; run++)); do
  for name in "${order[@]}"; do
    /usr/bin/time -f '%e %M' -o "$work/time" bash -c "${commands[$name]}"
    read -r seconds kb < "$work/time"
    times[$name]+="$seconds "
    (( kb > ${rss[$name]:-0} )) && rss[$name]=$kb
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf 'turns benchmark: %s (%.1f MB), %d runs each, alternating; the sample of 10000 is %.1f MiB\n' \
  "$data" "$(echo "$size / 1000000" | bc -l)" "$runs" "$(echo "$sample_bytes / 1048576" | bc -l)"
printf '%-14s %10s %10s %14s\n' command "median s" "MB/s" "peak RSS MiB"
declare -A speed
for name in "${order[@]}"; do
  t=$(echo "${times[$name]}" | median)
  speed[$name]=$(awk -v s="$size" -v t="$t" 'BEGIN { printf "%.1f", s / 1e6 / t }')
  awk -v n="$name" -v t="$t" -v s="$size" -v r="${rss[$name]}" 'BEGIN { printf "%-14s %10.3f %10.1f %14.1f\n", n, t, s / 1e6 / t, r / 1024 }'
  command=${commands[$name]//"'$data'"/FILE}
  bench_emit tool="$name" command="${command//"'$bin/turns'"/turns}" input="$(basename "$data")" bytes="$size" runs="$runs" \
    median_s="$t" mb_per_s="${speed[$name]}" rss_mib="$(awk -v r="${rss[$name]}" 'BEGIN { printf "%.1f", r / 1024 }')"
done
check() {  # check NAME MEASURED OK
  local line="target $1: $2 $([[ $3 == 1 ]] && echo PASS || echo MISS)"
  echo "$line"
  bench_emit target="$1" measured="$2" result="${line##* }"
}
check "turns --rate 0.001 >= 700 MB/s" "${speed[turns-rate]} MB/s" "$(awk -v v="${speed[turns-rate]}" 'BEGIN { print (v >= 700) }')"
check "turns --sample 10000 >= 500 MB/s" "${speed[turns-sample]} MB/s" "$(awk -v v="${speed[turns-sample]}" 'BEGIN { print (v >= 500) }')"
limit_kb=$(( 64 * 1024 + sample_bytes / 1024 ))
check "turns --sample 10000 RSS <= 64 MiB + sample" "$(( rss[turns-sample] / 1024 )) MiB (limit $(( limit_kb / 1024 )) MiB)" \
  "$(( rss[turns-sample] <= limit_kb ? 1 : 0 ))"
echo "turns --rate is $(awk -v a="${speed[turns-rate]}" -v b="${speed[python-rate]}" 'BEGIN { printf "%.1f", a / b }')x the Python script," \
  "--sample $(awk -v a="${speed[turns-sample]}" -v b="${speed[python-sample]}" 'BEGIN { printf "%.1f", a / b }')x"
