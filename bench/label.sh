#!/usr/bin/env bash
# Benchmark label --rate (issue 20): the time the server takes to save one grade, and opening a
# large item set.
#  1. vizhub: POSTS grades over one keep-alive connection on 90 items (18 challenges x 5 models,
#     ~1 KB responses); the grader goes round the items again and again, so the sheet stays at 90
#     rows. Also GET / and GET /api/items on them.
#  2. big: POSTS grades on BIG_ITEMS items from an empty sheet (about one new row per 2.15
#     grades: both scales, some notes and auto-fails); the start until the URL line, the server's
#     RSS, GET / (and app.js, app.css) and GET /api/items at the end of the list (offset
#     BIG_ITEMS-100, limit 100).
#  3. sheet-R for each R of PREFILLS: the same items with R rows already in the grader's journal
#     (bench/gen_label_items.py writes it; label replays it at the start, timed), then
#     SHEET_POSTS grades on items not graded yet: how a grade's time grows with the rows of the
#     sheet, which label rewrites whole after every grade.
#  4. disk: fdatasync(2) of a 200-byte append, SYNCS times (default 1000), in the same folder: the floor every
#     saved grade pays (the journal is synced before the reply).
#  5. vizhub-tmpfs and sheet-R-tmpfs (R the largest of PREFILLS): scenarios 1 and 3 again in a
#     folder on /dev/shm (when it is a tmpfs), where fdatasync costs nothing: label's own share
#     of the time.
# Each grade's server time is its `Server-Timing: save;dur=MS` header (parse, journal append +
# fdatasync, sheet rewritten); the round trip is the client's (bench/label_client.py, Python
# http.client), both as p50/p95/p99/max, and per 1000 grades as the sheet fills.
# Target (issue 20, DESIGN.md §4): a grade answered in <= 5 ms at the server, p99 over the POSTS.
#
# Usage: bench/label.sh [POSTS] [BIG_ITEMS]   (defaults 10000 and 100000)
# Environment: PREFILLS prefilled sheet sizes (default "10000 30000 90000"; each < BIG_ITEMS;
#              "" skips scenario 3), SHEET_POSTS grades posted on each (default 1000), SYNCS the
#              fdatasync probes of scenario 4 (default 1000), STRICT=1
#              (exit 1 when a target is missed), WORK (the folder the servers write to; default a
#              new folder under BENCH_DATA, on the disk the repository is on), BIN, BENCH_DATA,
#              BENCH_RESULTS: see bench/lib.bash
# Quick check of the script (what ctest label/bench-quick runs):
#   PREFILLS=1500 SHEET_POSTS=100 SYNCS=50 bench/label.sh 300 2000
# Never fails on timing unless STRICT=1; fails when a grade is not saved or the files written do
# not hold what was posted (bench/label_client.py checks them).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash

posts=${1:-10000}
big_items=${2:-100000}
prefills=${PREFILLS-10000 30000 90000}
sheet_posts=${SHEET_POSTS:-1000}
syncs=${SYNCS:-1000}
strict=${STRICT:-0}
readonly VIZHUB_ITEMS=90 TARGET_P99_MS=5
(( big_items >= 100 )) || bench_die "BIG_ITEMS ($big_items) must be at least 100"
for prefill in $prefills; do
  (( prefill + sheet_posts < big_items )) ||
    bench_die "a prefilled sheet of $prefill rows and $sheet_posts grades needs more than $big_items items"
done
bench_need_bin label
bench_warn_load

