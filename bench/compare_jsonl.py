#!/usr/bin/env python3
"""Check that two JSON Lines files hold the same records, numbers to within a tolerance.

Usage: bench/compare_jsonl.py OURS THEIRS [--names OURS_NAME,THEIRS_NAME] [--tolerance X]

Records are compared line by line: same number of lines, objects with the same keys in the same
order, equal strings, booleans and nulls, numbers with |a - b| <= X (default 1e-9; 5 and 5.0
are equal). Prints one line "check NAME vs NAME: OK, N records equal (...)" and exits 0, or
"MISMATCH" with the first differences and exits 1. Python stdlib only.
"""

import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours")
    parser.add_argument("theirs")
    parser.add_argument("--names", default="ours,theirs", help="names for the two files in the messages")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()
    ours_name, theirs_name = args.names.split(",", 1)
    with open(args.ours, encoding="utf-8") as f:
        ours = [json.loads(line) for line in f]
    with open(args.theirs, encoding="utf-8") as f:
        theirs = [json.loads(line) for line in f]
    problems = []
    largest = 0.0

    def number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def compare(a, b, where):
        nonlocal largest
        if isinstance(a, dict) and isinstance(b, dict):
            if list(a) != list(b):
                problems.append(f"{where}: keys {list(a)} vs {list(b)}")
                return
            for key in a:
                compare(a[key], b[key], f"{where}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                compare(x, y, f"{where}[{i}]")
        elif number(a) and number(b):
            difference = abs(a - b)
            largest = max(largest, difference)
            if not difference <= args.tolerance:
                problems.append(f"{where}: {ours_name} {a!r}, {theirs_name} {b!r}")
        elif a != b or type(a) is not type(b):
            problems.append(f"{where}: {ours_name} {json.dumps(a, ensure_ascii=False)[:80]}, "
                            f"{theirs_name} {json.dumps(b, ensure_ascii=False)[:80]}")

    if len(ours) != len(theirs):
        problems.append(f"record count: {ours_name} {len(ours)}, {theirs_name} {len(theirs)}")
    for line, (a, b) in enumerate(zip(ours, theirs), 1):
        compare(a, b, f"line {line}")
    label = f"check {theirs_name} vs {ours_name}"
    if problems:
        print(f"{label}: MISMATCH, {len(problems)} difference{'s' * (len(problems) != 1)}; first ones:")
        for problem in problems[:5]:
            print(f"  {problem}")
        return 1
    print(f"{label}: OK, {len(ours)} records equal (largest |number difference| {largest:.3g} "
          f"<= {args.tolerance:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
