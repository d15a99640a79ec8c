start_server() {  # start_server ARGS...: sets PORT and SERVER
  judge_server --port 0 "$@" > server.out 2> server.err & SERVER=$!
  for _ in $(seq 100); do PORT=$(head -n 1 server.out 2>/dev/null | grep -o '[0-9]*$'); [ -n "$PORT" ] && break; sleep 0.05; done
}
stop_server() { curl -s -m 2 -X POST "127.0.0.1:$PORT/shutdown" > /dev/null; sleep 0.1; kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; }
stats() { curl -s "127.0.0.1:$PORT/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("server:", d["requests"], "requests", dict(sorted(d["by_status"].items())))'; }
summary() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("summary:", {k: s[k] for k in ("n_done","n_valid","winner","accepted")}, [(j["name"], j["calls"], j["retries"], j["parse_failures"], j["failures"]) for j in s["judges"]])' "$1"; }
ids() { python3 -c 'import json,sys; print("records:", [(json.loads(l)["id"], json.loads(l)["duel"]["score"]) for l in open(sys.argv[1])])' "$1"; }

