#!/usr/bin/env python3
"""Drive one `label --rate` server for bench/label.sh and measure it.

Starts LABEL on ITEMS (grader 'bench', --out OUT, --port 0), times the start
until the URL line, reads the server's RSS, optionally probes the page
(GET /, GET /api/items at the end of the list), then posts --posts grades over
one keep-alive HTTP connection (reopened only when the server closes it) and
records, per grade, the server's own time (the `Server-Timing: save;dur=MS`
header) and the client's round trip. Finally it checks what was saved: every
answer was {"saved":true}, /api/state counts the rows expected, OUT/bench.csv
has that many rows and the journal one line per change.

The grades follow a grader: items in gen_label_items.visit_order() from
--start-position (the positions before it are the prefilled journal's), each
item graded on both scales, one in ten also gets a note, one in twenty is then
marked auto-fail. With fewer items than visits the grader goes round again,
replacing earlier grades (the sheet stops growing at the number of items).

Prints a report and, with --results FILE, appends JSON records for
bench/collect.py (bench "label"). Exit 1 when the server fails, a grade is not
saved or the files do not match; timing never fails it.
"""
import argparse
import http.client
import json
import math
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_label_items import visit_order  # noqa: E402

GRADER = "bench"
WINDOW = 1000  # posts per line of the "as the sheet fills" table


def fail(message):
    print(f"bench/label_client.py: {message}", file=sys.stderr)
    sys.exit(1)


def percentile(values, p):
    """Nearest-rank percentile of an unsorted list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values):
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "p99": percentile(values, 99),
            "max": max(values), "mean": sum(values) / len(values)}


def posts(count, item_count, start_position):
    """(body, item) of the `count` grades a grader sends, in order."""
    made = 0
    position = start_position
    while made < count:
        item = visit_order(item_count, position)
        bodies = [{"item": item, "scale": 0, "score": position % 6},
                  {"item": item, "scale": 1, "score": (position * 7 + 3) % 6}]
        if position % 10 == 3:
            bodies.append({"item": item, "notes": f"note {position}: axis labels overlap, \"quoted\", é"})
        if position % 20 == 7:
            bodies.append({"item": item, "autoFail": True})
        for body in bodies:
            if made == count:
                return
            yield json.dumps(body, ensure_ascii=False).encode(), item
            made += 1
        position += 1


def vm_status(pid):
    """VmRSS and VmHWM of a process in KiB."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads) so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, label, items, out):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [label, "--rate", items, "--grader", GRADER, "--out", out, "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        self.start_s = time.perf_counter() - self.started
        prefix = "label: http://"
        if not line.startswith(prefix):
            self.process.kill()
            fail(f"label did not print its URL: {line!r}; stderr: {self.process.stderr.read().strip()!r}")
        host_port = line[len(prefix):].split("/", 1)[0]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        stderr = self.process.stderr.read()
        if stderr.strip():
            print(f"label's stderr: {stderr.strip()}", file=sys.stderr)


