// consensus: many graders' scores per item -> one item record with
// statistics per score dimension, plus optional agreement statistics.
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/consensus/agreement_report.hpp"
#include "prefline/consensus/grade_reader.hpp"
#include "prefline/consensus/item_record.hpp"
#include "prefline/consensus/item_statistics.hpp"
#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/partial_record.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/split.hpp"

namespace {

namespace consensus = prefline::consensus;
namespace grade_schema = prefline::schema::grade;
using consensus::Dimension;
using consensus::Settings;

constexpr std::string_view tool = "consensus";

constexpr std::string_view help_head = R"(Usage: consensus [OPTIONS] [FILE...]

Combine many graders' scores per item into one item record with statistics
per score dimension. Reads grade records (csv2jsonl output) as JSON Lines from
the FILEs or standard input; writes one item record per item, in the order
the items are first seen.

Mapping (the defaults fit the vizhub grader format):
      --item FIELDS       fields forming the item key (default challenge,model);
                          each must be a string or a number on every record
      --rater FIELD       the grader's name (default reviewedBy); when missing,
                          null or empty, the stem of '_source' is used
                          (grades/alice.csv -> alice); neither -> bad record.
                          --rater _source names every grader by the file
                          stem. A rater field that the file stem does not
                          contain (letters and digits, any case: 'EJ Fox'
                          fits ej-fox.csv, 'bob' does not fit alice.csv) is
                          reported once per file on stderr (a warning, also
                          with --quiet); the grades count for the field
      --score DIM=FIELD   a score dimension and the field holding it; repeat
                          for several, order kept (default: --score
                          technical=grade --score aesthetic=aesthetics)
      --scale MIN:MAX     valid score range, both ends inclusive (default 0:5)
      --keep FIELDS       fields copied from the item's first record (null
                          when missing there), written after 'flags'
      --time FIELD        the grading time for --duplicates latest (default
                          reviewedAt), ISO 8601 ('2025-06-03T14:53:00.211Z';
                          no offset means UTC)

A score is a JSON number or a string holding one, inside --scale. null, ""
or a missing field mean "not graded" (never 0). Anything else, or a value
outside the scale, makes the record bad. Numbers round to the nearest double,
as written or in a string: -0 is 0, 1.0e-400 is 0; one beyond the double
range (1e400) is bad.

Statistics, per item and dimension (over the values that count, see below):
  mean, median (mean of the two middle values for an even count),
  trimmed_mean (drops floor(trim * n) values at each end; equals mean when
  nothing is dropped), sd (sample standard deviation, n-1; 0 when n = 1),
  min, max, n. With n = 0 every statistic is null.
      --trim F            share trimmed from each end (default 0.1), 0 <= F < 0.5
      --overall STAT      mean, median or trimmed_mean (default mean): overall
                          = weighted mean of STAT over the dimensions with n > 0
                          (null when there is none)
      --weight DIM=W,...  weights for overall (default 1 each), W >= 0
      --partial-votes     let each dimension use every value it has; by default
                          only raters who gave every dimension count (what the
                          reference exporter does)

  vote_count = raters who gave every dimension. raters = the raters with at
  least one score on the item, sorted.

Duplicates (the same rater grading the same item again):
      --duplicates MODE   latest (default): the grade with the latest --time
                          wins; a grade with a time beats one without; equal
                          or missing times: the later in the input wins.
                          first: the first in the input wins. mean: the mean
                          of the rater's values per dimension. error: a bad
                          record. Items with duplicates get the flag
                          duplicate_grades (except with error).

