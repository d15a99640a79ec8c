// duel-judge: king-vs-challenger duels judged by an LLM panel (OpenAI-
// compatible HTTP endpoints or local commands), or scored from verdicts
// already on the records; judged turns in input order and an acceptance gate.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include <curl/curl.h>

#include "prefline/io/line_blocks.hpp"
#include "prefline/concurrency/ordered_pool.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/duel/duel.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/random/generator.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/text/string_map.hpp"

namespace {

namespace duel_schema = prefline::schema::duel;
namespace summary_schema = prefline::schema::duel_summary;
namespace judge_schema = prefline::schema::judge_config;
using prefline::duel::Judgement;
using prefline::duel::Order;
using prefline::duel::Vote;

constexpr std::string_view tool = "duel-judge";

constexpr std::string_view help = R"(Usage: duel-judge [OPTIONS] [FILE...]

Judge king-vs-challenger duels: each record is one agent turn with the
conversation so far and two answers; a panel of judge models compares them
on five metrics; each turn gets a 0-100 duel score, and the whole duel an
acceptance gate. Reads JSON Lines from the FILEs or standard input; writes
the records in input order with "duel" appended, and a summary.

Judges:
      --judges FILE       the panel: a JSON array of judges, each {"name",
                          and either "url" (an OpenAI-compatible endpoint base,
                          e.g. http://127.0.0.1:8000/v1; /chat/completions is
                          added) + "model" [+ "api_key_env" (the name of the
                          environment variable holding the key), "max_tokens"
                          (default 1024), "temperature" (default 0)], or
                          "command": [argv...] (a local program that reads the
                          prompt on stdin and prints the reply)}
      --judge NAME=URL#MODEL  one more HTTP judge (repeatable)
  With no judges, duel-judge scores the verdicts already on the records
  (aggregate-only mode): field 'judgements', a list of {"judge", "order":
  "ab"|"ba", "verdict": {METRIC: 0|1|2}} or {"judge","order","reply": TEXT};
  a record without it is then bad. Records that carry 'judgements' are
  always scored from them, without any call. A key duel-judge reads given
  twice (a metric of a verdict included) makes the record bad.

Calls:
      --concurrency N     requests in flight across the panel (default 16)
      --timeout S         seconds per request (default 120)
      --max-retries N     retries of a call after a network error, HTTP 429
                          (Retry-After is honoured) or 5xx (default 6); other
                          statuses fail at once. Wait before retry k (0-based):
                          min(retry-base x 2^k, 30 s) x (0.5 + 0.5 u), u from
                          splitmix64 seeded with --seed and the call, or the
                          Retry-After seconds if longer
      --retry-base S      (default 0.5)
      --parse-retries N   ask again when a reply has no valid verdict (default 2)
      --window N          records in flight at most; output stays in input
                          order, memory bounded (default 1024)
      --cache DIR         store every reply in DIR (one file per call, written
                          atomically, named by a hash of judge, model,
                          endpoint, max_tokens, temperature, attempt and
                          prompt); a rerun reads them instead of asking again,
                          so an interrupted run resumes with identical output
      --print-prompts     write the prompts (one {"judge","order","prompt"}
                          per call) instead of calling anyone

Prompt and parsing:
      --template FILE     the judge prompt; placeholders {{context}},
                          {{answer1}}, {{answer2}}, {{boundary}}, {{metrics}}
                          ("- name: question" lines), {{json_shape}}
      --metrics LIST      metric names (default correctness,grounding,
                          progress,protocol,efficiency)
  The built-in prompt gives the conversation, the two answers as MODEL 1 and
  MODEL 2 between fence lines that neither answer contains, the metrics, and
  asks for one line of JSON {"correctness":1|2|0,...} (1 = MODEL 1 better,
  2 = MODEL 2 better, 0 = draw). Candidates are neutralised first: any {...}
  naming a metric becomes "[verdict-like text removed]" and the words MODEL 1
  / MODEL 2 become "[label removed]". A reply may hold thinking blocks
  (<think>...</think>), code fences and prose: the verdict is the last JSON
  object with every metric at 0, 1 or 2; otherwise it is unparsed.

Fields:
      --a FIELD           answer A, the baseline (default king)
      --b FIELD           answer B, the candidate (default challenger)
      --context FIELD     the conversation: an array of {role, content}
                          (default messages) or a string; when missing,
                          'prompt' is tried
      --overwrite         replace a 'duel' field the record has already
                          (otherwise such a record is bad)

Scoring:
      --orders MODE       both (default: each judge sees A/B and B/A), ab, or
                          alternate (ab for even record indices, ba for odd)
      --metric-weight M=W,...  metric weights (default equal)
      --min-judges K      a turn is parsed when K judges parsed (default 0:
                          all of them)
  Per judge and metric, from the challenger's side: win 1, draw 0.5, loss 0,
  averaged over the orders that parsed. judge score = weighted mean over the
  metrics; turn score = 100 x mean over the judges that parsed; delta =
  score / 100 - 0.5; an unparsed turn has score and delta null. Written
  rounded to 4 decimals: "duel": {"score", "delta", "parsed", "by_metric"
  (mean over judges, 0..1), "by_judge" (0..100), "judgements"}.

Summary (--summary FILE as JSON, and one line on stderr):
      --summary FILE      n_done, n_valid, valid_frac; challenger_score (per
                          judge and metric, the mean of the challenger's points
                          over valid turns, then averaged, weighted by metric,
                          x 100) and king_score = 100 - challenger_score;
                          by_judge and by_metric (the same means per judge and
                          per metric, 0..100); winner; win_margin =
                          challenger_score - king_score; margin_ok =
                          win_margin >= --win-margin; mean_delta over valid
                          turns, se = sample sd / sqrt(n); lcb = the percentile
                          bootstrap lower bound of mean_delta: --bootstrap means
                          of n deltas drawn with replacement (splitmix64 from
                          --seed), sorted, the one at floor(alpha x B) (when n
                          x B > 5e7, the normal limit of that distribution:
                          mean + z(alpha) x sd / sqrt(n)); accepted
                          = valid_frac >= --min-valid-frac AND margin_ok AND lcb
                          > 0; per judge: model, calls, retries, parse_failures,
                          failures
      --win-margin X      points (default 2.0)
      --bootstrap B       resamples (default 10000)
      --alpha A           (default 0.05)
      --min-valid-frac F  (default 0.8)
      --seed N            seed of jitter and bootstrap (default 0)
      --require-accept    exit 1 when the duel is not accepted (the judged turns,
                          -o and --summary are written all the same: the
                          gate is on the finished duel)

)"
R"(Common options:
  -o, --output FILE     write to FILE instead of standard output; FILE appears
                        only when the tool succeeds
      --skip-invalid    skip bad records instead of stopping at the first one;
                        at the end 'duel-judge: skipped N invalid records' goes
                        to stderr and the exit code is 0
      --rejects FILE    with --skip-invalid: write every skipped input line to
                        FILE, byte for byte
  -q, --quiet           no progress display (shown only when stderr is a
                        terminal)
  -h, --help            show this help and exit
      --version         show the version and exit

API keys are read from the environment only and never written anywhere (not
in output, cache, messages). A judge call that still fails after its retries
leaves that judgement unparsed with an "error"; no record is ever dropped or
written twice.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'duel-judge: FILE:LINE: reason'), a runtime error, or
     a rejected duel with --require-accept
  2  bad option, value or judge configuration (nothing is read)

Example:
  duel-judge --judges judges.json --cache cache/ --summary duel.json turns.jsonl > judged.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::string judges_file;
  std::vector<std::string> judge_specs;
  int concurrency = 16;
  double timeout = 120;
  int max_retries = 6;
  double retry_base = 0.5;
  int parse_retries = 2;
  int window = 1024;
  std::string cache;
  bool print_prompts = false;
  std::string template_file;
  std::string metrics;
  std::string a = std::string(duel_schema::king);
  std::string b = std::string(duel_schema::challenger);
  std::string context = std::string(duel_schema::messages);
  bool overwrite = false;
  std::string orders = "both";
  std::string metric_weights;
  int min_judges = 0;
  std::string summary;
  double win_margin = 2.0;
  int bootstrap = 10000;
  double alpha = 0.05;
  double min_valid_frac = 0.8;
  std::uint64_t seed = 0;
  bool require_accept = false;
};

struct Judge {
  std::string name;
  std::string url;  // the chat-completions endpoint
  std::string model;
  std::string api_key;  // from the environment; never written anywhere
  int max_tokens = 1024;
  double temperature = 0;
  std::vector<std::string> command;
};

enum class OrderMode { both, ab, alternate };

struct Settings {
  std::vector<Judge> judges;
  std::vector<prefline::duel::Metric> metrics;
  std::vector<double> weights;
  OrderMode orders = OrderMode::both;
  std::string prompt_template;
};

std::string endpoint(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.ends_with("/chat/completions")) return url;
  return url + "/chat/completions";
}

