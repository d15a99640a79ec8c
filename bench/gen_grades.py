#!/usr/bin/env python3
"""Generate a large, deterministic grades CSV in the vizhub grader format.

Usage: bench/gen_grades.py [--rows N] [--seed S] [--items N] [--graders N] -o PATH

Header: challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes
About 200 bytes per row (1 M rows ~ 200 MB). The notes are free text: some contain commas,
some double quotes, some non-ASCII (accents, CJK, emoji), ~1 % a line break inside the quotes;
~5 % of the grade and aesthetics cells are empty ("not graded").
--short makes rows of about 155 bytes (notes of two to four phrases, about 20 % of them quoted),
where the cost per row rather than per byte dominates.
Same --rows and --seed give a byte-identical file (Python stdlib only, random.Random(seed)).
The file is written to PATH.tmp and renamed, so an interrupted run leaves no PATH behind.

By default the items (challenge, model) come from 34 challenges x 23 models (782 items) and
the graders from 26 names. --items N draws every row's item uniformly from N distinct items
instead: synthetic challenges ch0000, ch0001, ... with the 23 models each (item k is challenge
k // 23, model k % 23; even challenges are visualizations). --graders N draws the grader from N
synthetic names g0000, g0001, ... instead. Without these options the output is unchanged.
"""

import argparse
import csv
import os
import random
import sys

HEADER = ["challenge", "model", "type", "passFail", "grade", "aesthetics",
          "reviewedBy", "reviewedAt", "notes"]

VISUAL_CHALLENGES = [
    "stockPriceChart", "scatterPlotMatrix", "choroplethMap", "barChartRace", "sunburstChart",
    "forceDirectedGraph", "heatmapCalendar", "treemapBudget", "streamgraphMusic",
    "parallelCoordinates", "radialTree", "sankeyEnergy", "violinPlot", "hexbinDensity",
    "lineChartTooltip", "donutChartLegend", "zoomableMap", "brushableTimeline",
]
CODE_CHALLENGES = [
    "add", "multiply", "square", "reverseString", "toUpperCase", "fizzBuzz", "debounce",
    "deepClone", "parseQueryString", "flattenArray", "memoize", "throttle", "camelCase",
    "binarySearch", "chunkArray", "uniqueBy",
]
MODELS = [
    "openai/gpt-4o", "openai/gpt-4o-mini", "openai/o3-mini", "anthropic/claude-3.5-sonnet",
    "anthropic/claude-3.5-haiku", "anthropic/claude-3.7-sonnet", "deepseek/deepseek-r1",
    "deepseek/deepseek-chat", "deepseek/deepseek-chat-v3-0324", "google/gemini-2.0-flash-001",
    "google/gemini-2.5-pro-preview", "qwen/qwq-32b", "qwen/qwen-2.5-coder-32b-instruct",
    "qwen/qwen-vl-max", "qwen/qwen-2.5-72b-instruct", "qwen/qwen-2.5-7b-instruct",
    "meta-llama/llama-4-maverick", "meta-llama/llama-3.1-8b-instruct",
    "meta-llama/llama-3.2-3b-instruct", "meta-llama/llama-3.2-1b-instruct",
    "amazon/nova-micro-v1", "mistralai/mistral-small-3.1-24b-instruct", "x-ai/grok-2-1212",
]
GRADERS = [
    "ej-fox", "alice", "bob", "carol", "dmitri", "esperanza", "fatima", "gunnar", "hiro",
    "ingrid", "jamal", "kateryna", "luis", "mei", "noah", "olu", "priya", "quentin",
    "rosa", "sven", "tomasz", "uma", "victor", "wen", "yusuf", "zoé",
]

# Vocabulary for the notes. Plain phrases most of the time; the others bring in the characters
# a CSV reader and a JSON writer must get right.
PHRASES = [
    "bars render correctly", "axis labels overlap", "no title on the chart", "legend missing",
    "tooltip works on hover", "colors are hard to tell apart", "the scale starts at zero",
    "dates are parsed as strings", "responsive layout", "fits the 800x600 viewport",
    "test passes", "test fails on empty input", "off by one in the loop",
    "clean and idiomatic code", "uses d3 v7 as asked", "loads data.csv with d3.csv",
    "price labels sit on top of the bars", "the x axis uses a band scale, not a time scale",
    "unused variables left behind", "long reasoning comment left in the code",
    "handles unicode correctly", "mutates its argument", "no error handling",
    "nice transitions", "the y axis has no label", "gridlines help reading values",
]
WITH_COMMA = [
    "works, but slowly", "good colors, weak labels", "correct, readable, a bit verbose",
    "fast, small, no dependencies", "ticks overlap at 800px, fine at 1200px",
]
WITH_QUOTE = [
    'title says "AAPL Stock Price" as asked', 'prints "undefined" for empty input',
    'uses "innerHTML" to build the chart', 'the "responsive" part is just a fixed viewBox',
    'returns "NaN" for multiply(2, "3")',
]
NON_ASCII = [
    "très propre", "schön gemacht, aber langsam", "naïve approach", "año fiscal mal calculado",
    "日本語のラベルが文字化け", "很好", "👍 looks great", "❌ crashes on resize", "✅ passes",
    "Ωmega scale 🎯", "señal débil", "größer als nötig", "café-style palette ☕",
]
SEPARATORS = [", ", "; ", " — ", ". ", " / "]


