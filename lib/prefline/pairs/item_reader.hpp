#pragma once
// Reads item records (consensus output) for pairup: each item's group,
// candidate, --score value, vote_count, the chosen_scores object it will carry,
// prompt and response, kept compactly in a text arena; items with a score and
// enough votes join their group's ranking, the others are counted.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/io/line_blocks.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/pairs/record_fields.hpp"
#include "prefline/pairs/settings.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/text_arena.hpp"

namespace prefline::pairs {

namespace item_schema = prefline::schema::item;
namespace pair_schema = prefline::schema::pair;
namespace source_schema = prefline::schema::sources;

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
  std::uint32_t file;          // where the item was read (ItemReader::begin_file), for messages
  std::uint64_t line;

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
inline std::int64_t find_member(const Group& group, const std::vector<Item>& items, std::string_view candidate_key) {
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
  explicit ItemReader(const Settings& settings) : settings_(settings) {}

  // The input the following lines come from (for "seen twice" messages).
  void begin_file(std::string name) {
    files_.push_back(std::move(name));
    file_ = static_cast<std::uint32_t>(files_.size() - 1);
  }

  // After read(): true when the record got as far as its --score path, and
  // whether that path was there (a value, null included).
  bool score_checked() const { return score_checked_; }
  bool score_found() const { return score_found_; }

  // Reads one item line; returns the reason when it is bad.
  std::string read(simdjson::dom::parser& parser, const prefline::JsonlLine& line, std::vector<Group>& groups,
                   KeyMap& group_index, std::vector<Item>& items, Counters& counters) {
    score_checked_ = score_found_ = false;
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      return prefline::json_error_reason(error);
    if (!record.is_object()) return "expected a JSON object";
    const simdjson::dom::object object = record.get_object().value_unsafe();

    KeyValue group, candidate;
    if (auto reason = read_key_field(object, settings_.group, "group", group); !reason.empty()) return reason;
    if (auto reason = read_key_field(object, settings_.candidate, "candidate", candidate); !reason.empty())
      return reason;

    std::optional<double> score;
    score_checked_ = true;
    if (auto reason = read_score(record, score); !reason.empty()) return reason;

    simdjson::dom::element element;
    bool present;
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
      if (const std::int64_t first = find_member(groups[g], items, candidate.key); first >= 0) {
        const Item& earlier = items[static_cast<std::size_t>(first)];
        const std::string where = earlier.file == file_ || files_.empty()
                                      ? fmt::format("line {}", earlier.line)
                                      : fmt::format("{}:{}", files_[earlier.file], earlier.line);
        // Grade records (one per grader) are the usual cause.
        return fmt::format(
            "item ({} '{}', {} '{}') seen twice ({}): pairup reads one record per item; are these grades? "
            "run consensus first",
            settings_.group, groups[g].value.text, settings_.candidate, candidate.text, where);
      }
    }

    Item item{g, score.value_or(0), vote_count, items.size(),
              arena_.store({candidate.key, candidate.json, scores_, prompt, response}),
              static_cast<std::uint32_t>(candidate.key.size()), static_cast<std::uint32_t>(candidate.json.size()),
              static_cast<std::uint32_t>(scores_.size()), static_cast<std::uint32_t>(prompt.size()),
              has_response ? static_cast<std::int64_t>(response.size()) : -1, file_, line.number};
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
  std::string read_score(simdjson::dom::element element, std::optional<double>& score) {
    for (const auto& part : settings_.score_path) {
      if (!element.is_object())
        return fmt::format("--score '{}': '{}' is not inside an object", settings_.score, part);
      bool found;
      if (auto reason = find_field(element.get_object().value_unsafe(), part, element, found); !reason.empty())
        return reason;
      if (!found) return {};  // missing: no score
    }
    score_found_ = true;
    if (element.is_null()) return {};
    double value;
    if (element.get_double().get(value))
      return fmt::format("--score '{}' is not a number: '{}'", settings_.score, simdjson::minify(element));
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
        const auto lookup = prefline::find_unique(dimension.get_object().value_unsafe(), settings_.stat, statistic);
        if (lookup == prefline::FieldLookup::duplicate)
          return fmt::format("duplicate key '{}.{}.{}'", item_schema::scores, name, settings_.stat);
        if (lookup == prefline::FieldLookup::missing) {
          json.null();
        } else if (statistic.is_double()) {
          const double value = statistic.get_double().value_unsafe();
          json.number(value == 0 ? 0.0 : value);  // shortest form; -0 and 1.0e-400 are 0 (not -0.0, 0.0)
        } else if (statistic.is_number() || statistic.is_null()) {
          json.raw(simdjson::minify(statistic));
        } else {
          return fmt::format("'{}.{}.{}' must be a number", item_schema::scores, name, settings_.stat);
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

  const Settings& settings_;
  std::vector<std::string> files_;
  std::uint32_t file_ = 0;
  bool score_checked_ = false, score_found_ = false;
  TextArena arena_;
  std::string scores_;
  mutable std::vector<std::string_view> dimension_names_;  // scratch for scores_json
};

}  // namespace prefline::pairs
