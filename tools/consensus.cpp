// consensus: many graders' scores per item -> one item record with
// statistics per score dimension, plus an optional agreement report.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefline/stats/agreement.hpp"
#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/summary.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/text/timestamp.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/text/path.hpp"
#include "prefline/text/split.hpp"
#include "prefline/text/whitespace.hpp"

namespace {

namespace item_schema = prefline::schema::item;
namespace grade_schema = prefline::schema::grade;
namespace partial_schema = prefline::schema::partial;

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
                          (grades/alice.csv -> alice); neither -> bad record
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

Agreement report:
      --agreement FILE    write one JSON object to FILE: per dimension
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

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'consensus: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  csv2jsonl grades/*.csv | consensus --keep type --agreement agreement.json > items.jsonl
)";

enum class Duplicates { latest, first, mean, error };
enum class Calibration { none, zscore, additive };
enum class OverallStat { mean, median, trimmed_mean };

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
  std::string agreement;
  bool partial = false;
  bool merge = false;
};

struct Dimension {
  std::string name;
  std::string field;
  double weight = 1;
};

// Options checked and parsed, before any input is read.
struct Settings {
  std::vector<std::string> item_fields;
  std::string rater_field;
  std::vector<Dimension> dimensions;
  double scale_min = 0, scale_max = 5;
  std::string scale_text;
  std::vector<std::string> keep_fields;
  std::string time_field;
  double trim = 0.1;
  OverallStat overall = OverallStat::mean;
  bool partial_votes = false;
  Duplicates duplicates = Duplicates::latest;
  Calibration calibration = Calibration::none;
  std::size_t min_votes = 1;
  bool keep_low = false;
  double max_sd = 1.5;
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

  if (options.overall == "mean") settings.overall = OverallStat::mean;
  else if (options.overall == "median") settings.overall = OverallStat::median;
  else if (options.overall == "trimmed_mean") settings.overall = OverallStat::trimmed_mean;
  else throw prefline::UsageError(fmt::format("--overall: '{}' is not mean, median or trimmed_mean", options.overall));

  if (options.duplicates == "latest") settings.duplicates = Duplicates::latest;
  else if (options.duplicates == "first") settings.duplicates = Duplicates::first;
  else if (options.duplicates == "mean") settings.duplicates = Duplicates::mean;
  else if (options.duplicates == "error") settings.duplicates = Duplicates::error;
  else throw prefline::UsageError(fmt::format("--duplicates: '{}' is not latest, first, mean or error", options.duplicates));

  if (options.calibrate == "none") settings.calibration = Calibration::none;
  else if (options.calibrate == "zscore") settings.calibration = Calibration::zscore;
  else if (options.calibrate == "additive") settings.calibration = Calibration::additive;
  else throw prefline::UsageError(fmt::format("--calibrate: '{}' is not none, zscore or additive", options.calibrate));

  if (options.min_votes < 0) throw prefline::UsageError("--min-votes must be 0 or more");
  settings.min_votes = static_cast<std::size_t>(options.min_votes);
  settings.keep_low = options.keep_low;
  if (!(options.max_sd >= 0)) throw prefline::UsageError("--max-sd must be 0 or more");
  settings.max_sd = options.max_sd;
  settings.partial_votes = options.partial_votes;
  if (options.partial && options.merge) throw prefline::UsageError("--partial and --merge cannot be combined");
  if (options.partial && !options.agreement.empty())
    throw prefline::UsageError("--agreement needs final records: use it with --merge, not --partial");
  return settings;
}

// ---------------------------------------------------------------------------
// State: items in first-seen order, each with one grade per rater.

constexpr double not_graded = std::numeric_limits<double>::quiet_NaN();

struct Grade {
  std::uint32_t rater;
  bool has_time;
  std::int64_t time;  // microseconds since the epoch
};

struct Item {
  std::vector<std::string> key_json;   // per --item field, as written
  std::vector<std::string> keep_json;  // per --keep field, raw JSON
  std::vector<Grade> grades;
  std::vector<double> values;         // grades.size() x dimensions; NaN = not graded (sums with --duplicates mean)
  std::vector<std::uint32_t> counts;  // same shape, only with --duplicates mean
  bool duplicate_grades = false;
};

// An item-key value as read: an unescaped string, or a number's JSON text.
struct KeyValue {
  bool is_string = false;
  std::string_view text;
};

// A grade as read from one record, before it is added. The views point into
// the parser's buffers and are valid until the next record is parsed.
struct IncomingGrade {
  std::vector<KeyValue> key_values;
  std::string key;  // hash key: the key values, unambiguously joined
  std::vector<std::string_view> keep_raw;  // raw JSON per --keep field, empty when missing
  std::string_view rater;
  bool has_time = false;
  std::int64_t time = 0;
  std::vector<double> values;
  std::vector<std::uint32_t> counts;
};


class Consensus {
 public:
  explicit Consensus(const Settings& settings) : settings_(settings), dims_(settings.dimensions.size()) {}

