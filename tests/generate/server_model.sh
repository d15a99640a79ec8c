#!/usr/bin/env bash
# Checks judge_server --role model (the stand-in model endpoint of the
# generate tests, demo and benchmark) on the wire: deterministic answers,
# every directive, the log's ms= and seed=, /stats max_per_second, --api-key,
# and tests/generate/answer_batch.py (the stand-in for a batch API).
#
# Usage: tests/generate/server_model.sh   (needs build/bin/judge_server, curl, python3)
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

# body TEXT [KEY=JSON...]: a request for model gen-model whose last user message
# is TEXT (after a system message), with extra top-level fields
body() {
  python3 -c '
import json, sys
request = {"model": "gen-model", "messages": [{"role": "system", "content": "You answer briefly."},
                                              {"role": "user", "content": sys.argv[1]}]}
for extra in sys.argv[2:]:
    key, value = extra.split("=", 1)
    request[key] = json.loads(value)
print(json.dumps(request))' "$@"
}
# post TEXT [KEY=JSON...]: prints the reply content, or the HTTP status if not 200,
# or curl-exit-N; the whole reply is in $work/reply, headers in $work/headers, the
# seconds it took in $work/time. KEY=k sends 'Authorization: Bearer k', MAX_TIME=s --max-time s.
post() {
  local extra=()
  [[ -n ${KEY:-} ]] && extra+=(-H "Authorization: Bearer $KEY")
  [[ -n ${MAX_TIME:-} ]] && extra+=(--max-time "$MAX_TIME")
  local request
  request=$(body "$@")
  curl -sS -o "$work/reply" -w '%{http_code} %{time_total}' -D "$work/headers" "${extra[@]}" -H 'Content-Type: application/json' \
    -d "$request" "$JUDGE_URL/chat/completions" > "$work/status" 2> "$work/curl.err"
  local rc=$?
  read -r status seconds < "$work/status"
  echo "${seconds:-0}" > "$work/time"
  if [[ $rc -ne 0 ]]; then echo "curl-exit-$rc"; return; fi
  if [[ $status != 200 ]]; then echo "$status"; return; fi
  python3 -c '
import json, sys
try:
    print(json.load(open(sys.argv[1]))["choices"][0]["message"]["content"], end="")
except ValueError:
    print("not-json", end="")' "$work/reply"
}
reply_field() {  # reply_field PYTHON-EXPRESSION over r, the last reply's JSON
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/reply" "$1"
}
took() { awk -v t="$(cat "$work/time")" -v op="$1" -v limit="$2" 'BEGIN { print ((op == "<" ? t < limit : t >= limit) ? "yes" : "no " t) }'; }
hash_of() { grep -oE 'Answer [0-9a-f]{8}' <<< "$1" | head -n 1 | cut -c8-; }

binary=$(_judge_server_binary)
"$binary" --role model --mode prose > /dev/null 2> "$work/err"
check "--role model --mode prose: a judge's style, exit 2" "2 judge_server: --mode 'prose' is a judge's reply style, not for --role model" \
  "$? $(head -n 1 "$work/err")"
"$binary" --role critic > /dev/null 2> "$work/err"
check "--role critic: exit 2" "2 judge_server: --role takes judge or model, not 'critic'" "$? $(head -n 1 "$work/err")"

# --- Answers -----------------------------------------------------------------
judge_server_start --role model --log "$work/log" || exit 1
haiku='Write a haiku about the sea.'
a1=$(post "$haiku" temperature=0.7 seed=123)
check "answer: format" "yes" "$([[ $a1 =~ ^Answer\ [0-9a-f]{8}\ from\ gen-model\ \(t=0.7,\ seed=123\):\ Write\ a\ haiku\ about\ the\ sea\.$ ]] && echo yes || echo "no: $a1")"
check "answer: finish_reason stop, model echoed" "stop gen-model" "$(reply_field 'r["choices"][0]["finish_reason"], r["model"]' | tr -d "(),'")"
prompt_bytes=$(printf '%s\n%s' 'You answer briefly.' "$haiku" | wc -c)
check "answer: usage = bytes / 4, rounded up" "$(( (prompt_bytes + 3) / 4 )) $(( (${#a1} + 3) / 4 ))" \
  "$(reply_field 'r["usage"]["prompt_tokens"], r["usage"]["completion_tokens"]' | tr -d '(),')"
