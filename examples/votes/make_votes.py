#!/usr/bin/env python3
"""Writes votes.jsonl and annotators.jsonl: pairwise votes on the answers of examples/responses.jsonl,
as `label --compare` records them (long layout) and as a three-annotator table (wide layout).
Invented votes with a known shape: the answers' quality order is claude-3.5-haiku > deepseek-r1 >
qwen-2.5-72b-instruct > llama-3.2-3b-instruct, alice and bob mostly follow it, carol often picks the
answer shown first (a left bias). Deterministic (a fixed seed): the files are committed, this script
documents how they were made.

  python3 examples/votes/make_votes.py examples
"""
import itertools
import json
import os
import random
import sys

MODELS = ["anthropic/claude-3.5-haiku", "deepseek/deepseek-r1", "qwen/qwen-2.5-72b-instruct",
          "meta-llama/llama-3.2-3b-instruct"]  # best first
CHALLENGES = ["multiply", "reverseString"]
RATERS = ["alice", "bob", "carol"]


def compact(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(examples):
    rng = random.Random(21)
    prompts = {}
    for line in open(os.path.join(examples, "challenges.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        prompts[r["challenge"]] = r["prompt"]
    answers = {}
    for line in open(os.path.join(examples, "responses.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if "functions.mjs" in r["files"]:
            answers[(r["challenge"], r["model"])] = r["files"]["functions.mjs"]
    votes, table = [], []
    minute = 0
    for challenge in CHALLENGES:
        for better, worse in itertools.combinations(MODELS, 2):
            # The pair's sides in a random order; each rater sees them in a random order too.
            a, b = (better, worse) if rng.random() < 0.5 else (worse, better)
            row = {"challenge": challenge, "model_a": a, "model_b": b}
            for k, rater in enumerate(RATERS):
                shown = rng.choice("ab")
                u = rng.random()
                if rater == "carol" and u < 0.6:
                    winner = shown
                elif u < 0.12:
                    winner = "tie"
                elif u < 0.85:
                    winner = "a" if a == better else "b"
                else:
                    winner = "b" if a == better else "a"
                minute += 1
                votes.append({"challenge": challenge, "model_a": a, "model_b": b, "winner": winner,
                              "rater": rater, "shown": shown,
                              "votedAt": f"2025-06-0{4 + k}T10:{minute:02d}:00.000Z",
                              "prompt": prompts[challenge], "response_a": answers[(challenge, a)],
                              "response_b": answers[(challenge, b)]})
                row[f"annotator{k + 1}"] = {"a": 1, "b": 2, "tie": 0}[winner]
            table.append(row)
    # One annotator skipped one comparison: a missing vote in the wide table.
    table[3]["annotator2"] = None
    with open(os.path.join(examples, "votes", "votes.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(compact(v) for v in votes)
    with open(os.path.join(examples, "votes", "annotators.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(compact(r) for r in table)


if __name__ == "__main__":
    main(sys.argv[1])