def get(server, path):
    """(seconds, status, body) of one GET on a fresh connection."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    took = time.perf_counter() - started
    connection.close()
    return took, response.status, body


def get_median(server, path, times=5):
    """(median seconds, status, body) of `times` GETs: one GET on this machine varies by 20x."""
    runs = [get(server, path) for _ in range(times)]
    seconds = sorted(run[0] for run in runs)[times // 2]
    return seconds, runs[-1][1], runs[-1][2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True, help="the label binary")
    parser.add_argument("--items", required=True, help="the items file (bench/gen_label_items.py)")
    parser.add_argument("--item-count", type=int, required=True, help="items in --items")
    parser.add_argument("--out", required=True, help="label's --out folder (may hold a prefilled bench.journal.jsonl)")
    parser.add_argument("--prefilled", type=int, default=0, help="rows in the prefilled journal")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--probe", action="store_true", help="also time GET / and GET /api/items at the end")
    parser.add_argument("--scenario", required=True, help="the name of this run in the report and the results")
    parser.add_argument("--target-p99-ms", type=float, help="report the target p99 of Server-Timing <= this")
    parser.add_argument("--results", help="append JSON records here (bench/collect.py's input)")
    args = parser.parse_args()

    server = Server(args.label, args.items, args.out)
    records = []
    try:
        rss_start = vm_status(server.process.pid)
        report = {"bench": "label", "tool": "label", "scenario": args.scenario, "items": args.item_count,
                  "prefilled_rows": args.prefilled, "posts": args.posts, "start_s": round(server.start_s, 3),
                  "rss_start_mib": round(rss_start["VmRSS"] / 1024, 1)}
        print(f"{args.scenario}: {args.item_count} items, {args.prefilled} rows prefilled; "
              f"start to URL line {server.start_s:.3f} s, RSS {rss_start['VmRSS'] / 1024:.1f} MiB")
        if args.probe:
            took, status, body = get_median(server, "/")
            if status != 200:
                fail(f"GET / answered {status}")
            report["page_bytes"] = len(body)
            report["page_ms"] = round(took * 1000, 3)
            # What the browser loads with it, whatever the number of items.
            report["page_assets_bytes"] = 0
            for asset in ("/app.js", "/app.css"):
                _, status, asset_body = get(server, asset)
                if status != 200:
                    fail(f"GET {asset} answered {status}")
                report["page_assets_bytes"] += len(asset_body)
            last = max(0, args.item_count - 100)
            limit = args.item_count - last
            took, status, body = get_median(server, f"/api/items?grader={GRADER}&offset={last}&limit={limit}")
            if status != 200:
                fail(f"GET /api/items answered {status}: {body[:200]!r}")
            page = json.loads(body)
            if len(page.get("items", [])) != limit:
                fail(f"GET /api/items?offset={last}&limit={limit} gave {len(page.get('items', []))} items, not {limit}")
            report["items_page_ms"] = round(took * 1000, 3)
            report["items_page_bytes"] = len(body)
            print(f"  GET / {report['page_bytes']} bytes in {report['page_ms']:.2f} ms (median of 5; + app.js and app.css "
                  f"{report['page_assets_bytes']} bytes); "
                  f"GET /api/items?offset={last}&limit={limit}: {len(body)} bytes in {took * 1000:.2f} ms (median of 5)")

        cpu_before = cpu_seconds(server.process.pid)
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        path = f"/api/grade?grader={GRADER}"
        server_ms, round_trip_ms, rows_after, connect_ms = [], [], [], []
        touched = set()
        for body, item in posts(args.posts, args.item_count, args.prefilled):
            if connection.sock is None:
                opened = time.perf_counter()
                connection.connect()
                connect_ms.append((time.perf_counter() - opened) * 1000)
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            round_trip_ms.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or answer != b'{"saved":true}':
                fail(f"grade {len(server_ms) + 1} ({body.decode()}) answered {response.status}: {answer[:200]!r}")
            timing = response.getheader("Server-Timing") or ""
            if not timing.startswith("save;dur="):
                fail(f"grade {len(server_ms) + 1}: no 'Server-Timing: save;dur=MS' header (got {timing!r})")
            server_ms.append(float(timing[len("save;dur="):]))
            touched.add(item)
            rows_after.append(args.prefilled + len(touched))
        connection.close()
        cpu_ms_per_grade = (cpu_seconds(server.process.pid) - cpu_before) * 1000 / args.posts
        rss_end = vm_status(server.process.pid)

        rows = args.prefilled + len(touched)
        took, status, body = get(server, f"/api/state?grader={GRADER}")
        state = json.loads(body)
        if status != 200 or state.get("graded") != rows:
            fail(f"/api/state says {state.get('graded')} rows graded, expected {rows}")
        with open(os.path.join(args.out, f"{GRADER}.csv"), encoding="utf-8") as f:
            csv_lines = sum(1 for _ in f)
        if csv_lines != rows + 1:
            fail(f"{GRADER}.csv has {csv_lines} lines, expected the header and {rows} rows")
        with open(os.path.join(args.out, f"{GRADER}.journal.jsonl"), encoding="utf-8") as f:
            journal_lines = sum(1 for _ in f)
        if journal_lines != args.prefilled + args.posts:
            fail(f"the journal has {journal_lines} lines, expected {args.prefilled} + {args.posts}")
        csv_bytes = os.path.getsize(os.path.join(args.out, f"{GRADER}.csv"))

        server_summary, trip_summary = summary(server_ms), summary(round_trip_ms)
        report.update({"rows_end": rows, "csv_bytes_end": csv_bytes, "connections": len(connect_ms) + 1,
                       "cpu_ms_per_grade": round(cpu_ms_per_grade, 3),
                       "rss_end_mib": round(rss_end["VmRSS"] / 1024, 1), "hwm_mib": round(rss_end["VmHWM"] / 1024, 1)})
        for name, values in (("server", server_summary), ("round_trip", trip_summary)):
            for key, value in values.items():
                report[f"{name}_{key}_ms"] = round(value, 3)
        records.append(report)
        print(f"  {args.posts} grades, sheet {args.prefilled} -> {rows} rows ({csv_bytes / 1e6:.1f} MB at the end), "
              f"{len(connect_ms) + 1} connections (the server closes one after its keep-alive count); "
              f"RSS {rss_end['VmRSS'] / 1024:.1f} MiB at the end, peak {rss_end['VmHWM'] / 1024:.1f} MiB; "
              f"the server's CPU (user + system) {cpu_ms_per_grade:.3f} ms a grade")
        print(f"  {'ms':<22}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'mean':>9}")
        for name, values in (("Server-Timing save", server_summary), ("client round trip", trip_summary)):
            print(f"  {name:<22}" + "".join(f"{values[k]:>9.3f}" for k in ("p50", "p95", "p99", "max", "mean")))
        print(f"  as the sheet fills (each line {WINDOW} grades; Server-Timing ms):")
        print(f"  {'grades':>13}{'rows at end':>13}{'p50':>9}{'p99':>9}{'max':>9}")
        for start in range(0, len(server_ms), WINDOW):
            window = server_ms[start:start + WINDOW]
            end = start + len(window)
            window_summary = summary(window)
            print(f"  {start + 1:>6}-{end:<6}{rows_after[end - 1]:>13}" +
                  "".join(f"{window_summary[k]:>9.3f}" for k in ("p50", "p99", "max")))
            records.append({"bench": "label", "tool": "label-window", "scenario": args.scenario, "first_post": start + 1,
                            "last_post": end, "rows_end": rows_after[end - 1],
                            **{f"server_{k}_ms": round(window_summary[k], 3) for k in ("p50", "p99", "max")}})
        if args.target_p99_ms is not None:
            measured = server_summary["p99"]
            target = (f"label grade p99 at the server <= {args.target_p99_ms:g} ms ({args.scenario}: "
                      f"{args.item_count} items, sheet {args.prefilled} -> {rows} rows)")
            result = "PASS" if measured <= args.target_p99_ms else "MISS"
            print(f"target {target}: {measured:.3f} ms {result}")
            records.append({"bench": "label", "target": target, "measured": f"{measured:.3f} ms", "result": result})
    finally:
        server.stop()
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
