#!/usr/bin/env python3
"""duel-judge never writes its API key anywhere.

duel-judge runs with a judge whose key comes from the environment
(api_key_env) through every path: success, the 401 fault whose error body
echoes the key (as OpenAI's does), a 401 from a server expecting another key,
429 / 500 / slow past the retries, drop, reset, truncate, non-JSON and
broken replies, replies without the metrics, a refused connection,
--print-prompts, a bad record (exit 1), --skip-invalid --rejects, an output
it cannot create, --require-accept failing and a bad judge configuration
(exit 2); each run with --cache, --summary and -o where they apply, stdout
and stderr captured to files. Then every byte of every file the runs left
(outputs, cache entries, summaries, rejects, captured stdout and stderr) is
searched for the key and for a distinctive part of it.

Positive controls: the key reaches the server (a server requiring it answers
every call), and the 401 server's body really holds the key, so a client
printing error bodies would be caught.

Usage: secret_leaks.py --bin DIR [--judge-server PATH]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

KEY = "sk-prefline-LEAKCANARY-5f2e9b7c1d04a8"
FRAGMENTS = [KEY, "LEAKCANARY", "5f2e9b7c1d04a8"]
VARIABLE = "PREFLINE_RELIABILITY_JUDGE_KEY"
TURNS = 6


def judges_json(url, **extra):
    return json.dumps([{"name": "j", "url": url, "model": "judge-model", "api_key_env": VARIABLE, **extra}])


def run(binaries, folder, name, args, stdin=None):
    """Runs duel-judge in folder/name; stdout and stderr go to files there."""
    where = os.path.join(folder, name)
    os.makedirs(where, exist_ok=True)
    shutil.copy(os.path.join(folder, "turns.jsonl"), where)
    env = dict(os.environ)
    env[VARIABLE] = KEY
    with open(os.path.join(where, "stdout"), "wb") as out, open(os.path.join(where, "stderr"), "wb") as err:
        result = subprocess.run([os.path.join(binaries, "duel-judge"), *args], cwd=where, env=env, stdout=out,
                                stderr=err, input=stdin, timeout=120)
    return result.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--judge-server")
    args = parser.parse_args()
    judge_server = args.judge_server or os.path.join(args.bin, "judge_server")
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-secrets.")
    try:
        with open(os.path.join(work, "turns.jsonl"), "wb") as f:
            f.write(b"".join(relib.turn_record(i) for i in range(TURNS)))
        common = ["--judges", "judges.json", "--retry-base", "0.01", "--concurrency", "4", "--cache", "cache",
                  "--stats", "summary.json", "-o", "judged.jsonl"]
        statuses = {}

        def judged(name, server_args, extra=(), expected_status=0, **judge_extra):
            with relib.JudgeServer(judge_server, *server_args) as server:
                os.makedirs(os.path.join(work, name), exist_ok=True)
                with open(os.path.join(work, name, "judges.json"), "w") as f:
                    f.write(judges_json(server.url, **judge_extra))
                status = run(args.bin, work, name, [*common, *extra, "turns.jsonl"])
                stats = server.stats()
            statuses[name] = status
            checker.check(f"{name}: exit {expected_status}", expected_status, status)
            return stats

        # Success, with a server that requires the key: it reached the server.
        stats = judged("ok, the server requires the key", ["--api-key", KEY])
        checker.check("the key reaches the server: every call answered 200", {"200": 2 * TURNS}, stats["by_status"])

        # The 401 that echoes the key: first check that it does.
        with relib.JudgeServer(judge_server, "--mode", "401") as server:
            request = urllib.request.Request(f"{server.url}/chat/completions",
                                             data=b'{"messages":[{"role":"user","content":"x"}]}',
                                             headers={"Authorization": f"Bearer {KEY}"})
            try:
                urllib.request.urlopen(request, timeout=10)
                body = b""
            except urllib.error.HTTPError as error:
                body = error.read()
        checker.check("positive control: the 401 fault's body holds the key", True, KEY.encode() in body)
        judged("401 echoing the key", ["--mode", "401"])
        judged("401, the server wants another key", ["--api-key", "sk-some-other-key"])
        judged("429 past the retries", ["--mode", "429", "--fail-first", "all", "--retry-after", "0"],
               ["--max-retries", "1"])
        judged("500 past the retries", ["--mode", "500", "--fail-first", "all"], ["--max-retries", "1"])
        judged("slow past the timeout", ["--mode", "slow", "--fail-first", "all", "--slow-ms", "2000"],
               ["--max-retries", "1", "--timeout", "0.3"])
        for mode in ("drop", "reset", "truncate"):
            judged(f"{mode}, every call", ["--mode", mode, "--fail-first", "all"], ["--max-retries", "1"])
        for mode in ("nonjson", "broken", "nometrics"):
            judged(f"{mode}, every call", ["--mode", mode, "--fail-first", "all"])
        judged("--require-accept, rejected", ["--mode", "500", "--fail-first", "all"],
               ["--max-retries", "0", "--require-accept"], expected_status=1)
        judged("a bad judge configuration", [], expected_status=2, max_tokens="many")
        judged("--print-prompts", [], ["--print-prompts"])

        # A refused connection: a server's port, after the server has gone.
        with relib.JudgeServer(judge_server) as server:
            url = server.url
        os.makedirs(os.path.join(work, "connection refused"))
        with open(os.path.join(work, "connection refused", "judges.json"), "w") as f:
            f.write(judges_json(url))
        statuses["connection refused"] = run(args.bin, work, "connection refused",
                                             [*common, "--max-retries", "1", "turns.jsonl"])
        checker.check("connection refused: exit 0", 0, statuses["connection refused"])

        # Bad input: a message naming the line, and --skip-invalid --rejects.
        with relib.JudgeServer(judge_server) as server:
            for name, extra, expected_status in (("a bad record", [], 1),
                                                 ("--skip-invalid --rejects", ["--skip-invalid", "--rejects",
                                                                               "rejects.jsonl"], 0),
                                                 ("an output it cannot create", ["-o", "missing/judged.jsonl"], 1)):
                os.makedirs(os.path.join(work, name))
                with open(os.path.join(work, name, "judges.json"), "w") as f:
                    f.write(judges_json(server.url))
                options = common[:-2] if "-o" in extra else common  # -o only once
                statuses[name] = run(args.bin, work, name, [*options, *extra, "-"],
                                     stdin=relib.turn_record(0) + relib.BAD_JSON_LINE + relib.turn_record(1))
                checker.check(f"{name}: exit {expected_status}", expected_status, statuses[name])

        # Every file the runs left, every byte.
        files = hits = 0
        found = []
        for root, _, names in os.walk(work):
            for file_name in names:
                path = os.path.join(root, file_name)
                with open(path, "rb") as f:
                    data = f.read()
                files += 1
                for fragment in FRAGMENTS:
                    if fragment.encode() in data:
                        hits += 1
                        found.append(f"{os.path.relpath(path, work)}: '{fragment}'")
        kinds = sorted({os.path.basename(p) if not p.startswith("cache") else "cache"
                        for p in (os.path.relpath(os.path.join(r, n), os.path.join(work, d)).split(os.sep)[0]
                                  for d in statuses for r, _, ns in os.walk(os.path.join(work, d)) for n in ns)})
        print(f"searched {files} files from {len(statuses)} runs ({', '.join(kinds)})")
        checker.check("the searched files include cache entries, summaries, outputs, rejects, stdout, stderr",
                      True, {"cache", "summary.json", "judged.jsonl", "rejects.jsonl", "stdout", "stderr"} <= set(kinds))
        checker.check("the key appears nowhere (outputs, cache, summaries, rejects, stdout, stderr)", [], found)
        # The messages are there and name what went wrong (so the absence of
        # the key is not the absence of any message).
        with open(os.path.join(work, "a bad record", "stderr")) as f:
            checker.check("a bad record: its message", "duel-judge: -:2: ", f.read()[:len("duel-judge: -:2: ")])
        with open(os.path.join(work, "an output it cannot create", "stderr")) as f:
            checker.check("an output it cannot create: its message",
                          "duel-judge: cannot create 'missing/judged.jsonl': No such file or directory\n", f.read())
        with open(os.path.join(work, "401 echoing the key", "judged.jsonl")) as f:
            errors = {j["error"] for line in f for j in json.loads(line)["duel"]["judgements"]}
        checker.check("401 echoing the key: the judgements say 'HTTP 401' (no body)", {"HTTP 401"}, errors)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
