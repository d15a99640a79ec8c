#!/usr/bin/env python3
"""Independent oracle for lib/prefline/votes/: writes random votes and battles, runs the C++ driver
(tests/votes/oracle_driver.cpp) on them and compares its figures with ones computed here from the
definitions, with numpy/scipy (Debian python3-numpy, python3-scipy):
  - Bradley-Terry by minorization-maximization (Hunter 2004, eq. 3), ties as half a win, ratings and
    bootstrap interval ends (same splitmix64 draws, numpy's percentile) equal to 1e-6;
  - Krippendorff's alpha from the coincidence matrix, Fleiss' and Cohen's kappa from their formulas,
    leave-one-out majority agreement, on votes with missing raters;
  - position bias on votes generated with a known left-bias (0.65), Wilson intervals from scipy.
Usage: oracle.py PATH/TO/votes_oracle_driver"""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

# The C++ driver when run as a script; tests/votes/arena_hard.py imports the definitions only.
DRIVER = sys.argv[1] if __name__ == "__main__" else None
CODE = {"a": 0, "tie": 1, "b": 2}
failures = []
checks = 0


def close(what, ours, theirs, tol):
    global checks
    checks += 1
    if ours is None or theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        if not (ours is None and (theirs is None or math.isnan(theirs))):
            failures.append(f"{what}: driver {ours}, oracle {theirs}")
        return
    if abs(ours - theirs) > tol:
        failures.append(f"{what}: driver {ours!r}, oracle {theirs!r}")


