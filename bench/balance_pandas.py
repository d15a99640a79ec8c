#!/usr/bin/env python3
"""The pandas peer of bench/balance.sh: the script a user would write for
`balance --require passed --dedup problem_id --stratum difficulty --mix MIX --total N`.

Usage: bench/balance_pandas.py --mix NAME=SHARE,... --total N --seed S --stats STATS.json FILE > OUT.jsonl

Reads FILE with pandas.read_json(lines=True), keeps the passed records, the first of each
problem_id, splits N over the strata as balance does (floor of N x share / sum of shares, the
ones left over to the largest remainders, ties to the stratum listed first), draws each
stratum's count with groupby(...).sample (pandas' own random state: another sample than
balance's hash, by design), and writes the chosen records in input order with to_json. STATS gets
{"strata": {S: {"count", "available"}}}, as balance's --stats names them, for the comparison.
"""

import argparse
import json
import sys

import pandas as pd


def counts_for(mix, total):
    shares = sum(share for _, share in mix)
    exact = [(name, total * share / shares) for name, share in mix]
    counts = {name: int(value) for name, value in exact}
    left = total - sum(counts.values())
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - int(exact[i][1])), i))
    for i in by_remainder[:left]:
        counts[exact[i][0]] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", required=True)
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stats", required=True)
    parser.add_argument("file")
    args = parser.parse_args()
    mix = [(name, float(share)) for name, share in (part.split("=") for part in args.mix.split(","))]
    counts = counts_for(mix, args.total)

    frame = pd.read_json(args.file, lines=True, dtype=False)
    frame = frame[frame["passed"] == True]  # noqa: E712 (a column of JSON booleans)
    frame = frame.drop_duplicates("problem_id", keep="first")
    frame = frame[frame["difficulty"].isin(counts)]
    available = frame.groupby("difficulty").size()
    sample = (frame.groupby("difficulty", group_keys=False)
              .apply(lambda group: group.sample(n=counts[group.name], random_state=args.seed)))
    sample = sample.sort_index()
    sample.to_json(sys.stdout, orient="records", lines=True, force_ascii=False)
    with open(args.stats, "w", encoding="utf-8") as out:
        json.dump({"strata": {name: {"count": int((sample["difficulty"] == name).sum()),
                                     "available": int(available.get(name, 0))} for name, _ in mix}}, out)


if __name__ == "__main__":
    main()
