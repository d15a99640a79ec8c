#!/usr/bin/env python3
"""Generate pair records (pairup output shape) for bench/export.sh.

Usage: bench/gen_pairs.py --pairs N -o PATH [--seed S]

One {"prompt" or "messages", "chosen", "rejected", "metadata"} per line. Two pairs in three carry a
'prompt' string (as pairup writes them); the others a 'messages' conversation of 1, 3 or 5
messages (an optional system message first, user and assistant turns, a user's last), so both
of export's context forms are measured. chosen and rejected are code answers of 0.3 to 2.5 KB
with quotes, line breaks, tabs, backslashes and non-ASCII text, as a model would answer; no DEL
(U+007F), the one character jq 1.6 escapes (\u007f) and export writes as it is.
Python stdlib only; the same seed gives the same bytes. Written to PATH.tmp, then renamed.
"""

import argparse
import json
import os
import random

CHALLENGES = ["stockPriceChart", "barChartRace", "deepClone", "uniqueBy", "multiply", "fizzBuzz",
              "binarySearch", "flattenArray", "debounce", "lruCache", "forceGraph", "choropleth"]
MODELS = ["openai/gpt-4o", "deepseek/deepseek-r1", "qwen/qwq-32b", "google/gemini-2.0-flash-001",
          "meta-llama/llama-4-maverick", "mistralai/mistral-small-3.1-24b-instruct"]
LINES = [
    "const svg = d3.select(\"#chart\").append(\"svg\").attr(\"width\", 800).attr(\"height\", 600);",
    "\tconst x = d3.scaleBand().domain(data.map(d => d.name)).range([0, width]).padding(0.1);",
    "// größer als nötig: the axis labels need \"room\" — keep 40px",
    "function flatten(xs) { return xs.reduce((a, x) => a.concat(Array.isArray(x) ? flatten(x) : x), []); }",
    "\tif (!Array.isArray(input)) throw new TypeError('expected an array, got ' + typeof input);",
    "const path = \"C:\\\\data\\\\prices.csv\"; // Windows path with backslashes",
    "return items.filter((item, i, all) => all.findIndex(o => key(o) === key(item)) === i);",
    "svg.selectAll(\"rect\").data(data).join(\"rect\").attr(\"y\", d => y(d.value));",
    "# 价格图表: prices over time, one line per ticker ✓",
    "\t\tconsole.log(`value: ${value}`);",
]
ASKS = ["Write a D3 bar chart race of the top 10 countries by GDP.",
        "Implement deepClone(obj) handling Dates, Maps and cycles.",
        "Draw a stock price chart with a brush to zoom; data in prices.csv.",
        "Write uniqueBy(array, key) keeping the first of each key.",
        "Explain and fix: the \"tooltip\" stays visible after mouseout."]


def text(rng, low, high):
    size = rng.randint(low, high)
    parts = []
    length = 0
    while length < size:
        line = rng.choice(LINES)
        parts.append(line)
        length += len(line) + 1
    return "Here is the code:\n```js\n" + "\n".join(parts) + "\n```\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, required=True)
    parser.add_argument("-o", "--output", required=True, metavar="PATH")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for index in range(args.pairs):
            challenge = CHALLENGES[index % len(CHALLENGES)]
            chosen_model, rejected_model = rng.sample(MODELS, 2)
            record = {}
            if index % 3 != 2:
                record["prompt"] = rng.choice(ASKS) + " (" + challenge + ")"
            else:
                messages = []
                if rng.random() < 0.5:
                    messages.append({"role": "system", "content": "You write D3 and modern JavaScript."})
                for _ in range(rng.choice([0, 1, 2])):
                    messages.append({"role": "user", "content": rng.choice(ASKS)})
                    messages.append({"role": "assistant", "content": text(rng, 200, 600)})
                messages.append({"role": "user", "content": rng.choice(ASKS) + " (" + challenge + ")"})
                record["messages"] = messages
            record["chosen"] = text(rng, 300, 2500)
            record["rejected"] = text(rng, 300, 2500)
            chosen_score = rng.randint(6, 10) / 2
            rejected_score = rng.randint(0, int(chosen_score * 2) - 1) / 2
            record["metadata"] = {
                "challenge": challenge, "chosen_model": chosen_model, "rejected_model": rejected_model,
                "chosen_scores": {"overall": chosen_score, "vote_count": 2},
                "rejected_scores": {"overall": rejected_score, "vote_count": 2},
                "score_difference": chosen_score - rejected_score, "dataset_version": "1.0.0",
                "generated_at": "2026-12-06T00:00:00.000Z"}
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
