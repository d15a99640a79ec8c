#!/usr/bin/env python3
"""Compare the Markdown tables of two reports: bench/report.sh's check that report and the
pandas script (bench/report_pandas.py) computed the same figures.

Usage: bench/compare_tables.py REPORT.md PEER.md

Every '## ' section of PEER.md with a table must be in REPORT.md with a table of the same header
(REPORT's columns with an empty header, report's bars, are left out) and the same rows. Cells
are compared as text; where both are numbers (a trailing % dropped) that differ as text, they
agree when they differ by at most one unit of their last decimal: the two programs sum in
different orders (report a compensated sum, pandas numpy's pairwise one), and a mean that falls
within 1e-12 of a rounding tie may round either way. Prints one line: "N tables, R rows, C cells
equal (K within one unit of the last decimal)", or the first disagreements; exit 1 when any.
"""

import re
import sys


def tables(path):
    found, section, rows = {}, None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("## "):
            section, rows = line[3:].strip(), None
        elif line.startswith("|") and section is not None:
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if rows is None:
                rows = found[section] = [cells]
            elif not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                rows.append(cells)
    return found


def number(text):
    match = re.fullmatch(r"(-?\d+(?:\.(\d+))?)%?", text)
    return (float(match.group(1)), len(match.group(2) or "")) if match else None


def main():
    ours, theirs = tables(sys.argv[1]), tables(sys.argv[2])
    problems, cells, near, row_count = [], 0, 0, 0
    for section, peer_rows in theirs.items():
        if section not in ours:
            problems.append(f"section '{section}' is missing from {sys.argv[1]}")
            continue
        keep = [i for i, name in enumerate(ours[section][0]) if name]
        report_rows = [[row[i] for i in keep] for row in ours[section]]
        if report_rows[0] != peer_rows[0]:
            problems.append(f"{section}: header {report_rows[0]} against {peer_rows[0]}")
            continue
        if len(report_rows) != len(peer_rows):
            problems.append(f"{section}: {len(report_rows) - 1} rows against {len(peer_rows) - 1}")
        for a, b in zip(report_rows[1:], peer_rows[1:]):
            row_count += 1
            for name, x, y in zip(peer_rows[0], a, b):
                cells += 1
                if x == y:
                    continue
                nx, ny = number(x), number(y)
                if nx and ny and nx[1] == ny[1] and nx[1] > 0 and abs(nx[0] - ny[0]) <= 10 ** -nx[1] * 1.000001:
                    near += 1
                    continue
                problems.append(f"{section}, row '{a[0]}', column '{name}': report {x!r}, peer {y!r}")
    if problems:
        print("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""))
        return 1
    print(f"{len(theirs)} tables, {row_count} rows, {cells} cells equal ({near} within one unit of the last decimal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
