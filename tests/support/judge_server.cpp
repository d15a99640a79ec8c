// judge_server: a loopback stand-in for an LLM judge (or, with --role model,
// for the model that answers prompts), speaking the OpenAI chat-completions
// API, for the duel-judge and generate tests, the demo and the benchmarks. Its
// verdicts follow from the prompt text alone (so tests know them in advance),
// and it can be told to answer slowly, fail with 429/500/401 (the 401 echoing
// the key, as OpenAI's does), drop, truncate or reset the connection, answer
// with HTML or a verdict missing a metric, or wrap its verdict in prose,
// thinking blocks, code fences or broken JSON. Its answers (model role)
// follow from the request, and directives in the prompt choose a behaviour per
// prompt. Not a tool: it is built with the tests and never installed.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#include <httplib.h>
#pragma GCC diagnostic pop

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/tool.hpp"
#include "prefline/cli/errors.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/json/writer.hpp"

namespace {

constexpr std::string_view tool = "judge_server";

constexpr std::string_view help = R"(Usage: judge_server [OPTIONS]
A loopback judge for the duel-judge tests and benchmark (or, with --role model,
a stand-in model for the generate tests, demo and benchmark): an HTTP server
that speaks the OpenAI chat-completions API with verdicts (answers) derived
from the request.

Endpoints:
  POST /v1/chat/completions  (also /chat/completions) {"model","messages":[{"role",
                        "content"}],"max_tokens","temperature"} -> 200 {"id",
                        "object":"chat.completion","created","model","choices":[{"index":0,
                        "message":{"role":"assistant","content":REPLY},"finish_reason"}],
                        "usage":{...}}; 400 on a malformed body or "stream":true
  GET  /stats           {"requests":N,"by_status":{"200":n,"429":n,"drop":n,...},
                        "faults":{"429":n,...},"prompts":P,"in_flight":k,
                        "max_in_flight":m,"max_per_second":r}, chat-completions
                        requests only. requests counts them on arrival; by_status
                        and faults when answered (a request still sleeping is in
                        in_flight); prompts = distinct model + prompt pairs seen;
                        max_per_second = the most arrivals within any 1000 ms
                        (a sliding window: checks a client's rate limit)
  GET  /v1/models       one model, "judge-server"
  GET  /health          {"ok":true}
  POST /shutdown        {"ok":true}, then the server stops (as on SIGTERM/SIGINT).
                        httplib answers 400 to a POST without Content-Length:
                        send a body (curl -d '') or use GET /shutdown

Options:
      --role judge|model  judge (default): the reply is a verdict (below).
                        model: the reply is an answer (see 'The model role')
      --host ADDR       address to listen on (default 127.0.0.1)
      --port N          port (default 0: a free port). The first line on stdout is
                        'listening on PORT', flushed, once the socket accepts
      --threads N       worker threads (default 128). One keep-alive connection
                        holds one worker; more connections than workers wait
      --latency-ms N    sleep N ms before answering each chat request (default 0)
      --mode LIST       reply style and/or fault, comma-separated (default ok):
                          styles: ok        one line of JSON
                                  prose     JSON between sentences, after a decoy
                                            object that is not a verdict
                                  thinking  <think> block holding a decoy verdict
                                            (the opposite one), then the real JSON
                                  fenced    ```json block
                          faults: broken    200 with truncated JSON (finish_reason
                                            "length"): no verdict in it
                                  429       status 429, Retry-After header
                                  500       status 500
                                  drop      connection closed (FIN) before any
                                            response byte; implies --keep-alive off
                                  truncate  status line, headers and half the body,
                                            then the connection is closed
                                  slow      sleep --slow-ms instead of --latency-ms,
                                            then a normal reply
                                  reset     status line, headers and half the body,
                                            then the connection is reset (an RST,
                                            ECONNRESET), without a FIN
                                  nonjson   status 200 with an HTML body (a proxy's
                                            page), not a chat completion
                                  nometrics 200, a well-formed reply whose verdict
                                            lacks the last metric: no verdict in it
                                  401       status 401 whose error message echoes
                                            the bearer token presented, as OpenAI's
                                            does ('Incorrect API key provided: KEY')
                        e.g. --mode thinking,429. With --role model only 'ok'
                        and the faults other than nometrics apply
      --fail-first N    a fault hits only the first N requests of each distinct
                        prompt (model + messages); later ones are answered.
                        'all' = every request. Default: all for broken, nometrics
                        and 401, 1 for the other faults; 0 disables the fault
      --slow-ms N       the sleep of a 'slow' fault (default 5000). The worker stays
                        busy for that long even when the client has given up
      --keep-alive on|off  off: every response says 'Connection: close' and the
                        connection is closed. Default on, except with --mode drop:
                        libcurl silently re-sends a request (once) when a reused
                        connection dies before the first response byte, so a drop
                        on a kept-alive connection may never reach the client
      --retry-after S   Retry-After value of a 429, in seconds (default 1;
                        'none' omits the header)
      --metrics LIST    judge role: metrics of the verdict (default: the ones
                        the prompt asks for in a shape {"name":1|2|0,...}, else
                        correctness,grounding,progress,protocol,efficiency)
      --verdict RULE    judge role: good (default), invert (the opposite of
                        good: a contrary judge), first (always 1: a
                        position-biased judge), second (always 2), draw (always 0)
      --api-key KEY     require 'Authorization: Bearer KEY' (401 otherwise)
      --log FILE        append one line per request, flushed:
                          METHOD PATH STATUS HASH model=M attempt=N fault=F ms=T seed=S
                        STATUS is the code sent, or 'drop'; HASH is the XXH3-64
                        (seed 0, 16 hex digits) of the prompt text, '-' when there is
                        none; attempt counts requests of the same model + prompt
                        (a retry with a new seed is the same prompt); T is the
                        arrival time in ms since the server started; S is the
                        request's seed, '-' when it has none. Requests other than
                        chat completions: METHOD PATH STATUS - ms=T seed=-
      --requests FILE   append every chat request body, minified, one per line
  -h, --help            show this help and exit

The 'good' rule: the prompt text is the messages' contents joined by newlines.
Each word GOOD (capitals, whole word) counts for the label that most nearly
precedes it, 'MODEL 1' or 'MODEL 2'. For each metric the verdict is 1 if the
MODEL 1 section has a GOOD, else 2 if the MODEL 2 section has one, else 0.
GOOD[correctness,progress] counts for the listed metrics only. Text before the
first label (the context) does not count.

The model role (--role model): the reply is one line
  Answer H from MODEL (t=T, seed=S): SNIPPET
H is 8 hex digits of the XXH3-64 of (model, the prompt text, temperature, top_p,
seed, max_tokens), so the same request gets the same answer and another seed,
temperature, top_p or max_tokens another one; T and S are the request's
temperature and seed as sent ('-' when absent); SNIPPET is the first 60
characters of the last user message, its directives removed, line breaks and
tabs as spaces, trimmed. finish_reason is "stop" (with the broken fault
"length" and the answer's first half); usage: prompt and completion tokens are
the bytes / 4, rounded up.

Directives, in the last user message (model role only), each [[...]]; they
combine, e.g. "[[think]][[fault:429:2]] Write a haiku.":
  [[reply:TEXT]]        the reply is TEXT exactly (up to the next ']]'; a
                        backslash followed by n is a newline)
  [[same]]              the answer as if the request had no temperature, top_p
                        or seed: samples of the prompt are duplicates
  [[think]]             '<think>pondering H</think>' and a newline before the
                        answer
  [[json]]              the answer as a JSON object inside prose: 'Here is my
                        answer as JSON: {"answer":A,"hash":"H"} I hope it
                        helps.' (A: the answer line as a JSON string)
  [[files]]             a multi-file answer (the vizhub layout):
                          **index.html**
                          ```html
                          <html><body>Answer H</body></html>
                          ```
                          (a blank line)
                          **data.csv**
                          ```csv
                          a,b
                          1,2
                          ```
  [[bad-first:N]]       the first N requests of this model + prompt get
                        '<tool_call>{"name":"x"}</tool_call>' (a malformed
                        output), later ones the answer
  [[leak]]              after the reply, a newline (unless it ends with one)
                        and 'From the reference: ' with the text after
                        'REFERENCE:' in the prompt up to the end of its line,
                        verbatim (leading blanks dropped)
  [[fault:F]], [[fault:F:N]]
                        fault F (429, 500, drop, truncate, reset, nonjson,
                        broken, slow or 401, as in --mode) on the first N
                        requests of this model + prompt (default 1), instead of
                        --mode's fault. A drop on a kept-alive connection may be
                        re-sent by libcurl unseen: use --keep-alive off with it
  [[latency:MS]]        sleep MS ms instead of --latency-ms
bad-first and fault count the same attempts (model + prompt, as --fail-first).
A bad-first reply comes before reply:TEXT, which comes before files, then
json; think and leak apply to every reply but those of reply:TEXT and
bad-first. A known directive with a bad argument (e.g. [[fault:404]]) is a
400; other text in brackets, such as [[note]], is left alone.

Exit status: 0 after /shutdown or a signal, 1 runtime error (e.g. the port is
taken), 2 bad option.

Examples:
  judge_server --latency-ms 50 --mode prose,429 --fail-first 2 --log judge.log &
  judge_server --role model --latency-ms 50 --api-key sk-test --log model.log &
)";

// ---------------------------------------------------------------------------
// Options

enum class Style { ok, prose, thinking, fenced };
enum class Fault { none, broken, status429, status500, drop, truncate, slow, reset, nonjson, nometrics, status401 };
enum class Rule { good, invert, first, second, draw };

std::string_view fault_name(Fault fault) {
  switch (fault) {
    case Fault::none: return "-";
    case Fault::broken: return "broken";
    case Fault::status429: return "429";
    case Fault::status500: return "500";
    case Fault::drop: return "drop";
    case Fault::truncate: return "truncate";
    case Fault::slow: return "slow";
    case Fault::reset: return "reset";
    case Fault::nonjson: return "nonjson";
    case Fault::nometrics: return "nometrics";
    case Fault::status401: return "401";
  }
  return "?";
}

struct Options {
  std::string role = "judge";
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 128;
  int latency_ms = 0;
  std::string mode = "ok";
  std::string fail_first;  // "" = the fault's default
  int slow_ms = 5000;
  std::string retry_after = "1";
  std::string keep_alive;  // "" = on, except for drop
  std::string metrics;
  std::string verdict = "good";
  std::string api_key;
  std::string log;
  std::string requests;
};

struct Config {
  bool model = false;  // --role model: answers, directives
  Style style = Style::ok;
  Fault fault = Fault::none;
  std::int64_t fail_first = -1;  // -1 = every request
  Rule rule = Rule::good;
  std::vector<std::string> metrics;  // empty = from the prompt
  bool keep_alive = true;
};

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (comma > start) items.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// The fault a --mode word or a [[fault:F]] directive names.
std::optional<Fault> fault_named(std::string_view word) {
  static const std::map<std::string_view, Fault> faults = {
      {"broken", Fault::broken}, {"429", Fault::status429}, {"500", Fault::status500},
      {"drop", Fault::drop},     {"truncate", Fault::truncate}, {"slow", Fault::slow},
      {"reset", Fault::reset},   {"nonjson", Fault::nonjson},   {"nometrics", Fault::nometrics},
      {"401", Fault::status401}};
  const auto found = faults.find(word);
  if (found == faults.end()) return std::nullopt;
  return found->second;
}

Config validate(const Options& options) {
  Config config;
  if (options.role != "judge" && options.role != "model")
    throw prefline::UsageError(fmt::format("--role takes judge or model, not '{}'", options.role));
  config.model = options.role == "model";
  if (options.port < 0 || options.port > 65535) throw prefline::UsageError(fmt::format("bad --port '{}'", options.port));
  if (options.threads < 1 || options.threads > 4096)
    throw prefline::UsageError(fmt::format("--threads must be 1..4096, not '{}'", options.threads));
  if (options.latency_ms < 0) throw prefline::UsageError(fmt::format("bad --latency-ms '{}'", options.latency_ms));
  if (options.slow_ms < 0) throw prefline::UsageError(fmt::format("bad --slow-ms '{}'", options.slow_ms));
  bool have_style = false;
  for (const auto& word : split_list(options.mode)) {
    static const std::map<std::string_view, Style> styles = {
        {"ok", Style::ok}, {"prose", Style::prose}, {"thinking", Style::thinking}, {"fenced", Style::fenced}};
    if (auto style = styles.find(word); style != styles.end()) {
      if (have_style) throw prefline::UsageError(fmt::format("--mode '{}' has two reply styles", options.mode));
      if (config.model && style->second != Style::ok)
        throw prefline::UsageError(fmt::format("--mode '{}' is a judge's reply style, not for --role model", word));
      have_style = true;
      config.style = style->second;
    } else if (auto fault = fault_named(word)) {
      if (config.fault != Fault::none) throw prefline::UsageError(fmt::format("--mode '{}' has two faults", options.mode));
      if (config.model && *fault == Fault::nometrics)
        throw prefline::UsageError("--mode 'nometrics' is a judge's fault, not for --role model");
      config.fault = *fault;
    } else {
      throw prefline::UsageError(fmt::format("unknown --mode '{}'", word));
    }
  }
  if (options.fail_first.empty()) {
    const bool every = config.fault == Fault::broken || config.fault == Fault::nometrics || config.fault == Fault::status401;
    config.fail_first = every ? -1 : 1;
  } else if (options.fail_first == "all") {
    config.fail_first = -1;
  } else {
    char* end = nullptr;
    const long long value = std::strtoll(options.fail_first.c_str(), &end, 10);
    if (*end != '\0' || value < 0) throw prefline::UsageError(fmt::format("bad --fail-first '{}'", options.fail_first));
    config.fail_first = value;
  }
  if (options.retry_after != "none") {
    const auto& text = options.retry_after;
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw prefline::UsageError(fmt::format("bad --retry-after '{}'", text));
  }
  if (options.keep_alive.empty()) {
    config.keep_alive = config.fault != Fault::drop;
  } else if (options.keep_alive == "on" || options.keep_alive == "off") {
    config.keep_alive = options.keep_alive == "on";
  } else {
    throw prefline::UsageError(fmt::format("--keep-alive takes on or off, not '{}'", options.keep_alive));
  }
  static const std::map<std::string_view, Rule> rules = {
      {"good", Rule::good}, {"invert", Rule::invert}, {"first", Rule::first}, {"second", Rule::second}, {"draw", Rule::draw}};
  const auto rule = rules.find(options.verdict);
  if (rule == rules.end()) throw prefline::UsageError(fmt::format("unknown --verdict '{}'", options.verdict));
  config.rule = rule->second;
  config.metrics = split_list(options.metrics);
  if (!options.metrics.empty() && config.metrics.empty())
    throw prefline::UsageError(fmt::format("bad --metrics '{}'", options.metrics));
  return config;
}

// ---------------------------------------------------------------------------
// Verdicts from the prompt

const std::vector<std::string> default_metrics = {"correctness", "grounding", "progress", "protocol", "efficiency"};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The metric names of the last JSON shape {"a":1|2|0,"b":1|2|0} in the prompt
// (how duel-judge asks for its verdict), or an empty list.
std::vector<std::string> metrics_from_prompt(std::string_view prompt) {
  constexpr std::string_view values = ":1|2|0";
  std::vector<std::string> found;
  for (std::size_t open = prompt.find("{\""); open != std::string_view::npos; open = prompt.find("{\"", open + 1)) {
    std::vector<std::string> names;
    std::size_t i = open + 1;
    for (;;) {
      if (i >= prompt.size() || prompt[i] != '"') break;
      const std::size_t close = prompt.find('"', i + 1);
      if (close == std::string_view::npos || prompt.substr(close + 1, values.size()) != values) break;
      names.emplace_back(prompt.substr(i + 1, close - i - 1));
      i = close + 1 + values.size();
      if (i < prompt.size() && prompt[i] == ',') {
        ++i;
        continue;
      }
      if (i < prompt.size() && prompt[i] == '}') found = std::move(names);
      break;
    }
  }
  return found;
}

std::vector<int> decide(std::string_view prompt, const std::vector<std::string>& metrics, Rule rule) {
  std::vector<int> verdict(metrics.size(), 0);
  switch (rule) {
    case Rule::first: std::fill(verdict.begin(), verdict.end(), 1); return verdict;
    case Rule::second: std::fill(verdict.begin(), verdict.end(), 2); return verdict;
    case Rule::draw: return verdict;
    case Rule::good:
    case Rule::invert: break;
  }
  // good[label][metric]: the section of that label has a GOOD for the metric.
  std::vector<bool> good[3] = {std::vector<bool>(metrics.size()), std::vector<bool>(metrics.size()),
                               std::vector<bool>(metrics.size())};
  int label = 0;
  for (std::size_t i = 0; i < prompt.size(); ++i) {
    if (prompt.compare(i, 6, "MODEL ") == 0 && i + 6 < prompt.size() && (prompt[i + 6] == '1' || prompt[i + 6] == '2') &&
        (i + 7 == prompt.size() || !(prompt[i + 7] >= '0' && prompt[i + 7] <= '9'))) {
      label = prompt[i + 6] - '0';
      i += 6;
      continue;
    }
    if (prompt.compare(i, 4, "GOOD") != 0 || (i > 0 && is_word_char(prompt[i - 1])) ||
        (i + 4 < prompt.size() && is_word_char(prompt[i + 4])))
      continue;
    std::size_t after = i + 4;
    if (after < prompt.size() && prompt[after] == '[') {
      const std::size_t close = prompt.find(']', after);
      if (close != std::string_view::npos) {
        for (const auto& name : split_list(prompt.substr(after + 1, close - after - 1)))
          for (std::size_t m = 0; m < metrics.size(); ++m)
            if (metrics[m] == name) good[label][m] = true;
        i = close;
        continue;
      }
    }
    std::fill(good[label].begin(), good[label].end(), true);
    i += 3;
  }
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    verdict[m] = good[1][m] ? 1 : good[2][m] ? 2 : 0;
    if (rule == Rule::invert && verdict[m] != 0) verdict[m] = 3 - verdict[m];
  }
  return verdict;
}

std::string verdict_json(const std::vector<std::string>& metrics, const std::vector<int>& verdict) {
  std::string json = "{";
  for (std::size_t m = 0; m < metrics.size(); ++m)
    json += fmt::format("{}{}:{}", m ? "," : "", prefline::json_quoted(metrics[m]), verdict[m]);
  return json + "}";
}

// The reply text in the configured style (or broken).
std::string reply_text(Style style, bool broken, const std::vector<std::string>& metrics, const std::vector<int>& verdict) {
  const std::string json = verdict_json(metrics, verdict);
  if (broken) {
    // Cut inside the object: no complete verdict anywhere, as when max_tokens runs out.
    return "Verdict: " + json.substr(0, std::max<std::size_t>(2, json.size() / 2));
  }
  switch (style) {
    case Style::ok: return json;
    case Style::prose:
      return "I compared both answers against the conversation, using the scale "
             "{\"1\": \"first answer better\", \"2\": \"second answer better\", \"0\": \"draw\"}.\n"
             "Here is my verdict:\n" +
             json + "\nI hope this helps; the reasoning above is brief on purpose.";
    case Style::thinking: {
      std::vector<int> decoy = verdict;
      for (int& value : decoy) value = value == 1 ? 2 : 1;
      return "<think>\nLet me look at both answers. A first impression would be " + verdict_json(metrics, decoy) +
             " but I should check each metric again.\n</think>\n" + json;
    }
    case Style::fenced: return "```json\n" + json + "\n```";
  }
  return json;
}

// ---------------------------------------------------------------------------
// Answers (--role model)

// The sampling parameters of a request as sent (their JSON numbers' shortest
// text), "-" when absent or null: the answer's hash and text depend on them.
struct Sampling {
  std::string temperature = "-";
  std::string top_p = "-";
  std::string seed = "-";
  std::string max_tokens = "-";
};

// The directives of a prompt's last user message (see --help).
struct Directives {
  std::optional<std::string> reply;
  bool same = false;
  bool think = false;
  bool json = false;
  bool files = false;
  bool leak = false;
  std::int64_t bad_first = 0;
  Fault fault = Fault::none;
  std::int64_t fault_count = 1;
  std::optional<int> latency_ms;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) of each, left out of the snippet
};

bool parse_count(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  value = std::stoll(std::string(text));
  return true;
}

// Reads the directives in the text; returns what is wrong, or "".
std::string parse_directives(std::string_view text, Directives& found) {
  std::size_t open = text.find("[[");
  while (open != std::string_view::npos) {
    const std::size_t close = text.find("]]", open + 2);
    if (close == std::string_view::npos) break;
    const std::string_view inner = text.substr(open + 2, close - open - 2);
    const std::size_t colon = inner.find(':');
    const std::string_view name = inner.substr(0, colon);
    const bool has_argument = colon != std::string_view::npos;
    const std::string_view argument = has_argument ? inner.substr(colon + 1) : std::string_view();
    const std::string bad = fmt::format("bad directive '[[{}]]'", inner);
    bool known = true;
    if (name == "reply") {
      if (!has_argument) return bad;
      std::string reply;
      for (std::size_t i = 0; i < argument.size(); ++i) {
        if (argument[i] == '\\' && i + 1 < argument.size() && argument[i + 1] == 'n') {
          reply.push_back('\n');
          ++i;
        } else {
          reply.push_back(argument[i]);
        }
      }
      found.reply = std::move(reply);
    } else if (name == "same" || name == "think" || name == "json" || name == "files" || name == "leak") {
      if (has_argument) return bad;
      bool& flag = name == "same"    ? found.same
                   : name == "think" ? found.think
                   : name == "json"  ? found.json
                   : name == "files" ? found.files
                                     : found.leak;
      flag = true;
    } else if (name == "bad-first") {
      if (!parse_count(argument, found.bad_first)) return bad;
    } else if (name == "fault") {
      const std::size_t second = argument.find(':');
      const auto fault = fault_named(argument.substr(0, second));
      if (!fault || *fault == Fault::nometrics) return bad;
      found.fault = *fault;
      found.fault_count = 1;
      if (second != std::string_view::npos && !parse_count(argument.substr(second + 1), found.fault_count)) return bad;
    } else if (name == "latency") {
      std::int64_t ms = 0;
      if (!parse_count(argument, ms) || ms > 3'600'000) return bad;
      found.latency_ms = static_cast<int>(ms);
    } else {
      known = false;
    }
    if (known) {
      found.spans.emplace_back(open, close + 2);
      open = text.find("[[", close + 2);
    } else {
      open = text.find("[[", open + 1);
    }
  }
  return "";
}

// The first 60 characters (code points) of the text without its directives,
// on one line, trimmed.
std::string snippet_of(std::string_view text, const Directives& directives) {
  std::string kept;
  std::size_t from = 0;
  for (const auto& [begin, end] : directives.spans) {
    kept.append(text.substr(from, begin - from));
    from = end;
  }
  kept.append(text.substr(from));
  for (char& c : kept)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  const std::size_t first = kept.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  std::size_t end = first;
  for (int characters = 0; end < kept.size(); ++end) {
    if ((static_cast<unsigned char>(kept[end]) & 0xC0) != 0x80 && characters++ == 60) break;
  }
  std::string snippet = kept.substr(first, end - first);
  while (!snippet.empty() && snippet.back() == ' ') snippet.pop_back();
  return snippet;
}

// The text after "REFERENCE:" up to the end of its line, leading blanks dropped.
std::string reference_of(std::string_view prompt) {
  constexpr std::string_view label = "REFERENCE:";
  const std::size_t at = prompt.find(label);
  if (at == std::string_view::npos) return "";
  std::string_view rest = prompt.substr(at + label.size());
  rest = rest.substr(0, rest.find('\n'));
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  return std::string(rest);
}

std::string answer_hash(std::string_view model, std::string_view prompt, const Sampling& sampling) {
  std::string key(model);
  key.push_back('\0');
  key.append(prompt);
  for (const std::string* part : {&sampling.temperature, &sampling.top_p, &sampling.seed, &sampling.max_tokens}) {
    key.push_back('\0');
    key.append(*part);
  }
  return fmt::format("{:08x}", prefline::stable_hash(key, 0) >> 32);
}

constexpr std::string_view malformed_reply = R"(<tool_call>{"name":"x"}</tool_call>)";

// The model role's reply to the attempt-th request of this model + prompt.
std::string answer_text(std::string_view model, std::string_view prompt, std::string_view last_user, Sampling sampling,
                        const Directives& directives, std::uint64_t attempt) {
  if (attempt <= static_cast<std::uint64_t>(directives.bad_first)) return std::string(malformed_reply);
  if (directives.reply) return *directives.reply;
  if (directives.same) sampling.temperature = sampling.top_p = sampling.seed = "-";
  const std::string hash = answer_hash(model, prompt, sampling);
  const std::string snippet = snippet_of(last_user, directives);
  const std::string line = fmt::format("Answer {} from {} (t={}, seed={}):{}{}", hash, model, sampling.temperature,
                                       sampling.seed, snippet.empty() ? "" : " ", snippet);
  std::string reply;
  if (directives.think) reply = "<think>pondering " + hash + "</think>\n";
  if (directives.files) {
    reply += "**index.html**\n```html\n<html><body>Answer " + hash +
             "</body></html>\n```\n\n**data.csv**\n```csv\na,b\n1,2\n```\n";
  } else if (directives.json) {
    reply += "Here is my answer as JSON: {\"answer\":" + prefline::json_quoted(line) + ",\"hash\":\"" + hash +
             "\"} I hope it helps.";
  } else {
    reply += line;
  }
  if (directives.leak) {
    if (reply.back() != '\n') reply.push_back('\n');
    reply += "From the reference: " + reference_of(prompt);
  }
  return reply;
}

