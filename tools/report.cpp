// report: judged turns, pair records or item records -> a Markdown report for
// people to read before they train (and, with --html, the same report as one
// self-contained HTML page with SVG charts).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "prefline/cli/tool.hpp"
#include "prefline/report/document.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/report/html_page.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/summary.hpp"
#include "prefline/text/string_map.hpp"

namespace {

namespace duel_schema = prefline::schema::duel;
namespace item_schema = prefline::schema::item;
namespace pair_schema = prefline::schema::pair;
namespace grade_schema = prefline::schema::grade;
namespace doc = prefline::doc;
using element = simdjson::dom::element;
using element_type = simdjson::dom::element_type;

constexpr std::string_view tool = "report";

constexpr std::string_view help = R"(Usage: report [OPTIONS] [FILE...]

Write a Markdown report on judged turns (duel-judge output, routed by
bucket), pair records (pairup output) or item records (consensus output),
for people to read before they train. Reads JSON Lines from the FILEs or
standard input; writes Markdown to standard output (or -o FILE) and, with
--html, the same report as one HTML page with charts.

What the report shows, by kind of record:
  judged  records with a 'duel' object: totals (turns, parsed, not parsed,
          with and without a score); score and delta statistics; turns per
          bucket, with share and scores; a score histogram with the bucket
          edges; per-metric means (duel.by_metric) and per-judge mean
          scores (duel.by_judge) over the turns with a score (as
          duel-judge's summary); the --summary file; the turns with the
          highest scores (score, id, bucket, each by_metric value, and
          FILE:LINE)
  pairs   records with 'metadata', 'chosen' and 'rejected': totals; pairs
          per group; score_difference statistics and histogram; how often
          each candidate is chosen and rejected; chosen and rejected mean
          scores per key of chosen_scores / rejected_scores
  items   records with 'scores' and 'vote_count': totals; items per
          vote_count; flags and the flagged items; statistics and a
          histogram of overall and of each dimension's 'mean'
  Without --kind, each record's kind is detected from its fields, in this
  order: 'duel' -> judged; 'metadata' + 'chosen' + 'rejected' -> pairs;
  'scores' + 'vote_count' -> items. One report covers one kind: a record of
  another kind than the first valid record, or of no kind, is a bad record.
  No records at all: a report that says so.

Options:
      --kind KIND         judged, pairs or items: report this kind; records
                          without its fields are bad records (default auto:
                          detected as above)
      --title TEXT        the report's title (default, also for an empty
                          TEXT: 'prefline report: ' and 'judged turns',
                          'pair records' or 'item records')
      --max-rows N        at most N rows in each table that lists records or
                          names (turns, flagged items, groups, candidates);
                          the report says how many more there are (default
                          20; 0 leaves those tables out)
      --decimals N        decimals of computed statistics, 0-9 (default 2)
      --html FILE         also write the report as one HTML page: the same
                          headings, text and tables, with SVG charts
                          (histograms, bars); inline CSS and SVG, no script,
                          no external URL, no web font. FILE appears only
                          when the tool succeeds
      --summary FILE      a JSON object (duel-judge's summary) shown as a
                          key/value table in file order: nested objects as
                          dotted keys, a list of plain values as "a, b, c",
                          other arrays as compact JSON

Judged turns:
      --id FIELDS         the field, or comma list of fields, naming a turn
                          in the turns table (default id; duel-judge's
                          example turns: instance_id,turn): strings or
                          numbers (other values are shown as compact JSON),
                          joined by ' / '
      --bucket-field FIELD  the field bucket added (default bucket; bucket
                          --as): a string; missing or null counts as
                          '(no bucket)'
      --edges E1,E2,...   the bucket edges: marked in the histogram and
                          naming its bands (default 66,80, the seed's
                          defeat < 66 <= refined < 80 <= final). Each edge
                          belongs to the band above it, as in bucket.
                          Increasing numbers, each > 0 and < 100
      --bin-width N       the score histogram's bin width, a whole number
                          1-100 (default 10): bins start at 0, are split at
                          each edge, and the last one ends at 100
                          (inclusive)

Pair records:
      --group FIELD       the group field in metadata (default: the first
                          pair's one metadata key that is not chosen_*,
                          rejected_*, score_difference, dataset_version or
                          generated_at; if it has not exactly one, challenge)
      --candidate FIELD   the candidate field: metadata holds chosen_FIELD and
                          rejected_FIELD (default: the first pair's one X
                          with a chosen_X other than chosen_scores; if it has
                          not exactly one, model)

)"
R"(Common options:
  -o, --output FILE     write the Markdown to FILE instead of standard output;
                        FILE appears only when the tool succeeds
      --skip-invalid    skip bad records instead of stopping at the first one;
                        at the end 'report: skipped N invalid records' goes to
                        stderr (the report says it too), exit 0
      --rejects FILE    with --skip-invalid: write every skipped input line to
                        FILE, byte for byte
  -q, --quiet           no progress display (shown only when stderr is a
                        terminal)
  -h, --help            show this help and exit
      --version         show the version and exit

Numbers: counts are whole numbers. Values taken from the records (a score, a
minimum, a maximum, an id) are printed in the shortest form that reads back as
the same number (83.3333, 5, 0.75), as JSON output is. Computed statistics
(means, standard deviations, medians) are rounded to --decimals places like
printf's %.Nf (the binary value rounded to nearest, ties to even; -0 is
written 0): a mean is a compensated sum divided by n, sd the sample standard
deviation (n - 1; 0 for one value), a median the middle value or the mean of
the two middle ones. Shares are percentages with one decimal of the total the
table names. '—' marks a missing value. A bar of '█' is count / largest count
x 30 characters, rounded to nearest, at least one for a count above 0.
Histograms of pairs and items have bins of a width 1, 2 or 5 x 10^k, chosen to
give at most 10 bins from the lowest to the highest value; a bin holds
low <= value < high, the last one also its high.

Fields read (all others, duel.judgements included, are not read):
  judged  duel.score (a number 0-100, or null: not parsed), duel.parsed
          (true or false); optional: duel.delta (a number or null),
          duel.by_metric and duel.by_judge (objects of numbers or null), the
          --id and --bucket-field fields
  pairs   metadata.GROUP, metadata.chosen_CANDIDATE and
          metadata.rejected_CANDIDATE (strings or numbers),
          metadata.score_difference (a number), metadata.chosen_scores and
          metadata.rejected_scores (objects of numbers or null; optional);
          'chosen' and 'rejected' must be there but are not read
  items   the fields before 'scores' (the item key, columns of the flagged
          items table, named after the first item), scores.DIM.mean (a
          number or null), overall (a number or null; optional), vote_count
          (a whole number >= 0), flags and raters (arrays of strings;
          optional)
Bad records: invalid JSON or UTF-8, not an object, a duplicate key among the
fields read, a field read of the wrong type, a score outside 0-100, a record
of another kind. Blank lines are skipped.

Memory: judged turns are reported in constant memory (counts, sums, and the
--max-rows turns shown); pair and item reports keep each record's numbers (8
bytes per number, for medians and histograms) and one entry per group,
candidate, rater and name.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'report: FILE:LINE: reason'), an unreadable --summary
     file, or a runtime error
  2  bad option or option value (nothing is read)

Example (the duel of examples/duel):
  duel-judge --summary duel.json turns.jsonl > judged.jsonl
  bucket --field duel.score --edges 66,80 --names defeat,refined,final judged.jsonl > routed.jsonl
  report --summary duel.json --id instance_id,turn --html report.html routed.jsonl > report.md
)";

// Longest bar of '█' in a Markdown table, in characters.
constexpr int bar_width = 30;
// Pair and item histograms: at most this many bins of a 1-2-5 width.
constexpr int target_bins = 10;
// The score scale of judged turns.
constexpr double score_low = 0, score_high = 100;
constexpr std::string_view missing = "\u2014";  // —
constexpr std::string_view no_bucket = "(no bucket)";

enum class Kind { judged, pairs, items };