  // Adds a grade; returns a reason when it cannot be added (--duplicates error).
  std::string add(IncomingGrade& grade) {
    const std::uint32_t rater = rater_index(grade.rater);
    auto found = item_index_.find(std::string_view(grade.key));
    Item* item;
    if (found == item_index_.end()) {
      item_index_.emplace(grade.key, static_cast<std::uint32_t>(items_.size()));
      Item created;
      for (const auto& value : grade.key_values)
        created.key_json.push_back(value.is_string ? prefline::json_quoted(value.text) : std::string(value.text));
      for (const auto raw : grade.keep_raw) created.keep_json.emplace_back(raw.empty() ? std::string_view("null") : raw);
      items_.push_back(std::move(created));
      item = &items_.back();
    } else {
      item = &items_[found->second];
    }
    for (std::size_t g = 0; g < item->grades.size(); ++g) {
      if (item->grades[g].rater != rater) continue;
      return merge_duplicate(*item, g, grade);
    }
    item->grades.push_back({rater, grade.has_time, grade.time});
    item->values.insert(item->values.end(), grade.values.begin(), grade.values.end());
    if (settings_.duplicates == Duplicates::mean) item->counts.insert(item->counts.end(), grade.counts.begin(), grade.counts.end());
    return {};
  }

  bool has_duplicate(const IncomingGrade& grade) const {
    auto found = item_index_.find(std::string_view(grade.key));
    if (found == item_index_.end()) return false;
    auto rater = rater_index_.find(std::string_view(grade.rater));
    if (rater == rater_index_.end()) return false;
    for (const auto& existing : items_[found->second].grades)
      if (existing.rater == rater->second) return true;
    return false;
  }

  void mark_duplicates(std::string_view key) {
    auto found = item_index_.find(key);
    if (found != item_index_.end()) items_[found->second].duplicate_grades = true;
  }

  std::vector<Item>& items() { return items_; }
  const std::vector<std::string>& rater_names() const { return rater_names_; }

  // Renumbers raters in name order and sorts each item's grades by rater, so
  // everything computed afterwards is independent of the input's order
  // (a sharded run then gives the same bytes as a single one).
  void canonicalize() {
    std::vector<std::uint32_t> order(rater_names_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return rater_names_[a] < rater_names_[b]; });
    std::vector<std::uint32_t> new_index(order.size());
    std::vector<std::string> names(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      new_index[order[i]] = i;
      names[i] = rater_names_[order[i]];
    }
    rater_names_ = std::move(names);
    for (auto& item : items_) {
      std::vector<std::size_t> by_rater(item.grades.size());
      for (std::size_t g = 0; g < by_rater.size(); ++g) {
        item.grades[g].rater = new_index[item.grades[g].rater];
        by_rater[g] = g;
      }
      std::sort(by_rater.begin(), by_rater.end(),
                [&](auto a, auto b) { return item.grades[a].rater < item.grades[b].rater; });
      Item sorted{std::move(item.key_json), std::move(item.keep_json), {}, {}, {}, item.duplicate_grades};
      for (std::size_t g : by_rater) {
        sorted.grades.push_back(item.grades[g]);
        sorted.values.insert(sorted.values.end(), item.values.begin() + static_cast<std::ptrdiff_t>(g * dims_),
                             item.values.begin() + static_cast<std::ptrdiff_t>((g + 1) * dims_));
        if (!item.counts.empty())
          sorted.counts.insert(sorted.counts.end(), item.counts.begin() + static_cast<std::ptrdiff_t>(g * dims_),
                               item.counts.begin() + static_cast<std::ptrdiff_t>((g + 1) * dims_));
      }
      item = std::move(sorted);
    }
    rater_index_.clear();
    for (std::uint32_t i = 0; i < rater_names_.size(); ++i) rater_index_.emplace(rater_names_[i], i);
  }

 private:
  std::uint32_t rater_index(std::string_view name) {
    auto found = rater_index_.find(std::string_view(name));
    if (found != rater_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(rater_names_.size());
    rater_names_.emplace_back(name);
    rater_index_.emplace(std::string(name), index);
    return index;
  }

  std::string merge_duplicate(Item& item, std::size_t g, const IncomingGrade& grade) {
    Grade& existing = item.grades[g];
    double* values = item.values.data() + g * dims_;
    switch (settings_.duplicates) {
      case Duplicates::error:
        return fmt::format("duplicate grade: rater '{}' already graded this item (see --duplicates)", grade.rater);
      case Duplicates::first:
        break;
      case Duplicates::latest: {
        // Total order (has_time, time); the newer record wins ties, so the
        // rule is associative and shards merge to the same winner.
        const bool newer = grade.has_time != existing.has_time ? grade.has_time
                                                               : (!grade.has_time || grade.time >= existing.time);
        if (newer) {
          existing.has_time = grade.has_time;
          existing.time = grade.time;
          std::copy(grade.values.begin(), grade.values.end(), values);
        }
        break;
      }
      case Duplicates::mean: {
        std::uint32_t* counts = item.counts.data() + g * dims_;
        for (std::size_t d = 0; d < dims_; ++d) {
          if (grade.counts[d] == 0) continue;
          values[d] = counts[d] == 0 ? grade.values[d] : values[d] + grade.values[d];
          counts[d] += grade.counts[d];
        }
        break;
      }
    }
    item.duplicate_grades = true;
    return {};
  }

  const Settings& settings_;
  std::size_t dims_;
  std::vector<Item> items_;
  prefline::StringMap<std::uint32_t> item_index_;
  std::vector<std::string> rater_names_;
  prefline::StringMap<std::uint32_t> rater_index_;
};

