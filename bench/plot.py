#!/usr/bin/env python3
"""Plot throughput per tool vs its peers and vs the pipe limit, from bench/results.json, as SVG.

Usage: bench/plot.py RESULTS.json OUTPUT.svg

One horizontal bar per command measured side by side (MB/s of its own input, median run, on a
log scale since the peers span three orders of magnitude), grouped by benchmark: prefline's tools
in blue, the peers in grey, the physical limits (`cat | cat`, `cat > /dev/null`) in orange.
Below, when bench/scaling.sh ran: cpu ns/record of each tool against its input records (both
axes log), in two panels, the streaming tools and those keeping state per key, each tool in its
own colour with the legend under its panel (with its peak RSS at the smallest and the largest
size measured); a flat line is a cost linear in the records.
Python stdlib only; the same results give the same bytes.
"""

import json
import math
import os
import sys
from xml.sax.saxutils import escape

OURS = {"csv2jsonl", "consensus", "prefline-pipeline", "pairup", "bucket-score", "bucket-hash", "duel-judge"}
LIMITS = {"cat-cat", "cat"}
COLORS = {"ours": "#2b6cb0", "peer": "#a0aec0", "limit": "#dd6b20"}
BENCHES = ["csv2jsonl", "consensus", "pipeline", "pairup", "bucket", "duel"]
# bench/scaling.sh's tools by panel, and one colour per tool (distinct from its neighbours).
SCALING_PANELS = [("streaming tools", ["csv2jsonl", "bucket", "jsonl2csv", "duel-judge", "report", "export", "turns"]),
                  ("tools keeping state per key", ["consensus", "pairup", "balance", "votes"])]
SCALING_COLORS = ["#2b6cb0", "#dd6b20", "#38a169", "#e53e3e", "#805ad5", "#b7791f", "#319795"]


