#!/usr/bin/env python3
"""Bad JSON Lines for the bad-input corpus, generated at run time (big ones are
never committed). Every bad line is made from a GOOD record (a JSON object on
one line) so that only the fault differs.

  badlines.py variants GOOD          the generic bad lines, one per line, in the
                                     order of VARIANTS below
  badlines.py names                  the variants' names, one per line
  badlines.py mix TEMPLATE BADFILE   interleaves good records and the lines of
                                     BADFILE: good 1, bad 1, good 2, bad 2, ...,
                                     bad n, good n+1 (TEMPLATE with {i} replaced
                                     by 1, 2, ...); writes in.jsonl, good.jsonl
                                     and bad.jsonl (BADFILE's lines, each with
                                     its '\\n': what --rejects must hold)
  badlines.py big GOOD MIB [valid]   a GOOD record with a first field "x"
                                     holding a string of MIB MiB, on stdout;
                                     its final '}' is left out unless 'valid'
"""
import sys

DEEP = 10000


def variants(good):
    g = good.encode()
    assert g.startswith(b"{") and g.endswith(b"}"), "GOOD must be one JSON object"
    rest = g[1:]  # '"key":...}' : a field put before it keeps the record otherwise intact

    def field(value):
        return b'{"x":' + value + b"," + rest

    return [
        ("truncated", g[: len(g) // 2]),
        ("array", b"[1,2,3]"),
        ("string", b'"a string"'),
        ("number", b"42"),
        ("null", b"null"),
        ("utf8-overlong", field(b'"\xc0\xaf"')),
        ("utf8-surrogate", field(b'"\xed\xa0\x80"')),
        ("utf8-truncated", field(b'"\xe2\x82"')),
        ("utf8-lone-continuation", field(b'"\x80"')),
        ("nul-byte", field(b'"a\x00b"')),
        ("bom-in-the-middle", b"\xef\xbb\xbf" + g),
        ("trailing-text", g + b" x"),
        ("two-objects", g + g),
        ("cr-only-line-end", g + b"\r" + g),
        ("deep-arrays", field(b"[" * DEEP + b"]" * DEEP)),
        ("deep-objects", field(b'{"a":' * DEEP + b"1" + b"}" * DEEP)),
        ("bad-literal-nested", field(b"[1, tru]")),
        ("bad-number", field(b"01")),
        ("number-1e400", field(b"1e400")),
        ("bad-escape", field(b'"\\q"')),
        ("control-character", field(b'"a\tb"')),
        ("lone-surrogate-escape", field(b'"\\ud800"')),
        ("single-quotes", b"{'x':1}"),
    ]


def main(argv):
    command = argv[1]
    out = sys.stdout.buffer
    if command == "names":
        out.write(b"".join(name.encode() + b"\n" for name, _ in variants("{}")))
    elif command == "variants":
        out.write(b"".join(line + b"\n" for _, line in variants(argv[2])))
    elif command == "mix":
        template, bad_file = argv[2], argv[3]
        with open(bad_file, "rb") as f:
            bad = f.read().split(b"\n")
        if bad and bad[-1] == b"":
            bad.pop()
        good = [template.replace("{i}", str(i + 1)).encode() for i in range(len(bad) + 1)]
        mixed = []
        for i, line in enumerate(bad):
            mixed += [good[i], line]
        mixed.append(good[-1])
        with open("in.jsonl", "wb") as f:
            f.write(b"".join(line + b"\n" for line in mixed))
        with open("good.jsonl", "wb") as f:
            f.write(b"".join(line + b"\n" for line in good))
        with open("bad.jsonl", "wb") as f:
            f.write(b"".join(line + b"\n" for line in bad))
    elif command == "big":
        g = argv[2].encode()
        valid = len(argv) > 4 and argv[4] == "valid"
        out.write(b'{"x":"' + b"a" * (int(argv[3]) << 20) + b'",' + (g[1:] if valid else g[1:-1]) + b"\n")
    else:
        sys.exit(f"badlines.py: unknown command '{command}'")


if __name__ == "__main__":
    main(sys.argv)
