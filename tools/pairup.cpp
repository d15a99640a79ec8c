// pairup: item records (consensus output) -> preference pairs
// {prompt, chosen, rejected, metadata}, grouped and ranked by score.
#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/random/generator.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/timestamp.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/text/split.hpp"

namespace {

namespace item_schema = prefline::schema::item;
namespace pair_schema = prefline::schema::pair;
namespace source_schema = prefline::schema::sources;

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
      --by PATH           the score to rank by, a numeric field or a dotted
                          path into objects (default overall; e.g.
                          scores.technical.median). An item whose value is
                          null or missing has no score: it is counted and
                          left out; any other non-number is a bad record
      --stat STAT         the statistic of each dimension of 'scores' put
                          into chosen_scores / rejected_scores: mean, median
                          or trimmed_mean (default mean)
      --min-votes N       leave out items with vote_count < N first (default
                          0: keep all; a missing vote_count counts as 0)

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
      --meta FILE         write statistics as one JSON object: total_examples,
                          the GROUPs and CANDIDATEs in the pairs (first-seen
                          order, keys named after the fields + 's'),
                          export_timestamp, format_version, pairs_per_group,
                          score_difference {mean, min, max}, dropped pairs by
                          reason, items read / without score / below
                          --min-votes

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
"generated_at"}}. score_difference is the difference of the --by values;
generated_at is SOURCE_DATE_EPOCH when set, else the time of the run (one
value for the whole run). Bad records: not a JSON object, invalid JSON, a
group or candidate that is not a string or number, a non-numeric score,
'prompt' or 'response' not a string or null, the same item twice, a
response or prompt given twice, a key that is read given twice.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'pairup: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  pairup --responses responses.jsonl --prompts challenges.jsonl --meta pairs.meta.json items.jsonl > pairs.jsonl
)";

// Gaps within this of --min-margin count as reaching it (floating-point rounding).
constexpr double margin_tolerance = 1e-9;

enum class Strategy { best_vs_rest, best_vs_worst, all_pairs, adjacent, best_vs_random };

struct Options {
  prefline::CommonOptions common;
  std::string group = "challenge";
  std::string candidate = "model";
  std::string by = std::string(item_schema::overall);
  std::string stat = std::string(item_schema::mean);
  long long min_votes = 0;
  std::string strategy = "best-vs-rest";
  double min_margin = 0.5;
  long long max_pairs = 0;
  std::uint64_t seed = 0;
  std::string responses;
  std::string prompts;
  std::string dataset_version = "1.0.0";
  std::string meta;
};

struct Settings {
  std::vector<std::string> by_path;
  Strategy strategy = Strategy::best_vs_rest;
  std::size_t max_pairs = 0;
  std::size_t min_votes = 0;
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (options.group.empty()) throw prefline::UsageError("--group needs a field name");
  if (options.candidate.empty()) throw prefline::UsageError("--candidate needs a field name");
  if (options.group == options.candidate) throw prefline::UsageError("--group and --candidate must be different fields");
  settings.by_path = prefline::split_list(options.by, '.');
  for (const auto& part : settings.by_path)
    if (part.empty()) throw prefline::UsageError(fmt::format("--by: empty part in the path '{}'", options.by));
  if (options.stat != item_schema::mean && options.stat != item_schema::median && options.stat != item_schema::trimmed_mean)
    throw prefline::UsageError(fmt::format("--stat: '{}' is not mean, median or trimmed_mean", options.stat));
  if (options.strategy == "best-vs-rest") settings.strategy = Strategy::best_vs_rest;
  else if (options.strategy == "best-vs-worst") settings.strategy = Strategy::best_vs_worst;
  else if (options.strategy == "all-pairs") settings.strategy = Strategy::all_pairs;
  else if (options.strategy == "adjacent") settings.strategy = Strategy::adjacent;
  else if (options.strategy == "best-vs-random") settings.strategy = Strategy::best_vs_random;
  else
    throw prefline::UsageError(fmt::format(
        "--strategy: '{}' is not best-vs-rest, best-vs-worst, all-pairs, adjacent or best-vs-random", options.strategy));
  if (!std::isfinite(options.min_margin) || options.min_margin < 0)
    throw prefline::UsageError("--min-margin must be a number >= 0");
  if (options.max_pairs < 0) throw prefline::UsageError("--max-pairs must be 0 or more");
  settings.max_pairs = static_cast<std::size_t>(options.max_pairs);
  if (options.min_votes < 0) throw prefline::UsageError("--min-votes must be 0 or more");
  settings.min_votes = static_cast<std::size_t>(options.min_votes);
  if (options.dataset_version.empty()) throw prefline::UsageError("--dataset-version must not be empty");
  return settings;
}