// Appends one item-key value to the item's map key (json/typed_key.hpp): a
// number keeps its JSON text, so 1 and 1.0 are different items.
void append_key_part(std::string& key, const KeyValue& value) {
  prefline::append_key_part(key, value.is_string ? prefline::key_tag::string : prefline::key_tag::number, value.text);
}

// Reads an item-key value: a string (unescaped; re-escaped for output) or a
// number (its JSON text as is).
std::string read_key_value(simdjson::ondemand::value value, std::string_view field, KeyValue& key) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type == simdjson::ondemand::json_type::string) {
    key.is_string = true;
    if (auto error = value.get_string().get(key.text)) return prefline::json_error_reason(error);
    return {};
  }
  if (type == simdjson::ondemand::json_type::number) {
    double number;
    if (value.get_double().get(number)) return fmt::format("item field '{}' is not a valid number", field);
    key.is_string = false;
    key.text = prefline::trim_json_whitespace(value.raw_json_token());
    return {};
  }
  return fmt::format("item field '{}' must be a string or a number, not {}", field, prefline::json_type_name(type));
}

// ---------------------------------------------------------------------------
// Reading grade records.

class GradeReader {
 public:
  explicit GradeReader(const Settings& settings) : settings_(settings), picker_(wanted_fields(settings)) {}

  // Parses one line into `grade`; returns the reason when the record is bad.
  std::string read(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, IncomingGrade& grade) {
    simdjson::ondemand::document document;
    std::string reason = prefline::start_object(parser, line, document);
    if (!reason.empty()) return reason;
    simdjson::ondemand::object object;
    if (auto error = document.get_object().get(object)) return prefline::json_error_reason(error);

    const std::size_t dims = settings_.dimensions.size();
    grade.key_values.assign(settings_.item_fields.size(), {});
    key_seen_.assign(settings_.item_fields.size(), false);
    grade.keep_raw.assign(settings_.keep_fields.size(), {});
    grade.values.assign(dims, not_graded);
    grade.counts.assign(settings_.duplicates == Duplicates::mean ? dims : 0, 0);
    grade.rater = {};
    grade.has_time = false;
    std::string_view source;
    bool have_source = false;
    std::string_view time_text;

    reason = picker_.pick(object, [&](std::size_t index, simdjson::ondemand::value value) -> std::string {
      for (const Role& role : roles_[index]) {
        std::string problem = read_role(role, value, grade, source, have_source, time_text);
        if (!problem.empty()) return problem;
      }
      return {};
    });
    if (!reason.empty()) return reason;
    if (!document.current_location().error()) return prefline::json_error_reason(simdjson::TRAILING_CONTENT);

    grade.key.clear();
    for (std::size_t i = 0; i < settings_.item_fields.size(); ++i) {
      if (!key_seen_[i]) return fmt::format("missing item field '{}'", settings_.item_fields[i]);
      append_key_part(grade.key, grade.key_values[i]);
    }
    if (grade.rater.empty()) {
      if (!have_source || prefline::path_stem(source).empty())
        return fmt::format("no rater: field '{}' is missing or empty and there is no '{}'", settings_.rater_field,
                           grade_schema::source);
      grade.rater = prefline::path_stem(source);
    }
    if (settings_.duplicates == Duplicates::latest && !time_text.empty()) {
      const auto time = prefline::parse_iso8601(time_text);
      if (!time) return fmt::format("time field '{}' is not an ISO 8601 time: '{}'", settings_.time_field, time_text);
      grade.has_time = true;
      grade.time = *time;
    }
    return {};
  }

 private:
  enum class RoleKind { item, rater, score, time, keep, source };
  struct Role {
    RoleKind kind;
    std::size_t index;
  };

