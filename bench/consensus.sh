#!/usr/bin/env bash
# Benchmark consensus against Miller and pandas on the same grade records (DESIGN.md §4).
#
# Usage: bench/consensus.sh [ROWS]        (default ROWS=1000000 grade records, ~306 MB of JSONL)
# Environment: RUNS   timed runs per tool (default 5), alternating between the tools
#              STRICT=1  exit 1 when a target is missed or pandas disagrees (default: report only)
#              CONSENSUS another binary to measure (default $BIN/consensus)
#              PYTHON    the Python that runs bench/consensus_pandas.py (default: the first of
#                        python3, /usr/bin/python3 that imports pandas)
#              ITEMS     item counts of the memory-growth inputs (default "1000 10000 100000";
#                        empty: none, as make bench does, where bench/memory.sh measures them)
#              BIN, BENCH_DATA, BENCH_RESULTS: see bench/lib.bash
#
# Needs build/bin/consensus and build/bin/csv2jsonl (a Release build: `make build`).
# Inputs, made once and kept in bench/data/:
#   grades-ROWS.csv           bench/gen_grades.py --rows ROWS (the default 782 items, 26 graders)
#   grades-ROWS.jsonl         csv2jsonl grades-ROWS.csv: the input of consensus
#   grades-ROWS-itemsN.jsonl  the same from gen_grades.py --rows ROWS --items N (memory growth)
# Peers, on the same input:
#   mlr stats1 -a mean,median,stddev,count -f grade,aesthetics -g challenge,model, on the JSONL and
#     on the CSV. Less work than consensus: no duplicate handling, no complete-rater filter, no
#     trimmed mean, raters or flags; it is the floor of what a generic tool costs.
#   bench/consensus_pandas.py on the JSONL and on the CSV: the same semantics as consensus with its
#     defaults; its output must equal consensus's (numbers within 1e-9), checked on every run.
# Miller (`mlr`), pandas (`python3-pandas`) and GNU time (`/usr/bin/time`) are installed with
# apt-get when missing (as root, or through sudo); a peer that cannot be installed is reported as
# skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib.bash

readonly TARGET_RECORDS_PER_S=1500000
readonly TARGET_RSS_ITEMS=10000
readonly TARGET_RSS_MIB=64
readonly TOLERANCE=1e-9

rows=${1:-1000000}
runs=${RUNS:-5}
strict=${STRICT:-0}
tool=${CONSENSUS:-$bin/consensus}
converter=$bin/csv2jsonl
item_counts=${ITEMS-1000 10000 100000}
csv=$data_dir/grades-${rows}.csv
jsonl=$data_dir/grades-${rows}.jsonl

die() { echo "bench/consensus.sh: $*" >&2; exit 1; }

[[ $rows =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, not '$rows'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$runs'"
for n in $item_counts; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "ITEMS must be positive integers, not '$n'"
done

# Installs a Debian package through the project's one installer (only when
# missing); non-zero when that is not possible here.
install_debian_package() { scripts/install-deps "$1" >&2; }

[[ -x $tool ]] || die "$tool not found: build it first with 'make build' (Release)"
[[ -x $converter ]] || die "$converter not found: build it first with 'make build' (Release)"
if [[ -f $bin/../CMakeCache.txt ]]; then
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$bin/../CMakeCache.txt")
    [[ $build_type == Release ]] ||
        echo "warning: $bin/.. is configured as '${build_type:-no build type}', not Release; figures are not representative" >&2
fi

if [[ ! -x /usr/bin/time ]]; then
    install_debian_package time || die "/usr/bin/time (Debian package 'time') is missing and could not be installed"
fi

have_mlr=1
if ! command -v mlr >/dev/null 2>&1; then
    install_debian_package miller || have_mlr=0
fi

# The Debian package installs pandas for /usr/bin/python3, which need not be the first python3.
find_pandas_python() {
    local candidate
    for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
        if "$candidate" -c 'import pandas' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
have_pandas=1
if ! python=$(find_pandas_python); then
    if [[ -n ${PYTHON:-} ]] || ! install_debian_package python3-pandas || ! python=$(find_pandas_python); then
        have_pandas=0
    fi
fi

# Other work on the machine skews the figures, Miller's (multi-threaded) most of all.
if [[ -r /proc/loadavg ]]; then
    read -r load _ </proc/loadavg
    awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' &&
        echo "warning: load average $load before the run; figures may be noisy" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ ! -f $csv ]]; then
    echo "generating $csv ($rows rows)..." >&2
    python3 bench/gen_grades.py --rows "$rows" -o "$csv"
fi
if [[ ! -f $jsonl ]]; then
    echo "converting $csv to $jsonl..." >&2
    "$converter" --quiet -o "$jsonl" "$csv"
fi
# The memory-growth inputs: only the JSONL is kept (csv2jsonl -o writes it atomically).
items_file() { echo "$data_dir/grades-${rows}-items$1.jsonl"; }
for n in $item_counts; do
    file=$(items_file "$n")
    [[ -f $file ]] && continue
    echo "generating $file ($rows rows, $n items)..." >&2
    python3 bench/gen_grades.py --rows "$rows" --items "$n" -o "$work/items.csv"
    "$converter" --quiet -o "$file" "$work/items.csv"
    rm -f "$work/items.csv"
done

records=$(wc -l <"$jsonl")
[[ $records -eq $rows ]] || die "$jsonl has $records records, not $rows: delete it to convert again"
cat "$csv" "$jsonl" >/dev/null # warm the page cache so the first timed run is not a disk read

# time_run NAME COMMAND...: appends "wall_seconds peak_rss_kib" to $work/NAME.time and keeps the
# output of the last run in $work/NAME.out.
time_run() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$work/last" "$@" >"$work/$name.out" ||
        die "'$*' failed (exit $?)"
    cat "$work/last" >>"$work/$name.time"
}

