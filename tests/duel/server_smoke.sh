#!/usr/bin/env bash
# Checks judge_server itself, on the wire, with curl: every reply style and
# fault (broken, 429, 500, drop, truncate, reset, nonjson, nometrics, 401,
# slow), --fail-first, --api-key, /stats, the log, and 256 concurrent
# connections. Documents what each mode looks like to a client.
#
# Usage: tests/duel/server_smoke.sh   (needs build/bin/judge_server, curl, python3)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/judge_server.bash"
work=$(mktemp -d)
trap 'judge_server_stop_all; rm -rf "$work"' EXIT

failures=0
check() {  # check DESCRIPTION EXPECTED ACTUAL
  if [[ $2 == "$3" ]]; then echo "ok - $1"
  else echo "FAIL - $1"; echo "    expected: $2"; echo "    actual:   $3"; failures=$((failures + 1)); fi
}

# A duel-judge-like prompt: the challenger (MODEL 2 in this order) says GOOD.
body() {  # body [TAG]: a request whose prompt differs by TAG
  python3 -c '
import json, sys
tag = sys.argv[1]
user = ("Conversation so far: fix the failing test " + tag + ". GOOD context does not count.\n\n"
        "MODEL 1:\n=====B=====\nTHOUGHT: list files\n```bash\nls\n```\n=====B=====\n\n"
        "MODEL 2:\n=====B=====\nTHOUGHT: GOOD, run the test\n```bash\npytest -x\n```\n=====B=====\n\n"
        "Reply with one line of JSON:\n"
        "{\"correctness\":1|2|0,\"grounding\":1|2|0,\"progress\":1|2|0,\"protocol\":1|2|0,\"efficiency\":1|2|0}")
print(json.dumps({"model": "judge-model", "messages": [{"role": "system", "content": "You are a judge."},
                  {"role": "user", "content": user}], "max_tokens": 512, "temperature": 0}))' "${1:-}"
}
post() {  # post [TAG] [CURL OPTIONS...]: prints the reply content, or the HTTP status if not 200
  # (the request is $BODY when set, so that timed checks do not time python's start-up)
  local tag=${1:-}; shift || true
  curl -sS -o "$work/reply" -w '%{http_code}' -D "$work/headers" "$@" \
    -H 'Content-Type: application/json' -d "${BODY:-$(body "$tag")}" "$JUDGE_URL/chat/completions" > "$work/status" 2> "$work/curl.err"
  local rc=$?
  if [[ $rc -ne 0 ]]; then echo "curl-exit-$rc"; return; fi
  if [[ $(cat "$work/status") != 200 ]]; then cat "$work/status"; return; fi
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["choices"][0]["message"]["content"])' "$work/reply"
}
# /stats without max_per_second, which depends on the machine's speed (tests/generate/server_model.sh checks it)
stats_now() { judge_server_stats | sed -E 's/,"max_per_second":[0-9]+//'; }
verdict='{"correctness":2,"grounding":2,"progress":2,"protocol":2,"efficiency":2}'
decoy='{"correctness":1,"grounding":1,"progress":1,"protocol":1,"efficiency":1}'

judge_server_start --log "$work/log" || exit 1
check "ok: one line of JSON, GOOD in MODEL 2's section -> 2" "$verdict" "$(post)"
check "ok: metrics from the prompt's shape" '{"x":2,"y":2}' "$(curl -sS -d '{"messages":[{"role":"user","content":"MODEL 1: a MODEL 2: GOOD {\"x\":1|2|0,\"y\":1|2|0}"}]}' "$JUDGE_URL/chat/completions" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"])')"
check "ok: GOOD[metric] for some metrics, MODEL 1 wins those" '{"correctness":1,"grounding":2,"progress":2,"protocol":2,"efficiency":2}' \
  "$(curl -sS -d '{"messages":[{"role":"user","content":"MODEL 1: GOOD[correctness] MODEL 2: GOOD"}]}' "$JUDGE_URL/chat/completions" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"])')"
check "ok: no GOOD -> draw" '{"correctness":0,"grounding":0,"progress":0,"protocol":0,"efficiency":0}' \
  "$(curl -sS -d '{"messages":[{"role":"user","content":"GOOD context. MODEL 1: a MODEL 2: b"}]}' "$JUDGE_URL/chat/completions" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"])')"
