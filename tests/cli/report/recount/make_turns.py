"""Writes N judged turns (duel-judge output) with a fixed seed: scores with 4
decimals, ties, a few exactly on the edges 66 and 80, about 4% unparsed (with
one judge's score, as duel-judge writes them)."""
import json
import random
import sys

rng = random.Random(20250615)
metrics = ["correctness", "helpfulness", "safety", "style", "concision"]
for i in range(int(sys.argv[1])):
    if rng.random() < 0.04:
        # as duel-judge writes an unparsed turn: metrics null, the judges that parsed keep their score
        duel = {"score": None, "delta": None, "parsed": False, "by_metric": {m: None for m in metrics},
                "by_judge": {"judge-a": round(rng.uniform(0, 100), 4), "judge-b": None, "judge-c": None},
                "judgements": []}
    else:
        score = rng.choice([66, 80, 100, 0, round(rng.uniform(0, 100), 4), round(rng.uniform(50, 90), 4)])
        judges = {f"judge-{c}": round(min(100, max(0, score + rng.uniform(-8, 8))), 4) for c in "abc"}
        if rng.random() < 0.1:
            judges["judge-c"] = None
        duel = {"score": score, "delta": round(score / 50 - 1, 4), "parsed": True,
                "by_metric": {m: rng.choice([-1, -0.5, 0, 0.5, 1, 0.3333]) for m in metrics},
                "by_judge": judges, "judgements": []}
    print(json.dumps({"id": f"turn-{i:05d}", "prompt": f"question {i}", "duel": duel}))
