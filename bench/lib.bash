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

# bench_install_time: GNU time is needed by every script.
bench_install_time() {
  [[ -x /usr/bin/time ]] || scripts/install-deps time >&2 ||
    bench_die "/usr/bin/time (Debian package 'time') is missing and could not be installed"
}

# bench_pandas_python: prints the first of $PYTHON, python3, /usr/bin/python3 that imports pandas
# (installing python3-pandas when none does); non-zero when there is none.
bench_pandas_python() {
  local candidate
  for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
    if "$candidate" -c 'import pandas' > /dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  [[ -z ${PYTHON:-} ]] && scripts/install-deps python3-pandas >&2 && /usr/bin/python3 -c 'import pandas' > /dev/null 2>&1 &&
    { echo /usr/bin/python3; return 0; }
  return 1
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
