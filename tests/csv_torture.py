#!/usr/bin/env python3
"""Torture test for csv2jsonl against Python's csv module as the reference reader.

Usage: python3 tests/csv_torture.py PATH_TO_csv2jsonl

Generates, with a fixed seed, ~2000 rows x 8 columns of hostile CSV in four variants:
  crlf.csv      csv.writer default dialect (\\r\\n record ends, QUOTE_MINIMAL)
  lf.csv        lineterminator '\\n'
  tabs.tsv      delimiter TAB, lineterminator '\\n' (run with --delimiter '\\t' and a literal TAB)
  bom.csv       UTF-8 BOM, \\r\\n record ends, no newline after the last record
Some rows are written with QUOTE_ALL (a quoted "5" is still the cell 5, a quoted "" still an
empty cell), as is every row holding a lone \\r when the record end is '\\n'.

Each record csv2jsonl writes is compared with the csv.DictReader row after the typing rule of
DESIGN.md §3 (a JSON number literal -> that number, verbatim; '' -> null; else the string), and
with --strings against the raw row. Also checked: key order = header order, record counts,
'\\n' after every record, compact JSON, valid UTF-8, non-ASCII not escaped, --source (file path
as given, '-' for stdin), several FILEs in one run, -o FILE == standard output, exit 0 and
nothing on stderr.

Prints the first mismatches in detail and a summary line; exits 1 on any mismatch, 2 on usage.
"""

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile

SEED = 4180
ROWS = 2000
QUOTE_ALL_SHARE = 0.05
DETAILED_MISMATCHES = 3  # mismatches printed in full; the rest are only counted

# Unique names with spaces, quotes, commas, a tab, a backslash and non-ASCII.
HEADER = [
    "id",
    "first name",
    'naïve "quoted" name',
    "a,b",
    "score",
    "日本語 🎌",
    "tab\there",
    "back\\slash",
]

# RFC 8259 number grammar; [0-9] (not \d) so that non-ASCII digits stay strings.
JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")

NUMBERS = [
    "0", "-0", "5", "-17", "4.5", "-1.5", "0.0", "-0.0", "1e5", "-2.5E-3", "1E+10", "6.02e23",
    "1e400", "-1e-400", "2E308", "0e0", "-0.0e-0", "123456789012345678901234567890",
    "9007199254740993", "0.1000000000000000055511151231257827", "3.14159265358979323846",
]
NOT_NUMBERS = [
    "007", "00", "-01", "+1", ".5", "1.", "-.5", "0x10", "1e", "1e+", "e5", "-", "--1", "1.5.2",
    "NaN", "nan", "Infinity", "-Infinity", "inf", " 4", "4 ", "\t4", "4\n", "1,5", "1_000",
    "١٢٣", "１２", "½", "²", "true", "false", "null", "0.5e", "1.0f", "3/4", "#5", "5%", "$5",
]
WORDS = [
    "grade", "chart", "axis", "label", "O'Brien", "hello", "world", "x", "Zoë", "ça va", "ünïcödé",
    "日本", "中文", "한국어", "Ελληνικά", "עברית", "العربية", "🎉", "👩‍👩‍👧", "🇺🇳", "a\u0301",
    "\u2028", "\u2029", "\x85", "\ufeff", "\u200b", "\x7f", "\ufffd", "𝔘𝔫𝔦",
]
PUNCTUATION = [",", ",,", '"', '""', '"quoted"', "'", "\\", "\\\\", "\\n", "\\u0041", '\\"',
               "C:\\Users\\x", "{}", "[1,2]", '{"a":1}', "/", "<b>", "&amp;", "#", ";", "|"]
BREAKS = ["\n", "\r\n", "\r", "\t", "\n\n", "\r\n\r\n", "\r\r", "\n\r"]
CONTROLS = [chr(c) for c in range(0x01, 0x20)]