Calibration, per dimension, on the values that count:
      --calibrate MODE    none (default);
                          zscore: x' = pooled_mean + (x - rater_mean) /
                          rater_sd * pooled_sd (population sd over all of the
                          rater's values; a rater with sd 0 is only shifted:
                          x' = x - rater_mean + pooled_mean);
                          additive: model x = c_item + b_rater, fitted by
                          alternating least squares from b = 0 (c = mean of
                          x - b per item, b = mean of x - c per rater, b
                          centred to mean 0) until no c or b moves by 1e-9;
                          x' = x - b_rater.
                          Calibrated values are not clipped to the scale.

Flags (sorted) and filtering:
      --min-votes N       flag low_votes when vote_count < N (default 1); such
                          items are left out unless --keep-low
      --keep-low          write low_votes items too
      --max-sd X          flag high_variance when the sd of any dimension is
                          > X (strictly; default 1.5)

Statistics:
      --stats FILE        write one JSON object to FILE: per dimension
                          Krippendorff's alpha with interval and ordinal
                          distances (items rated by one rater are left out),
                          with the units and pairable values used; per rater
                          (sorted by name): items graded and, per dimension,
                          values, mean score, mean signed deviation from the
                          leave-one-out consensus (mean of the other raters'
                          values on the item), the share of compared items
                          where it is more than 1 point away (strictly), and
                          the number of compared items; the items flagged
                          high_variance; item counts. Uncalibrated values.
                          FILE appears with the output, only when the whole
                          run succeeds.

Sharding:
      --partial           write mergeable per-item partial records (every
                          grade that the statistics need) instead of item
                          records
      --merge             read partial records (from shards in input order)
                          and write exactly the item records one run over
                          the concatenated input would write

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
Input: JSON Lines, one object per line; blank lines are skipped. Output item
record: the --item fields, "scores" {DIM: {mean, median, trimmed_mean, sd,
min, max, n}} in --score order, "overall", "vote_count", "raters", "flags",
then the --keep fields.

A field an option names that no record has is an error (exit 1) naming the
option and the fields seen: every --score field, every --item and --keep
field, and --rater and --time when given. Items left out by --min-votes are
counted on stderr in one line ('consensus: 15 items, 10 written, 5 left out:
low_votes (no complete grade); --keep-low keeps them'); --quiet silences it
unless nothing was written.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'consensus: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  csv2jsonl grades/*.csv | consensus --keep type --stats agreement.json > items.jsonl
)";


struct Options {
  prefline::CommonOptions common;
  std::string item = "challenge,model";
  std::string rater = std::string(grade_schema::reviewed_by);
  std::vector<std::string> scores;
  std::string scale = "0:5";
  std::string keep;
  std::string time = std::string(grade_schema::reviewed_at);
  double trim = 0.1;
  std::string overall = "mean";
  std::string weights;
  bool partial_votes = false;
  std::string duplicates = "latest";
  std::string calibrate = "none";
  long long min_votes = 1;
  bool keep_low = false;
  double max_sd = 1.5;
  std::string stats;
  bool partial = false;
  bool merge = false;
  // Set by the option definitions: --rater and --time are checked against
  // the records only when given (their defaults may well be absent).
  const CLI::Option* rater_option = nullptr;
  const CLI::Option* time_option = nullptr;
};


Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.item_fields = prefline::parse_name_list("--item", options.item, false);
  if (options.rater.empty()) throw prefline::UsageError("--rater needs a field name");
  settings.rater_field = options.rater;
  settings.keep_fields = prefline::parse_name_list("--keep", options.keep, true);
  if (options.time.empty()) throw prefline::UsageError("--time needs a field name");
  settings.time_field = options.time;

  std::vector<std::string> scores = options.scores;
  if (scores.empty()) {
    scores = {fmt::format("technical={}", grade_schema::technical_score),
              fmt::format("aesthetic={}", grade_schema::aesthetic_score)};
  }
  for (const auto& score : scores) {
    const std::size_t equals = score.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == score.size())
      throw prefline::UsageError(fmt::format("--score: expected DIM=FIELD, got '{}'", score));
    Dimension dimension{score.substr(0, equals), score.substr(equals + 1), 1};
    for (const auto& seen : settings.dimensions)
      if (seen.name == dimension.name)
        throw prefline::UsageError(fmt::format("--score: dimension '{}' given twice", dimension.name));
    settings.dimensions.push_back(dimension);
  }
  // Item fields, --keep fields and dimensions are written as JSON keys.
  auto check_utf8 = [](std::string_view option, const std::string& name) {
    if (!simdjson::validate_utf8(name.data(), name.size()))
      throw prefline::UsageError(fmt::format("{}: a name is not valid UTF-8", option));
  };
  for (const auto& name : settings.item_fields) check_utf8("--item", name);
  for (const auto& name : settings.keep_fields) check_utf8("--keep", name);
  for (const auto& dimension : settings.dimensions) check_utf8("--score", dimension.name);

  if (!options.weights.empty()) {
    for (const auto& part : prefline::split_list(options.weights)) {
      const std::size_t equals = part.find('=');
      if (equals == std::string::npos)
        throw prefline::UsageError(fmt::format("--weight: expected DIM=W, got '{}'", part));
      const std::string name = part.substr(0, equals);
      const double weight = prefline::parse_number("--weight", std::string_view(part).substr(equals + 1));
      if (weight < 0) throw prefline::UsageError(fmt::format("--weight: weight of '{}' is negative", name));
      auto found = std::find_if(settings.dimensions.begin(), settings.dimensions.end(),
                                [&](const Dimension& d) { return d.name == name; });
      if (found == settings.dimensions.end())
        throw prefline::UsageError(fmt::format("--weight: no dimension '{}' (see --score)", name));
      found->weight = weight;
    }
  }
  double weight_sum = 0;
  for (const auto& dimension : settings.dimensions) weight_sum += dimension.weight;
  if (weight_sum <= 0) throw prefline::UsageError("--weight: the weights add up to 0");

  const std::size_t colon = options.scale.find(':');
  if (colon == std::string::npos) throw prefline::UsageError(fmt::format("--scale: expected MIN:MAX, got '{}'", options.scale));
  settings.scale_min = prefline::parse_number("--scale", std::string_view(options.scale).substr(0, colon));
  settings.scale_max = prefline::parse_number("--scale", std::string_view(options.scale).substr(colon + 1));
  if (!(settings.scale_min < settings.scale_max))
    throw prefline::UsageError(fmt::format("--scale: MIN must be below MAX in '{}'", options.scale));
  settings.scale_text = options.scale;

  if (!(options.trim >= 0 && options.trim < 0.5))
    throw prefline::UsageError(fmt::format("--trim: {} is not in [0, 0.5)", options.trim));
  settings.trim = options.trim;

  const auto overall = consensus::parse_overall_stat(options.overall);
  if (!overall)
    throw prefline::UsageError(fmt::format("--overall: '{}' is not mean, median or trimmed_mean", options.overall));
  settings.overall = *overall;
  const auto duplicates = consensus::parse_duplicates(options.duplicates);
  if (!duplicates)
    throw prefline::UsageError(fmt::format("--duplicates: '{}' is not latest, first, mean or error", options.duplicates));
  settings.duplicates = *duplicates;
  const auto calibration = consensus::parse_calibration(options.calibrate);
  if (!calibration)
    throw prefline::UsageError(fmt::format("--calibrate: '{}' is not none, zscore or additive", options.calibrate));
  settings.calibration = *calibration;

  if (options.min_votes < 0) throw prefline::UsageError("--min-votes must be 0 or more");
  settings.min_votes = static_cast<std::size_t>(options.min_votes);
  settings.keep_low = options.keep_low;
  if (!(options.max_sd >= 0)) throw prefline::UsageError("--max-sd must be 0 or more");
  settings.max_sd = options.max_sd;
  settings.partial_votes = options.partial_votes;
  if (options.partial && options.merge) throw prefline::UsageError("--partial and --merge cannot be combined");
  if (options.partial && !options.stats.empty())
    throw prefline::UsageError("--stats needs final records: use it with --merge, not --partial");
  return settings;
}