check "answer: the same request, the same answer" "$a1" "$(post "$haiku" temperature=0.7 seed=123)"
a2=$(post "$haiku" temperature=0.7 seed=124)
check "answer: another seed, another answer" "yes" "$([[ $(hash_of "$a2") != "$(hash_of "$a1")" && $a2 == *"seed=124)"* ]] && echo yes || echo "no: $a2")"
a3=$(post "$haiku" temperature=1.0 seed=123)
check "answer: another temperature, another answer (1.0 shown as 1)" "yes" "$([[ $(hash_of "$a3") != "$(hash_of "$a1")" && $a3 == *"(t=1, seed=123)"* ]] && echo yes || echo "no: $a3")"
a4=$(post "$haiku" temperature=0.7 seed=123 top_p=0.9)
a5=$(post "$haiku" temperature=0.7 seed=123 max_tokens=64)
check "answer: top_p and max_tokens count too" "3 distinct" "$(printf '%s\n' "$(hash_of "$a1")" "$(hash_of "$a4")" "$(hash_of "$a5")" | sort -u | wc -l) distinct"
b1=$(post "$haiku")
check "answer: no seed, no temperature: still deterministic" "$b1 (t=-, seed=-)" "$(post "$haiku") $(grep -o '(t=-, seed=-)' <<< "$b1")"
long=$(printf 'line one\twith a tab\nline two %.0s' {1..10})
check "answer: the snippet is the first 60 characters on one line" "line one with a tab line two line one with a tab line two li" \
  "$(post "$long" | sed -E 's/^[^:]*: //')"
check "answer: 60 characters, not bytes" "$(printf 'é%.0s' {1..60})" \
  "$(post "$(printf 'é%.0s' {1..80})" | sed -E 's/^[^:]*: //')"
check "answer: the last user message, not an earlier one" "later question" \
  "$(curl -sS -d '{"model":"m","messages":[{"role":"user","content":"first question"},{"role":"assistant","content":"x"},{"role":"user","content":"later question"}]}' \
    "$JUDGE_URL/chat/completions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"].split(": ", 1)[1])')"
check "answer: a seed that is not a number -> 400" "400 'seed' is not a number" \
  "$(post "$haiku" 'seed="x"') $(reply_field 'r["error"]["message"]')"
check "log: ms= and seed= at the end" "POST /v1/chat/completions 200 HASH model=gen-model attempt=1 fault=- ms=T seed=123" \
  "$(head -n 1 "$work/log" | sed -E 's/ [0-9a-f]{16} / HASH /; s/ ms=[0-9]+ / ms=T /')"
check "log: a request without a seed: seed=-" "seed=-" "$(sed -n 7p "$work/log" | grep -o 'seed=.*')"
check "log: ms= grows" "yes" "$(awk '{ sub(/.* ms=/, ""); sub(/ .*/, ""); if ($0 + 0 < last) bad = 1; last = $0 + 0 } END { print bad ? "no" : "yes" }' "$work/log")"

# --- Directives --------------------------------------------------------------
check "[[reply:TEXT]]: exactly TEXT, \\n a newline" $'line 1\nline 2 {"a": 1}' "$(post 'Say it. [[reply:line 1\nline 2 {"a": 1}]]')"
s1=$(post '[[same]] Name a colour.' temperature=0.2 seed=1)
check "[[same]]: another seed and temperature, the same answer" "$s1" "$(post '[[same]] Name a colour.' temperature=1.3 seed=99 top_p=0.5)"
check "[[same]]: shown as without them; directive left out of the snippet" "yes" \
  "$([[ $s1 =~ ^Answer\ [0-9a-f]{8}\ from\ gen-model\ \(t=-,\ seed=-\):\ Name\ a\ colour\.$ ]] && echo yes || echo "no: $s1")"
t1=$(post 'Think first. [[think]]' seed=7)
h=$(hash_of "$t1")
check "[[think]]: <think>pondering H</think>, a newline, the answer" "<think>pondering $h</think>|Answer $h from gen-model (t=-, seed=7): Think first." \
  "$(printf '%s' "$t1" | tr '\n' '|')"