// ---------------------------------------------------------------------------
// Keys: a group or candidate value (a string or a number), keyed by type and
// text so that "7" and 7 stay apart. The group key seeds best-vs-random's
// pick, so its bytes (single_value_key) are part of the output.

struct KeyValue {
  std::string key;   // single_value_key: type tag + text
  std::string json;  // as written in output
  std::string text;  // as used in the default prompt
};

std::string read_key(simdjson::dom::element element, std::string_view field, KeyValue& value) {
  if (element.is_string()) {
    const std::string_view text = element.get_string().value_unsafe();
    value.key = prefline::single_value_key(prefline::key_tag::string, text);
    value.json = prefline::json_quoted(text);
    value.text = std::string(text);
    return {};
  }
  if (element.is_number()) {
    value.json = simdjson::minify(element);
    value.key = prefline::single_value_key(prefline::key_tag::number, value.json);
    value.text = value.json;
    return {};
  }
  return fmt::format("field '{}' must be a string or a number", field);
}

using KeyMap = prefline::StringMap<std::uint32_t>;

// Looks up a field this tool reads. found = false when it is missing; a key
// given twice makes the record bad (which value would be meant?).
std::string find_field(const simdjson::dom::object& object, std::string_view key, simdjson::dom::element& element,
                       bool& found) {
  const prefline::FieldLookup lookup = prefline::find_unique(object, key, element);
  found = lookup == prefline::FieldLookup::found;
  if (lookup == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", key);
  return {};
}

// An optional text field: a string, or null / missing (no text); anything
// else makes the record bad.
std::string read_text_field(const simdjson::dom::object& object, std::string_view key, std::string_view& text,
                            bool& has_text) {
  simdjson::dom::element element;
  bool found;
  has_text = false;
  if (auto reason = find_field(object, key, element, found); !reason.empty() || !found) return reason;
  if (element.is_null()) return {};
  if (!element.is_string()) return fmt::format("field '{}' must be a string", key);
  text = element.get_string().value_unsafe();
  has_text = true;
  return {};
}

// ---------------------------------------------------------------------------
// Items.

// Text kept for many items: appended to large chunks that never move, so
// items hold plain views and a million items cost a million small records,
// not millions of separately allocated strings.
class TextArena {
 public:
  static constexpr std::size_t chunk_size = std::size_t{16} << 20;

  // Copies the pieces back to back; returns where the first one starts.
  const char* store(std::initializer_list<std::string_view> pieces) {
    std::size_t size = 0;
    for (auto piece : pieces) size += piece.size();
    if (chunks_.empty() || used_ + size > capacity_) {
      capacity_ = std::max(chunk_size, size);
      chunks_.emplace_back(new char[capacity_]);
      used_ = 0;
    }
    char* start = chunks_.back().get() + used_;
    char* at = start;
    for (auto piece : pieces) {
      if (piece.empty()) continue;  // an empty view may have no data pointer at all
      std::memcpy(at, piece.data(), piece.size());
      at += piece.size();
    }
    used_ += size;
    return start;
  }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
};

struct Item {
  std::uint32_t group;
  double score;
  std::uint64_t vote_count;
  std::size_t order;  // input order
  // In the arena, back to back: candidate key, candidate JSON, the
  // chosen_scores / rejected_scores object, prompt, response.
  const char* text;
  std::uint32_t candidate_key_size, candidate_json_size, scores_size, prompt_size;
  std::int64_t response_size;  // -1: the item has no response field

  std::string_view candidate_key() const { return {text, candidate_key_size}; }
  std::string_view candidate_json() const { return {text + candidate_key_size, candidate_json_size}; }
  std::string_view scores_json() const { return {text + candidate_key_size + candidate_json_size, scores_size}; }
  std::string_view prompt() const {
    return {text + candidate_key_size + candidate_json_size + scores_size, prompt_size};
  }
  std::optional<std::string_view> response() const {
    if (response_size < 0) return std::nullopt;
    return std::string_view(text + candidate_key_size + candidate_json_size + scores_size + prompt_size,
                            static_cast<std::size_t>(response_size));
  }
};

struct Group {
  KeyValue value;
  std::vector<std::uint32_t> members;  // every item of the group, for duplicates and texts
  std::vector<std::uint32_t> items;    // those with a score and enough votes: the ones ranked
};

// The item of `group` whose candidate has this key, or -1.
std::int64_t find_member(const Group& group, const std::vector<Item>& items, std::string_view candidate_key) {
  for (std::uint32_t member : group.members)
    if (items[member].candidate_key() == candidate_key) return member;
  return -1;
}

struct Counters {
  std::size_t items = 0;
  std::size_t without_score = 0;
  std::size_t below_min_votes = 0;
  std::size_t missing_text = 0;
  std::size_t empty_text = 0;
  std::size_t identical_texts = 0;
};

class ItemReader {
 public:
  ItemReader(const Options& options, const Settings& settings) : options_(options), settings_(settings) {}

  // Reads one item line; returns the reason when it is bad.
  std::string read(simdjson::dom::parser& parser, const prefline::JsonlLine& line, std::vector<Group>& groups,
                   KeyMap& group_index, std::vector<Item>& items, Counters& counters) {
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      return prefline::json_error_reason(error);
    if (!record.is_object()) return "expected a JSON object";
    const simdjson::dom::object object = record.get_object().value_unsafe();

    KeyValue group, candidate;
    simdjson::dom::element element;
    bool present;
    if (auto reason = find_field(object, options_.group, element, present); !reason.empty()) return reason;
    if (!present) return fmt::format("missing group field '{}'", options_.group);
    if (auto reason = read_key(element, options_.group, group); !reason.empty()) return reason;
    if (auto reason = find_field(object, options_.candidate, element, present); !reason.empty()) return reason;
    if (!present) return fmt::format("missing candidate field '{}'", options_.candidate);
    if (auto reason = read_key(element, options_.candidate, candidate); !reason.empty()) return reason;

    std::optional<double> score;
    if (auto reason = read_by(record, score); !reason.empty()) return reason;

    std::uint64_t vote_count = 0;
    if (auto reason = find_field(object, item_schema::vote_count, element, present); !reason.empty()) return reason;
    if (present) {
      if (element.get_uint64().get(vote_count))
        return fmt::format("field '{}' must be a whole number >= 0", item_schema::vote_count);
    }

    if (auto reason = scores_json(object, vote_count, scores_); !reason.empty()) return reason;
    std::string_view prompt, response;
    bool has_prompt = false, has_response = false;
    if (auto reason = read_text_field(object, pair_schema::prompt, prompt, has_prompt); !reason.empty()) return reason;
    if (auto reason = read_text_field(object, source_schema::response, response, has_response); !reason.empty())
      return reason;

    auto found = group_index.find(std::string_view(group.key));
    std::uint32_t g;
    if (found == group_index.end()) {
      g = static_cast<std::uint32_t>(groups.size());
      group_index.emplace(group.key, g);
      groups.push_back({std::move(group), {}, {}});
    } else {
      g = found->second;
      if (find_member(groups[g], items, candidate.key) >= 0)
        return fmt::format("the item {}/{} appears twice", groups[g].value.json, candidate.json);
    }

    Item item{g, score.value_or(0), vote_count, items.size(),
              arena_.store({candidate.key, candidate.json, scores_, prompt, response}),
              static_cast<std::uint32_t>(candidate.key.size()), static_cast<std::uint32_t>(candidate.json.size()),
              static_cast<std::uint32_t>(scores_.size()), static_cast<std::uint32_t>(prompt.size()),
              has_response ? static_cast<std::int64_t>(response.size()) : -1};
    const auto index = static_cast<std::uint32_t>(items.size());
    items.push_back(item);
    groups[g].members.push_back(index);
    ++counters.items;
    if (!score) {
      ++counters.without_score;
    } else if (vote_count < settings_.min_votes) {
      ++counters.below_min_votes;
    } else {
      groups[g].items.push_back(index);
    }
    return {};
  }

 private:
  std::string read_by(simdjson::dom::element element, std::optional<double>& score) const {
    for (const auto& part : settings_.by_path) {
      if (!element.is_object()) return fmt::format("--by '{}': '{}' is not inside an object", options_.by, part);
      bool found;
      if (auto reason = find_field(element.get_object().value_unsafe(), part, element, found); !reason.empty())
        return reason;
      if (!found) return {};  // missing: no score
    }
    if (element.is_null()) return {};
    double value;
    if (element.get_double().get(value))
      return fmt::format("--by '{}' is not a number: '{}'", options_.by, simdjson::minify(element));
    score = value;
    return {};
  }

  // {"technical":5,"aesthetic":5,"overall":5,"vote_count":1}: each dimension's
  // --stat, the item's overall and vote_count, as the reference exporter wrote.
  std::string scores_json(const simdjson::dom::object& object, std::uint64_t vote_count, std::string& out) const {
    prefline::Buffer buffer;
    prefline::JsonWriter json(buffer);
    json.begin_object();
    simdjson::dom::element element;
    bool present;
    if (auto reason = find_field(object, item_schema::scores, element, present); !reason.empty()) return reason;
    if (present) {
      simdjson::dom::object scores;
      if (element.get_object().get(scores)) return fmt::format("field '{}' must be an object", item_schema::scores);
      dimension_names_.clear();
      for (auto [name, dimension] : scores) {
        simdjson::dom::element statistic;
        if (std::find(dimension_names_.begin(), dimension_names_.end(), name) != dimension_names_.end())
          return fmt::format("duplicate key '{}.{}'", item_schema::scores, name);
        dimension_names_.push_back(name);
        json.key(name);
        if (!dimension.is_object())
          return fmt::format("'{}.{}' must be an object", item_schema::scores, name);
        const auto lookup = prefline::find_unique(dimension.get_object().value_unsafe(), options_.stat, statistic);
        if (lookup == prefline::FieldLookup::duplicate)
          return fmt::format("duplicate key '{}.{}.{}'", item_schema::scores, name, options_.stat);
        if (lookup == prefline::FieldLookup::missing) {
          json.null();
        } else if (statistic.is_double()) {
          const double value = statistic.get_double().value_unsafe();
          json.number(value == 0 ? 0.0 : value);  // shortest form; -0 and 1.0e-400 are 0 (not -0.0, 0.0)
        } else if (statistic.is_number() || statistic.is_null()) {
          json.raw(simdjson::minify(statistic));
        } else {
          return fmt::format("'{}.{}.{}' must be a number", item_schema::scores, name, options_.stat);
        }
      }
    }
    json.key(item_schema::overall);
    if (auto reason = find_field(object, item_schema::overall, element, present); !reason.empty()) return reason;
    if (!present)
      json.null();
    else if (element.is_double())
      json.number(element.get_double().value_unsafe() == 0 ? 0.0 : element.get_double().value_unsafe());  // see above
    else if (element.is_number() || element.is_null())
      json.raw(simdjson::minify(element));
    else
      return fmt::format("field '{}' must be a number", item_schema::overall);
    json.key(item_schema::vote_count).integer(static_cast<std::int64_t>(vote_count));
    json.end_object();
    out = std::string(buffer.view());
    return {};
  }

  const Options& options_;
  const Settings& settings_;
  TextArena arena_;
  std::string scores_;
  mutable std::vector<std::string_view> dimension_names_;  // scratch for scores_json
};

// ---------------------------------------------------------------------------
// Pairing.

struct Pair {
  std::uint32_t chosen;
  std::uint32_t rejected;
};

// Rank order: score descending, then vote_count descending, then input order.
std::vector<std::uint32_t> rank(const Group& group, const std::vector<Item>& items) {
  std::vector<std::uint32_t> ranked = group.items;
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (items[a].score != items[b].score) return items[a].score > items[b].score;
    if (items[a].vote_count != items[b].vote_count) return items[a].vote_count > items[b].vote_count;
    return items[a].order < items[b].order;
  });
  return ranked;
}

