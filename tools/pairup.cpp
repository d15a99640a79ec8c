// pairup: item records (consensus output) -> preference pairs
// {prompt, chosen, rejected, metadata}, grouped and ranked by score.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/pairs/item_reader.hpp"
#include "prefline/pairs/meta.hpp"
#include "prefline/pairs/settings.hpp"
#include "prefline/pairs/strategy.hpp"
#include "prefline/pairs/texts.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/split.hpp"
#include "prefline/text/timestamp.hpp"

namespace {

namespace pairs = prefline::pairs;
namespace item_schema = prefline::schema::item;
namespace pair_schema = prefline::schema::pair;
using pairs::Settings;

constexpr std::string_view tool = "pairup";

constexpr std::string_view help_head = R"(Usage: pairup [OPTIONS] [FILE...]

Turn item records (consensus output) into preference pairs for training:
items are grouped (one group per challenge), ranked by score, and paired
by a strategy; each pair gets the prompt and both candidates' texts. Reads
JSON Lines from the FILEs or standard input; writes pair records, groups in
first-seen order.

Grouping and ranking:
      --group FIELD       the group field (default challenge); a string or a
                          number on every item
      --candidate FIELD   the field naming the candidate within its group
                          (default model); metadata gets chosen_FIELD and
                          rejected_FIELD
      --score PATH        the score to rank by, a numeric field or a dotted
                          path into objects (default overall; e.g.
                          scores.technical.median). An item whose value is
                          null or missing has no score: it is counted and
                          left out; any other non-number is a bad record;
                          a PATH that no item has is an error (exit 1)
                          naming what the items have
      --stat STAT         the statistic of each dimension of 'scores' put
                          into chosen_scores / rejected_scores: mean, median
                          or trimmed_mean (default mean)
      --min-votes N       leave out items with vote_count < N first (default
                          1; a missing vote_count counts as 0; 0 keeps all)

  Rank ties: equal scores are ordered by higher vote_count first, then by
  input order. Equal scores never form a pair.

Pairing:
      --strategy NAME     best-vs-rest (default; the reference exporter's
                          rule): the top item is chosen, paired with every
                          other item in rank order;
                          best-vs-worst: the top item with the last one;
                          all-pairs: every higher-ranked item with every
                          lower-scored one, in rank order;
                          adjacent: each item with the first item of the
                          next lower distinct score;
                          best-vs-random: the top item with one item drawn
                          from those it may be paired with (splitmix64
                          seeded with the XXH3-64 hash of the group value
                          under --seed, so groups do not depend on each other)
      --min-margin X      a pair needs chosen - rejected >= X (inclusive, to
                          within 1e-9 so that 3 - 2.6 reaches 0.4; default
                          0.5); pairs below it are not formed
      --max-pairs N       at most N pairs per group, the first ones in the
                          strategy's order (default 0: no limit)
      --seed N            seed for best-vs-random (default 0)

Texts:
      --responses FILE    JSON Lines keyed by the group and candidate fields,
                          giving each candidate's text: field 'response'
                          (a string), or field 'files' (an object name ->
                          content) rendered as the reference exporter did:
                          only names ending in .mjs, .js, .html or .css, in
                          byte order of the names, each as
                          "**NAME**\n\n```\nCONTENT\n```", joined by "\n\n".
                          Without it, the item's own 'response' field.
      --prompts FILE      JSON Lines keyed by the group field, giving the
                          'prompt'; otherwise the item's own 'prompt' field;
                          otherwise "Generate code for the GROUP challenge."
  A pair whose chosen or rejected text is missing or empty, or whose two
  texts are equal, is dropped and counted: 'pairup: dropped N pairs (...)'
  on stderr. An empty training example is never written.

Output:
      --dataset-version V metadata.dataset_version (default 1.0.0)
      --stats FILE        write statistics as one JSON object: total_examples,
                          the GROUPs and CANDIDATEs in the pairs (first-seen
                          order, keys named after the fields + 's'),
                          export_timestamp, format_version, pairs_per_group,
                          score_difference {mean, min, max}, dropped pairs by
                          reason, items read / without score / below
                          --min-votes. FILE appears with the output, only
                          when the whole run succeeds

Items in no pair are counted on stderr in one line, by the first rule that
explains each: no_score (no number at --score), low_votes (--min-votes),
alone (the only ranked item of its group), all_tied (every ranked item of
its group has the same score), min_margin, max_pairs, not_paired (the
--strategy forms no pair with it); a run that reads items and writes no
pair says why. --quiet silences the line unless nothing was written, and
likewise the 'dropped N pairs' line.

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .skip_invalid = "skip bad records (items, responses, prompts) instead of stopping "
                    "at the first one; at the end 'pairup: skipped N invalid records' "
                    "goes to stderr, exit 0"};

