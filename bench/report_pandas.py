#!/usr/bin/env python3
"""The pandas peer of bench/report.sh: the tables `report --edges E --id instance_id,turn` writes
for judged turns (duel-judge output routed by bucket), computed with pandas.

Usage: bench/report_pandas.py [--edges 66,80] [--bin-width 10] [--max-rows 20] [--decimals 2] FILE > TABLES.md

Reads FILE with pandas.read_json(lines=True) in chunks of 100 000 records (the whole file at
once would need several GB), keeps the fields the tables need (duel.score, duel.delta,
duel.parsed, duel.by_metric.*, duel.by_judge.*, bucket, instance_id, turn, the line number),
then computes each table with pandas (describe-like aggregates, groupby, cut, a stable sort)
and prints it as a Markdown table under the same '## ' heading and with the same columns as
report (without report's bar column). Counts are whole numbers, other figures rounded to
--decimals, shares to one decimal, as report prints them; bench/compare_tables.py compares the
two.
"""

import argparse
import math

import pandas as pd


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", default="")
    parser.add_argument("--bin-width", type=int, default=10)
    parser.add_argument("--max-rows", type=int, default=20)
    parser.add_argument("--decimals", type=int, default=2)
    parser.add_argument("file")
    args = parser.parse_args()
    edges = [float(edge) for edge in args.edges.split(",") if edge]

    def num(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        text = f"{value:.{args.decimals}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text

    def share(count, total):
        return f"{100 * count / total:.1f}%" if total else "—"

    parts = []
    for chunk in pd.read_json(args.file, lines=True, chunksize=100000, dtype=False):
        duel = pd.json_normalize(chunk["duel"].tolist())
        duel.index = chunk.index
        part = duel[[c for c in duel.columns if c in ("score", "delta", "parsed")
                     or c.startswith("by_metric.") or c.startswith("by_judge.")]].copy()
        part["bucket"] = chunk["bucket"] if "bucket" in chunk else None
        part["id"] = chunk["instance_id"].astype(str) + " / " + chunk["turn"].astype(str)
        part["line"] = chunk.index + 1
        parts.append(part)
    frame = pd.concat(parts)
    frame["score"] = pd.to_numeric(frame["score"])
    frame["delta"] = pd.to_numeric(frame["delta"])
    total = len(frame)
    scored = frame[frame["score"].notna()]
    out = []

    def table(title, header, rows):
        out.append(f"## {title}\n")
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            out.append("| " + " | ".join(str(cell) for cell in row) + " |")
        out.append("")

    def stats(series):
        values = series.dropna().astype(float)
        n = len(values)
        if n == 0:
            return [0, "—", "—", "—", "—"]
        sd = values.std(ddof=1) if n > 1 else 0.0
        return [n, num(values.mean()), num(sd), num(values.min()), num(values.max())]

    parsed = int((frame["parsed"] == True).sum())  # noqa: E712 (JSON booleans)
    with_score = len(scored)
    table("Totals", ["figure", "turns", "share"], [
        ["judged turns", total, share(total, total)], ["parsed", parsed, share(parsed, total)],
        ["not parsed", total - parsed, share(total - parsed, total)],
        ["with a score", with_score, share(with_score, total)],
        ["without a score", total - with_score, share(total - with_score, total)]])
    table("Scores", ["value", "n", "mean", "sd", "min", "max"],
          [["score"] + stats(frame["score"]), ["delta"] + stats(frame["delta"])])

    buckets = frame.assign(bucket=frame["bucket"].fillna("(no bucket)")).groupby("bucket", sort=False)["score"]
    summary = buckets.agg(["size", "mean", "min", "max"]).reset_index()
    summary = summary.sort_values("mean", ascending=False, kind="mergesort", na_position="last")
    table("Buckets", ["bucket", "turns", "share", "score mean", "score min", "score max"],
          [[row.bucket, int(row.size), share(row.size, total), num(row.mean), num(row.min), num(row.max)]
           for row in summary.itertuples()])

    bounds = sorted(set([float(b) for b in range(0, 100, args.bin_width)] + edges + [100.0]))
    bins = pd.cut(scored["score"], bounds, right=False, include_lowest=True)
    counts = bins.value_counts(sort=False).tolist()
    counts[-1] += int((scored["score"] == 100).sum())  # the last bin also holds 100

    def label(value):
        return f"{value:g}"

    def band(low):
        if not edges:
            return ""
        if low < edges[0]:
            return f"< {label(edges[0])}"
        for lower, upper in zip(edges, edges[1:]):
            if lower <= low < upper:
                return f"{label(lower)} – {label(upper)}"
        return f"≥ {label(edges[-1])}"

    rows = []
    for low, high, count in zip(bounds, bounds[1:], counts):
        row = [f"{label(low)} – {label(high)}"] + ([band(low)] if edges else []) + [count, share(count, with_score)]
        rows.append(row)
    table("Score histogram", ["bin"] + (["band"] if edges else []) + ["turns", "share"], rows)

    metrics = [c for c in frame.columns if c.startswith("by_metric.")]
    judges = [c for c in frame.columns if c.startswith("by_judge.")]
    table("Metrics", ["metric", "n", "mean", "sd", "min", "max"],
          [[c[len("by_metric."):]] + stats(scored[c]) for c in metrics])
    table("Judges", ["judge", "n", "mean", "sd", "min", "max"],
          [[c[len("by_judge."):]] + stats(scored[c]) for c in judges])

    top = frame.sort_values("score", ascending=False, kind="mergesort", na_position="last").head(args.max_rows)
    rows = []
    for rank, (_, row) in enumerate(top.iterrows(), start=1):
        bucket = row["bucket"] if isinstance(row["bucket"], str) else "(no bucket)"
        rows.append([rank, num(row["score"]), row["id"], bucket] + [num(row[c]) for c in metrics]
                    + [f"{args.file}:{row['line']}"])
    table("Turns by score", ["rank", "score", "instance_id / turn", "bucket"]
          + [c[len("by_metric."):] for c in metrics] + ["record"], rows)
    print("\n".join(out))


if __name__ == "__main__":
    main()
