#!/usr/bin/env python3
"""A straightforward pandas version of `csv2jsonl | consensus | pairup`, the peer in bench/pipeline.sh.

Usage: bench/pipeline_pandas.py GRADES.csv --responses FILE --prompts FILE [-o OUTPUT]

Reads the grades CSV, computes one item per (challenge, model) as `consensus` does with its
defaults (bench/consensus_pandas.py, the same semantics), then writes the preference pairs
`pairup --responses FILE --prompts FILE` writes with its defaults, as JSON Lines:
- groups by challenge (first-seen order), ranked by overall descending, then vote_count
  descending, then input order;
- best-vs-rest: the top item is chosen against every other item in rank order whose overall is
  lower by at least 0.5 (within 1e-9); equal scores never pair;
- texts: field 'response' of the responses file keyed by (challenge, model), the prompt from the
  prompts file keyed by challenge (else "Generate code for the CHALLENGE challenge."); a pair
  with a missing or empty text, or two equal texts, is dropped;
- metadata: challenge, chosen_model, rejected_model, chosen_scores / rejected_scores (each
  dimension's mean, overall, vote_count), score_difference, dataset_version "1.0.0",
  generated_at (SOURCE_DATE_EPOCH when set, else now; ISO 8601 UTC with milliseconds).
"""

import argparse
import datetime
import json
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from consensus_pandas import DIMENSIONS, consensus, read_grades  # noqa: E402

MIN_MARGIN = 0.5
TOLERANCE = 1e-9


def generated_at():
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.lstrip("-").isdigit() else time.time()
    moment = datetime.datetime.fromtimestamp(int(seconds * 1000) / 1000, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def pairs(items, responses, prompts):
    """The pair records for the item records (dicts in consensus's output order)."""
    frame = pd.DataFrame({
        "challenge": [item["challenge"] for item in items],
        "model": [item["model"] for item in items],
        "overall": [item["overall"] for item in items],
        "vote_count": [item["vote_count"] for item in items],
    })
    frame["order"] = range(len(frame))
    frame["group"] = frame.groupby("challenge", sort=False).ngroup()
    ranked = frame.sort_values(["group", "overall", "vote_count", "order"],
                               ascending=[True, False, False, True], kind="stable")
    ranked["rank"] = ranked.groupby("group").cumcount()
    top = ranked[ranked["rank"] == 0]
    rest = ranked[ranked["rank"] > 0]
    joined = rest.merge(top[["group", "order", "overall"]], on="group", suffixes=("", "_top"))
    gap = joined["overall_top"] - joined["overall"]
    joined = joined[(joined["overall_top"] > joined["overall"]) & (gap >= MIN_MARGIN - TOLERANCE)]
    joined = joined.sort_values(["group", "rank"], kind="stable")

    texts = responses.set_index(["challenge", "model"])["response"].to_dict()
    prompt_of = prompts.set_index("challenge")["prompt"].to_dict()
    stamp = generated_at()

    def scores(item):
        record = {d: item["scores"][d]["mean"] for d in DIMENSIONS}
        record["overall"] = item["overall"]
        record["vote_count"] = item["vote_count"]
        return record

    out = []
    for chosen_order, rejected_order in zip(joined["order_top"], joined["order"]):
        chosen, rejected = items[chosen_order], items[rejected_order]
        chosen_text = texts.get((chosen["challenge"], chosen["model"]))
        rejected_text = texts.get((rejected["challenge"], rejected["model"]))
        if not isinstance(chosen_text, str) or not isinstance(rejected_text, str):
            continue
        if not chosen_text or not rejected_text or chosen_text == rejected_text:
            continue
        challenge = chosen["challenge"]
        prompt = prompt_of.get(challenge, f"Generate code for the {challenge} challenge.")
        out.append({
            "prompt": prompt,
            "chosen": chosen_text,
            "rejected": rejected_text,
            "metadata": {
                "challenge": challenge,
                "chosen_model": chosen["model"],
                "rejected_model": rejected["model"],
                "chosen_scores": scores(chosen),
                "rejected_scores": scores(rejected),
                "score_difference": chosen["overall"] - rejected["overall"],
                "dataset_version": "1.0.0",
                "generated_at": stamp,
            },
        })
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("grades", metavar="GRADES.csv", help="grades CSV")
    parser.add_argument("--responses", required=True, metavar="FILE", help="responses JSON Lines")
    parser.add_argument("--prompts", required=True, metavar="FILE", help="prompts JSON Lines")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="output file (default stdout)")
    args = parser.parse_args()

    items = consensus(read_grades(args.grades))
    responses = pd.read_json(args.responses, lines=True, dtype=False)
    prompts = pd.read_json(args.prompts, lines=True, dtype=False)
    records = pairs(items, responses, prompts)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