// The first half of the text, not cutting a UTF-8 character.
std::string first_half(std::string_view text) {
  std::size_t end = text.size() / 2;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

// ---------------------------------------------------------------------------
// The server

class JudgeServer {
 public:
  JudgeServer(const Options& options, Config config) : options_(options), config_(std::move(config)) {
    if (!options.log.empty()) log_ = open_append(options.log);
    if (!options.requests.empty()) requests_ = open_append(options.requests);
  }
  ~JudgeServer() {
    if (log_) std::fclose(log_);
    if (requests_) std::fclose(requests_);
  }

  void run() {
    // Signals go to one thread that waits for them; every other thread
    // (httplib's workers included) inherits this mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that goes away must not kill the server when a write fails.
    signal(SIGPIPE, SIG_IGN);

    const int threads = options_.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // Nagle would hold the body back behind the headers for a delayed ACK (40 ms).
    server_.set_tcp_nodelay(true);
    // httplib closes a connection after 5 requests by default; real servers do not.
    server_.set_keep_alive_max_count(config_.keep_alive ? std::size_t{1} << 30 : 1);
    // Not httplib's default options: they set SO_REUSEPORT, with which a
    // second server binds a taken --port and the kernel splits the requests.
    server_.set_socket_options([this](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_socket_ = sock;
    });
    route();

    int port = options_.port;
    if (port == 0) {
      port = server_.bind_to_any_port(options_.host);
      if (port < 0) throw std::runtime_error(fmt::format("cannot listen on '{}'", options_.host));
    } else if (!server_.bind_to_port(options_.host, port)) {
      throw std::runtime_error(fmt::format("cannot listen on '{}' port {}", options_.host, port));
    }
    // httplib listens with a backlog of 5: a burst of connections would see
    // SYNs dropped and retried a second later. Listening again raises it.
    if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);

    std::thread signal_waiter([this, signals] {
      int signal_number = 0;
      sigwait(&signals, &signal_number);
      stop();
    });
    fmt::print("listening on {}\n", port);
    std::fflush(stdout);
    server_.listen_after_bind();
    if (!stopping()) {
      stop();
      kill(getpid(), SIGTERM);  // releases the signal waiter
    }
    signal_waiter.join();
  }

 private:
  static std::FILE* open_append(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "a");
    if (!file) throw std::runtime_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    return file;
  }

  void stop() {
    {
      std::lock_guard lock(stop_mutex_);
      stopping_ = true;
    }
    stop_signal_.notify_all();  // wakes the handlers that sleep
    server_.stop();
  }
  bool stopping() {
    std::lock_guard lock(stop_mutex_);
    return stopping_;
  }
  // Sleeps, unless the server stops first.
  void sleep_ms(int ms) {
    if (ms <= 0) return;
    std::unique_lock lock(stop_mutex_);
    stop_signal_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  }

  void route() {
    auto chat = [this](const httplib::Request& request, httplib::Response& response) { chat_completion(request, response); };
    server_.Post("/v1/chat/completions", chat);
    server_.Post("/chat/completions", chat);
    server_.Get("/stats", [this](const httplib::Request& request, httplib::Response& response) {
      response.set_content(stats_json(), "application/json");
      log_line(request, "200", "-", "", now_ms(), "-");
    });
    server_.Get("/health", [this](const httplib::Request& request, httplib::Response& response) {
      response.set_content("{\"ok\":true}", "application/json");
      log_line(request, "200", "-", "", now_ms(), "-");
    });
    server_.Get("/v1/models", [this](const httplib::Request& request, httplib::Response& response) {
      response.set_content(R"({"object":"list","data":[{"id":"judge-server","object":"model","created":0,"owned_by":"prefline"}]})",
                           "application/json");
      log_line(request, "200", "-", "", now_ms(), "-");
    });
    auto shutdown = [this](const httplib::Request& request, httplib::Response& response) {
      response.set_content("{\"ok\":true}", "application/json");
      log_line(request, "200", "-", "", now_ms(), "-");
      // The signal waiter stops the server; the reply is written before the
      // workers are joined.
      kill(getpid(), SIGTERM);
    };
    server_.Post("/shutdown", shutdown);
    server_.Get("/shutdown", shutdown);
    server_.set_exception_handler([this](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
      std::string message = "unknown error";
      try {
        if (error) std::rethrow_exception(error);
      } catch (const std::exception& e) {
        message = e.what();
      } catch (...) {
      }
      error_response(response, 500, "server_error", "judge_server: " + message);
      log_line(request, "500", "-", "", now_ms(), "-");
    });
  }

  struct InFlight {
    explicit InFlight(JudgeServer& server) : server_(server) {
      const int now = ++server_.in_flight_;
      int seen = server_.max_in_flight_.load();
      while (now > seen && !server_.max_in_flight_.compare_exchange_weak(seen, now)) {
      }
    }
    ~InFlight() { --server_.in_flight_; }
    JudgeServer& server_;
  };

  static void error_response(httplib::Response& response, int status, std::string_view type, std::string_view message) {
    prefline::Buffer body;
    prefline::JsonWriter json(body);
    json.begin_object().key("error").begin_object();
    json.key("message").string(message).key("type").string(type).key("code").integer(status);
    json.end_object().end_object();
    response.status = status;
    response.set_content(std::string(body.view()), "application/json");
  }

  void chat_completion(const httplib::Request& request, httplib::Response& response) {
    InFlight in_flight(*this);
    std::int64_t arrival;
    {
      std::lock_guard lock(state_mutex_);
      ++requests_count_;
      arrival = now_ms();
      count_arrival(arrival);
    }
    if (!options_.api_key.empty() && request.get_header_value("Authorization") != "Bearer " + options_.api_key) {
      error_response(response, 401, "invalid_request_error", "invalid or missing API key");
      count_and_log(request, "401", Fault::none, "-", "", 0, arrival, "-");
      return;
    }
    ChatRequest chat;
    std::string problem = read_request(request.body, chat);
    Directives directives;
    if (problem.empty() && config_.model) problem = parse_directives(chat.last_user, directives);
    if (!problem.empty()) {
      error_response(response, 400, "invalid_request_error", problem);
      count_and_log(request, "400", Fault::none, "-", chat.model, 0, arrival, chat.sampling.seed);
      return;
    }
    const std::string& model = chat.model;
    const std::string& prompt = chat.prompt;
    const std::string& seed = chat.sampling.seed;
    if (requests_) {
      std::string minified(request.body.size(), '\0');
      std::size_t size = 0;
      if (simdjson::minify(request.body.data(), request.body.size(), minified.data(), size) == simdjson::SUCCESS) {
        minified.resize(size);
        std::lock_guard lock(log_mutex_);
        std::fprintf(requests_, "%s\n", minified.c_str());
        std::fflush(requests_);
      }
    }

    const std::string prompt_hash = fmt::format("{:016x}", prefline::stable_hash(prompt, 0));
    const std::uint64_t key = prefline::stable_hash(model + '\0' + prompt, 0);
    std::uint64_t attempt;
    {
      std::lock_guard lock(state_mutex_);
      attempt = ++attempts_[key];
    }
    bool faulted;
    Fault fault;
    if (directives.fault != Fault::none) {
      faulted = attempt <= static_cast<std::uint64_t>(directives.fault_count);
      fault = faulted ? directives.fault : Fault::none;
    } else {
      faulted = config_.fault != Fault::none &&
                (config_.fail_first < 0 || attempt <= static_cast<std::uint64_t>(config_.fail_first));
      fault = faulted ? config_.fault : Fault::none;
    }

    sleep_ms(fault == Fault::slow ? options_.slow_ms : directives.latency_ms.value_or(options_.latency_ms));

    switch (fault) {
      case Fault::status429:
        error_response(response, 429, "rate_limit_error", "rate limited (judge_server fault)");
        if (options_.retry_after != "none") response.set_header("Retry-After", options_.retry_after);
        count_and_log(request, "429", fault, prompt_hash, model, attempt, arrival, seed);
        return;
      case Fault::status500:
        error_response(response, 500, "server_error", "internal error (judge_server fault)");
        count_and_log(request, "500", fault, prompt_hash, model, attempt, arrival, seed);
        return;
      case Fault::drop:
        // Both directions shut before httplib writes: the client reads EOF
        // without a byte of response (curl: "Empty reply from server").
        shutdown_connection(request);
        error_response(response, 500, "server_error", "dropped");
        count_and_log(request, "drop", fault, prompt_hash, model, attempt, arrival, seed);
        return;
      case Fault::status401: {
        // As OpenAI's API does, the message repeats the key it was given: a
        // client that prints error bodies would leak its key.
        std::string token = request.get_header_value("Authorization");
        if (token.starts_with("Bearer ")) token.erase(0, 7);
        error_response(response, 401, "invalid_request_error",
                       fmt::format("Incorrect API key provided: {}. You can find your API key at "
                                   "https://platform.openai.com/account/api-keys.",
                                   token.empty() ? "(none)" : token));
        count_and_log(request, "401", fault, prompt_hash, model, attempt, arrival, seed);
        return;
      }
      case Fault::nonjson:
        // A proxy's error page with status 200: not JSON at all.
        response.set_content(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
            "<p>The upstream judge did not answer (judge_server fault).</p></body></html>\n",
            "text/html");
        count_and_log(request, "200", fault, prompt_hash, model, attempt, arrival, seed);
        return;
      default: break;
    }

    std::string reply;
    if (config_.model) {
      reply = answer_text(model, prompt, chat.last_user, chat.sampling, directives, attempt);
      if (fault == Fault::broken) reply = first_half(reply);
    } else {
      const std::vector<std::string>& metrics = metrics_for(prompt);
      reply = reply_text(config_.style, fault == Fault::broken, metrics, decide(prompt, metrics, config_.rule));
    }
    if (fault == Fault::nometrics) {
      const std::vector<std::string>& metrics = metrics_for(prompt);
      // A well-formed verdict that lacks the last metric (with one metric: no metric at all).
      std::vector<std::string> fewer(metrics.begin(), metrics.end() - (metrics.empty() ? 0 : 1));
      if (fewer.empty()) fewer.push_back("verdict");
      reply = reply_text(config_.style, false, fewer, decide(prompt, fewer, config_.rule));
    }
    prefline::Buffer body;
    prefline::JsonWriter json(body);
    json.begin_object();
    json.key("id").string(fmt::format("chatcmpl-{:016x}-{}", key, attempt));
    json.key("object").string("chat.completion");
    json.key("created").integer(1700000000);
    json.key("model").string(model);
    json.key("choices").begin_array().begin_object();
    json.key("index").integer(0);
    json.key("message").begin_object().key("role").string("assistant").key("content").string(reply).end_object();
    json.key("finish_reason").string(fault == Fault::broken ? "length" : "stop");
    json.end_object().end_array();
    const auto prompt_tokens = static_cast<std::int64_t>((prompt.size() + 3) / 4);
    const auto completion_tokens = static_cast<std::int64_t>((reply.size() + 3) / 4);
    json.key("usage").begin_object();
    json.key("prompt_tokens").integer(prompt_tokens).key("completion_tokens").integer(completion_tokens);
    json.key("total_tokens").integer(prompt_tokens + completion_tokens);
    json.end_object().end_object();

    if (fault == Fault::truncate || fault == Fault::reset) {
      // The full Content-Length is announced, half the body is sent, then the
      // provider fails and httplib closes the connection with a FIN
      // (truncate); or (reset) the connection is aborted first, so the client
      // gets an RST (ECONNRESET) and no FIN.
      auto content = std::make_shared<std::string>(body.view());
      const bool reset = fault == Fault::reset;
      const int local_port = request.local_port, remote_port = request.remote_port;
      response.set_content_provider(content->size(), "application/json",
                                    [content, reset, local_port, remote_port](std::size_t offset, std::size_t,
                                                                              httplib::DataSink& sink) {
                                      if (offset == 0) sink.write(content->data(), content->size() / 2);
                                      if (reset) abort_connection(local_port, remote_port);
                                      return false;
                                    });
    } else {
      response.set_content(std::string(body.view()), "application/json");
    }
    count_and_log(request, "200", fault, prompt_hash, model, attempt, arrival, seed);
  }

  struct ChatRequest {
    std::string model = "judge-server";
    std::string prompt;     // the messages' contents joined by '\n'
    std::string last_user;  // the content of the last message whose role is "user"
    Sampling sampling;
  };

  // Reads a chat-completions body; returns what is wrong, or "".
  static std::string read_request(const std::string& body, ChatRequest& chat) {
    std::string& model = chat.model;
    std::string& prompt = chat.prompt;
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body).get(root)) return "the body is not JSON";
    simdjson::dom::object object;
    if (root.get_object().get(object)) return "the body is not a JSON object";
    std::string_view text;
    if (simdjson::dom::element value; !object["model"].get(value)) {
      if (value.get_string().get(text)) return "'model' is not a string";
      model = std::string(text);
    }
    if (bool stream = false; !object["stream"].get_bool().get(stream) && stream)
      return "'stream' is not supported by judge_server";
    for (auto [name, text_of] : {std::pair{"temperature", &chat.sampling.temperature}, {"top_p", &chat.sampling.top_p},
                                 {"seed", &chat.sampling.seed}, {"max_tokens", &chat.sampling.max_tokens}}) {
      simdjson::dom::element value;
      if (object[name].get(value)) continue;
      if (std::int64_t whole; !value.get_int64().get(whole)) {
        *text_of = fmt::format("{}", whole);
      } else if (std::uint64_t big; !value.get_uint64().get(big)) {
        *text_of = fmt::format("{}", big);
      } else if (double number; !value.get_double().get(number)) {
        *text_of = fmt::format("{}", number);
      } else if (!value.is_null()) {
        return fmt::format("'{}' is not a number", name);
      }
    }
    simdjson::dom::array messages;
    if (object["messages"].get_array().get(messages)) return "'messages' is missing or not an array";
    if (messages.size() == 0) return "'messages' is empty";
    bool first = true;
    for (simdjson::dom::element message : messages) {
      simdjson::dom::element content;
      if (!message.is_object() || message["role"].get_string().get(text)) return "a message has no string 'role'";
      if (message["content"].get(content)) return "a message has no 'content'";
      const bool user = text == "user";
      if (!first) prompt.push_back('\n');
      first = false;
      const std::size_t start = prompt.size();
      if (!content.get_string().get(text)) {
        prompt.append(text);
      } else if (simdjson::dom::array parts; !content.get_array().get(parts)) {
        // [{"type":"text","text":"…"}, …]
        for (simdjson::dom::element part : parts)
          if (!part["text"].get_string().get(text)) prompt.append(text);
      } else if (!content.is_null()) {
        return "a message's 'content' is neither a string nor an array of parts";
      }
      if (user) chat.last_user = prompt.substr(start);
    }
    return "";
  }

  const std::vector<std::string>& metrics_for(std::string_view prompt) {
    if (!config_.metrics.empty()) return config_.metrics;
    thread_local std::vector<std::string> asked;
    asked = metrics_from_prompt(prompt);
    return asked.empty() ? default_metrics : asked;
  }

  // Finds this request's socket (the one whose two ends are the request's
  // addresses; httplib does not hand it to handlers) and shuts it down.
  static void shutdown_connection(const httplib::Request& request) {
    const int fd = find_connection(request.local_port, request.remote_port);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }
  // Resets the connection (RST, not FIN): with SO_LINGER 0, the last close of
  // the socket aborts it. httplib shuts a socket down (FIN) before closing it,
  // so the socket is closed here, by putting a fresh unconnected one in its
  // place (dup2): httplib's later shutdown and close hit the stand-in.
  static void abort_connection(int local_port, int remote_port) {
    const int fd = find_connection(local_port, remote_port);
    if (fd < 0) return;
    const linger hard{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    const int stand_in = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (stand_in < 0) return;
    ::dup2(stand_in, fd);
    ::close(stand_in);
  }
  // The socket whose local and peer ports are these, or -1.
  static int find_connection(int local_port, int remote_port) {
    DIR* folder = opendir("/proc/self/fd");
    if (!folder) return -1;
    int found = -1;
    while (const dirent* entry = readdir(folder)) {
      const int fd = std::atoi(entry->d_name);
      if (entry->d_name[0] == '.' || fd == dirfd(folder)) continue;
      sockaddr_storage local{}, peer{};
      socklen_t local_size = sizeof local, peer_size = sizeof peer;
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
      if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
      if (port_of(local) == local_port && port_of(peer) == remote_port) {
        found = fd;
        break;
      }
    }
    closedir(folder);
    return found;
  }
  static int port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    return -1;
  }

  void count_and_log(const httplib::Request& request, std::string_view status, Fault fault, std::string_view hash,
                     std::string_view model, std::uint64_t attempt, std::int64_t arrival, std::string_view seed) {
    {
      std::lock_guard lock(state_mutex_);
      ++by_status_[std::string(status)];
      if (fault != Fault::none) ++faults_[std::string(fault_name(fault))];
    }
    log_line(request, status, hash, fmt::format(" model={} attempt={} fault={}", model, attempt, fault_name(fault)), arrival,
             seed);
  }

  void log_line(const httplib::Request& request, std::string_view status, std::string_view hash, std::string_view extra,
                std::int64_t arrival, std::string_view seed) {
    if (!log_) return;
    const std::string line =
        fmt::format("{} {} {} {}{} ms={} seed={}\n", request.method, request.path, status, hash, extra, arrival, seed);
    std::lock_guard lock(log_mutex_);
    std::fputs(line.c_str(), log_);
    std::fflush(log_);
  }

  std::string stats_json() {
    prefline::Buffer body;
    prefline::JsonWriter json(body);
    std::lock_guard lock(state_mutex_);
    json.begin_object().key("requests").integer(static_cast<std::int64_t>(requests_count_));
    json.key("by_status").begin_object();
    for (const auto& [status, count] : by_status_) json.key(status).integer(static_cast<std::int64_t>(count));
    json.end_object().key("faults").begin_object();
    for (const auto& [fault, count] : faults_) json.key(fault).integer(static_cast<std::int64_t>(count));
    json.end_object();
    json.key("prompts").integer(static_cast<std::int64_t>(attempts_.size()));
    json.key("in_flight").integer(in_flight_.load());
    json.key("max_in_flight").integer(max_in_flight_.load());
    json.key("max_per_second").integer(static_cast<std::int64_t>(max_per_second_));
    json.end_object();
    return std::string(body.view());
  }

  // Milliseconds since the server started.
  std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
  }
  // Keeps the arrivals of the last 1000 ms and the most there ever were; under state_mutex_.
  void count_arrival(std::int64_t arrival) {
    recent_.push_back(arrival);
    while (recent_.front() <= arrival - 1000) recent_.pop_front();
    max_per_second_ = std::max(max_per_second_, recent_.size());
  }

  const Options& options_;
  const Config config_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  httplib::Server server_;
  socket_t listen_socket_ = -1;

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;

  std::mutex state_mutex_;
  std::unordered_map<std::uint64_t, std::uint64_t> attempts_;  // per hash of model + prompt
  std::uint64_t requests_count_ = 0;
  std::deque<std::int64_t> recent_;  // arrival times (ms) within the last second
  std::size_t max_per_second_ = 0;
  std::map<std::string, std::uint64_t> by_status_;
  std::map<std::string, std::uint64_t> faults_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};

  std::mutex log_mutex_;
  std::FILE* log_ = nullptr;
  std::FILE* requests_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, help, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--role", options.role);
        app.add_option("--host", options.host);
        app.add_option("--port", options.port);
        app.add_option("--threads", options.threads);
        app.add_option("--latency-ms", options.latency_ms);
        app.add_option("--mode", options.mode);
        app.add_option("--fail-first", options.fail_first);
        app.add_option("--slow-ms", options.slow_ms);
        app.add_option("--retry-after", options.retry_after);
        app.add_option("--keep-alive", options.keep_alive);
        app.add_option("--metrics", options.metrics);
        app.add_option("--verdict", options.verdict);
        app.add_option("--api-key", options.api_key);
        app.add_option("--log", options.log);
        app.add_option("--requests", options.requests);
      },
      [&] {
        Config config = validate(options);
        JudgeServer server(options, std::move(config));
        server.run();
      });
}