std::vector<Pair> pair_group(const Group& group, const std::vector<Item>& items, const Options& options,
                             const Settings& settings) {
  const std::vector<std::uint32_t> ranked = rank(group, items);
  std::vector<Pair> pairs;
  // Equal scores never pair; otherwise the gap must reach the margin
  // (inclusive, with room for rounding: 3 - 2.6 is 0.3999999999999999).
  auto may_pair = [&](std::uint32_t chosen, std::uint32_t rejected) {
    const double gap = items[chosen].score - items[rejected].score;
    return items[chosen].score > items[rejected].score && gap >= options.min_margin - margin_tolerance;
  };
  if (ranked.size() < 2) return pairs;
  const std::uint32_t top = ranked.front();
  switch (settings.strategy) {
    case Strategy::best_vs_rest:
      for (std::size_t j = 1; j < ranked.size(); ++j)
        if (may_pair(top, ranked[j])) pairs.push_back({top, ranked[j]});
      break;
    case Strategy::best_vs_worst:
      if (may_pair(top, ranked.back())) pairs.push_back({top, ranked.back()});
      break;
    case Strategy::all_pairs:
      for (std::size_t i = 0; i < ranked.size(); ++i)
        for (std::size_t j = i + 1; j < ranked.size(); ++j)
          if (may_pair(ranked[i], ranked[j])) pairs.push_back({ranked[i], ranked[j]});
      break;
    case Strategy::adjacent:
      for (std::size_t i = 0; i < ranked.size(); ++i) {
        std::size_t j = i + 1;
        while (j < ranked.size() && items[ranked[j]].score == items[ranked[i]].score) ++j;
        if (j < ranked.size() && may_pair(ranked[i], ranked[j])) pairs.push_back({ranked[i], ranked[j]});
      }
      break;
    case Strategy::best_vs_random: {
      std::vector<std::uint32_t> candidates;
      for (std::size_t j = 1; j < ranked.size(); ++j)
        if (may_pair(top, ranked[j])) candidates.push_back(ranked[j]);
      if (!candidates.empty()) {
        prefline::SplitMix64 random{prefline::stable_hash(group.value.key, options.seed)};
        pairs.push_back({top, candidates[random.below(candidates.size())]});
      }
      break;
    }
  }
  if (settings.max_pairs > 0 && pairs.size() > settings.max_pairs) pairs.resize(settings.max_pairs);
  return pairs;
}

