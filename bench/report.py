#!/usr/bin/env python3
"""Regenerate the figures of docs/PERFORMANCE.md from bench/results.json.

Usage: bench/report.py RESULTS.json PERFORMANCE.md

Replaces everything between the lines "<!-- BEGIN FIGURES (bench/report.py) -->" and
"<!-- END FIGURES -->" of PERFORMANCE.md with tables made from RESULTS.json (machine, targets,
throughput side by side with the peers, memory growth, scaling, label's grade latency, time of
each step); the prose around them is kept. Exit 1 when the markers are missing. Python stdlib only.
"""

import json
import os
import sys

BEGIN = "<!-- BEGIN FIGURES (bench/report.py) -->"
END = "<!-- END FIGURES -->"


def number(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def figures(results):
    machine, settings = results["machine"], results["settings"]
    measurements = results["measurements"]
    out = []
    out.append(f"Run of {results['generated_at']}: {machine.get('cpu') or 'unknown CPU'}, "
               f"{machine.get('cores')} cores, {machine.get('memory_gib')} GiB, {machine.get('os')}, "
               f"Linux {machine.get('kernel')}; {machine.get('compiler', 'unknown compiler')}, "
               f"{machine.get('build_type') or 'unknown'} build. Peers: "
               + ", ".join(v.split("\n")[0] for v in machine.get("peers", {}).values() if v) + ".")
    out.append("")
    out.append(f"Settings: {settings.get('rows')} grade rows, median of {settings.get('runs')} runs "
               f"(csvjson: {settings.get('csvkit_rows')} rows, 1 run), scaling sizes {settings.get('sizes')}, "
               f"items {settings.get('item_counts')}; the whole run took {settings.get('wall_s')} s of wall time.")
    out.append("")
    out.append("### Targets")
    out.append("")
    out.append(table(["benchmark", "target", "measured", "result"],
                     [[t["bench"], t["target"], t["measured"], f"**{t['result']}**"] for t in results["targets"]]))
    out.append("")
    out.append("### Throughput, side by side")
    out.append("")
    out.append("cpu s: user + system time of the command and all its processes (median), the figure least "
               "affected by other work on the machine. vs prefline: the peer's median wall time / prefline's "
               "on the same input.")
    out.append("")
    rows = []
    side_by_side = [m for m in measurements if m["bench"] in ("csv2jsonl", "consensus", "pipeline", "pairup", "bucket", "duel",
                                                              "jsonl2csv", "export", "balance", "report")
                    and "median_s" in m]
    reference = {}
    ours_tools = ("csv2jsonl", "consensus", "prefline-pipeline", "duel-judge", "pairup", "bucket-score", "bucket-hash",
                  "jsonl2csv", "export", "balance", "report")
    for m in side_by_side:
        if m["tool"] in ours_tools:
            reference.setdefault((m["bench"], m.get("rows")), m["median_s"])
    for m in side_by_side:
        ours = reference.get((m["bench"], m.get("rows")))
        ratio = "–"
        if "percent_of_cat" in m:
            ratio = f"{m['percent_of_cat']} % of cat | cat" if m["tool"] != "cat-cat" else "(limit)"
        elif m["tool"] == "cat":
            ratio = "(limit)"
        elif ours and m["tool"] not in ours_tools and m["median_s"]:
            ratio = f"{m['median_s'] / ours:.1f}x"
        rows.append([m["bench"], f"`{m.get('command', m['tool'])}`", m["input"], number(m.get("rows")),
                     number(m.get("median_s"), 3), number(m.get("cpu_s"), 2), number(m.get("mb_per_s")),
                     number(m.get("records_per_s")), number(m.get("rss_mib")), ratio])
    out.append(table(["benchmark", "command", "input", "records", "median s", "cpu s", "MB/s", "records/s",
                      "peak RSS MiB", "vs prefline"], rows))
    http = [m for m in measurements if m["tool"] == "duel-judge-http"]
    for m in http:
        out.append("")
        out.append(f"duel-judge over HTTP ({m['rows']} turns, judge_server at {m['latency_ms']} ms, concurrency "
                   f"{m['concurrency']}): {number(m['calls_per_s'])} calls/s = {m['percent_of_bound']} % of the "
                   f"Little's-law bound {number(m['bound_calls_per_s'])} calls/s; at most {m['max_in_flight']} "
                   f"calls in flight; peak RSS {m['rss_mib']} MiB.")
    memory = [m for m in measurements if m["bench"] == "memory"]
    if memory:
        out.append("")
        out.append("### Memory growth with items")
        out.append("")
        counts = sorted({m["items"] for m in memory})
        header = ["tool (input)"] + [f"{number(n)} items" for n in counts]
        rows = []
        for tool, what in (("consensus", "grade records"), ("pairup", "item records")):
            by_items = {m["items"]: m for m in memory if m["tool"] == tool}
            if not by_items:
                continue
            first = next(iter(by_items.values()))
            label = f"{tool} ({number(first['rows'])} {what})" if tool == "consensus" else f"{tool} (the items)"
            rows.append([label + ", peak RSS MiB"] + [number(by_items[n]["rss_mib"]) if n in by_items else "–" for n in counts])
            rows.append([f"{tool}, cpu s"] + [number(by_items[n]["cpu_s"], 2) if n in by_items else "–" for n in counts])
        out.append(table(header, rows))
    scaling = [m for m in measurements if m["bench"] == "scaling"]
    if scaling:
        out.append("")
        out.append("### Scaling")
        out.append("")
        out.append("Each tool on its own input at growing record counts (bench/scaling.sh; above its base size an "
                   "input is the base file repeated). cpu ns/record: user + system time / input records, flat when "
                   "the cost grows linearly; * marks the streaming tools, whose peak RSS should stay flat. skipped: "
                   "the input would pass SCALING_MAX_MB.")
        sizes = sorted({m["rows"] for m in scaling})
        tools = list(dict.fromkeys(m["tool"] for m in scaling))
        streaming = {"csv2jsonl", "bucket", "jsonl2csv", "duel-judge", "report", "export", "turns"}
        for label, key, digits in (("cpu ns/record", "cpu_ns_per_record", 0), ("peak RSS MiB", "rss_mib", 1),
                                   ("MB/s", "mb_per_s", 1)):
            rows = []
            for tool in tools:
                by_size = {m["rows"]: m for m in scaling if m["tool"] == tool}
                cells = []
                for n in sizes:
                    m = by_size.get(n)
                    cells.append("–" if m is None else "skipped" if "skipped" in m else number(m[key], digits))
                rows.append([tool + (" *" if tool in streaming else "")] + cells)
            out.append("")
            out.append(table([label] + [f"{number(n)} records" for n in sizes], rows))
    label = [m for m in measurements if m["bench"] == "label" and m["tool"] == "label"]
    if label:
        out.append("")
        out.append("### label: saving a grade")
        out.append("")
        disk = [m for m in measurements if m["bench"] == "label" and m["tool"] == "fdatasync"]
        folder = [m for m in measurements if m["bench"] == "label" and m["tool"] == "label-disk"]
        if disk:
            d = disk[0]
            where = f" ({folder[0]['fs_type']} on {folder[0]['filesystem']})" if folder else ""
            out.append(f"The disk the servers wrote to{where}: fdatasync of a 200-byte append p50 {d['fsync_p50_ms']} ms, "
                       f"p99 {d['fsync_p99_ms']} ms, max {d['fsync_max_ms']} ms. Server ms: the `Server-Timing` of each "
                       "grade (parse, journal append + fdatasync, sheet rewritten); round trip: the client's.")
            out.append("")
        rows = [[m["scenario"], number(m["items"]), f"{number(m['prefilled_rows'])} → {number(m['rows_end'])}",
                 number(m["posts"]), number(m["server_p50_ms"], 3), number(m["server_p95_ms"], 3),
                 number(m["server_p99_ms"], 3), number(m["server_max_ms"], 3), number(m["round_trip_p99_ms"], 3),
                 number(m.get("cpu_ms_per_grade"), 3), number(m["start_s"], 2), f"{number(m['rss_start_mib'])} → {number(m['rss_end_mib'])}"] for m in label]
        out.append(table(["scenario", "items", "sheet rows", "grades", "server p50 ms", "p95", "p99", "max",
                          "round trip p99 ms", "server cpu ms a grade", "start s", "RSS MiB"], rows))
        for m in label:
            if "items_page_ms" in m:
                out.append("")
                out.append(f"{m['scenario']} ({number(m['items'])} items): GET / {number(m['page_bytes'])} bytes in "
                           f"{number(m['page_ms'], 2)} ms (+ {number(m['page_assets_bytes'])} bytes of app.js and app.css); "
                           f"the last {min(100, m['items'])} items of the list (GET /api/items) {number(m['items_page_bytes'])} bytes in "
                           f"{number(m['items_page_ms'], 2)} ms.")
    if results.get("steps"):
        out.append("")
        out.append("### Time of each step of the run")
        out.append("")
        steps = results["steps"]
        rows = [[s["step"], number(s["wall_s"], 1), number(s["cpu_s"], 1)] for s in steps]
        rows.append(["total", number(sum(s["wall_s"] for s in steps), 1), number(sum(s["cpu_s"] for s in steps), 1)])
        out.append(table(["step (includes making its inputs once)", "wall s", "cpu s"], rows))
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench/report.py RESULTS.json PERFORMANCE.md")
    results_path, document = sys.argv[1:]
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    with open(document, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        sys.exit(f"bench/report.py: {document}: no '{BEGIN}' ... '{END}' section to fill")
    text = text[:begin + len(BEGIN)] + "\n" + figures(results) + "\n" + text[end:]
    temporary = document + ".tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
