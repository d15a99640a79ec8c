#!/usr/bin/env bash
# Scaling: cpu time per record and peak memory of every tool that runs without a network, at
# growing input sizes, to show that cost grows linearly with the records and that the streaming
# tools' memory stays flat (issue 23).
#
# Usage: bench/scaling.sh [SIZES]     (default "10000 100000 1000000 10000000" input records)
# Environment: RUNS           timed runs per tool and size up to 1 M records (default 3)
#              LARGE_RUNS     timed runs above 1 M records (default 1)
#              SCALING_TOOLS  the tools measured, space- or comma-separated (default all: csv2jsonl
#                             consensus bucket jsonl2csv pairup duel-judge report export balance
#                             votes turns)
#              SCALING_MAX_MB the largest input made by repetition, in MB (default 5000): a size
#                             whose input would be larger is skipped for that tool (see below)
#              SCALING_MIN_FREE_GB  free space under which the inputs made by repetition are
#                             deleted after their last run (default 20)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
# Each tool reads its file itself (writes to /dev/null), with the command line of its own bench
# script, so the figures compare with those scripts':
#   csv2jsonl  grades-N.csv (bench/gen_grades.py, as csv2jsonl.sh)
#   consensus  grades-N.jsonl (csv2jsonl of grades-N.csv)
#   bucket     --key challenge,model --ratios 80,10,10 --names train,validation,test grades-N.jsonl
#   jsonl2csv  grades-N-nonull.jsonl (grades-N.jsonl with nulls as "", as jsonl2csv.sh)
#   pairup     items-N-N/10.jsonl (bench/gen_items.py --items N --groups N/10, as run.sh calls
#              pairup.sh), SOURCE_DATE_EPOCH=0
#   duel-judge aggregate-only (the verdicts already on the records, no calls) on duel-judged-N.jsonl
#              (tests/duel/gen_turns.py --short --judges deepseek-v3,qwen3-thinking, as duel.sh)
#   report     --edges 66,80 --id instance_id,turn report-turns-N.jsonl (duel-judge | bucket
#              --score duel.score ... of duel-judged-N.jsonl, as report.sh)
#   export     --to trl-chat pairs-N.jsonl (bench/gen_pairs.py, as export.sh)
#   balance    --require passed --dedup problem_id --stratum difficulty --mix easy=50,medium=30,hard=20
#              --total min(100000, N/10) --seed 0 candidates-N.jsonl (bench/gen_candidates.py, as
#              balance.sh)
#   votes      --rater judge votes-N-N/10.jsonl (bench/gen_votes.py --votes N --comparisons N/10,
#              as votes.sh)
#   turns      --rate 0.001 trajectories-N-rollouts.jsonl: N trajectories (bench/gen_trajectories.py
#              --rollouts N, the same stream as turns.sh's file: its first N lines), ~38 KB each
# records = the input records (CSV rows, JSON lines, trajectories): cpu ns/record =
# (user + system) / records, flat when the cost is linear and much less sensitive to other work
# on the machine than the wall time.
#
# Inputs, made once in BENCH_DATA (shared with the other bench scripts: the same names and
# command lines). A tool's input is generated up to its base size and, above it, made by
# repeating the base file, so a 10 M-record file costs seconds, not minutes of Python: the base
# is 1 M records, except export (100000 pairs, export.sh's file; ~3.8 KB a pair) and turns
# (10000 trajectories; ~38 KB each), whose records are too large to generate by the million.
# Above the base, a multiple of it is made by repetition (other sizes up to 1 M are generated;
# above 1 M, N must be a multiple of 1 M). What repetition means:
#   - csv2jsonl, bucket, jsonl2csv, duel-judge, report, export, turns: the same records again;
#     none keeps state per key, so the cost per record is that of fresh records.
#   - consensus: the same graders grading the same items again; it keeps the latest grade of
#     each, so its state (and output) above 1 M is that of the 1 M file's items: the rows show
#     the cost of more grades, not of more items (memory growth with items: bench/memory.sh).
#   - pairup, votes, balance: repeating the same keys would be bad input (pairup: the same item
#     twice; votes: a rater voting twice on one comparison) or all duplicates (balance --dedup),
#     so each copy renames its keys: pairup's challenge "chNNNNNN" -> "chK-NNNNNN", votes' id
#     + K x comparisons, balance's problem_id "p-N" -> "p-K.N" (K = the copy). Their distinct
#     keys (groups, comparisons, problems) grow with N as with fresh data, and so does the memory
#     they keep per key (pairup's items of a group, votes' comparisons, balance's --dedup set).
# Disk: at 10 M records the inputs made are about 2 GB (CSV), 3 GB (grades JSONL), 3 GB (nonull),
# 4.4 GB (items), 4.5 GB (candidates) and 0.7 GB (votes). Larger ones are skipped and said so
# (SCALING_MAX_MB): with the default, duel-judge and report above 1 M (9.5 and 17 GB at 10 M),
# export above 1 M (38 GB) and turns above 100000 (3.8 GB; 38 GB at 1 M). An input made by
# repetition is deleted after the last tool that reads it at that size when the free space of
# BENCH_DATA is under SCALING_MIN_FREE_GB (it is remade by repetition in seconds next time).
# Targets: peak RSS <= 64 MiB (DESIGN.md §4) for the streaming tools, which hold no state per
# record or key: csv2jsonl, bucket, jsonl2csv, duel-judge (aggregate-only), report (judged turns
# in constant memory), export, turns --rate; one row per size from 1 M records (turns: at its
# largest size, under 1 M).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