class Number:
    """A JSON number token, kept as its literal text (so '1e5' and '100000' differ)."""

    def __init__(self, literal):
        self.literal = literal

    def __eq__(self, other):
        return isinstance(other, Number) and other.literal == self.literal

    def __repr__(self):
        return f"<number {self.literal}>"


def reject_constant(name):
    raise ValueError(f"non-JSON constant {name}")


def typed(cell):
    if cell == "":
        return None
    if JSON_NUMBER.fullmatch(cell):
        return Number(cell)
    return cell


def random_text(rng):
    pieces = []
    for _ in range(rng.randrange(1, 8)):
        kind = rng.random()
        if kind < 0.45:
            pieces.append(rng.choice(WORDS))
        elif kind < 0.70:
            pieces.append(rng.choice(PUNCTUATION))
        elif kind < 0.85:
            pieces.append(rng.choice(BREAKS))
        elif kind < 0.95:
            pieces.append(rng.choice(CONTROLS))
        else:
            pieces.append(rng.choice(NUMBERS + NOT_NUMBERS))
    return rng.choice(["", " "]).join(pieces)


def long_text(rng):
    # 10k characters or more, with quotes, separators and line breaks scattered through it,
    # so that reader buffer boundaries fall inside quoted fields.
    length = rng.choice([10_000, 10_000, 25_000, 70_000])
    alphabet = "abcdefghij klmnop,qrstuvwxyz\"é日🎉\\\t"
    text = "".join(rng.choices(alphabet, k=length))
    return text[:length // 2] + rng.choice(BREAKS) + text[length // 2:]


def random_number(rng):
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(NUMBERS)
    if roll < 0.7:
        return str(rng.randrange(-10**9, 10**9))
    integer = rng.choice(["0", str(rng.randrange(1, 10**6))])
    text = rng.choice(["", "-"]) + integer + "." + str(rng.randrange(0, 10**6)).zfill(rng.randrange(1, 7))
    if rng.random() < 0.3:
        text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randrange(0, 400))
    return text


def random_cell(rng):
    roll = rng.random()
    if roll < 0.15:
        return ""
    if roll < 0.45:
        return random_number(rng)
    if roll < 0.60:
        return rng.choice(NOT_NUMBERS)
    if roll < 0.995:
        return random_text(rng)
    return long_text(rng)


def generate_rows(rng):
    rows = []
    for index in range(ROWS):
        row = [str(index + 1)] + [random_cell(rng) for _ in HEADER[1:]]
        rows.append(row)
    rows[7] = [""] * len(HEADER)          # a record of empty cells only
    rows[-1][-1] = "last \"cell\"\r\n"    # the input ends on a quoted cell holding a CRLF
    quote_all = [rng.random() < QUOTE_ALL_SHARE for _ in rows]
    return rows, quote_all


# name, csv.writer options, BOM, line end after the last record, --delimiter value (None: default)
VARIANTS = [
    ("crlf.csv", {}, False, True, None),
    ("lf.csv", {"lineterminator": "\n"}, False, True, None),
    ("tabs.tsv", {"delimiter": "\t", "lineterminator": "\n"}, False, True, "\\t"),
    ("bom.csv", {}, True, False, None),
]


def write_variant(directory, name, options, bom, final_newline, rows, quote_all):
    buffer = io.StringIO(newline="")
    minimal = csv.writer(buffer, **options)
    quoted = csv.writer(buffer, quoting=csv.QUOTE_ALL, **options)
    terminator = options.get("lineterminator", "\r\n")
    minimal.writerow(HEADER)
    for row, force_quotes in zip(rows, quote_all):
        # QUOTE_MINIMAL does not quote a lone \r when the record end is '\n'.
        lone_cr = terminator == "\n" and any("\r" in cell for cell in row)
        (quoted if force_quotes or lone_cr else minimal).writerow(row)
    text = buffer.getvalue()
    if not final_newline:
        text = text[: -len(terminator)]
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        out.write(text)
    return path


