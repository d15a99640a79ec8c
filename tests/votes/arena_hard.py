#!/usr/bin/env python3
"""The votes tool, end to end, on public battles (tests/fixtures/votes/arena_hard_battles.jsonl,
Arena-Hard-Auto, Apache-2.0): its decisions, Krippendorff's alphas and Bradley-Terry ratings with
bootstrap intervals against the numpy/scipy definitions of tests/votes/oracle.py (minorization-
maximization fit, the same splitmix64 resampling, numpy's percentile), equal to 1e-6.
Usage: arena_hard.py PATH/TO/votes PATH/TO/arena_hard_battles.jsonl"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

VOTES, FIXTURE = sys.argv[1], sys.argv[2]
CODE = {"model_a": 0, "tie": 1, "model_b": 2}  # a < tie < b, as the tool codes them
ROUNDS, SEED = 100, 3


def main():
    records = [json.loads(line) for line in open(FIXTURE, encoding="utf-8")]
    with tempfile.TemporaryDirectory() as folder:
        stats, ratings = os.path.join(folder, "s.json"), os.path.join(folder, "r.json")
        out = subprocess.run([VOTES, "--item", "question_id", "--codes", "model_a=a,model_b=b,tie=tie",
                              "--stats", stats, "--ratings", ratings, "--bootstrap", str(ROUNDS),
                              "--seed", str(SEED), FIXTURE], capture_output=True, text=True, check=True).stdout
        decided = [json.loads(line) for line in out.splitlines()]
        stats, ratings = json.load(open(stats)), json.load(open(ratings))

    # Comparisons in first-seen order, each vote turned to the comparison's first-seen sides.
    order, sides, units = [], {}, {}
    for r in records:
        key = (r["question_id"], frozenset((r["model_a"], r["model_b"])))
        if key not in sides:
            sides[key] = (r["model_a"], r["model_b"])
            order.append(key)
            units[key] = []
        code = CODE[r["winner"]]
        units[key].append(code if sides[key][0] == r["model_a"] else 2 - code)
    if len(decided) != len(order):
        oracle.failures.append(f"{len(decided)} comparisons written, {len(order)} expected")
    for record, key in zip(decided, order):
        count = Counter(units[key])
        want = "a" if count[0] > count[2] else "b" if count[2] > count[0] else "tie"
        oracle.checks += 1
        if (record["question_id"], record["a"], record["b"]) != (key[0], *sides[key]) or record["winner"] != want:
            oracle.failures.append(f"comparison {key[0]}: {record}, expected winner {want}")
    oracle.close("alpha nominal", stats["alpha"]["nominal"], oracle.alpha(list(units.values()), False), 1e-9)
    oracle.close("alpha ordinal", stats["alpha"]["ordinal"], oracle.alpha(list(units.values()), True), 1e-9)

    # Bradley-Terry on every vote, the battles in input order (the order the bootstrap draws from).
    names = []
    for r in records:
        for m in (r["model_a"], r["model_b"]):
            if m not in names:
                names.append(m)
    a = np.array([names.index(r["model_a"]) for r in records])
    b = np.array([names.index(r["model_b"]) for r in records])
    outcome = np.array([CODE[r["winner"]] for r in records])
    battles = len(records)
    want = oracle.to_ratings(oracle.mm_fit(len(names), a, b, outcome, np.ones(battles), 0), -1)
    draws = oracle.splitmix64(SEED, ROUNDS * battles) % np.uint64(battles)
    samples = []
    for k in range(ROUNDS):
        weights = np.bincount(draws[k * battles:(k + 1) * battles].astype(np.int64), minlength=battles).astype(float)
        samples.append(oracle.to_ratings(oracle.mm_fit(len(names), a, b, outcome, weights, 0), -1))
    low, high = np.percentile(np.array(samples), [2.5, 97.5], axis=0)
    if ratings["bootstrap"]["failed_rounds"] != 0:
        oracle.failures.append(f"{ratings['bootstrap']['failed_rounds']} failed bootstrap rounds")
    got = {m["model"]: m for m in ratings["models"]}
    for i, name in enumerate(names):
        oracle.close(f"{name} rating", got[name]["rating"], want[i], 1e-6)
        oracle.close(f"{name} low", got[name]["low"], low[i], 1e-6)
        oracle.close(f"{name} high", got[name]["high"], high[i], 1e-6)
    for failure in oracle.failures:
        print(failure)
    print(f"votes arena-hard: {oracle.checks} figures compared, {len(oracle.failures)} disagreements")
    return 1 if oracle.failures else 0


if __name__ == "__main__":
    sys.exit(main())