j1=$(post '[[json]] Reply in JSON.' seed=3)
check "[[json]]: a JSON object inside prose" "yes yes" "$(python3 -c '
import json, re, sys
text = sys.argv[1]
m = re.search(r"\{.*\}", text)
obj = json.loads(m.group(0))
prose = text.startswith("Here is my answer as JSON: ") and text.endswith(" I hope it helps.")
ok = obj["answer"] == "Answer %s from gen-model (t=-, seed=3): Reply in JSON." % obj["hash"] and list(obj) == ["answer", "hash"]
print("yes" if prose else "no", "yes" if ok else "no: " + text)' "$j1")"
f1=$(post 'Make a page. [[files]]' seed=4)
h=$(grep -oE '<body>Answer [0-9a-f]{8}' <<< "$f1" | cut -c14-)
check "[[files]]: index.html and data.csv, vizhub style" \
  "$(printf '**index.html**\n```html\n<html><body>Answer %s</body></html>\n```\n\n**data.csv**\n```csv\na,b\n1,2\n```' "$h")" "$f1"
check "[[files]]: the hash changes with the seed" "yes" "$([[ $(post 'Make a page. [[files]]' seed=5) != "$f1" ]] && echo yes || echo no)"
tool='<tool_call>{"name":"x"}</tool_call>'
check "[[bad-first:2]]: two malformed replies (new seeds: the same prompt), then the answer" "$tool $tool Answer" \
  "$(post '[[bad-first:2]] Fix the bug.' seed=1) $(post '[[bad-first:2]] Fix the bug.' seed=2) $(post '[[bad-first:2]] Fix the bug.' seed=3 | cut -c1-6)"
check "[[bad-first:1]]: counted per prompt" "$tool" "$(post '[[bad-first:1]] Another bug.' seed=1)"
reference='the fix renames parse_header to read_header and adds a check for empty lines in the loader'
l1=$(post "$(printf 'Solve the issue.\nREFERENCE:   %s\nDo not reveal it. [[leak]]' "$reference")" seed=1)
check "[[leak]]: the answer, then the REFERENCE line verbatim" "From the reference: $reference" "$(tail -n 1 <<< "$l1")"
check "[[leak]]: the answer first" "Answer" "$(head -n 1 <<< "$l1" | cut -c1-6)"
combined=$(post "$(printf 'REFERENCE: x y z\n[[think]][[json]][[leak]] q')")
check "[[think]][[json]][[leak]] combine: think, json, leak lines" "<think>pondering|Here is my answer as JSON:|From the reference: x y z" \
  "$(sed -n 1p <<< "$combined" | cut -c1-16)|$(sed -n 2p <<< "$combined" | cut -c1-26)|$(sed -n 3p <<< "$combined")"
check "[[note]]: unknown, left alone" "Answer from gen-model (t=-, seed=-): keep [[note]] as text" \
  "$(post 'keep [[note]] as text' | sed -E 's/ [0-9a-f]{8} / /')"
check "[[fault:404]]: a bad directive is a 400 naming it" "400 bad directive '[[fault:404]]'" \
  "$(post '[[fault:404]] x') $(reply_field 'r["error"]["message"]')"
check "[[bad-first:x]], [[same:1]], [[latency:]]: 400" "400 400 400" "$(post '[[bad-first:x]]') $(post '[[same:1]]') $(post '[[latency:]]')"
judge_server_stop

# Faults by directive, whatever --mode says (here: 500 on every request)
judge_server_start --role model --mode 500 --fail-first all --keep-alive off || exit 1
check "--mode 500 --fail-first all applies to prompts without a directive" "500 500" "$(post 'plain') $(post 'plain')"
check "[[fault:429]]: 429 once (default N 1), then the answer, not --mode's 500" "429 Retry-After: 1 Answer" \
  "$(post '[[fault:429]] a') $(grep -i '^retry-after' "$work/headers" | tr -d '\r') $(post '[[fault:429]] a' | cut -c1-6)"
check "[[fault:429:2]]: twice, new seeds being the same prompt" "429 429 Answer" \
  "$(post '[[fault:429:2]] b' seed=1) $(post '[[fault:429:2]] b' seed=2) $(post '[[fault:429:2]] b' seed=3 | cut -c1-6)"