  // One picker name per distinct field; a field can play several roles.
  std::vector<std::string> wanted_fields(const Settings& settings) {
    std::vector<std::string> names;
    auto add = [&](const std::string& name, RoleKind kind, std::size_t index) {
      auto found = std::find(names.begin(), names.end(), name);
      if (found == names.end()) {
        names.push_back(name);
        roles_.emplace_back();
        found = names.end() - 1;
      }
      roles_[static_cast<std::size_t>(found - names.begin())].push_back({kind, index});
    };
    for (std::size_t i = 0; i < settings.item_fields.size(); ++i) add(settings.item_fields[i], RoleKind::item, i);
    add(settings.rater_field, RoleKind::rater, 0);
    for (std::size_t d = 0; d < settings.dimensions.size(); ++d) add(settings.dimensions[d].field, RoleKind::score, d);
    add(settings.time_field, RoleKind::time, 0);
    for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) add(settings.keep_fields[k], RoleKind::keep, k);
    add(std::string(grade_schema::source), RoleKind::source, 0);
    return names;
  }

  // A value whose type() is null (which only looks at its first byte): ""
  // for the literal null, else the JSON error ("nul", "nullx").
  static std::string check_null(simdjson::ondemand::value& value) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return prefline::json_error_reason(error);
    return is_null ? std::string() : prefline::json_error_reason(simdjson::N_ATOM_ERROR);
  }

  std::string read_role(const Role& role, simdjson::ondemand::value& value, IncomingGrade& grade,
                        std::string_view& source, bool& have_source, std::string_view& time_text) {
    switch (role.kind) {
      case RoleKind::item: {
        key_seen_[role.index] = true;
        return read_key_value(value, settings_.item_fields[role.index], grade.key_values[role.index]);
      }
      case RoleKind::rater: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type == simdjson::ondemand::json_type::null) return check_null(value);
        std::string_view text;
        if (type != simdjson::ondemand::json_type::string || value.get_string().get(text))
          return fmt::format("rater field '{}' must be a string, not {}", settings_.rater_field,
                             prefline::json_type_name(type));
        grade.rater = text;
        return {};
      }
      case RoleKind::score: {
        const Dimension& dimension = settings_.dimensions[role.index];
        const prefline::NumberField field = prefline::read_number_field(value);
        if (field.state == prefline::NumberField::State::invalid)
          return fmt::format("score field '{}' is not a number: '{}'", dimension.field, field.text);
        if (field.state == prefline::NumberField::State::absent) return {};
        if (field.value < settings_.scale_min || field.value > settings_.scale_max)
          return fmt::format("score field '{}' is {}, outside the scale {}", dimension.field, field.value,
                             settings_.scale_text);
        grade.values[role.index] = field.value;
        if (!grade.counts.empty()) grade.counts[role.index] = 1;
        return {};
      }
      case RoleKind::time: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type == simdjson::ondemand::json_type::null) return check_null(value);
        if (type != simdjson::ondemand::json_type::string || value.get_string().get(time_text)) {
          if (settings_.duplicates != Duplicates::latest) {
            // Not needed without --duplicates latest, but it must be valid JSON.
            if (type == simdjson::ondemand::json_type::string) return prefline::json_error_reason(simdjson::STRING_ERROR);
            if (auto error = prefline::check_value(value)) return prefline::json_error_reason(error);
            return {};
          }
          return fmt::format("time field '{}' must be a string, not {}", settings_.time_field,
                             prefline::json_type_name(type));
        }
        return {};
      }
      case RoleKind::keep: {
        std::string_view raw;
        if (auto error = prefline::raw_value(value, raw)) return prefline::json_error_reason(error);
        grade.keep_raw[role.index] = raw;
        return {};
      }
      case RoleKind::source: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type != simdjson::ondemand::json_type::string) {
          // not a path: ignored, but it must be valid JSON
          if (auto error = prefline::check_value(value)) return prefline::json_error_reason(error);
          return {};
        }
        if (auto error = value.get_string().get(source)) return prefline::json_error_reason(error);
        have_source = true;
        return {};
      }
    }
    return {};
  }

  const Settings& settings_;
  std::vector<std::vector<Role>> roles_;
  prefline::FieldPicker picker_;
  std::vector<char> key_seen_;
};

// ---------------------------------------------------------------------------
// Partial records (--partial / --merge).