def log_ticks(low, high):
    """Decades covering [low, high] (positive values)."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    if first == last:
        last += 1
    return [10.0 ** e for e in range(first, last + 1)]


def short(value):
    """A tick label: 10000 -> 10k, 1e6 -> 1M."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def scaling_svg(measurements, top, width):
    """The scaling panels as SVG elements starting at y = top, and the height they take."""
    points, rss = {}, {}
    for m in measurements:
        if m["bench"] == "scaling" and m.get("cpu_ns_per_record") and m.get("rows"):
            points.setdefault(m["tool"], []).append((m["rows"], m["cpu_ns_per_record"]))
        if m["bench"] == "scaling" and m.get("rss_mib") is not None and m.get("rows"):
            rss.setdefault(m["tool"], []).append((m["rows"], m["rss_mib"]))
    if not points:
        return [], 0
    out = [f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle" font-size="15" font-weight="bold">'
           'Scaling: cpu ns per input record against records (log scales; flat = linear cost)</text>',
           f'<text x="{width / 2}" y="{top + 34}" text-anchor="middle" fill="#4a5568">'
           'at 10 k records the 10 ms timer and start-up dominate; peak RSS at the smallest and the largest size in the legends</text>']
    all_x = [x for values in points.values() for x, _ in values]
    all_y = [y for values in points.values() for _, y in values]
    x_ticks, y_ticks = log_ticks(min(all_x), max(all_x)), log_ticks(min(all_y), max(all_y))
    margin, gap, plot_height = 60, 50, 240
    panel_width = (width - 2 * margin - gap - 20) / 2
    panel_top = top + 60
    legend_rows = max(len(tools) for _, tools in SCALING_PANELS)
    for index, (title, tools) in enumerate(SCALING_PANELS):
        left = margin + index * (panel_width + margin + gap)
        bottom = panel_top + plot_height

        def px(value):
            return left + panel_width * (math.log10(value) - math.log10(x_ticks[0])) / (math.log10(x_ticks[-1]) - math.log10(x_ticks[0]))

        def py(value):
            return bottom - plot_height * (math.log10(value) - math.log10(y_ticks[0])) / (math.log10(y_ticks[-1]) - math.log10(y_ticks[0]))

        out.append(f'<text x="{left + panel_width / 2:.1f}" y="{panel_top - 8}" text-anchor="middle" font-weight="bold">{escape(title)}</text>')
        out.append(f'<rect x="{left:.1f}" y="{panel_top}" width="{panel_width:.1f}" height="{plot_height}" fill="none" stroke="#a0aec0"/>')
        for tick in x_ticks:
            out.append(f'<line x1="{px(tick):.1f}" y1="{panel_top}" x2="{px(tick):.1f}" y2="{bottom}" stroke="#e2e8f0"/>')
            out.append(f'<text x="{px(tick):.1f}" y="{bottom + 15}" text-anchor="middle" fill="#4a5568">{short(tick)}</text>')
        for tick in y_ticks:
            out.append(f'<line x1="{left:.1f}" y1="{py(tick):.1f}" x2="{left + panel_width:.1f}" y2="{py(tick):.1f}" stroke="#e2e8f0"/>')
            out.append(f'<text x="{left - 6:.1f}" y="{py(tick) + 4:.1f}" text-anchor="end" fill="#4a5568">{short(tick)}</text>')
        out.append(f'<text x="{left + panel_width / 2:.1f}" y="{bottom + 32}" text-anchor="middle" fill="#4a5568">input records</text>')
        out.append(f'<text x="{left - 44:.1f}" y="{panel_top + plot_height / 2:.1f}" text-anchor="middle" fill="#4a5568" '
                   f'transform="rotate(-90 {left - 44:.1f} {panel_top + plot_height / 2:.1f})">cpu ns/record</text>')
        shown = [tool for tool in tools if tool in points]
        for number, tool in enumerate(shown):
            color = SCALING_COLORS[number % len(SCALING_COLORS)]
            values = sorted(points[tool])
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                       + " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in values) + '"/>')
            for x, y in values:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}"/>')
            lx = left
            ly = bottom + 52 + number * 18
            out.append(f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 20:.1f}" y2="{ly - 4}" stroke="{color}" stroke-width="2"/>')
            memory = sorted(rss.get(tool, []))
            growth = f": peak RSS {memory[0][1]:.0f} → {memory[-1][1]:.0f} MiB" if memory else ""
            out.append(f'<text x="{lx + 26:.1f}" y="{ly}">{escape(tool + growth)}</text>')
    return out, 60 + plot_height + 52 + legend_rows * 18


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench/plot.py RESULTS.json OUTPUT.svg")
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    bars = []  # (bench, label, mb_per_s, kind)
    for bench in BENCHES:
        for m in results["measurements"]:
            if m["bench"] != bench or not m.get("mb_per_s"):
                continue
            kind = "ours" if m["tool"] in OURS else "limit" if m["tool"] in LIMITS else "peer"
            label = {"prefline-pipeline": "csv2jsonl | consensus | pairup", "cat-cat": "cat | cat",
                     "cat": "cat > /dev/null", "pandas": "pandas script"}.get(m["tool"], m["tool"])
            label += f" ({m['rows'] // 1000} k)" if m.get("rows") and m["rows"] < 1000000 else ""
            bars.append((bench, label, m["mb_per_s"], kind))
    if not bars:
        sys.exit(f"bench/plot.py: {sys.argv[1]}: no measurement with mb_per_s")

    left, right, bar, gap, top = 300, 70, 16, 4, 50
    width = 900
    plot_width = width - left - right
    low = 10 ** math.floor(math.log10(min(b[2] for b in bars)))
    high = 10 ** math.ceil(math.log10(max(b[2] for b in bars)))

    def x(value):
        return left + plot_width * (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))

    rows = []
    y = top
    previous = None
    for bench, label, value, kind in bars:
        if bench != previous:
            y += 14 if previous else 0
            rows.append(("heading", bench, y))
            y += 18
            previous = bench
        rows.append(("bar", (label, value, kind), y))
        y += bar + gap
    height = y + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">'
           f'Throughput, MB/s of each command\'s input (log scale; median of {results["settings"].get("runs", "?")} runs)</text>']
    decade = low
    while decade <= high:
        px = x(decade)
        out.append(f'<line x1="{px:.1f}" y1="{top - 8}" x2="{px:.1f}" y2="{y}" stroke="#e2e8f0"/>')
        out.append(f'<text x="{px:.1f}" y="{y + 16}" text-anchor="middle" fill="#4a5568">{decade:g}</text>')
        decade *= 10
    for kind, what, row_y in rows:
        if kind == "heading":
            out.append(f'<text x="10" y="{row_y + 12}" font-weight="bold">{escape(what)}</text>')
            continue
        label, value, bar_kind = what
        out.append(f'<text x="{left - 8}" y="{row_y + 12}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{row_y}" width="{max(1.0, x(value) - left):.1f}" height="{bar}" '
                   f'fill="{COLORS[bar_kind]}"/>')
        out.append(f'<text x="{x(value) + 4:.1f}" y="{row_y + 12}" fill="#1a202c">{value:g}</text>')
    legend_y = y + 30
    for i, (kind, text) in enumerate((("ours", "prefline"), ("peer", "peer"), ("limit", "pipe / read limit"))):
        lx = left + i * 160
        out.append(f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{lx + 18}" y="{legend_y}">{text}</text>')
    scaling, scaling_height = scaling_svg(results["measurements"], height + 10, width)
    if scaling:
        height += 10 + scaling_height + 10
        out[0] = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">')
        out[1] = f'<rect width="{width}" height="{height}" fill="white"/>'
        out += scaling
    out.append("</svg>")
    temporary = sys.argv[2] + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(temporary, sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
