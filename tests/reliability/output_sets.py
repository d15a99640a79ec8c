#!/usr/bin/env python3
"""All files or none: a tool with side files (consensus --stats, pairup
--stats, bucket --stats and --out-dir, report --html, duel-judge --stats,
generate --stats, votes --stats, --ratings and --ratings-md, --rejects of every tool) publishes
them only when every one of them is written. A full disk (/dev/full) on the
-o file or on a side file, with the options in either order on the command
line, must end with exit 1, 'TOOL: write error: '/dev/full': No space left
on device' as the last line on stderr, and no file of the set (nor a temp
file) in the folder.

Usage: output_sets.py --bin DIR
"""
import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

ENOSPC = "No space left on device"
COUNT = 40


def with_bad_line(records):
    return records[:len(records) // 2] + relib.BAD_JSON_LINE + records[len(records) // 2:]


def jsonl(make):
    return b"".join(make(i) for i in range(COUNT))


def verdict_turn(i):
    """A duel turn with its verdicts on it (duel-judge scores it without judges)."""
    verdict = {metric: (i + k) % 3 for k, metric in
               enumerate(("correctness", "grounding", "progress", "protocol", "efficiency"))}
    judgements = [{"judge": "j", "order": order, "verdict": verdict} for order in ("ab", "ba")]
    return (json.dumps({"id": i, "prompt": f"task {i}", "king": f"king {i}", "challenger": f"challenger {i}",
                        "judgements": judgements}, separators=(",", ":")) + "\n").encode()


def prompt_record(i):
    return (json.dumps({"id": i, "prompt": f"question {i}"}) + "\n").encode()


# generate's model: a local command that answers with the prompt (no server needed).
MODELS_DIR = tempfile.mkdtemp(prefix="output-sets-models-")
atexit.register(shutil.rmtree, MODELS_DIR, True)
MODELS = os.path.join(MODELS_DIR, "models.json")
with open(MODELS, "w") as models_file:
    json.dump([{"name": "echo", "command": ["cat"]}], models_file)

GRADES_CSV = relib.GRADES_HEADER + b"".join(relib.grade_row(i) for i in range(COUNT))
SKIP = ["--skip-invalid", "--rejects"]

# tool, fixed options, valid input, the -o option, the side-file options ("{}"
# marks where the file name goes).
CASES = [
    ("consensus", [], jsonl(relib.grade_record), ["-o", "{}"],
     [["--stats", "{}"], [*SKIP, "{}"]]),
    ("pairup", [], jsonl(relib.item_record), ["-o", "{}"],
     [["--stats", "{}"], [*SKIP, "{}"]]),
    ("bucket", ["--key", "prompt", "--ratios", "50,50", "--names", "a,b"], jsonl(relib.pair_record),
     ["-o", "{}"], [["--stats", "{}"], [*SKIP, "{}"]]),
    ("csv2jsonl", [], GRADES_CSV, ["-o", "{}"], [[*SKIP, "{}"]]),
    ("jsonl2csv", [], jsonl(relib.judged_record), ["-o", "{}"], [[*SKIP, "{}"]]),
    ("export", ["--to", "trl"], jsonl(relib.pair_record), ["-o", "{}"], [[*SKIP, "{}"]]),
    ("balance", [], jsonl(relib.candidate_record), ["-o", "{}"], [["--stats", "{}"], [*SKIP, "{}"]]),
    ("report", [], jsonl(relib.judged_record), ["-o", "{}"], [["--html", "{}"], [*SKIP, "{}"]]),
    ("duel-judge", [], jsonl(verdict_turn), ["-o", "{}"], [["--stats", "{}"], [*SKIP, "{}"]]),
    ("generate", ["--models", MODELS], jsonl(prompt_record), ["-o", "{}"], [["--stats", "{}"], [*SKIP, "{}"]]),
    ("votes", ["--rater", "judge"], jsonl(relib.vote_record), ["-o", "{}"],
     [["--stats", "{}"], ["--ratings", "{}"], ["--ratings-md", "{}"], [*SKIP, "{}"]]),
]


def fill(option, name):
    return [name if part == "{}" else part for part in option]


def run(binary, args, data, folder):
    result = subprocess.run([binary, "--quiet", *args], cwd=folder, input=data, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, timeout=120)
    err = result.stderr.decode(errors="replace")
    return result.returncode, (err.splitlines() or [""])[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-output-sets.")
    try:
        for tool, options, records, main_option, sides in CASES:
            binary = os.path.join(args.bin, tool)
            folder = os.path.join(work, tool)
            os.makedirs(folder)
            expected = (1, f"{tool}: write error: '/dev/full': {ENOSPC}")
            for side in sides:
                side_name = side[0].lstrip("-")
                # --rejects needs a bad record to write (csv2jsonl: a ragged row at the end).
                data = records
                if side[0] == "--skip-invalid":
                    side_name = "rejects"
                    data = records + b"ragged,row\n" if tool == "csv2jsonl" else with_bad_line(records)
                # The control run: both files appear.
                status, _ = run(binary, [*options, *fill(main_option, "main.out"), *fill(side, "side.out")], data,
                                folder)
                checker.check(f"{tool} {side_name}: control run writes both files", (0, ["main.out", "side.out"]),
                              (status, sorted(os.listdir(folder))))
                for name in os.listdir(folder):
                    os.unlink(os.path.join(folder, name))
                for failing in ("main", "side"):
                    main_file = "/dev/full" if failing == "main" else "main.out"
                    side_file = "/dev/full" if failing == "side" else "side.out"
                    for order in ("main first", "side first"):
                        parts = [fill(main_option, main_file), fill(side, side_file)]
                        if order == "side first":
                            parts.reverse()
                        argv = [*options, *parts[0], *parts[1]]
                        what = f"{tool}: {failing} file on /dev/full, {side_name} side file, {order}"
                        checker.check(f"{what}: exit 1, write error", expected, run(binary, argv, data, folder))
                        checker.check(f"{what}: no file of the set left", [], sorted(os.listdir(folder)))
                        for name in os.listdir(folder):
                            os.unlink(os.path.join(folder, name))

        # bucket --out-dir: the bucket files, --stats and --rejects together.
        binary = os.path.join(args.bin, "bucket")
        folder = os.path.join(work, "bucket-out-dir")
        os.makedirs(os.path.join(folder, "split"))
        data = with_bad_line(jsonl(relib.pair_record))
        base = ["--key", "prompt", "--ratios", "50,50", "--names", "a,b", "--out-dir", "split", "--force",
                "--skip-invalid"]
        for argv, what in (([*base, "--stats", "/dev/full", "--rejects", "r.jsonl"], "--stats"),
                           ([*base, "--rejects", "/dev/full", "--stats", "s.json"], "--rejects")):
            checker.check(f"bucket --out-dir: {what} on /dev/full: exit 1, write error",
                          (1, f"bucket: write error: '/dev/full': {ENOSPC}"), run(binary, argv, data, folder))
            checker.check(f"bucket --out-dir: {what} on /dev/full: no bucket file, no summary", ["split"],
                          relib.listing(folder))

        # export --dataset-dir: the folder and --rejects together.
        binary = os.path.join(args.bin, "export")
        folder = os.path.join(work, "export-dataset")
        os.makedirs(folder)
        data = with_bad_line(jsonl(relib.pair_record))
        checker.check("export --dataset-dir: --rejects on /dev/full: exit 1, write error",
                      (1, f"export: write error: '/dev/full': {ENOSPC}"),
                      run(binary, ["--to", "trl", "--dataset-dir", "dataset", *SKIP, "/dev/full"], data, folder))
        checker.check("export --dataset-dir: --rejects on /dev/full: no dataset folder", [], relib.listing(folder))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