void write_partial(prefline::Buffer& out, const Settings& settings, const Item& item,
                   const std::vector<std::string>& rater_names) {
  const std::size_t dims = settings.dimensions.size();
  prefline::JsonWriter json(out);
  json.begin_object();
  json.key(partial_schema::item).begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(item.key_json[i]);
  json.end_object();
  json.key(partial_schema::keep).begin_object();
  for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) json.key(settings.keep_fields[k]).raw(item.keep_json[k]);
  json.end_object();
  json.key(partial_schema::dimensions).begin_array();
  for (const auto& dimension : settings.dimensions) json.string(dimension.name);
  json.end_array();
  json.key(item_schema::flag_duplicate_grades).boolean(item.duplicate_grades);
  json.key(partial_schema::grades).begin_array();
  for (std::size_t g = 0; g < item.grades.size(); ++g) {
    const Grade& grade = item.grades[g];
    json.begin_object();
    json.key(partial_schema::rater).string(rater_names[grade.rater]);
    json.key(partial_schema::time);
    if (grade.has_time) json.integer(grade.time); else json.null();
    json.key(partial_schema::values).begin_array();
    for (std::size_t d = 0; d < dims; ++d) json.number(item.values[g * dims + d]);  // NaN -> null
    json.end_array();
    if (!item.counts.empty()) {
      json.key(partial_schema::counts).begin_array();
      for (std::size_t d = 0; d < dims; ++d) json.integer(item.counts[g * dims + d]);
      json.end_array();
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

// Reads one partial record and adds its grades. Returns the reason when bad.
std::string merge_partial(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, const Settings& settings,
                          Consensus& consensus) {
  simdjson::ondemand::document document;
  std::string reason = prefline::start_object(parser, line, document);
  if (!reason.empty()) return reason;
  const std::size_t dims = settings.dimensions.size();
  const bool with_counts = settings.duplicates == Duplicates::mean;
  auto fail = [](simdjson::error_code error) { return prefline::json_error_reason(error); };
  auto not_partial = [](std::string_view what) {
    return fmt::format("not a consensus --partial record: {}", what);
  };

  IncomingGrade base;
  base.keep_raw.assign(settings.keep_fields.size(), {});
  base.key_values.assign(settings.item_fields.size(), {});
  std::vector<IncomingGrade> grades;
  bool duplicate_grades = false;
  bool seen_item = false, seen_grades = false, seen_dimensions = false;

  simdjson::ondemand::object object;
  if (auto error = document.get_object().get(object)) return fail(error);
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return fail(error);
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) return fail(error);
    if (key == partial_schema::item) {
      seen_item = true;
      simdjson::ondemand::object item;
      if (value.get_object().get(item)) return not_partial("'item' is not an object");
      std::size_t i = 0;
      for (auto part : item) {
        std::string_view name;
        if (auto error = part.unescaped_key().get(name)) return fail(error);
        if (i >= settings.item_fields.size())
          return fmt::format("partial record has more item fields than --item gives (extra '{}')", name);
        if (name != settings.item_fields[i])
          return fmt::format("partial record has item field '{}' where --item expects '{}'", name,
                             settings.item_fields[i]);
        simdjson::ondemand::value part_value;
        if (auto error = part.value().get(part_value)) return fail(error);
        reason = read_key_value(part_value, name, base.key_values[i]);
        if (!reason.empty()) return reason;
        append_key_part(base.key, base.key_values[i]);
        ++i;
      }
      if (i != settings.item_fields.size()) return not_partial("'item' lacks --item fields");
    } else if (key == partial_schema::keep) {
      simdjson::ondemand::object keep;
      if (value.get_object().get(keep)) return not_partial("'keep' is not an object");
      for (auto part : keep) {
        std::string_view name;
        if (auto error = part.unescaped_key().get(name)) return fail(error);
        simdjson::ondemand::value part_value;
        if (auto error = part.value().get(part_value)) return fail(error);
        std::string_view raw;
        if (auto error = prefline::raw_value(part_value, raw)) return fail(error);
        for (std::size_t k = 0; k < settings.keep_fields.size(); ++k)
          if (settings.keep_fields[k] == name) base.keep_raw[k] = raw;
      }
    } else if (key == partial_schema::dimensions) {
      seen_dimensions = true;
      simdjson::ondemand::array names;
      if (value.get_array().get(names)) return not_partial("'dimensions' is not an array");
      std::size_t d = 0;
      for (auto element : names) {
        std::string_view name;
        if (element.get_string().get(name)) return not_partial("'dimensions' holds a non-string");
        if (d >= dims) return fmt::format("partial record has more dimensions than --score gives (extra '{}')", name);
        if (name != settings.dimensions[d].name)
          return fmt::format("partial record has dimension '{}' where --score expects '{}'", name,
                             settings.dimensions[d].name);
        ++d;
      }
      if (d != dims) return "partial record has fewer dimensions than --score";
    } else if (key == item_schema::flag_duplicate_grades) {
      if (value.get_bool().get(duplicate_grades)) return not_partial("'duplicate_grades' is not a boolean");
    } else if (key == partial_schema::grades) {
      seen_grades = true;
      simdjson::ondemand::array list;
      if (value.get_array().get(list)) return not_partial("'grades' is not an array");
      for (auto element : list) {
        simdjson::ondemand::object entry;
        if (element.get_object().get(entry)) return not_partial("a grade is not an object");
        IncomingGrade grade;
        grade.values.assign(dims, not_graded);
        grade.counts.assign(with_counts ? dims : 0, 0);
        bool have_counts = false;
        for (auto part : entry) {
          std::string_view name;
          if (auto error = part.unescaped_key().get(name)) return fail(error);
          simdjson::ondemand::value part_value;
          if (auto error = part.value().get(part_value)) return fail(error);
          if (name == partial_schema::rater) {
            if (part_value.get_string().get(grade.rater) || grade.rater.empty())
              return not_partial("a grade has no rater");
          } else if (name == partial_schema::time) {
            bool is_null = false;
            if (part_value.is_null().get(is_null)) return fail(simdjson::INCORRECT_TYPE);
            if (!is_null) {
              if (part_value.get_int64().get(grade.time)) return not_partial("a grade's time is not an integer");
              grade.has_time = true;
            }
          } else if (name == partial_schema::values || name == partial_schema::counts) {
            const bool counts = name == partial_schema::counts;
            if (counts && !with_counts) return "partial record has counts: merge with --duplicates mean";
            have_counts = have_counts || counts;
            simdjson::ondemand::array numbers;
            if (part_value.get_array().get(numbers)) return not_partial("'values' is not an array");
            std::size_t d = 0;
            for (auto number : numbers) {
              if (d >= dims) return not_partial("too many values");
              if (counts) {
                std::uint64_t count;
                if (number.get_uint64().get(count)) return not_partial("a count is not an integer");
                grade.counts[d] = static_cast<std::uint32_t>(count);
              } else {
                bool is_null = false;
                if (number.is_null().get(is_null)) return fail(simdjson::INCORRECT_TYPE);
                if (!is_null && number.get_double().get(grade.values[d])) return not_partial("a value is not a number");
              }
              ++d;
            }
            if (d != dims) return not_partial("too few values");
          } else {
            // another key: skipped, but it must be valid JSON
            if (auto error = prefline::check_value(part_value)) return fail(error);
          }
        }
        if (grade.rater.empty()) return not_partial("a grade has no rater");
        if (with_counts && !have_counts) return "partial record has no counts: it was not made with --duplicates mean";
        grades.push_back(std::move(grade));
      }
    } else {
      // another key: skipped, but it must be valid JSON
      if (auto error = prefline::check_value(value)) return fail(error);
    }
  }
  if (!document.current_location().error()) return fail(simdjson::TRAILING_CONTENT);
  if (!seen_item || !seen_grades || !seen_dimensions) return not_partial("missing 'item', 'dimensions' or 'grades'");

  // Check every grade first, so a bad record changes nothing.
  if (settings.duplicates == Duplicates::error) {
    for (const auto& grade : grades) {
      IncomingGrade probe;
      probe.key = base.key;
      probe.rater = grade.rater;
      if (consensus.has_duplicate(probe))
        return fmt::format("duplicate grade: rater '{}' already graded this item (see --duplicates)", grade.rater);
    }
  }
  for (auto& grade : grades) {
    grade.key = base.key;
    grade.key_values = base.key_values;
    grade.keep_raw = base.keep_raw;
    reason = consensus.add(grade);
    if (!reason.empty()) return reason;
  }
  if (duplicate_grades) consensus.mark_duplicates(base.key);
  return {};
}

