"""A deliberately simple recount of the report's key numbers, straight from
the records with Python's json module, and a check that each expected table
row is in the Markdown. Prints every row it checked; exits 1 if one is missing.
Formatting rules (from report --help): counts as integers, every other number
in a table (values from the data and computed statistics) with 2 decimals,
shares in % with 1.
Usage: recount.py judged|pairs|items RECORDS.jsonl REPORT.md"""
import collections
import json
import math
import statistics
import sys


def stat(x):
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def share(part, total):
    return f"{100 * part / total:.1f}%"


def mean(xs):
    return math.fsum(xs) / len(xs)


def sd(xs):
    return statistics.stdev(xs) if len(xs) > 1 else 0.0


def row(*cells):
    return "| " + " | ".join(cells) + " |"


kind, records_path, report_path = sys.argv[1:]
records = [json.loads(line) for line in open(records_path, encoding="utf-8") if line.strip()]
report = open(report_path, encoding="utf-8").read().splitlines()
expected = []

if kind == "judged":
    n = len(records)
    duels = [r["duel"] for r in records]
    scores = [d["score"] for d in duels if d["score"] is not None]
    deltas = [d["delta"] for d in duels if d["delta"] is not None]
    parsed = sum(d["parsed"] for d in duels)
    expected += [row("judged turns", str(n), share(n, n)), row("parsed", str(parsed), share(parsed, n)),
                 row("not parsed", str(n - parsed), share(n - parsed, n)),
                 row("with a score", str(len(scores)), share(len(scores), n)),
                 row("without a score", str(n - len(scores)), share(n - len(scores), n))]
    for name, xs in (("score", scores), ("delta", deltas)):
        expected.append(row(name, str(len(xs)), stat(mean(xs)), stat(sd(xs)), stat(min(xs)), stat(max(xs))))
    by_bucket = collections.defaultdict(list)
    for r in records:
        by_bucket[r["bucket"]].append(r["duel"]["score"])
    for bucket, values in by_bucket.items():
        xs = [x for x in values if x is not None]
        cells = [bucket, str(len(values)), share(len(values), n)]
        cells += [stat(mean(xs)), stat(min(xs)), stat(max(xs))] if xs else ["\u2014"] * 3
        expected.append(row(*cells) + " ")
    limits = sorted(set(list(range(0, 100, 10)) + [66, 80, 100]))
    for low, high in zip(limits, limits[1:]):
        count = sum(low <= x < high or (high == 100 and x == 100) for x in scores)
        band = "< 66" if low < 66 else "66 \u2013 80" if low < 80 else "\u2265 80"
        expected.append(row(f"{low} \u2013 {high}", band, str(count), share(count, len(scores))) + " ")
    for field in ("by_metric", "by_judge"):  # over the turns with a score, as duel-judge's summary
        values = collections.defaultdict(list)
        for d in (d for d in duels if d["score"] is not None):
            for name, x in d[field].items():
                if x is not None:
                    values[name].append(x)
        for name, xs in values.items():
            expected.append(row(name, str(len(xs)), stat(mean(xs)), stat(sd(xs)), stat(min(xs)), stat(max(xs))))
    # the turns table: the 5 highest scores, ties in input order
    ranked = sorted((r for r in records if r["duel"]["score"] is not None), key=lambda r: -r["duel"]["score"])
    for rank, r in enumerate(ranked[:5], 1):
        expected.append(row(str(rank), stat(r["duel"]["score"]), r["id"], r["bucket"]) + " ")
elif kind == "pairs":
    n = len(records)
    groups = collections.Counter(r["metadata"]["challenge"] for r in records)
    chosen = collections.Counter(r["metadata"]["chosen_model"] for r in records)
    rejected = collections.Counter(r["metadata"]["rejected_model"] for r in records)
    models = set(chosen) | set(rejected)
    expected += [row("pairs", str(n)), row("groups (challenge)", str(len(groups))),
                 row("candidates (model)", str(len(models)))]
    for group, count in groups.items():
        expected.append(row(group, str(count), share(count, n)) + " ")
    for model in sorted(models):
        wins, losses = chosen[model], rejected[model]
        expected.append(row(model, str(wins), str(losses), str(wins + losses), share(wins, wins + losses)))
    xs = [r["metadata"]["score_difference"] for r in records]
    expected.append(row("score_difference", str(n), stat(mean(xs)), stat(sd(xs)), stat(min(xs)),
                        stat(statistics.median(xs)), stat(max(xs))))
elif kind == "items":
    n = len(records)
    flagged = sum(bool(r["flags"]) for r in records)
    expected += [row("items", str(n), share(n, n)), row("flagged", str(flagged), share(flagged, n))]
    votes = collections.Counter(r["vote_count"] for r in records)
    for count, items in votes.items():
        expected.append(row(str(count), str(items), share(items, n)) + " ")
    flags = collections.Counter(f for r in records for f in r["flags"])
    for flag, items in flags.items():
        expected.append(row(flag, str(items), share(items, n)) + " ")
    lists = {"overall": [r["overall"] for r in records]}
    for r in records:
        for dim, stats in r["scores"].items():
            lists.setdefault(dim, []).append(stats["mean"])
    for name, xs in lists.items():
        xs = [x for x in xs if x is not None]
        expected.append(row(name, str(len(xs)), stat(mean(xs)), stat(sd(xs)), stat(min(xs)),
                            stat(statistics.median(xs)), stat(max(xs))))

missing = 0
for line in expected:
    found = any(have == line or (line.endswith(" ") and have.startswith(line)) for have in report)
    print(("found:   " if found else "MISSING: ") + line.rstrip())
    missing += not found
print(f"{kind}: {len(expected)} rows recounted, {missing} missing")
sys.exit(1 if missing else 0)