check "[[fault:500]]" "500 Answer" "$(post '[[fault:500]] c') $(post '[[fault:500]] c' | cut -c1-6)"
check "[[fault:nonjson]]: 200, an HTML page" "not-json 200 <html>" "$(post '[[fault:nonjson]] d') $(cut -d ' ' -f 1 "$work/status") $(head -c 6 "$work/reply")"
check "[[fault:drop]] (with --keep-alive off): curl 52" "curl-exit-52 Answer" "$(post '[[fault:drop]] e') $(post '[[fault:drop]] e' | cut -c1-6)"
check "[[fault:truncate]]: curl 18" "curl-exit-18 Answer" "$(post '[[fault:truncate]] f') $(post '[[fault:truncate]] f' | cut -c1-6)"
check "[[fault:reset]]: curl 56" "curl-exit-56 Answer" "$(post '[[fault:reset]] g') $(post '[[fault:reset]] g' | cut -c1-6)"
broken=$(post '[[fault:broken]] h' seed=1)
finish=$(reply_field 'r["choices"][0]["finish_reason"]')
whole=$(post '[[fault:broken]] h' seed=1)
check "[[fault:broken]]: the first half of the answer, finish_reason length; then the answer" "${whole:0:$(( ${#whole} / 2 ))} length Answer" \
  "$broken $finish $(cut -c1-6 <<< "$whole")"
check "[[fault:broken:0]]: no fault" "Answer" "$(post '[[fault:broken:0]] h2' | cut -c1-6)"
check "[[fault:401]]: echoes the key" "401 Incorrect API key provided: sk-x." \
  "$(KEY=sk-x post '[[fault:401]] i') $(reply_field 'r["error"]["message"].split(" You")[0]')"
check "[[fault:nometrics]]: a judge's fault, 400" "400" "$(post '[[fault:nometrics]] j')"
judge_server_stop

judge_server_start --role model --slow-ms 3000 || exit 1
check "[[fault:slow]]: the client times out, the retry is answered" "curl-exit-28 Answer" \
  "$(MAX_TIME=0.5 post '[[fault:slow]] k') $(MAX_TIME=0.5 post '[[fault:slow]] k' | cut -c1-6)"
slow=$(post '[[latency:400]] l')
slow_took=$(took '>=' 0.4)
fast=$(post 'm')
check "[[latency:400]]: this prompt sleeps 400 ms, others do not" "Answer yes Answer yes" \
  "$(cut -c1-6 <<< "$slow") $slow_took $(cut -c1-6 <<< "$fast") $(took '<' 0.3)"
judge_server_stop

judge_server_start --role model --latency-ms 1000 || exit 1
check "[[latency:0]] instead of --latency-ms 1000; others sleep" "Answer yes Answer yes" \
  "$(post '[[latency:0]] n' | cut -c1-6) $(took '<' 0.8) $(post 'n' | cut -c1-6) $(took '>=' 1)"
judge_server_stop

# --- max_per_second ----------------------------------------------------------
judge_server_start --role model || exit 1
python3 - "$JUDGE_PORT" <<'PY'
import http.client, json, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
for i in range(30):
    connection.request("POST", "/v1/chat/completions", json.dumps({"messages": [{"role": "user", "content": f"burst {i}"}]}))
    connection.getresponse().read()
PY
check "max_per_second: a burst of 30 requests" "30 30" "$(judge_server_stats | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["requests"], d["max_per_second"])')"
judge_server_stop
judge_server_start --role model || exit 1
python3 - "$JUDGE_PORT" <<'PY'
import http.client, json, sys, time
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
for i in range(8):
    connection.request("POST", "/v1/chat/completions", json.dumps({"messages": [{"role": "user", "content": f"paced {i}"}]}))
    connection.getresponse().read()
    time.sleep(0.35)
PY
check "max_per_second: 8 requests 350 ms apart: 3 within a second (2..4 allowed for timing)" "8 yes" \
  "$(judge_server_stats | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["requests"], "yes" if 2 <= d["max_per_second"] <= 4 else d["max_per_second"])')"
judge_server_stop

# --- --api-key in the model role ---------------------------------------------
judge_server_start --role model --api-key sk-model-test || exit 1
check "--api-key: missing, wrong -> 401" "401 401" "$(post 'o') $(KEY=nope post 'o')"
check "--api-key: right -> the answer" "Answer" "$(KEY=sk-model-test post 'o' | cut -c1-6)"

