#!/usr/bin/env python3
"""A straightforward Python + numpy version of `votes --rater judge` (majority decisions), the peer
in bench/votes.sh.

Usage: bench/votes_numpy.py INPUT
Reads vote records {"id", "model_a", "model_b", "winner": "a"|"b"|"tie", "judge"} and writes one
record per comparison (id + unordered pair of models), in first-seen order, with the fields of
votes: id, a, b (the sides as first seen), votes {a, b, tie, n}, winner (the side with more
votes, equal votes a tie), margin, agreement, raters. Not reproduced: --codes, bad-record checks
(a judge voting twice), typed keys (ids are compared as JSON values).
"""
import json
import sys

import numpy as np


def main():
    index, first = {}, []
    comparison, code, judges = [], [], []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            a, b = r["model_a"], r["model_b"]
            key = (r["id"], a, b) if a < b else (r["id"], b, a)
            i = index.get(key)
            if i is None:
                i = index[key] = len(first)
                first.append((r["id"], a, b))
                judges.append([])
            vote = {"a": 0, "tie": 1, "b": 2}[r["winner"]]
            if a != first[i][1]:
                vote = 2 - vote
            comparison.append(i)
            code.append(vote)
            judges[i].append(r["judge"])
    counts = np.zeros((len(first), 3), dtype=np.int64)
    np.add.at(counts, (np.array(comparison), np.array(code)), 1)
    va, vt, vb = counts[:, 0], counts[:, 1], counts[:, 2]
    decision = np.where(va > vb, 0, np.where(vb > va, 2, 1))
    n = counts.sum(axis=1)
    agreement = counts[np.arange(len(first)), decision] / n
    names = ("a", "tie", "b")
    out = sys.stdout
    for i, (key, a, b) in enumerate(first):
        out.write(json.dumps({"id": key, "a": a, "b": b,
                              "votes": {"a": int(va[i]), "b": int(vb[i]), "tie": int(vt[i]), "n": int(n[i])},
                              "winner": names[decision[i]], "margin": int(abs(va[i] - vb[i])),
                              "agreement": float(agreement[i]), "raters": judges[i]}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
