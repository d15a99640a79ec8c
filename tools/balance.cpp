// balance: candidate records -> a sample with an exact mix of strata (e.g.
// difficulty levels), keeping only records that pass --require, chosen by a
// stable hash, written byte for byte in input order.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/csv/writer.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/random/sampling.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/text/split.hpp"
#include "prefline/text/whitespace.hpp"

namespace {

namespace candidate_schema = prefline::schema::sft_candidate;
namespace summary_schema = prefline::schema::balance_summary;

constexpr std::string_view tool = "balance";

constexpr std::string_view help_head = R"(Usage: balance [OPTIONS] [FILE...]

Draw a sample with an exact mix of strata (e.g. difficulty levels) from
candidate records: keep the records that pass --require, drop duplicates,
and take from each stratum its share of the sample, chosen by a stable hash.
Reads JSON Lines from the FILEs or standard input; writes the chosen records
byte for byte, in input order.

Filtering, in this order:
      --require FIELD     keep only records whose FIELD is true: JSON true, a
                          number other than 0, or the string "true", "pass"
                          or "passed" (any case). Anything else (false, 0,
                          null, "fail", a missing field...) is not true and
                          the record is counted as filtered. Repeat for
                          several fields; all must be true (default: none)
      --dedup FIELD       of the records that pass --require, keep the first
                          of each FIELD value (e.g. one solution per problem
                          id); the later ones are counted as duplicates.
                          Equal means same type and same value: the string
                          "1" is not the number 1 (default: no dedup)
      --by FIELD          the stratum of a record (default difficulty): a
                          string, or a number, named by its shortest form
                          (1.0 is "1"). Records whose stratum is not in the
                          mix are counted as outside_mix

Mix:
      --mix MIX           the shares of the strata (default balanced):
                            balanced      easy=1,medium=1,hard=1
                            easy-heavy    easy=50,medium=30,hard=20
                            medium-heavy  easy=25,medium=50,hard=25
                            hard-heavy    easy=20,medium=30,hard=50
                          or explicit NAME=SHARE,... in the order the
                          summary lists them (shares: numbers >= 0 with up to
                          6 decimals, not all 0; each name once)
      --total N           the exact sample size (N >= 1). Each stratum gets
                          floor(N * share / sum of shares) records, and the
                          ones left over go one each to the largest
                          remainders; equal remainders: the stratum listed
                          first in the mix (balanced with N = 100: 34,33,33).
                          A stratum with fewer eligible records than its
                          count is an error (exit 1) naming the stratum and
                          the shortfall, unless --allow-short
      --allow-short       with --total: take all of a short stratum; the
                          others keep their counts (the shortfall is not
                          filled from them), so the sample is smaller than N.
                          The achieved mix goes to stderr
  Without --total: the largest sample with exactly this mix that repeats no
  record, i.e. the largest N whose counts (rounded as above) each fit in
  their stratum: balanced over 12 easy, 10 medium and 8 hard records gives
  N = 26 (9, 9, 8). A stratum with a share > 0 and no eligible record is
  then an error (exit 1).

Selection:
      --key FIELDS        what ranks a record: one or more top-level fields
                          (comma list; strings hashed unescaped, other values
                          as compact JSON, each part prefixed by its type and
                          length, as bucket --hash does), or by default the
                          whole line (its bytes without the line end and
                          trailing white space)
      --seed N            the seed of the hash (default 0)
  In each stratum the records are ranked by XXH3-64 of the key with the seed,
  lowest first (equal hashes, e.g. equal keys: the earlier record first), and
  the first COUNT are taken. The same input and options give the same sample
  on any machine; another seed gives another sample.

Summary:
      --summary FILE      append one CSV row describing the run to FILE, after
                          a header line when FILE is new or empty; an existing
                          FILE must start with this run's header (the same
                          strata), else exit 1 before any input is read. The
                          row is appended by one write under an exclusive lock
                          (flock), so parallel runs can share FILE. Written
                          only when the tool succeeds, after the output
      --name NAME         the row's dataset name (default: the --mix text)
      --length-field FIELD  the string field whose average length (in Unicode
                          characters, over the sample) is avg_length; every
                          record that passes --require must have it
  Columns: dataset, mix, seed, total; then for each stratum S in mix order
  S_count, S_share (S_count / total, 4 decimals), S_available (its eligible
  records); then read (records read), invalid (skipped by --skip-invalid),
  filtered, duplicates, outside_mix, eligible (read = invalid + filtered +
  duplicates + outside_mix + eligible), avg_length (1 decimal; empty without
  --length-field or when the sample is empty).

