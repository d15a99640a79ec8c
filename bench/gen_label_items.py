#!/usr/bin/env python3
"""Deterministic inputs for bench/label.sh.

Items for `label --rate`: one record {challenge, model, response} a line, the
response about 1 KB of text different for every item. With --journal, also a
grader's journal with the first --journal-rows items of visit_order() already
graded (the lines label itself appends, one per graded row), so that the bench
can start label on a nearly full grade sheet without posting 90 000 grades
first.

Usage: gen_label_items.py --items N -o ITEMS.jsonl
                          [--journal FILE --journal-rows R --grader NAME]
"""
import argparse
import json
import math

MODELS = 5  # vizhub-like: a few models per challenge; 90 items = 18 challenges x 5 models
RESPONSE_BYTES = 1000
WORDS = ("the chart axis scale data value bar line point label legend color svg path group "
         "domain range tick margin width height render update select append attr style text "
         "transition duration ease zoom brush tooltip hover click event filter sort map reduce "
         "array object string number null true false return function const let import export "
         "module async await fetch json csv parse format date time series band linear ordinal").split()


def splitmix64(state):
    """One step of splitmix64: (next state, output). The same numbers on every Python."""
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return state, z ^ (z >> 31)


def item_key(index):
    """The (challenge, model) of item number `index` (its line in the items file, from 0)."""
    return "challenge-%05d" % (index // MODELS), "model-%d" % (index % MODELS)


def visit_stride(count):
    """A step coprime with `count`, so that visit_order() is a permutation."""
    stride = 7919
    while math.gcd(stride, count) != 1:
        stride += 2
    return stride


def visit_order(count, position):
    """The item a grader visits at `position` (0-based): the items in a scattered but fixed order."""
    return (position * visit_stride(count) + 11) % count


def word_pool(size, seed):
    state = seed
    words = []
    length = 0
    while length < size:
        state, value = splitmix64(state)
        word = WORDS[value % len(WORDS)]
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def write_items(count, path):
    pool = word_pool(1 << 16, 20)
    state = 1
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for index in range(count):
            state, value = splitmix64(state)
            start = value % (len(pool) - 2 * RESPONSE_BYTES)
            start = pool.find(" ", start) + 1
            end = pool.rfind(" ", start, start + RESPONSE_BYTES - 40)
            challenge, model = item_key(index)
            response = "Answer %d.\n%s\n```js\nconst n = %d;\n```" % (index, pool[start:end], value % 1000)
            out.write(json.dumps({"challenge": challenge, "model": model, "response": response},
                                 separators=(",", ":")) + "\n")


def write_journal(count, rows, grader, path):
    """`rows` journal lines: the first `rows` items of visit_order() graded on both scales."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for position in range(rows):
            challenge, model = item_key(visit_order(count, position))
            at = 1764547200000 + position  # 2025-12-01T00:00:00.000Z, one ms apart
            seconds, millis = divmod(at, 1000)
            days, rest = divmod(seconds, 86400)
            hours, rest = divmod(rest, 3600)
            minutes, secs = divmod(rest, 60)
            stamp = "2025-12-%02dT%02d:%02d:%02d.%03dZ" % (1 + days - 20423, hours, minutes, secs, millis)
            record = {"challenge": challenge, "model": model, "type": "", "passFail": "pass",
                      "grade": position % 6, "aesthetics": (position // 6) % 6, "reviewedBy": grader,
                      "reviewedAt": stamp, "notes": "", "autoFail": False}
            out.write(json.dumps(record, separators=(",", ":")) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--journal")
    parser.add_argument("--journal-rows", type=int, default=0)
    parser.add_argument("--grader", default="bench")
    args = parser.parse_args()
    if args.journal_rows > args.items:
        parser.error("--journal-rows is larger than --items")
    write_items(args.items, args.output)
    if args.journal:
        write_journal(args.items, args.journal_rows, args.grader, args.journal)


if __name__ == "__main__":
    main()
