#!/usr/bin/env python3
"""Generate deterministic vote records (the long layout of `votes`) for benchmarking.

Usage: gen_votes.py --votes N --comparisons C [--models M] [--seed S] -o PATH
C comparisons {"id": k, "model_a", "model_b"} between M models (mNNN) with Bradley-Terry
strengths drawn from N(0, 1); each gets N / C votes, one per judge jNN, the votes of a comparison
spread over the file (judge 0 votes on every comparison, then judge 1, ...), a fifth of them with
the sides swapped. A vote is a tie with probability 0.1, else a win drawn from the strengths.
Python stdlib only; the same arguments give the same bytes.
"""
import argparse
import math
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comparisons", type=int, default=100_000)
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    strength = [rng.gauss(0, 1) for _ in range(args.models)]
    pairs = []
    for _ in range(args.comparisons):
        a = rng.randrange(args.models)
        b = (a + 1 + rng.randrange(args.models - 1)) % args.models
        pairs.append((a, b, 1 / (1 + math.exp(strength[b] - strength[a]))))
    judges = -(-args.votes // args.comparisons)
    tmp = args.output + ".tmp"
    written = 0
    with open(tmp, "w", encoding="utf-8") as out:
        for judge in range(judges):
            lines = []
            for k, (a, b, p) in enumerate(pairs):
                if written == args.votes:
                    break
                u = rng.random()
                winner = "tie" if u < 0.1 else ("a" if rng.random() < p else "b")
                if rng.random() < 0.2:
                    a, b, winner = b, a, {"a": "b", "b": "a", "tie": "tie"}[winner]
                lines.append(f'{{"id":{k},"model_a":"m{a:03d}","model_b":"m{b:03d}","winner":"{winner}",'
                             f'"judge":"j{judge:02d}"}}\n')
                written += 1
            out.write("".join(lines))
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