Memory:
  With --total: the chosen records only (a heap of COUNT records per stratum),
  whatever the input size. Without --total the counts are known only at the
  end: when every FILE is a regular file, balance reads them twice (counting,
  then choosing; they must not change in between) and needs the same memory
  as with --total; from standard input or a pipe it keeps every eligible
  record until the end (its bytes and about 80 more each). --dedup keeps
  every distinct value it has seen (about 100 bytes each, plus the value's
  length when over 15 bytes).

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
Input: JSON Lines, one object per line; blank lines are skipped. Fields read:
the --require fields of every record; the --by, --dedup, --key and
--length-field fields of the records that pass --require. Bad records (exit
1, or skipped with --skip-invalid): not exactly one valid JSON object
(invalid JSON or UTF-8, content after it), a field read twice in a record
(duplicate key); after --require: a --by field that is missing or not a
string or number, a missing or null --dedup field, a missing --key field, a
--length-field that is missing or not a string.
Output: the chosen records' lines byte for byte (white space after the
record dropped), each ending with '\n', in input order.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'balance: FILE:LINE: reason'), a short stratum, a
     --summary FILE with another header, or a runtime error
  2  bad option or option value (nothing is read)

Example:
  balance --require passed --dedup problem_id --mix easy-heavy --total 20 \
    --summary summary.csv candidates.jsonl > easy-heavy.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::vector<std::string> require;
  std::string dedup;
  std::string by = std::string(candidate_schema::difficulty);
  std::string mix = "balanced";
  std::string total;
  bool allow_short = false;
  std::string key;
  std::uint64_t seed = 0;
  std::string summary;
  std::string name;
  std::string length_field;
};

struct Stratum {
  std::string name;
  std::uint64_t weight;  // the share in millionths
};

struct Preset {
  std::string_view name;
  std::uint64_t easy, medium, hard;
};
constexpr Preset presets[] = {
    {"balanced", 1, 1, 1},
    {"easy-heavy", 50, 30, 20},
    {"medium-heavy", 25, 50, 25},
    {"hard-heavy", 20, 30, 50},
};

constexpr std::uint64_t share_scale = 1000000;  // shares are read with up to 6 decimals
constexpr double max_share = 1e9;

// Options checked and parsed, before any input is read.
struct Settings {
  std::vector<Stratum> strata;
  std::optional<std::uint64_t> total;
  // The fields read, each once; the roles point into it.
  std::vector<std::string> fields;
  std::vector<std::size_t> require_slots;
  std::size_t by_slot = 0;
  std::optional<std::size_t> dedup_slot;
  std::vector<std::size_t> key_slots;  // empty: the whole line
  std::optional<std::size_t> length_slot;
  std::string dataset_name;
  std::string summary_header;  // the header line, without its line end
};

std::size_t slot_of(Settings& settings, const std::string& field) {
  for (std::size_t i = 0; i < settings.fields.size(); ++i)
    if (settings.fields[i] == field) return i;
  settings.fields.push_back(field);
  return settings.fields.size() - 1;
}

void check_field_name(std::string_view option, std::string_view field) {
  if (field.empty()) throw prefline::UsageError(fmt::format("{} needs a field name", option));
}

