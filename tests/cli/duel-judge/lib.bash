# shellcheck shell=bash
# What the duel-judge CLI cases over HTTP share: one judge_server at a time,
# started and stopped by the shared helper tests/support/judge_server.bash,
# and printers for what the cases check. A case sources it:
#   source "$ROOT/tests/cli/duel-judge/lib.bash"
#   start_server --mode 429 --fail-first 1        # judge_server options; sets PORT and SERVER
#   duel-judge --judge j=http://127.0.0.1:$PORT/v1#m ... ; stats; stop_server
source "$ROOT/tests/support/judge_server.bash"

# The server's own stderr goes to server.err in the case's scratch folder, out of
# the case's expected.stderr.
start_server() {
  judge_server_start "$@" 2>> server.err || { cat server.err >&2; return 1; }
  PORT=$JUDGE_PORT
  SERVER=$JUDGE_PID
}
stop_server() { judge_server_stop "$PORT"; }
stats() { judge_server_stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print("server:", d["requests"], "requests", dict(sorted(d["by_status"].items())))'; }
summary() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("summary:", {k: s[k] for k in ("n_done","n_valid","winner","accepted")}, [(j["name"], j["calls"], j["retries"], j["parse_failures"], j["failures"]) for j in s["judges"]])' "$1"; }
ids() { python3 -c 'import json,sys; print("records:", [(json.loads(l)["id"], json.loads(l)["duel"]["score"]) for l in open(sys.argv[1])])' "$1"; }
