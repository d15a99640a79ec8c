#!/usr/bin/env bash
# run_readme_examples.py fails on a README whose example fails, and says where:
# the README line, the command as written there, and its stderr; a skipped
# block is counted, not run; the blocks after a failing one still run.
#   tests/readme/failing_block.sh BIN_DIR
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
output=$(python3 tests/readme/run_readme_examples.py --bin "$1" --readme tests/readme/failing-example.md --no-demo 2>&1)
status=$?
expected="tests/readme/failing-example.md:16: the block at line 14 failed (exit 1)
  command: csv2jsonl --source examples/grades/no-such-grader.csv | consensus > out-items.jsonl
  stderr:
    csv2jsonl: cannot open 'examples/grades/no-such-grader.csv': No such file or directory
readme: 4 shell blocks in tests/readme/failing-example.md: 3 run, 1 failed, 1 skipped
  skipped line 10: shows that a skipped block is not run"
if [[ $status -ne 1 ]]; then
  echo "FAIL: exit $status, expected 1; output:" >&2
  echo "$output" >&2
  exit 1
fi
if [[ "$output" != "$expected" ]]; then
  echo "FAIL: unexpected output:" >&2
  diff <(echo "$expected") <(echo "$output") >&2
  exit 1
fi
echo "readme/failing-block: the failing block is named with its line, command and stderr"