constexpr std::string_view help_tail = R"(
Pair record: {"prompt","chosen","rejected","metadata":{GROUP,
"chosen_CANDIDATE","rejected_CANDIDATE","chosen_scores":{DIM...,"overall",
"vote_count"},"rejected_scores":{...},"score_difference","dataset_version",
"generated_at"}}. score_difference is the difference of the --score values;
generated_at is SOURCE_DATE_EPOCH when set, else the time of the run (one
value for the whole run). Bad records: not a JSON object, invalid JSON, a
group or candidate that is missing or not a string or number, a non-numeric
score, 'prompt' or 'response' not a string or null, the same item twice
(grade records, one per grader: run consensus first), a response or prompt
given twice, a key that is read given twice.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'pairup: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  pairup --responses responses.jsonl --prompts challenges.jsonl --stats pairs.meta.json items.jsonl > pairs.jsonl
)";


struct Options {
  prefline::CommonOptions common;
  std::string group = "challenge";
  std::string candidate = "model";
  std::string score = std::string(item_schema::overall);
  std::string stat = std::string(item_schema::mean);
  long long min_votes = 1;
  std::string strategy = "best-vs-rest";
  double min_margin = 0.5;
  long long max_pairs = 0;
  std::uint64_t seed = 0;
  std::string responses;
  std::string prompts;
  std::string dataset_version = "1.0.0";
  std::string stats;
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.group = options.group;
  settings.candidate = options.candidate;
  settings.score = options.score;
  settings.stat = options.stat;
  settings.min_margin = options.min_margin;
  settings.seed = options.seed;
  if (options.group.empty()) throw prefline::UsageError("--group needs a field name");
  if (options.candidate.empty()) throw prefline::UsageError("--candidate needs a field name");
  if (options.group == options.candidate) throw prefline::UsageError("--group and --candidate must be different fields");
  settings.score_path = prefline::split_list(options.score, '.');
  for (const auto& part : settings.score_path)
    if (part.empty()) throw prefline::UsageError(fmt::format("--score: empty part in the path '{}'", options.score));
  if (options.stat != item_schema::mean && options.stat != item_schema::median && options.stat != item_schema::trimmed_mean)
    throw prefline::UsageError(fmt::format("--stat: '{}' is not mean, median or trimmed_mean", options.stat));
  const auto strategy = pairs::parse_strategy(options.strategy);
  if (!strategy)
    throw prefline::UsageError(fmt::format(
        "--strategy: '{}' is not best-vs-rest, best-vs-worst, all-pairs, adjacent or best-vs-random", options.strategy));
  settings.strategy = *strategy;
  if (!std::isfinite(options.min_margin) || options.min_margin < 0)
    throw prefline::UsageError("--min-margin must be a number >= 0");
  if (options.max_pairs < 0) throw prefline::UsageError("--max-pairs must be 0 or more");
  settings.max_pairs = static_cast<std::size_t>(options.max_pairs);
  if (options.min_votes < 0) throw prefline::UsageError("--min-votes must be 0 or more");
  settings.min_votes = static_cast<std::size_t>(options.min_votes);
  if (options.dataset_version.empty()) throw prefline::UsageError("--dataset-version must not be empty");
  return settings;
}