// "1 turn", "2 turns".
std::string counted(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string_view kind_name(Kind kind, bool plural = true) {
  switch (kind) {
    case Kind::judged: return plural ? "judged turns" : "judged turn";
    case Kind::pairs: return plural ? "pair records" : "pair record";
    case Kind::items: return plural ? "item records" : "item record";
  }
  return "";
}

// "a judged turn", for messages about one record.
std::string_view kind_one(Kind kind) {
  switch (kind) {
    case Kind::judged: return "a judged turn";
    case Kind::pairs: return "a pair record";
    case Kind::items: return "an item record";
  }
  return "";
}

struct Options {
  prefline::CommonOptions common;
  std::string kind = "auto";
  std::string title;
  long long max_rows = 20;
  int decimals = 2;
  std::string html;
  std::string summary;
  std::string id = std::string(prefline::schema::report::id);
  std::string bucket_field = std::string(prefline::schema::routed::bucket);
  std::string edges = "66,80";
  int bin_width = 10;
  std::string group;
  std::string candidate;
};

struct Settings {
  std::optional<Kind> kind;
  std::size_t max_rows = 0;
  std::vector<double> edges;
  std::vector<double> bin_limits;  // the score histogram: 0, ..., 100 with the edges among them
  std::vector<std::string> id_fields;
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (options.kind == "judged") settings.kind = Kind::judged;
  else if (options.kind == "pairs") settings.kind = Kind::pairs;
  else if (options.kind == "items") settings.kind = Kind::items;
  else if (options.kind != "auto")
    throw prefline::UsageError(fmt::format("--kind: '{}' is not auto, judged, pairs or items", options.kind));
  if (options.max_rows < 0) throw prefline::UsageError("--max-rows must be 0 or more");
  settings.max_rows = static_cast<std::size_t>(options.max_rows);
  if (options.decimals < 0 || options.decimals > 9)
    throw prefline::UsageError(fmt::format("--decimals must be 0 to 9, not '{}'", options.decimals));
  if (options.html == "-") throw prefline::UsageError("--html needs a file name (standard output gets the Markdown)");
  if (!options.html.empty() && (options.html == options.common.output || options.html == options.common.rejects))
    throw prefline::UsageError(fmt::format("--html names the same file '{}' as --output or --rejects", options.html));
  if (!options.summary.empty() && options.summary == options.common.rejects)
    throw prefline::UsageError(fmt::format("--summary and --rejects name the same file '{}'", options.summary));
  settings.id_fields = prefline::split_list(options.id);
  for (const std::string& field : settings.id_fields)
    if (field.empty()) throw prefline::UsageError(fmt::format("--id: empty field name in '{}'", options.id));
  if (options.bucket_field.empty()) throw prefline::UsageError("--bucket-field needs a field name");
  for (const std::string& part : prefline::split_list(options.edges)) {
    const double edge = prefline::parse_number("--edges", part);
    if (!(edge > score_low && edge < score_high))
      throw prefline::UsageError(fmt::format("--edges: '{}' is not between 0 and 100 (exclusive)", part));
    if (!settings.edges.empty() && !(edge > settings.edges.back()))
      throw prefline::UsageError(fmt::format("--edges must increase: '{}' follows {}", part, settings.edges.back()));
    settings.edges.push_back(edge == 0 ? 0.0 : edge);
  }
  if (options.bin_width < 1 || options.bin_width > 100)
    throw prefline::UsageError(fmt::format("--bin-width must be a whole number from 1 to 100, not '{}'", options.bin_width));
  for (int low = 0; low < 100; low += options.bin_width) settings.bin_limits.push_back(low);
  settings.bin_limits.push_back(score_high);
  settings.bin_limits.insert(settings.bin_limits.end(), settings.edges.begin(), settings.edges.end());
  std::sort(settings.bin_limits.begin(), settings.bin_limits.end());
  settings.bin_limits.erase(std::unique(settings.bin_limits.begin(), settings.bin_limits.end()),
                            settings.bin_limits.end());
  if (!options.group.empty() && options.group == options.candidate)
    throw prefline::UsageError("--group and --candidate must be different fields");
  return settings;
}

// ---------------------------------------------------------------------------
// How numbers look (see "Numbers" in --help).

class Numbers {
 public:
  explicit Numbers(int decimals) : decimals_(decimals) {}

  static std::string count(std::uint64_t value) { return fmt::format("{}", value); }

  // A value from the data: the shortest form that reads back as the same double.
  static std::string value(double number) {
    if (std::isnan(number)) return std::string(missing);
    return fmt::format("{}", number == 0 ? 0.0 : number);
  }

  // A computed statistic, rounded to --decimals.
  std::string statistic(double number) const {
    if (std::isnan(number)) return std::string(missing);
    std::string text = fmt::format("{:.{}f}", number, decimals_);
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
  }

  static std::string share(std::uint64_t part, std::uint64_t total) {
    if (total == 0) return std::string(missing);
    return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(total));
  }

 private:
  int decimals_;
};

// A histogram bin, "60 – 66": it holds 60 <= value < 66 (the last bin also
// its high end; the text before each histogram says so). No brackets: they
// would need escaping in Markdown.
std::string bin_label(double low, double high) {
  return fmt::format("{} \u2013 {}", Numbers::value(low), Numbers::value(high));
}

// Count, mean, sample sd, min and max of a stream, in constant memory: the
// mean from a compensated sum (stats.hpp, Neumaier 1974), the sum of squared
// deviations by Welford's update (Welford 1962, "Note on a method for
// calculating corrected sums of squares and products").
class Moments {
 public:
  void add(double x) {
    ++n_;
    sum_.add(x);
    const double delta = x - running_mean_;
    running_mean_ += delta / static_cast<double>(n_);
    squares_ = std::fma(delta, x - running_mean_, squares_);
    min_ = n_ == 1 ? x : std::min(min_, x);
    max_ = n_ == 1 ? x : std::max(max_, x);
  }
  std::uint64_t n() const { return n_; }
  double mean() const {
    if (n_ == 0) return nan;
    return std::clamp(sum_.value() / static_cast<double>(n_), min_, max_);
  }
  double sd() const { return n_ == 0 ? nan : n_ == 1 ? 0.0 : std::sqrt(squares_ / static_cast<double>(n_ - 1)); }
  double min() const { return n_ == 0 ? nan : min_; }
  double max() const { return n_ == 0 ? nan : max_; }

 private:
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t n_ = 0;
  prefline::stats::CompensatedSum sum_;
  double running_mean_ = 0, squares_ = 0, min_ = 0, max_ = 0;
};

using NameMap = prefline::StringMap<std::size_t>;

