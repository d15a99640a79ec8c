#!/usr/bin/env python3
"""A toy "command" judge for duel-judge: reads the judge prompt on stdin, prints one line of JSON.

It shows the contract of a command judge (prompt on stdin, reply on stdout, exit 0), not good
judging: it only checks the protocol (exactly one ```bash block) and prefers the shorter command
for efficiency; every other metric is a draw unless one answer breaks the protocol.

The answers are found as duel-judge's built-in prompt lays them out: a line "MODEL 1:" (or
"MODEL 2:"), then a fence line, the answer, and the same fence line again. The metrics are the
ones the prompt asks for ({"name":1|2|0,...}), else the five defaults.
"""
import json
import re
import sys

DEFAULT_METRICS = ["correctness", "grounding", "progress", "protocol", "efficiency"]


def answer(prompt, label):
    match = re.search(rf"^{label}:\n(.+)\n(.*?)\n\1$", prompt, flags=re.M | re.S)
    return match.group(2) if match else ""


def main():
    prompt = sys.stdin.read()
    shapes = re.findall(r'\{(?:"\w+":1\|2\|0,?)+\}', prompt)
    metrics = re.findall(r'"(\w+)":1\|2\|0', shapes[-1]) if shapes else DEFAULT_METRICS
    first, second = answer(prompt, "MODEL 1"), answer(prompt, "MODEL 2")
    blocks = [re.findall(r"```bash\n(.*?)\n```", text, flags=re.S) for text in (first, second)]
    valid = [len(b) == 1 for b in blocks]
    verdict = {}
    for metric in metrics:
        if valid[0] != valid[1]:
            verdict[metric] = 1 if valid[0] else 2
        elif metric == "efficiency" and all(valid) and len(blocks[0][0]) != len(blocks[1][0]):
            verdict[metric] = 1 if len(blocks[0][0]) < len(blocks[1][0]) else 2
        else:
            verdict[metric] = 0
    print(json.dumps(verdict, separators=(",", ":")))


if __name__ == "__main__":
    main()