// A stratum name from --mix: it ends up in the summary header, so no control
// characters (the header stays one line).
void check_stratum_name(std::string_view name, std::string_view mix) {
  if (name.empty()) throw prefline::UsageError(fmt::format("--mix: empty stratum name in '{}'", mix));
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      throw prefline::UsageError(fmt::format("--mix: control character in the stratum name '{}'", name));
}

std::uint64_t parse_share(std::string_view text, std::string_view part) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw prefline::UsageError(fmt::format("--mix: '{}': the share is not a number", part));
  if (value < 0 || value > max_share)
    throw prefline::UsageError(fmt::format("--mix: '{}': the share must be between 0 and {}", part, max_share));
  return static_cast<std::uint64_t>(std::llround(value * static_cast<double>(share_scale)));
}

std::vector<Stratum> parse_mix(const std::string& mix) {
  std::vector<Stratum> strata;
  if (mix.find('=') == std::string::npos) {
    for (const auto& preset : presets)
      if (preset.name == mix)
        return {{std::string(candidate_schema::easy), preset.easy * share_scale},
                {std::string(candidate_schema::medium), preset.medium * share_scale},
                {std::string(candidate_schema::hard), preset.hard * share_scale}};
    throw prefline::UsageError(fmt::format(
        "--mix: unknown mix '{}' (presets: balanced, easy-heavy, medium-heavy, hard-heavy; or NAME=SHARE,...)", mix));
  }
  std::uint64_t sum = 0;
  for (const auto& part : prefline::split_list(mix)) {
    const std::size_t equals = part.find('=');
    if (equals == std::string::npos)
      throw prefline::UsageError(fmt::format("--mix: '{}' is not NAME=SHARE", part));
    std::string name = part.substr(0, equals);
    check_stratum_name(name, mix);
    for (const auto& stratum : strata)
      if (stratum.name == name) throw prefline::UsageError(fmt::format("--mix: stratum '{}' given twice", name));
    const std::uint64_t weight = parse_share(std::string_view(part).substr(equals + 1), part);
    sum += weight;
    strata.push_back({std::move(name), weight});
  }
  if (sum == 0) throw prefline::UsageError(fmt::format("--mix: the shares in '{}' add up to 0", mix));
  return strata;
}

std::string summary_header(const std::vector<Stratum>& strata) {
  std::vector<std::string> cells = {std::string(summary_schema::dataset), std::string(summary_schema::mix),
                                    std::string(summary_schema::seed), std::string(summary_schema::total)};
  for (auto suffix : {summary_schema::count_suffix, summary_schema::share_suffix, summary_schema::available_suffix})
    for (const auto& stratum : strata) cells.push_back(stratum.name + std::string(suffix));
  for (auto column : {summary_schema::read, summary_schema::invalid, summary_schema::filtered,
                      summary_schema::duplicates, summary_schema::outside_mix, summary_schema::eligible,
                      summary_schema::avg_length})
    cells.emplace_back(column);
  prefline::Buffer line;
  prefline::append_csv_row(line, cells, {',', ""});
  return std::string(line.view());
}

// The first line of an existing, non-empty file without its line end; nullopt
// when the file does not exist or is empty.
std::optional<std::string> first_line_of(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw prefline::DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  struct stat status {};
  std::string line;
  if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
    char chunk[4096];
    for (;;) {
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      const std::string_view text(chunk, static_cast<std::size_t>(got));
      const std::size_t newline = text.find('\n');
      line.append(text.substr(0, newline));
      if (newline != std::string_view::npos) break;
    }
  }
  ::close(fd);
  if (line.empty()) return std::nullopt;
  if (line.back() == '\r') line.pop_back();
  return line;
}