// Names in first-seen order, each with a value of type T.
template <class T>
class Named {
 public:
  T& at(std::string_view name) {
    auto found = index_.find(name);
    if (found != index_.end()) return entries_[found->second].second;
    index_.emplace(std::string(name), entries_.size());
    entries_.emplace_back(std::string(name), T{});
    return entries_.back().second;
  }
  std::size_t index(std::string_view name) {
    at(name);
    return index_.find(name)->second;
  }
  const std::vector<std::pair<std::string, T>>& entries() const { return entries_; }
  std::vector<std::pair<std::string, T>>& entries() { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  NameMap index_;
  std::vector<std::pair<std::string, T>> entries_;
};

// A string or number as text for a table: strings as they are, numbers in the
// shortest form, anything else as compact JSON.
std::string display(element value) {
  switch (value.type()) {
    case element_type::STRING: return std::string(value.get_string().value_unsafe());
    case element_type::INT64: return fmt::format("{}", value.get_int64().value_unsafe());
    case element_type::UINT64: return fmt::format("{}", value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return Numbers::value(value.get_double().value_unsafe());
    default: return simdjson::minify(value);
  }
}

// A group or candidate value (string or number) as a map key: type and text,
// so that "7" and 7 stay apart.
std::string typed_key(element value) {
  return (value.type() == element_type::STRING ? "s" : "n") + display(value);
}

// The object or array in an element known to be one, by value (a range-for
// over the result of get_object() would outlive that temporary).
simdjson::dom::object object_of(element value) { return value.get_object().value_unsafe(); }
simdjson::dom::array array_of(element value) { return value.get_array().value_unsafe(); }

const char* type_name(element value) {
  switch (value.type()) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// The number in an element, or nothing when it is not a number (one look at
// the type: cheaper than is_number() and then get_double()). -0 is 0.
std::optional<double> number_of(element value) {
  double number;
  switch (value.type()) {
    case element_type::DOUBLE: number = value.get_double().value_unsafe(); break;
    case element_type::INT64: number = static_cast<double>(value.get_int64().value_unsafe()); break;
    case element_type::UINT64: number = static_cast<double>(value.get_uint64().value_unsafe()); break;
    default: return std::nullopt;
  }
  return number == 0 ? 0.0 : number;
}

// "duel.score": a field's path for messages, built only when one is needed.
std::string dotted(std::string_view path, std::string_view key) {
  return key.empty() ? std::string(path) : fmt::format("{}.{}", path, key);
}

// A number or null at PATH.KEY (KEY may be empty).
std::string read_optional_number(element value, std::string_view path, std::string_view key,
                                 std::optional<double>& number) {
  number.reset();
  if (value.is_null()) return {};
  number = number_of(value);
  if (!number) return fmt::format("'{}' must be a number or null, not {}", dotted(path, key), type_name(value));
  return {};
}

// An object of numbers or null (by_metric, chosen_scores...), in its order;
// a key given twice is an error (which value would count?).
using NumberList = std::vector<std::pair<std::string_view, std::optional<double>>>;

std::string read_number_object(element value, std::string_view parent, std::string_view name, NumberList& values) {
  values.clear();
  if (!value.is_object())
    return fmt::format("'{}' must be an object, not {}", dotted(parent, name), type_name(value));
  for (auto [key, member] : object_of(value)) {
    for (const auto& seen : values)
      if (seen.first == key) return fmt::format("'{}' has a duplicate key '{}'", dotted(parent, name), key);
    if (member.is_null()) {
      values.emplace_back(key, std::nullopt);
      continue;
    }
    const std::optional<double> number = number_of(member);
    if (!number)
      return fmt::format("'{}.{}' must be a number or null, not {}", dotted(parent, name), key, type_name(member));
    values.emplace_back(key, number);
  }
  return {};
}

// ---------------------------------------------------------------------------
// The top-level fields any kind reads, found in one pass over the record.

struct Record {
  std::optional<element> duel, metadata, chosen, rejected, scores, vote_count, overall, flags, raters, bucket;
  std::vector<std::optional<element>> ids;  // the --id fields
  std::vector<std::pair<std::string_view, element>> key_fields;  // the fields before 'scores' (an item's key)
};

class RecordScanner {
 public:
  RecordScanner(const Options& options, const Settings& settings) : id_fields_(settings.id_fields) {
    slots_ = {{std::string(duel_schema::duel), &Record::duel},
              {std::string(pair_schema::metadata), &Record::metadata},
              {std::string(pair_schema::chosen), &Record::chosen},
              {std::string(pair_schema::rejected), &Record::rejected},
              {std::string(item_schema::scores), &Record::scores},
              {std::string(item_schema::vote_count), &Record::vote_count},
              {std::string(item_schema::overall), &Record::overall},
              {std::string(item_schema::flags), &Record::flags},
              {std::string(item_schema::raters), &Record::raters},
              {options.bucket_field, &Record::bucket}};
  }

  std::string scan(const simdjson::dom::object& object, Record& record) const {
    for (const auto& slot : slots_) (record.*slot.second).reset();
    record.ids.assign(id_fields_.size(), std::nullopt);
    record.key_fields.clear();
    bool before_scores = true;
    for (auto [key, value] : object) {
      for (const auto& slot : slots_) {
        if (slot.first != key) continue;
        std::optional<element>& field = record.*slot.second;
        if (field) return fmt::format("duplicate key '{}'", key);
        field = value;
      }
      for (std::size_t i = 0; i < id_fields_.size(); ++i) {
        if (id_fields_[i] != key) continue;
        if (record.ids[i]) return fmt::format("duplicate key '{}'", key);
        record.ids[i] = value;
      }
      if (key == item_schema::scores) before_scores = false;
      if (before_scores) record.key_fields.emplace_back(key, value);
    }
    return {};
  }

 private:
  std::vector<std::pair<std::string, std::optional<element> Record::*>> slots_;
  std::vector<std::string> id_fields_;
};

std::optional<Kind> detect(const Record& record) {
  if (record.duel) return Kind::judged;
  if (record.metadata && record.chosen && record.rejected) return Kind::pairs;
  if (record.scores && record.vote_count) return Kind::items;
  return std::nullopt;
}

// Why a record is not of `kind` (empty when it is).
std::string missing_fields(const Record& record, Kind kind) {
  switch (kind) {
    case Kind::judged:
      if (!record.duel) return fmt::format("not a judged turn: no '{}' field", duel_schema::duel);
      break;
    case Kind::pairs:
      if (!record.metadata || !record.chosen || !record.rejected)
        return fmt::format("not a pair record: needs '{}', '{}' and '{}'", pair_schema::metadata, pair_schema::chosen,
                           pair_schema::rejected);
      break;
    case Kind::items:
      if (!record.scores || !record.vote_count)
        return fmt::format("not an item record: needs '{}' and '{}'", item_schema::scores, item_schema::vote_count);
      break;
  }
  return {};
}

// Where a record came from, for the turns table.
struct Origin {
  std::string_view file;
  std::uint64_t line;
  std::uint64_t order;  // position among all valid records
};

// A table with a heading that may have more rows than --max-rows: the text
// that says how many are left out.
std::string left_out(std::size_t shown, std::size_t total, std::string_view one, std::string_view many) {
  if (shown >= total) return {};
  return fmt::format("{} more {} not shown (--max-rows {}).", total - shown, total - shown == 1 ? one : many, shown);
}

std::string file_list(const std::vector<std::string>& files) {
  std::string list;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i > 0) list += i + 1 == files.size() ? " and " : ", ";
    list += files[i] == prefline::stdin_name ? std::string("standard input") : files[i];
  }
  return list;
}

// Histogram limits for values from `low` to `high`: bins of a width 1, 2 or
// 5 x 10^k, the smallest giving at most target_bins bins, aligned to
// multiples of the width. Each limit is k x m x 10^e computed from whole
// numbers, so it prints as a short decimal (0.3, not 0.30000000000000004).
struct HistogramBins {
  std::vector<double> limits;  // bins + 1 limits
  std::string width;           // the bin width, or "" when the bins are not 1-2-5 multiples
};

HistogramBins nice_limits(double low, double high) {
  if (!(high > low)) return {{low, high}, ""};
  const double raw = (high - low) / target_bins;
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  double power = std::pow(10.0, exponent);
  int multiple = 10;
  for (int candidate : {1, 2, 5})
    if (static_cast<double>(candidate) * power >= raw) {
      multiple = candidate;
      break;
    }
  if (multiple == 10) {
    multiple = 1;
    ++exponent;
  }
  auto ten_to = [](int n) {
    double value = 1;
    for (int i = 0; i < n; ++i) value *= 10;
    return value;
  };
  const double step = static_cast<double>(multiple) * (exponent >= 0 ? ten_to(exponent) : 1 / ten_to(-exponent));
  // Beyond 2^53 steps the whole-number arithmetic is not exact: equal widths instead.
  if (!(std::fabs(low / step) < 1e15 && std::fabs(high / step) < 1e15) || std::abs(exponent) > 22) {
    std::vector<double> limits;
    for (int i = 0; i <= target_bins; ++i)
      limits.push_back(i == target_bins ? high : low + (high - low) * i / target_bins);
    return {limits, ""};
  }
  auto limit = [&](long long k) {
    const double scaled = static_cast<double>(k * multiple);
    return exponent >= 0 ? scaled * ten_to(exponent) : scaled / ten_to(-exponent);
  };
  auto k = static_cast<long long>(std::floor(low / step));
  while (limit(k) > low) --k;
  while (limit(k + 1) <= low) ++k;
  std::vector<double> limits{limit(k)};
  do limits.push_back(limit(++k));
  while (limits.back() < high);
  return {limits, Numbers::value(exponent >= 0 ? step : static_cast<double>(multiple) / ten_to(-exponent))};
}

// A histogram of sorted values (pairs and items): the Markdown table and the chart.
void histogram_section(doc::Document& document, const std::vector<double>& sorted, std::string_view value_name,
                       std::uint64_t total) {
  if (sorted.empty()) {
    document.paragraph("No values.");
    return;
  }
  const HistogramBins histogram = nice_limits(sorted.front(), sorted.back());
  const std::vector<double>& limits = histogram.limits;
  const std::size_t bins = limits.size() - 1;
  if (bins == 1 && limits[0] == limits[1])
    document.paragraph(fmt::format("One bin: every value is {}.", Numbers::value(limits[0])));
  else if (histogram.width.empty())
    document.paragraph(fmt::format("{} bins from the lowest value to the highest: a bin \"low \u2013 high\" holds "
                                   "low \u2264 value < high, the last one also its high.", bins));
  else
    document.paragraph(fmt::format("Bins of width {}: a bin \"low \u2013 high\" holds low \u2264 value < high, the "
                                   "last one also its high.", histogram.width));
  std::vector<std::uint64_t> counts(bins, 0);
  std::size_t bin = 0;
  for (double value : sorted) {
    while (bin + 1 < bins && value >= limits[bin + 1]) ++bin;
    ++counts[bin];
  }
  const std::uint64_t largest = *std::max_element(counts.begin(), counts.end());
  doc::HistogramChart chart;
  chart.value_name = std::string(value_name);
  doc::Table& table = document.table({{"bin"}, {std::string(value_name), true}, {"share", true}, {"", false, true}});
  for (std::size_t i = 0; i < bins; ++i) {
    const std::string label = bin_label(limits[i], limits[i + 1]);
    table.rows.push_back({label, Numbers::count(counts[i]), Numbers::share(counts[i], total),
                          doc::text_bar(counts[i], largest, bar_width)});
    chart.bins.push_back({limits[i], limits[i + 1], counts[i], label, 0});
    chart.tick_labels.push_back(Numbers::value(limits[i]));
  }
  chart.tick_labels.push_back(Numbers::value(limits.back()));
  document.chart_above_last_table(std::move(chart));
}

// n, mean, sd, min, median, max of one named list of values.
std::vector<std::string> summary_row(std::string name, const std::vector<double>& values, const Numbers& numbers) {
  const prefline::stats::Summary summary = prefline::stats::summarize(values, 0);
  return {std::move(name), Numbers::count(summary.n), numbers.statistic(summary.mean), numbers.statistic(summary.sd),
          Numbers::value(summary.min), numbers.statistic(summary.median), Numbers::value(summary.max)};
}

std::vector<doc::Column> summary_columns(std::string first) {
  return {{std::move(first)}, {"n", true}, {"mean", true}, {"sd", true}, {"min", true}, {"median", true}, {"max", true}};
}

// ---------------------------------------------------------------------------
// Judged turns: constant memory (aggregates and the --max-rows best turns).

class JudgedReport {
 public:
  JudgedReport(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), bins_(settings.bin_limits.size() - 1, 0) {}