mlr_stats=(stats1 -a "mean,median,stddev,count" -f "grade,aesthetics" -g "challenge,model")
pandas_script=bench/consensus_pandas.py
for ((run = 1; run <= runs; run++)); do
    time_run consensus "$tool" --quiet "$jsonl"
    if ((have_mlr)); then
        time_run mlr-jsonl mlr --ijsonl --ojsonl "${mlr_stats[@]}" "$jsonl"
        time_run mlr-csv mlr --icsv --ojsonl "${mlr_stats[@]}" "$csv"
    fi
    if ((have_pandas)); then
        time_run pandas-jsonl "$python" "$pandas_script" "$jsonl"
        time_run pandas-csv "$python" "$pandas_script" "$csv"
    fi
done
for n in $item_counts; do
    for ((run = 1; run <= runs; run++)); do
        time_run "items$n" "$tool" --quiet "$(items_file "$n")"
    done
done

# summary NAME BYTES -> "median_seconds records_per_s mb_per_s max_rss_mib"
summary() {
    sort -n -k1,1 "$work/$1.time" | awk -v bytes="$2" -v records="$rows" '
        { wall[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            median = (NR % 2) ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2
            # %e has a 10 ms resolution; never divide by zero on tiny inputs.
            seconds = median > 0.01 ? median : 0.01
            printf "%.3f %.0f %.1f %.1f\n", median, records / seconds, bytes / 1e6 / seconds, rss / 1024
        }'
}

jsonl_bytes=$(stat -c %s "$jsonl")
csv_bytes=$(stat -c %s "$csv")
read -r ours_median ours_rate ours_speed ours_rss < <(summary consensus "$jsonl_bytes")
ours_items=$(wc -l <"$work/consensus.out")

echo "consensus benchmark: $rows grade records; $jsonl ($(awk -v b="$jsonl_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB)," \
    "$csv ($(awk -v b="$csv_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB); $runs runs per tool, alternating"
table_row() { printf '%-13s %-6s %14s %12s %8s %14s %8s %6s\n' "$@"; }
table_row tool input "median wall s" "records/s" "MB/s" "peak RSS MiB" speedup items
table_row consensus jsonl "$ours_median" "$ours_rate" "$ours_speed" "$ours_rss" - "$ours_items"
cpu_median() { awk '{ print $3 + $4 }' "$work/$1.time" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bench_emit tool=consensus input="$(basename "$jsonl")" rows="$rows" bytes="$jsonl_bytes" runs="$runs" median_s="$ours_median" \
    records_per_s="$ours_rate" mb_per_s="$ours_speed" rss_mib="$ours_rss" cpu_s="$(cpu_median consensus)" outputs="$ours_items"
# peer_row NAME INPUT BYTES: one line of the table for a peer.
peer_row() {
    local median rate speed rss ratio
    read -r median rate speed rss < <(summary "$1" "$3")
    ratio=$(awk -v peer="$median" -v ours="$ours_median" 'BEGIN { printf "%.1fx", peer / (ours > 0.01 ? ours : 0.01) }')
    table_row "$1" "$2" "$median" "$rate" "$speed" "$rss" "$ratio" "$(wc -l <"$work/$1.out")"
    bench_emit tool="$1" input="$(basename "$([[ $2 == csv ]] && echo "$csv" || echo "$jsonl")")" rows="$rows" bytes="$3" \
        runs="$runs" median_s="$median" records_per_s="$rate" mb_per_s="$speed" rss_mib="$rss" cpu_s="$(cpu_median "$1")" \
        outputs="$(wc -l <"$work/$1.out")"
}
if ((have_mlr)); then
    peer_row mlr-jsonl jsonl "$jsonl_bytes"
    peer_row mlr-csv csv "$csv_bytes"
else
    echo "skipped: miller not installed (no mlr, and apt-get install miller was not possible)"
fi
if ((have_pandas)); then
    peer_row pandas-jsonl jsonl "$jsonl_bytes"
    peer_row pandas-csv csv "$csv_bytes"
else
    echo "skipped: pandas not available (${PYTHON:+PYTHON=$PYTHON does not import pandas, }no python3 with pandas, and apt-get install python3-pandas was not possible)"
fi
echo "records/s: input grade records / median wall; MB/s: the tool's own input file; speedup:" \
    "peer wall / consensus wall; items: output lines (mlr writes every group, consensus and pandas" \
    "only the items with vote_count >= 1)"
echo "consensus wall s per run, in run order: $(awk '{ printf "%s%s", sep, $1; sep = " " }' "$work/consensus.time")"
awk -v m="$ours_median" 'BEGIN { exit !(m < 0.1) }' &&
    echo "warning: consensus median run under 0.1 s, timer resolution is 10 ms; use more ROWS" >&2

# check NAME: compares $work/NAME.out with consensus's output; prints one line, exit 0 if equal.
check() {
    python3 - "$work/consensus.out" "$work/$1.out" "$1" "$TOLERANCE" <<'EOF'
import json, math, sys

ours_path, theirs_path, name, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
ours = [json.loads(line) for line in open(ours_path, encoding="utf-8")]
theirs = [json.loads(line) for line in open(theirs_path, encoding="utf-8")]
problems, largest = [], 0.0

def compare(a, b, where):
    global largest
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            problems.append(f"{where}: keys {list(a)} vs {list(b)}")
            return
        for key in a:
            compare(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        difference = abs(a - b)
        largest = max(largest, difference)
        if not difference <= tolerance:
            problems.append(f"{where}: consensus {a!r}, {name} {b!r}")
    elif a != b:
        problems.append(f"{where}: consensus {json.dumps(a)}, {name} {json.dumps(b)}")

def sds(record):
    return ", ".join(f"{dimension} {stats['sd']!r}" for dimension, stats in record["scores"].items())

if len(ours) != len(theirs):
    problems.append(f"item count: consensus {len(ours)}, {name} {len(theirs)}")
for line, (a, b) in enumerate(zip(ours, theirs), 1):
    before = len(problems)
    compare(a, b, f"line {line} ({a.get('challenge')}, {a.get('model')})")
    if len(problems) > before and a.get("flags") != b.get("flags"):  # show what high_variance saw
        problems[-1] += f" (sd: consensus {sds(a)}; {name} {sds(b)})"
fields = "mean, median, trimmed_mean, sd, min, max, n, overall, vote_count, raters, flags, order"
if problems:
    print(f"check {name} vs consensus: MISMATCH, {len(problems)} difference{'s' * (len(problems) != 1)} "
          f"({fields}); first ones:")
    for problem in problems[:5]:
        print(f"  {problem}")
    sys.exit(1)
print(f"check {name} vs consensus: OK, {len(ours)} items equal ({fields}; "
      f"largest |difference| {largest:.3g} <= {tolerance:g})")
EOF
}

echo
mismatches=0
if ((have_pandas)); then
    for name in pandas-jsonl pandas-csv; do
        if line=$(check "$name"); then result=PASS; else result=MISS; mismatches=$((mismatches + 1)); fi
        echo "$line"
        summary_line=$(head -n 1 <<<"$line")
        summary_line=${summary_line#*consensus: }
        bench_emit target="consensus output equals $name output" measured="${summary_line%% (*}" result="$result"
    done
fi

echo
echo "memory growth: consensus on $rows grade records (gen_grades.py --items N), $runs runs each"
growth_row() { printf '%-34s %9s %14s %12s %14s\n' "$@"; }
growth_row input "items out" "median wall s" "records/s" "peak RSS MiB"
growth_row "$(basename "$jsonl")" "$ours_items" "$ours_median" "$ours_rate" "$ours_rss"
target_rss=
for n in $item_counts; do
    file=$(items_file "$n")
    read -r median rate _ rss < <(summary "items$n" "$(stat -c %s "$file")")
    growth_row "$(basename "$file")" "$(wc -l <"$work/items$n.out")" "$median" "$rate" "$rss"
    [[ $n -eq $TARGET_RSS_ITEMS ]] && target_rss=$rss
done

missed=0
# target LABEL MEASURED OK(1/0/-): prints one line of the targets table, counting misses.
target() {
    local result=SKIPPED
    case $3 in
    1) result=PASS ;;
    0)
        result=MISS
        missed=$((missed + 1))
        ;;
    esac
    printf '%-44s %18s  %s\n' "$1" "$2" "$result"
    bench_emit target="$1" measured="$2" result="$result"
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? 1 : 0 }'; }

echo
printf '%-44s %18s  %s\n' "target (DESIGN.md §4, consensus issue)" measured result
target "consensus >= 1.5 M grade records/s" "$(awk -v r="$ours_rate" 'BEGIN { printf "%.2f M/s", r / 1e6 }')" \
    "$(at_least "$ours_rate" "$TARGET_RECORDS_PER_S")"
label="$rows grades, $TARGET_RSS_ITEMS items: RSS < $TARGET_RSS_MIB MiB"
if [[ -n $target_rss ]]; then
    target "$label" "$target_rss MiB" "$(below "$target_rss" "$TARGET_RSS_MIB")"
elif [[ -n $item_counts ]]; then
    target "$label" "n/a (not in ITEMS)" -
fi
[[ $rows -eq 1000000 ]] || echo "note: the targets are stated for 1000000 grade records, this run has $rows"

if [[ $strict == 1 ]] && ((missed + mismatches > 0)); then
    exit 1
fi
