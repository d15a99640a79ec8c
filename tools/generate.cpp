// generate: N candidate answers per prompt from OpenAI-compatible endpoints
// or local commands, over a grid of models x system prompts x temperatures
// x samples; records out in input order, resumable from a cache, and
// round-trippable through the OpenAI Batch API format.
//
// The story: options -> settings (make_settings); read the prompt records
// one by one (read_prompt); each record's answers are tasks of a call window
// (--concurrency workers, --window records in flight); a worker asks for one
// answer (or, with --distinct, one cell's samples in turn), retrying what
// the filters reject with a new seed; finished records leave in input order
// (or completion order) and are written with their answers spliced in.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/concurrency/call_window.hpp"
#include "prefline/generate/batch.hpp"
#include "prefline/generate/fenced_files.hpp"
#include "prefline/generate/grid.hpp"
#include "prefline/generate/leak_check.hpp"
#include "prefline/generate/normalise.hpp"
#include "prefline/generate/prompt_record.hpp"
#include "prefline/generate/reply_filter.hpp"
#include "prefline/generate/run_stats.hpp"
#include "prefline/generate/template.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"
#include "prefline/llm/chat_request.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/llm/rate_limiter.hpp"
#include "prefline/llm/reply_cache.hpp"
#include "prefline/llm/retry_policy.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/thinking.hpp"