  std::string add(const Record& record, const Origin& origin) {
    // Read and check everything first: a bad record changes no count.
    const element duel = *record.duel;
    if (!duel.is_object()) return fmt::format("'{}' must be an object, not {}", duel_schema::duel, type_name(duel));
    std::optional<double> score, delta;
    bool have_score = false, have_parsed = false, have_delta = false, have_metrics = false, have_judges = false;
    bool parsed = false;
    metrics_.clear();
    judges_.clear();
    auto path = [](std::string_view key) { return fmt::format("{}.{}", duel_schema::duel, key); };
    for (auto [key, value] : object_of(duel)) {
      bool* seen = key == duel_schema::score        ? &have_score
                   : key == duel_schema::parsed     ? &have_parsed
                   : key == duel_schema::delta      ? &have_delta
                   : key == duel_schema::by_metric  ? &have_metrics
                   : key == duel_schema::by_judge   ? &have_judges
                                                    : nullptr;
      if (seen == nullptr) continue;
      if (*seen) return fmt::format("'{}' has a duplicate key '{}'", duel_schema::duel, key);
      *seen = true;
      std::string reason;
      if (key == duel_schema::score) {
        reason = read_optional_number(value, duel_schema::duel, key, score);
        if (reason.empty() && score && !(*score >= score_low && *score <= score_high))
          reason = fmt::format("'{}' is {}: a score is 0 to 100", path(key), Numbers::value(*score));
      } else if (key == duel_schema::parsed) {
        if (value.get_bool().get(parsed)) reason = fmt::format("'{}' must be true or false, not {}", path(key), type_name(value));
      } else if (key == duel_schema::delta) {
        reason = read_optional_number(value, duel_schema::duel, key, delta);
      } else if (key == duel_schema::by_metric) {
        reason = read_number_object(value, duel_schema::duel, key, metrics_);
      } else {
        reason = read_number_object(value, duel_schema::duel, key, judges_);
      }
      if (!reason.empty()) return reason;
    }
    if (!have_score) return fmt::format("missing '{}'", path(duel_schema::score));
    if (!have_parsed) return fmt::format("missing '{}'", path(duel_schema::parsed));
    std::optional<std::string_view> bucket;
    if (record.bucket && !record.bucket->is_null()) {
      if (!record.bucket->is_string())
        return fmt::format("'{}' must be a string, not {}", options_.bucket_field, type_name(*record.bucket));
      bucket = record.bucket->get_string().value_unsafe();
    }

    // Count.
    ++turns_;
    if (parsed) ++parsed_;
    if (score) {
      scores_.add(*score);
      const auto limit = std::upper_bound(settings_.bin_limits.begin(), settings_.bin_limits.end(), *score);
      const auto bin = static_cast<std::size_t>(limit - settings_.bin_limits.begin());
      ++bins_[std::min(bin, bins_.size()) - 1];
    }
    if (delta) deltas_.add(*delta);
    if (bucket) have_bucket_field_ = true;
    BucketStats& stats = bucket ? buckets_.at(*bucket) : no_bucket_;
    ++stats.turns;
    if (score) stats.scores.add(*score);
    // Metrics and judges over the turns with a score only, as duel-judge's
    // summary counts them: an unparsed turn may hold some judges' scores.
    for (const auto& [name, value] : metrics_) {
      Moments& moments = metric_names_.at(name);  // a metric that is always null is still a column
      if (value && score) moments.add(*value);
    }
    for (const auto& [name, value] : judges_) {
      Moments& moments = judge_names_.at(name);
      if (value && score) moments.add(*value);
    }
    keep_row(record, origin, score, bucket);
    return {};
  }

  std::uint64_t turns() const { return turns_; }