check "bad body -> 400" 400 "$(curl -sS -o /dev/null -w '%{http_code}' -d '{"messages":"x"}' "$JUDGE_URL/chat/completions")"
check "stats" '{"requests":5,"by_status":{"200":4,"400":1},"faults":{},"prompts":4,"in_flight":0,"max_in_flight":1}' "$(stats_now)"
check "log: one line per request" "6 lines; first: POST /v1/chat/completions 200 HASH model=judge-model attempt=1 fault=- ms=T seed=-" \
  "$(wc -l < "$work/log") lines; first: $(head -n 1 "$work/log" | sed -E 's/ [0-9a-f]{16} / HASH /; s/ ms=[0-9]+ / ms=T /')"
check "log: other requests" "GET /stats 200 - ms=T seed=-" "$(tail -n 1 "$work/log" | sed -E 's/ ms=[0-9]+ / ms=T /')"
judge_server_stop

judge_server_start --mode prose || exit 1
reply=$(post)
check "prose: the verdict is the last object, after a non-verdict object" "$verdict" "$(grep -o '{"correctness[^}]*}' <<< "$reply" | tail -n 1)"
check "prose: text around it" "4 lines, 2 objects" "$(wc -l <<< "$reply") lines, $(grep -o '{[^}]*}' <<< "$reply" | wc -l) objects"
judge_server_stop

judge_server_start --mode thinking || exit 1
reply=$(post)
check "thinking: decoy (opposite) inside <think>, real verdict after" "<think> $decoy </think> $verdict" \
  "$(head -n 1 <<< "$reply") $(grep -o '{[^}]*}' <<< "$reply" | head -n 1) $(sed -n 3p <<< "$reply") $(tail -n 1 <<< "$reply")"
judge_server_stop

judge_server_start --mode fenced || exit 1
check "fenced: \`\`\`json block" "\`\`\`json $verdict \`\`\`" "$(post | tr '\n' ' ' | sed 's/ $//')"
judge_server_stop

judge_server_start --mode broken || exit 1
check "broken: truncated JSON on every request by default" 'Verdict: {"correctness":2,"grounding":2,"prog Verdict: {"correctness":2,"grounding":2,"prog' "$(post) $(post)"
check "broken: finish_reason length" length "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["choices"][0]["finish_reason"])' "$work/reply")"
judge_server_stop
judge_server_start --mode broken --fail-first 2 || exit 1
check "broken --fail-first 2: third request answers" "broken broken $verdict" "$(post | cut -c1-7 | sed 's/Verdict/broken/') $(post | cut -c1-7 | sed 's/Verdict/broken/') $(post)"
judge_server_stop

judge_server_start --mode 429 || exit 1
check "429: first request of a prompt" 429 "$(post a)"
check "429: Retry-After: 1" "Retry-After: 1" "$(grep -i '^retry-after' "$work/headers" | tr -d '\r')"
check "429: OpenAI error body" rate_limit_error "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["error"]["type"])' "$work/reply")"
check "429: the retry succeeds (default --fail-first 1)" "$verdict" "$(post a)"
check "429: another prompt fails once too" "429 $verdict" "$(post b) $(post b)"
check "429: stats" '{"requests":4,"by_status":{"200":2,"429":2},"faults":{"429":2},"prompts":2,"in_flight":0,"max_in_flight":1}' "$(stats_now)"
judge_server_stop
judge_server_start --mode 429 --fail-first 3 --retry-after none || exit 1
check "429 --fail-first 3 --retry-after none" "429 429 429 $verdict no-header" "$(post) $(post) $(post) $(post) $(grep -qi '^retry-after' "$work/headers" && echo header || echo no-header)"
judge_server_stop

judge_server_start --mode 500 || exit 1
check "500: then success" "500 $verdict" "$(post) $(post)"
judge_server_stop

judge_server_start --mode drop || exit 1
check "drop: no response at all (curl 52: empty reply)" "curl-exit-52 $verdict" "$(post) $(post)"
check "drop: answers close their connection (no silent re-send by libcurl)" "Connection: close" "$(grep -i '^connection' "$work/headers" | tr -d '\r')"
check "drop: stats" '{"requests":2,"by_status":{"200":1,"drop":1},"faults":{"drop":1},"prompts":1,"in_flight":0,"max_in_flight":1}' "$(stats_now)"
judge_server_stop

judge_server_start --mode truncate || exit 1
check "truncate: headers, half the body, close (curl 18: partial file)" "curl-exit-18 $verdict" "$(post) $(post)"
judge_server_stop