def read_reference(path, delimiter):
    """Header and rows (dicts) as csv.DictReader sees them."""
    with open(path, encoding="utf-8-sig", newline="") as source:
        reader = csv.DictReader(source, delimiter=delimiter, strict=True)
        return list(reader.fieldnames), list(reader)


def first_lines(rows):
    """1-based physical line on which each data row starts ('\n' counted, as csv2jsonl does);
    every record end used here holds exactly one '\n'."""
    starts, line = [], 2
    for row in rows:
        starts.append(line)
        line += 1 + sum(cell.count("\n") for cell in row)
    return starts


def check_generated(path, delimiter, rows):
    """Guard against a bug in this test: the files must read back as generated."""
    header, reference = read_reference(path, delimiter)
    assert header == HEADER, f"{path}: header reads back as {header!r}"
    assert [[r[k] for k in HEADER] for r in reference] == rows, f"{path}: rows do not read back"
    assert all(None not in r for r in reference), f"{path}: ragged row"


STRING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"')
ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")


def format_problems(line):
    """Contract points json.loads does not check: compact form, non-ASCII not escaped."""
    outside_strings = STRING_TOKEN.sub('""', line)
    if re.search(r"\s", outside_strings):
        return "not compact: whitespace between tokens"
    for escape in ESCAPE.finditer(line):
        if escape.group(1) is not None:
            code = int(escape.group(1), 16)
            if code >= 0x20 and code != 0x7F:
                return f"escaped {escape.group(0)} (only control characters may be \\u-escaped; non-ASCII passes through)"
    return None