namespace {

namespace gen = prefline::generate;
namespace llm = prefline::llm;
namespace field = prefline::schema::generation;

constexpr std::string_view tool = "generate";

constexpr std::string_view help_head = R"(Usage: generate [OPTIONS] [FILE...]

Ask models for answers to prompts: every model x system prompt x
temperature, --samples answers each. Reads prompt records (JSON Lines) from
the FILEs or standard input; writes one record per answer, in input order:
the prompt record's bytes unchanged, then the answer (--as) and a
"generation" object.

Prompts:
      --messages FIELD    the conversation to continue: an array of {"role",
                          "content"} (default messages; content may be a
                          string, null, or a list of {"text"} parts)
      --prompt FIELD      used when a record has no messages: a string, sent
                          as the user's message (default prompt)
      --template FILE     build the user message from record fields:
                          {{field}} or {{a.b}} (a string inserted as is, other
                          values as JSON; a missing field makes the record
                          bad, named with its line; \{{ is a literal {{; the
                          file's final line end is not part of it). It
                          follows the record's messages when it has any
      --system FILE       named system prompts, JSON Lines {"name",
                          "content"}: each is one more variant of every
                          question (it replaces a system message the record
                          has). Default: no system message
      --system-template FILE  one system message built from record fields
      --key FIELDS        fields whose values identify a prompt for its seeds
                          (default: the record's messages or prompt, and the
                          --template message; never the --system variant)

Models:
      --only NAMES        ask only these models of --models (comma-separated
                          names), e.g. the king's model of a shared file
      --model NAME=URL#MODEL  an OpenAI-compatible endpoint (repeatable): URL
                          the base (http://host:8000/v1; /chat/completions is
                          added), MODEL the model id sent
      --models FILE       a JSON array of models, each {"name", "url" (or
                          "base_url") + "model" [+ "api_key_env" (the NAME of
                          the environment variable holding the key),
                          "max_tokens", "extra_body" {...} (members added to
                          every request, e.g. {"stop": ["\n\n"]}),
                          "concurrency" (calls in flight to it), "rpm"
                          (requests per minute), "tpm" (tokens per minute),
                          "timeout"]} or {"name", "command": [argv...],
                          "command_input": "prompt"|"request"} (a local
                          program: the prompt, or the request JSON, on stdin;
                          the reply, or a chat completion, on stdout; it runs
                          in the folder of FILE)

Grid:
      --samples N         answers per model, variant and temperature (default 1)
      --temperature LIST  temperatures, e.g. 0.2,0.7,1.0 (default 1.0)
      --top-p X           sent when given (default: not sent)
      --max-tokens N      (default: each model's max_tokens, else 1024)
      --seed N            (default 0). Each request carries a seed: the low 31
                          bits of XXH3-64 (seeded with N) of the prompt's key,
                          the model's name, the variant's name, the
                          temperature, the sample and the try: a rerun asks
                          exactly the same questions

Answers:
      --as FIELD          the answer's field (default response; e.g. king,
                          challenger)
      --generation-field FIELD  where the call's details go (default
                          generation). Chaining two runs (--as king, then --as
                          challenger) needs a second name, e.g.
                          challenger_generation
      --model-field FIELD also write the model's name at the top level, under
                          FIELD (e.g. model: the candidate field consensus
                          and pairup key answers by)
      --files             the answer is a map of files {"index.html": ...},
                          read from the reply's bold file names each followed
                          by a fenced code block (**index.html** then
                          ```html ... ```); a reply without them is rejected
                          (rule files)
      --overwrite         replace the --as, --generation-field and
                          --model-field fields a record has (otherwise such a
                          record is bad)

Filters (a rejected reply is asked again with the next try's seed, up to
--filter-retries times; then its record goes to --rejects with
"rejected": {"rule", "detail"}, counted, never written to the output):
      --strip-thinking    remove <think>...</think> and <thinking>...
                          </thinking> blocks (an unclosed one to the end) and
                          the whitespace around the rest, before the filters
                          and in the output
      --reject-regex RE   reject a reply in which RE (ECMAScript) matches
                          anywhere (repeatable), e.g. '^<tool_call>'
      --min-chars N       reject replies of fewer than N characters (Unicode
                          code points; exactly N passes)
      --max-chars N       reject replies of more than N characters (exactly N
                          passes)
      --require-json      reject a reply holding no JSON object (the whole
                          reply, a ```json block, or a {...} inside prose)
      --filter-retries N  (default 2)
      --distinct          an answer identical (after collapsing whitespace) to
                          an earlier sample of the same prompt, model, variant
                          and temperature is asked again (counted as a
                          filter retry); without it, or when the retries run
                          out, it is written with "duplicate_of": SAMPLE
      --leak-check FIELD  the hidden reference (e.g. commit.patch): a reply
                          that repeats --leak-ngram consecutive words of it
                          gets "leak": true (words: runs of non-space, ASCII
                          lowercased, punctuation at their ends removed)
      --leak-ngram N      (default 12)

Calls:
      --concurrency N     calls in flight (default 16); a model's own
                          "concurrency" caps its share
      --window N          prompt records in flight (default 1024): the output
                          stays in input order and memory bounded; a slow or
                          dead endpoint holds back the others' output only
                          beyond this many records
      --unordered         write each record as soon as its answers are in
                          (completion order)
      --timeout S         seconds per request (default 120)
      --max-retries N     retries after a network error, timeout, HTTP 429
                          (Retry-After honoured), 5xx, or a 200 whose body is
                          not a chat completion (default 6). Wait before retry
                          k (0-based): min(retry-base x 2^k, 30 s) x (0.5 + 0.5
                          u), u from splitmix64 seeded with --seed and the
                          call, or Retry-After if longer
      --retry-base S      (default 0.5)
      --cache DIR         keep every reply in DIR, one file per call named by
                          a hash of the request body (model, messages,
                          sampling, seed) and the sample, written atomically:
                          a rerun, even after kill -9, asks only for what is
                          missing and writes the same output (except
                          "cached"); failed calls are never kept; runs may
                          share DIR

Batch (OpenAI Batch API, vLLM run-batch):
      --emit-batch FILE   write the requests to FILE (lines {"custom_id",
                          "method", "url", "body"}) instead of calling; no
                          other output. custom_id: pRECORD/NAME/VARIANT/tT/sS
      --from-batch FILE   take the answers from a batch output file (lines
                          {"custom_id", "response": {"status_code", "body"},
                          "error"}), run with the same options and input as
                          --emit-batch; a reply rejected by a filter cannot
                          be asked again: it goes to --rejects

Statistics (--stats FILE, JSON; and the summary line on stderr):
      --stats FILE        prompts, answers, rejected, failed, duplicates,
                          leaks, calls, requests, cache_hits, asked_again,
                          retries and failures by cause, filtered by rule,
                          per model (calls, requests, cache hits, failures,
                          tokens, cost), cost, wall_seconds,
                          requests_per_second
      --price NAME=IN/OUT dollars per million prompt / completion tokens of
                          model NAME (repeatable), for the cost

)";

constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .rejects = "the records of rejected answers and failed calls, each with its reason; with --skip-invalid, also "
               "every skipped input line, byte for byte"};

constexpr std::string_view help_tail = R"(
The "generation" object, keys in this order: model (the model id), endpoint
(its name), temperature, top_p (null when not sent), max_tokens, system (the
variant's name, or null), sample (from 0), seed, finish_reason, usage
{prompt_tokens, completion_tokens} (null when the server gave none),
latency_ms (of the call that gave the answer), attempts (requests sent for
this answer, its retries and re-asks included; those of the original run
when it comes from the cache), cached; then "duplicate_of": SAMPLE on a
duplicate, "leak": true|false with --leak-check. In --rejects:
"rejected": {"rule", "detail"} or "error": "...".

API keys are read from the environment only and never written anywhere (not
in output, cache, batch files, rejects or messages). A call that still
fails after its retries puts its record's answer in --rejects with the
error; each model with failed calls is named on stderr, and the exit status
is 1 (the answers that came are written: rerun with the same --cache to ask
only for the missing ones). No record is ever written twice.

Exit status:
  0  success
  1  bad input ('generate: FILE:LINE: reason'), failed calls, or a runtime error
  2  bad option or model configuration (nothing is read)

Examples:
  generate --model local=http://127.0.0.1:8000/v1#Qwen2.5-7B-Instruct \
    --samples 4 --temperature 0.3,1.0 --cache .cache prompts.jsonl > answers.jsonl
  generate --models models.json --as king prompts.jsonl |
    generate --models models.json --as challenger --generation-field \
      challenger_generation --template challenger.md > duel-turns.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::string messages = "messages";
  std::string prompt = "prompt";
  std::string template_file, system_file, system_template_file, key;
  std::vector<std::string> model_specs;
  std::string models_file;
  std::string only;
  int samples = 1;
  std::string temperatures = "1.0";
  std::optional<double> top_p;
  std::optional<int> max_tokens;
  std::uint64_t seed = 0;
  std::string as = "response";
  std::string generation_field = "generation";
  std::string model_field;
  bool files = false;
  bool overwrite = false;
  bool strip_thinking = false;
  std::vector<std::string> reject_regex;
  std::optional<std::size_t> min_chars, max_chars;
  bool require_json = false;
  int filter_retries = 2;
  bool distinct = false;
  std::string leak_check;
  int leak_ngram = 12;
  int concurrency = 16;
  int window = 1024;
  bool unordered = false;
  double timeout = 120;
  int max_retries = 6;
  double retry_base = 0.5;
  std::string cache;
  std::string emit_batch, from_batch;
  std::string stats;
  std::vector<std::string> prices;
};

struct Settings {
  gen::Grid grid;
  std::vector<gen::Cell> cells;
  gen::PromptFields fields;
  std::optional<gen::Template> user_template, system_template;
  gen::ReplyFilter filter;
  std::optional<gen::LeakCheck> leak;
  llm::RetryPolicy retry;
  std::map<std::string, gen::Price> prices;
};

// A template file's text, without the one line end an editor puts at its end.
std::string read_text_file(std::string_view option, const std::string& path) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text))
    throw prefline::UsageError(fmt::format("{}: cannot read '{}'", option, path));
  std::string_view view(text.data(), text.size());
  if (view.ends_with("\r\n")) view.remove_suffix(2);
  else if (view.ends_with('\n')) view.remove_suffix(1);
  return std::string(view);
}

gen::Price parse_price(const std::string& spec, const std::vector<llm::Endpoint>& models, std::string& name) {
  const std::size_t equals = spec.find('='), slash = spec.find('/', equals == std::string::npos ? 0 : equals);
  if (equals == std::string::npos || slash == std::string::npos || equals == 0)
    throw prefline::UsageError(fmt::format("--price: expected NAME=IN/OUT (dollars per million tokens), got '{}'", spec));
  name = spec.substr(0, equals);
  if (std::none_of(models.begin(), models.end(), [&](const llm::Endpoint& m) { return m.name == name; }))
    throw prefline::UsageError(fmt::format("--price: no model is named '{}'", name));
  gen::Price price{prefline::parse_number("--price", std::string_view(spec).substr(equals + 1, slash - equals - 1)),
                   prefline::parse_number("--price", std::string_view(spec).substr(slash + 1))};
  if (price.input < 0 || price.output < 0) throw prefline::UsageError("--price: prices must be >= 0");
  return price;
}

// Every option checked before any input is read (usage errors exit 2).
Settings make_settings(const Options& options) {
  prefline::CommonOptions common = options.common;
  if (!common.skip_invalid) common.rejects.clear();  // --rejects also takes rejected answers: no --skip-invalid needed
  prefline::check_common_options(common);
  if (!options.common.rejects.empty() && options.common.rejects == options.common.output)
    throw prefline::UsageError(fmt::format("--rejects and --output name the same file '{}'", options.common.output));
  Settings settings;
  gen::Grid& grid = settings.grid;
  const llm::EndpointListNames names{"--models", "model"};
  if (!options.models_file.empty()) grid.models = llm::read_endpoint_file(options.models_file, names);
  if (!options.only.empty()) {
    if (options.models_file.empty()) throw prefline::UsageError("--only picks models of --models FILE: give it one");
    std::vector<llm::Endpoint> picked;
    for (const auto& name : prefline::parse_name_list("--only", options.only)) {
      const auto found = std::find_if(grid.models.begin(), grid.models.end(),
                                      [&](const llm::Endpoint& model) { return model.name == name; });
      if (found == grid.models.end()) {
        std::string known;
        for (const auto& model : grid.models) known += (known.empty() ? "" : ", ") + model.name;
        throw prefline::UsageError(
            fmt::format("--only: '{}' has no model named '{}' (it has {})", options.models_file, name, known));
      }
      picked.push_back(*found);
    }
    grid.models = std::move(picked);
  }
  for (const auto& spec : options.model_specs) grid.models.push_back(llm::parse_endpoint_spec(spec, "--model"));
  if (grid.models.empty())
    throw prefline::UsageError("no model: give --model NAME=URL#MODEL (repeatable) or --models FILE");
  llm::check_unique_names(grid.models, "model");
  for (auto& model : grid.models)
    if (options.max_tokens) model.max_tokens = *options.max_tokens;
  if (options.max_tokens && *options.max_tokens < 1) throw prefline::UsageError("--max-tokens must be 1 or more");
  if (options.samples < 1) throw prefline::UsageError("--samples must be 1 or more");
  grid.samples = static_cast<std::size_t>(options.samples);
  grid.temperatures = prefline::parse_number_list("--temperature", options.temperatures);
  if (grid.temperatures.empty()) throw prefline::UsageError("--temperature needs at least one value");
  for (std::size_t i = 0; i < grid.temperatures.size(); ++i) {
    if (grid.temperatures[i] < 0 || grid.temperatures[i] > 2)
      throw prefline::UsageError(fmt::format("--temperature: {} is outside 0..2", grid.temperatures[i]));
    for (std::size_t j = 0; j < i; ++j)
      if (grid.temperatures[i] == grid.temperatures[j])
        throw prefline::UsageError(fmt::format("--temperature: {} is given twice", grid.temperatures[i]));
  }
  if (options.top_p && !(*options.top_p > 0 && *options.top_p <= 1))
    throw prefline::UsageError("--top-p must be in (0, 1]");
  if (!options.system_file.empty() && !options.system_template_file.empty())
    throw prefline::UsageError("--system and --system-template exclude each other");
  if (!options.system_file.empty()) grid.systems = gen::read_system_file(options.system_file);
  if (!options.template_file.empty())
    settings.user_template = gen::Template::parse(read_text_file("--template", options.template_file), options.template_file);
  if (!options.system_template_file.empty())
    settings.system_template = gen::Template::parse(read_text_file("--system-template", options.system_template_file),
                                                    options.system_template_file);
  settings.cells = grid.cells();

  if (options.as.empty() || options.generation_field.empty() || options.as == options.generation_field)
    throw prefline::UsageError("--as and --generation-field must name two different fields");
  settings.fields.messages = options.messages;
  settings.fields.prompt = options.prompt;
  if (!options.key.empty()) settings.fields.key = prefline::parse_name_list("--key", options.key);
  settings.fields.leak = options.leak_check;
  settings.fields.answer = options.as;
  settings.fields.generation = options.generation_field;
  settings.fields.model_field = options.model_field;
  if (!options.model_field.empty() &&
      (options.model_field == options.as || options.model_field == options.generation_field))
    throw prefline::UsageError("--model-field must differ from --as and --generation-field");
  settings.fields.overwrite = options.overwrite;

  for (const auto& pattern : options.reject_regex) settings.filter.add_reject_regex(pattern);
  if (options.min_chars) settings.filter.set_min_chars(*options.min_chars);
  if (options.max_chars) settings.filter.set_max_chars(*options.max_chars);
  if (options.min_chars && options.max_chars && *options.min_chars > *options.max_chars)
    throw prefline::UsageError("--min-chars is larger than --max-chars: every reply would be rejected");
  settings.filter.set_require_json(options.require_json);
  if (options.filter_retries < 0) throw prefline::UsageError("--filter-retries must be 0 or more");
  if (options.leak_ngram < 1) throw prefline::UsageError("--leak-ngram must be 1 or more");
  if (!options.leak_check.empty()) settings.leak.emplace(static_cast<std::size_t>(options.leak_ngram));

  if (options.concurrency < 1 || options.concurrency > 4096) throw prefline::UsageError("--concurrency must be 1 to 4096");
  if (options.window < 1) throw prefline::UsageError("--window must be 1 or more");
  if (!(options.timeout > 0)) throw prefline::UsageError("--timeout must be > 0");
  if (options.max_retries < 0) throw prefline::UsageError("--max-retries must be 0 or more");
  if (!(options.retry_base >= 0)) throw prefline::UsageError("--retry-base must be >= 0");
  settings.retry = {options.max_retries, options.retry_base, 30, options.timeout, options.seed};

  if (!options.emit_batch.empty() && !options.from_batch.empty())
    throw prefline::UsageError("--emit-batch and --from-batch exclude each other (emit, run the batch, then read it)");
  if (!options.emit_batch.empty() || !options.from_batch.empty()) {
    for (const auto& model : grid.models)
      if (model.is_command())
        throw prefline::UsageError(fmt::format("model '{}' is a command: batch files are for HTTP endpoints", model.name));
    if (options.distinct)
      throw prefline::UsageError("--distinct asks again for duplicates, which a batch cannot: mark them instead");
    if (!options.cache.empty()) throw prefline::UsageError("--cache has no use with a batch file");
  }
  for (const auto& spec : options.prices) {
    std::string name;
    const gen::Price price = parse_price(spec, grid.models, name);
    if (!settings.prices.emplace(name, price).second)
      throw prefline::UsageError(fmt::format("--price: model '{}' is priced twice", name));
  }
  return settings;
}

// ---------------------------------------------------------------------------
// One prompt record in flight and its answers (cells x samples, in grid order).

struct Answer {
  llm::ChatResult reply;  // of the last call; reply.attempts: requests sent for this answer
  std::string text;       // after --strip-thinking
  std::vector<gen::FencedFile> files;
  std::uint64_t seed = 0;
  std::optional<gen::Rejection> rejected;
  int duplicate_of = -1;
  bool leak = false;
};

struct Prompt {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t number = 0;  // from 1, over all inputs (batch custom_ids)
  simdjson::padded_string text;
  gen::PromptRecord record;
  std::string system;  // from --system-template
  std::vector<Answer> answers;
  std::vector<std::size_t> pending;  // answers left to the workers (the others were in the cache)
  std::string bad;
};

// The request of one answer's try.
llm::ChatRequest make_request(const Settings& settings, const Prompt& prompt, const gen::Cell& cell, std::uint64_t seed) {
  const llm::Endpoint& model = settings.grid.models[cell.model];
  llm::ChatRequest request;
  const std::string& variant = settings.grid.systems[cell.system].text;
  const std::string& system = settings.system_template ? prompt.system : variant;
  const bool replace_system = !system.empty();
  if (replace_system) request.messages.push_back({"system", system});
  for (const auto& message : prompt.record.messages)
    if (!(replace_system && message.role == "system")) request.messages.push_back(message);
  request.max_tokens = model.max_tokens;
  request.temperature = cell.temperature;
  request.top_p = model.top_p;
  request.seed = seed;
  request.extra_body = model.extra_body;
  return request;
}

// ---------------------------------------------------------------------------
// Asking: per model, a slot count and a rate limiter; per worker, a client.

struct ModelGate {
  ModelGate(const llm::Endpoint& model, int default_slots)
      : slots(model.concurrency > 0 ? model.concurrency : default_slots), limiter(model.rpm, model.tpm) {}
  std::counting_semaphore<4096> slots;
  llm::RateLimiter limiter;
};

class Asker {
 public:
  Asker(const Options& options, const Settings& settings, gen::RunStats& stats)
      : options_(options), settings_(settings), stats_(stats),
        cache_(options.cache, llm::ReplyCache::Format::reply_json) {
    for (const auto& model : settings.grid.models)
      gates_.push_back(std::make_unique<ModelGate>(model, options.concurrency));
    if (!options.from_batch.empty()) batch_.load(options.from_batch);
  }

  int in_flight() const { return in_flight_.load(); }

  // Task `task` of a prompt: the answer prompt.pending[task], or with
  // --distinct the samples of cell `task` in turn.
  void run(llm::ChatClient& client, Prompt& prompt, std::size_t task) {
    const std::size_t samples = settings_.grid.samples;
    if (!options_.distinct) {
      const std::size_t index = prompt.pending[task];
      answer(&client, prompt, index / samples, index % samples);
      return;
    }
    for (std::size_t s = 0; s < samples; ++s) answer(&client, prompt, task, s);
  }

  // On the reading thread, before any worker: the answers whose every try
  // is in the cache (or the batch output) are made here, without a call and
  // without a hand-over to a worker (a fully cached rerun is then one
  // thread's loop); the others are left in prompt.pending for the workers.
  void answer_known(Prompt& prompt) {
    prompt.pending.clear();
    const std::size_t samples = settings_.grid.samples;
    const bool inline_possible = !options_.distinct && (cache_.enabled() || !options_.from_batch.empty());
    for (std::size_t i = 0; i < prompt.answers.size(); ++i)
      if (!inline_possible || !answer(nullptr, prompt, i / samples, i % samples)) prompt.pending.push_back(i);
  }

 private:
  // What one answer's tries did, counted only once the answer is made.
  struct Tally {
    std::size_t cache_hits = 0;
    std::uint64_t asked_again = 0;
    std::vector<std::string> filtered;
    std::vector<llm::ChatResult> batch_results;
  };

  // One answer: its tries until the filters accept one. Without a client
  // (the reading thread), only from the cache or the batch output: false,
  // and nothing changed, when a try would need a call.
  bool answer(llm::ChatClient* client, Prompt& prompt, std::size_t c, std::size_t sample) {
    const gen::Cell& cell = settings_.cells[c];
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    Answer out;
    Tally tally;
    const int tries = options_.from_batch.empty() ? options_.filter_retries + 1 : 1;
    int requests = 0;
    for (int attempt = 0; attempt < tries; ++attempt) {
      if (attempt > 0) ++tally.asked_again;
      out.seed = gen::request_seed(prompt.record.key, model.name, settings_.grid.systems[cell.system].name,
                                   cell.temperature, sample, attempt, options_.seed);
      const llm::ChatRequest request = make_request(settings_, prompt, cell, out.seed);
      std::optional<llm::ChatResult> reply = call(client, prompt, cell, sample, request, tally);
      if (!reply) return false;
      out.reply = std::move(*reply);
      requests += out.reply.attempts;
      if (!out.reply.ok) break;
      out.text = options_.strip_thinking ? trimmed(prefline::strip_thinking(out.reply.text)) : out.reply.text;
      out.rejected = check(out);
      if (!out.rejected && options_.distinct) {
        const std::string mine = gen::normalise_whitespace(out.text);
        for (std::size_t s = 0; s < sample && !out.rejected; ++s) {
          const Answer& earlier = prompt.answers[c * settings_.grid.samples + s];
          if (earlier.reply.ok && !earlier.rejected && gen::normalise_whitespace(earlier.text) == mine)
            out.rejected = gen::Rejection{"duplicate", fmt::format("the same as sample {}", s)};
        }
        if (out.rejected && attempt + 1 == tries) out.rejected.reset();  // kept, marked duplicate_of when written
      }
      if (!out.rejected) break;
      tally.filtered.push_back(out.rejected->rule);
    }
    out.reply.attempts = requests;
    if (out.reply.ok && !out.rejected && settings_.leak)
      out.leak = settings_.leak->find(prompt.record.reference, out.text).has_value();
    for (std::size_t h = 0; h < tally.cache_hits; ++h) stats_.count_cache_hit(cell.model);
    for (const auto& result : tally.batch_results) stats_.count_call(cell.model, result);
    for (const auto& rule : tally.filtered) stats_.count_filtered(rule);
    stats_.asked_again += tally.asked_again;
    prompt.answers[c * settings_.grid.samples + sample] = std::move(out);
    return true;
  }

  std::optional<gen::Rejection> check(Answer& out) const {
    if (auto rejection = settings_.filter.check(out.text)) return rejection;
    if (options_.files) {
      std::string error;
      out.files.clear();
      if (!gen::parse_fenced_files(out.text, out.files, error) || out.files.empty())
        return gen::Rejection{"files", error.empty() ? "no **name** line followed by a fenced code block" : error};
    }
    return std::nullopt;
  }

  static std::string trimmed(std::string text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    const std::size_t end = text.find_last_not_of(" \t\r\n");
    return text.substr(start, end - start + 1);
  }

  // The reply of one try: from the batch output, the cache, or (with a
  // client) a call; nullopt when there is no client and the cache lacks it.
  std::optional<llm::ChatResult> call(llm::ChatClient* client, const Prompt& prompt, const gen::Cell& cell,
                                      std::size_t sample, const llm::ChatRequest& request, Tally& tally) {
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    if (!options_.from_batch.empty()) {
      llm::ChatResult result = batch_.result(gen::custom_id(prompt.number, settings_.grid, cell, sample));
      tally.batch_results.push_back(result);
      return result;
    }
    std::string key;
    if (cache_.enabled()) {
      key = llm::ReplyCache::key_for_body(llm::request_body(model.model, request), sample);
      if (std::optional<llm::ChatResult> hit = cache_.find(key)) {
        ++tally.cache_hits;
        return hit;
      }
    }
    if (client == nullptr) return std::nullopt;
    ModelGate& gate = *gates_[cell.model];
    gate.slots.acquire();
    ++in_flight_;
    std::int64_t reserved = 0;
    auto before_attempt = [&] {
      if (!gate.limiter.limited()) return;
      std::int64_t tokens = request.max_tokens;
      for (const auto& message : request.messages) tokens += static_cast<std::int64_t>(message.content.size() / 4);
      gate.limiter.acquire(tokens);
      reserved += tokens;
    };
    llm::ChatResult result =
        client->complete(model, request, settings_.retry, request.seed.value_or(0) * 64 + sample, before_attempt);
    --in_flight_;
    gate.slots.release();
    if (gate.limiter.limited() && result.usage)
      gate.limiter.settle(reserved, result.usage->prompt_tokens + result.usage->completion_tokens);
    stats_.count_call(cell.model, result);
    if (result.ok && cache_.enabled()) cache_.store(key, result);
    return result;
  }

  const Options& options_;
  const Settings& settings_;
  gen::RunStats& stats_;
  llm::ReplyCache cache_;
  gen::BatchAnswers batch_;
  std::vector<std::unique_ptr<ModelGate>> gates_;
  std::atomic<int> in_flight_{0};
};

// ---------------------------------------------------------------------------
// Writing: records in input (or completion) order, each answer spliced into
// its prompt record's bytes; rejected answers and failed calls to --rejects.

class AnswerWriter {
 public:
  AnswerWriter(const Options& options, const Settings& settings, gen::RunStats& stats)
      : options_(options), settings_(settings), stats_(stats) {
    if (options.emit_batch.empty()) out_ = &outputs_.add(options.common.output);
    else out_ = &outputs_.add(options.emit_batch);
    if (!options.common.rejects.empty()) rejects_ = &outputs_.add(options.common.rejects);
    bad_.emplace(options.common, rejects_ != nullptr ? *rejects_ : no_rejects_);
    if (!options.stats.empty()) stats_file_ = &outputs_.add(options.stats);
  }

  void bad(const Prompt& prompt) {
    bad_->handle(prompt.file, prompt.line, prompt.bad, std::string_view(prompt.text.data(), prompt.text.size()));
  }

  // --emit-batch: the requests of a record, no calls.
  void emit(const Prompt& prompt) {
    for (std::size_t c = 0; c < settings_.cells.size(); ++c) {
      const gen::Cell& cell = settings_.cells[c];
      const llm::Endpoint& model = settings_.grid.models[cell.model];
      for (std::size_t s = 0; s < settings_.grid.samples; ++s) {
        const std::uint64_t seed = gen::request_seed(prompt.record.key, model.name,
                                                     settings_.grid.systems[cell.system].name, cell.temperature, s, 0,
                                                     options_.seed);
        gen::append_batch_request(out_->buffer(), gen::custom_id(prompt.number, settings_.grid, cell, s),
                                  llm::request_body(model.model, make_request(settings_, prompt, cell, seed)));
        ++emitted_;
      }
    }
    out_->maybe_flush();
  }

  void write(Prompt& prompt) {
    ++stats_.prompts;
    if (!prompt.bad.empty()) return bad(prompt);
    const std::string_view head = record_head(prompt);
    const std::size_t samples = settings_.grid.samples;
    for (std::size_t i = 0; i < prompt.answers.size(); ++i) {
      Answer& answer = prompt.answers[i];
      if (answer.reply.ok && !answer.rejected) {
        const std::string normal = gen::normalise_whitespace(answer.text);
        for (std::size_t s = 0; s < i % samples; ++s) {
          const Answer& earlier = prompt.answers[i - i % samples + s];
          if (earlier.reply.ok && !earlier.rejected && earlier.duplicate_of < 0 &&
              gen::normalise_whitespace(earlier.text) == normal) {
            answer.duplicate_of = static_cast<int>(s);
            break;
          }
        }
      }
      prefline::Output* target = out_;
      if (!answer.reply.ok) {
        ++stats_.failed;
        failed(settings_.grid.models[settings_.cells[i / samples].model].name, answer.reply.error);
        target = rejects_;
      } else if (answer.rejected) {
        ++stats_.rejected;
        target = rejects_;
      } else {
        ++stats_.answers;
        if (answer.duplicate_of >= 0) ++stats_.duplicates;
        if (answer.leak) ++stats_.leaks;
      }
      if (target != nullptr) write_answer(target->buffer(), head, prompt, i);
      if (target != nullptr) target->maybe_flush();
    }
  }

  // Publishes every output; returns false when calls failed.
  bool finish(prefline::Progress& progress, double seconds) {
    progress.finish();
    if (stats_file_ != nullptr) {
      prefline::JsonWriter json(stats_file_->buffer());
      std::vector<std::string> names, ids;
      for (const auto& model : settings_.grid.models) {
        names.push_back(model.name);
        ids.push_back(model.model);
      }
      stats_.write(json, names, ids, settings_.prices, seconds);
    }
    outputs_.commit();
    bad_->finish(tool);
    for (const auto& [name, errors] : failures_) {
      std::uint64_t total = 0;
      for (const auto& [text, count] : errors) total += count;
      std::string line = fmt::format("{}: model '{}': {} call{} failed: ", tool, name, total, total == 1 ? "" : "s");
      for (std::size_t e = 0; e < errors.size(); ++e)
        line += errors.size() == 1 ? errors[e].first : fmt::format("{}{} ({})", e ? ", " : "", errors[e].first, errors[e].second);
      fmt::print(stderr, "{}\n", line);
    }
    prefline::RunSummary summary(tool, "prompts", "answers");
    if (!options_.emit_batch.empty()) {
      if (!options_.common.quiet)
        fmt::print(stderr, "{}: {} prompts, {} requests written to {}\n", tool, stats_.prompts, emitted_,
                   options_.emit_batch);
      return true;
    }
    summary.set_read(stats_.prompts - bad_->skipped());
    summary.set_left_out_unit("answers");
    summary.set_written(stats_.answers);
    const std::string_view keep = rejects_ != nullptr ? std::string_view() : std::string_view("--rejects FILE keeps them");
    summary.left_out("rejected", stats_.rejected, "a filter rejected every try", keep);
    summary.left_out("failed", stats_.failed, "the call failed after its retries",
                     !options_.from_batch.empty() ? "the batch has no answer for them: run them in a new batch"
                     : options_.cache.empty()     ? "rerun with --cache DIR to ask only for these next time"
                                                  : "rerun with the same --cache to ask only for these");
    if (stats_.prompts > 0 && stats_.answers == 0 && stats_.rejected + stats_.failed == 0)
      summary.set_empty_reason("every prompt record was bad");
    summary.print(options_.common.quiet);
    return stats_.failed == 0;
  }

  std::uint64_t emitted() const { return emitted_; }

 private:
  // The record's bytes before its final '}' (its --as and generation fields
  // cut out with --overwrite), and whether a member needs a comma first.
  std::string_view record_head(const Prompt& prompt) {
    std::string_view text(prompt.text.data(), prompt.text.size());
    if (prompt.record.has_answer || prompt.record.has_generation || prompt.record.has_model_field) {
      bool now_empty = false;
      scratch_ = std::string(text);
      for (const std::string* name : {&settings_.fields.answer, &settings_.fields.generation, &settings_.fields.model_field}) {
        if (name->empty()) continue;
        simdjson::padded_string padded(scratch_);
        prefline::JsonlLine line{std::string_view(padded.data(), padded.size()), prompt.line,
                                 padded.size() + simdjson::SIMDJSON_PADDING};
        scratch_ = prefline::without_member(overwrite_parser_, line, *name, now_empty);
      }
      text = scratch_;
    }
    const std::string_view head = prefline::before_final_brace(text);
    empty_ = head.find_first_not_of(" \t\r\n", head.find('{') + 1) == std::string_view::npos;
    return head;
  }

  void write_answer(prefline::Buffer& out, std::string_view head, const Prompt& prompt, std::size_t i) {
    const std::size_t samples = settings_.grid.samples;
    const Answer& answer = prompt.answers[i];
    const gen::Cell& cell = settings_.cells[i / samples];
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    out.append(head);
    if (!empty_) out.push_back(',');
    prefline::JsonWriter json(out);
    if (!settings_.fields.model_field.empty()) json.key(settings_.fields.model_field).string(model.name);
    json.key(settings_.fields.answer);
    if (!answer.reply.ok) {
      json.null();
    } else if (options_.files && !answer.rejected) {
      json.begin_object();
      for (const auto& file : answer.files) json.key(file.name).string(file.content);
      json.end_object();
    } else {
      json.string(answer.text);
    }
    json.key(settings_.fields.generation).begin_object();
    json.key(field::model).string(model.model);
    json.key(field::endpoint).string(model.name);
    json.key(field::temperature).number(cell.temperature);
    json.key(field::top_p);
    model.top_p ? json.number(*model.top_p) : json.null();
    json.key(field::max_tokens).integer(model.max_tokens);
    json.key(field::system);
    const std::string& system = settings_.grid.systems[cell.system].name;
    system.empty() ? json.null() : json.string(system);
    json.key(field::sample).integer(static_cast<std::int64_t>(i % samples));
    json.key(field::seed).integer(static_cast<std::int64_t>(answer.seed));
    json.key(field::finish_reason);
    answer.reply.finish_reason.empty() ? json.null() : json.string(answer.reply.finish_reason);
    json.key(field::usage);
    if (answer.reply.usage) {
      json.begin_object();
      json.key(field::prompt_tokens).integer(answer.reply.usage->prompt_tokens);
      json.key(field::completion_tokens).integer(answer.reply.usage->completion_tokens);
      json.end_object();
    } else {
      json.null();
    }
    json.key(field::latency_ms).integer(static_cast<std::int64_t>(answer.reply.latency_ms + 0.5));
    json.key(field::attempts).integer(answer.reply.attempts);
    json.key(field::cached).boolean(answer.reply.cached);
    if (answer.duplicate_of >= 0) json.key(field::duplicate_of).integer(answer.duplicate_of);
    if (settings_.leak && answer.reply.ok && !answer.rejected) json.key(field::leak).boolean(answer.leak);
    if (!answer.reply.ok) json.key(field::error).string(answer.reply.error);
    if (answer.reply.ok && answer.rejected) {
      json.key(field::rejected).begin_object();
      json.key(field::rule).string(answer.rejected->rule);
      json.key(field::detail).string(answer.rejected->detail);
      json.end_object();
    }
    json.end_object();
    out.append("}\n");
  }

  void failed(const std::string& model, const std::string& error) {
    auto& errors = failures_[model];
    for (auto& [text, count] : errors)
      if (text == error) {
        ++count;
        return;
      }
    errors.emplace_back(error, 1);
  }

  const Options& options_;
  const Settings& settings_;
  gen::RunStats& stats_;
  prefline::OutputSet outputs_;  // -o (or --emit-batch), --rejects, --stats: all or none
  prefline::Output* out_ = nullptr;
  prefline::Output* rejects_ = nullptr;
  prefline::Output* stats_file_ = nullptr;
  prefline::Output no_rejects_;
  std::optional<prefline::BadRecords> bad_;
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> failures_;
  simdjson::ondemand::parser overwrite_parser_;
  std::string scratch_;
  bool empty_ = false;
  std::uint64_t emitted_ = 0;
};

// Lines of the regular input files, for the progress display's total (0:
// unknown, e.g. standard input). Counted in 1 MiB reads, never loaded whole.
std::uint64_t count_records(const std::vector<std::string>& inputs) {
  std::uint64_t lines = 0;
  std::vector<char> buffer(1 << 20);
  for (const auto& name : inputs) {
    if (name == prefline::stdin_name) return 0;
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    for (;;) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      lines += static_cast<std::uint64_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
    }
    ::close(fd);
  }
  return lines;
}

bool run(const Options& options, const Settings& settings) {
  const std::vector<std::string> inputs = prefline::inputs_or_stdin(options.common.files);
  gen::RunStats stats(settings.grid.models.size());
  AnswerWriter writer(options, settings, stats);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  const std::uint64_t total = progress.enabled() ? count_records(inputs) : 0;
  const bool emit = !options.emit_batch.empty();
  Asker asker(options, settings, stats);
  const std::size_t workers = emit ? 1 : static_cast<std::size_t>(options.concurrency);
  std::vector<std::unique_ptr<llm::ChatClient>> clients;
  for (std::size_t w = 0; w < workers; ++w) clients.push_back(std::make_unique<llm::ChatClient>("the model command"));
  std::uint64_t written = 0;
  prefline::CallWindow<Prompt> window(
      workers, static_cast<std::size_t>(options.window),
      [&](Prompt& prompt, std::size_t task, std::size_t worker) { asker.run(*clients[worker], prompt, task); },
      [&](Prompt& prompt) {
        emit && prompt.bad.empty() ? (++stats.prompts, writer.emit(prompt)) : writer.write(prompt);
        ++written;
        progress.show([&] {
          const double seconds = progress.seconds();
          const double rate = seconds > 0 ? static_cast<double>(written) / seconds : 0;
          std::string line = total > 0 ? fmt::format("{}/{} prompts", written, total) : fmt::format("{} prompts", written);
          line += fmt::format(", {} calls in flight, {:.0f} tokens/s", asker.in_flight(),
                              seconds > 0 ? static_cast<double>(stats.tokens()) / seconds : 0);
          if (total > written && rate > 0) {
            const auto left = static_cast<std::uint64_t>(static_cast<double>(total - written) / rate + 0.5);
            line += left < 60 ? fmt::format(", ETA {} s", left)
                              : fmt::format(", ETA {}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60);
          }
          return line;
        });
      },
      options.unordered ? prefline::CallWindow<Prompt>::Order::completion : prefline::CallWindow<Prompt>::Order::input);
  simdjson::dom::parser parser;
  std::uint64_t number = 0;
  for (const std::string& name : inputs) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      auto prompt = std::make_unique<Prompt>();
      prompt->file = name;
      prompt->line = line.number;
      prompt->number = ++number;
      prompt->text = simdjson::padded_string(line.text);
      simdjson::dom::element record;
      if (auto error = parser.parse(prompt->text).get(record)) {
        prompt->bad = prefline::json_error_reason(error);
      } else {
        prompt->bad = gen::read_prompt(record, settings.fields,
                                       settings.user_template ? &*settings.user_template : nullptr, prompt->record);
        if (prompt->bad.empty() && settings.system_template) {
          std::string error;
          if (!settings.system_template->render(record, prompt->system, error)) prompt->bad = error;
        }
      }
      std::size_t tasks = 0;
      if (prompt->bad.empty() && !emit) {
        prompt->answers.resize(settings.cells.size() * settings.grid.samples);
        asker.answer_known(*prompt);
        tasks = options.distinct ? settings.cells.size() : prompt->pending.size();
      }
      window.push(std::move(prompt), tasks);
    }
  }
  window.finish();
  return writer.finish(progress, progress.seconds());
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool ok = true;
  const int status = prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--messages", options.messages);
        app.add_option("--prompt", options.prompt);
        app.add_option("--template", options.template_file);
        app.add_option("--system", options.system_file);
        app.add_option("--system-template", options.system_template_file);
        app.add_option("--key", options.key);
        app.add_option("--model", options.model_specs)->allow_extra_args(false);
        app.add_option("--models", options.models_file);
        app.add_option("--only", options.only);
        app.add_option("--samples", options.samples);
        app.add_option("--temperature", options.temperatures);
        app.add_option("--top-p", options.top_p);
        app.add_option("--max-tokens", options.max_tokens);
        app.add_option("--seed", options.seed);
        app.add_option("--as", options.as);
        app.add_option("--generation-field", options.generation_field);
        app.add_option("--model-field", options.model_field);
        app.add_flag("--files", options.files);
        app.add_flag("--overwrite", options.overwrite);
        app.add_flag("--strip-thinking", options.strip_thinking);
        app.add_option("--reject-regex", options.reject_regex)->allow_extra_args(false);
        app.add_option("--min-chars", options.min_chars);
        app.add_option("--max-chars", options.max_chars);
        app.add_flag("--require-json", options.require_json);
        app.add_option("--filter-retries", options.filter_retries);
        app.add_flag("--distinct", options.distinct);
        app.add_option("--leak-check", options.leak_check);
        app.add_option("--leak-ngram", options.leak_ngram);
        app.add_option("--concurrency", options.concurrency);
        app.add_option("--window", options.window);
        app.add_flag("--unordered", options.unordered);
        app.add_option("--timeout", options.timeout);
        app.add_option("--max-retries", options.max_retries);
        app.add_option("--retry-base", options.retry_base);
        app.add_option("--cache", options.cache);
        app.add_option("--emit-batch", options.emit_batch);
        app.add_option("--from-batch", options.from_batch);
        app.add_option("--stats", options.stats);
        app.add_option("--price", options.prices)->allow_extra_args(false);
      },
      [&] {
        const Settings settings = make_settings(options);
        ok = run(options, settings);
      });
  return status == prefline::exit_success && !ok ? prefline::exit_data_error : status;
}