// ---------------------------------------------------------------------------

// The fields the options name, watched in every grade record read.
struct WatchedField {
  std::size_t census_id;
  std::ptrdiff_t reader_field;
};

std::vector<WatchedField> watch_fields(const Options& options, const Settings& settings,
                                       const consensus::GradeReader& reader, prefline::FieldCensus& census) {
  std::vector<WatchedField> watched;
  auto watch = [&](const std::string& field, const std::string& what) {
    watched.push_back({census.watch(field, what), reader.field_index(field)});
  };
  for (const auto& dimension : settings.dimensions)
    watch(dimension.field,
          fmt::format("score field '{}' (--score {}={})", dimension.field, dimension.name, dimension.field));
  for (const auto& field : settings.item_fields)
    watch(field, fmt::format("item field '{}' (--item {})", field, options.item));
  if (options.rater_option != nullptr && options.rater_option->count() > 0)
    watch(settings.rater_field, fmt::format("rater field '{}' (--rater)", settings.rater_field));
  if (options.time_option != nullptr && options.time_option->count() > 0)
    watch(settings.time_field, fmt::format("time field '{}' (--time)", settings.time_field));
  for (const auto& field : settings.keep_fields)
    watch(field, fmt::format("field '{}' (--keep {})", field, options.keep));
  return watched;
}

