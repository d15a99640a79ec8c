// duel-judge: king-vs-challenger duels judged by an LLM panel (OpenAI-
// compatible HTTP endpoints or local commands), or scored from verdicts
// already on the records; judged turns in input order and an acceptance gate.
//
// The story: options -> settings (make_settings); read the records, then
// per turn either ask the judges (JudgeStage: a call window keeps the output
// in input order) or read the verdicts already there (VerdictStage: blocks of
// lines parsed by workers); both hand scored turns to one DuelOutput, which
// writes them in input order and adds up the summary.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/concurrency/call_window.hpp"
#include "prefline/concurrency/ordered_pool.hpp"
#include "prefline/duel/judge_registry.hpp"
#include "prefline/duel/metric.hpp"
#include "prefline/duel/options.hpp"
#include "prefline/duel/prompt.hpp"
#include "prefline/duel/reply.hpp"
#include "prefline/duel/scored_block.hpp"
#include "prefline/duel/scoring.hpp"
#include "prefline/duel/summary.hpp"
#include "prefline/duel/totals.hpp"
#include "prefline/duel/turn_reader.hpp"
#include "prefline/duel/turn_writer.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/line_blocks.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/llm/reply_cache.hpp"
#include "prefline/llm/retry_policy.hpp"
#include "prefline/schema/records.hpp"

namespace {

namespace duel = prefline::duel;
namespace llm = prefline::llm;
namespace duel_schema = prefline::schema::duel;
using duel::Judgement;
using duel::Order;
using duel::Vote;

constexpr std::string_view tool = "duel-judge";

constexpr std::string_view help_head = R"(Usage: duel-judge [OPTIONS] [FILE...]

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
                          prompt on stdin and prints the reply; no key needed).
                          A command runs in the folder of the judges file, so
                          a relative path in it (["python3", "judge.py"],
                          ["./judge.sh"]) is relative to that file, whatever
                          the working directory}
      --judge NAME=URL#MODEL  one more HTTP judge (repeatable)
  With judges (--judges, --judge), every turn is judged by the panel. A turn
  that already carries verdicts ('judgements') is then a bad record, named
  with its line: drop them (jq -c 'del(.judgements)'), or run without judges
  to score the verdicts it has, or give --overwrite to judge it with the
  panel all the same (its 'judgements' then pass through unread; the panel's
  are in duel.judgements).
  With no judges, duel-judge scores the verdicts already on the records
  (aggregate-only mode): field 'judgements', a list of {"judge", "order":
  "ab"|"ba", "verdict": {METRIC: 0|1|2}} or {"judge","order","reply": TEXT};
  a record without it is then bad. A key duel-judge reads given twice (a
  metric of a verdict included) makes the record bad.

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
      --overwrite         replace a 'duel' field the record has already, and
                          with judges, judge a turn that carries 'judgements'
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

Summary (--stats FILE as JSON, and one line on stderr):
      --stats FILE        n_done, n_valid, valid_frac; challenger_score (per
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
                          -o and --stats are written all the same: the gate
                          is on the finished duel)

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
API keys are read from the environment only and never written anywhere (not
in output, cache, messages). A judge call that still fails after its retries
leaves that judgement unparsed with an "error"; at the end each judge with
failed calls is named on stderr with their count and error ("duel-judge:
judge 'ollama': 24 calls failed: network error: Couldn't connect to
server"). No record is ever dropped or written twice.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'duel-judge: FILE:LINE: reason'), a runtime error, or
     a rejected duel with --require-accept
  2  bad option, value or judge configuration (nothing is read)

Example:
  duel-judge --judges examples/duel/judges.json --stats duel.json examples/duel/turns-unjudged.jsonl > judged.jsonl
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
  std::string stats;
  double win_margin = 2.0;
  int bootstrap = 10000;
  double alpha = 0.05;
  double min_valid_frac = 0.8;
  std::uint64_t seed = 0;
  bool require_accept = false;
};

struct Settings {
  std::vector<llm::Endpoint> judges;
  std::vector<duel::Metric> metrics;
  std::vector<double> weights;
  duel::OrderMode orders = duel::OrderMode::both;
  std::string prompt_template;
  llm::RetryPolicy retry;
  duel::TurnFields fields;
  duel::GateOptions gate;
};