judge_server_start --mode reset || exit 1
check "reset: headers, half the body, then an RST (curl 56: connection reset by peer)" "curl-exit-56 $verdict" "$(post) $(post)"
check "reset: stats" '{"requests":2,"by_status":{"200":2},"faults":{"reset":1},"prompts":1,"in_flight":0,"max_in_flight":1}' "$(stats_now)"
judge_server_stop

judge_server_start --mode nonjson || exit 1
check "nonjson: status 200, an HTML page" "200 text/html <html><head><title>502 Bad Gateway</title>" \
  "$(curl -sS -o "$work/reply" -w '%{http_code} %{content_type}' -d "$(body)" "$JUDGE_URL/chat/completions") $(head -c 42 "$work/reply")"
check "nonjson: the retry is answered (default --fail-first 1)" "$verdict" "$(post)"
judge_server_stop

judge_server_start --mode nometrics || exit 1
check "nometrics: a verdict without the last metric, on every request by default" \
  '{"correctness":2,"grounding":2,"progress":2,"protocol":2} {"correctness":2,"grounding":2,"progress":2,"protocol":2}' "$(post) $(post)"
judge_server_stop

judge_server_start --mode 401 || exit 1
check "401: on every request by default" "401 401" "$(post '' -H 'Authorization: Bearer sk-echo-me') $(post)"
check "401: the message echoes the key presented, as OpenAI's does" "Incorrect API key provided: (none). You can find your API key at https://platform.openai.com/account/api-keys." \
  "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["error"]["message"])' "$work/reply")"
post '' -H 'Authorization: Bearer sk-echo-me' > /dev/null
check "401: ... here 'sk-echo-me'" "Incorrect API key provided: sk-echo-me. invalid_request_error" \
  "$(python3 -c 'import json, sys; e = json.load(open(sys.argv[1]))["error"]; print(e["message"].split(" You")[0], e["type"])' "$work/reply")"
judge_server_stop

judge_server_start --mode slow --slow-ms 3000 || exit 1
BODY=$(body)
start=$(date +%s.%N)
check "slow: the client times out (curl 28)" "curl-exit-28 $verdict" "$(post '' --max-time 0.5) $(post '' --max-time 0.5)"
check "slow: within 2 s" yes "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print (e - s < 2) ? "yes" : "no" }')"
unset BODY
start=$(date +%s.%N)
judge_server_stop
check "slow: a sleeping handler does not delay the shutdown" yes "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print (e - s < 1.5) ? "yes" : "no" }')"

judge_server_start --mode thinking,429 --latency-ms 100 || exit 1
check "style + fault combined: thinking,429" "429 $decoy" "$(post) $(post | grep -o '{[^}]*}' | head -n 1)"
judge_server_stop

judge_server_start --verdict invert || exit 1
check "--verdict invert" "$decoy" "$(post)"
judge_server_stop
judge_server_start --verdict first || exit 1
check "--verdict first" "$decoy" "$(post)"
judge_server_stop

judge_server_start --api-key sk-test || exit 1
check "--api-key: missing -> 401" 401 "$(post)"
check "--api-key: wrong -> 401" 401 "$(post '' -H 'Authorization: Bearer nope')"
check "--api-key: right -> 200" "$verdict" "$(post '' -H 'Authorization: Bearer sk-test')"
judge_server_stop

# 256 connections at once, each held open for the whole latency: all are
# answered in about one latency when there are 256 workers.
judge_server_start --threads 256 --latency-ms 500 || exit 1
result=$(python3 - "$JUDGE_PORT" <<'EOF'
import http.client, json, sys, threading, time
port = int(sys.argv[1])
n = 256
barrier = threading.Barrier(n)
statuses = [None] * n
def call(i):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    barrier.wait()
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": f"MODEL 1: x{i} MODEL 2: GOOD"}]})
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    statuses[i] = connection.getresponse().status
    connection.close()
threads = [threading.Thread(target=call, args=(i,)) for i in range(n)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start
print(f"{statuses.count(200)} {'fast' if elapsed < 2.0 else 'slow %.2f s' % elapsed}")
EOF
)
check "256 concurrent connections, 256 threads, 500 ms latency: all 200 within 2 s" "256 fast" "$result"
check "256 concurrent: max_in_flight" 256 "$(judge_server_stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["max_in_flight"])')"
judge_server_stop

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
