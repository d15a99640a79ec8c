# shellcheck shell=bash
# What the generate CLI cases share: judge_server in its model role (a
# stand-in endpoint whose answers follow from the request; directives such as
# [[think]] in a prompt choose its behaviour), started and stopped by
# tests/support/judge_server.bash, and printers for what the cases check.
#   source "$ROOT/tests/cli/generate/lib.bash"
#   start_model [judge_server options]     # sets PORT, URL (…/v1)
#   generate --model m=$URL#stand-in prompts.jsonl | show
source "$ROOT/tests/support/judge_server.bash"

start_model() {
  judge_server_start --role model "$@" 2>> server.err || { cat server.err >&2; return 1; }
  PORT=$JUDGE_PORT
  URL=$JUDGE_URL
}
stop_model() { judge_server_stop "$PORT"; }
# The server's counts: requests, and by status.
stats() { judge_server_stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print("server:", d["requests"], "requests", dict(sorted(d["by_status"].items())))'; }
# Records with latency_ms (which varies from run to run) replaced by "…".
show() { python3 "$ROOT/tests/cli/generate/show.py" "$@"; }
