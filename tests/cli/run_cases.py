#!/usr/bin/env python3
"""Runs CLI cases: each case is a folder with
  cmd              a bash script (runs in a scratch copy of the case folder,
                   with the tools first on PATH and $ROOT = the repository)
  expected.stdout  expected.stderr  expected.exit
Usage: run_cases.py --bin BUILD/bin [--update] CASE_DIR_OR_TOOL_DIR...
--update rewrites the expected files from what the command does now (re-bless).
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ("expected.stdout", "expected.stderr", "expected.exit")


def find_cases(paths):
    cases = []
    for path in paths:
        path = Path(path).resolve()
        if (path / "cmd").is_file():
            cases.append(path)
        else:
            cases.extend(sorted(p.parent for p in path.rglob("cmd")))
    return cases


def run_case(case, bin_dir, timeout):
    with tempfile.TemporaryDirectory(prefix="prefline-cli-") as scratch:
        work = Path(scratch) / case.name
        shutil.copytree(case, work, ignore=shutil.ignore_patterns(*EXPECTED))
        env = dict(os.environ)
        # A case runs the same under `make test` as by hand: no make state leaks in.
        for name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKE_TERMOUT", "MAKE_TERMERR"):
            env.pop(name, None)
        env.update(
            PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            ROOT=str(ROOT),
            LC_ALL="C.UTF-8",
            SOURCE_DATE_EPOCH="1750000000",
        )
        proc = subprocess.run(
            ["bash", "-o", "pipefail", "cmd"],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        return proc.stdout, proc.stderr, f"{proc.returncode}\n".encode()


def show_diff(label, expected, actual):
    exp = expected.decode("utf-8", "replace").splitlines(keepends=True)
    act = actual.decode("utf-8", "replace").splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(exp, act, f"expected {label}", f"actual {label}"))
    if not exp and not act or exp == act:
        print(f"  {label}: bytes differ (line ends or final newline): {expected[-40:]!r} vs {actual[-40:]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="folder holding the built tools")
    parser.add_argument("--update", action="store_true", help="rewrite the expected files")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    bin_dir = str(Path(args.bin).resolve())

    failed = 0
    cases = find_cases(args.cases)
    if not cases:
        print("run_cases: no cases found", file=sys.stderr)
        return 2
    for case in cases:
        actual = run_case(case, bin_dir, args.timeout)
        name = os.path.relpath(case, ROOT / "tests" / "cli")
        if args.update:
            for file, data in zip(EXPECTED, actual):
                (case / file).write_bytes(data)
            print(f"updated {name}")
            continue
        ok = True
        for file, data in zip(EXPECTED, actual):
            path = case / file
            expected = path.read_bytes() if path.exists() else None
            if expected != data:
                if ok:
                    print(f"FAIL {name}")
                ok = False
                if expected is None:
                    print(f"  missing {file}; actual was {data[:200]!r}")
                else:
                    show_diff(file, expected, data)
        if ok:
            print(f"ok   {name}")
        else:
            failed += 1
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