all_tools=(csv2jsonl consensus bucket jsonl2csv pairup duel-judge report export balance votes turns)
streaming=" csv2jsonl bucket jsonl2csv duel-judge report export turns "
sizes=$(tr ' ' '\n' <<< "${1:-10000 100000 1000000 10000000}" | grep . | sort -n -u | tr '\n' ' ')
runs=${RUNS:-3}
large_runs=${LARGE_RUNS:-1}
max_mb=${SCALING_MAX_MB:-5000}
min_free_gb=${SCALING_MIN_FREE_GB:-20}
selected=${SCALING_TOOLS:-all}
selected=${selected//,/ }
[[ $selected == all ]] && selected=${all_tools[*]}
tools=()
for tool in "${all_tools[@]}"; do # in the order above, whatever the order given
  [[ " $selected " == *" $tool "* ]] && tools+=("$tool")
done
for tool in $selected; do
  [[ " ${all_tools[*]} " == *" $tool "* ]] || bench_die "SCALING_TOOLS: unknown tool '$tool' (tools: all ${all_tools[*]})"
done
((${#tools[@]} > 0)) || bench_die "SCALING_TOOLS names no tool"
for n in $sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "SIZES must be positive integers, not '$n'"
  ((n <= 1000000 || n % 1000000 == 0)) || bench_die "sizes above 1000000 must be multiples of 1000000, not $n"
done
[[ $runs =~ ^[1-9][0-9]*$ && $large_runs =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS and LARGE_RUNS must be positive integers"
[[ $max_mb =~ ^[1-9][0-9]*$ && $min_free_gb =~ ^[0-9]+$ ]] || bench_die "SCALING_MAX_MB and SCALING_MIN_FREE_GB must be whole numbers"
needed=(csv2jsonl "${tools[@]}")
[[ " ${tools[*]} " == *" report "* ]] && needed+=(duel-judge bucket) # report's input is made with them
bench_need_bin "${needed[@]}"
bench_install_time
bench_warn_load

# base TOOL: the largest input generated for TOOL; above it, inputs are the base repeated.
base() {
  case $1 in
    export) echo 100000 ;;
    turns) echo 10000 ;;
    *) echo 1000000 ;;
  esac
}

# path TOOL N: the file TOOL reads at N records (made or not).
path() {
  local tool=$1 n=$2 groups=$((($2 + 9) / 10)) repeated=
  if repeated "$1" "$2"; then repeated=-repeated; fi
  case $tool in
    csv2jsonl) echo "$data_dir/grades-$n.csv" ;;
    consensus | bucket) echo "$data_dir/grades-$n.jsonl" ;;
    jsonl2csv) echo "$data_dir/grades-$n-nonull.jsonl" ;;
    pairup) echo "$data_dir/items-$n-$groups$repeated.jsonl" ;;
    duel-judge) echo "$data_dir/duel-judged-$n$repeated.jsonl" ;;
    report) echo "$data_dir/report-turns-$n$repeated.jsonl" ;;
    export) echo "$data_dir/pairs-$n$repeated.jsonl" ;;
    balance) echo "$data_dir/candidates-$n$repeated.jsonl" ;;
    votes) echo "$data_dir/votes-$n-$groups$repeated.jsonl" ;;
    turns) echo "$data_dir/trajectories-$n-rollouts$repeated.jsonl" ;;
  esac
}