  void write(doc::Document& document, const Numbers& numbers) {
    // Totals.
    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"turns", true}, {"share", true}});
    const std::uint64_t unparsed = turns_ - parsed_, with_score = scores_.n();
    totals.rows.push_back({"judged turns", Numbers::count(turns_), Numbers::share(turns_, turns_)});
    totals.rows.push_back({"parsed", Numbers::count(parsed_), Numbers::share(parsed_, turns_)});
    totals.rows.push_back({"not parsed", Numbers::count(unparsed), Numbers::share(unparsed, turns_)});
    totals.rows.push_back({"with a score", Numbers::count(with_score), Numbers::share(with_score, turns_)});
    totals.rows.push_back(
        {"without a score", Numbers::count(turns_ - with_score), Numbers::share(turns_ - with_score, turns_)});

    document.heading(2, "Scores");
    document.paragraph(fmt::format("{} (0 to 100) and {} of the turns that have them.",
                                   duel_path(duel_schema::score), duel_path(duel_schema::delta)));
    doc::Table& scores = document.table(moment_columns("value"));
    scores.rows.push_back(moment_row(std::string(duel_schema::score), scores_, numbers));
    scores.rows.push_back(moment_row(std::string(duel_schema::delta), deltas_, numbers));

    write_buckets(document, numbers);
    write_histogram(document);

    document.heading(2, "Metrics");
    if (metric_names_.size() == 0) {
      document.paragraph(fmt::format("No turn has {}.", duel_path(duel_schema::by_metric)));
    } else {
      document.paragraph(fmt::format("{}: each metric over the turns with a score that have it (valid turns, as "
                                     "duel-judge's summary counts them).",
                                     duel_path(duel_schema::by_metric)));
      doc::Table& metrics = document.table(moment_columns("metric"));
      for (const auto& [name, moments] : metric_names_.entries()) metrics.rows.push_back(moment_row(name, moments, numbers));
    }

    document.heading(2, "Judges");
    if (judge_names_.size() == 0) {
      document.paragraph(fmt::format("No turn has {}.", duel_path(duel_schema::by_judge)));
    } else {
      document.paragraph(fmt::format("{}: each judge's score over the turns with a score that it judged (valid "
                                     "turns, as duel-judge's summary counts them).",
                                     duel_path(duel_schema::by_judge)));
      doc::Table& judges = document.table(moment_columns("judge"));
      for (const auto& [name, moments] : judge_names_.entries()) judges.rows.push_back(moment_row(name, moments, numbers));
    }
  }

  // The turns table comes last (after the summary file).
  void write_turns(doc::Document& document) {
    if (settings_.max_rows == 0) return;
    document.heading(2, "Turns by score");
    if (turns_ == 0) {
      document.paragraph("No turns.");
      return;
    }
    std::sort_heap(rows_.begin(), rows_.end(), ranks_before);
    const std::string which = rows_.size() == turns_ ? fmt::format("All {} turns", turns_)
                                                     : fmt::format("The {} highest-scoring of {} turns", rows_.size(), turns_);
    document.paragraph(fmt::format(
        "{}, highest score first (equal scores in input order); turns without a score come after all others, in "
        "input order. record is FILE:LINE of the input.",
        which));
    std::vector<doc::Column> columns{{"rank", true}, {std::string(duel_schema::score), true}, {id_header()}, {options_.bucket_field}};
    for (const auto& entry : metric_names_.entries()) columns.push_back({entry.first, true});
    columns.push_back({"record"});
    doc::Table& table = document.table(std::move(columns));
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const Row& row = rows_[i];
      std::vector<std::string> cells{Numbers::count(i + 1), Numbers::value(row.score), row.id, row.bucket};
      for (std::size_t m = 0; m < metric_names_.size(); ++m)
        cells.push_back(m < row.metrics.size() ? Numbers::value(row.metrics[m]) : std::string(missing));
      cells.push_back(row.record);
      table.rows.push_back(std::move(cells));
    }
    if (auto text = left_out(rows_.size(), turns_, "turn", "turns"); !text.empty()) document.paragraph(text);
  }

 private:
  struct BucketStats {
    std::uint64_t turns = 0;
    Moments scores;
  };

  struct Row {
    double score;  // NaN: no score
    std::uint64_t order;
    std::string id, bucket, record;
    std::vector<double> metrics;  // by metric index; NaN: not in this turn
  };

  // The turns table's order: scores high to low, then turns without a score;
  // ties in input order.
  static bool ranks_before(const Row& a, const Row& b) {
    const bool a_scored = !std::isnan(a.score), b_scored = !std::isnan(b.score);
    if (a_scored != b_scored) return a_scored;
    if (a_scored && a.score != b.score) return a.score > b.score;
    return a.order < b.order;
  }

  // "instance_id / turn" for --id instance_id,turn.
  std::string id_header() const {
    std::string header;
    for (const auto& field : settings_.id_fields) header += (header.empty() ? "" : " / ") + field;
    return header;
  }

  static std::string duel_path(std::string_view key) { return fmt::format("{}.{}", duel_schema::duel, key); }

  static std::vector<doc::Column> moment_columns(std::string first) {
    return {{std::move(first)}, {"n", true}, {"mean", true}, {"sd", true}, {"min", true}, {"max", true}};
  }
  static std::vector<std::string> moment_row(std::string name, const Moments& moments, const Numbers& numbers) {
    return {std::move(name), Numbers::count(moments.n()), numbers.statistic(moments.mean()),
            numbers.statistic(moments.sd()), Numbers::value(moments.min()), Numbers::value(moments.max())};
  }

  // Keeps the turn if it is among the --max-rows best so far. rows_ is a heap
  // whose front is the worst row kept; a row is built only when it gets in.
  void keep_row(const Record& record, const Origin& origin, std::optional<double> score,
                std::optional<std::string_view> bucket) {
    if (settings_.max_rows == 0) return;
    Row probe{score ? *score : std::numeric_limits<double>::quiet_NaN(), origin.order, {}, {}, {}, {}};
    if (rows_.size() == settings_.max_rows) {
      if (!ranks_before(probe, rows_.front())) return;
      std::pop_heap(rows_.begin(), rows_.end(), ranks_before);
      rows_.pop_back();
    }
    for (const auto& id : record.ids) {
      if (!probe.id.empty()) probe.id += " / ";
      probe.id += id && !id->is_null() ? display(*id) : std::string(missing);
    }
    probe.bucket = bucket ? std::string(*bucket) : std::string(missing);
    probe.record = fmt::format("{}:{}", origin.file, origin.line);
    probe.metrics.assign(metric_names_.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, value] : metrics_)
      if (value) probe.metrics[metric_names_.index(name)] = *value;
    rows_.push_back(std::move(probe));
    std::push_heap(rows_.begin(), rows_.end(), ranks_before);
  }

  void write_buckets(doc::Document& document, const Numbers& numbers) {
    document.heading(2, "Buckets");
    if (!have_bucket_field_) {
      document.paragraph(fmt::format("No turn has a '{}' field (bucket --field {} adds it).", options_.bucket_field,
                                     duel_path(duel_schema::score)));
      return;
    }
    // Highest mean score first, buckets without scores (parse-fail) last, then by name.
    std::vector<std::pair<std::string, const BucketStats*>> order;
    for (const auto& [name, stats] : buckets_.entries()) order.emplace_back(name, &stats);
    if (no_bucket_.turns > 0) order.emplace_back(std::string(no_bucket), &no_bucket_);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      const double x = a.second->scores.mean(), y = b.second->scores.mean();
      if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
      if (!std::isnan(x) && x != y) return x > y;
      return a.first < b.first;
    });
    document.paragraph(fmt::format(
        "Turns per '{}' value, the highest mean score first; shares of all {} turns.", options_.bucket_field, turns_));
    doc::Table& table = document.table({{std::string(options_.bucket_field)}, {"turns", true}, {"share", true},
                                        {"score mean", true}, {"score min", true}, {"score max", true}, {"", false, true}});
    std::uint64_t largest = 0;
    for (const auto& entry : order) largest = std::max(largest, entry.second->turns);
    doc::BarChart chart;
    chart.right_name = "turns";
    for (const auto& [name, stats] : order) {
      table.rows.push_back({name, Numbers::count(stats->turns), Numbers::share(stats->turns, turns_),
                            numbers.statistic(stats->scores.mean()), Numbers::value(stats->scores.min()),
                            Numbers::value(stats->scores.max()), doc::text_bar(stats->turns, largest, bar_width)});
      chart.labels.push_back(name);
      chart.right.push_back(stats->turns);
    }
    document.chart_above_last_table(std::move(chart));
  }

  // The band of a score range: which edges lie at or below its low end.
  std::string band_label(std::size_t band) const {
    const auto& edges = settings_.edges;
    if (edges.empty()) return "all";
    if (band == 0) return fmt::format("< {}", Numbers::value(edges.front()));
    if (band == edges.size()) return fmt::format("\u2265 {}", Numbers::value(edges.back()));
    return fmt::format("{} \u2013 {}", Numbers::value(edges[band - 1]), Numbers::value(edges[band]));
  }

  void write_histogram(doc::Document& document) {
    document.heading(2, "Score histogram");
    const auto& limits = settings_.bin_limits;
    std::string edges;
    for (double edge : settings_.edges) edges += (edges.empty() ? "" : ", ") + Numbers::value(edge);
    document.paragraph(fmt::format(
        "{} of the {} turns with a score, in bins of width {} split at the bucket edges ({}); a bin holds "
        "low \u2264 score < high, the last one also 100. band: the edges' ranges (an edge belongs to the band "
        "above it).",
        duel_path(duel_schema::score), scores_.n(), options_.bin_width, edges.empty() ? "none" : edges));
    doc::HistogramChart chart;
    chart.value_name = "turns";
    chart.markers = settings_.edges;
    for (double edge : settings_.edges) chart.marker_labels.push_back(Numbers::value(edge));
    chart.bands = static_cast<int>(settings_.edges.size()) + 1;
    const std::uint64_t largest = *std::max_element(bins_.begin(), bins_.end());
    doc::Table& table =
        document.table({{"bin"}, {"band"}, {"turns", true}, {"share", true}, {"", false, true}});
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      const auto band = static_cast<std::size_t>(
          std::upper_bound(settings_.edges.begin(), settings_.edges.end(), limits[i]) - settings_.edges.begin());
      const std::string label = bin_label(limits[i], limits[i + 1]);
      table.rows.push_back({label, band_label(band), Numbers::count(bins_[i]), Numbers::share(bins_[i], scores_.n()),
                            doc::text_bar(bins_[i], largest, bar_width)});
      chart.bins.push_back({limits[i], limits[i + 1], bins_[i], label, static_cast<int>(band)});
      chart.tick_labels.push_back(Numbers::value(limits[i]));
    }
    chart.tick_labels.push_back(Numbers::value(limits.back()));
    document.chart_above_last_table(std::move(chart));
  }

  const Options& options_;
  const Settings& settings_;
  std::uint64_t turns_ = 0, parsed_ = 0;
  Moments scores_, deltas_;
  std::vector<std::uint64_t> bins_;
  Named<BucketStats> buckets_;
  BucketStats no_bucket_;
  bool have_bucket_field_ = false;
  Named<Moments> metric_names_, judge_names_;
  std::vector<Row> rows_;
  // The current record's by_metric and by_judge (views into the parser's memory).
  NumberList metrics_, judges_;
};

// ---------------------------------------------------------------------------
// Pair records.

class PairReport {
 public:
  PairReport(const Options& options) : group_field_(options.group), candidate_field_(options.candidate) {}

