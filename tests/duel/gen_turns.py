#!/usr/bin/env python3
"""Generates synthetic duel turns (DESIGN.md §3, issue 5) for tests and bench/duel.sh.

Each line: {"instance_id","turn","messages":[system, user task, (assistant, observation)],
"king","challenger"[,"judgements"]}. Same arguments and seed -> the same bytes.

  --judges a,b       add "judgements": per judge and order a verdict
                     {"correctness":0|1|2,...} (1 = MODEL 1 better); in order "ab" MODEL 1 is
                     the king, in "ba" the challenger. Without --judges there are none.
  --orders ab,ba     the orders of the judgements (default ab,ba)
  --reply-frac F     share of judgements given as "reply" text (prose around the JSON)
                     instead of "verdict" (default 0.01)
  --broken-frac F    share of judgements whose "reply" has no valid verdict (default 0.002)
  --short            no system message and no earlier turns: the smallest realistic record
                     (what bench/duel.sh times aggregate-only mode on)
  --markers          put the word GOOD in the better answer (the challenger in 60 % of the
                     turns, the king in 20 %, neither in 20 %), for judge_server's verdicts
"""
import argparse
import json
import random
import sys

METRICS = ("correctness", "grounding", "progress", "protocol", "efficiency")
SYSTEM = "You are a coding agent. Answer with THOUGHT: then exactly one ```bash block."
TASKS = [
    ("requests", "Session.get ignores the timeout argument", "src/requests/sessions.py", "tests/test_sessions.py"),
    ("flask", "url_for drops the anchor when _external is set", "src/flask/helpers.py", "tests/test_helpers.py"),
    ("pandas", "read_csv crashes on an empty quoted header", "pandas/io/parsers/base.py", "pandas/tests/io/test_csv.py"),
    ("click", "the --help of a group omits hidden options wrongly", "src/click/core.py", "tests/test_commands.py"),
    ("attrs", "frozen classes allow setattr through evolve", "src/attr/_make.py", "tests/test_make.py"),
    ("rich", "Table wraps CJK text one column too early", "rich/table.py", "tests/test_table.py"),
    ("httpx", "redirects lose the Authorization header too eagerly", "httpx/_client.py", "tests/test_redirects.py"),
    ("sympy", "simplify returns nan for sqrt(x**2) with x positive", "sympy/simplify/simplify.py", "sympy/simplify/tests/test_simplify.py"),
]
MOVES = [
    ("look at the module that the traceback points to", "sed -n '1,80p' {src}"),
    ("run the failing test first to see the exact error", "python -m pytest -x -q {test}"),
    ("search for where the option is handled", "grep -n 'timeout\\|anchor\\|hidden' {src} | head -20"),
    ("check the git history of the file for a related change", "git log --oneline -5 -- {src}"),
    ("list the package to find the right module", "ls {dir}"),
    ("apply the one-line fix and rerun the test", "sed -i 's/return None/return value/' {src} && python -m pytest -x -q {test}"),
]


def turn_record(rng, index, args):
    repo, issue, src, test = TASKS[rng.randrange(len(TASKS))]
    directory = src.rsplit("/", 1)[0]
    king_move = MOVES[rng.randrange(len(MOVES))]
    challenger_move = MOVES[rng.randrange(len(MOVES))]
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": f"Repository {repo}: {issue}. Fix it."}]
    turn = rng.randrange(1, 4)
    if args.short:
        messages, turn = messages[1:], 1
    if turn > 1:
        messages.append({"role": "assistant", "content": f"THOUGHT: find the code first.\n```bash\nls {directory}\n```"})
        messages.append({"role": "user", "content": f"{src.rsplit('/', 1)[1]}\n__init__.py"})
    king = f"THOUGHT: I should {king_move[0]}.\n```bash\n{king_move[1].format(src=src, test=test, dir=directory)}\n```"
    challenger = f"THOUGHT: I will {challenger_move[0]}.\n```bash\n{challenger_move[1].format(src=src, test=test, dir=directory)}\n```"
    if args.markers:
        roll = rng.random()
        if roll < 0.6:
            challenger = challenger.replace("THOUGHT: ", "THOUGHT: GOOD: ", 1)
        elif roll < 0.8:
            king = king.replace("THOUGHT: ", "THOUGHT: GOOD: ", 1)
    record = {"instance_id": f"{repo}__{repo}-{1000 + index % 9000}", "turn": turn,
              "messages": messages, "king": king, "challenger": challenger}
    if args.judges:
        # The challenger's strength in this turn; each judge and order draws per metric.
        strength = rng.choice((0.9, 0.75, 0.6, 0.4, 0.2))
        judgements = []
        for judge in args.judges:
            for order in args.orders:
                verdict = {}
                for metric in METRICS:
                    roll = rng.random()
                    challenger_wins, draw = roll < strength, roll < strength + 0.1
                    challenger_label, king_label = (2, 1) if order == "ab" else (1, 2)
                    verdict[metric] = challenger_label if challenger_wins else 0 if draw else king_label
                entry = {"judge": judge, "order": order}
                roll = rng.random()
                if roll < args.broken_frac:
                    entry["reply"] = 'I think MODEL 2 is better overall: {"correctness": 2, "grounding":'
                elif roll < args.broken_frac + args.reply_frac:
                    entry["reply"] = f"Both answers are plausible.\n{json.dumps(verdict, separators=(',', ':'))}\nThat is my verdict."
                else:
                    entry["verdict"] = verdict
                judgements.append(entry)
        record["judgements"] = judgements
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, required=True)
    parser.add_argument("--judges", type=lambda s: [j for j in s.split(",") if j], default=[])
    parser.add_argument("--orders", type=lambda s: s.split(","), default=["ab", "ba"])
    parser.add_argument("--reply-frac", type=float, default=0.01)
    parser.add_argument("--broken-frac", type=float, default=0.002)
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--markers", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    if any(order not in ("ab", "ba") for order in args.orders):
        parser.error("--orders takes ab and/or ba")
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output + ".tmp", "w", encoding="utf-8")
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    lines = []
    for index in range(args.turns):
        lines.append(encoder.encode(turn_record(rng, index, args)))
        if len(lines) == 10000:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    if out is not sys.stdout:
        out.close()
        import os
        os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
