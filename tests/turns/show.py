#!/usr/bin/env python3
"""Turn records (stdin) as one short line each, for the CLI cases: the id, source line:turn, the history's
roles (assistant messages with tool calls as assistant+calls), the reference's start, and the joined record's commit."""
import json
import sys

join = sys.argv[1] if len(sys.argv) > 1 else None
for text in sys.stdin:
    r = json.loads(text)
    roles = ",".join(m["role"] + ("+calls" if m.get("tool_calls") else "") for m in r["messages"])
    ref = r["reference"]
    said = (ref.get("content") or "").split("\n")[0][:32]
    if ref.get("tool_calls"):
        said += " -> " + ref["tool_calls"][0]["function"]["arguments"]
    joined = r.get(join) if join else None
    extra = f" {join}={joined['commit'] if isinstance(joined, dict) else json.dumps(joined)}" if join else ""
    print(f"{r['instance_id']} {r['source']['line']}:{r['source']['turn']} [{roles}] {said}{extra}")