// Every option checked before any input is read (usage errors exit 2).
Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (!options.judges_file.empty()) settings.judges = llm::read_endpoint_file(options.judges_file);
  for (const auto& spec : options.judge_specs) settings.judges.push_back(llm::parse_endpoint_spec(spec));
  llm::check_unique_names(settings.judges);
  settings.metrics = duel::metrics_from_list(options.metrics);
  settings.weights = duel::metric_weights(options.metric_weights, settings.metrics);
  settings.orders = duel::order_mode(options.orders);
  settings.prompt_template = duel::load_template(options.template_file);
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
  settings.retry = {options.max_retries, options.retry_base, 30, options.timeout, options.seed};
  settings.fields = {options.a, options.b, options.context, options.overwrite, &settings.metrics, !settings.judges.empty()};
  settings.gate = {options.win_margin, options.bootstrap, options.alpha, options.min_valid_frac, options.seed};
  return settings;
}

// ---------------------------------------------------------------------------
// Writing: scored turns in input order, bad records reported in their place,
// the summary's totals, and every output finished before any is published.

class DuelOutput {
 public:
  DuelOutput(const Options& options, const Settings& settings)
      : options_(options),
        settings_(settings),
        out_(outputs_.add(options.common.output)),
        bad_(options.common, outputs_),
        progress_(std::string(tool), options.common.quiet),
        writer_(settings.metrics, settings.weights, static_cast<std::size_t>(options.min_judges)) {
    for (const auto& judge : settings.judges) registry_.intern(judge.name);  // numbers 0..panel-1
    add_fresh_judges();
  }

  duel::JudgeRegistry& registry() { return registry_; }
  prefline::Output& out() { return out_; }
  prefline::Progress& progress() { return progress_; }
  void bad(std::string_view file, std::uint64_t line, std::string_view reason, std::string_view text) {
    bad_.handle(file, line, reason, text);
  }

  // Judges numbered by the registry since the last call get their texts.
  void add_fresh_judges() {
    registry_.take_fresh(fresh_);
    for (auto& name : fresh_) {
      texts_.add(name);
      names_.push_back(std::move(name));
    }
    fresh_.clear();
    totals_.resize(names_.size(), settings_.metrics.size());
  }

  // One turn scored and written here; votes[i].judge: the registry's numbers.
  void write_turn(const prefline::JsonlLine& line, bool has_duel, const std::vector<Vote>& votes,
                  const std::vector<std::uint8_t>& values) {
    const auto head = prefline::record_head(overwrite_parser_, line, duel_schema::duel, has_duel, stripped_);
    const auto& score = writer_.write(out_.buffer(), head.text, head.now_empty, votes.data(), votes.size(),
                                      values.data(), settings_.judges.size(), texts_);
    totals_.add_turn(score, writer_.turn_judges(), settings_.metrics.size());
    out_.maybe_flush();
  }

  // Turns scored elsewhere: counted, with tallies by judge numbers that
  // `to_run` maps to the registry's.
  void add_scored(std::uint64_t turns, const duel::Tallies& tallies, const std::vector<std::uint32_t>& to_run) {
    totals_.done += turns;
    totals_.add(tallies, to_run.data(), settings_.metrics.size());
  }

  // Finishes every output, then publishes them all; true when the duel is accepted.
  // `failures`: one line per judge whose calls failed, said before the summary.
  bool finish(std::string_view prompts, const std::vector<duel::JudgeCalls>& panel,
              const std::vector<std::string>& failures) {
    progress_.finish();
    out_.buffer().append(prompts);
    std::string line;
    duel::DuelSummary result;
    if (!options_.print_prompts) {
      result = duel::summarise(totals_, names_.size(), settings_.weights, settings_.gate);
      if (!options_.stats.empty()) {
        prefline::JsonWriter json(outputs_.add(options_.stats).buffer());
        duel::write_summary(json, result, names_, settings_.metrics, options_.min_valid_frac, panel);
      }
      line = duel::summary_line(tool, result);
    }
    outputs_.commit();
    bad_.finish(tool);
    for (const auto& failure : failures) fmt::print(stderr, "{}: {}\n", tool, failure);
    if (!line.empty()) fmt::print(stderr, "{}", line);
    return result.accepted;
  }