# generate TOOL N FILE: makes FILE, TOOL's input of N records, the way its bench script does.
generate() {
  local tool=$1 n=$2 file=$3 source
  [[ $tool == @(csv2jsonl|consensus|bucket) ]] || echo "generating $file ($n records)..." >&2
  case $tool in
    csv2jsonl) bench_grades_csv "$n" > /dev/null; return ;;
    consensus | bucket) bench_grades_jsonl "$n" > /dev/null; return ;;
    jsonl2csv)
      source=$(bench_grades_jsonl "$n")
      sed -e 's/":null,/":"",/g' -e 's/":null}/":""}/g' "$source" > "$file.tmp" ;;
    pairup) python3 bench/gen_items.py --items "$n" --groups $(((n + 9) / 10)) -o "$file.tmp" ;;
    duel-judge) python3 tests/duel/gen_turns.py --turns "$n" --short --judges deepseek-v3,qwen3-thinking -o "$file.tmp" ;;
    report)
      source=$(input duel-judge "$n")
      "$bin/duel-judge" --quiet "$source" |
        "$bin/bucket" --quiet --score duel.score --edges 66,80 --names defeat,refined,final > "$file.tmp" ;;
    export) python3 bench/gen_pairs.py --pairs "$n" -o "$file.tmp" ;;
    balance) python3 bench/gen_candidates.py --rows "$n" -o "$file.tmp" ;;
    votes) python3 bench/gen_votes.py --votes "$n" --comparisons $(((n + 9) / 10)) -o "$file.tmp" ;;
    turns) python3 bench/gen_trajectories.py --rollouts "$n" -o "$file.tmp" ;;
  esac
  mv "$file.tmp" "$file"
}

# copy TOOL K FILE: the K-th copy (0 = the file itself) of TOOL's base FILE, keys renamed where a
# repeated key would be bad input or a duplicate (see the header).
copy() {
  local tool=$1 k=$2 file=$3
  if ((k == 0)); then
    cat "$file"
    return
  fi
  case $tool in
    csv2jsonl) tail -n +2 "$file" ;;
    pairup) sed "s/^{\"challenge\":\"ch/{\"challenge\":\"ch$k-/" "$file" ;;
    balance) sed "s/^{\"problem_id\":\"p-/{\"problem_id\":\"p-$k./" "$file" ;;
    votes) awk -v offset=$((k * $(base votes) / 10)) 'match($0, /^\{"id":[0-9]+/) {
        $0 = "{\"id\":" (substr($0, 7, RLENGTH - 6) + offset) substr($0, RLENGTH + 1) } 1' "$file" ;;
    *) cat "$file" ;;
  esac
}

# repeated TOOL N: is TOOL's input of N records made by repeating its base?
repeated() {
  local base_n
  base_n=$(base "$1")
  (($2 > base_n && $2 % base_n == 0))
}

# input TOOL N: prints the path of TOOL's input of N records, making it when missing; empty
# (with a note on stderr) when it would be made by repetition and pass SCALING_MAX_MB.
input() {
  local tool=$1 n=$2 file base_n base_file copies k megabytes
  file=$(path "$tool" "$n")
  base_n=$(base "$tool")
  if repeated "$tool" "$n"; then
    base_file=$(input "$tool" "$base_n")
    copies=$((n / base_n))
    megabytes=$(($(stat -c %s "$base_file") * copies / 1000000))
    if ((megabytes > max_mb)); then
      echo "$tool: $n records would be $megabytes MB of input (> SCALING_MAX_MB=$max_mb): skipped" >&2
      return 0
    fi
    if [[ ! -f $file ]]; then
      echo "making $file ($copies x $base_file)..." >&2
      for ((k = 0; k < copies; k++)); do copy "$tool" "$k" "$base_file"; done > "$file.tmp"
      mv "$file.tmp" "$file"
    fi
  elif [[ ! -f $file ]]; then
    generate "$tool" "$n" "$file"
  fi
  echo "$file"
}

# free_gb: the free space of BENCH_DATA's file system, in whole GiB.
free_gb() { df -P -k "$data_dir" | awk 'NR == 2 { print int($4 / 1048576) }'; }

