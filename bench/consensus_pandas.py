#!/usr/bin/env python3
"""A straightforward pandas version of `consensus` (default options), the peer in bench/consensus.sh.

Usage: bench/consensus_pandas.py INPUT [-o OUTPUT]

INPUT is grade records as JSON Lines (what `csv2jsonl grades.csv` writes, the input of
consensus), or, when its name ends in .csv, the grades CSV itself. Writes one item record per
(challenge, model) as JSON Lines to standard output (or OUTPUT), with the fields consensus
writes: challenge, model, scores {technical (field grade), aesthetic (field aesthetics)}:
{mean, median, trimmed_mean, sd, min, max, n}, overall, vote_count, raters, flags.

What it reproduces of `consensus` with its defaults:
- a score that is null, "" or missing means "not graded";
- duplicates (same reviewedBy, same item): the record with the latest reviewedAt wins, a record
  with a time beats one without, and on equal or missing times the later in the input wins;
- only raters whose winning record has both scores count (vote_count = their number); items
  with vote_count < 1 are left out; raters = those with at least one score in their winning
  record, sorted;
- sd is the sample standard deviation (n-1), 0 when n = 1; trimmed_mean drops floor(0.1 n)
  values at each end; overall = mean of the two dimension means;
- flags: duplicate_grades (some rater graded the item more than once), high_variance (sd of a
  dimension > 1.5);
- items in the order they are first seen in the input.
Not reproduced: the other consensus options, validation of the scale (0..5) and of bad records,
the '_source' fallback for a missing reviewedBy. Output numbers are Python floats (`5.0`, not `5`).
"""

import argparse
import json
import sys

import numpy as np
import pandas as pd

ITEM = ["challenge", "model"]
RATER = "reviewedBy"
TIME = "reviewedAt"
DIMENSIONS = {"technical": "grade", "aesthetic": "aesthetics"}
TRIM = 0.1
MAX_SD = 1.5


def read_grades(path):
    if path.endswith(".csv"):
        # Only an empty cell is "not graded"; keep strings such as "NA" or "null" as they are.
        return pd.read_csv(path, dtype={RATER: str, TIME: str}, keep_default_na=False,
                           na_values={f: [""] for f in DIMENSIONS.values()})
    return pd.read_json(path, lines=True, dtype=False, convert_dates=False)


def trimmed_means(values, item, fraction):
    """Mean per item after dropping floor(fraction * n) of the sorted values at each end."""
    frame = pd.DataFrame({"item": item, "value": values}).sort_values(["item", "value"])
    group = frame.groupby("item", sort=False)["value"]
    position = group.cumcount()
    n = group.transform("size")
    cut = np.floor(fraction * n)
    return frame["value"][(position >= cut) & (position < n - cut)].groupby(frame["item"]).mean()


def consensus(grades):
    for field in DIMENSIONS.values():
        if field not in grades:
            grades[field] = np.nan
        grades[field] = pd.to_numeric(grades[field].replace("", np.nan))
    # Items numbered in the order they are first seen.
    grades["item"] = grades.groupby(ITEM, sort=False).ngroup()
    grades["order"] = np.arange(len(grades))
    grades["time"] = pd.to_datetime(grades[TIME] if TIME in grades else None, utc=True)

    duplicated = grades.duplicated(["item", RATER], keep=False)
    duplicate_items = set(grades.loc[duplicated, "item"])

    # Latest grade per rater and item: sort by time (missing first), then input order; keep last.
    latest = (grades.sort_values(["time", "order"], na_position="first", kind="stable")
              .drop_duplicates(["item", RATER], keep="last"))
    scores = list(DIMENSIONS.values())
    graded = latest[latest[scores].notna().any(axis=1)]
    raters = graded.groupby("item")[RATER].agg(lambda names: sorted(names))
    complete = latest[latest[scores].notna().all(axis=1)]

    by_item = complete.groupby("item")
    stats = {}
    for dimension, field in DIMENSIONS.items():
        column = by_item[field]
        table = pd.DataFrame({
            "mean": column.mean(),
            "median": column.median(),
            "trimmed_mean": trimmed_means(complete[field], complete["item"], TRIM),
            "sd": column.std(ddof=1).fillna(0.0),  # NaN for a single value: consensus writes 0
            "min": column.min(),
            "max": column.max(),
            "n": column.count(),
        })
        stats[dimension] = table
    vote_count = by_item.size()
    overall = sum(stats[d]["mean"] for d in DIMENSIONS) / len(DIMENSIONS)

    keys = grades.drop_duplicates("item").set_index("item")[ITEM]
    records = []
    for item in sorted(vote_count.index):  # first-seen order; items without votes are gone
        flags = []
        if item in duplicate_items:
            flags.append("duplicate_grades")
        if any(stats[d].at[item, "sd"] > MAX_SD for d in DIMENSIONS):
            flags.append("high_variance")
        record = {field: keys.at[item, field] for field in ITEM}
        record["scores"] = {
            d: {name: (int(value) if name == "n" else float(value))
                for name, value in stats[d].loc[item].items()}
            for d in DIMENSIONS
        }
        record["overall"] = float(overall.at[item])
        record["vote_count"] = int(vote_count.at[item])
        record["raters"] = raters.at[item]
        record["flags"] = flags
        records.append(record)
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", metavar="INPUT", help="grade records (.jsonl) or grades CSV (.csv)")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="output file (default stdout)")
    args = parser.parse_args()

    records = consensus(read_grades(args.input))
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":"),
                                 default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
