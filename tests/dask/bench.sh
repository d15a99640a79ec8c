#!/usr/bin/env bash
# The measurement in docs/SCALING.md (not run by ctest): the single-process pipeline against
# scripts/prefline-dask with 1 and 2 local workers, wall and CPU (user+sys of the whole process
# tree, bash 'time'), load average before each run; every output is compared with cmp.
# Usage: tests/dask/bench.sh BUILD/bin WORKDIR [ROUNDS]
#   A: 3 M grades of 100 000 items (generated into WORKDIR, 573 MB) with pairs;
#   B: bench/data/grades-1000000.csv (generated when missing) given three times, --stage items.
set -euo pipefail
bin=$(cd "$1" && pwd); work=$2; rounds=${3:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"; cd "$work"
export SOURCE_DATE_EPOCH=1750000000 PATH="$bin:$PATH"
TIMEFORMAT='wall %R s  cpu(user+sys) %U+%S s'
[[ -f big.csv ]] || python3 "$root/bench/gen_grades.py" --rows 3000000 --items 100000 --seed 3 -o big.csv
[[ -f bigresp.jsonl ]] || /usr/bin/python3 - "$root/bench" <<'PY'
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from gen_grades import MODELS
with open("bigresp.jsonl", "w") as out:
    for c in range(100000 // len(MODELS) + 1):
        for model in MODELS:
            out.write(json.dumps({"challenge": f"ch{c:04d}", "model": model, "response": f"answer of {model} to ch{c:04d}"}) + "\n")
PY
few=$root/bench/data/grades-1000000.csv
[[ -f $few ]] || python3 "$root/bench/gen_grades.py" --rows 1000000 -o "$few"
for round in $(seq "$rounds"); do
  echo "== round $round, A: 3 M grades, 100 000 items, pairs"
  uptime; time (csv2jsonl big.csv | consensus | pairup --responses bigresp.jsonl > a.ref)
  for n in 1 2; do
    uptime; echo "prefline-dask --local $n"
    time "$root/scripts/prefline-dask" --local "$n" --bin "$bin" big.csv -o "a.$n" -- --responses bigresp.jsonl
    cmp "a.$n" a.ref && echo identical
  done
  echo "== round $round, B: 3 M grades, 782 items, --stage items"
  uptime; time (csv2jsonl "$few" "$few" "$few" | consensus > b.ref)
  for n in 1 2; do
    uptime; echo "prefline-dask --local $n --stage items"
    time "$root/scripts/prefline-dask" --local "$n" --bin "$bin" --stage items "$few" "$few" "$few" -o "b.$n"
    cmp "b.$n" b.ref && echo identical
  done
done