 private:
  const Options& options_;
  const Settings& settings_;
  prefline::OutputSet outputs_;  // -o, --rejects, --stats: all or none
  prefline::Output& out_;
  prefline::BadRecords bad_;
  prefline::Progress progress_;
  duel::JudgeRegistry registry_;
  duel::JudgeTexts texts_;
  std::vector<std::string> names_, fresh_;  // by judge number; add_fresh_judges' scratch
  duel::TurnWriter writer_;
  duel::DuelTotals totals_;
  simdjson::ondemand::parser overwrite_parser_;
  std::string stripped_;
};

// ---------------------------------------------------------------------------
// Stage for verdicts already on the records (no judges): this thread cuts
// the input into blocks of lines; parse workers read, score and write whole
// blocks, judges numbered per block; the writing thread takes the blocks in
// input order, maps their judge numbers to the run's and writes them.

class VerdictStage {
 public:
  VerdictStage(const Options& options, const Settings& settings, DuelOutput& output)
      : fields_(settings.fields), output_(output) {
    for (std::size_t w = 0; w < prefline::parse_workers(); ++w)
      writers_.push_back(std::make_unique<duel::TurnWriter>(settings.metrics, settings.weights,
                                                            static_cast<std::size_t>(options.min_judges)));
  }

  void run(const std::vector<std::string>& inputs) {
    prefline::OrderedPool<duel::ScoredBlock> blocks(
        writers_.size(), [&](duel::ScoredBlock& block, std::size_t worker) { block.score(fields_, *writers_[worker]); },
        [&](duel::ScoredBlock& block) { write(block); });
    for (std::size_t file_index = 0; file_index < inputs.size(); ++file_index) {
      prefline::InputFile input(inputs[file_index]);
      prefline::LineBlockReader reader(input);
      for (;;) {
        prefline::LineBlock& block = blocks.current().lines;
        block.file = inputs[file_index];
        block.file_index = file_index;
        if (!reader.fill(block)) break;
        blocks.submit();
      }
    }
    blocks.finish();
  }

 private:
  // On the writing thread, block after block in input order.
  void write(duel::ScoredBlock& block) {
    if (block.lines.file_index != file_index_) {
      file_index_ = block.lines.file_index;
      line_base_ = 0;
    }
    to_run_.clear();
    for (const auto& judge : block.judge_names) to_run_.push_back(output_.registry().intern(judge));
    output_.add_fresh_judges();
    output_.add_scored(block.records - block.bad.size(), block.tallies, to_run_);
    block.pieces_as_iovecs(pieces_);
    std::size_t written = 0;
    for (const auto& record : block.bad) {
      output_.out().write(pieces_.data() + written, record.piece - written);
      written = record.piece;
      output_.bad(block.lines.file, line_base_ + record.line, record.reason, record.text);
    }
    output_.out().write(pieces_.data() + written, pieces_.size() - written);
    line_base_ += block.line_count;
    output_.progress().tick(block.records);
  }

  const duel::TurnFields& fields_;
  DuelOutput& output_;
  std::vector<std::unique_ptr<duel::TurnWriter>> writers_;  // per parse worker
  std::vector<std::uint32_t> to_run_;  // a block's judge numbers -> the run's
  std::vector<iovec> pieces_;
  std::size_t file_index_ = SIZE_MAX;  // the input of the last block,
  std::uint64_t line_base_ = 0;        // and its lines before the next block
};

// ---------------------------------------------------------------------------
// Stage for asking the judges: records read one by one; each turn's calls
// (per judge, per order) go to --concurrency workers through a call window
// of --window turns; turns leave it in input order, their answers turned into
// votes like those found on records. Records that carry judgements are
// scored from them, in their place.

struct Call {
  std::size_t judge;  // in settings.judges
  std::string prompt;
  std::uint64_t id;   // for the jitter
};

struct Turn {
  std::string file;
  std::uint64_t line = 0;
  simdjson::padded_string text;
  bool has_duel = false;
  std::vector<Call> calls;
  std::vector<Judgement> judgements;  // per call
  std::vector<Vote> votes;            // or found on the record
  std::vector<std::uint8_t> values;
  std::string bad;  // a reason: the record is bad (reported in order)
};

