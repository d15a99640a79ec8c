#!/usr/bin/env python3
"""Generate the texts pairup needs for the items of bench/gen_grades.py (default items).

Usage: bench/gen_texts.py --responses PATH --prompts PATH [--seed S]

Writes, as JSON Lines:
  --responses: one {"challenge","model","response"} per item of gen_grades.py's default item set
    (34 challenges x 23 models = 782 items): a code answer of 0.5 to 4 KB with quotes, line
    breaks, tabs, backslashes and some non-ASCII, as a model would answer;
  --prompts: one {"challenge","prompt"} per challenge.
Python stdlib only; the same seed gives the same bytes. Each file is written to PATH.tmp and
renamed, so an interrupted run leaves no PATH behind.
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_grades import CODE_CHALLENGES, MODELS, NON_ASCII, VISUAL_CHALLENGES  # noqa: E402

LINES = [
    'import * as d3 from "d3";',
    "const width = 800, height = 600;",
    "export function main(container, { data }) {",
    '  const svg = d3.select(container).append("svg");',
    "  const x = d3.scaleBand().domain(data.map((d) => d.name)).range([0, width]);",
    '  svg.attr("viewBox", `0 0 ${width} ${height}`);',
    "\tfor (let i = 0; i < data.length; i++) total += data[i].value;",
    "  return text.replace(/\\\\s+/g, ' ').trim();",
    "  if (value === undefined) throw new Error(\"missing value\");",
    "}",
    "// renders the axis labels below the bars",
]


def write_lines(path, records):
    temporary = path + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", required=True, metavar="PATH")
    parser.add_argument("--prompts", required=True, metavar="PATH")
    parser.add_argument("--seed", type=int, default=20250604)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    challenges = VISUAL_CHALLENGES + CODE_CHALLENGES

    def response(challenge, model):
        lines = [f"// {challenge} by {model}: {rng.choice(NON_ASCII)}"]
        while sum(len(line) + 1 for line in lines) < rng.randrange(500, 4000):
            lines.append(rng.choice(LINES))
        return "\n".join(lines)

    write_lines(args.responses, ({"challenge": c, "model": m, "response": response(c, m)}
                                 for c in challenges for m in MODELS))
    write_lines(args.prompts, ({"challenge": c,
                                "prompt": f"Write the \"{c}\" challenge in JavaScript; "
                                          f"{'render it with d3 v7 in 800x600' if c in VISUAL_CHALLENGES else 'export one function'}."}
                               for c in challenges))
    return 0


if __name__ == "__main__":
    sys.exit(main())