def run(mode, text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
        name = f.name
    try:
        out = subprocess.run([DRIVER, mode, name], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(name)
    return json.loads(out)


# ---- agreement ------------------------------------------------------------------------------------

def alpha(units, ordinal):
    """Krippendorff 2011: coincidence matrix o_ck, n_c, distances; units = lists of codes 0..2."""
    o = np.zeros((3, 3))
    for u in units:
        m = len(u)
        if m < 2:
            continue
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[u[i], u[j]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d = np.zeros((3, 3))
    for c in range(3):
        for k in range(3):
            if ordinal:
                lo, hi = min(c, k), max(c, k)
                d[c, k] = (n_c[lo:hi + 1].sum() - (n_c[c] + n_c[k]) / 2) ** 2
            else:
                d[c, k] = 0 if c == k else 1
    d_o = (o * d).sum()
    d_e = (np.outer(n_c, n_c) * d).sum() / (n - 1)
    return 1 - d_o / d_e


def fleiss(units):
    rated = [u for u in units if u]
    sizes = {len(u) for u in rated}
    if len(sizes) != 1:
        return None
    n = sizes.pop()
    table = np.array([[u.count(j) for j in range(3)] for u in rated], dtype=float)
    p_i = ((table ** 2).sum(axis=1) - n) / (n * (n - 1))
    p_j = table.sum(axis=0) / (len(rated) * n)
    p_e = (p_j ** 2).sum()
    return (p_i.mean() - p_e) / (1 - p_e)


def cohen(x, y):
    x, y = np.array(x), np.array(y)
    p_o = (x == y).mean()
    p_e = sum((x == j).mean() * (y == j).mean() for j in range(3))
    return float("nan") if p_e >= 1 else (p_o - p_e) / (1 - p_e)


def check_agreement(name, rng, comparisons, raters, presence, fixed_raters=None, min_overlap=5):
    lines = [f"{comparisons} {raters} {min_overlap}"]
    votes = {}  # (c, r) -> (code, first-shown side)
    for c in range(comparisons):
        quality = rng.normal()  # latent: > 0 favours a
        who = (rng.choice(raters, size=fixed_raters, replace=False) if fixed_raters
               else [r for r in range(raters) if rng.random() < presence])
        for r in sorted(who):
            shown = "a" if rng.random() < 0.5 else "b"
            if rng.random() < 0.2:
                v = "tie"
            elif rng.random() < 0.5:
                v = shown if rng.random() < 0.65 else ("b" if shown == "a" else "a")  # left-biased rater
            else:
                v = "a" if quality + rng.normal() > 0 else "b"
            votes[(c, int(r))] = (v, shown)
    for (c, r), (v, shown) in votes.items():
        lines.append(f"{c} {r} {v} {shown}")
    got = run("agreement", "\n".join(lines) + "\n")
    units = [[CODE[votes[(c, r)][0]] for r in range(raters) if (c, r) in votes] for c in range(comparisons)]
    close(f"{name} alpha nominal", got["alpha_nominal"], alpha(units, False), 1e-12)
    close(f"{name} alpha ordinal", got["alpha_ordinal"], alpha(units, True), 1e-12)
    kappa = fleiss(units)
    close(f"{name} fleiss", got["fleiss"], kappa, 1e-12)
    if (kappa is None) != (got["fleiss_reason"] != ""):
        failures.append(f"{name}: fleiss reason '{got['fleiss_reason']}' with kappa {kappa}")
    expected_pairs = []
    for r1 in range(raters):
        for r2 in range(r1 + 1, raters):
            shared = [c for c in range(comparisons) if (c, r1) in votes and (c, r2) in votes]
            if len(shared) >= max(min_overlap, 1):
                x = [CODE[votes[(c, r1)][0]] for c in shared]
                y = [CODE[votes[(c, r2)][0]] for c in shared]
                expected_pairs.append((r1, r2, len(shared), float(np.mean(np.array(x) == np.array(y))), cohen(x, y)))
    if len(expected_pairs) != len(got["cohen"]):
        failures.append(f"{name}: {len(got['cohen'])} Cohen pairs, oracle {len(expected_pairs)}")
    for want, have in zip(expected_pairs, got["cohen"]):
        if tuple(have[:3]) != want[:3]:
            failures.append(f"{name}: Cohen pair {have[:3]} != {want[:3]}")
        close(f"{name} cohen agreement {want[:2]}", have[3], want[3], 1e-12)
        close(f"{name} cohen kappa {want[:2]}", have[4], want[4], 1e-12)
    for r in range(raters):
        mine = [(c, v) for (c, rr), (v, _) in votes.items() if rr == r]
        compared = agreed = 0
        for c, v in mine:
            others = [votes[(c, o)][0] for o in range(raters) if o != r and (c, o) in votes]
            if not others:
                continue
            a, b = others.count("a"), others.count("b")
            decision = "a" if a > b else "b" if b > a else "tie"
            compared += 1
            agreed += v == decision
        ties = sum(v == "tie" for _, v in mine)
        have = got["raters"][r]
        if have[:4] != [len(mine), ties, compared, agreed]:
            failures.append(f"{name}: rater {r} {have[:4]} != {[len(mine), ties, compared, agreed]}")
    # Position bias: Wilson intervals from scipy, and the known bias inside the overall interval.
    decided = [(v, s) for v, s in votes.values() if v != "tie"]
    first = sum(v == s for v, s in decided)
    ci = stats.binomtest(first, len(decided)).proportion_ci(confidence_level=0.95, method="wilson")
    have = got["position"]
    if have[:3] != [first, len(decided) - first, len(votes) - len(decided)]:
        failures.append(f"{name}: position counts {have[:3]}")
    close(f"{name} position share", have[3], first / len(decided), 1e-15)
    close(f"{name} position low", have[4], ci.low, 1e-12)
    close(f"{name} position high", have[5], ci.high, 1e-12)
    # Half the decided votes follow the shown side with p = 0.65, half a fair latent: 0.575 overall.
    if not have[4] <= 0.575 <= have[5]:
        failures.append(f"{name}: the generated bias 0.575 is outside [{have[4]}, {have[5]}]")
    if have[4] <= 0.5:
        failures.append(f"{name}: the left-bias was not detected (low end {have[4]})")


# ---- Bradley-Terry ------------------------------------------------------------------------------

def splitmix64(seed, count):
    """The count first outputs of prefline::SplitMix64{seed}: state k = seed + k * gamma."""
    k = np.arange(1, count + 1, dtype=np.uint64)
    z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def mm_fit(models, a, b, outcome, weights, prior):
    """Hunter 2004 MM: gamma_i <- W_i / sum_j n_ij / (gamma_i + gamma_j); ties half a win each.
    With a prior, a reference of strength 1 with `prior` games against each model, half won."""
    score = np.zeros((models, models))  # score[i, j] = wins of i over j (+ half ties)
    np.add.at(score, (a, b), weights * np.where(outcome == 0, 1.0, np.where(outcome == 1, 0.5, 0.0)))
    np.add.at(score, (b, a), weights * np.where(outcome == 2, 1.0, np.where(outcome == 1, 0.5, 0.0)))
    games = score + score.T
    wins = score.sum(axis=1) + prior / 2
    gamma = np.ones(models)
    for _ in range(200000):
        denominator = (games / (gamma[:, None] + gamma[None, :])).sum(axis=1) + prior / (gamma + 1)
        new = wins / denominator
        if prior == 0:
            new /= np.exp(np.log(new).mean())
        change = np.abs(np.log(new) - np.log(gamma)).max()
        gamma = new
        if change < 1e-13:
            break
    return np.log(gamma)


def to_ratings(theta, anchor):
    centre = theta[anchor] if anchor >= 0 else theta.mean()
    return 1000 + 400 / math.log(10) * (theta - centre)


def check_ratings(name, rng, models, battles, prior, anchor, rounds, seed):
    strength = rng.normal(0, 1, models)
    a = rng.integers(0, models, battles)
    b = (a + rng.integers(1, models, battles)) % models
    p = 1 / (1 + np.exp(strength[b] - strength[a]))
    u = rng.random(battles)
    outcome = np.where(u < 0.15, 1, np.where(rng.random(battles) < p, 0, 2))
    names = ["a", "tie", "b"]
    text = f"{models} {prior} {anchor} {rounds} {seed}\n" + "".join(
        f"{x} {y} {names[o]}\n" for x, y, o in zip(a, b, outcome))
    got = run("ratings", text)
    want = to_ratings(mm_fit(models, a, b, outcome, np.ones(battles), prior), anchor)
    for m in range(models):
        close(f"{name} rating {m}", got["ratings"][m], want[m], 1e-6)
    draws = splitmix64(seed, rounds * battles) % np.uint64(battles)
    samples = []
    for r in range(rounds):
        weights = np.bincount(draws[r * battles:(r + 1) * battles].astype(np.int64), minlength=battles).astype(float)
        samples.append(to_ratings(mm_fit(models, a, b, outcome, weights, prior), anchor))
    low, high = np.percentile(np.array(samples), [2.5, 97.5], axis=0)
    if got["failed_rounds"] != 0:
        failures.append(f"{name}: {got['failed_rounds']} failed bootstrap rounds")
    for m in range(models):
        close(f"{name} low {m}", got["low"][m], low[m], 1e-6)
        close(f"{name} high {m}", got["high"][m], high[m], 1e-6)


def check_missing_mle():
    # Model 2 never loses, model 3 never wins: no estimate without a prior.
    got = run("ratings", "4 0 -1 0 1\n0 1 a\n1 0 a\n1 0 tie\n2 0 a\n2 1 a\n3 0 b\n1 3 a\n0 1 b\n")
    if got["fitted"] or got["never_lost"] != [2] or got["never_won"] != [3]:
        failures.append(f"missing MLE: {got}")


def main():
    rng = np.random.default_rng(20261206)
    check_agreement("missing raters", rng, comparisons=400, raters=6, presence=0.55)
    check_agreement("fixed raters", rng, comparisons=300, raters=7, presence=0, fixed_raters=4)
    check_ratings("bt mean", rng, models=6, battles=1500, prior=0, anchor=-1, rounds=60, seed=7)
    check_ratings("bt anchor+prior", rng, models=5, battles=600, prior=3, anchor=2, rounds=40, seed=11)
    check_missing_mle()
    for failure in failures:
        print(failure)
    print(f"votes oracle: {checks} figures compared, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
