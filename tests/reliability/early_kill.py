#!/usr/bin/env python3
"""A signal at any moment of a tool's first milliseconds leaves no temp file.

Each tool writing with -o (and its side files) is started on an input pipe
that stays open, then sent SIGTERM, SIGINT or SIGHUP: every other run after
a random delay of 0 to 4 ms, the others the moment its first file appears
in the folder (polled in a tight loop), which is when it creates its temp
files and registers them for removal. Hundreds of runs; after each, the
folder must hold no '.tmp' entry, and the run must have ended by the signal
(the input never ends).

Usage: early_kill.py --bin DIR [--runs N] [--seed S]
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
MAX_DELAY = 0.004
APPEAR_WAIT = 0.02

# tool, arguments (outputs relative to the run's folder), input lines
TOOLS = [
    ("bucket", ["--key", "prompt", "--ratios", "50,50", "--names", "a,b", "-o", "r.jsonl"], relib.pair_record),
    ("bucket", ["--key", "prompt", "--ratios", "50,50", "--names", "a,b", "--out-dir", "split", "--stats", "s.json",
                "--skip-invalid", "--rejects", "rejects.jsonl"], relib.pair_record),
    ("consensus", ["--stats", "agreement.json", "-o", "items.jsonl"], relib.grade_record),
    ("pairup", ["--stats", "meta.json", "-o", "pairs.jsonl"], relib.item_record),
    ("csv2jsonl", ["--skip-invalid", "--rejects", "rejects.csv", "-o", "grades.jsonl"], None),
    ("export", ["--to", "trl", "--dataset-dir", "dataset"], relib.pair_record),
    ("votes", ["--rater", "judge", "--stats", "s.json", "--ratings", "r.json", "-o", "decisions.jsonl"],
     relib.vote_record),
]


def one_run(binary, args, head, folder, delay, signal_number):
    """delay None: signal as soon as something appears in folder (at most APPEAR_WAIT s)."""
    process = subprocess.Popen([binary, "--quiet", *args], cwd=folder, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.stdin.write(head)
        process.stdin.flush()
    except BrokenPipeError:
        pass
    if delay is None:
        end = time.monotonic() + APPEAR_WAIT
        while not os.listdir(folder) and time.monotonic() < end:
            pass
    else:
        time.sleep(delay)
    process.send_signal(signal_number)
    try:
        status = process.wait(timeout=10)
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
    return status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--runs", type=int, default=100, help="runs per tool")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    chooser = random.Random(args.seed)
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-early-kill.")
    try:
        for tool, options, make in TOOLS:
            binary = os.path.join(args.bin, tool)
            head = (relib.GRADES_HEADER + b"".join(relib.grade_row(i) for i in range(20)) if make is None
                    else b"".join(make(i) for i in range(20)))
            left, statuses = [], {}
            for run in range(args.runs):
                folder = os.path.join(work, f"{tool}-{run}")
                os.makedirs(folder)
                delay = chooser.uniform(0, MAX_DELAY) if run % 2 else None
                signal_number = chooser.choice(SIGNALS)
                status = one_run(binary, options, head, folder, delay, signal_number)
                statuses[status] = statuses.get(status, 0) + 1
                temps = relib.temp_entries(folder)
                if temps:
                    when = "on the first file" if delay is None else f"after {delay * 1000:.2f} ms"
                    left.append(f"run {run} ({signal_number.name} {when}): {temps}")
                shutil.rmtree(folder)
            what = f"{tool} {' '.join(options)}"
            print(f"# {what}: {args.runs} runs, exit statuses {sorted(statuses.items())}")
            checker.check(f"{what}: no temp file left after {args.runs} early signals", [], left)
            # The input never ends: every run must have ended by the signal.
            checker.check(f"{what}: every run ended by its signal", True,
                          all(status < 0 for status in statuses))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