void check_summary_header(const std::string& path, const std::string& header) {
  const std::optional<std::string> existing = first_line_of(path);
  if (existing && *existing != header)
    throw prefline::DataError(
        fmt::format("--summary '{}' has another header (other strata?): '{}'; this run writes '{}'", path, *existing,
                    header));
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.strata = parse_mix(options.mix);
  if (!options.total.empty()) {
    std::uint64_t total = 0;
    const auto [end, error] = std::from_chars(options.total.data(), options.total.data() + options.total.size(), total);
    if (error != std::errc() || end != options.total.data() + options.total.size() || total == 0)
      throw prefline::UsageError(fmt::format("--total: '{}' is not a positive integer", options.total));
    settings.total = total;
  }
  if (options.allow_short && !settings.total)
    throw prefline::UsageError("--allow-short goes with --total (without it the size is one no stratum is short of)");
  for (const auto& field : options.require) {
    check_field_name("--require", field);
    settings.require_slots.push_back(slot_of(settings, field));
  }
  check_field_name("--by", options.by);
  settings.by_slot = slot_of(settings, options.by);
  if (!options.dedup.empty()) settings.dedup_slot = slot_of(settings, options.dedup);
  if (!options.key.empty()) {
    const std::vector<std::string> keys = prefline::split_list(options.key);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].empty()) throw prefline::UsageError(fmt::format("--key: empty field name in '{}'", options.key));
      for (std::size_t j = 0; j < i; ++j)
        if (keys[i] == keys[j]) throw prefline::UsageError(fmt::format("--key: '{}' given twice", keys[i]));
      settings.key_slots.push_back(slot_of(settings, keys[i]));
    }
  }
  if (options.summary.empty()) {
    if (!options.name.empty()) throw prefline::UsageError("--name goes with --summary");
    if (!options.length_field.empty()) throw prefline::UsageError("--length-field goes with --summary");
  } else {
    if (options.summary == options.common.output)
      throw prefline::UsageError(fmt::format("--summary and --output name the same file '{}'", options.summary));
    if (options.summary == options.common.rejects)
      throw prefline::UsageError(fmt::format("--summary and --rejects name the same file '{}'", options.summary));
    if (!options.length_field.empty()) settings.length_slot = slot_of(settings, options.length_field);
    settings.dataset_name = options.name.empty() ? options.mix : options.name;
    settings.summary_header = summary_header(settings.strata);
  }
  return settings;
}

// ---------------------------------------------------------------------------

// "true", "pass", "passed" in any case.
bool is_true_word(std::string_view text) {
  auto equal = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  return equal("true") || equal("pass") || equal("passed");
}

bool is_true(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::BOOL: return value.get_bool().value_unsafe();
    case simdjson::dom::element_type::INT64: return value.get_int64().value_unsafe() != 0;
    case simdjson::dom::element_type::UINT64: return value.get_uint64().value_unsafe() != 0;
    case simdjson::dom::element_type::DOUBLE: return value.get_double().value_unsafe() != 0;
    case simdjson::dom::element_type::STRING: return is_true_word(value.get_string().value_unsafe());
    default: return false;
  }
}

// A number's name as a stratum: its shortest form.
std::string number_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::INT64: return fmt::format("{}", value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64: return fmt::format("{}", value.get_uint64().value_unsafe());
    default: {
      const double number = value.get_double().value_unsafe();
      return fmt::format("{}", number == 0 ? 0.0 : number);
    }
  }
}

