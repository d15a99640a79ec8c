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
#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/concurrency/call_window.hpp"
#include "prefline/generate/answer_writer.hpp"
#include "prefline/generate/asker.hpp"
#include "prefline/generate/prompt_job.hpp"
#include "prefline/generate/settings.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/validate.hpp"

namespace {

namespace gen = prefline::generate;
namespace llm = prefline::llm;

constexpr std::string_view tool = prefline::generate::tool_name;

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

using gen::Options;
using gen::Settings;
using gen::Prompt;
using gen::Asker;
using gen::AnswerWriter;

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
