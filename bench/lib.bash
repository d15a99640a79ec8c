# shellcheck shell=bash
# Helpers shared by the bench/*.sh scripts. Source it after `cd` to the repository root.
#
# Environment read here (all optional):
#   BIN            the directory of the prefline binaries (default build/bin)
#   BENCH_DATA     where generated inputs are kept between runs (default bench/data, git-ignored)
#   BENCH_RESULTS  a file to which every measurement and target is appended as one JSON object a
#                  line (bench/collect.py turns it into bench/results.json); unset: nothing written
#   BENCH_NAME     the name of the calling script in those records (default its basename)

bin=${BIN:-build/bin}
data_dir=${BENCH_DATA:-bench/data}
bench_name=${BENCH_NAME:-$(basename "$0" .sh)}
mkdir -p "$data_dir"

bench_die() { echo "bench/$bench_name.sh: $*" >&2; exit 1; }

# bench_need_bin NAME...: each of $bin/NAME must exist. Warns (once per run) when they were not
# built the way make bench builds them: Release, -DPREFLINE_NATIVE=ON (simdjson picks its SIMD
# kernels at compile time; without it the figures are those of its portable fallback).
bench_need_bin() {
  local name cache=$bin/../CMakeCache.txt
  for name in "$@"; do
    [[ -x $bin/$name ]] || bench_die "$bin/$name not found: build it first with 'make bench' (or a Release build with -DPREFLINE_NATIVE=ON) or set BIN"
  done
  if [[ -f $cache && -z ${BENCH_BUILD_CHECKED:-} ]]; then
    export BENCH_BUILD_CHECKED=1
    grep -q '^CMAKE_BUILD_TYPE:[A-Z]*=Release$' "$cache" ||
      echo "warning: $bin/.. is not a Release build; figures are not representative" >&2
    grep -q '^PREFLINE_NATIVE:BOOL=ON$' "$cache" ||
      echo "warning: $bin/.. is built without -DPREFLINE_NATIVE=ON (make bench builds build-bench/ with it); figures are not representative" >&2
  fi
}

