#!/usr/bin/env python3
"""Plot throughput per tool vs its peers and vs the pipe limit, from bench/results.json, as SVG.

Usage: bench/plot.py RESULTS.json OUTPUT.svg

One horizontal bar per command measured side by side (MB/s of its own input, median run, on a
log scale since the peers span three orders of magnitude), grouped by benchmark: prefline's tools
in blue, the peers in grey, the physical limits (`cat | cat`, `cat > /dev/null`) in orange.
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
    out.append("</svg>")
    temporary = sys.argv[2] + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(temporary, sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