// ---------------------------------------------------------------------------
// Texts: responses and prompts, loaded only for what the pairs need.

// The reference exporter's rendering of a candidate's files.
std::string render_files(const simdjson::dom::object& files) {
  std::vector<std::pair<std::string_view, std::string_view>> shown;
  for (auto [name, content] : files) {
    const bool code = name.ends_with(".mjs") || name.ends_with(".js") || name.ends_with(".html") || name.ends_with(".css");
    if (code && content.is_string()) shown.emplace_back(name, content.get_string().value_unsafe());
  }
  std::sort(shown.begin(), shown.end());
  std::string text;
  for (const auto& [name, content] : shown) {
    if (!text.empty()) text += "\n\n";
    text += "**";
    text += name;
    text += "**\n\n```\n";
    text += content;
    text += "\n```";
  }
  return text;
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

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --rejects, --meta: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  std::vector<Group> groups;
  std::vector<Item> items;
  KeyMap group_index;
  Counters counters;
  ItemReader reader(options, settings);  // owns the items' texts: lives until the end
  {
    simdjson::dom::parser parser;
    for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      while (lines.next(line)) {
        const std::string reason = reader.read(parser, line, groups, group_index, items, counters);
        if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
        progress.tick();
      }
    }
  }
  progress.finish();

  std::vector<std::vector<Pair>> pairs(groups.size());
  std::vector<char> needs_text(items.size(), 0);
  std::vector<char> needs_prompt(groups.size(), 0);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    pairs[g] = pair_group(groups[g], items, options, settings);
    for (const Pair& pair : pairs[g]) needs_text[pair.chosen] = needs_text[pair.rejected] = 1;
    needs_prompt[g] = !pairs[g].empty();
  }

  // Texts from --responses (only those the pairs use), else the items' own.
  std::vector<std::optional<std::string_view>> texts(items.size());
  TextArena response_texts;
  if (options.responses.empty()) {
    for (std::size_t i = 0; i < items.size(); ++i)
      if (needs_text[i]) texts[i] = items[i].response();
  } else {
    std::vector<char> seen(items.size(), 0);
    read_lines(options.responses, bad, [&](const simdjson::dom::object& record) -> std::string {
      KeyValue group, candidate;
      simdjson::dom::element element;
      bool present;
      if (auto reason = find_field(record, options.group, element, present); !reason.empty()) return reason;
      if (!present) return fmt::format("missing group field '{}'", options.group);
      if (auto reason = read_key(element, options.group, group); !reason.empty()) return reason;
      if (auto reason = find_field(record, options.candidate, element, present); !reason.empty()) return reason;
      if (!present) return fmt::format("missing candidate field '{}'", options.candidate);
      if (auto reason = read_key(element, options.candidate, candidate); !reason.empty()) return reason;
      auto found = group_index.find(std::string_view(group.key));
      if (found == group_index.end()) return {};  // not a group we read
      const std::int64_t member = find_member(groups[found->second], items, candidate.key);
      if (member < 0) return {};  // not an item we read
      const auto i = static_cast<std::size_t>(member);
      if (seen[i]) return fmt::format("a second response for {}/{}", group.json, candidate.json);
      // Checked whether or not a pair needs the text; only a good record counts as seen.
      if (auto reason = find_field(record, source_schema::response, element, present); !reason.empty()) return reason;
      if (present) {
        if (!element.is_string()) return fmt::format("field '{}' must be a string", source_schema::response);
        if (needs_text[i]) {
          const std::string_view text = element.get_string().value_unsafe();
          texts[i] = std::string_view(response_texts.store({text}), text.size());
        }
      } else {
        if (auto reason = find_field(record, source_schema::files, element, present); !reason.empty()) return reason;
        if (present) {
          if (!element.is_object()) return fmt::format("field '{}' must be an object", source_schema::files);
          if (needs_text[i]) {
            const std::string text = render_files(element.get_object().value_unsafe());
            texts[i] = std::string_view(response_texts.store({text}), text.size());
          }
        }
      }
      seen[i] = 1;
      return {};
    });
  }

  std::vector<std::optional<std::string>> prompts(groups.size());
  if (!options.prompts.empty()) {
    std::vector<char> seen(groups.size(), 0);
    read_lines(options.prompts, bad, [&](const simdjson::dom::object& record) -> std::string {
      KeyValue group;
      simdjson::dom::element element;
      bool has;
      if (auto reason = find_field(record, options.group, element, has); !reason.empty()) return reason;
      if (!has) return fmt::format("missing group field '{}'", options.group);
      if (auto reason = read_key(element, options.group, group); !reason.empty()) return reason;
      auto found = group_index.find(std::string_view(group.key));
      if (found == group_index.end()) return {};
      if (seen[found->second]) return fmt::format("a second prompt for {}", group.json);
      if (auto reason = find_field(record, pair_schema::prompt, element, has); !reason.empty()) return reason;
      if (!has || !element.is_string())
        return fmt::format("field '{}' must be a string", pair_schema::prompt);
      seen[found->second] = 1;  // only a good record counts
      if (needs_prompt[found->second]) prompts[found->second] = std::string(element.get_string().value_unsafe());
      return {};
    });
  }

  const std::string generated_at = prefline::format_iso8601_milliseconds(prefline::record_time_milliseconds());
  const std::string chosen_candidate = std::string(pair_schema::chosen_prefix) + options.candidate;
  const std::string rejected_candidate = std::string(pair_schema::rejected_prefix) + options.candidate;

  // Statistics for --meta.
  std::vector<std::string> meta_groups, meta_candidates;
  KeyMap meta_candidate_seen;
  std::vector<std::size_t> pairs_written(groups.size(), 0);
  double difference_sum = 0, difference_min = 0, difference_max = 0;
  std::size_t written = 0;

  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const Pair& pair : pairs[g]) {
      const Item& chosen = items[pair.chosen];
      const Item& rejected = items[pair.rejected];
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

      if (pairs_written[g]++ == 0) meta_groups.push_back(groups[g].value.json);
      for (const Item* item : {&chosen, &rejected})
        if (meta_candidate_seen.emplace(std::string(item->candidate_key()), 0).second)
          meta_candidates.emplace_back(item->candidate_json());
      difference_sum += difference;
      difference_min = written == 0 ? difference : std::min(difference_min, difference);
      difference_max = written == 0 ? difference : std::max(difference_max, difference);
      ++written;
    }
  }

  if (!options.meta.empty()) {
    namespace meta = prefline::schema::pair_meta;
    prefline::Output& meta_out = outputs.add(options.meta);
    prefline::JsonWriter json(meta_out.buffer());
    json.begin_object();
    json.key(meta::total_examples).integer(static_cast<std::int64_t>(written));
    json.key(options.group + "s").begin_array();
    for (const auto& value : meta_groups) json.raw(value);
    json.end_array();
    json.key(options.candidate + "s").begin_array();
    for (const auto& value : meta_candidates) json.raw(value);
    json.end_array();
    json.key(meta::export_timestamp).string(generated_at);
    json.key(meta::format_version).string(options.dataset_version);
    json.key(meta::pairs_per_group).begin_object();
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (pairs_written[g] > 0) json.key(groups[g].value.text).integer(static_cast<std::int64_t>(pairs_written[g]));
    json.end_object();
    json.key(pair_schema::score_difference).begin_object();
    if (written > 0) {
      json.key(item_schema::mean).number(difference_sum / static_cast<double>(written));
      json.key(item_schema::min).number(difference_min);
      json.key(item_schema::max).number(difference_max);
    }
    json.end_object();
    json.key(meta::dropped).begin_object();
    json.key(meta::missing_text).integer(static_cast<std::int64_t>(counters.missing_text));
    json.key(meta::empty_text).integer(static_cast<std::int64_t>(counters.empty_text));
    json.key(meta::identical_texts).integer(static_cast<std::int64_t>(counters.identical_texts));
    json.end_object();
    json.key(meta::items).begin_object();
    json.key(meta::read).integer(static_cast<std::int64_t>(counters.items));
    json.key(meta::without_score).integer(static_cast<std::int64_t>(counters.without_score));
    json.key(meta::below_min_votes).integer(static_cast<std::int64_t>(counters.below_min_votes));
    json.end_object();
    json.end_object();
    json.end_record();
  }

  outputs.commit();
  const std::size_t dropped = counters.missing_text + counters.empty_text + counters.identical_texts;
  if (dropped > 0)
    fmt::print(stderr, "{}: dropped {} pairs (missing text: {}, empty text: {}, identical texts: {})\n", tool, dropped,
               counters.missing_text, counters.empty_text, counters.identical_texts);
  bad.finish(tool);
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
        app.add_option("--by", options.by);
        app.add_option("--stat", options.stat);
        app.add_option("--min-votes", options.min_votes);
        app.add_option("--strategy", options.strategy);
        app.add_option("--min-margin", options.min_margin);
        app.add_option("--max-pairs", options.max_pairs);
        app.add_option("--seed", options.seed);
        app.add_option("--responses", options.responses);
        app.add_option("--prompts", options.prompts);
        app.add_option("--dataset-version", options.dataset_version);
        app.add_option("--meta", options.meta);
      },
      [&] { run(options); });
}
