#!/usr/bin/env python3
"""A full disk: every tool writing to /dev/full (standard output, -o, and each
side file: --rejects, --summary, --stats, --html) exits 1 with
'TOOL: write error: WHERE: No space left on device' and nothing else on
stderr, and, when the failing file is a side file, the -o file is not
created ('FILE appears only when the tool succeeds') and no temp file is left.

Each is run with a small output (the error comes when the output is
committed) and, for standard output and -o, with a large one (over the 1 MB
buffer: the error comes from a write in the middle of the run).

balance --append-csv is the exception: its row is appended only after the
output is committed (documented), so there the -o file is expected.

Usage: full_disk.py --bin DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

ENOSPC = "No space left on device"


def aggregate_turn(i):
    """A duel-judge record with its judgements already there (no judge is called)."""
    verdict = {m: 2 if i % 3 else 1 for m in ("correctness", "grounding", "progress", "protocol", "efficiency")}
    return (json.dumps({"id": i, "king": f"king {i}", "challenger": f"challenger {i}",
                        "judgements": [{"judge": "j", "order": "ab", "verdict": verdict}]}) + "\n").encode()


def records(make, count):
    return b"".join(make(i) for i in range(count))


# tool, options, the input (count -> bytes), a bad line, side files (option -> its own extra options)
TOOLS = [
    ("csv2jsonl", [], lambda n: relib.GRADES_HEADER + records(relib.grade_row, n), b"ragged,row\n", {}),
    ("jsonl2csv", [], lambda n: records(relib.judged_record, n), relib.BAD_JSON_LINE, {}),
    ("consensus", [], lambda n: records(relib.grade_record, n), relib.BAD_JSON_LINE, {"--stats": []}),
    ("pairup", [], lambda n: records(relib.item_record, n), relib.BAD_JSON_LINE, {"--stats": []}),
    ("export", ["--to", "trl"], lambda n: records(relib.pair_record, n), relib.BAD_JSON_LINE, {}),
    ("bucket", ["--key", "prompt", "--ratios", "50,50", "--names", "a,b"], lambda n: records(relib.pair_record, n),
     relib.BAD_JSON_LINE, {"--stats": []}),
    ("report", ["--kind", "judged"], lambda n: records(relib.judged_record, n), relib.BAD_JSON_LINE,
     {"--html": []}),
    ("balance", [], lambda n: records(relib.candidate_record, n), relib.BAD_JSON_LINE,
     {"--append-csv": [], "--stats": []}),
    ("duel-judge", [], lambda n: records(aggregate_turn, n), relib.BAD_JSON_LINE, {"--stats": []}),
    ("votes", ["--rater", "judge"], lambda n: records(relib.vote_record, n), relib.BAD_JSON_LINE,
     {"--stats": [], "--ratings": [], "--ratings-md": []}),
]

SMALL, LARGE = 40, 20000

# Documented: balance appends its summary row only after the output is committed.
OUTPUT_KEPT = {("balance", "--append-csv")}


def run(binary, args, data, folder):
    result = subprocess.run([binary, "--quiet", *args], cwd=folder, input=data, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=120)
    return result.returncode, result.stderr.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-full-disk.")
    try:
        for tool, options, make_input, bad_line, sides in TOOLS:
            binary = os.path.join(args.bin, tool)
            folder = os.path.join(work, tool)
            os.makedirs(folder)
            # The input must produce output at all: a control run.
            small = make_input(SMALL)
            status, err = run(binary, [*options, "-o", "control.out"], small, folder)
            checker.check(f"{tool}: control run to a file works", (0, True),
                          (status, os.path.getsize(os.path.join(folder, "control.out")) > 0))
            os.unlink(os.path.join(folder, "control.out"))
            for size_name, data in (("small", small), ("large", make_input(LARGE))):
                # Standard output is /dev/full.
                with open("/dev/full", "wb") as full:
                    result = subprocess.run([binary, "--quiet", *options], cwd=folder, input=data, stdout=full,
                                            stderr=subprocess.PIPE, timeout=120)
                checker.check(f"{tool}: stdout is /dev/full ({size_name} output)",
                              (1, f"{tool}: write error: standard output: {ENOSPC}\n"),
                              (result.returncode, result.stderr.decode(errors="replace")))
                checker.check(f"{tool}: -o /dev/full ({size_name} output)",
                              (1, f"{tool}: write error: '/dev/full': {ENOSPC}\n"),
                              run(binary, [*options, "-o", "/dev/full"], data, folder))
            # Each side file is /dev/full; the -o file must then not appear.
            for option in ["--rejects", *sides]:
                extra = ["--skip-invalid", "--rejects", "/dev/full"] if option == "--rejects" else [option, "/dev/full"]
                data = small[:len(small) // 2] + bad_line + small[len(small) // 2:] if option == "--rejects" else small
                if tool == "csv2jsonl" and option == "--rejects":
                    data = small + bad_line
                status, err = run(binary, [*options, *extra, "-o", "out.file"], data, folder)
                checker.check(f"{tool}: {option} /dev/full", (1, f"{tool}: write error: '/dev/full': {ENOSPC}"),
                              (status, err.splitlines()[-1] if err else ""))
                checker.check(f"{tool}: {option} /dev/full: nothing else on stderr", [], err.splitlines()[:-1])
                left = sorted(os.listdir(folder))
                if (tool, option) in OUTPUT_KEPT:
                    checker.check(f"{tool}: {option} /dev/full: the -o file committed before it (documented), no temp file",
                                  ["out.file"], left)
                else:
                    checker.check(f"{tool}: {option} /dev/full: no -o file, no temp file", [], left)
                for name in os.listdir(folder):
                    os.unlink(os.path.join(folder, name))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
