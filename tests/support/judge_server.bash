# shellcheck shell=bash disable=SC2034  # JUDGE_* are for the scripts that source this file
# Start and stop judge_server (tests/support/judge_server.cpp) from a bash test
# or benchmark script. Source it, then:
#
#   trap judge_server_stop_all EXIT
#   judge_server_start --mode 429 --log "$PWD/judge.log"   # any judge_server options
#   duel-judge --judge j="$JUDGE_URL#judge-model" turns.jsonl
#   judge_server_stats            # GET /stats, e.g. {"requests":8,"by_status":{"200":4,"429":4},...}
#
# judge_server_start sets JUDGE_PORT, JUDGE_URL (http://127.0.0.1:PORT/v1) and
# JUDGE_PID for the server it started; several servers may run at once
# (judge_server_stats and judge_server_stop take a port, default JUDGE_PORT).
# The binary is $JUDGE_SERVER if set, else judge_server on PATH (the CLI-case
# runner puts build/bin there), else build/bin/judge_server under $ROOT or the
# repository this file is in. The server's stderr goes to the caller's stderr.

_judge_servers=()  # "pid port" of every server started here

_judge_server_binary() {
  if [[ -n ${JUDGE_SERVER:-} ]]; then echo "$JUDGE_SERVER"
  elif command -v judge_server > /dev/null; then command -v judge_server
  else echo "${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/build/bin/judge_server"
  fi
}

judge_server_start() {
  local binary out pid line="" i
  binary=$(_judge_server_binary)
  [[ -x $binary ]] || { echo "judge_server_start: '$binary' not found (build it: make build)" >&2; return 1; }
  out=$(mktemp "${TMPDIR:-/tmp}/judge-server.XXXXXX")
  "$binary" "$@" > "$out" &
  pid=$!
  for ((i = 0; i < 500; i++)); do  # up to 10 s
    line=$(head -n 1 "$out")
    [[ $line == "listening on "* ]] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.02
  done
  rm -f "$out"
  if [[ $line != "listening on "* ]]; then
    kill "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    echo "judge_server_start: the server did not start (options: $*)" >&2
    return 1
  fi
  JUDGE_PID=$pid
  JUDGE_PORT=${line#listening on }
  JUDGE_URL="http://127.0.0.1:$JUDGE_PORT/v1"
  _judge_servers+=("$pid $JUDGE_PORT")
}

judge_server_stats() {
  curl -sS --max-time 10 "http://127.0.0.1:${1:-$JUDGE_PORT}/stats"
}

# Asks the server on PORT (default JUDGE_PORT) to stop and waits for it; kills
# it if it has not stopped after 5 s. Returns the server's exit status.
judge_server_stop() {
  local port=${1:-${JUDGE_PORT:-}} entry pid="" rest=() status=0 i
  for entry in "${_judge_servers[@]}"; do
    if [[ ${entry#* } == "$port" && -z $pid ]]; then pid=${entry% *}; else rest+=("$entry"); fi
  done
  [[ -n $pid ]] || return 0
  _judge_servers=("${rest[@]}")
  curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$port/shutdown" 2> /dev/null || kill "$pid" 2> /dev/null
  for ((i = 0; i < 250; i++)); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.02
  done
  kill -0 "$pid" 2> /dev/null && kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null || status=$?
  return $status
}

judge_server_stop_all() {
  local entry
  for entry in "${_judge_servers[@]}"; do judge_server_stop "${entry#* }"; done
  return 0
}