// What low_votes means under --min-votes N, in a grader's words.
std::string low_votes_detail(std::size_t min_votes) {
  if (min_votes == 1) return "no complete grade";
  return fmt::format("fewer than {} complete grades", min_votes);
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --rejects, --stats: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  consensus::ItemTable table(settings);
  consensus::GradeReader reader(settings);
  simdjson::ondemand::parser parser;
  consensus::IncomingGrade grade;
  prefline::FieldCensus census;
  const std::vector<WatchedField> watched = watch_fields(options, settings, reader, census);

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      std::string reason;
      if (options.merge) {
        reason = consensus::merge_partial(parser, line, settings, table);
      } else {
        reason = reader.read(parser, line, grade);
        if (reader.fields_read()) {
          census.record();
          for (const WatchedField& field : watched)
            if (reader.has_field(field.reader_field)) census.found(field.census_id);
          if (census.wants_sample()) census.sample(line.text);
        }
        if (reason.empty()) {
          if (!reader.contradiction().empty()) fmt::print(stderr, "{}: {}\n", tool, reader.contradiction());
          reason = table.add(grade);
        }
      }
      if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
      progress.tick();
    }
  }
  progress.finish();
  census.check();

  auto& items = table.items();
  prefline::RunSummary summary(tool, "items");
  if (options.partial) {
    for (const auto& item : items) {
      consensus::write_partial(out.buffer(), settings, item, table.rater_names());
      out.maybe_flush();
    }
  } else {
    table.canonicalize();
    const consensus::ItemStatistics finisher(settings, items, table.rater_names().size());
    std::vector<std::size_t> high_variance;
    std::size_t written = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const consensus::FinishedItem done = finisher.finish(i);
      if (done.high_variance) high_variance.push_back(i);
      if (done.low_votes && !settings.keep_low) continue;
      consensus::write_item(out.buffer(), settings, items[i], done, table.rater_names());
      out.maybe_flush();
      ++written;
    }
    if (!options.stats.empty())
      consensus::write_agreement(outputs.add(options.stats).buffer(), settings, items, table.rater_names(),
                                 finisher, high_variance, written);
    summary.set_read(items.size());
    summary.set_written(written);
    summary.left_out("low_votes", items.size() - written, low_votes_detail(settings.min_votes),
                     "--keep-low keeps them");
  }
  outputs.commit();
  bad.finish(tool);
  summary.print(options.common.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--item", options.item);
        options.rater_option = app.add_option("--rater", options.rater);
        app.add_option("--score", options.scores)->allow_extra_args(false);
        app.add_option("--scale", options.scale);
        app.add_option("--keep", options.keep);
        options.time_option = app.add_option("--time", options.time);
        app.add_option("--trim", options.trim);
        app.add_option("--overall", options.overall);
        app.add_option("--weight", options.weights);
        app.add_flag("--partial-votes", options.partial_votes);
        app.add_option("--duplicates", options.duplicates);
        app.add_option("--calibrate", options.calibrate);
        app.add_option("--min-votes", options.min_votes);
        app.add_flag("--keep-low", options.keep_low);
        app.add_option("--max-sd", options.max_sd);
        app.add_option("--stats", options.stats);
        app.add_flag("--partial", options.partial);
        app.add_flag("--merge", options.merge);
      },
      [&] { run(options); }, {{"--agreement", "--stats"}});
}