// ---------------------------------------------------------------------------
// Final records and the agreement report.

struct Finished {
  std::vector<prefline::stats::Summary> summaries;  // per dimension
  std::optional<double> overall;
  std::size_t vote_count = 0;
  std::vector<std::uint32_t> raters;  // sorted
  bool low_votes = false;
  bool high_variance = false;
};

class Finisher {
 public:
  Finisher(const Settings& settings, std::vector<Item>& items, std::size_t raters)
      : settings_(settings), items_(items), raters_(raters), dims_(settings.dimensions.size()) {
    used_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& item = items[i];
      used_[i].assign(item.grades.size() * dims_, not_graded);
      for (std::size_t g = 0; g < item.grades.size(); ++g) {
        bool complete = true;
        for (std::size_t d = 0; d < dims_; ++d) complete = complete && !std::isnan(value(item, g, d));
        for (std::size_t d = 0; d < dims_; ++d)
          if (complete || settings.partial_votes) used_[i][g * dims_ + d] = value(item, g, d);
      }
    }
    calibrated_ = used_;
    if (settings.calibration != Calibration::none) calibrate();
  }

  Finished finish(std::size_t i) const {
    const Item& item = items_[i];
    Finished done;
    std::vector<double> values;
    double weighted = 0, weight_sum = 0;
    for (std::size_t d = 0; d < dims_; ++d) {
      values.clear();
      for (std::size_t g = 0; g < item.grades.size(); ++g) {
        const double v = calibrated_[i][g * dims_ + d];
        if (!std::isnan(v)) values.push_back(v);
      }
      done.summaries.push_back(prefline::stats::summarize(values, settings_.trim));
      const auto& summary = done.summaries.back();
      if (summary.n > 0) {
        const double statistic = settings_.overall == OverallStat::mean     ? summary.mean
                                 : settings_.overall == OverallStat::median ? summary.median
                                                                            : summary.trimmed_mean;
        weighted += settings_.dimensions[d].weight * statistic;
        weight_sum += settings_.dimensions[d].weight;
        if (summary.sd > settings_.max_sd) done.high_variance = true;
      }
    }
    if (weight_sum > 0) done.overall = weighted / weight_sum;
    for (std::size_t g = 0; g < item.grades.size(); ++g) {
      bool complete = true, any = false;
      for (std::size_t d = 0; d < dims_; ++d) {
        const bool has = !std::isnan(value(item, g, d));
        complete = complete && has;
        any = any || has;
      }
      if (complete) ++done.vote_count;
      if (any) done.raters.push_back(item.grades[g].rater);
    }
    std::sort(done.raters.begin(), done.raters.end());
    done.low_votes = done.vote_count < settings_.min_votes;
    return done;
  }

  // The values that count for dimension d, uncalibrated, as (item, rater, value).
  std::vector<prefline::stats::RatedValue> rated_values(std::size_t d) const {
    std::vector<prefline::stats::RatedValue> rated;
    for (std::size_t i = 0; i < items_.size(); ++i)
      for (std::size_t g = 0; g < items_[i].grades.size(); ++g) {
        const double v = used_[i][g * dims_ + d];
        if (!std::isnan(v)) rated.push_back({i, items_[i].grades[g].rater, v});
      }
    return rated;
  }

 private:
  // The rater's value (the mean of the duplicates with --duplicates mean).
  double value(const Item& item, std::size_t g, std::size_t d) const {
    const double v = item.values[g * dims_ + d];
    if (item.counts.empty() || std::isnan(v)) return v;
    const std::uint32_t count = item.counts[g * dims_ + d];
    return count == 0 ? not_graded : v / count;
  }

  void calibrate() {
    for (std::size_t d = 0; d < dims_; ++d) {
      const auto rated = rated_values(d);
      const std::vector<double> adjusted =
          settings_.calibration == Calibration::zscore
              ? prefline::stats::calibrate_zscore(rated, raters_)
              : prefline::stats::calibrate_additive(rated, items_.size(), raters_);
      std::size_t next = 0;
      for (std::size_t i = 0; i < items_.size(); ++i)
        for (std::size_t g = 0; g < items_[i].grades.size(); ++g)
          if (!std::isnan(used_[i][g * dims_ + d])) calibrated_[i][g * dims_ + d] = adjusted[next++];
    }
  }

  const Settings& settings_;
  std::vector<Item>& items_;
  std::size_t raters_;
  std::size_t dims_;
  std::vector<std::vector<double>> used_;        // per item: grades x dims, NaN where it does not count
  std::vector<std::vector<double>> calibrated_;  // same shape, after calibration
};

