#!/usr/bin/env python3
"""The judge fault matrix: duel-judge against judge_server under every fault
the server can inject, with a count table.

For each fault, duel-judge judges the same 12 turns (both orders: 24 calls,
--concurrency 8, --window 4, so replies come back out of order) and the test
asserts:
  - every input record is written exactly once, in input order, with its
    input bytes unchanged (records lost = records duplicated = 0),
  - a recoverable fault changes nothing: the output is byte-identical to the
    run without faults,
  - an unrecoverable one leaves every judgement unparsed with the exact error,
    the turn's score null,
  - the summary's calls, retries, parse_failures and failures are exactly the
    expected numbers, and calls = the requests the server received,
  - exit 0 and one summary line on stderr, after one line naming the judge
    with its failed calls and their error when calls failed.
Then it prints the table (fault, requests, records in, records out, lost,
duplicated, retries, unparsed, failures) and writes it to --table FILE.

Usage: judge_faults.py --bin DIR --table FILE [--judge-server PATH]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

TURNS = 12
CALLS = 2 * TURNS  # --orders both

NO_CONTENT = "the response has no choices[0].message.content"

# name, judge_server options, extra duel-judge options, expected
# (requests, retries, parse_failures, failures), and the outcome: None = the
# output of the run without faults, else the error of every judgement.
FAULTS = [
    ("none", [], [], (CALLS, 0, 0, 0), None),
    ("429 burst (3 per call)", ["--mode", "429", "--fail-first", "3", "--retry-after", "0"], [],
     (4 * CALLS, 3 * CALLS, 0, 0), None),
    ("429 Retry-After: 1", ["--mode", "429", "--fail-first", "1", "--retry-after", "1"], [],
     (2 * CALLS, CALLS, 0, 0), None),
    ("500 (2 per call)", ["--mode", "500", "--fail-first", "2"], [], (3 * CALLS, 2 * CALLS, 0, 0), None),
    ("500 past --max-retries", ["--mode", "500", "--fail-first", "all"], ["--max-retries", "2"],
     (3 * CALLS, 2 * CALLS, 0, CALLS), "HTTP 500"),
    ("slow past --timeout", ["--mode", "slow", "--slow-ms", "5000", "--fail-first", "1"], ["--timeout", "1"],
     (2 * CALLS, CALLS, 0, 0), None),
    ("reset", ["--mode", "reset"], [], (2 * CALLS, CALLS, 0, 0), None),
    ("truncate", ["--mode", "truncate"], [], (2 * CALLS, CALLS, 0, 0), None),
    ("drop", ["--mode", "drop"], [], (2 * CALLS, CALLS, 0, 0), None),
    ("broken once", ["--mode", "broken", "--fail-first", "1"], [], (2 * CALLS, 0, CALLS, 0), None),
    ("broken", ["--mode", "broken"], [], (3 * CALLS, 0, 3 * CALLS, 0), "unparsed reply"),
    ("nometrics", ["--mode", "nometrics"], [], (3 * CALLS, 0, 3 * CALLS, 0), "unparsed reply"),
    # A 200 that is not a chat completion (a proxy's page) is asked again.
    ("nonjson once", ["--mode", "nonjson"], [], (2 * CALLS, CALLS, 0, 0), None),
    ("nonjson past --max-retries", ["--mode", "nonjson", "--fail-first", "all"], ["--max-retries", "1"],
     (2 * CALLS, CALLS, 0, CALLS), NO_CONTENT),
    ("401", ["--mode", "401"], [], (CALLS, 0, 0, CALLS), "HTTP 401"),
]

COLUMNS = ("fault", "requests", "records in", "records out", "lost", "duplicated", "retries", "unparsed", "failures")


def run_fault(checker, binaries, judge_server, work, name, server_args, extra, expected, outcome, baseline):
    with relib.JudgeServer(judge_server, *server_args) as server:
        argv = [os.path.join(binaries, "duel-judge"), "--judge", f"j={server.url}#judge-model", "--concurrency", "8",
                "--window", "4", "--retry-base", "0.01", "--stats", "summary.json", "-o", "judged.jsonl", *extra,
                "turns.jsonl"]
        result = subprocess.run(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        stats = server.stats()
    label = f"[{name}]"
    checker.check(f"{label} exit 0", 0, result.returncode)
    err = result.stderr.decode().splitlines()
    failures = expected[3]
    # Failed calls are named once per judge, with their count and error, before the summary line.
    named = [f"duel-judge: judge 'j': {failures} calls failed: {outcome}"] if failures else []
    checker.check(f"{label} stderr: the failed calls of the judge, then the summary line", named + [True],
                  err[:-1] + [len(err) > 0 and err[-1].startswith(f"duel-judge: {TURNS} turns, ")])
    with open(os.path.join(work, "turns.jsonl"), "rb") as f:
        inputs = f.read().splitlines(keepends=True)
    with open(os.path.join(work, "judged.jsonl"), "rb") as f:
        output = f.read()
    records = [json.loads(line) for line in output.splitlines()]
    ids = [record["id"] for record in records]
    lost = len(set(range(TURNS)) - set(ids))
    duplicated = len(ids) - len(set(ids))
    checker.check(f"{label} every record once, in input order", list(range(TURNS)), ids)
    # The record's own bytes, then its "duel": nothing of the input changed.
    kept = [out.startswith(inp.rstrip(b"\n")[:-1] + b',"duel":{') for inp, out in zip(inputs, output.splitlines())]
    checker.check(f"{label} input bytes kept, 'duel' appended", [True] * TURNS, kept)
    if outcome is None:
        if baseline is not None:
            checker.check(f"{label} output = the output without faults", True, output == baseline)
    else:
        errors = sorted({(j["verdict"], j["error"]) for r in records for j in r["duel"]["judgements"]})
        checker.check(f"{label} every judgement unparsed with error '{outcome}'", [(None, outcome)], errors)
        checker.check(f"{label} every judgement there (judge x order)", [["ab", "ba"]] * TURNS,
                      [[j["order"] for j in r["duel"]["judgements"]] for r in records])
        checker.check(f"{label} every score null", [None] * TURNS, [r["duel"]["score"] for r in records])
    with open(os.path.join(work, "summary.json")) as f:
        summary = json.load(f)
    judge = summary["judges"][0]
    counts = (judge["calls"], judge["retries"], judge["parse_failures"], judge["failures"])
    checker.check(f"{label} summary (calls, retries, parse_failures, failures)", expected, counts)
    checker.check(f"{label} server requests = calls", expected[0], stats["requests"])
    checker.check(f"{label} summary n_done, n_valid", (TURNS, TURNS if outcome is None else 0),
                  (summary["n_done"], summary["n_valid"]))
    return (name, stats["requests"], len(inputs), len(records), lost, duplicated, judge["retries"],
            judge["parse_failures"], judge["failures"]), output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--judge-server")
    args = parser.parse_args()
    judge_server = args.judge_server or os.path.join(args.bin, "judge_server")
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-judge-faults.")
    rows = []
    try:
        with open(os.path.join(work, "turns.jsonl"), "wb") as f:
            f.write(b"".join(relib.turn_record(i) for i in range(TURNS)))
        baseline = None
        for name, server_args, extra, expected, outcome in FAULTS:
            row, output = run_fault(checker, args.bin, judge_server, work, name, server_args, extra, expected, outcome,
                                    baseline)
            if baseline is None:
                baseline = output
                # The run without faults: scores as the server's 'good' rule gives them.
                scores = [json.loads(line)["duel"]["score"] for line in output.splitlines()]
                checker.check("[none] scores: 0 when the king is GOOD, else 100",
                              [0 if i % 3 == 0 else 100 for i in range(TURNS)], scores)
            rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    widths = [max(len(str(v)) for v in column) for column in zip(COLUMNS, *rows)]
    table = "\n".join("  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(row, widths)))
                      for row in [COLUMNS, *rows]) + "\n"
    total = ("total", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows),
             sum(r[4] for r in rows), sum(r[5] for r in rows), sum(r[6] for r in rows), sum(r[7] for r in rows),
             sum(r[8] for r in rows))
    table += "  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(total, widths))) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.table)), exist_ok=True)
    with open(args.table, "w") as f:
        f.write(table)
    print(table, end="")
    print(f"(table written to {args.table})")
    checker.check("no record lost or duplicated under any fault", (0, 0), (total[4], total[5]))
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