Judge read_judge(simdjson::dom::object object, std::size_t index) {
  Judge judge;
  auto where = [&] { return fmt::format("--judges: judge {}", index + 1); };
  simdjson::dom::element element;
  if (object[judge_schema::name].get(element) || !element.is_string() || element.get_string().value_unsafe().empty())
    throw prefline::UsageError(fmt::format("{}: 'name' must be a non-empty string", where()));
  judge.name = std::string(element.get_string().value_unsafe());
  if (!object[judge_schema::command].get(element)) {
    simdjson::dom::array argv;
    if (element.get_array().get(argv) || argv.size() == 0)
      throw prefline::UsageError(fmt::format("{} '{}': 'command' must be a non-empty array of strings", where(), judge.name));
    for (auto arg : argv) {
      if (!arg.is_string())
        throw prefline::UsageError(fmt::format("{} '{}': 'command' must be an array of strings", where(), judge.name));
      judge.command.emplace_back(arg.get_string().value_unsafe());
    }
    judge.model = judge.command.front();
    return judge;
  }
  if (object[judge_schema::url].get(element) || !element.is_string())
    throw prefline::UsageError(fmt::format("{} '{}': needs 'url' and 'model', or 'command'", where(), judge.name));
  judge.url = endpoint(std::string(element.get_string().value_unsafe()));
  if (object[judge_schema::model].get(element) || !element.is_string())
    throw prefline::UsageError(fmt::format("{} '{}': 'model' must be a string", where(), judge.name));
  judge.model = std::string(element.get_string().value_unsafe());
  if (!object[judge_schema::api_key_env].get(element)) {
    if (!element.is_string()) throw prefline::UsageError(fmt::format("{} '{}': 'api_key_env' must be a string", where(), judge.name));
    const std::string variable(element.get_string().value_unsafe());
    const char* key = std::getenv(variable.c_str());
    if (key == nullptr || *key == '\0')
      throw prefline::UsageError(
          fmt::format("judge '{}': the environment variable '{}' (api_key_env) is not set", judge.name, variable));
    judge.api_key = key;
  }
  if (!object[judge_schema::max_tokens].get(element)) {
    std::int64_t tokens;
    if (element.get_int64().get(tokens) || tokens <= 0)
      throw prefline::UsageError(fmt::format("{} '{}': 'max_tokens' must be a positive integer", where(), judge.name));
    judge.max_tokens = static_cast<int>(tokens);
  }
  if (!object[judge_schema::temperature].get(element)) {
    if (element.get_double().get(judge.temperature) || judge.temperature < 0)
      throw prefline::UsageError(fmt::format("{} '{}': 'temperature' must be a number >= 0", where(), judge.name));
  }
  return judge;
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (!options.judges_file.empty()) {
    simdjson::dom::parser parser;
    simdjson::padded_string text;
    if (simdjson::padded_string::load(options.judges_file).get(text))
      throw prefline::UsageError(fmt::format("--judges: cannot read '{}'", options.judges_file));
    simdjson::dom::element root;
    if (parser.parse(text).get(root) || !root.is_array())
      throw prefline::UsageError(fmt::format("--judges: '{}' is not a JSON array of judges", options.judges_file));
    std::size_t index = 0;
    const simdjson::dom::array entries = root.get_array().value_unsafe();
    for (auto entry : entries) {
      if (!entry.is_object()) throw prefline::UsageError(fmt::format("--judges: judge {} is not an object", index + 1));
      settings.judges.push_back(read_judge(entry.get_object().value_unsafe(), index++));
    }
  }
  for (const auto& spec : options.judge_specs) {
    const std::size_t equals = spec.find('='), hash = spec.rfind('#');
    if (equals == std::string::npos || hash == std::string::npos || hash < equals || equals == 0 ||
        hash == equals + 1 || hash + 1 == spec.size())
      throw prefline::UsageError(fmt::format("--judge: expected NAME=URL#MODEL, got '{}'", spec));
    Judge judge;
    judge.name = spec.substr(0, equals);
    judge.url = endpoint(spec.substr(equals + 1, hash - equals - 1));
    judge.model = spec.substr(hash + 1);
    settings.judges.push_back(judge);
  }
  for (std::size_t i = 0; i < settings.judges.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (settings.judges[i].name == settings.judges[j].name)
        throw prefline::UsageError(fmt::format("judge '{}' is given twice", settings.judges[i].name));

  if (options.metrics.empty()) {
    settings.metrics = prefline::duel::default_metrics();
  } else {
    const auto defaults = prefline::duel::default_metrics();
    for (const auto& name : prefline::parse_name_list("--metrics", options.metrics)) {
      std::string question;
      for (const auto& metric : defaults)
        if (metric.name == name) question = metric.question;
      settings.metrics.push_back({name, question});
    }
  }
  settings.weights.assign(settings.metrics.size(), 1.0);
  if (!options.metric_weights.empty()) {
    for (const auto& part : prefline::split_list(options.metric_weights)) {
      const std::size_t equals = part.find('=');
      double weight = -1;
      if (equals != std::string::npos) {
        const auto [end, error] = std::from_chars(part.data() + equals + 1, part.data() + part.size(), weight);
        if (error != std::errc() || end != part.data() + part.size()) weight = -1;
      }
      if (equals == std::string::npos || !(weight >= 0))
        throw prefline::UsageError(fmt::format("--metric-weight: expected METRIC=W with W >= 0, got '{}'", part));
      const std::string name = part.substr(0, equals);
      bool found = false;
      for (std::size_t m = 0; m < settings.metrics.size(); ++m)
        if (settings.metrics[m].name == name) {
          settings.weights[m] = weight;
          found = true;
        }
      if (!found) throw prefline::UsageError(fmt::format("--metric-weight: no metric '{}'", name));
    }
    double sum = 0;
    for (double w : settings.weights) sum += w;
    if (sum <= 0) throw prefline::UsageError("--metric-weight: the weights add up to 0");
  }
  if (options.orders == "both") settings.orders = OrderMode::both;
  else if (options.orders == "ab") settings.orders = OrderMode::ab;
  else if (options.orders == "alternate") settings.orders = OrderMode::alternate;
  else throw prefline::UsageError(fmt::format("--orders: '{}' is not both, ab or alternate", options.orders));

  if (options.template_file.empty()) {
    settings.prompt_template = std::string(prefline::duel::default_template);
  } else {
    std::ifstream in(options.template_file, std::ios::binary);
    if (!in) throw prefline::UsageError(fmt::format("--template: cannot read '{}'", options.template_file));
    std::stringstream text;
    text << in.rdbuf();
    settings.prompt_template = text.str();
    for (std::string_view needed : {"{{answer1}}", "{{answer2}}"})
      if (settings.prompt_template.find(needed) == std::string::npos)
        throw prefline::UsageError(fmt::format("--template: '{}' has no {}", options.template_file, needed));
  }
  if (options.concurrency < 1 || options.concurrency > 4096) throw prefline::UsageError("--concurrency must be 1 to 4096");
  if (!(options.timeout > 0)) throw prefline::UsageError("--timeout must be > 0");
  if (options.max_retries < 0) throw prefline::UsageError("--max-retries must be 0 or more");
  if (!(options.retry_base >= 0)) throw prefline::UsageError("--retry-base must be >= 0");
  if (options.parse_retries < 0) throw prefline::UsageError("--parse-retries must be 0 or more");
  if (options.window < 1) throw prefline::UsageError("--window must be 1 or more");
  if (options.min_judges < 0) throw prefline::UsageError("--min-judges must be 0 or more");
  if (options.bootstrap < 1) throw prefline::UsageError("--bootstrap must be 1 or more");
  if (!(options.alpha > 0 && options.alpha < 1)) throw prefline::UsageError("--alpha must be between 0 and 1");
  if (!(options.min_valid_frac >= 0 && options.min_valid_frac <= 1))
    throw prefline::UsageError("--min-valid-frac must be between 0 and 1");
  if (options.a.empty() || options.b.empty() || options.a == options.b)
    throw prefline::UsageError("--a and --b must name two different fields");
  if (options.print_prompts && settings.judges.empty()) throw prefline::UsageError("--print-prompts needs judges");
  return settings;
}

// ---------------------------------------------------------------------------
// One record on its way: its bytes, its judgements (one per call), and how
// many calls are still out.

struct Turn {
  std::string file;
  std::uint64_t line = 0;
  simdjson::padded_string text;
  bool has_duel = false;
  std::vector<Judgement> judgements;  // asked of the panel
  std::vector<Vote> votes;            // or found on the record
  std::vector<std::uint8_t> values;
  std::string bad;  // a reason: the record is bad (reported in order)
  std::atomic<int> pending{0};
};

struct Call {
  Turn* turn;
  std::size_t slot;   // in turn->judgements
  std::size_t judge;  // in settings.judges
  std::string prompt;
  std::uint64_t id;   // for the jitter
};

struct JudgeCounters {
  std::atomic<std::uint64_t> calls{0}, retries{0}, parse_failures{0}, failures{0};
};

// ---------------------------------------------------------------------------
// Asking a judge.

struct Reply {
  bool ok = false;
  std::string text;
  std::string error;
};

std::size_t curl_write(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

std::size_t curl_header(char* data, std::size_t size, std::size_t count, void* target) {
  const std::string_view line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    if (match) {
      double seconds = 0;
      std::string_view value = line.substr(name.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      std::from_chars(value.data(), value.data() + value.size(), seconds);
      *static_cast<double*>(target) = seconds;
    }
  }
  return size * count;
}

class Asker {
 public:
  Asker(const Options& options, const Settings& settings, std::vector<JudgeCounters>& counters)
      : options_(options), settings_(settings), counters_(counters), curl_(curl_easy_init()) {}
  ~Asker() {
    if (curl_) curl_easy_cleanup(curl_);
  }
  Asker(const Asker&) = delete;
  Asker& operator=(const Asker&) = delete;

  // One answer for the prompt, after the retries the errors allow.
  Reply ask(const Judge& judge, std::size_t judge_index, const std::string& prompt, std::uint64_t call_id) {
    Reply reply;
    for (int attempt = 0;; ++attempt) {
      double retry_after = 0;
      bool retryable = false;
      ++counters_[judge_index].calls;
      reply = judge.command.empty() ? post(judge, prompt, retry_after, retryable) : run_command(judge, prompt, retryable);
      if (reply.ok || !retryable || attempt >= options_.max_retries) return reply;
      ++counters_[judge_index].retries;
      prefline::SplitMix64 jitter{options_.seed ^ (call_id * 0x9e3779b97f4a7c15ULL) ^ static_cast<std::uint64_t>(attempt)};
      double wait = std::min(options_.retry_base * std::pow(2.0, attempt), 30.0) * (0.5 + 0.5 * jitter.uniform());
      wait = std::max(wait, retry_after);
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
  }

 private:
  Reply post(const Judge& judge, const std::string& prompt, double& retry_after, bool& retryable) {
    Reply reply;
    prefline::Buffer body;
    prefline::JsonWriter json(body);
    json.begin_object();
    json.key(judge_schema::model).string(judge.model);
    json.key(duel_schema::messages).begin_array().begin_object();
    json.key(duel_schema::role).string("user");
    json.key(duel_schema::content).string(prompt);
    json.end_object().end_array();
    json.key(judge_schema::max_tokens).integer(judge.max_tokens);
    json.key(judge_schema::temperature).number(judge.temperature);
    json.end_object();
    std::string response;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!judge.api_key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + judge.api_key).c_str());
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, judge.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, curl_write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, curl_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout * 1000));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      retryable = true;
      reply.error = fmt::format("network error: {}", curl_easy_strerror(code));
      return reply;
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
      retryable = status == 429 || status >= 500;
      reply.error = fmt::format("HTTP {}", status);
      return reply;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root, content;
    if (parser.parse(response).get(root) || root.at_pointer("/choices/0/message/content").get(content) ||
        !content.is_string()) {
      reply.error = "the response has no choices[0].message.content";
      return reply;
    }
    reply.ok = true;
    reply.text = std::string(content.get_string().value_unsafe());
    return reply;
  }

  // Runs the judge's command with the prompt on stdin; its stdout is the reply.
  Reply run_command(const Judge& judge, const std::string& prompt, bool& retryable) {
    Reply reply;
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0) {
      reply.error = "cannot create a pipe";
      return reply;
    }
    if (::pipe2(from_child, O_CLOEXEC) != 0) {
      ::close(to_child[0]);
      ::close(to_child[1]);
      reply.error = "cannot create a pipe";
      return reply;
    }
    std::vector<char*> argv;
    for (const auto& arg : judge.command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(to_child[0], STDIN_FILENO);
      ::dup2(from_child[1], STDOUT_FILENO);
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (pid < 0) {
      ::close(to_child[1]);
      ::close(from_child[0]);
      reply.error = "cannot start the judge command";
      return reply;
    }
    // Write the prompt and read the reply at the same time (no deadlock on
    // large texts), until the reply ends or the timeout.
    std::size_t written = 0;
    int in_fd = to_child[1];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options_.timeout);
    bool timed_out = false;
    char buffer[65536];
    for (;;) {
      pollfd fds[2] = {{from_child[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timed_out = true;
        break;
      }
      if (::poll(fds, in_fd >= 0 ? 2 : 1, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
      if (in_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        const ssize_t n = ::write(in_fd, prompt.data() + written, prompt.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 || written == prompt.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
        if (n <= 0) break;
        reply.text.append(buffer, static_cast<std::size_t>(n));
      }
    }
    if (in_fd >= 0) ::close(in_fd);
    ::close(from_child[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (timed_out) {
      retryable = true;
      reply.error = "the judge command timed out";
      return reply;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      retryable = true;
      reply.error = fmt::format("the judge command failed (status {})", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
      return reply;
    }
    reply.ok = true;
    return reply;
  }

  const Options& options_;
  const Settings& settings_;
  std::vector<JudgeCounters>& counters_;
  CURL* curl_;
};

// Replies stored on disk, one file per call, written atomically.
class ReplyCache {
 public:
  explicit ReplyCache(std::string folder) : folder_(std::move(folder)) {
    if (folder_.empty()) return;
    if (::mkdir(folder_.c_str(), 0777) != 0 && errno != EEXIST)
      throw prefline::DataError(fmt::format("cannot create the cache folder '{}': {}", folder_, std::strerror(errno)));
  }
  bool enabled() const { return !folder_.empty(); }

  static std::string key(const Judge& judge, int attempt, const std::string& prompt) {
    std::string material;
    for (std::string_view part : {std::string_view(judge.name), std::string_view(judge.model), std::string_view(judge.url)}) {
      material.append(part);
      material.push_back('\0');
    }
    for (const auto& arg : judge.command) {
      material.append(arg);
      material.push_back('\0');
    }
    material += fmt::format("{}\n{}\n{}\n", judge.max_tokens, judge.temperature, attempt);
    material += prompt;
    return fmt::format("{:016x}{:016x}", prefline::stable_hash(material, 1), prefline::stable_hash(material, 2));
  }

  std::optional<std::string> find(const std::string& key) const {
    std::ifstream in(path(key), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Atomically: a temp file renamed into place. The temp file is registered
  // for removal on SIGINT/SIGTERM/SIGHUP like the tools' outputs (kill -9
  // can leave a .KEY.TID.tmp behind; it is never read).
  void store(const std::string& key, const std::string& reply) const {
    const std::string temp = fmt::format("{}/.{}.{}.tmp", folder_, key, ::gettid());
    const int slot = prefline::detail::register_temp(temp);
    bool written;
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << reply;
      out.flush();
      written = static_cast<bool>(out);
    }
    // The cache is an optimisation: a failed store costs a call later, nothing else.
    if (!written || ::rename(temp.c_str(), path(key).c_str()) != 0) ::unlink(temp.c_str());
    prefline::detail::unregister_temp(slot);
  }

 private:
  std::string path(const std::string& key) const { return fmt::format("{}/{}.txt", folder_, key); }
  std::string folder_;
};

// ---------------------------------------------------------------------------
// Reading records: answers, context, and any judgements already there.

// The judges named anywhere in the run, numbered in order of first
// appearance (the configured panel first): votes carry these numbers. Names
// numbered since the last take_fresh() are handed on with the records that
// use them, to whichever thread writes.
class JudgeRegistry {
 public:
  std::uint32_t intern(std::string_view name) {
    // A panel is a few judges: the first ones are found by a look at each.
    for (std::size_t id = 0; id < first_.size(); ++id)
      if (prefline::same_text(first_[id], name)) return static_cast<std::uint32_t>(id);
    if (ids_.size() > first_.size())  // more names than the first ones
      if (auto found = ids_.find(name); found != ids_.end()) return found->second;
    const auto id = static_cast<std::uint32_t>(ids_.size());
    ids_.emplace(std::string(name), id);
    if (first_.size() < first_count) first_.emplace_back(name);
    fresh_.emplace_back(name);
    return id;
  }
  // Moves the names numbered since the last call to the end of `into`.
  void take_fresh(std::vector<std::string>& into) {
    for (auto& name : fresh_) into.push_back(std::move(name));
    fresh_.clear();
  }

 private:
  static constexpr std::size_t first_count = 8;
  prefline::StringMap<std::uint32_t> ids_;
  std::vector<std::string> first_;  // the names of numbers 0..first_count-1
  std::vector<std::string> fresh_;
};

// Where read_turn puts the judgements it finds on a record.
struct VoteSink {
  JudgeRegistry& judges;
  std::vector<Vote>& votes;            // judge = the registry's number
  std::vector<std::uint8_t>& values;   // the verdicts, metrics bytes each
  std::vector<std::string_view>& names; // scratch: a record's judge names until it is known good
};

constexpr std::string_view no_verdict_error = "no verdict";
constexpr std::string_view unparsed_reply_error = "unparsed reply";

std::string render_context(simdjson::dom::element element) {
  if (element.is_string()) return std::string(element.get_string().value_unsafe());
  std::string text;
  if (!element.is_array()) return text;
  const simdjson::dom::array messages = element.get_array().value_unsafe();
  for (auto message : messages) {
    simdjson::dom::element role, content;
    std::string_view role_text = "message";
    if (!message[duel_schema::role].get(role) && role.is_string()) role_text = role.get_string().value_unsafe();
    if (message[duel_schema::content].get(content)) continue;
    if (!text.empty()) text += "\n\n";
    text += fmt::format("[{}]\n", role_text);
    if (content.is_string()) text += content.get_string().value_unsafe();
    else text += simdjson::minify(content);
  }
  return text;
}

struct Parsed {
  std::string reason;
  bool has_duel = false;
  bool has_judgements = false;
  std::string answer_a, answer_b, context;
};

// The members of one judgement that this tool reads, found in one pass (the
// simdjson calls inlined: this runs for every judgement of every record).
struct JudgementFields {
  static constexpr std::array<std::string_view, 4> names{duel_schema::judge, duel_schema::order, duel_schema::verdict,
                                                         duel_schema::reply};
  std::array<simdjson::dom::element, 4> values;  // judge, order, verdict, reply
  std::array<bool, 4> has{};
  std::string_view repeated;  // a member given twice

  // False when the judgement is not an object.
  [[gnu::flatten]] bool read(simdjson::dom::element entry) {
    if (!entry.is_object()) return false;
    const simdjson::dom::object members = entry.get_object().value_unsafe();
    for (auto field : members) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (!prefline::same_text(field.key, names[i])) continue;
        if (has[i]) {
          repeated = names[i];
          return true;
        }
        has[i] = true;
        values[i] = field.value;
        break;
      }
    }
    return true;
  }
};

Parsed& duplicate_key(Parsed& parsed, std::string_view key) {
  parsed.reason = fmt::format("duplicate key '{}'", key);
  return parsed;
}

// One pass over the record's members finds 'duel' and 'judgements' (a key
// this tool reads given twice makes the record bad); the judgements go to
// `sink` (nothing of a bad record stays there).
Parsed read_turn(simdjson::dom::parser& parser, std::string_view line, const Options& options,
                 const Settings& settings, VoteSink& sink) {
  Parsed parsed;
  simdjson::dom::element record;
  if (auto error = parser.parse(line.data(), line.size(), false).get(record)) {
    parsed.reason = prefline::json_error_reason(error);
    return parsed;
  }
  if (!record.is_object()) {
    parsed.reason = "expected a JSON object";
    return parsed;
  }
  const simdjson::dom::object object = record.get_object().value_unsafe();
  simdjson::dom::element judgements;
  for (auto field : object) {
    if (prefline::same_text(field.key, duel_schema::duel)) {
      if (parsed.has_duel) return duplicate_key(parsed, duel_schema::duel);
      parsed.has_duel = true;
    } else if (prefline::same_text(field.key, duel_schema::judgements)) {
      if (parsed.has_judgements) return duplicate_key(parsed, duel_schema::judgements);
      parsed.has_judgements = true;
      judgements = field.value;
    }
  }
  if (parsed.has_duel && !options.overwrite) {
    parsed.reason = fmt::format("the record has a '{}' field already (use --overwrite)", duel_schema::duel);
    return parsed;
  }
  if (parsed.has_judgements) {
    if (!judgements.is_array()) {
      parsed.reason = fmt::format("'{}' must be an array", duel_schema::judgements);
      return parsed;
    }
    const std::size_t votes_before = sink.votes.size(), values_before = sink.values.size();
    auto fail = [&](std::string reason) {
      sink.votes.resize(votes_before);
      sink.values.resize(values_before);
      parsed.reason = std::move(reason);
      return parsed;
    };
    const std::size_t metrics = settings.metrics.size();
    sink.names.clear();
    const simdjson::dom::array entries = judgements.get_array().value_unsafe();
    for (auto entry : entries) {
      JudgementFields fields;
      if (!fields.read(entry))
        return fail(fmt::format("each of '{}' needs 'judge' and 'order' strings", duel_schema::judgements));
      if (!fields.repeated.empty()) return fail(fmt::format("duplicate key '{}' in a judgement", fields.repeated));
      auto& [judge, order, verdict, reply] = fields.values;
      auto& [has_judge, has_order, has_verdict, has_reply] = fields.has;
      if (!has_judge || !judge.is_string() || !has_order || !order.is_string())
        return fail(fmt::format("each of '{}' needs 'judge' and 'order' strings", duel_schema::judgements));
      const std::string_view judge_name = judge.get_string().value_unsafe();
      const std::string_view order_text = order.get_string().value_unsafe();
      const bool ab = prefline::same_text(order_text, "ab");
      if (!ab && !prefline::same_text(order_text, "ba"))
        return fail(fmt::format("judgement order '{}' is not ab or ba", order_text));
      Vote vote;
      vote.order = ab ? Order::ab : Order::ba;
      vote.values = static_cast<std::uint32_t>(sink.values.size());
      sink.values.resize(sink.values.size() + metrics);
      std::uint8_t* values = sink.values.data() + vote.values;
      if (has_verdict) {
        if (verdict.is_null()) {
          vote.error = no_verdict_error;
        } else {
          std::string_view repeated;
          vote.has_verdict = verdict.is_object() && prefline::duel::read_verdict(verdict.get_object().value_unsafe(),
                                                                                  settings.metrics, values, &repeated);
          if (!repeated.empty())
            return fail(fmt::format("judge '{}': duplicate key '{}' in the verdict", judge_name, repeated));
          if (!vote.has_verdict)
            return fail(fmt::format("judge '{}': the verdict must give every metric 0, 1 or 2", judge_name));
        }
      } else if (has_reply) {
        if (!reply.is_string()) return fail(fmt::format("judge '{}': 'reply' must be a string", judge_name));
        if (auto parsed_reply = prefline::duel::parse_reply(reply.get_string().value_unsafe(), settings.metrics)) {
          std::copy(parsed_reply->begin(), parsed_reply->end(), values);
          vote.has_verdict = true;
        } else {
          vote.error = unparsed_reply_error;
        }
      } else {
        return fail(fmt::format("judge '{}': a judgement needs 'verdict' or 'reply'", judge_name));
      }
      sink.names.push_back(judge_name);
      sink.votes.push_back(vote);
    }
    // Numbered only now, so a bad record leaves no judge behind.
    for (std::size_t i = 0; i < sink.names.size(); ++i)
      sink.votes[votes_before + i].judge = sink.judges.intern(sink.names[i]);
    return parsed;
  }
  if (settings.judges.empty()) {
    parsed.reason = fmt::format("no '{}' on the record and no judges configured (--judges, --judge)", duel_schema::judgements);
    return parsed;
  }
  simdjson::dom::element element;
  for (auto [field, target] : {std::pair{&options.a, &parsed.answer_a}, std::pair{&options.b, &parsed.answer_b}}) {
    const auto found = prefline::find_unique(object, *field, element);
    if (found == prefline::FieldLookup::duplicate) return duplicate_key(parsed, *field);
    if (found == prefline::FieldLookup::missing || !element.is_string()) {
      parsed.reason = fmt::format("answer field '{}' is missing or not a string", *field);
      return parsed;
    }
    *target = std::string(element.get_string().value_unsafe());
  }
  for (const std::string_view field : {std::string_view(options.context), duel_schema::prompt}) {
    const auto found = prefline::find_unique(object, field, element);
    if (found == prefline::FieldLookup::duplicate) return duplicate_key(parsed, field);
    if (found == prefline::FieldLookup::found) {
      parsed.context = render_context(element);
      break;
    }
  }
  return parsed;
}

// ---------------------------------------------------------------------------
// Scoring turns, writing the "duel" object, and the summary's totals.

double round4(double value) { return std::round(value * 1e4) / 1e4; }

// The member names of the "duel" object, quoted, with their colon.
struct DuelKeys {
  std::string duel, score, delta, parsed, by_metric, by_judge, judgements, judge, order, verdict, error;
};
const DuelKeys& duel_keys() {
  static const DuelKeys keys = [] {
    auto key = [](std::string_view name) { return prefline::json_quoted(name) + ":"; };
    return DuelKeys{key(duel_schema::duel),       key(duel_schema::score),     key(duel_schema::delta),
                    key(duel_schema::parsed),     key(duel_schema::by_metric), key(duel_schema::by_judge),
                    key(duel_schema::judgements), key(duel_schema::judge),     key(duel_schema::order),
                    key(duel_schema::verdict),    key(duel_schema::error)};
  }();
  return keys;
}

// The bytes a turn's output gives each judge, by judge number: its quoted
// name as a "by_judge" key, and the head of its judgement entries.
class JudgeTexts {
 public:
  void add(std::string_view name) {
    const DuelKeys& keys = duel_keys();
    const std::string quoted = prefline::json_quoted(name);
    keys_.push_back(quoted + ":");
    for (std::string_view order : {"ab", "ba"})
      heads_.push_back(fmt::format("{{{}{},{}\"{}\",{}", keys.judge, quoted, keys.order, order, keys.verdict));
    longest_key_ = std::max(longest_key_, keys_.back().size());
    longest_head_ = std::max(longest_head_, heads_.back().size());
  }
  std::size_t size() const { return keys_.size(); }
  std::size_t longest_key() const { return longest_key_; }
  std::size_t longest_head() const { return longest_head_; }
  const std::string& key(std::uint32_t judge) const { return keys_[judge]; }
  // {"judge":"name","order":"ab","verdict":
  const std::string& head(std::uint32_t judge, Order order) const { return heads_[2 * judge + (order == Order::ab ? 0 : 1)]; }
  void clear() {
    keys_.clear();
    heads_.clear();
    longest_key_ = longest_head_ = 0;
  }

 private:
  std::vector<std::string> keys_, heads_;
  std::size_t longest_key_ = 0, longest_head_ = 0;
};

// What the summary takes from scored turns, in turn order: per parsed turn,
// its delta and, per judge that parsed, the judge's score and points. Workers
// fill it; the writing thread adds it to the totals (DuelTotals::add), so the
// sums run in input order whoever scored the turns.
struct Tallies {
  struct Judge {
    std::uint32_t judge;  // the number the votes used
    double score;         // by_judge, 0..100
  };
  std::vector<double> deltas;      // per parsed turn
  std::vector<std::size_t> ends;   // per parsed turn: the end of its judges
  std::vector<Judge> judges;
  std::vector<double> points;      // per judge: one per metric

  // turn_judges: the judge number of each of the score's panel slots.
  void add(const prefline::duel::TurnScore& score, const std::vector<std::uint32_t>& turn_judges, std::size_t metrics) {
    if (!score.parsed) return;
    deltas.push_back(*score.delta);
    for (std::size_t j = 0; j < turn_judges.size(); ++j) {
      if (!score.by_judge[j]) continue;
      judges.push_back({turn_judges[j], *score.by_judge[j]});
      points.insert(points.end(), score.points.begin() + static_cast<std::ptrdiff_t>(j * metrics),
                    score.points.begin() + static_cast<std::ptrdiff_t>((j + 1) * metrics));
    }
    ends.push_back(judges.size());
  }
  void clear() {
    deltas.clear();
    ends.clear();
    judges.clear();
    points.clear();
  }
};

// The summary's totals over the run, by the run's judge numbers.
struct DuelTotals {
  std::uint64_t done = 0;
  std::vector<double> deltas;                // of valid turns
  std::vector<double> point_sums;            // judge x metric, over the valid turns the judge parsed in
  std::vector<std::uint64_t> point_counts;   // per judge: those turns
  std::vector<double> judge_score_sums;

  void resize(std::size_t judges, std::size_t metrics) {
    point_sums.resize(judges * metrics, 0);
    point_counts.resize(judges, 0);
    judge_score_sums.resize(judges, 0);
  }

  // `run_judge` maps the tallies' judge numbers to the run's (null: the same).
  void add(const Tallies& tallies, const std::uint32_t* run_judge, std::size_t metrics) {
    std::size_t begin = 0;
    for (std::size_t t = 0; t < tallies.deltas.size(); ++t) {
      deltas.push_back(tallies.deltas[t]);
      for (std::size_t i = begin; i < tallies.ends[t]; ++i) {
        const std::uint32_t judge = run_judge ? run_judge[tallies.judges[i].judge] : tallies.judges[i].judge;
        judge_score_sums[judge] += tallies.judges[i].score;
        ++point_counts[judge];
        for (std::size_t m = 0; m < metrics; ++m) point_sums[judge * metrics + m] += tallies.points[i * metrics + m];
      }
      begin = tallies.ends[t];
    }
  }
};

// A record without its closing brace (and without its "duel" member when it
// has one: then `stripped` holds the rest, and `line` must be padded), which
// the judged turn continues with its "duel" member.
struct RecordHead {
  std::string_view text;
  bool empty_object = false;  // no member is left
};
RecordHead record_head(const prefline::JsonlLine& line, bool has_duel, simdjson::ondemand::parser& parser,
                       std::string& stripped) {
  RecordHead head;
  std::string_view text = line.text;
  if (has_duel) {
    stripped = prefline::without_member(parser, line, duel_schema::duel, head.empty_object);
    text = stripped;
  }
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] != '}') --end;
  head.text = text.substr(0, end - 1);
  return head;
}

// Scores a turn and appends it with its "duel" member to an output buffer.
// All the fixed bytes of the member are made once; numbers (rounded to 4
// decimals, so few distinct ones) are formatted once each and then copied.
// One per thread.
class TurnFormatter {
 public:
  TurnFormatter(const Settings& settings, std::size_t min_judges)
      : metrics_(settings.metrics.size()), scorer_(settings.weights, min_judges) {
    for (const auto& metric : settings.metrics) metric_keys_.push_back(prefline::json_quoted(metric.name) + ":");
    if (metrics_ <= 8) {
      std::size_t codes = 1;
      for (std::size_t m = 0; m < metrics_; ++m) codes *= 3;
      verdict_texts_.resize(codes);
    }
    // Upper bounds of what write() adds besides the record: the keys, the
    // punctuation, a number (at most number_bound bytes) per value.
    const DuelKeys& keys = duel_keys();
    std::size_t metric_keys = 0;
    for (const auto& key : metric_keys_) metric_keys += key.size();
    verdict_bound_ = metric_keys + 2 * metrics_ + 2;
    fixed_bound_ = keys.duel.size() + keys.score.size() + keys.delta.size() + keys.parsed.size() +
                   keys.by_metric.size() + keys.by_judge.size() + keys.judgements.size() + 2 * number_bound +
                   metric_keys + metrics_ * (number_bound + 1) + 32;
  }

  // One turn: `head` is the record without its closing brace (see
  // record_head; empty when the caller writes it itself), `empty_object`
  // that the record has no member left; votes[i].judge numbers in `judges`,
  // `panel` judges always part of the turn (the configured panel: numbers
  // 0..panel-1). Appends the head, then the "duel" member and the closing
  // brace. The returned score lives until the next call; turn_judges() gives
  // its panel slots' judge numbers.
  const prefline::duel::TurnScore& write(prefline::Buffer& o, std::string_view head, bool empty_object,
                                         const Vote* votes, std::size_t count, const std::uint8_t* values,
                                         std::size_t panel, const JudgeTexts& judges) {
    // The turn's panel: the configured judges, then those named in its
    // judgements in order of first appearance.
    if (seen_in_turn_.size() < judges.size()) {
      seen_in_turn_.resize(judges.size(), 0);
      slot_in_turn_.resize(judges.size(), 0);
    }
    ++turn_stamp_;
    turn_judges_.clear();
    for (std::size_t j = 0; j < panel; ++j) slot_of(static_cast<std::uint32_t>(j));
    local_votes_.assign(votes, votes + count);
    for (auto& vote : local_votes_) vote.judge = slot_of(vote.judge);
    const auto& score = scorer_.score(local_votes_.data(), count, values, turn_judges_.size());

    // Written through a pointer into room reserved for the most it can take.
    const DuelKeys& keys = duel_keys();
    std::size_t bound = head.size() + fixed_bound_ + turn_judges_.size() * (judges.longest_key() + number_bound + 1);
    for (std::size_t i = 0; i < count; ++i)
      bound += judges.longest_head() + 1 +
               (votes[i].has_verdict ? verdict_bound_ : keys.error.size() + 8 + 6 * votes[i].error.size());
    char* p = o.reserve_tail(bound);
    auto put = [&p](std::string_view bytes) {
      std::memcpy(p, bytes.data(), bytes.size());
      p += bytes.size();
    };
    if (!head.empty()) put(head);  // (an empty view's data() may be null: no memcpy from it)
    if (!empty_object) *p++ = ',';
    put(keys.duel);
    *p++ = '{';
    put(keys.score);
    number(p, score.score);
    *p++ = ',';
    put(keys.delta);
    number(p, score.delta);
    *p++ = ',';
    put(keys.parsed);
    put(score.parsed ? "true," : "false,");
    put(keys.by_metric);
    *p++ = '{';
    for (std::size_t m = 0; m < metrics_; ++m) {
      if (m) *p++ = ',';
      put(metric_keys_[m]);
      number(p, score.by_metric[m]);
    }
    put("},");
    put(keys.by_judge);
    *p++ = '{';
    for (std::size_t j = 0; j < turn_judges_.size(); ++j) {
      if (j) *p++ = ',';
      put(judges.key(turn_judges_[j]));
      number(p, score.by_judge[j]);
    }
    put("},");
    put(keys.judgements);
    *p++ = '[';
    for (std::size_t i = 0; i < count; ++i) {
      const Vote& vote = votes[i];
      if (i) *p++ = ',';
      put(judges.head(vote.judge, vote.order));
      if (vote.has_verdict) {
        put(verdict_text(values + vote.values));
      } else {
        put("null,");
        put(keys.error);
        o.commit_tail(p);
        prefline::append_json_string(o, vote.error);  // within the room reserved
        p = o.reserve_tail(0);
      }
      *p++ = '}';
    }
    put("]}}\n");
    o.commit_tail(p);
    return score;
  }

  const std::vector<std::uint32_t>& turn_judges() const { return turn_judges_; }

 private:
  std::uint32_t slot_of(std::uint32_t judge) {
    if (seen_in_turn_[judge] != turn_stamp_) {
      seen_in_turn_[judge] = turn_stamp_;
      slot_in_turn_[judge] = static_cast<std::uint32_t>(turn_judges_.size());
      turn_judges_.push_back(judge);
    }
    return slot_in_turn_[judge];
  }

  // {"metric":N,...} of a verdict, made once per distinct verdict.
  std::string_view verdict_text(const std::uint8_t* verdict) {
    std::string* text = &scratch_verdict_;
    if (!verdict_texts_.empty()) {
      std::size_t code = 0;
      for (std::size_t m = 0; m < metrics_; ++m) code = code * 3 + verdict[m];
      text = &verdict_texts_[code];
      if (!text->empty()) return *text;
    }
    text->assign("{");
    for (std::size_t m = 0; m < metrics_; ++m) {
      if (m) *text += ',';
      *text += metric_keys_[m];
      *text += static_cast<char>('0' + verdict[m]);
    }
    *text += '}';
    return *text;
  }

  // A number rounded to 4 decimals, or null (at most number_bound bytes);
  // formatted by append_json_number once per distinct value (a small
  // direct-mapped cache of its bytes, keyed by the unrounded value).
  void number(char*& p, const std::optional<double>& value) {
    if (!value) {
      std::memcpy(p, "null", 4);
      p += 4;
      return;
    }
    std::uint64_t bits;
    std::memcpy(&bits, &*value, sizeof bits);
    // Fibonacci hashing: the top bits of bits x 2^64/phi (the low bits of round
    // numbers like 62.5 are all zero, and their top bits alike).
    NumberText& slot = numbers_[(bits * 0x9E3779B97F4A7C15ULL) >> (64 - number_slots_log2)];
    if (slot.size == 0 || slot.bits != bits) {
      prefline::Buffer text;
      prefline::append_json_number(text, round4(*value));
      slot.bits = bits;
      slot.size = static_cast<std::uint8_t>(text.size());  // a 4-decimal double: at most 24 bytes
      std::memcpy(slot.text, text.data(), text.size());
    }
    std::memcpy(p, slot.text, number_bound);  // whole slots: a fixed-size copy
    p += slot.size;
  }

  static constexpr std::size_t number_bound = 32;
  struct NumberText {
    std::uint64_t bits = 0;
    std::uint8_t size = 0;
    char text[number_bound];
  };

  std::size_t metrics_;
  prefline::duel::Scorer scorer_;
  std::vector<std::string> metric_keys_;   // "name": per metric
  std::vector<std::string> verdict_texts_; // per verdict code (metrics <= 8), made on first use
  std::string scratch_verdict_;            // the verdict text when there are more metrics
  std::size_t verdict_bound_ = 0, fixed_bound_ = 0;
  static constexpr int number_slots_log2 = 10;
  std::array<NumberText, std::size_t{1} << number_slots_log2> numbers_{};
  std::vector<std::uint64_t> seen_in_turn_;
  std::vector<std::uint32_t> slot_in_turn_;
  std::uint64_t turn_stamp_ = 0;
  std::vector<std::uint32_t> turn_judges_;  // the turn's panel: judge numbers
  std::vector<Vote> local_votes_;           // the turn's votes, judges as panel slots
};

// Turns judged in this run (or found on records while judges are asked),
// written by one thread, with the run's judge numbers.
class DuelWriter {
 public:
  DuelWriter(const Settings& settings, std::size_t min_judges)
      : metrics_(settings.metrics.size()), formatter_(settings, min_judges) {}

  // Judges numbered by the registry, in number order.
  void add_judges(std::vector<std::string>& names) {
    for (auto& name : names) {
      texts_.add(name);
      names_.push_back(std::move(name));
    }
    names.clear();
    totals_.resize(names_.size(), metrics_);
  }

  void write(prefline::Output& out, const prefline::JsonlLine& line, bool has_duel, const Vote* votes,
             std::size_t count, const std::uint8_t* values, std::size_t panel,
             simdjson::ondemand::parser& overwrite_parser) {
    ++totals_.done;
    const RecordHead head = record_head(line, has_duel, overwrite_parser, stripped_);
    const auto& score = formatter_.write(out.buffer(), head.text, head.empty_object, votes, count, values, panel, texts_);
    tallies_.clear();
    tallies_.add(score, formatter_.turn_judges(), metrics_);
    totals_.add(tallies_, nullptr, metrics_);
    out.maybe_flush();
  }

  DuelTotals& totals() { return totals_; }
  const std::vector<std::string>& judges() const { return names_; }

 private:
  std::size_t metrics_;
  TurnFormatter formatter_;
  JudgeTexts texts_;
  std::vector<std::string> names_;  // per judge number
  Tallies tallies_;
  DuelTotals totals_;
  std::string stripped_;  // record_head's
};

// ---------------------------------------------------------------------------

class DuelRun {
 public:
  DuelRun(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), counters_(std::max<std::size_t>(settings.judges.size(), 1)),
        cache_(options.cache), writer_(settings, static_cast<std::size_t>(options.min_judges)) {
    for (const auto& judge : settings.judges) registry_.intern(judge.name);  // numbers 0..panel-1
    std::vector<std::string> panel;
    registry_.take_fresh(panel);
    writer_.add_judges(panel);
  }

  void run() {
    prefline::Output out;
    out.open(options_.common.output);
    prefline::BadRecords bad(options_.common);
    prefline::Progress progress(std::string(tool), options_.common.quiet);
    start_workers();
    simdjson::dom::parser parser;
    std::uint64_t index = 0;
    // Aggregate-only: no calls, so no window. This thread cuts the input
    // into chunks of records; parse workers read the judgements of whole
    // chunks; one more thread takes the chunks in input order to number the
    // judges, report bad records, score and write.
    // The names outlive the chunks, which point at them until they are written.
    const std::vector<std::string> inputs = prefline::inputs_or_stdin(options_.common.files);
    std::optional<prefline::OrderedPool<Chunk>> chunks;
    if (settings_.judges.empty()) {
      const std::size_t workers = prefline::parse_workers();
      for (std::size_t w = 0; w < workers; ++w)
        formatters_.push_back(std::make_unique<TurnFormatter>(settings_, static_cast<std::size_t>(options_.min_judges)));
      chunks.emplace(
          workers, [&](Chunk& chunk, std::size_t worker) { parse_chunk(chunk, worker); },
          [&](Chunk& chunk) { write_chunk(chunk, out, bad, progress); });
    }
    std::vector<std::string_view> names;  // read_turn's scratch
    try {
      for (std::size_t file_index = 0; file_index < inputs.size(); ++file_index) {
        const std::string& name = inputs[file_index];
        prefline::InputFile input(name);
        if (chunks) {
          prefline::LineBlockReader reader(input);
          for (;;) {
            prefline::LineBlock& block = chunks->current().block;
            block.file = name;
            block.file_index = file_index;
            if (!reader.fill(block)) break;
            chunks->submit();
          }
          continue;
        }
        prefline::JsonlReader lines(input);
        prefline::JsonlLine line;
        while (lines.next(line)) {
          auto turn = std::make_unique<Turn>();
          turn->file = name;
          turn->line = line.number;
          turn->text = simdjson::padded_string(line.text);
          VoteSink sink{registry_, turn->votes, turn->values, names};
          Parsed parsed = read_turn(parser, turn->text, options_, settings_, sink);
          turn->has_duel = parsed.has_duel;
          if (!parsed.reason.empty()) {
            turn->bad = parsed.reason;
          } else if (parsed.has_judgements) {
            // scored as found on the record
          } else {
            plan_calls(*turn, parsed, index);
          }
          ++index;
          Turn* raw = turn.get();
          {
            std::unique_lock lock(mutex_);
            window_.push_back(std::move(turn));
          }
          submit_calls(raw);
          drain(out, bad, progress, false);
          progress.tick();
        }
      }
      drain(out, bad, progress, true);
      if (chunks) chunks->finish();
    } catch (...) {
      stop_workers();
      throw;
    }
    stop_workers();
    progress.finish();
    if (options_.print_prompts) out.buffer().append(prompts_.view());
    // Every output is written to the end (a full disk shows here) before any
    // is published: a failure leaves none of them behind.
    out.finish_writing();
    bad.finish_writing();
    prefline::Output summary;
    const std::string summary_line = write_summary(summary);
    bad.commit_rejects();
    summary.commit();
    out.commit();
    bad.finish(tool);
    if (!summary_line.empty()) fmt::print(stderr, "{}", summary_line);
    if (options_.require_accept && !accepted_) throw prefline::DataError("the duel is not accepted (--require-accept)");
  }

 private:
  // The calls of one turn: per judge, per order; prompts built now.
  void plan_calls(Turn& turn, const Parsed& parsed, std::uint64_t index) {
    if (options_.print_prompts) turn.has_duel = false;
    const std::string answer_a = prefline::duel::neutralise(parsed.answer_a, settings_.metrics);
    const std::string answer_b = prefline::duel::neutralise(parsed.answer_b, settings_.metrics);
    const std::string boundary = prefline::duel::boundary_for(answer_a, answer_b, options_.seed);
    std::vector<Order> orders;
    if (settings_.orders == OrderMode::both) orders = {Order::ab, Order::ba};
    else if (settings_.orders == OrderMode::ab) orders = {Order::ab};
    else orders = {index % 2 == 0 ? Order::ab : Order::ba};
    for (std::size_t j = 0; j < settings_.judges.size(); ++j) {
      for (Order order : orders) {
        const bool ab = order == Order::ab;
        Judgement judgement;
        judgement.judge = settings_.judges[j].name;
        judgement.order = order;
        turn.judgements.push_back(judgement);
        pending_calls_.push_back({&turn, turn.judgements.size() - 1, j,
                                  prefline::duel::fill_template(settings_.prompt_template, parsed.context,
                                                                ab ? answer_a : answer_b, ab ? answer_b : answer_a,
                                                                boundary, settings_.metrics),
                                  next_call_id_++});
      }
    }
    turn.pending = static_cast<int>(pending_calls_.size());
  }

  void submit_calls(Turn* turn) {
    (void)turn;
    if (pending_calls_.empty()) return;
    {
      std::lock_guard lock(mutex_);
      for (auto& call : pending_calls_) queue_.push_back(std::move(call));
    }
    pending_calls_.clear();
    work_.notify_all();
  }

  // Writes every finished turn at the front of the window; with `all`, or
  // while the window is full, waits for the front one.
  void drain(prefline::Output& out, prefline::BadRecords& bad, prefline::Progress& progress, bool all) {
    (void)progress;
    for (;;) {
      std::unique_ptr<Turn> turn;
      {
        std::unique_lock lock(mutex_);
        if (window_.empty()) return;
        const bool must_wait = all || window_.size() >= static_cast<std::size_t>(options_.window);
        if (window_.front()->pending.load() > 0) {
          if (!must_wait) return;
          done_.wait(lock, [&] { return window_.front()->pending.load() == 0; });
        }
        turn = std::move(window_.front());
        window_.pop_front();
      }
      emit(*turn, out, bad);
    }
  }

  void emit(Turn& turn, prefline::Output& out, prefline::BadRecords& bad) {
    if (!turn.bad.empty()) {
      bad.handle(turn.file, turn.line, turn.bad, std::string_view(turn.text.data(), turn.text.size()));
      return;
    }
    if (options_.print_prompts) return;  // the prompts were written by the workers' planner
    // The panel's answers become votes like those found on records.
    const std::size_t metrics = settings_.metrics.size();
    for (const auto& judgement : turn.judgements) {
      Vote vote;
      vote.judge = registry_.intern(judgement.judge);
      vote.order = judgement.order;
      vote.values = static_cast<std::uint32_t>(turn.values.size());
      turn.values.resize(turn.values.size() + metrics);
      if (judgement.verdict) {
        vote.has_verdict = true;
        std::copy(judgement.verdict->begin(), judgement.verdict->end(), turn.values.begin() + vote.values);
      } else {
        vote.error = judgement.error;
      }
      turn.votes.push_back(vote);
    }
    std::vector<std::string> fresh;
    registry_.take_fresh(fresh);
    writer_.add_judges(fresh);
    const prefline::JsonlLine line{std::string_view(turn.text.data(), turn.text.size()), turn.line,
                                   turn.text.size() + simdjson::SIMDJSON_PADDING};
    writer_.write(out, line, turn.has_duel, turn.votes.data(), turn.votes.size(), turn.values.data(),
                  settings_.judges.size(), overwrite_parser_);
  }

  // A block of aggregate-only records (one input's, in input order). A parse
  // worker reads, scores and writes its turns, with the judges numbered per
  // block in order of first appearance; then the writing thread, block after
  // block in input order, maps those numbers to the run's, adds the tallies
  // to the totals, and writes the output with each bad record reported in
  // its place.
  struct Chunk {
    struct Bad {
      std::size_t piece;    // the output pieces before the record
      std::uint64_t line;   // in the block, from 1
      std::string_view text;
      std::string reason;
    };
    // The output is pieces of the block (the records up to their closing
    // brace, not copied) and of `output` (the rest of each judged turn).
    struct Piece {
      const char* block_bytes;   // null: in output
      std::size_t offset, size;  // offset: in output (which may still move)
    };
    prefline::LineBlock block;
    std::uint64_t lines = 0;    // physical lines of the block, blank ones included
    std::uint64_t records = 0;  // the non-blank ones
    prefline::Buffer output;
    std::vector<Piece> pieces;
    std::vector<Bad> bad;

    void add_block_piece(std::string_view bytes) { pieces.push_back({bytes.data(), 0, bytes.size()}); }
    // output[begin, output.size()) is the next piece.
    void add_output_piece(std::size_t begin) {
      if (!pieces.empty() && pieces.back().block_bytes == nullptr && pieces.back().offset + pieces.back().size == begin)
        pieces.back().size = output.size() - pieces.back().offset;
      else
        pieces.push_back({nullptr, begin, output.size() - begin});
    }
    Tallies tallies;
    JudgeRegistry judges;
    std::vector<std::string> judge_names;  // by the block's number
    void clear() {
      block.clear();
      lines = records = 0;
      output.clear();
      pieces.clear();
      bad.clear();
      tallies.clear();
      judges = JudgeRegistry();
      judge_names.clear();
    }
  };

  // On parse worker number `worker`.
  void parse_chunk(Chunk& chunk, std::size_t worker) {
    thread_local simdjson::dom::parser parser;
    thread_local simdjson::ondemand::parser overwrite_parser;
    thread_local std::vector<std::string_view> names;
    thread_local std::vector<Vote> votes;
    thread_local std::vector<std::uint8_t> values;
    thread_local std::vector<std::string> fresh;
    thread_local JudgeTexts texts;
    TurnFormatter& formatter = *formatters_[worker];
    texts.clear();
    const std::size_t panel = settings_.judges.size(), metrics = settings_.metrics.size();
    thread_local std::string stripped;
    chunk.lines = chunk.block.for_each_line([&](const prefline::JsonlLine& line) {
      if (prefline::is_blank_line(line.text)) return;
      ++chunk.records;
      votes.clear();
      values.clear();
      VoteSink sink{chunk.judges, votes, values, names};
      Parsed parsed = read_turn(parser, line.text, options_, settings_, sink);
      if (!parsed.reason.empty()) {
        chunk.bad.push_back({chunk.pieces.size(), line.number, line.text, std::move(parsed.reason)});
        return;
      }
      chunk.judges.take_fresh(fresh);
      for (auto& name : fresh) {
        texts.add(name);
        chunk.judge_names.push_back(std::move(name));
      }
      fresh.clear();
      const RecordHead head = record_head(line, parsed.has_duel, overwrite_parser, stripped);
      // A record with its old "duel" cut out is a copy: it goes to the output.
      const bool in_block = !parsed.has_duel;
      if (in_block) chunk.add_block_piece(head.text);
      const std::size_t begin = chunk.output.size();
      const auto& score = formatter.write(chunk.output, in_block ? std::string_view() : head.text, head.empty_object,
                                          votes.data(), votes.size(), values.data(), panel, texts);
      chunk.add_output_piece(begin);
      chunk.tallies.add(score, formatter.turn_judges(), metrics);
    });
  }

  // On the writing thread, block after block in input order.
  void write_chunk(Chunk& chunk, prefline::Output& out, prefline::BadRecords& bad, prefline::Progress& progress) {
    if (chunk.block.file_index != line_file_) {
      line_file_ = chunk.block.file_index;
      line_base_ = 0;
    }
    chunk_to_run_.clear();
    for (const auto& judge : chunk.judge_names) chunk_to_run_.push_back(registry_.intern(judge));
    registry_.take_fresh(fresh_judges_);
    writer_.add_judges(fresh_judges_);
    DuelTotals& totals = writer_.totals();
    totals.done += chunk.records - chunk.bad.size();
    totals.add(chunk.tallies, chunk_to_run_.data(), settings_.metrics.size());
    pieces_.clear();
    for (const auto& piece : chunk.pieces)
      pieces_.push_back({const_cast<char*>(piece.block_bytes ? piece.block_bytes : chunk.output.data() + piece.offset),
                         piece.size});
    std::size_t written = 0;
    for (const auto& record : chunk.bad) {
      out.write(pieces_.data() + written, record.piece - written);
      written = record.piece;
      bad.handle(chunk.block.file, line_base_ + record.line, record.reason, record.text);
    }
    out.write(pieces_.data() + written, pieces_.size() - written);
    line_base_ += chunk.lines;
    progress.tick(chunk.records);
  }

  // Writes the --summary file into `summary` (left unpublished: the caller
  // commits it) and returns the summary's line for standard error.
  std::string write_summary(prefline::Output& summary) {
    if (options_.print_prompts) return {};
    const std::size_t metrics = settings_.metrics.size();
    const auto& totals = writer_.totals();
    const auto& judges = writer_.judges();
    const std::size_t n = totals.deltas.size();
    const double valid_frac = totals.done == 0 ? 0 : static_cast<double>(n) / static_cast<double>(totals.done);
    double weight_sum = 0;
    for (double w : settings_.weights) weight_sum += w;
    // challenger_score: per judge and metric, the mean points over valid
    // turns; then the weighted mean over metrics and the mean over judges.
    double challenger = 0;
    std::size_t judges_with_turns = 0;
    std::vector<double> by_metric(metrics, 0);
    std::vector<std::size_t> by_metric_judges(metrics, 0);
    for (std::size_t j = 0; j < judges.size(); ++j) {
      if (totals.point_counts[j] == 0) continue;
      double judge = 0;
      for (std::size_t m = 0; m < metrics; ++m) {
        const double mean = totals.point_sums[j * metrics + m] / static_cast<double>(totals.point_counts[j]);
        judge += settings_.weights[m] * mean;
        by_metric[m] += mean;
        ++by_metric_judges[m];
      }
      challenger += judge / weight_sum;
      ++judges_with_turns;
    }
    const bool any = judges_with_turns > 0;
    const double challenger_score = any ? 100 * challenger / static_cast<double>(judges_with_turns) : std::nan("");
    const double king_score = any ? 100 - challenger_score : std::nan("");
    const double win_margin = challenger_score - king_score;
    const bool margin_ok = any && win_margin >= options_.win_margin;
    double mean_delta = std::nan(""), se = std::nan("");
    if (n > 0) {
      double sum = 0;
      for (double d : totals.deltas) sum += d;
      mean_delta = sum / static_cast<double>(n);
      double squares = 0;
      for (double d : totals.deltas) squares += (d - mean_delta) * (d - mean_delta);
      se = n > 1 ? std::sqrt(squares / static_cast<double>(n - 1)) / std::sqrt(static_cast<double>(n)) : 0;
    }
    const double lcb = prefline::duel::bootstrap_lcb(totals.deltas, options_.bootstrap, options_.alpha, options_.seed);
    const bool accepted = valid_frac >= options_.min_valid_frac && margin_ok && n > 0 && lcb > 0;
    const std::string winner = !any ? "none" : win_margin > 0 ? "challenger" : win_margin < 0 ? "king" : "tie";
    accepted_ = accepted;

    if (!options_.summary.empty()) {
      summary.open(options_.summary);
      prefline::JsonWriter json(summary.buffer());
      auto number = [&](double value) {
        if (std::isnan(value)) json.null(); else json.number(round4(value));
      };
      json.begin_object();
      json.key(summary_schema::n_done).integer(static_cast<std::int64_t>(totals.done));
      json.key(summary_schema::n_valid).integer(static_cast<std::int64_t>(n));
      json.key(summary_schema::valid_frac);
      number(valid_frac);
      json.key(summary_schema::challenger_score);
      number(challenger_score);
      json.key(summary_schema::king_score);
      number(king_score);
      json.key(duel_schema::by_judge).begin_object();
      for (std::size_t j = 0; j < judges.size(); ++j) {
        json.key(judges[j]);
        number(totals.point_counts[j] ? totals.judge_score_sums[j] / static_cast<double>(totals.point_counts[j])
                                             : std::nan(""));
      }
      json.end_object();
      json.key(duel_schema::by_metric).begin_object();
      for (std::size_t m = 0; m < metrics; ++m) {
        json.key(settings_.metrics[m].name);
        number(by_metric_judges[m] ? 100 * by_metric[m] / static_cast<double>(by_metric_judges[m]) : std::nan(""));
      }
      json.end_object();
      json.key(summary_schema::winner).string(winner);
      json.key(summary_schema::win_margin);
      number(win_margin);
      json.key(summary_schema::margin_ok).boolean(margin_ok);
      json.key(summary_schema::mean_delta);
      number(mean_delta);
      json.key(summary_schema::lcb);
      number(lcb);
      json.key(summary_schema::se);
      number(se);
      json.key(summary_schema::min_valid_frac).number(options_.min_valid_frac);
      json.key(summary_schema::accepted).boolean(accepted);
      json.key(summary_schema::judges).begin_array();
      for (std::size_t j = 0; j < settings_.judges.size(); ++j) {
        json.begin_object();
        json.key(judge_schema::name).string(settings_.judges[j].name);
        json.key(judge_schema::model).string(settings_.judges[j].model);
        json.key(summary_schema::calls).integer(static_cast<std::int64_t>(counters_[j].calls.load()));
        json.key(summary_schema::retries).integer(static_cast<std::int64_t>(counters_[j].retries.load()));
        json.key(summary_schema::parse_failures).integer(static_cast<std::int64_t>(counters_[j].parse_failures.load()));
        json.key(summary_schema::failures).integer(static_cast<std::int64_t>(counters_[j].failures.load()));
        json.end_object();
      }
      json.end_array();
      json.end_object();
      json.end_record();
      summary.finish_writing();
    }
    auto show = [](double value) { return std::isnan(value) ? std::string("n/a") : fmt::format("{:.2f}", value); };
    return fmt::format("{}: {} turns, {} valid ({}); challenger {} vs king {} (margin {}); mean delta {}, lcb {}; {}\n",
                       tool, totals.done, n, show(valid_frac), show(challenger_score), show(king_score),
                       show(win_margin), show(mean_delta), show(lcb), accepted ? "accepted" : "not accepted");
  }

  // ---- workers ----------------------------------------------------------

  void start_workers() {
    if (settings_.judges.empty()) return;
    const int threads = options_.print_prompts ? 1 : options_.concurrency;
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }

  void stop_workers() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
  }

  void work() {
    Asker asker(options_, settings_, counters_);
    for (;;) {
      Call call;
      {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        call = std::move(queue_.front());
        queue_.pop_front();
      }
      Judgement& judgement = call.turn->judgements[call.slot];
      if (options_.print_prompts) {
        print_prompt(judgement, call.prompt);
      } else {
        judge_call(asker, call, judgement);
      }
      {
        std::lock_guard lock(mutex_);
        --call.turn->pending;
      }
      done_.notify_all();
    }
  }

  void judge_call(Asker& asker, const Call& call, Judgement& judgement) {
    const Judge& judge = settings_.judges[call.judge];
    for (int attempt = 0; attempt <= options_.parse_retries; ++attempt) {
      const std::string key = cache_.enabled() ? ReplyCache::key(judge, attempt, call.prompt) : std::string();
      std::optional<std::string> cached = cache_.enabled() ? cache_.find(key) : std::nullopt;
      std::string reply;
      if (cached) {
        reply = std::move(*cached);
      } else {
        const Reply answer = asker.ask(judge, call.judge, call.prompt, call.id * 16 + static_cast<std::uint64_t>(attempt));
        if (!answer.ok) {
          ++counters_[call.judge].failures;
          judgement.error = answer.error;
          return;
        }
        reply = answer.text;
        if (cache_.enabled()) cache_.store(key, reply);
      }
      judgement.verdict = prefline::duel::parse_reply(reply, settings_.metrics);
      if (judgement.verdict) {
        judgement.error.clear();
        return;
      }
      ++counters_[call.judge].parse_failures;
      judgement.error = "unparsed reply";
    }
  }

  void print_prompt(const Judgement& judgement, const std::string& prompt) {
    prefline::Buffer line;
    prefline::JsonWriter json(line);
    json.begin_object();
    json.key(duel_schema::judge).string(judgement.judge);
    json.key(duel_schema::order).string(prefline::duel::order_name(judgement.order));
    json.key(duel_schema::prompt).string(prompt);
    json.end_object();
    json.end_record();
    std::lock_guard lock(print_mutex_);
    prompts_.append(line.view());
  }

 public:
 private:
  const Options& options_;
  const Settings& settings_;
  std::vector<JudgeCounters> counters_;
  ReplyCache cache_;
  JudgeRegistry registry_;  // used by the reading thread (aggregate-only: by the writing thread)
  std::vector<std::uint32_t> chunk_to_run_;  // write_chunk's scratch: a chunk's judge numbers -> the run's
  std::vector<std::string> fresh_judges_;    // write_chunk's scratch
  std::size_t line_file_ = SIZE_MAX;          // write_chunk: the input of the last block,
  std::uint64_t line_base_ = 0;               // and its lines before the next block
  std::vector<std::unique_ptr<TurnFormatter>> formatters_;  // per parse worker (aggregate-only)
  std::vector<iovec> pieces_;                                // write_chunk's scratch
  DuelWriter writer_;       // used by the writing thread (the reading one when judges are asked)
  bool accepted_ = false;

  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::deque<Call> queue_;
  std::deque<std::unique_ptr<Turn>> window_;
  std::vector<Call> pending_calls_;
  std::uint64_t next_call_id_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  simdjson::ondemand::parser overwrite_parser_;
  std::mutex print_mutex_;
  prefline::Buffer prompts_;  // --print-prompts: in call order (one worker)
};

void run(const Options& options) {
  const Settings settings = make_settings(options);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  DuelRun duel(options, settings);
  duel.run();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, help, argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--judges", options.judges_file);
        app.add_option("--judge", options.judge_specs)->allow_extra_args(false);
        app.add_option("--concurrency", options.concurrency);
        app.add_option("--timeout", options.timeout);
        app.add_option("--max-retries", options.max_retries);
        app.add_option("--retry-base", options.retry_base);
        app.add_option("--parse-retries", options.parse_retries);
        app.add_option("--window", options.window);
        app.add_option("--cache", options.cache);
        app.add_flag("--print-prompts", options.print_prompts);
        app.add_option("--template", options.template_file);
        app.add_option("--metrics", options.metrics);
        app.add_option("--a", options.a);
        app.add_option("--b", options.b);
        app.add_option("--context", options.context);
        app.add_flag("--overwrite", options.overwrite);
        app.add_option("--orders", options.orders);
        app.add_option("--metric-weight", options.metric_weights);
        app.add_option("--min-judges", options.min_judges);
        app.add_option("--summary", options.summary);
        app.add_option("--win-margin", options.win_margin);
        app.add_option("--bootstrap", options.bootstrap);
        app.add_option("--alpha", options.alpha);
        app.add_option("--min-valid-frac", options.min_valid_frac);
        app.add_option("--seed", options.seed);
        app.add_flag("--require-accept", options.require_accept);
      },
      [&] { run(options); });
}