void write_summary(prefline::JsonWriter& json, const prefline::stats::Summary& summary) {
  json.begin_object();
  auto number = [&](std::string_view name, double value) {
    json.key(name);
    if (summary.n == 0) json.null(); else json.number(value);
  };
  number(item_schema::mean, summary.mean);
  number(item_schema::median, summary.median);
  number(item_schema::trimmed_mean, summary.trimmed_mean);
  number(item_schema::sd, summary.sd);
  number(item_schema::min, summary.min);
  number(item_schema::max, summary.max);
  json.key(item_schema::n).integer(static_cast<std::int64_t>(summary.n));
  json.end_object();
}

void write_item(prefline::Buffer& out, const Settings& settings, const Item& item, const Finished& done,
                const std::vector<std::string>& rater_names) {
  prefline::JsonWriter json(out);
  json.begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(item.key_json[i]);
  json.key(item_schema::scores).begin_object();
  for (std::size_t d = 0; d < settings.dimensions.size(); ++d) {
    json.key(settings.dimensions[d].name);
    write_summary(json, done.summaries[d]);
  }
  json.end_object();
  json.key(item_schema::overall);
  if (done.overall) json.number(*done.overall); else json.null();
  json.key(item_schema::vote_count).integer(static_cast<std::int64_t>(done.vote_count));
  json.key(item_schema::raters).begin_array();
  for (auto rater : done.raters) json.string(rater_names[rater]);
  json.end_array();
  json.key(item_schema::flags).begin_array();  // in sorted order
  if (item.duplicate_grades) json.string(item_schema::flag_duplicate_grades);
  if (done.high_variance) json.string(item_schema::flag_high_variance);
  if (done.low_votes) json.string(item_schema::flag_low_votes);
  json.end_array();
  for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) json.key(settings.keep_fields[k]).raw(item.keep_json[k]);
  json.end_object();
  json.end_record();
}