struct JudgeCounters {
  llm::CallCounts calls;
  std::atomic<std::uint64_t> parse_failures{0};
  std::mutex errors_mutex;  // failed calls are few: a lock is cheap enough
  std::vector<std::pair<std::string, std::uint64_t>> errors;  // each error once, in order of first failure

  void failed(const std::string& error) {
    std::lock_guard lock(errors_mutex);
    for (auto& [text, count] : errors)
      if (text == error) {
        ++count;
        return;
      }
    errors.emplace_back(error, 1);
  }
};

class JudgeStage {
 public:
  JudgeStage(const Options& options, const Settings& settings, DuelOutput& output)
      : options_(options), settings_(settings), output_(output), counters_(settings.judges.size()),
        cache_(options.cache) {}

  void run(const std::vector<std::string>& inputs) {
    const std::size_t workers = options_.print_prompts ? 1 : static_cast<std::size_t>(options_.concurrency);
    std::vector<std::unique_ptr<llm::ChatClient>> clients;
    for (std::size_t w = 0; w < workers; ++w) clients.push_back(std::make_unique<llm::ChatClient>());
    prefline::CallWindow<Turn> window(
        workers, static_cast<std::size_t>(options_.window),
        [&](Turn& turn, std::size_t call, std::size_t worker) { ask(*clients[worker], turn, call); },
        [&](Turn& turn) { write(turn); });
    simdjson::dom::parser parser;
    std::vector<std::string_view> names;  // read_turn's scratch
    std::uint64_t index = 0;
    for (const std::string& name : inputs) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      while (lines.next(line)) {
        auto turn = std::make_unique<Turn>();
        turn->file = name;
        turn->line = line.number;
        turn->text = simdjson::padded_string(line.text);
        duel::VoteSink sink{output_.registry(), turn->votes, turn->values, names};
        duel::TurnRead read = duel::read_turn(parser, turn->text, settings_.fields, sink);
        turn->has_duel = read.has_duel;
        if (!read.reason.empty()) turn->bad = read.reason;
        else if (!read.has_judgements) plan_calls(*turn, read, index);
        ++index;
        const std::size_t calls = turn->calls.size();
        window.push(std::move(turn), calls);
        output_.progress().tick();
      }
    }
    window.finish();
  }

  std::string_view prompts() const { return prompts_.view(); }

  // "judge 'ollama': 24 calls failed: network error: Couldn't connect to
  // server" for each judge with failed calls (the errors by count when they differ).
  std::vector<std::string> failure_lines() {
    std::vector<std::string> lines;
    for (std::size_t j = 0; j < settings_.judges.size(); ++j) {
      JudgeCounters& counters = counters_[j];
      std::lock_guard lock(counters.errors_mutex);
      if (counters.errors.empty()) continue;
      std::uint64_t total = 0;
      for (const auto& [text, count] : counters.errors) total += count;
      std::string line = fmt::format("judge '{}': {} call{} failed: ", settings_.judges[j].name, total,
                                     total == 1 ? "" : "s");
      if (counters.errors.size() == 1) {
        line += counters.errors.front().first;
      } else {
        auto errors = counters.errors;
        std::stable_sort(errors.begin(), errors.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        for (std::size_t e = 0; e < errors.size(); ++e)
          line += fmt::format("{}{} ({})", e ? ", " : "", errors[e].first, errors[e].second);
      }
      lines.push_back(std::move(line));
    }
    return lines;
  }

  std::vector<duel::JudgeCalls> panel_calls() const {
    std::vector<duel::JudgeCalls> panel;
    for (std::size_t j = 0; j < settings_.judges.size(); ++j)
      panel.push_back({settings_.judges[j].name, settings_.judges[j].model, counters_[j].calls.attempts,
                       counters_[j].calls.retries, counters_[j].parse_failures, counters_[j].calls.failures});
    return panel;
  }

 private:
  // The calls of one turn: per judge, per order; prompts built now.
  void plan_calls(Turn& turn, const duel::TurnRead& read, std::uint64_t index) {
    const std::vector<Order> orders = duel::orders_for(settings_.orders, index);
    const std::vector<std::string> prompts = duel::turn_prompts(
        settings_.prompt_template, read.context, read.answer_a, read.answer_b, orders, settings_.metrics, options_.seed);
    for (std::size_t j = 0; j < settings_.judges.size(); ++j) {
      for (std::size_t o = 0; o < orders.size(); ++o) {
        turn.judgements.push_back({settings_.judges[j].name, orders[o], std::nullopt, {}});
        turn.calls.push_back({j, prompts[o], next_call_id_++});
      }
    }
  }

  // On a worker: one call, asked again (--parse-retries) while the reply has no verdict.
  void ask(llm::ChatClient& client, Turn& turn, std::size_t index) {
    const Call& call = turn.calls[index];
    Judgement& judgement = turn.judgements[index];
    if (options_.print_prompts) return print_prompt(judgement, call.prompt);
    const llm::Endpoint& judge = settings_.judges[call.judge];
    JudgeCounters& counters = counters_[call.judge];
    const llm::ChatRequest request = llm::request_for(judge, call.prompt);
    for (int attempt = 0; attempt <= options_.parse_retries; ++attempt) {
      const std::string key = cache_.enabled() ? llm::ReplyCache::key(judge, request, static_cast<std::uint64_t>(attempt)) : "";
      std::optional<llm::ChatResult> reply = cache_.find(key);
      if (!reply) {
        reply = client.complete(judge, request, settings_.retry, call.id * 16 + static_cast<std::uint64_t>(attempt));
        counters.calls.count(*reply);
        if (!reply->ok) {
          judgement.error = reply->error;
          counters.failed(reply->error);
          return;
        }
        cache_.store(key, *reply);
      }
      judgement.verdict = duel::parse_reply(reply->text, settings_.metrics);
      if (judgement.verdict) {
        judgement.error.clear();
        return;
      }
      ++counters.parse_failures;
      judgement.error = duel::unparsed_reply_error;
    }
  }

  void print_prompt(const Judgement& judgement, const std::string& prompt) {
    prefline::Buffer line;
    prefline::JsonWriter json(line);
    json.begin_object();
    json.key(duel_schema::judge).string(judgement.judge);
    json.key(duel_schema::order).string(duel::order_name(judgement.order));
    json.key(duel_schema::prompt).string(prompt);
    json.end_object();
    json.end_record();
    std::lock_guard lock(prompts_mutex_);
    prompts_.append(line.view());
  }

  // On the reading thread, turn after turn in input order.
  void write(Turn& turn) {
    const std::string_view text(turn.text.data(), turn.text.size());
    if (!turn.bad.empty()) return output_.bad(turn.file, turn.line, turn.bad, text);
    if (options_.print_prompts) return;
    duel::add_votes(turn.judgements, output_.registry(), settings_.metrics.size(), turn.votes, turn.values);
    output_.add_fresh_judges();
    output_.write_turn({text, turn.line, turn.text.size() + simdjson::SIMDJSON_PADDING}, turn.has_duel, turn.votes,
                       turn.values);
  }

  const Options& options_;
  const Settings& settings_;
  DuelOutput& output_;
  std::vector<JudgeCounters> counters_;
  llm::ReplyCache cache_;
  std::uint64_t next_call_id_ = 0;
  std::mutex prompts_mutex_;
  prefline::Buffer prompts_;  // --print-prompts: in call order (one worker)
};

void run(const Options& options) {
  const Settings settings = make_settings(options);
  DuelOutput output(options, settings);
  const std::vector<std::string> inputs = prefline::inputs_or_stdin(options.common.files);
  bool accepted;
  if (settings.judges.empty()) {
    VerdictStage(options, settings, output).run(inputs);
    accepted = output.finish({}, {}, {});
  } else {
    JudgeStage stage(options, settings, output);
    stage.run(inputs);
    accepted = output.finish(stage.prompts(), stage.panel_calls(), stage.failure_lines());
  }
  if (options.require_accept && !accepted) throw prefline::DataError("the duel is not accepted (--require-accept)");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
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
        app.add_option("--stats", options.stats);
        app.add_option("--win-margin", options.win_margin);
        app.add_option("--bootstrap", options.bootstrap);
        app.add_option("--alpha", options.alpha);
        app.add_option("--min-valid-frac", options.min_valid_frac);
        app.add_option("--seed", options.seed);
        app.add_flag("--require-accept", options.require_accept);
      },
      [&] { run(options); }, {{"--summary", "--stats"}});
}
