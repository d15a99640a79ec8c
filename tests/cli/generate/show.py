"""Prints generate's output records (files given, or stdin) with the parts
that vary from run to run replaced: latency_ms by "…". With --brief, only the
answer field and the generation keys that tell answers apart."""
import json
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
brief = "--brief" in sys.argv
answer = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--as=")), "response")
streams = [open(a) for a in args] or [sys.stdin]
for stream in streams:
    for line in stream:
        record = json.loads(line)
        for key, value in record.items():
            if isinstance(value, dict) and "latency_ms" in value:
                value["latency_ms"] = "…"
        if brief:
            g = record.get("generation", {})
            keep = {k: g[k] for k in ("endpoint", "system", "temperature", "sample", "attempts", "cached",
                                      "duplicate_of", "leak", "rejected", "error") if k in g}
            print(json.dumps({answer: record.get(answer), "g": keep}, ensure_ascii=False))
        else:
            print(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