  std::string add(const Record& record) {
    const element metadata = *record.metadata;
    if (!metadata.is_object())
      return fmt::format("'{}' must be an object, not {}", pair_schema::metadata, type_name(metadata));
    const simdjson::dom::object object = object_of(metadata);
    std::string group_field = group_field_, candidate_field = candidate_field_;
    if (group_field.empty() || candidate_field.empty()) detect_fields(object, group_field, candidate_field);
    const std::string chosen_key = std::string(pair_schema::chosen_prefix) + candidate_field;
    const std::string rejected_key = std::string(pair_schema::rejected_prefix) + candidate_field;

    std::optional<element> group, chosen, rejected, difference, chosen_scores, rejected_scores;
    for (auto [key, value] : object) {
      std::optional<element>* slot = key == group_field                      ? &group
                                     : key == chosen_key                     ? &chosen
                                     : key == rejected_key                   ? &rejected
                                     : key == pair_schema::score_difference  ? &difference
                                     : key == pair_schema::chosen_scores     ? &chosen_scores
                                     : key == pair_schema::rejected_scores   ? &rejected_scores
                                                                             : nullptr;
      if (slot == nullptr) continue;
      if (*slot) return fmt::format("'{}' has a duplicate key '{}'", pair_schema::metadata, key);
      *slot = value;
    }
    auto path = [](std::string_view key) { return fmt::format("{}.{}", pair_schema::metadata, key); };
    for (auto [slot, key] : {std::pair{&group, std::string_view(group_field)}, std::pair{&chosen, std::string_view(chosen_key)},
                             std::pair{&rejected, std::string_view(rejected_key)}}) {
      if (!*slot)
        return fmt::format("missing '{}' (the {} field: {})", path(key), slot == &group ? "group" : "candidate",
                           slot == &group ? "--group" : "--candidate");
      if (!(*slot)->is_string() && !(*slot)->is_number())
        return fmt::format("'{}' must be a string or a number, not {}", path(key), type_name(**slot));
    }
    if (!difference) return fmt::format("missing '{}'", path(pair_schema::score_difference));
    const std::optional<double> score_difference = number_of(*difference);
    if (!score_difference)
      return fmt::format("'{}' must be a number, not {}", path(pair_schema::score_difference), type_name(*difference));
    chosen_values_.clear();
    rejected_values_.clear();
    if (chosen_scores) {
      if (auto reason = read_number_object(*chosen_scores, pair_schema::metadata, pair_schema::chosen_scores, chosen_values_);
          !reason.empty())
        return reason;
    }
    if (rejected_scores) {
      if (auto reason = read_number_object(*rejected_scores, pair_schema::metadata, pair_schema::rejected_scores, rejected_values_);
          !reason.empty())
        return reason;
    }

    // Count.
    if (group_field_.empty()) group_field_ = group_field;
    if (candidate_field_.empty()) candidate_field_ = candidate_field;
    ++pairs_;
    GroupStats& group_stats = groups_.at(typed_key(*group));
    if (group_stats.pairs++ == 0) group_stats.name = display(*group);
    CandidateStats& chosen_stats = candidates_.at(typed_key(*chosen));
    if (chosen_stats.name.empty()) chosen_stats.name = display(*chosen);
    ++chosen_stats.chosen;
    CandidateStats& rejected_stats = candidates_.at(typed_key(*rejected));
    if (rejected_stats.name.empty()) rejected_stats.name = display(*rejected);
    ++rejected_stats.rejected;
    differences_.push_back(*score_difference);
    for (const auto& [name, number] : chosen_values_) {
      Moments& moments = dimensions_.at(name).chosen;
      if (number) moments.add(*number);
    }
    for (const auto& [name, number] : rejected_values_) {
      Moments& moments = dimensions_.at(name).rejected;
      if (number) moments.add(*number);
    }
    return {};
  }

  std::uint64_t pairs() const { return pairs_; }

  void write(doc::Document& document, const Numbers& numbers, std::size_t max_rows) {
    const std::string group_field = group_field_.empty() ? std::string(grade_schema::challenge) : group_field_;
    const std::string candidate_field =
        candidate_field_.empty() ? std::string(grade_schema::model) : candidate_field_;

    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"count", true}});
    totals.rows.push_back({"pairs", Numbers::count(pairs_)});
    totals.rows.push_back({fmt::format("groups ({})", group_field), Numbers::count(groups_.size())});
    totals.rows.push_back({fmt::format("candidates ({})", candidate_field), Numbers::count(candidates_.size())});

    // Pairs per group: most pairs first, then by name.
    document.heading(2, fmt::format("Pairs per {}", group_field));
    std::vector<const GroupStats*> groups;
    for (const auto& entry : groups_.entries()) groups.push_back(&entry.second);
    std::sort(groups.begin(), groups.end(), [](const GroupStats* a, const GroupStats* b) {
      if (a->pairs != b->pairs) return a->pairs > b->pairs;
      return a->name < b->name;
    });
    if (!groups.empty()) {
      std::vector<double> per_group;
      for (const GroupStats* group : groups) per_group.push_back(static_cast<double>(group->pairs));
      const auto summary = prefline::stats::summarize(per_group, 0);
      document.paragraph(fmt::format("{}; pairs per group: mean {}, min {}, median {}, max {}. Most pairs first, "
                                     "then by name; shares of all {}.",
                                     counted(groups.size(), "group", "groups"), numbers.statistic(summary.mean),
                                     Numbers::value(summary.min), numbers.statistic(summary.median),
                                     Numbers::value(summary.max), counted(pairs_, "pair", "pairs")));
    }
    if (groups.empty()) document.paragraph("No pairs.");
    if (max_rows > 0 && !groups.empty()) {
      doc::Table& table = document.table({{group_field}, {"pairs", true}, {"share", true}, {"", false, true}});
      doc::BarChart chart;
      chart.right_name = "pairs";
      const std::uint64_t largest = groups.front()->pairs;
      for (std::size_t i = 0; i < groups.size() && i < max_rows; ++i) {
        table.rows.push_back({groups[i]->name, Numbers::count(groups[i]->pairs), Numbers::share(groups[i]->pairs, pairs_),
                              doc::text_bar(groups[i]->pairs, largest, bar_width)});
        chart.labels.push_back(groups[i]->name);
        chart.right.push_back(groups[i]->pairs);
      }
      document.chart_above_last_table(std::move(chart));
      if (auto text = left_out(std::min(max_rows, groups.size()), groups.size(), "group", "groups"); !text.empty())
        document.paragraph(text);
    }

    document.heading(2, "Score difference");
    document.paragraph(fmt::format("{}.{}: the chosen score minus the rejected one.", pair_schema::metadata,
                                   pair_schema::score_difference));
    std::vector<double> sorted = differences_;
    std::sort(sorted.begin(), sorted.end());
    doc::Table& differences = document.table(summary_columns("value"));
    differences.rows.push_back(summary_row(std::string(pair_schema::score_difference), sorted, numbers));
    histogram_section(document, sorted, "pairs", pairs_);

    // Candidates: most often chosen first, then least often rejected, then by name.
    document.heading(2, fmt::format("Chosen and rejected per {}", candidate_field));
    std::vector<const CandidateStats*> candidates;
    for (const auto& entry : candidates_.entries()) candidates.push_back(&entry.second);
    std::sort(candidates.begin(), candidates.end(), [](const CandidateStats* a, const CandidateStats* b) {
      if (a->chosen != b->chosen) return a->chosen > b->chosen;
      if (a->rejected != b->rejected) return a->rejected < b->rejected;
      return a->name < b->name;
    });
    if (candidates.empty())
      document.paragraph("No pairs.");
    else
      document.paragraph(fmt::format(
          "How often each {} is the chosen side (a win) and the rejected side (a loss) of a pair; chosen share = "
          "chosen / (chosen + rejected). Most often chosen first, then least often rejected, then by name.",
          candidate_field));
    if (max_rows > 0 && !candidates.empty()) {
      doc::Table& table = document.table({{candidate_field}, {"chosen", true}, {"rejected", true}, {"pairs", true},
                                          {"chosen share", true}});
      doc::BarChart chart;
      chart.right_name = "chosen";
      chart.left_name = "rejected";
      for (std::size_t i = 0; i < candidates.size() && i < max_rows; ++i) {
        const CandidateStats& c = *candidates[i];
        table.rows.push_back({c.name, Numbers::count(c.chosen), Numbers::count(c.rejected),
                              Numbers::count(c.chosen + c.rejected), Numbers::share(c.chosen, c.chosen + c.rejected)});
        chart.labels.push_back(c.name);
        chart.right.push_back(c.chosen);
        chart.left.push_back(c.rejected);
      }
      document.chart_above_last_table(std::move(chart));
      if (auto text = left_out(std::min(max_rows, candidates.size()), candidates.size(), "candidate", "candidates"); !text.empty())
        document.paragraph(text);
    }

    document.heading(2, "Scores of chosen and rejected");
    if (dimensions_.size() == 0) {
      document.paragraph(fmt::format("No pair has {} or {}.", pair_schema::chosen_scores, pair_schema::rejected_scores));
    } else {
      document.paragraph(fmt::format(
          "Means of {}.{} and {}.{} per key, over the pairs that have a number there; difference = chosen mean "
          "- rejected mean.",
          pair_schema::metadata, pair_schema::chosen_scores, pair_schema::metadata, pair_schema::rejected_scores));
      doc::Table& table = document.table({{"score"}, {"chosen n", true}, {"chosen mean", true}, {"rejected n", true},
                                          {"rejected mean", true}, {"difference", true}});
      for (const auto& [name, stats] : dimensions_.entries())
        table.rows.push_back({name, Numbers::count(stats.chosen.n()), numbers.statistic(stats.chosen.mean()),
                              Numbers::count(stats.rejected.n()), numbers.statistic(stats.rejected.mean()),
                              numbers.statistic(stats.chosen.mean() - stats.rejected.mean())});
    }
  }

 private:
  struct GroupStats {
    std::string name;
    std::uint64_t pairs = 0;
  };
  struct CandidateStats {
    std::string name;
    std::uint64_t chosen = 0, rejected = 0;
  };
  struct DimensionStats {
    Moments chosen, rejected;
  };

  // The group and candidate fields from a pair's metadata keys (see --help).
  void detect_fields(const simdjson::dom::object& metadata, std::string& group_field, std::string& candidate_field) const {
    std::vector<std::string_view> groups, candidates;
    for (auto [key, value] : metadata) {
      (void)value;
      if (key.starts_with(pair_schema::chosen_prefix)) {
        if (key != pair_schema::chosen_scores) candidates.push_back(key.substr(pair_schema::chosen_prefix.size()));
      } else if (!key.starts_with(pair_schema::rejected_prefix) && key != pair_schema::score_difference &&
                 key != pair_schema::dataset_version && key != pair_schema::generated_at) {
        groups.push_back(key);
      }
    }
    if (group_field.empty()) group_field = groups.size() == 1 ? std::string(groups[0]) : std::string(grade_schema::challenge);
    if (candidate_field.empty())
      candidate_field = candidates.size() == 1 ? std::string(candidates[0]) : std::string(grade_schema::model);
  }

  std::string group_field_, candidate_field_;  // empty until the first pair (unless given)
  std::uint64_t pairs_ = 0;
  Named<GroupStats> groups_;
  Named<CandidateStats> candidates_;
  Named<DimensionStats> dimensions_;
  std::vector<double> differences_;
  NumberList chosen_values_, rejected_values_;
};

