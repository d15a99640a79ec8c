#!/usr/bin/env python3
"""Checks bench/bucket.sh's outputs against a plain reading of the records.

Usage: bucket_check.py INPUT SCORE_OUTPUT HASH_OUTPUT
  SCORE_OUTPUT: bucket --score grade --edges 2,4 --names low,mid,high on INPUT; must equal, byte
    for byte, each record up to its final '}' followed by ,"bucket":NAME} where NAME is the
    number of edges <= grade (each edge belongs to the bucket above it), or parse-fail (bucket's
    default --missing) when grade is null, absent or not a number.
  HASH_OUTPUT: bucket --key challenge,model --ratios 80,10,10 --names train,validation,test;
    each record must be the input record with the member added, a name of the three, and the
    shares within 1.5 points of the ratios (from 10 000 records on). The hash itself (XXH3-64 of
    the typed key) is checked by the unit and CLI tests against published vectors.
Exit 0 when both hold, 1 with the first difference otherwise."""
import json
import sys

EDGES, SCORE_NAMES, MISSING = (2, 4), ("low", "mid", "high"), "parse-fail"
HASH_NAMES, RATIOS = ("train", "validation", "test"), (0.8, 0.1, 0.1)


def head(line):
    return line[:line.rindex(b"}")]


def main():
    source, score_path, hash_path = sys.argv[1:4]
    with open(source, "rb") as f:
        records = [line.rstrip(b"\n") for line in f if line.strip()]
    with open(score_path, "rb") as f:
        scored = f.read().split(b"\n")
    with open(hash_path, "rb") as f:
        hashed = f.read().split(b"\n")
    if scored[-1] != b"" or hashed[-1] != b"":
        sys.exit("bucket_check: an output does not end with a line end")
    scored, hashed = scored[:-1], hashed[:-1]
    if len(scored) != len(records) or len(hashed) != len(records):
        sys.exit(f"bucket_check: {len(records)} records in, {len(scored)} and {len(hashed)} out")
    counts = dict.fromkeys(HASH_NAMES, 0)
    for number, (record, by_score, by_hash) in enumerate(zip(records, scored, hashed), 1):
        grade = json.loads(record).get("grade")
        if isinstance(grade, (int, float)) and not isinstance(grade, bool):
            name = SCORE_NAMES[sum(1 for edge in EDGES if edge <= grade)]
        else:
            name = MISSING  # null, absent or not a number: the --missing bucket
        expected = head(record) + b',"bucket":"' + name.encode() + b'"}'
        if by_score != expected:
            sys.exit(f"bucket_check: record {number} by score:\n  expected {expected[-80:]!r}\n  got      {by_score[-80:]!r}")
        prefix = head(record) + b',"bucket":"'
        if not by_hash.startswith(prefix) or not by_hash.endswith(b'"}'):
            sys.exit(f"bucket_check: record {number} by hash is not the record plus its bucket: {by_hash[-80:]!r}")
        name = by_hash[len(prefix):-2].decode()
        if name not in counts:
            sys.exit(f"bucket_check: record {number} by hash went to '{name}'")
        counts[name] += 1
    if len(records) >= 10000:
        for name, ratio in zip(HASH_NAMES, RATIOS):
            share = counts[name] / len(records)
            if abs(share - ratio) > 0.015:
                sys.exit(f"bucket_check: {name} has {share:.3f} of the records, not ~{ratio}")
    print(f"bucket_check: {len(records)} records, by score byte-identical to the reference, "
          f"by hash {', '.join(f'{n} {c}' for n, c in counts.items())}")


if __name__ == "__main__":
    main()
