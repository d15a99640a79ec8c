import json, random, sys
ms = ["correctness", "grounding", "progress", "protocol", "efficiency"]
judges = [f"judge-{c}" for c in "nmlkjihgfedcba"]  # 14: past the registry's first 8

def points(v, order):
    return 0.5 if v == 0 else (1.0 if v == (2 if order == "ab" else 1) else 0.0)

if sys.argv[1] == "make":
    rng = random.Random(2026)
    with open(sys.argv[2], "w") as out:
        for i in range(12000):
            # the first turns name few judges, so new ones keep appearing in later blocks
            pool = judges[: min(len(judges), 2 + i // 900)]
            panel = rng.sample(pool, rng.randint(1, min(4, len(pool))))
            entries = []
            for name in panel:
                for order in rng.sample(["ab", "ba"], rng.randint(1, 2)):
                    if rng.random() < 0.03:
                        entries.append({"judge": name, "order": order, "reply": "no verdict here"})
                    else:
                        entries.append({"judge": name, "order": order, "verdict": {m: rng.randint(0, 2) for m in ms}})
            out.write(json.dumps({"id": i, "note": "x" * rng.randint(0, 600), "judgements": entries}) + "\n")
    sys.exit(0)

first_seen, sums, counts, n_valid = [], {}, {}, 0
turns = [json.loads(line) for line in open(sys.argv[2])]
judged = [json.loads(line) for line in open(sys.argv[3])]
assert [t["id"] for t in judged] == [t["id"] for t in turns], "records out of order or lost"
for rec, out in zip(turns, judged):
    got = out["duel"]
    order, per_judge = [], {}
    for j in rec["judgements"]:
        if j["judge"] not in order:
            order.append(j["judge"])
        if "verdict" in j:
            per_judge.setdefault(j["judge"], []).append([points(j["verdict"][m], j["order"]) for m in ms])
    assert list(got["by_judge"]) == order, (rec["id"], list(got["by_judge"]), order)
    for name in order:
        if name not in first_seen:
            first_seen.append(name)
    if not per_judge:
        assert got["score"] is None and got["parsed"] is False, (rec["id"], got)
        continue
    n_valid += 1
    scores = {}
    for name, rows in per_judge.items():
        scores[name] = sum(sum(r[k] for r in rows) / len(rows) for k in range(len(ms))) / len(ms)
        sums[name] = sums.get(name, 0) + 100 * scores[name]
        counts[name] = counts.get(name, 0) + 1
        assert abs(got["by_judge"][name] - round(100 * scores[name], 4)) < 1e-9, (rec["id"], name)
    score = 100 * sum(scores.values()) / len(scores)
    assert abs(got["score"] - round(score, 4)) < 1e-9, (rec["id"], got["score"], score)
summary = json.load(open(sys.argv[4]))
assert summary["n_done"] == len(turns) and summary["n_valid"] == n_valid, summary
assert list(summary["by_judge"]) == first_seen, (list(summary["by_judge"]), first_seen)
for name in first_seen:
    assert abs(summary["by_judge"][name] - round(sums[name] / counts[name], 4)) < 1e-9, name
print(f"{len(turns)} turns in input order, {n_valid} valid; {len(first_seen)} judges in order of first appearance:")
print(" ".join(first_seen))
print("every turn's score and by_judge, and the summary's judge means, agree with the recomputation")
