#!/usr/bin/env python3
"""Generate deterministic item records (consensus output shape) for benchmarking pairup.

Usage: gen_items.py --items N --groups G [-o PATH] [--seed S]
Each item: challenge chNNNNNN (G groups), model mNN, scores for two dimensions, overall,
vote_count, raters, flags, and a short 'response' text so that pairs can be written without
a responses file. Python stdlib only; the same arguments give the same bytes.
"""
import argparse
import json
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    per_group = max(1, args.items // args.groups)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        written = 0
        group = 0
        while written < args.items:
            for m in range(per_group):
                if written == args.items:
                    break
                tech = rng.choice((1, 2, 3, 4, 5)) - rng.choice((0, 0.5))
                look = rng.choice((1, 2, 3, 4, 5)) - rng.choice((0, 0.5))
                votes = rng.randrange(1, 6)
                record = {
                    "challenge": f"ch{group:06d}", "model": f"m{m:02d}",
                    "scores": {"technical": {"mean": tech, "median": tech, "trimmed_mean": tech, "sd": 0, "min": tech, "max": tech, "n": votes},
                               "aesthetic": {"mean": look, "median": look, "trimmed_mean": look, "sd": 0, "min": look, "max": look, "n": votes}},
                    "overall": (tech + look) / 2, "vote_count": votes, "raters": [f"r{i}" for i in range(votes)], "flags": [],
                    "response": f"answer of m{m:02d} to ch{group:06d}: " + "x" * rng.randrange(20, 200),
                }
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                written += 1
            group = (group + 1) % args.groups
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