# bench_emit KEY=VALUE...: appends one JSON object to $BENCH_RESULTS (when set), with
# "bench": $bench_name first. Values that look like numbers are written as numbers, others as
# strings; a value "-" or "" is written as null.
bench_emit() {
  [[ -n ${BENCH_RESULTS:-} ]] || return 0
  local pair key value line
  line="{\"bench\":\"$bench_name\""
  for pair in "$@"; do
    key=${pair%%=*}
    value=${pair#*=}
    if [[ -z $value || $value == - ]]; then
      value=null
    elif ! [[ $value =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then
      value=${value//\\/\\\\}
      value=${value//\"/\\\"}
      value="\"$value\""
    fi
    line+=",\"$key\":$value"
  done
  echo "$line}" >> "$BENCH_RESULTS"
}

# bench_time FILE COMMAND...: runs COMMAND (its standard output to /dev/null) under /usr/bin/time and appends "wall_s peak_rss_kib cpu_s" to FILE, where cpu_s is
# user + system time of COMMAND and everything it waited for (so a `bash -c 'a | b'` counts
# both stages).
bench_time() {
  local file=$1
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$file.last" "$@" > /dev/null || bench_die "'$*' failed (exit $?)"
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$file.last" >> "$file"
}

# bench_summary FILE -> "median_wall_s max_rss_mib median_cpu_s" over the lines of FILE.
bench_summary() {
  awk '{ wall[NR] = $1; cpu[NR] = $3; if ($2 > rss) rss = $2 }
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { printf "%.3f %.1f %.2f\n", median(wall, NR), rss / 1024, median(cpu, NR) }' "$1"
}

# bench_install_time: GNU time is needed by every script (with BENCH_INSTALL=0, a missing one
# skips the script: see bench_no_peer).
bench_install_time() {
  [[ -x /usr/bin/time ]] && return 0
  [[ ${BENCH_INSTALL:-1} == 0 ]] && bench_no_peer "/usr/bin/time (Debian package 'time') is not installed"
  scripts/install-deps time >&2 ||
    bench_die "/usr/bin/time (Debian package 'time') is missing and could not be installed"
}

# bench_pandas_python: prints the first of $PYTHON, python3, /usr/bin/python3 that imports pandas
# (installing python3-pandas when none does, unless BENCH_INSTALL=0); non-zero when there is none.
bench_pandas_python() {
  local candidate
  for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
    if "$candidate" -c 'import pandas' > /dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  [[ -z ${PYTHON:-} && ${BENCH_INSTALL:-1} != 0 ]] && scripts/install-deps python3-pandas >&2 &&
    /usr/bin/python3 -c 'import pandas' > /dev/null 2>&1 &&
    { echo /usr/bin/python3; return 0; }
  return 1
}

# bench_miller: prints the path of Miller's mlr (installing Debian's miller when missing, unless
# BENCH_INSTALL=0); non-zero when there is none.
bench_miller() {
  if ! command -v mlr > /dev/null 2>&1; then
    [[ ${BENCH_INSTALL:-1} != 0 ]] && scripts/install-deps miller >&2 || return 1
  fi
  command -v mlr
}

# bench_no_peer MESSAGE: the peer is missing. With BENCH_INSTALL=0 (the quick modes ctest runs,
# which never install packages) the script ends with exit 77, ctest's SKIP_RETURN_CODE; otherwise
# it fails.
bench_no_peer() {
  if [[ ${BENCH_INSTALL:-1} == 0 ]]; then
    echo "bench/$bench_name.sh: skipped: $*" >&2
    exit 77
  fi
  bench_die "$*"
}

# bench_alternate RUNS WORK NAME...: runs the commands of the associative array `commands`
# (bash -c strings; each redirects its own output) named NAME..., RUNS times each, alternating,
# appending "wall_s peak_rss_kib cpu_s" to WORK/NAME.time (bench_time).
bench_alternate() {
  local runs=$1 work=$2 run name
  shift 2
  for ((run = 1; run <= runs; run++)); do
    for name in "$@"; do
      # shellcheck disable=SC2154 # commands: the caller's associative array, as documented above
      bench_time "$work/$name.time" bash -c "${commands[$name]}"
    done
  done
}

# bench_table ROWS BYTES INPUT WORK NAME...: prints one line per command measured by
# bench_alternate (median wall s, median cpu s, records/s, MB/s of the input, peak RSS), records
# each (bench_emit) and fills the global arrays bench_wall, bench_cpu and bench_rss (by NAME). The commands
# are shown with the input as FILE, the binaries by their names and the work folder left out.
declare -gA bench_wall bench_cpu bench_rss
bench_table() {
  local rows=$1 bytes=$2 input=$3 work=$4 name t rss cpu command rate
  shift 4
  printf '%-10s %-70s %9s %8s %11s %8s %9s\n' name command "median s" "cpu s" "records/s" "MB/s" "RSS MiB"
  for name in "$@"; do
    read -r t rss cpu < <(bench_summary "$work/$name.time")
    # shellcheck disable=SC2034 # bench_rss: read by the scripts (report.sh's RSS target)
    bench_wall[$name]=$t bench_cpu[$name]=$cpu bench_rss[$name]=$rss
    rate=$(awk -v n="$rows" -v t="$t" 'BEGIN { printf "%.0f", n / (t > 0.001 ? t : 0.001) }')
    command=${commands[$name]//"'$input'"/FILE}
    command=${command//"'$bin/"/"'"}
    command=${command//"'$work/"/"'"}
    printf '%-10s %-70s %9s %8s %11s %8s %9s\n' "$name" "$command" "$t" "$cpu" "$rate" \
      "$(awk -v s="$bytes" -v t="$t" 'BEGIN { printf "%.1f", s / 1e6 / (t > 0.001 ? t : 0.001) }')" "$rss"
    bench_emit tool="$name" command="$command" input="$(basename "$input")" rows="$rows" bytes="$bytes" \
      runs="${RUNS:-3}" median_s="$t" cpu_s="$cpu" records_per_s="$rate" rss_mib="$rss" \
      mb_per_s="$(awk -v s="$bytes" -v t="$t" 'BEGIN { printf "%.1f", s / 1e6 / (t > 0.001 ? t : 0.001) }')"
  done
}

# bench_ratio A B: B's median wall time / A's, and the same of cpu time, as "W C" (1 decimal).
bench_ratio() {
  awk -v a="${bench_wall[$1]}" -v b="${bench_wall[$2]}" -v ca="${bench_cpu[$1]}" -v cb="${bench_cpu[$2]}" \
    'BEGIN { printf "%.1f %.1f\n", b / (a > 0.001 ? a : 0.001), cb / (ca > 0.001 ? ca : 0.001) }'
}

# bench_target LABEL MEASURED PASS(1/0): prints "target LABEL: MEASURED PASS|MISS", records it
# and counts the misses in bench_missed.
bench_missed=0
bench_target() {
  local result=PASS
  if [[ $3 != 1 ]]; then result=MISS; bench_missed=$((bench_missed + 1)); fi
  echo "target $1: $2 $result"
  bench_emit target="$1" measured="$2" result="$result"
}

# bench_against_peer NAME PEER OUT PEER_OUT WHAT TIMES: the two targets of a peer that writes the
# same bytes: OUT and PEER_OUT equal ("NAME output = WHAT's, byte for byte") and NAME at least
# TIMES times PEER's speed (wall; cpu shown beside it). Outputs that differ end the run (exit 1,
# the first difference shown) whatever STRICT says: the speed of a wrong answer means nothing.
bench_against_peer() {
  local name=$1 peer=$2 out=$3 peer_out=$4 what=$5 times=$6 same=0 ratio cpu_ratio
  cmp -s "$out" "$peer_out" && same=1
  bench_target "$name output = $what's, byte for byte" "$(wc -l < "$out") lines, $(stat -c %s "$out") bytes" "$same"
  read -r ratio cpu_ratio < <(bench_ratio "$name" "$peer")
  bench_target "$name >= ${times}x $what" "${ratio}x wall, ${cpu_ratio}x cpu" \
    "$(awk -v r="$ratio" -v g="$times" 'BEGIN { print (r >= g) ? 1 : 0 }')"
  if [[ $same != 1 ]]; then
    cmp "$out" "$peer_out" >&2 || true
    bench_die "$name and $what wrote different output"
  fi
}

# bench_grades_csv ROWS: prints the path of the grades CSV with ROWS rows, generating it when
# missing (bench/gen_grades.py; the same stream for every ROWS, so smaller files are prefixes).
bench_grades_csv() {
  local file=$data_dir/grades-$1.csv
  if [[ ! -f $file ]]; then
    echo "generating $file ($1 rows)..." >&2
    python3 bench/gen_grades.py --rows "$1" -o "$file"
  fi
  echo "$file"
}

# bench_grades_jsonl ROWS: the grade records of bench_grades_csv ROWS (csv2jsonl, made once).
bench_grades_jsonl() {
  local csv file=$data_dir/grades-$1.jsonl
  csv=$(bench_grades_csv "$1")
  if [[ ! -f $file ]]; then
    echo "converting $csv to $file..." >&2
    "$bin/csv2jsonl" --quiet -o "$file" "$csv"
  fi
  echo "$file"
}

# Other work on the machine skews the figures.
bench_warn_load() {
  local load
  if [[ -r /proc/loadavg ]]; then
    read -r load _ < /proc/loadavg
    awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' &&
      echo "warning: load average $load before the run; figures may be noisy (cpu s is less affected)" >&2
  fi
  return 0
}

# bench_begin FILE: the start of a timed comparison on FILE: reads it once into the page cache,
# sets `size` (its bytes) and `work` (a scratch folder removed on exit), and warns when the
# machine is busy.
bench_begin() {
  cat "$1" > /dev/null
  # shellcheck disable=SC2034 # size and work are for the calling script
  size=$(stat -c %s "$1")
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  bench_warn_load
}