# --- answer_batch.py ---------------------------------------------------------
python3 - > "$work/batch.jsonl" <<'PY'
import json
for i, text in enumerate(["First prompt.", "Second prompt.", "Third prompt."], start=1):
    body = {"model": "gen-model", "messages": [{"role": "user", "content": text}], "temperature": 0.7, "seed": i}
    print(json.dumps({"custom_id": f"p{i}", "method": "POST", "url": "/v1/chat/completions", "body": body}))
PY
export MODEL_KEY=sk-model-test
python3 "$here/answer_batch.py" --url "$JUDGE_URL/chat/completions" --api-key-env MODEL_KEY --fail p2 "$work/batch.jsonl" > "$work/out1.jsonl"
check "answer_batch: exit 0" 0 "$?"
python3 "$here/answer_batch.py" --url "$JUDGE_URL/chat/completions" --api-key-env MODEL_KEY --fail p2 "$work/batch.jsonl" -o "$work/out2.jsonl"
# The chat completion ids count the attempts of a prompt (…-1, then …-2): the rest is the same.
check "answer_batch: the same output twice (stdout and -o), but for the completion ids" "same" \
  "$(cmp -s <(sed -E 's/chatcmpl-[0-9a-f]+-[0-9]+/ID/' "$work/out1.jsonl") <(sed -E 's/chatcmpl-[0-9a-f]+-[0-9]+/ID/' "$work/out2.jsonl") && echo same || echo differ)"
check "answer_batch: 3 lines, a shuffled order, the OpenAI output shape" "p2 p1 p3 | p2: batch_req_2 None server_error | p1: batch_req_1 200 req_1 stop None | p3: batch_req_3 200 req_3 stop None" \
  "$(python3 -c '
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
out = [" ".join(line["custom_id"] for line in lines)]
for line in lines:
    assert list(line) == ["id", "custom_id", "response", "error"], list(line)
    r = line["response"]
    if r is None:
        out.append("%s: %s None %s" % (line["custom_id"], line["id"], line["error"]["code"]))
    else:
        out.append("%s: %s %s %s %s %s" % (line["custom_id"], line["id"], r["status_code"], r["request_id"],
                                            r["body"]["choices"][0]["finish_reason"], line["error"]))
print(" | ".join(out))' "$work/out1.jsonl")"
direct=$(curl -sS -H 'Authorization: Bearer sk-model-test' -d "$(sed -n 3p "$work/batch.jsonl" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["body"]))')" \
  "$JUDGE_URL/chat/completions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"])')
check "answer_batch: a body is the server's answer to the request" "$direct" \
  "$(python3 -c 'import json, sys; print([json.loads(l) for l in open(sys.argv[1]) if "\"p3\"" in l][0]["response"]["body"]["choices"][0]["message"]["content"])' "$work/out1.jsonl")"
check "answer_batch: --fail made no call (200s: 1 --api-key check + 2 batch runs x 2 requests + 1 direct)" 6 \
  "$(judge_server_stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["by_status"]["200"])')"
python3 - > "$work/batch2.jsonl" <<'PY'
import json
print(json.dumps({"custom_id": "busy", "method": "POST", "url": "/v1/chat/completions",
                  "body": {"model": "gen-model", "messages": [{"role": "user", "content": "[[fault:429]] Busy."}]}}))
PY
check "answer_batch: a non-200 keeps its status and error body" "429 rate_limit_error None" \
  "$(python3 "$here/answer_batch.py" --url "$JUDGE_URL/chat/completions" --api-key-env MODEL_KEY "$work/batch2.jsonl" |
    python3 -c 'import json, sys; l = json.load(sys.stdin); print(l["response"]["status_code"], l["response"]["body"]["error"]["type"], l["error"])')"
check "answer_batch: --fail of an unknown custom_id: exit 2" "answer_batch.py: --fail nope: no request has this custom_id; exit 2" \
  "$( (python3 "$here/answer_batch.py" --url "$JUDGE_URL/chat/completions" --fail nope "$work/batch.jsonl" 2>&1 > /dev/null; echo "exit $?") | paste -sd ';' | sed 's/;/; /')"
judge_server_stop
python3 "$here/answer_batch.py" --url "http://127.0.0.1:$JUDGE_PORT/v1/chat/completions" "$work/batch2.jsonl" > "$work/dead.jsonl"
check "answer_batch: a dead server: an error line, not a crash" "None server_error" \
  "$(python3 -c 'import json, sys; l = json.load(open(sys.argv[1])); print(l["response"], l["error"]["code"])' "$work/dead.jsonl")"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