template <class OnRecord>
void read_lines(const std::string& path, prefline::BadRecords& bad, OnRecord&& on_record) {
  prefline::InputFile input(path);
  prefline::JsonlReader lines(input);
  prefline::JsonlLine line;
  simdjson::dom::parser parser;
  while (lines.next(line)) {
    simdjson::dom::element record;
    std::string reason;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      reason = prefline::json_error_reason(error);
    else if (!record.is_object())
      reason = "expected a JSON object";
    else
      reason = on_record(record.get_object().value_unsafe());
    if (!reason.empty()) bad.handle(path, line.number, reason, line.text);
  }
}

// The summary line's reasons, in the order the rules apply.
void explain_left_out(prefline::RunSummary& summary, const Options& options, const Settings& settings,
                      const pairs::Counters& counters, const pairs::LeftOut& left_out) {
  summary.left_out("no_score", counters.without_score, fmt::format("no number at --score {}", settings.score));
  summary.left_out("low_votes", counters.below_min_votes,
                   fmt::format("vote_count below --min-votes {} or missing", settings.min_votes),
                   "--min-votes 0 keeps them");
  summary.left_out("alone", left_out.alone, fmt::format("the only ranked item of its {}", settings.group));
  summary.left_out("all_tied", left_out.all_tied,
                   fmt::format("every ranked item of its {} has the same score", settings.group));
  summary.left_out("min_margin", left_out.below_margin,
                   fmt::format("score gaps below --min-margin {}", settings.min_margin),
                   "a lower --min-margin pairs them");
  summary.left_out("max_pairs", left_out.over_max_pairs,
                   fmt::format("pairs beyond --max-pairs {}", settings.max_pairs));
  summary.left_out("not_paired", left_out.not_paired,
                   fmt::format("--strategy {} forms no pair with them", options.strategy));
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --rejects, --stats: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  std::vector<pairs::Group> groups;
  std::vector<pairs::Item> items;
  pairs::KeyMap group_index;
  pairs::Counters counters;
  pairs::ItemReader reader(settings);  // owns the items' texts: lives until the end
  prefline::FieldCensus census;
  const std::size_t score_watch =
      census.watch(settings.score, fmt::format("score path '{}' (--score)", settings.score), true);
  {
    simdjson::dom::parser parser;
    for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      reader.begin_file(name);
      while (lines.next(line)) {
        const std::string reason = reader.read(parser, line, groups, group_index, items, counters);
        if (reader.score_checked()) {
          census.record();
          if (reader.score_found()) census.found(score_watch);
          if (census.wants_sample()) census.sample(line.text);
        }
        if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
        progress.tick();
      }
    }
  }
  progress.finish();
  census.check();

  std::vector<std::vector<pairs::Pair>> group_pairs(groups.size());
  std::vector<char> needs_text(items.size(), 0);
  std::vector<char> needs_prompt(groups.size(), 0);
  pairs::LeftOut left_out;
  std::size_t pairs_formed = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    group_pairs[g] = pairs::pair_group(groups[g], items, settings);
    pairs::count_left_out(groups[g], items, settings, group_pairs[g], left_out);
    pairs_formed += group_pairs[g].size();
    for (const pairs::Pair& pair : group_pairs[g]) needs_text[pair.chosen] = needs_text[pair.rejected] = 1;
    needs_prompt[g] = !group_pairs[g].empty();
  }

  // Texts from --responses (only those the pairs use), else the items' own.
  pairs::ResponseJoin responses(settings, groups, group_index, items, needs_text);
  std::vector<std::optional<std::string_view>> texts(items.size());
  if (options.responses.empty()) {
    for (std::size_t i = 0; i < items.size(); ++i)
      if (needs_text[i]) texts[i] = items[i].response();
  } else {
    read_lines(options.responses, bad, [&](const simdjson::dom::object& record) { return responses.read(record); });
    texts = responses.texts();
  }
  pairs::PromptJoin prompt_join(settings, group_index, needs_prompt);
  if (!options.prompts.empty())
    read_lines(options.prompts, bad, [&](const simdjson::dom::object& record) { return prompt_join.read(record); });
  const auto& prompts = prompt_join.prompts();

  const std::string generated_at = prefline::format_iso8601_milliseconds(prefline::record_time_milliseconds());
  const std::string chosen_candidate = std::string(pair_schema::chosen_prefix) + options.candidate;
  const std::string rejected_candidate = std::string(pair_schema::rejected_prefix) + options.candidate;
  pairs::PairMeta meta(groups.size());

  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const pairs::Pair& pair : group_pairs[g]) {
      const pairs::Item& chosen = items[pair.chosen];
      const pairs::Item& rejected = items[pair.rejected];
      const auto& chosen_text = texts[pair.chosen];
      const auto& rejected_text = texts[pair.rejected];
      if (!chosen_text || !rejected_text) {
        ++counters.missing_text;
        continue;
      }
      if (chosen_text->empty() || rejected_text->empty()) {
        ++counters.empty_text;
        continue;
      }
      if (*chosen_text == *rejected_text) {
        ++counters.identical_texts;
        continue;
      }
      std::string prompt;
      if (prompts[g]) prompt = *prompts[g];
      else if (!chosen.prompt().empty()) prompt = std::string(chosen.prompt());
      else prompt = fmt::format("Generate code for the {} challenge.", groups[g].value.text);
      const double difference = chosen.score - rejected.score;

      prefline::JsonWriter json(out.buffer());
      json.begin_object();
      json.key(pair_schema::prompt).string(prompt);
      json.key(pair_schema::chosen).string(*chosen_text);
      json.key(pair_schema::rejected).string(*rejected_text);
      json.key(pair_schema::metadata).begin_object();
      json.key(options.group).raw(groups[g].value.json);
      json.key(chosen_candidate).raw(chosen.candidate_json());
      json.key(rejected_candidate).raw(rejected.candidate_json());
      json.key(pair_schema::chosen_scores).raw(chosen.scores_json());
      json.key(pair_schema::rejected_scores).raw(rejected.scores_json());
      json.key(pair_schema::score_difference).number(difference);
      json.key(pair_schema::dataset_version).string(options.dataset_version);
      json.key(pair_schema::generated_at).string(generated_at);
      json.end_object();
      json.end_object();
      json.end_record();
      out.maybe_flush();
      meta.add(g, groups[g], chosen, rejected, difference);
    }
  }

  if (!options.stats.empty())
    meta.write(outputs.add(options.stats).buffer(), settings, groups, counters, generated_at, options.dataset_version);
  outputs.commit();
  const std::size_t dropped = counters.missing_text + counters.empty_text + counters.identical_texts;
  // A count like the summary line below: --quiet silences it unless nothing was written.
  if (dropped > 0 && (!options.common.quiet || meta.written() == 0))
    fmt::print(stderr, "{}: dropped {} pairs (missing text: {}, empty text: {}, identical texts: {})\n", tool, dropped,
               counters.missing_text, counters.empty_text, counters.identical_texts);
  bad.finish(tool);

  prefline::RunSummary summary(tool, "items", "pairs");
  summary.set_read(counters.items);
  summary.set_written(meta.written());
  explain_left_out(summary, options, settings, counters, left_out);
  if (pairs_formed > 0 && meta.written() == 0)
    summary.set_empty_reason(fmt::format("the {} pair{} formed had no usable texts (see above)", pairs_formed,
                                         pairs_formed == 1 ? "" : "s"));
  summary.print(options.common.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--group", options.group);
        app.add_option("--candidate", options.candidate);
        app.add_option("--score", options.score);
        app.add_option("--stat", options.stat);
        app.add_option("--min-votes", options.min_votes);
        app.add_option("--strategy", options.strategy);
        app.add_option("--min-margin", options.min_margin);
        app.add_option("--max-pairs", options.max_pairs);
        app.add_option("--seed", options.seed);
        app.add_option("--responses", options.responses);
        app.add_option("--prompts", options.prompts);
        app.add_option("--dataset-version", options.dataset_version);
        app.add_option("--stats", options.stats);
      },
      [&] { run(options); }, {{"--meta", "--stats"}, {"--by", "--score"}});
}