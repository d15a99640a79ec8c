#!/usr/bin/env python3
"""label's HTTP API without a browser: the token, path traversal attempts,
oversized and malformed bodies, grades -> the vizhub CSV byte for byte,
kill -9 and a restart resuming from the journal (a torn last line ignored),
and --compare's votes with the sides as shown. Usage: http_api.py LABEL_BINARY"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LABEL = sys.argv[1]
TOKEN = "secret-token-0123"
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


class Server:
    def __init__(self, args, cwd):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1748962380")
        self.process = subprocess.Popen([LABEL, *args, "--port", "0", "--token", TOKEN], cwd=cwd, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("label: http://"):
            raise SystemExit(f"label did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(line.split(":")[3].split("/")[0])
        state = self.get_json(f"/api/state?token={TOKEN}")
        self.files_port = int(state["filesOrigin"].rsplit(":", 1)[1])

    def request(self, method, path, body=None, headers=None, port=None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=10)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data

    def get_json(self, path):
        status, _, data = self.request("GET", path)
        assert status == 200, (path, status, data)
        return json.loads(data)

    def post(self, path, body, token=True):
        suffix = f"?token={TOKEN}" if token else ""
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.request("POST", path + suffix, data, {"Content-Type": "application/json"})

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stdout.close()
        stderr = self.process.stderr.read()
        self.process.stderr.close()
        return stderr


def restored_state_keys(server):
    return server.get_json(f"/api/state?token={TOKEN}")["keys"]


def items_file(folder):
    items = [
        {"challenge": "add", "model": "m1", "type": "code", "response": "```js\nexport const add = (a, b) => a + b;\n```"},
        {"challenge": "add", "model": "m2", "type": "code", "response": "<script>window.pwned = 1</script><img src=x onerror=alert(1)>"},
        {"challenge": "chart", "model": "m3", "type": "visualization",
         "files": {"index.html": "<svg></svg><script>fetch('data.csv')</script>", "data.csv": "x,y\n1,2\n"}},
    ]
    with open(os.path.join(folder, "items.jsonl"), "w") as out:
        for item in items:
            out.write(json.dumps(item) + "\n")
    with open(os.path.join(folder, "prompts.jsonl"), "w") as out:
        out.write(json.dumps({"challenge": "add", "prompt": "Implement add."}) + "\n")
        out.write(json.dumps({"challenge": "chart", "prompt": "Draw a chart."}) + "\n")


def rate_tests(folder):
    items_file(folder)
    args = ["--rate", "items.jsonl", "--prompts", "prompts.jsonl", "--grader", "ej-fox", "--out", "grades"]
    server = Server(args, folder)

    # The token: everything without it is 403, with it (query or header) 200.
    for path in ["/", "/app.js", "/api/state", "/api/items"]:
        check(server.request("GET", path)[0] == 403, f"GET {path} without a token is 403")
        check(server.request("GET", path + "?token=wrong-token-0123")[0] == 403, f"GET {path} with a wrong token is 403")
    check(server.request("GET", "/api/state", headers={"X-Label-Token": TOKEN})[0] == 200, "the token header works")
    check(server.post("/api/grade", {"item": 0, "scale": 0, "score": 3}, token=False)[0] == 403, "POST without a token is 403")
    status, headers, page = server.request("GET", f"/?token={TOKEN}")
    check(status == 200 and b"/app.js?token=" + TOKEN.encode() in page, "the page loads its script with the token")
    check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "the page is served under a CSP")
    status, _, script = server.request("GET", f"/app.js?token={TOKEN}")
    node = shutil.which("node")
    if node:  # the page's script at least parses (the browser test runs it)
        with tempfile.NamedTemporaryFile("wb", suffix=".js", delete=False) as js:
            js.write(script)
        check(subprocess.run([node, "--check", js.name]).returncode == 0, "the page's script parses")
        os.remove(js.name)

    # Items are paged, in the grader's order, each item once.
    check(server.request("GET", f"/api/items?token={TOKEN}&limit=101")[0] == 400, "a page over --page-size is refused")
    first = server.get_json(f"/api/items?token={TOKEN}&offset=0&limit=2")
    rest = server.get_json(f"/api/items?token={TOKEN}&offset=2&limit=2")
    seen = sorted(item["item"] for item in first["items"] + rest["items"])
    check(seen == [0, 1, 2] and first["total"] == 3, "pages cover every item once")
    by_item = {item["item"]: item for item in first["items"] + rest["items"]}
    check(by_item[0]["prompt"] == "Implement add.", "the prompt is joined from --prompts")
    check(all("m1" not in item["title"] for item in by_item.values()), "model names are hidden by default")

    # Path traversal: nothing outside --out, nothing from disk on the files port.
    for path in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", f"/app.js/../../etc/passwd?token={TOKEN}"]:
        status, _, data = server.request("GET", path)
        check(status in (400, 403, 404) and b"root:" not in data, f"GET {path} reads no file")
    for path in [f"/t/{TOKEN}/i/2/../../../etc/passwd", f"/t/{TOKEN}/i/2/%2e%2e/%2e%2e/etc/passwd",
                 f"/t/{TOKEN}/i/0/index.html", f"/t/{TOKEN}/i/99/index.html"]:
        status, _, data = server.request("GET", path, port=server.files_port)
        check(status == 404 and b"root:" not in data, f"files port GET {path} is 404")
    check(server.request("GET", "/t/wrong-token-0123/i/2/index.html", port=server.files_port)[0] == 403,
          "the files port wants the token too")
    status, headers, data = server.request("GET", f"/t/{TOKEN}/i/2/data.csv", port=server.files_port)
    check(status == 200 and data == b"x,y\n1,2\n" and headers.get("Access-Control-Allow-Origin") == "*",
          "an answer's data file is served for its sandboxed page")
    status, headers, _ = server.request("GET", f"/t/{TOKEN}/i/2/index.html", port=server.files_port)
    check(status == 200 and "form-action 'none'" in headers.get("Content-Security-Policy", ""),
          "an answer's page has its CSP")
    status, _, _ = server.request("GET", f"/api/state?token={TOKEN}&grader=../../evil")
    check(status == 400, "?grader= with a path is refused")
    check(not os.path.exists(os.path.join(folder, "evil.csv")), "no file outside --out")

    # Bodies: too large, not JSON, not an item, out of scale.
    check(server.post("/api/grade", json.dumps({"item": 0, "notes": "x" * 70000}))[0] == 413, "an oversized body is 413")
    check(server.post("/api/grade", "{not json")[0] == 400, "bad JSON is 400")
    check(server.post("/api/grade", "[1]")[0] == 400, "a JSON array is 400")
    check(server.post("/api/grade", {"item": 7, "scale": 0, "score": 3})[0] == 400, "an unknown item is 400")
    check(server.post("/api/grade", {"item": 0, "scale": 0, "score": 6})[0] == 400, "a score off the scale is 400")
    check(server.post("/api/grade", {"item": 0})[0] == 400, "a change of nothing is 400")
    check(server.post("/api/vote", {"item": 0, "criterion": "overall", "choice": "left"})[0] == 404, "no votes in --rate")

    # Grades: journaled, then the sheet rewritten, byte for byte.
    for change in [{"item": 0, "scale": 0, "score": 4}, {"item": 0, "scale": 1, "score": 3},
                   {"item": 1, "autoFail": True}, {"item": 1, "notes": "script, \"img\" payloads"},
                   {"item": 0, "scale": 0, "score": 5}]:
        status, _, data = server.post("/api/grade", change)
        check(status == 200 and json.loads(data) == {"saved": True}, f"grade {change} saved")
    expected = ("challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n"
                "add,m1,code,pass,5,3,ej-fox,2025-06-03T14:53:00.000Z,\n"
                "add,m2,code,fail,0,0,ej-fox,2025-06-03T14:53:00.000Z,\"script, \"\"img\"\" payloads\"\n")
    csv_path = os.path.join(folder, "grades", "ej-fox.csv")
    with open(csv_path) as sheet:
        check(sheet.read() == expected, "the sheet matches byte for byte")
    journal = os.path.join(folder, "grades", "ej-fox.journal.jsonl")
    with open(journal) as lines:
        check(len(lines.readlines()) == 5, "the journal keeps every change")
    state = server.get_json(f"/api/state?token={TOKEN}")
    check(state["graded"] == 2 and [s["graded"] for s in state["scales"]] == [2, 2], "progress counts graded items")

    # kill -9, a torn line as a crash mid-write would leave, restart: nothing lost.
    server.kill9()
    with open(journal, "a") as lines:
        lines.write('{"challenge":"chart","model":"m3","ty')
    os.remove(csv_path)
    server = Server(args, folder)
    with open(csv_path) as sheet:
        check(sheet.read() == expected, "a restart rebuilds the sheet from the journal")
    check(server.post("/api/grade", {"item": 2, "scale": 1, "score": 2})[0] == 200, "grading goes on after a restart")
    with open(journal) as lines:
        check(lines.read().count("\n") == 6, "the torn line was cut off before the next append")
    with open(csv_path) as sheet:
        check(sheet.read() == expected + "chart,m3,visualization,pass,,2,ej-fox,2025-06-03T14:53:00.000Z,\n",
              "the sheet grows after a restart")
    restored = {item["item"]: item for item in server.get_json(f"/api/items?token={TOKEN}&limit=3")["items"]}
    check(restored[0]["grade"] == {"scores": [5, 3], "autoFail": False, "notes": ""}, "a reload shows the current grade")
    # A second grader (another server sharing the folder): agreement and the disputed queue.
    check(restored_state_keys(server)["next"] == ["ArrowRight", "KeyD", "Space"], "the page gets the default keys")
    check(server.get_json(f"/api/agreement?token={TOKEN}") == {"graders": 1}, "no agreement with one grader")
    for change in [{"item": 0, "scale": 0, "score": 1}, {"item": 1, "scale": 0, "score": 0}]:
        check(server.post("/api/grade?grader=bob", change, token=False)[0] == 403, "a grader's post needs the token too")
        status, _, _ = server.request("POST", f"/api/grade?token={TOKEN}&grader=bob", json.dumps(change))
        check(status == 200, "?grader= grades as another grader")
    agreement = server.get_json(f"/api/agreement?token={TOKEN}")
    order = [item["item"] for item in server.get_json(f"/api/items?token={TOKEN}&limit=3")["items"]]
    check(agreement["graders"] == 2 and agreement["disputed"] == [order.index(0)], "item 0 (5 against 1) is disputed")
    check(len(agreement["alpha"]) == 2 and agreement["alpha"][1] is None, "alpha per scale, null when nothing pairs")
    stderr = server.kill9()
    check("ignored a torn last line" in stderr, "the torn line is reported")


def compare_tests(folder):
    with open(os.path.join(folder, "pairs.jsonl"), "w") as out:
        for i in range(6):
            out.write(json.dumps({"id": i, "prompt": f"q{i}", "chosen": f"good {i}", "rejected": f"bad {i}",
                                  "metadata": {"chosen_model": "x", "rejected_model": "y"}}) + "\n")
    args = ["--compare", "pairs.jsonl", "--grader", "alice", "--out", "votes", "--criteria", "accuracy,safety",
            "--a-id", "metadata.chosen_model", "--b-id", "metadata.rejected_model", "--keys", "keys.json"]
    with open(os.path.join(folder, "keys.json"), "w") as keys:
        keys.write('{"left":"KeyJ","right":["KeyL"]}')
    server = Server(args, folder)
    keys = restored_state_keys(server)
    check(keys["left"] == ["KeyJ"] and keys["right"] == ["KeyL"] and keys["equal"] == ["Digit2"], "--keys remaps the page's keys")
    items = server.get_json(f"/api/items?token={TOKEN}&limit=6")["items"]
    for item in items:
        status, _, _ = server.post("/api/vote", {"item": item["item"], "criterion": "accuracy", "choice": "left"})
        check(status == 200, "a vote is saved")
    check(server.post("/api/vote", {"item": 0, "criterion": "style", "choice": "left"})[0] == 400, "an unknown criterion is 400")
    check(server.post("/api/vote", {"item": 0, "criterion": "safety", "choice": "a"})[0] == 400, "a bad choice is 400")
    with open(os.path.join(folder, "votes", "alice.votes.jsonl")) as lines:
        votes = [json.loads(line) for line in lines]
    check(len(votes) == 6, "one vote per item and criterion")
    shown_b = 0
    for vote, item in zip(votes, items):
        check(list(vote) == ["id", "model_a", "model_b", "winner", "rater", "criterion", "shown", "votedAt"],
              "vote record fields in the votes schema")
        left_is_a = item["left"].startswith("good")
        check(vote["shown"] == ("a" if left_is_a else "b"), "shown records the side on the left")
        check(vote["winner"] == vote["shown"], "a vote for the left side is a vote for the side shown first")
        check(vote["model_a"] == "x" and vote["model_b"] == "y" and vote["rater"] == "alice", "sides' ids and rater")
        shown_b += vote["shown"] == "b"
    check(0 < shown_b < 6, "sides are randomised across items")
    server.kill9()
    server = Server(args, folder)
    again = {item["item"]: item for item in server.get_json(f"/api/items?token={TOKEN}&limit=6")["items"]}
    check(all(item["choices"] == {"accuracy": "left"} for item in again.values()), "votes survive a kill -9")
    server.kill9()


with tempfile.TemporaryDirectory(prefix="prefline-label-") as scratch:
    os.makedirs(os.path.join(scratch, "rate"))
    os.makedirs(os.path.join(scratch, "compare"))
    rate_tests(os.path.join(scratch, "rate"))
    compare_tests(os.path.join(scratch, "compare"))

if failures:
    print(f"{len(failures)} checks failed", file=sys.stderr)
    sys.exit(1)
print("label http api: all checks passed")