// ---------------------------------------------------------------------------
// Item records.

class ItemReport {
 public:
  std::string add(const Record& record, std::size_t max_rows) {
    const element scores = *record.scores;
    if (!scores.is_object()) return fmt::format("'{}' must be an object, not {}", item_schema::scores, type_name(scores));
    dimension_values_.clear();
    for (auto [name, statistics] : object_of(scores)) {
      if (!statistics.is_object())
        return fmt::format("'{}' must be an object, not {}", dotted(item_schema::scores, name), type_name(statistics));
      for (const auto& seen : dimension_values_)
        if (seen.first == name) return fmt::format("'{}' has a duplicate key '{}'", item_schema::scores, name);
      std::optional<double> mean;
      element value;
      if (!object_of(statistics)[item_schema::mean].get(value)) {
        if (auto reason = read_optional_number(value, dotted(item_schema::scores, name), item_schema::mean, mean);
            !reason.empty())
          return reason;
      }
      dimension_values_.emplace_back(name, mean);
    }
    std::uint64_t vote_count = 0;
    if (record.vote_count->get_uint64().get(vote_count))
      return fmt::format("'{}' must be a whole number >= 0, not {}", item_schema::vote_count,
                         record.vote_count->is_number() ? "'" + display(*record.vote_count) + "'"
                                                        : std::string(type_name(*record.vote_count)));
    std::optional<double> overall;
    if (record.overall) {
      if (auto reason = read_optional_number(*record.overall, item_schema::overall, "", overall); !reason.empty())
        return reason;
    }
    flag_values_.clear();
    for (auto [field, list] : {std::pair{record.flags, &flag_values_}, std::pair{record.raters, &rater_values_}}) {
      list->clear();
      if (!field || field->is_null()) continue;
      const std::string_view name = list == &flag_values_ ? item_schema::flags : item_schema::raters;
      if (!field->is_array()) return fmt::format("'{}' must be an array of strings, not {}", name, type_name(*field));
      for (element entry : array_of(*field)) {
        if (!entry.is_string()) return fmt::format("'{}' must be an array of strings; it holds {}", name, type_name(entry));
        list->push_back(entry.get_string().value_unsafe());
      }
    }

    // Count.
    if (items_ == 0)
      for (const auto& [name, value] : record.key_fields) key_names_.emplace_back(name);
    ++items_;
    if (overall) overall_values_.push_back(*overall);
    for (const auto& [name, mean] : dimension_values_) {
      std::vector<double>& values = dimensions_.at(name);
      if (mean) values.push_back(*mean);
    }
    ++vote_counts_[vote_count];
    for (std::string_view rater : rater_values_)
      if (raters_.find(rater) == raters_.end()) raters_.emplace(rater);
    std::sort(flag_values_.begin(), flag_values_.end());
    flag_values_.erase(std::unique(flag_values_.begin(), flag_values_.end()), flag_values_.end());
    for (std::string_view flag : flag_values_) ++flags_.at(flag);
    if (!flag_values_.empty()) {
      ++flagged_;
      if (flagged_rows_.size() < max_rows) {
        std::vector<std::string> row;
        for (const std::string& key : key_names_) {
          std::string cell(missing);
          for (const auto& [name, value] : record.key_fields)
            if (name == key) cell = display(value);
          row.push_back(std::move(cell));
        }
        row.push_back(overall ? Numbers::value(*overall) : std::string(missing));
        row.push_back(Numbers::count(vote_count));
        std::string flags;
        for (std::string_view flag : flag_values_) flags += (flags.empty() ? "" : ", ") + std::string(flag);
        row.push_back(std::move(flags));
        flagged_rows_.push_back(std::move(row));
      }
    }
    return {};
  }

  std::uint64_t items() const { return items_; }

  void write(doc::Document& document, const Numbers& numbers, std::size_t max_rows) {
    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"items", true}, {"share", true}});
    totals.rows.push_back({"items", Numbers::count(items_), Numbers::share(items_, items_)});
    totals.rows.push_back({"flagged", Numbers::count(flagged_), Numbers::share(flagged_, items_)});
    totals.rows.push_back({"with an overall score", Numbers::count(overall_values_.size()),
                           Numbers::share(overall_values_.size(), items_)});
    document.paragraph(fmt::format("Raters named in the items' {} lists: {}.", item_schema::raters, raters_.size()));

    document.heading(2, "Vote counts");
    std::vector<double> votes;
    for (const auto& [count, items] : vote_counts_) votes.insert(votes.end(), items, static_cast<double>(count));
    const auto votes_summary = prefline::stats::summarize(votes, 0);
    if (items_ == 0) document.paragraph("No items.");
    else document.paragraph(fmt::format("Items per {}; mean {}, median {}.", item_schema::vote_count,
                                   numbers.statistic(votes_summary.mean), numbers.statistic(votes_summary.median)));
    if (!vote_counts_.empty()) {
      doc::Table& table = document.table(
          {{std::string(item_schema::vote_count), true}, {"items", true}, {"share", true}, {"", false, true}});
      std::uint64_t largest = 0;
      for (const auto& entry : vote_counts_) largest = std::max(largest, entry.second);
      doc::BarChart chart;
      chart.right_name = "items";
      for (const auto& [count, items] : vote_counts_) {
        table.rows.push_back({Numbers::count(count), Numbers::count(items), Numbers::share(items, items_),
                              doc::text_bar(items, largest, bar_width)});
        chart.labels.push_back(fmt::format("{} = {}", item_schema::vote_count, count));
        chart.right.push_back(items);
      }
      document.chart_above_last_table(std::move(chart));
    }

    document.heading(2, "Flags");
    if (flags_.size() == 0) {
      document.paragraph("No item is flagged.");
    } else {
      // Most frequent first, then by name.
      std::vector<std::pair<std::string, std::uint64_t>> flags(flags_.entries().begin(), flags_.entries().end());
      std::sort(flags.begin(), flags.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
      });
      document.paragraph(fmt::format("Items per flag ({}; an item may have several); shares of all {} items.",
                                     item_schema::flags, items_));
      doc::Table& table = document.table({{"flag"}, {"items", true}, {"share", true}, {"", false, true}});
      doc::BarChart chart;
      chart.right_name = "items";
      for (const auto& [flag, items] : flags) {
        table.rows.push_back(
            {flag, Numbers::count(items), Numbers::share(items, items_), doc::text_bar(items, flags.front().second, bar_width)});
        chart.labels.push_back(flag);
        chart.right.push_back(items);
      }
      document.chart_above_last_table(std::move(chart));
      if (max_rows > 0) {
        document.heading(3, "Flagged items");
        document.paragraph("The first flagged items in input order.");
        std::vector<doc::Column> columns;
        for (const std::string& key : key_names_) columns.push_back({key});
        columns.push_back({std::string(item_schema::overall), true});
        columns.push_back({std::string(item_schema::vote_count), true});
        columns.push_back({std::string(item_schema::flags)});
        document.table(std::move(columns)).rows = flagged_rows_;
        if (auto text = left_out(flagged_rows_.size(), flagged_, "flagged item", "flagged items"); !text.empty())
          document.paragraph(text);
      }
    }

    document.heading(2, "Scores");
    document.paragraph(fmt::format("{} and, per dimension of {}, each item's {}; over the items that have a number.",
                                   item_schema::overall, item_schema::scores, item_schema::mean));
    std::vector<std::pair<std::string, std::vector<double>>> lists;
    lists.emplace_back(std::string(item_schema::overall), overall_values_);
    for (auto& [name, values] : dimensions_.entries()) lists.emplace_back(name, values);
    for (auto& [name, values] : lists) std::sort(values.begin(), values.end());
    doc::Table& table = document.table(summary_columns("score"));
    for (const auto& [name, values] : lists) table.rows.push_back(summary_row(name, values, numbers));
    for (const auto& [name, values] : lists) {
      document.heading(3, fmt::format("Histogram of {}", name));
      histogram_section(document, values, "items", values.size());
    }
  }

 private:
  std::uint64_t items_ = 0, flagged_ = 0;
  std::vector<std::string> key_names_;
  std::vector<double> overall_values_;
  Named<std::vector<double>> dimensions_;
  std::map<std::uint64_t, std::uint64_t> vote_counts_;
  std::unordered_set<std::string, prefline::TransparentStringHash, std::equal_to<>> raters_;
  Named<std::uint64_t> flags_;
  std::vector<std::vector<std::string>> flagged_rows_;
  std::vector<std::pair<std::string_view, std::optional<double>>> dimension_values_;
  std::vector<std::string_view> flag_values_, rater_values_;
};

