"""Shared helpers of the reliability tests (tests/reliability/*.py).

Standard library only: the tests run with whatever python3 CTest found.
"""
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.request


class Checker:
    """Counts failed checks; every check prints one 'ok -' or 'FAIL -' line."""

    def __init__(self):
        self.failures = 0
        self.checks = 0

    def check(self, description, expected, actual):
        self.checks += 1
        if expected == actual:
            print(f"ok - {description}")
            return True
        self.failures += 1
        print(f"FAIL - {description}\n    expected: {expected!r}\n    actual:   {actual!r}")
        return False

    def done(self):
        print(f"{self.checks} checks, {self.failures} failure(s)")
        sys.stdout.flush()
        return 1 if self.failures else 0


def snapshot(folder):
    """{relative path: sha256 of the bytes, or '<dir>'} of everything under folder."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[os.path.relpath(os.path.join(root, name), folder)] = "<dir>"
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return found


def listing(folder):
    """Relative paths of everything under folder (no contents read)."""
    found = []
    for root, dirs, files in os.walk(folder):
        found += [os.path.relpath(os.path.join(root, name), folder) for name in dirs + files]
    return found


def temp_entries(folder):
    """Every path under folder that looks like a temp file or folder ('.tmp')."""
    return sorted(path for path in listing(folder) if ".tmp" in os.path.basename(path))


# ---------------------------------------------------------------------------
# Input records for each tool (valid ones; 'i' makes each distinct).

GRADES_HEADER = b"challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n"


def grade_row(i):
    return (f"challenge{i % 997},model{i % 7},visualization,pass,{i % 6},{(i * 3) % 6},"
            f"rater{i % 5},2025-06-03T14:{i % 60:02d}:11.480Z,note {i}\n").encode()


def grade_record(i):
    return (json.dumps({"challenge": f"challenge{i % 997}", "model": f"model{i % 7}", "type": "visualization",
                        "passFail": "pass", "grade": i % 6, "aesthetics": (i * 3) % 6, "reviewedBy": f"rater{i % 5}",
                        "reviewedAt": f"2025-06-03T14:{i % 60:02d}:11.480Z", "notes": None},
                       separators=(",", ":")) + "\n").encode()


def item_record(i):
    return (json.dumps({"challenge": f"challenge{i // 4}", "model": f"model{i % 4}",
                        "scores": {"technical": {"mean": 1 + i % 5, "median": 1 + i % 5, "sd": 0.5, "n": 3}},
                        "overall": 1 + (i * 7) % 5, "vote_count": 3, "raters": ["a", "b", "c"], "flags": [],
                        "response": f"response {i} " + "x" * 40},
                       separators=(",", ":")) + "\n").encode()


def pair_record(i):
    return (json.dumps({"prompt": f"prompt {i} " + "p" * 60, "chosen": f"chosen {i} " + "c" * 80,
                        "rejected": f"rejected {i} " + "r" * 80,
                        "metadata": {"challenge": f"challenge{i}", "chosen_model": "m1", "rejected_model": "m2",
                                     "score_difference": 1.5}},
                       separators=(",", ":")) + "\n").encode()


def judged_record(i):
    score = (i * 37) % 101
    return (json.dumps({"id": i, "king": f"king {i}", "challenger": f"challenger {i}",
                        "duel": {"score": score, "delta": round(score / 100 - 0.5, 4), "parsed": True,
                                 "by_metric": {"correctness": score / 100}, "by_judge": {"j": score},
                                 "judgements": []}},
                       separators=(",", ":")) + "\n").encode()


def vote_record(i):
    """A vote (votes' long layout): each record its own comparison, three models in a cycle of
    pairs, every outcome on every pair (so the ratings exist); judge jN never votes twice."""
    models = ("x", "y", "z")
    return (json.dumps({"id": i // 3, "model_a": models[i % 3], "model_b": models[(i + 1) % 3],
                        "winner": ("a", "b", "tie")[(i // 3) % 3], "judge": f"j{i % 4}"},
                       separators=(",", ":")) + "\n").encode()


def candidate_record(i):
    return (json.dumps({"problem_id": f"p{i}", "difficulty": ("easy", "medium", "hard")[i % 3], "model": "m",
                        "run": 1, "passed": i % 4 != 0, "prompt": f"Write function {i}.",
                        "response": "def f():\n    return " + str(i)},
                       separators=(",", ":")) + "\n").encode()


def turn_record(i, challenger_good=None):
    good = (i % 3 != 0) if challenger_good is None else challenger_good
    return (json.dumps({"id": i, "messages": [{"role": "user", "content": f"task {i}"}],
                        "king": ("" if good else "GOOD ") + f"king answer {i}",
                        "challenger": ("GOOD " if good else "") + f"challenger answer {i}"}) + "\n").encode()


BAD_JSON_LINE = b'{"truncated": [1, 2,\n'


# ---------------------------------------------------------------------------
# judge_server (tests/support/judge_server.cpp)

class JudgeServer:
    """judge_server on a free loopback port; use as a context manager."""

    def __init__(self, binary, *args):
        self.args = [binary, "--port", "0", *args]
        self.process = None
        self.port = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on "):
            self.process.kill()
            raise RuntimeError(f"judge_server did not start: {self.args} {line!r} "
                               f"{self.process.stderr.read().decode()!r}")
        self.port = int(line.split()[-1])
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v1"

    def stats(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats", timeout=10) as reply:
            return json.load(reply)

    def __exit__(self, *exc):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/shutdown", timeout=5).read()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        return False


def wait_for(condition, timeout):
    """Polls condition() every 5 ms until it is true; returns its last value."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.005)