items() {  # items N: the path of the items file with N items, generated when missing
  local file=$data_dir/label-items-$1.jsonl
  if [[ ! -f $file ]]; then
    echo "generating $file..." >&2
    python3 bench/gen_label_items.py --items "$1" -o "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}
vizhub_items=$(items "$VIZHUB_ITEMS")
big=$(items "$big_items")
journal() {  # journal ROWS: the path of the journal with ROWS rows of the big items graded
  local file=$data_dir/label-journal-$big_items-$1.jsonl
  if [[ ! -f $file ]]; then
    echo "generating $file..." >&2
    python3 bench/gen_label_items.py --items "$big_items" -o /dev/null --journal "$file.tmp" --journal-rows "$1"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}
cat "$big" > /dev/null  # in the page cache: the start measures label, not the disk

work=${WORK:-$(mktemp -d "$data_dir/label-work.XXXXXX")}
shm_work=
cleanup() {
  [[ -n ${WORK:-} ]] || rm -rf "$work"
  [[ -z $shm_work ]] || rm -rf "$shm_work"
}
trap cleanup EXIT
mkdir -p "$work"
read -r filesystem fs_type < <(df -T "$work" | awk 'NR == 2 { print $1, $2 }')
echo "label benchmark: $posts grades a run; the servers write to $work ($fs_type on $filesystem)"
bench_emit tool=label-disk scenario=disk folder="$work" filesystem="$filesystem" fs_type="$fs_type"

missed=0
client() {  # client SCENARIO ITEMS COUNT OUT POSTS [ARGS...]
  local scenario=$1 file=$2 count=$3 out=$4 how_many=$5
  shift 5
  echo
  mkdir -p "$out"
  python3 bench/label_client.py --label "$bin/label" --items "$file" --item-count "$count" --out "$out" \
    --posts "$how_many" --scenario "$scenario" ${BENCH_RESULTS:+--results "$BENCH_RESULTS"} \
    "$@" | tee "$work/$scenario.log"
  grep -q '^target .* MISS$' "$work/$scenario.log" && missed=1
  return 0
}

# 4 first: the disk's own figure, before the runs fill the page cache with dirty sheets.
echo
python3 - "$work" "$fs_type" "$syncs" <<'EOF' | tee "$work/disk.log"
import math, os, sys, time
path = os.path.join(sys.argv[1], "fdatasync.probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
times = []
for _ in range(int(sys.argv[3])):
    os.write(fd, b"x" * 199 + b"\n")
    started = time.perf_counter()
    os.fdatasync(fd)
    times.append((time.perf_counter() - started) * 1000)
os.close(fd)
os.unlink(path)
times.sort()
pick = lambda p: times[max(0, math.ceil(p / 100 * len(times)) - 1)]
print("disk (%s): fdatasync of a 200-byte append, %d times: p50 %.3f p95 %.3f p99 %.3f max %.3f ms"
      % (sys.argv[2], len(times), pick(50), pick(95), pick(99), times[-1]))
EOF
read -r p50 p95 p99 max < <(sed -E 's/.*p50 ([0-9.]+) p95 ([0-9.]+) p99 ([0-9.]+) max ([0-9.]+) ms$/\1 \2 \3 \4/' "$work/disk.log")
bench_emit tool=fdatasync scenario=disk fs_type="$fs_type" fsync_p50_ms="$p50" fsync_p95_ms="$p95" fsync_p99_ms="$p99" fsync_max_ms="$max"

target=(--target-p99-ms "$TARGET_P99_MS")
client vizhub "$vizhub_items" "$VIZHUB_ITEMS" "$work/vizhub" "$posts" --probe "${target[@]}"
client big "$big" "$big_items" "$work/big" "$posts" --probe "${target[@]}"
rm -rf "$work/vizhub" "$work/big"
for prefill in $prefills; do
  mkdir "$work/sheet-$prefill"
  cp "$(journal "$prefill")" "$work/sheet-$prefill/bench.journal.jsonl"
  client "sheet-$prefill" "$big" "$big_items" "$work/sheet-$prefill" "$sheet_posts" --prefilled "$prefill" "${target[@]}"
  rm -rf "$work/sheet-$prefill"
done
if [[ $(df -T /dev/shm 2> /dev/null | awk 'NR == 2 { print $2 }') == tmpfs ]]; then
  shm_work=$(mktemp -d /dev/shm/label-bench.XXXXXX)
  client vizhub-tmpfs "$vizhub_items" "$VIZHUB_ITEMS" "$shm_work/vizhub" "$posts"
  largest=$(tr ' ' '\n' <<< "$prefills" | grep . | sort -n | tail -n 1)
  if [[ -n $largest ]]; then
    mkdir "$shm_work/sheet-$largest"
    cp "$(journal "$largest")" "$shm_work/sheet-$largest/bench.journal.jsonl"
    client "sheet-$largest-tmpfs" "$big" "$big_items" "$shm_work/sheet-$largest" "$sheet_posts" --prefilled "$largest"
  fi
else
  echo "tmpfs: skipped, /dev/shm is not a tmpfs here"
fi
if [[ $strict == 1 && $missed == 1 ]]; then
  echo "bench/label.sh: a target was missed (STRICT=1)" >&2
  exit 1
fi