targets=()
declare -A largest capped
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "scaling benchmark: ${tools[*]}; median of $runs runs per tool and size ($large_runs above 1 M records)"
row() { printf '%-10s %10s %10s %10s %8s %13s %10s %13s\n' "$@"; }
row tool records "median s" "cpu s" "MB/s" "records/s" "peak MiB" "cpu ns/record"
for n in $sizes; do
  size_start=$(date +%s.%N)
  making=0
  r=$runs
  ((n <= 1000000)) || r=$large_runs
  for index in "${!tools[@]}"; do
    tool=${tools[$index]}
    making_start=$(date +%s.%N)
    file=$(input "$tool" "$n")
    making=$(awk -v m="$making" -v s="$making_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", m + e - s }')
    if [[ -z $file ]]; then
      capped[$tool]=1
      row "$tool" "$n" skipped
      bench_emit tool="$tool" rows="$n" skipped="input over SCALING_MAX_MB=$max_mb MB"
      continue
    fi
    # export is also a shell builtin, hence the binaries by their paths.
    case $tool in
      csv2jsonl) command=("$bin/csv2jsonl" --quiet "$file") ;;
      consensus) command=("$bin/consensus" --quiet "$file") ;;
      bucket) command=("$bin/bucket" --quiet --key "challenge,model" --ratios "80,10,10" --names "train,validation,test" "$file") ;;
      jsonl2csv) command=("$bin/jsonl2csv" --quiet "$file") ;;
      pairup) command=(env SOURCE_DATE_EPOCH=0 "$bin/pairup" --quiet "$file") ;;
      duel-judge) command=("$bin/duel-judge" --quiet "$file") ;;
      report) command=("$bin/report" --quiet --edges "66,80" --id "instance_id,turn" "$file") ;;
      export) command=("$bin/export" --quiet --to trl-chat "$file") ;;
      balance) command=("$bin/balance" --quiet --require passed --dedup problem_id --stratum difficulty
        --mix "easy=50,medium=30,hard=20" --total $((n / 10 < 100000 ? n / 10 : 100000)) --seed 0
        --stats "$work/balance.stats" "$file") ;;
      votes) command=("$bin/votes" --quiet --rater judge "$file") ;;
      turns) command=("$bin/turns" --quiet --rate 0.001 "$file") ;;
    esac
    cat "$file" > /dev/null # warm the page cache (at 10 M records it may not all fit)
    rm -f "$work/$tool-$n"
    # Standard error kept aside (duel-judge's verdict line is not silenced by --quiet), shown on failure.
    for ((run = 1; run <= r; run++)); do
      (bench_time "$work/$tool-$n" "${command[@]}") 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
    done
    read -r median rss cpu < <(bench_summary "$work/$tool-$n")
    bytes=$(stat -c %s "$file")
    read -r speed rate per_record < <(awk -v b="$bytes" -v n="$n" -v t="$median" -v c="$cpu" \
      'BEGIN { t = t > 0.01 ? t : 0.01; printf "%.1f %.0f %.0f\n", b / 1e6 / t, n / t, c * 1e9 / n }')
    row "$tool" "$n" "$median" "$cpu" "$speed" "$rate" "$rss" "$per_record"
    bench_emit tool="$tool" input="$(basename "$file")" rows="$n" bytes="$bytes" runs="$r" median_s="$median" \
      cpu_s="$cpu" mb_per_s="$speed" records_per_s="$rate" rss_mib="$rss" cpu_ns_per_record="$per_record"
    if [[ $streaming == *" $tool "* ]]; then
      if ((n >= 1000000)); then
        targets+=("$tool, $n records: peak RSS <= 64 MiB|$rss")
        unset 'largest[$tool]'
      else
        largest[$tool]="$n|$rss"
      fi
    fi
    if repeated "$tool" "$n" && (($(free_gb) < min_free_gb)); then
      later=0
      for other in "${tools[@]:index+1}"; do [[ $(path "$other" "$n") == "$file" ]] && later=1; done
      if ((later == 0)); then
        echo "deleting $file (made by repetition; under $min_free_gb GiB free)" >&2
        rm -f "$file"
      fi
    fi
  done
  awk -v s="$size_start" -v e="$(date +%s.%N)" -v m="$making" -v n="$n" \
    'BEGIN { printf "(%d records: %.0f s of wall time, %.0f s of it making inputs)\n", n, e - s, m }'
done
# A streaming tool whose larger sizes were skipped (turns, by SCALING_MAX_MB) gets its row at its
# largest measured size, when that is under 1 M records.
for tool in "${!capped[@]}"; do
  [[ -n ${largest[$tool]:-} ]] || continue
  IFS='|' read -r n rss <<< "${largest[$tool]}"
  targets+=("$tool, $n records: peak RSS <= 64 MiB|$rss")
done
for line in "${targets[@]}"; do
  IFS='|' read -r label rss <<< "$line"
  result=$(awk -v r="$rss" 'BEGIN { print (r <= 64) ? "PASS" : "MISS" }')
  printf 'target %s: %s MiB %s\n' "$label" "$rss" "$result"
  bench_emit target="$label" measured="$rss MiB" result="$result"
done
echo "timer resolution is 10 ms: at 10 k records the figures are dominated by it and by start-up"