class Checker:
    def __init__(self):
        self.rows_checked = 0
        self.mismatches = 0
        self.runs = 0

    def mismatch(self, label, command, message):
        self.mismatches += 1
        if self.mismatches <= DETAILED_MISMATCHES:
            print(f"MISMATCH in {label}\n  command: {' '.join(repr(a) for a in command)}\n{message}\n",
                  file=sys.stderr)

    def run(self, label, command, expected, cwd, stdin_path=None, output_path=None):
        """Runs csv2jsonl and compares its records with `expected`, a list of
        (pairs, input name, first physical line) tuples."""
        self.runs += 1
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            done = subprocess.run(command, cwd=cwd, stdin=stdin, capture_output=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as error:
            self.mismatch(label, command, f"  could not run: {error}")
            return None
        finally:
            if stdin_path:
                stdin.close()
        if done.returncode != 0 or done.stderr:
            self.mismatch(label, command, f"  exit {done.returncode}, stderr: {done.stderr[:2000]!r}")
            if done.returncode != 0:
                return None
        out = done.stdout
        if output_path is not None:
            if out:
                self.mismatch(label, command, f"  -o given but {len(out)} bytes on stdout")
            if not os.path.exists(output_path):
                self.mismatch(label, command, f"  exit 0 but no output file {output_path}")
                return None
            with open(output_path, "rb") as written:
                out = written.read()
        if expected and not out.endswith(b"\n"):
            self.mismatch(label, command, f"  output does not end with '\\n': ...{out[-80:]!r}")
        lines = out.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        if len(lines) != len(expected):
            self.mismatch(label, command,
                          f"  record count: expected {len(expected)}, got {len(lines)}")
        for number, (raw, (want, name, physical_line)) in enumerate(zip(lines, expected), 1):
            self.rows_checked += 1
            problem = self.compare(raw, want)
            if problem:
                text = raw.decode("utf-8", "backslashreplace")
                shown = repr(text[:600]) + ("..." if len(text) > 600 else "")
                self.mismatch(label, command,
                              f"  record {number} ({name}, data row starting on line {physical_line})\n"
                              f"{problem}\n  output line: {shown}")
        return out

    @staticmethod
    def compare(raw, want):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return f"  output is not valid UTF-8: {error}"
        try:
            got = json.loads(line, object_pairs_hook=list, parse_int=Number, parse_float=Number,
                             parse_constant=reject_constant)
        except ValueError as error:
            return f"  output is not a JSON text: {error}"
        if not isinstance(got, list):
            return f"  output is not a JSON object: {got!r}"
        got_keys, want_keys = [k for k, _ in got], [k for k, _ in want]
        if got_keys != want_keys:
            return f"  keys:\n    expected {want_keys!r}\n    got      {got_keys!r}"
        for (key, want_value), (_, got_value) in zip(want, got):
            if want_value != got_value or type(want_value) is not type(got_value):
                return (f"  key {key!r}:\n    expected {want_value!r:.400}\n"
                        f"    got      {got_value!r:.400}")
        return format_problems(line)


def expectation(header, rows, lines, name, strings, source):
    """The records csv2jsonl must write for one input, with where each came from."""
    records = []
    for row, line in zip(rows, lines):
        pairs = [(key, row[key] if strings else typed(row[key])) for key in header]
        if source is not None:
            pairs.append(("_source", source))
        records.append((pairs, name, line))
    return records


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print("Usage: python3 tests/csv_torture.py PATH_TO_csv2jsonl", file=sys.stderr)
        return 2
    tool = os.path.abspath(sys.argv[1])
    if not os.access(tool, os.X_OK):
        print(f"csv_torture: '{sys.argv[1]}' is not an executable", file=sys.stderr)
        return 2

    rng = random.Random(SEED)
    rows, quote_all = generate_rows(rng)
    checker = Checker()
    with tempfile.TemporaryDirectory(prefix="csv_torture.") as directory:
        reference = {}
        for name, options, bom, final_newline, _ in VARIANTS:
            path = write_variant(directory, name, options, bom, final_newline, rows, quote_all)
            delimiter = options.get("delimiter", ",")
            check_generated(path, delimiter, rows)
            reference[name] = (*read_reference(path, delimiter), first_lines(rows))

        def records(name, strings=False, source=None):
            return expectation(*reference[name], name, strings, source)

        for name, _, _, _, delimiter in VARIANTS:
            tabs = ["--delimiter", delimiter] if delimiter else []
            checker.run(f"{name}", [tool, *tabs, name], records(name), directory)
            # the --strings runs give the TSV's delimiter as a literal TAB character
            tabs = ["--delimiter", "\t"] if delimiter else []
            checker.run(f"{name} --strings", [tool, "--strings", *tabs, name],
                        records(name, strings=True), directory)

        checker.run("--source, file path as given", [tool, "--source", "crlf.csv"],
                    records("crlf.csv", source="crlf.csv"), directory)
        checker.run("--source, standard input", [tool, "--source"],
                    records("bom.csv", source="-"), directory,
                    stdin_path=os.path.join(directory, "bom.csv"))
        checker.run("--source, two files and '-' for stdin",
                    [tool, "--source", "--strings", "lf.csv", "-", os.path.join(directory, "bom.csv")],
                    records("lf.csv", True, "lf.csv") + records("crlf.csv", True, "-")
                    + records("bom.csv", True, os.path.join(directory, "bom.csv")),
                    directory, stdin_path=os.path.join(directory, "crlf.csv"))

        stdout = checker.run("stdout of lf.csv", [tool, "lf.csv"], records("lf.csv"), directory)
        target = os.path.join(directory, "out", "lf.jsonl")
        os.mkdir(os.path.dirname(target))
        written = checker.run("-o FILE", [tool, "-o", target, "lf.csv"], records("lf.csv"),
                              directory, output_path=target)
        if stdout is not None and written is not None and stdout != written:
            checker.mismatch("-o FILE", [tool, "-o", target, "lf.csv"],
                             "  the -o file differs from standard output")
        leftovers = sorted(set(os.listdir(os.path.dirname(target))) - {"lf.jsonl"})
        if leftovers:
            checker.mismatch("-o FILE", [tool, "-o", target, "lf.csv"],
                             f"  files left next to the output: {leftovers}")

    print(f"csv torture: {checker.rows_checked} rows checked in {checker.runs} runs, "
          f"{checker.mismatches} mismatches")
    return 1 if checker.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
