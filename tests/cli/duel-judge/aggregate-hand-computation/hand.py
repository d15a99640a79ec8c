
import json, math, random, sys
ms = ["correctness","grounding","progress","protocol","efficiency"]
def points(v, order): return 0.5 if v == 0 else (1.0 if v == (2 if order == "ab" else 1) else 0.0)
def parse(j):
    if "verdict" in j: return j["verdict"]
    text = j["reply"]
    while "<think>" in text:
        a = text.index("<think>"); b = text.find("</think>", a)
        text = text[:a] + ("" if b < 0 else text[b + 8:])
    best = None
    for i, c in enumerate(text):
        if c == "{":
            for k in range(len(text), i, -1):
                try: d = json.loads(text[i:k])
                except Exception: continue
                if isinstance(d, dict) and all(d.get(m) in (0,1,2) for m in ms): best = d
                break
    return best
valid, judge_pts = [], {}
for line, out in zip(open(sys.argv[1]), open(sys.argv[2])):
    rec, got = json.loads(line), json.loads(out)["duel"]
    per_judge = {}
    for j in rec["judgements"]:
        v = parse(j)
        if v is None: continue
        per_judge.setdefault(j["judge"], []).append([points(v[m], j["order"]) for m in ms])
    judges = sorted({j["judge"] for j in rec["judgements"]})
    if len(per_judge) < len(judges):
        assert got["score"] is None and got["parsed"] is False, got
        continue
    scores = {}
    for name, rows in per_judge.items():
        means = [sum(r[k] for r in rows) / len(rows) for k in range(len(ms))]
        scores[name] = sum(means) / len(ms)
        judge_pts.setdefault(name, []).append(means)
    score = 100 * sum(scores.values()) / len(scores)
    assert abs(got["score"] - round(score, 4)) < 1e-9, (rec["id"], got["score"], score)
    valid.append(score / 100 - 0.5)
s = json.load(open(sys.argv[3]))
challenger = 100 * sum(sum(sum(r[k] for r in rows) / len(rows) for k in range(len(ms))) / len(ms) for rows in judge_pts.values()) / len(judge_pts)
mean = sum(valid) / len(valid)
sd = math.sqrt(sum((d - mean) ** 2 for d in valid) / (len(valid) - 1))
assert s["n_done"] == 40 and s["n_valid"] == len(valid), s
assert abs(s["challenger_score"] - round(challenger, 4)) < 1e-9, (s["challenger_score"], challenger)
assert abs(s["king_score"] - round(100 - challenger, 4)) < 1e-9
assert abs(s["mean_delta"] - round(mean, 4)) < 1e-9 and abs(s["se"] - round(sd / math.sqrt(len(valid)), 4)) < 1e-9
# an independent percentile bootstrap (Python's own generator): within Monte-Carlo error
rng = random.Random(12345)
means = sorted(sum(rng.choice(valid) for _ in valid) / len(valid) for _ in range(4000))
lcb = means[int(0.05 * len(means))]
assert abs(s["lcb"] - lcb) < 0.02, (s["lcb"], lcb)
print(f"hand computation agrees: {len(valid)} valid turns, challenger {challenger:.4f}, mean delta {mean:.4f}, lcb {s['lcb']} vs python {lcb:.4f}")