class GradeRows:
    """An endless, deterministic stream of grade rows."""

    def __init__(self, seed, items=None, graders=None, short=False):
        self.rng = random.Random(seed)
        self.short = short
        self.items = items
        self.graders = GRADERS if graders is None else [
            f"g{i:0{max(4, len(str(graders - 1)))}d}" for i in range(graders)]
        self.challenge_width = 4 if items is None else max(4, len(str((items - 1) // len(MODELS))))
        # Precomputed day strings: random day index -> "2025-MM-DD" without date arithmetic
        # on the hot path.
        self.days = [f"2025-{month:02d}-{day:02d}"
                     for month in range(3, 10) for day in range(1, 29)]
        self.day_index = 0
        self.millisecond_of_day = 8 * 3600 * 1000

    def timestamp(self):
        # Grading sessions move forward in time: a few seconds to a few minutes per grade.
        self.millisecond_of_day += self.rng.randrange(800, 240_000)
        if self.millisecond_of_day >= 86_400_000:
            self.millisecond_of_day -= 86_400_000
            self.day_index = (self.day_index + 1) % len(self.days)
        seconds, millis = divmod(self.millisecond_of_day, 1000)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{self.days[self.day_index]}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"

    def note(self):
        if self.short:
            return self.short_note()
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            return ""
        pieces = rng.choices(PHRASES, k=rng.randrange(3, 7))
        if roll < 0.35:
            pieces[0] = rng.choice(WITH_COMMA)
        elif roll < 0.50:
            pieces[-1] = rng.choice(WITH_QUOTE)
        elif roll < 0.62:
            pieces[rng.randrange(len(pieces))] = rng.choice(NON_ASCII)
        text = rng.choice(SEPARATORS).join(pieces)
        if rng.random() < 0.0118:  # ~1 % of all rows: notes that span two lines
            text += "\n" + rng.choice(PHRASES).capitalize() + "."
        return text

    def short_note(self):
        """--short: two to four phrases; about 20 % of the notes need quotes (a comma, a quote or,
        in ~1 % of the rows, a line break)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return ""
        pieces = rng.choices(PHRASES, k=rng.randrange(2, 5))
        if roll < 0.20:
            pieces[0] = rng.choice(WITH_COMMA)
        elif roll < 0.25:
            pieces[-1] = rng.choice(WITH_QUOTE)
        elif roll < 0.33:
            pieces[0] = rng.choice(NON_ASCII)
        text = " and ".join(pieces)
        if rng.random() < 0.01:
            text += "\n" + rng.choice(PHRASES).capitalize() + "."
        return text

    def score(self, base):
        rng = self.rng
        if rng.random() < 0.05:
            return ""
        return str(min(5, max(0, base + rng.choice((-1, 0, 0, 0, 1)))))

    def __iter__(self):
        if self.items is not None:
            yield from self.synthetic_items()
            return
        rng = self.rng
        while True:
            if rng.random() < 0.5:
                challenge, kind = rng.choice(VISUAL_CHALLENGES), "visualization"
            else:
                challenge, kind = rng.choice(CODE_CHALLENGES), ""
            passed = rng.random() < 0.9
            base = rng.randrange(2, 6) if passed else rng.randrange(0, 3)
            yield [challenge, rng.choice(MODELS), kind, "pass" if passed else "fail",
                   self.score(base), self.score(base), rng.choice(self.graders),
                   self.timestamp(), self.note()]

    def synthetic_items(self):
        """Rows for --items: the item is drawn from self.items distinct (challenge, model)."""
        rng = self.rng
        while True:
            number, model = divmod(rng.randrange(self.items), len(MODELS))
            challenge = f"ch{number:0{self.challenge_width}d}"
            kind = "visualization" if number % 2 == 0 else ""
            passed = rng.random() < 0.9
            base = rng.randrange(2, 6) if passed else rng.randrange(0, 3)
            yield [challenge, MODELS[model], kind, "pass" if passed else "fail",
                   self.score(base), self.score(base), rng.choice(self.graders),
                   self.timestamp(), self.note()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="number of data rows (default 1000000)")
    parser.add_argument("--seed", type=int, default=20250603, help="random seed (default 20250603)")
    parser.add_argument("--items", type=int, metavar="N",
                        help="draw the (challenge, model) of each row from N synthetic items")
    parser.add_argument("--graders", type=int, metavar="N",
                        help="draw the grader of each row from N synthetic names")
    parser.add_argument("--short", action="store_true",
                        help="short rows (~155 bytes): notes of two to four phrases, ~20 %% quoted")
    parser.add_argument("-o", "--output", required=True, metavar="PATH", help="output CSV file")
    args = parser.parse_args()
    if args.rows < 0:
        parser.error("--rows must be >= 0")
    if args.items is not None and args.items < 1:
        parser.error("--items must be >= 1")
    if args.graders is not None and args.graders < 1:
        parser.error("--graders must be >= 1")

    directory = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(directory, exist_ok=True)
    temporary = args.output + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(HEADER)
            rows = iter(GradeRows(args.seed, args.items, args.graders, args.short))
            batch = 10_000
            remaining = args.rows
            while remaining > 0:
                count = min(batch, remaining)
                writer.writerows(next(rows) for _ in range(count))
                remaining -= count
        os.replace(temporary, args.output)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