// ---------------------------------------------------------------------------
// The --summary file: any JSON object, as a key/value table.

void flatten(element value, const std::string& path, doc::Table& table) {
  if (value.is_object()) {
    const simdjson::dom::object object = object_of(value);
    if (object.size() == 0 && !path.empty()) {
      table.rows.push_back({path, "{}"});
      return;
    }
    for (auto [key, member] : object) flatten(member, path.empty() ? std::string(key) : path + "." + std::string(key), table);
    return;
  }
  auto scalar = [](element scalar) -> std::string {
    switch (scalar.type()) {
      case element_type::BOOL: return scalar.get_bool().value_unsafe() ? "true" : "false";
      case element_type::NULL_VALUE: return "null";
      default: return display(scalar);
    }
  };
  std::string text;
  if (value.is_array()) {
    // A list of strings, numbers, booleans or nulls reads best as "a, b, c";
    // anything nested (or an empty list) as compact JSON.
    const simdjson::dom::array array = array_of(value);
    bool flat = array.size() > 0;
    for (element entry : array) flat = flat && !entry.is_array() && !entry.is_object();
    if (flat)
      for (element entry : array) text += (text.empty() ? "" : ", ") + scalar(entry);
    else
      text = simdjson::minify(value);
  } else {
    text = scalar(value);
  }
  table.rows.push_back({path, std::move(text)});
}

doc::Table read_summary(const std::string& path) {
  prefline::InputFile input(path);
  std::string text;
  char chunk[1 << 16];
  for (std::size_t got; (got = input.read_some(chunk, sizeof chunk)) > 0;) text.append(chunk, got);
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(text).get(root)) throw prefline::DataError(fmt::format("{}: {}", path, prefline::json_error_reason(error)));
  if (!root.is_object()) throw prefline::DataError(fmt::format("{}: expected a JSON object, found {}", path, type_name(root)));
  doc::Table table{{{"key"}, {"value"}}, {}};
  flatten(root, "", table);
  return table;
}

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  const Numbers numbers(options.decimals);
  std::optional<doc::Table> summary;
  if (!options.summary.empty()) summary = read_summary(options.summary);
  prefline::Output out;
  out.open(options.common.output);
  prefline::Output html;
  if (!options.html.empty()) html.open(options.html);
  prefline::BadRecords bad(options.common);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  const std::vector<std::string> files = prefline::inputs_or_stdin(options.common.files);
  RecordScanner scanner(options, settings);
  JudgedReport judged(options, settings);
  PairReport pairs(options);
  ItemReport items;
  std::optional<Kind> kind = settings.kind;
  std::string first_record;  // FILE:LINE of the record that fixed the kind
  std::uint64_t order = 0;
  simdjson::dom::parser parser;
  Record record;
  for (const auto& name : files) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      progress.tick();
      auto reason = [&]() -> std::string {
        element root;
        if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(root))
          return prefline::json_error_reason(error);
        if (!root.is_object()) return fmt::format("expected a JSON object, found {}", type_name(root));
        if (auto reason = scanner.scan(object_of(root), record); !reason.empty()) return reason;
        Kind this_kind;
        if (settings.kind) {
          if (auto reason = missing_fields(record, *settings.kind); !reason.empty()) return reason;
          this_kind = *settings.kind;
        } else {
          const auto detected = detect(record);
          if (!detected)
            return fmt::format("not a judged turn ('{}'), a pair record ('{}', '{}', '{}') or an item record ('{}', "
                               "'{}')",
                               duel_schema::duel, pair_schema::metadata, pair_schema::chosen, pair_schema::rejected,
                               item_schema::scores, item_schema::vote_count);
          if (kind && *detected != *kind)
            return fmt::format("{} among {} (the first valid record, {}, set the kind; one report covers one "
                               "kind: see --kind)",
                               kind_one(*detected), kind_name(*kind), first_record);
          this_kind = *detected;
        }
        std::string result;
        switch (this_kind) {
          case Kind::judged: result = judged.add(record, {name, line.number, order}); break;
          case Kind::pairs: result = pairs.add(record); break;
          case Kind::items: result = items.add(record, settings.max_rows); break;
        }
        if (result.empty() && !kind) {
          kind = this_kind;
          first_record = fmt::format("{}:{}", name, line.number);
        }
        return result;
      }();
      if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
      else ++order;
    }
  }
  progress.finish();

  doc::Document document;
  document.title = options.title.empty() ? fmt::format("prefline report: {}", kind ? kind_name(*kind) : "no records")
                                         : options.title;
  document.heading(1, document.title);
  std::string intro = kind ? fmt::format("{} read from {}.", counted(order, kind_name(*kind, false), kind_name(*kind)),
                                         file_list(files))
                           : fmt::format("No records in {}.", file_list(files));
  if (bad.skipped() > 0)
    intro += fmt::format(" {} skipped (--skip-invalid).", counted(bad.skipped(), "invalid record", "invalid records"));
  if (kind)
    intro += fmt::format(" Means, standard deviations and medians are rounded to {} decimals; \u2014 marks a "
                         "missing value.",
                         options.decimals);
  document.paragraph(intro);
  if (kind == Kind::judged) judged.write(document, numbers);
  if (kind == Kind::pairs) pairs.write(document, numbers, settings.max_rows);
  if (kind == Kind::items) items.write(document, numbers, settings.max_rows);
  if (summary) {
    document.heading(2, "Duel summary");
    document.paragraph(fmt::format("From {}.", options.summary));
    if (summary->rows.empty()) document.paragraph("The object is empty.");
    else document.blocks.emplace_back(std::move(*summary));
  }
  if (kind == Kind::judged) judged.write_turns(document);

  const std::string markdown = doc::render_markdown(document);
  out.buffer().append(markdown);
  if (html.is_open()) {
    html.buffer().append(doc::render_html(document));
    html.commit();
  }
  bad.commit_rejects();
  out.commit();
  bad.finish(tool);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, help, argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--kind", options.kind);
        app.add_option("--title", options.title);
        app.add_option("--max-rows", options.max_rows);
        app.add_option("--decimals", options.decimals);
        app.add_option("--html", options.html);
        app.add_option("--summary", options.summary);
        app.add_option("--id", options.id);
        app.add_option("--bucket-field", options.bucket_field);
        app.add_option("--edges", options.edges);
        app.add_option("--bin-width", options.bin_width);
        app.add_option("--group", options.group);
        app.add_option("--candidate", options.candidate);
      },
      [&] { run(options); });
}
