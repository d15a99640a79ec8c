#!/usr/bin/env bash
# The agent chain of Makefile.pipeline end to end against the stand-in model endpoint (judge_server
# --role model): trajectories -> turns -> king -> challenger (sees the joined PR) -> duel-judge ->
# routes -> report. Without MODELS, the chain stops after the turns with the message naming MODELS.
# Usage: tests/pipeline/agent.sh BIN
set -euo pipefail
bin=$(cd "${1:?usage: agent.sh BIN}" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(mktemp -d)
export JUDGE_SERVER=$bin/judge_server
source "$root/tests/support/judge_server.bash"
trap 'judge_server_stop_all; rm -rf "$out"' EXIT
cd "$root"

if make --no-print-directory -s -f Makefile.pipeline BIN="$bin" OUT="$out/no-models" agent 2> "$out/err"; then
  echo "agent without MODELS succeeded" >&2; exit 1
fi
grep -q 'the agent target needs MODELS=models.json' "$out/err" || { cat "$out/err" >&2; exit 1; }
[[ -s $out/no-models/agent/turns.jsonl ]] || { echo "agent-turns wrote nothing" >&2; exit 1; }

judge_server_start --role model --latency-ms 5
printf '[{"name": "stand-in-a", "url": "%s", "model": "stand-in-a", "max_tokens": 256}]\n' "$JUDGE_URL" > "$out/models.json"
make --no-print-directory -s -f Makefile.pipeline BIN="$bin" OUT="$out/run" MODELS="$out/models.json" agent
python3 - "$out/run/agent" <<'PY'
import json, sys
folder = sys.argv[1]
turns = [json.loads(l) for l in open(f"{folder}/turns.jsonl")]
stats = json.load(open(f"{folder}/turns.stats.json"))
routes = json.load(open(f"{folder}/routes.stats.json"))
judged = [json.loads(l) for l in open(f"{folder}/judged.jsonl")]
assert len(turns) == stats["written"] == 10, (len(turns), stats)
assert stats["excluded"] == 4 and stats["joined"] == 10, stats
assert all(t["pr"]["instance_id"] == t["instance_id"] for t in turns)
assert routes["total"] == len(judged) == 10, routes
assert all("king" in r and "challenger" in r and "duel" in r for r in judged)
print(f"agent chain: {len(turns)} turns, {len(judged)} judged, routes {routes['buckets']}")
PY
test -s "$out/run/agent/report.md"
