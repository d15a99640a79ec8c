#!/usr/bin/env python3
"""Generate SFT candidates (examples/sft/candidates.jsonl's shape) for bench/balance.sh.

Usage: bench/gen_candidates.py --rows N -o PATH [--seed S]

One {"problem_id","difficulty","model","run","passed","tests_passed","tests_total","duration_s",
"prompt","response"} per line: N candidates of N*2/5 problems (easy 40 %, medium 35 %, hard 25 %,
fixed per problem), each answered by several models and runs, 70 % of them passed; prompts and
responses of 100 to 400 bytes with quotes, line breaks and some non-ASCII. With --require passed
--dedup problem_id about 80 % of the problems stay eligible, enough in every stratum for
balance --total N/10 with any preset mix. Python stdlib only; the same seed gives the same
bytes. Written to PATH.tmp, then renamed.
"""

import argparse
import json
import os
import random

MODELS = ["qwen2.5-coder-7b-instruct", "deepseek-coder-6.7b", "llama-3.1-8b-instruct", "gpt-4o-mini"]
ASKS = ["Write a function that returns the square of a number.",
        "Write a function that counts the vowels in a string, e.g. count_vowels(\"naïve café\") == 4.",
        "Return the n-th Fibonacci number; n may be 0.",
        "Merge two sorted lists into one sorted list without sort().",
        "Parse 'key=value' pairs separated by ';' into a dict — ignore blanks."]
LINES = ["def solve(xs):", "    return sorted(set(xs))", "    total = 0", "    for x in xs:",
         "        total += x * x", "    return \"\".join(reversed(s))", "    # größer als nötig: fine",
         "    raise ValueError(\"empty input\")", "    return {k: v for k, v in pairs if k}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("-o", "--output", required=True, metavar="PATH")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    problems = max(1, args.rows * 2 // 5)
    difficulty = [rng.choices(["easy", "medium", "hard"], [40, 35, 25])[0] for _ in range(problems)]
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for index in range(args.rows):
            problem = rng.randrange(problems)
            tests_total = rng.randint(3, 8)
            passed = rng.random() < 0.7
            lines = rng.choices(LINES, k=rng.randint(3, 12))
            record = {"problem_id": f"p-{problem}", "difficulty": difficulty[problem],
                      "model": rng.choice(MODELS), "run": rng.randint(1, 3), "passed": passed,
                      "tests_passed": tests_total if passed else rng.randint(0, tests_total - 1),
                      "tests_total": tests_total, "duration_s": rng.randint(100, 5000) / 1000,
                      "prompt": rng.choice(ASKS), "response": "\n".join(lines)}
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
