#!/usr/bin/env python3
"""Answers an OpenAI Batch API input file through a chat-completions server.

A stand-in for OpenAI's Batch API (or vLLM's run-batch) in the generate tests:
reads the input file (JSONL, one request a line:
{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {...}}),
POSTs each body to --url, and writes the batch output file, one line per
request, in a deterministic order that is not the input order (a real batch's
output is not in input order either):

  {"id": "batch_req_<n>", "custom_id": ..., "response": {"status_code": 200,
   "request_id": "req_<n>", "body": <the server's JSON body>}, "error": null}

n is the request's line number in the input (1-based). A non-200 answer keeps
its status and error body in "response"; a request named by --fail, or one
whose connection failed (reset, closed, timed out), gets
"response": null, "error": {"code": "server_error", "message": ...}.
Python 3 standard library only.

Usage: answer_batch.py --url http://127.0.0.1:PORT/v1/chat/completions
                       [--fail CUSTOM_ID]... [--api-key-env NAME] [--order-seed S]
                       [--timeout SECONDS] [-o OUTPUT] INPUT
Exit status: 0 done, 1 an input or output file cannot be read or written,
2 bad usage or a malformed input line.
"""
import argparse
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request


def read_requests(path):
    requests = []
    seen = set()
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                request = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: not JSON ({error})") from None
            if not isinstance(request, dict):
                raise ValueError(f"{where}: not a JSON object")
            for field in ("custom_id", "method", "url", "body"):
                if field not in request:
                    raise ValueError(f"{where}: no '{field}'")
            if request["method"] != "POST":
                raise ValueError(f"{where}: method '{request['method']}', not POST")
            if not str(request["url"]).endswith("/chat/completions"):
                raise ValueError(f"{where}: url '{request['url']}', not /v1/chat/completions")
            if not isinstance(request["body"], dict):
                raise ValueError(f"{where}: 'body' is not an object")
            if request["custom_id"] in seen:
                raise ValueError(f"{where}: custom_id {json.dumps(request['custom_id'])} appears twice")
            seen.add(request["custom_id"])
            requests.append((number, request))
    return requests


def call(url, body, api_key, timeout):
    """Returns (status, body object) or raises OSError for a failed connection."""
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status, text = reply.status, reply.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        # Not a JSON object (a proxy's HTML page): kept as an error body.
        parsed = {"error": {"message": text.decode("utf-8", "replace"), "type": "invalid_response", "code": status}}
    return status, parsed


def answer(number, request, args, api_key):
    custom_id = request["custom_id"]
    line = {"id": f"batch_req_{number}", "custom_id": custom_id}
    if custom_id in args.fail:
        line["response"] = None
        line["error"] = {"code": "server_error", "message": "The request failed (answer_batch.py --fail)."}
        return line
    try:
        status, body = call(args.url, request["body"], api_key, args.timeout)
    except (OSError, ValueError) as error:  # reset, closed, timed out, a truncated body
        line["response"] = None
        line["error"] = {"code": "server_error", "message": f"The request failed: {error}"}
        return line
    line["response"] = {"status_code": status, "request_id": f"req_{number}", "body": body}
    line["error"] = None
    return line


def order_key(seed, custom_id):
    return hashlib.sha256(f"{seed}\0{custom_id}".encode("utf-8")).hexdigest()


def main():
    parser = argparse.ArgumentParser(description="Answer an OpenAI Batch API input file through a chat-completions server.")
    parser.add_argument("input", help="the batch input file (JSONL)")
    parser.add_argument("--url", required=True, help="the chat-completions URL, e.g. http://127.0.0.1:PORT/v1/chat/completions")
    parser.add_argument("--fail", action="append", default=[], metavar="CUSTOM_ID",
                        help="answer this request with an error line instead of calling (repeatable)")
    parser.add_argument("--api-key-env", metavar="NAME", help="send 'Authorization: Bearer $NAME'")
    parser.add_argument("--order-seed", default="0", metavar="S", help="seed of the output order (default 0)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    parser.add_argument("-o", "--output", help="the batch output file (default: stdout)")
    args = parser.parse_args()

    api_key = None
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env)
        if not api_key:
            print(f"answer_batch.py: ${args.api_key_env} is not set", file=sys.stderr)
            return 2
    try:
        requests = read_requests(args.input)
    except ValueError as error:
        print(f"answer_batch.py: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"answer_batch.py: cannot read '{args.input}': {error.strerror}", file=sys.stderr)
        return 1
    unknown = sorted(set(args.fail) - {request["custom_id"] for _, request in requests})
    if unknown:
        print(f"answer_batch.py: --fail {unknown[0]}: no request has this custom_id", file=sys.stderr)
        return 2

    lines = [answer(number, request, args, api_key) for number, request in requests]
    lines.sort(key=lambda line: order_key(args.order_seed, line["custom_id"]))
    text = "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines)
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as output:
                output.write(text)
        else:
            sys.stdout.write(text)
    except OSError as error:
        print(f"answer_batch.py: cannot write '{args.output}': {error.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