void write_agreement(prefline::Output& out, const Settings& settings, const std::vector<Item>& items,
                     const std::vector<std::string>& rater_names, const Finisher& finisher,
                     const std::vector<std::size_t>& high_variance, std::size_t written) {
  namespace agreement = prefline::agreement;
  namespace report = prefline::schema::agreement;
  prefline::JsonWriter json(out.buffer());
  auto optional_number = [&](double value) {
    if (std::isnan(value)) json.null(); else json.number(value);
  };
  const std::size_t dims = settings.dimensions.size();
  std::vector<std::vector<agreement::RaterAgreement>> per_rater(dims);

  json.begin_object();
  json.key(report::items).integer(static_cast<std::int64_t>(items.size()));
  json.key(report::items_written).integer(static_cast<std::int64_t>(written));
  json.key(report::dimensions).begin_object();
  for (std::size_t d = 0; d < dims; ++d) {
    const auto rated = finisher.rated_values(d);
    std::vector<std::vector<double>> units(items.size());
    for (const auto& value : rated) units[value.item].push_back(value.value);
    const auto interval = agreement::krippendorff_alpha(units, agreement::Metric::interval);
    const auto ordinal = agreement::krippendorff_alpha(units, agreement::Metric::ordinal);
    json.key(settings.dimensions[d].name).begin_object();
    json.key(report::alpha_interval);
    optional_number(interval.alpha);
    json.key(report::alpha_ordinal);
    optional_number(ordinal.alpha);
    json.key(report::units).integer(static_cast<std::int64_t>(interval.units));
    json.key(report::pairable_values).integer(static_cast<std::int64_t>(interval.pairable_values));
    json.end_object();
    per_rater[d] = agreement::rater_agreement(rated, items.size(), rater_names.size());
  }
  json.end_object();

  std::vector<std::size_t> items_graded(rater_names.size(), 0);
  for (const auto& item : items)
    for (std::size_t g = 0; g < item.grades.size(); ++g) {
      bool any = false;
      for (std::size_t d = 0; d < dims; ++d) any = any || !std::isnan(item.values[g * dims + d]);
      if (any) ++items_graded[item.grades[g].rater];
    }
  json.key(report::raters).begin_array();
  for (std::size_t r = 0; r < rater_names.size(); ++r) {
    json.begin_object();
    json.key(report::rater).string(rater_names[r]);
    json.key(report::items_graded).integer(static_cast<std::int64_t>(items_graded[r]));
    for (std::size_t d = 0; d < dims; ++d) {
      const auto& stats = per_rater[d][r];
      json.key(settings.dimensions[d].name).begin_object();
      json.key(report::values).integer(static_cast<std::int64_t>(stats.grades));
      json.key(report::mean_score);
      optional_number(stats.mean_score);
      json.key(report::mean_deviation);
      optional_number(stats.mean_deviation);
      json.key(report::share_far);
      optional_number(stats.share_far);
      json.key(report::compared_items).integer(static_cast<std::int64_t>(stats.compared_items));
      json.end_object();
    }
    json.end_object();
  }
  json.end_array();
  json.key(item_schema::flag_high_variance).begin_array();
  for (std::size_t i : high_variance) {
    json.begin_object();
    for (std::size_t k = 0; k < settings.item_fields.size(); ++k)
      json.key(settings.item_fields[k]).raw(items[i].key_json[k]);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --rejects, --agreement: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  Consensus consensus(settings);
  GradeReader reader(settings);
  simdjson::ondemand::parser parser;
  IncomingGrade grade;

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      std::string reason;
      if (options.merge) {
        reason = merge_partial(parser, line, settings, consensus);
      } else {
        reason = reader.read(parser, line, grade);
        if (reason.empty()) reason = consensus.add(grade);
      }
      if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
      progress.tick();
    }
  }
  progress.finish();

  auto& items = consensus.items();
  if (options.partial) {
    for (const auto& item : items) {
      write_partial(out.buffer(), settings, item, consensus.rater_names());
      out.maybe_flush();
    }
  } else {
    consensus.canonicalize();
    const Finisher finisher(settings, items, consensus.rater_names().size());
    std::vector<std::size_t> high_variance;
    std::size_t written = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Finished done = finisher.finish(i);
      if (done.high_variance) high_variance.push_back(i);
      if (done.low_votes && !settings.keep_low) continue;
      write_item(out.buffer(), settings, items[i], done, consensus.rater_names());
      out.maybe_flush();
      ++written;
    }
    if (!options.agreement.empty())
      write_agreement(outputs.add(options.agreement), settings, items, consensus.rater_names(), finisher,
                      high_variance, written);
  }
  outputs.commit();
  bad.finish(tool);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--item", options.item);
        app.add_option("--rater", options.rater);
        app.add_option("--score", options.scores)->allow_extra_args(false);
        app.add_option("--scale", options.scale);
        app.add_option("--keep", options.keep);
        app.add_option("--time", options.time);
        app.add_option("--trim", options.trim);
        app.add_option("--overall", options.overall);
        app.add_option("--weight", options.weights);
        app.add_flag("--partial-votes", options.partial_votes);
        app.add_option("--duplicates", options.duplicates);
        app.add_option("--calibrate", options.calibrate);
        app.add_option("--min-votes", options.min_votes);
        app.add_flag("--keep-low", options.keep_low);
        app.add_option("--max-sd", options.max_sd);
        app.add_option("--agreement", options.agreement);
        app.add_flag("--partial", options.partial);
        app.add_flag("--merge", options.merge);
      },
      [&] { run(options); });
}