std::uint64_t unicode_length(std::string_view text) {
  std::uint64_t length = 0;
  for (char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

// What happens to one record.
enum class Verdict { bad, filtered, duplicate, outside_mix, eligible };

struct Counts {
  std::uint64_t read = 0, invalid = 0, filtered = 0, duplicates = 0, outside_mix = 0;
  std::vector<std::uint64_t> eligible;  // per stratum
};

// A record as the selection keeps it.
struct Kept {
  std::string text;
  std::uint64_t length = 0;
};

// Decides what happens to each record: parses it once (simdjson DOM, which
// checks the whole record), picks the fields, applies --require and --dedup
// and finds the stratum.
class Classifier {
 public:
  explicit Classifier(const Settings& settings)
      : settings_(settings), values_(settings.fields.size()), present_(settings.fields.size()) {}

  // Forgets the --dedup values seen (before a second pass).
  void reset() { seen_.clear(); }

  // Fills stratum(), key() and length() for an eligible record; `reason` for a bad one.
  Verdict classify(const prefline::JsonlLine& line, std::string& reason) {
    simdjson::dom::element record;
    if (auto error = parser_.parse(line.text.data(), line.text.size(), false).get(record)) {
      reason = prefline::json_error_reason(error);
      return Verdict::bad;
    }
    if (!record.is_object()) {
      reason = fmt::format("expected a JSON object, found {}", prefline::type_name(record));
      return Verdict::bad;
    }
    std::fill(present_.begin(), present_.end(), 0);
    const simdjson::dom::object object = record.get_object().value_unsafe();
    for (auto [name, value] : object) {
      for (std::size_t i = 0; i < settings_.fields.size(); ++i) {
        if (settings_.fields[i] != name) continue;
        if (present_[i]) {
          reason = fmt::format("duplicate key '{}'", name);
          return Verdict::bad;
        }
        present_[i] = 1;
        values_[i] = value;
      }
    }
    for (std::size_t slot : settings_.require_slots)
      if (!present_[slot] || !is_true(values_[slot])) return Verdict::filtered;

    // Every field the record needs from here is checked before --dedup
    // remembers its value: a bad record leaves no trace.
    reason = find_stratum();
    if (reason.empty()) reason = build_key(line.text);
    if (reason.empty()) reason = measure_length();
    if (reason.empty() && settings_.dedup_slot) reason = dedup_value(*settings_.dedup_slot);
    if (!reason.empty()) return Verdict::bad;
    if (settings_.dedup_slot) {
      if (seen_.contains(dedup_)) return Verdict::duplicate;
      seen_.insert(dedup_);
    }
    return stratum_ == settings_.strata.size() ? Verdict::outside_mix : Verdict::eligible;
  }

  std::size_t stratum() const { return stratum_; }
  std::string_view key() const { return whole_line_ ? line_key_ : std::string_view(key_); }
  std::uint64_t length() const { return length_; }

 private:
  std::string find_stratum() {
    const std::size_t slot = settings_.by_slot;
    const std::string& field = settings_.fields[slot];
    if (!present_[slot]) return fmt::format("missing --by field '{}'", field);
    const simdjson::dom::element value = values_[slot];
    if (value.is_string()) {
      stratum_name_ = value.get_string().value_unsafe();
    } else if (value.is_number()) {
      stratum_name_ = number_text(value);
    } else {
      return fmt::format("--by field '{}' is {}, expected a string or a number", field, prefline::type_name(value));
    }
    stratum_ = settings_.strata.size();
    for (std::size_t i = 0; i < settings_.strata.size(); ++i)
      if (settings_.strata[i].name == stratum_name_) stratum_ = i;
    return {};
  }

  std::string build_key(std::string_view line) {
    whole_line_ = settings_.key_slots.empty();
    if (whole_line_) {
      line_key_ = prefline::trim_json_whitespace(line);
      return {};
    }
    key_.clear();
    for (std::size_t slot : settings_.key_slots) {
      if (!present_[slot]) return fmt::format("missing --key field '{}'", settings_.fields[slot]);
      append_value(key_, values_[slot]);
    }
    return {};
  }

  std::string measure_length() {
    length_ = 0;
    if (!settings_.length_slot) return {};
    const std::size_t slot = *settings_.length_slot;
    if (!present_[slot]) return fmt::format("missing --length-field '{}'", settings_.fields[slot]);
    if (!values_[slot].is_string())
      return fmt::format("--length-field '{}' is {}, expected a string", settings_.fields[slot],
                         prefline::type_name(values_[slot]));
    length_ = unicode_length(values_[slot].get_string().value_unsafe());
    return {};
  }

  std::string dedup_value(std::size_t slot) {
    if (!present_[slot] || values_[slot].is_null())
      return fmt::format("{} --dedup field '{}'", present_[slot] ? "null" : "missing", settings_.fields[slot]);
    dedup_.clear();
    append_value(dedup_, values_[slot]);
    return {};
  }

  // Strings by their unescaped text, everything else as compact JSON (the
  // bytes --key hashes: see json/typed_key.hpp).
  static void append_value(std::string& key, simdjson::dom::element value) { prefline::append_key_part(key, value); }

  const Settings& settings_;
  simdjson::dom::parser parser_;
  std::vector<simdjson::dom::element> values_;
  std::vector<char> present_;
  std::string stratum_name_;
  std::size_t stratum_ = 0;
  bool whole_line_ = true;
  std::string_view line_key_;
  std::string key_;
  std::string dedup_;
  std::uint64_t length_ = 0;
  std::unordered_set<std::string> seen_;
};

// ---------------------------------------------------------------------------

using Heap = prefline::BestK<Kept>;

// Every FILE a regular file (and so readable twice)?
bool all_regular_files(const std::vector<std::string>& inputs) {
  for (const auto& name : inputs) {
    struct stat status {};
    if (name == prefline::stdin_name || ::stat(name.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return false;
  }
  return true;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// The --summary file. Opened before the output is committed when it exists
// already (committing closes standard output, and /dev/stdout with it), and
// created only after, so a failed run creates no summary file.
class SummaryFile {
 public:
  explicit SummaryFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd_ < 0 && errno != ENOENT)
      throw prefline::DataError(fmt::format("cannot open '{}': {}", path_, std::strerror(errno)));
  }
  SummaryFile(const SummaryFile&) = delete;
  SummaryFile& operator=(const SummaryFile&) = delete;
  ~SummaryFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Appends the row under an exclusive lock, after the header when the file
  // is new or empty.
  void append(const std::string& header, std::string_view row) {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0) throw prefline::DataError(fmt::format("cannot open '{}': {}", path_, std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    struct stat status {};
    if (::fstat(fd_, &status) != 0)
      throw prefline::DataError(fmt::format("cannot read '{}': {}", path_, std::strerror(errno)));
    std::string text;
    if (S_ISREG(status.st_mode) && status.st_size > 0) {
      // Another run may have written the file since the check before reading.
      const std::optional<std::string> existing = first_line_of(path_);
      if (existing && *existing != header)
        throw prefline::DataError(
            fmt::format("--summary '{}' has another header (other strata?): '{}'", path_, *existing));
      char last = '\n';
      if (::pread(fd_, &last, 1, status.st_size - 1) == 1 && last != '\n') text.push_back('\n');
    } else {
      text.append(header).push_back('\n');
    }
    text.append(row);
    std::string_view left = text;
    while (!left.empty()) {
      const ssize_t written = ::write(fd_, left.data(), left.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        throw prefline::WriteError(fmt::format("'{}': {}", path_, std::strerror(errno)));
      }
      left.remove_prefix(static_cast<std::size_t>(written));
    }
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR)
      throw prefline::WriteError(fmt::format("'{}': {}", path_, std::strerror(errno)));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

class Balancer {
 public:
  Balancer(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), classifier_(settings), bad_(options.common, outputs_),
        progress_(std::string(tool), options.common.quiet) {}

  void run() {
    const std::vector<std::string> inputs = prefline::inputs_or_stdin(options_.common.files);
    const std::size_t strata = settings_.strata.size();
    // Opened before the input is read: a bad output path fails first.
    prefline::Output& out = outputs_.add(options_.common.output);
    std::vector<std::uint64_t> weights;
    for (const auto& stratum : settings_.strata) weights.push_back(stratum.weight);

    // How many to keep per stratum while reading: known up front with
    // --total; else counted in a first pass over regular files; else all.
    std::vector<std::uint64_t> targets;
    bool counted_first = false;
    if (settings_.total) {
      targets = prefline::apportion(*settings_.total, weights);
    } else if (all_regular_files(inputs)) {
      read_all(inputs, Pass::count);
      targets = targets_without_total(weights);
      counted_first = true;
    }
    std::vector<Heap> heaps;
    for (std::size_t s = 0; s < strata; ++s)
      heaps.emplace_back(targets.empty() ? Heap::unlimited : static_cast<std::size_t>(targets[s]));
    classifier_.reset();
    read_all(inputs, counted_first ? Pass::choose_again : Pass::choose, &heaps);
    progress_.finish();
    if (targets.empty()) targets = targets_without_total(weights);

    // Shortfalls (only possible with --total).
    std::vector<std::uint64_t> taken(strata);
    std::string shortfalls;
    for (std::size_t s = 0; s < strata; ++s) {
      taken[s] = std::min(targets[s], counts_.eligible[s]);
      if (taken[s] == targets[s]) continue;
      if (!shortfalls.empty()) shortfalls += fmt::format("\n{}: ", tool);
      shortfalls += fmt::format("stratum '{}' is short by {}: the mix needs {}, there {} {} eligible record{}",
                                settings_.strata[s].name, targets[s] - taken[s], targets[s],
                                counts_.eligible[s] == 1 ? "is" : "are", counts_.eligible[s],
                                counts_.eligible[s] == 1 ? "" : "s");
    }
    if (!shortfalls.empty() && !options_.allow_short)
      throw prefline::DataError(shortfalls + " (--allow-short takes what there is)");

    // The chosen records, back in input order.
    struct Chosen {
      std::uint64_t index;
      Kept* kept;
    };
    std::vector<std::vector<Heap::Entry>> best(strata);
    std::vector<Chosen> chosen;
    std::uint64_t total = 0, length_sum = 0;
    for (std::size_t s = 0; s < strata; ++s) {
      best[s] = heaps[s].take_sorted();
      best[s].resize(static_cast<std::size_t>(taken[s]));
      for (auto& entry : best[s]) {
        chosen.push_back({entry.rank.index, &entry.payload});
        length_sum += entry.payload.length;
      }
      total += taken[s];
    }
    std::sort(chosen.begin(), chosen.end(), [](const Chosen& a, const Chosen& b) { return a.index < b.index; });

    for (const Chosen& record : chosen) {
      out.buffer().append(record.kept->text);
      out.buffer().push_back('\n');
      out.maybe_flush();
    }
    std::optional<SummaryFile> summary;
    if (!options_.summary.empty()) summary.emplace(options_.summary);
    outputs_.commit();  // --rejects and -o, both or neither

    if (!shortfalls.empty()) {
      fmt::print(stderr, "{}: {}\n", tool, shortfalls);
      std::string mix;
      for (std::size_t s = 0; s < strata; ++s)
        mix += fmt::format("{}{} {} ({})", s == 0 ? "" : ", ", settings_.strata[s].name, taken[s],
                           percent(taken[s], total));
      fmt::print(stderr, "{}: achieved mix: {}; {} of --total {} records\n", tool, mix, total, *settings_.total);
    }
    if (summary) summary->append(settings_.summary_header, summary_row(taken, total, length_sum));
    bad_.finish(tool);
  }

 private:
  enum class Pass {
    count,         // first of two passes: count, report bad records
    choose,        // the only pass: count, choose, report bad records
    choose_again,  // second of two passes: choose; bad records were reported in the first
  };

  void read_all(const std::vector<std::string>& inputs, Pass pass, std::vector<Heap>* heaps = nullptr) {
    counts_ = Counts{};
    counts_.eligible.assign(settings_.strata.size(), 0);
    std::uint64_t index = 0;
    std::string reason;
    for (const auto& name : inputs) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      while (lines.next(line)) {
        ++index;
        ++counts_.read;
        progress_.tick();
        switch (classifier_.classify(line, reason)) {
          case Verdict::bad:
            ++counts_.invalid;
            if (pass != Pass::choose_again) bad_.handle(name, line.number, reason, line.text);
            continue;
          case Verdict::filtered: ++counts_.filtered; continue;
          case Verdict::duplicate: ++counts_.duplicates; continue;
          case Verdict::outside_mix: ++counts_.outside_mix; continue;
          case Verdict::eligible: break;
        }
        const std::size_t stratum = classifier_.stratum();
        ++counts_.eligible[stratum];
        if (pass == Pass::count) continue;
        Heap& heap = (*heaps)[stratum];
        const prefline::Rank rank{prefline::stable_hash(classifier_.key(), options_.seed), index};
        if (!heap.wants(rank)) continue;
        heap.offer(rank, [&](Kept& kept) {
          kept.text.assign(prefline::trim_json_whitespace(line.text));
          kept.length = classifier_.length();
        });
      }
    }
  }

  // Without --total: the counts of the largest exact mix that fits.
  std::vector<std::uint64_t> targets_without_total(const std::vector<std::uint64_t>& weights) {
    for (std::size_t s = 0; s < weights.size(); ++s)
      if (weights[s] > 0 && counts_.eligible[s] == 0)
        throw prefline::DataError(fmt::format(
            "stratum '{}' has no eligible records, so no sample has this mix (--total N --allow-short takes what "
            "there is)",
            settings_.strata[s].name));
    return prefline::apportion(prefline::largest_exact_total(weights, counts_.eligible), weights);
  }

  std::string summary_row(const std::vector<std::uint64_t>& taken, std::uint64_t total, std::uint64_t length_sum) {
    std::vector<std::string> cells = {settings_.dataset_name, options_.mix, fmt::format("{}", options_.seed),
                                      fmt::format("{}", total)};
    for (std::uint64_t count : taken) cells.push_back(fmt::format("{}", count));
    for (std::uint64_t count : taken)
      cells.push_back(total == 0 ? std::string()
                                 : fmt::format("{:.4f}", static_cast<double>(count) / static_cast<double>(total)));
    for (std::uint64_t available : counts_.eligible) cells.push_back(fmt::format("{}", available));
    std::uint64_t eligible = 0;
    for (std::uint64_t available : counts_.eligible) eligible += available;
    for (std::uint64_t count : {counts_.read, counts_.invalid, counts_.filtered, counts_.duplicates,
                                counts_.outside_mix, eligible})
      cells.push_back(fmt::format("{}", count));
    cells.push_back(!settings_.length_slot || total == 0
                        ? std::string()
                        : fmt::format("{:.1f}", static_cast<double>(length_sum) / static_cast<double>(total)));
    prefline::Buffer row;
    prefline::append_csv_row(row, cells);
    return std::string(row.view());
  }

  const Options& options_;
  const Settings& settings_;
  Classifier classifier_;
  prefline::OutputSet outputs_;  // before bad_, which adds --rejects to it
  prefline::BadRecords bad_;
  prefline::Progress progress_;
  Counts counts_;
};

void run(const Options& options) {
  const Settings settings = make_settings(options);
  if (!options.summary.empty()) check_summary_header(options.summary, settings.summary_header);
  Balancer balancer(options, settings);
  balancer.run();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--require", options.require)->allow_extra_args(false);
        app.add_option("--dedup", options.dedup);
        app.add_option("--by", options.by);
        app.add_option("--mix", options.mix);
        app.add_option("--total", options.total);
        app.add_flag("--allow-short", options.allow_short);
        app.add_option("--key", options.key);
        app.add_option("--seed", options.seed);
        app.add_option("--summary", options.summary);
        app.add_option("--name", options.name);
        app.add_option("--length-field", options.length_field);
      },
      [&] { run(options); });
}
