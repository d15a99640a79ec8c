// What balance does with each candidate record: parsed once, the wanted
// fields picked, --require applied, --dedup remembered, the stratum found;
// every record ends in one of the verdicts a run counts (read = invalid +
// filtered + duplicates + outside_mix + eligible).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/mix/strata.hpp"
#include "prefline/text/whitespace.hpp"

namespace prefline::mix {

// The fields a run reads, each once, and the role of each (indexes into
// `names`).
struct RecordFields {
  std::vector<std::string> names;
  std::vector<std::size_t> require_slots;
  std::size_t stratum_slot = 0;
  std::optional<std::size_t> dedup_slot;
  std::vector<std::size_t> key_slots;  // empty: the whole line is the key
  std::optional<std::size_t> length_slot;

  // The index of `field`, added when new.
  std::size_t slot_of(const std::string& field) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == field) return i;
    names.push_back(field);
    return names.size() - 1;
  }
};

// "true", "pass", "passed" in any case.
inline bool is_true_word(std::string_view text) {
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

// What --require takes as true: JSON true, a number other than 0, or a true
// word.
inline bool is_true(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::BOOL: return value.get_bool().value_unsafe();
    case simdjson::dom::element_type::INT64: return value.get_int64().value_unsafe() != 0;
    case simdjson::dom::element_type::UINT64: return value.get_uint64().value_unsafe() != 0;
    case simdjson::dom::element_type::DOUBLE: return value.get_double().value_unsafe() != 0;
    case simdjson::dom::element_type::STRING: return is_true_word(value.get_string().value_unsafe());
    default: return false;
  }
}

namespace detail {

// Characters, not bytes: UTF-8 continuation bytes are not counted.
inline std::uint64_t unicode_length(std::string_view text) {
  std::uint64_t length = 0;
  for (char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

}  // namespace detail

// What happens to one record.
enum class Verdict { bad, filtered, duplicate, outside_mix, eligible };

// The verdicts of a pass over the input.
struct Counts {
  std::uint64_t read = 0, invalid = 0, filtered = 0, duplicates = 0, outside_mix = 0;
  std::vector<std::uint64_t> eligible;  // per stratum

  std::uint64_t eligible_total() const {
    std::uint64_t total = 0;
    for (std::uint64_t available : eligible) total += available;
    return total;
  }
};

// Decides what happens to each record: parses it once (simdjson DOM, which
// checks the whole record), picks the fields, applies --require and --dedup
// and finds the stratum.
class RecordClassifier {
 public:
  RecordClassifier(const RecordFields& fields, const std::vector<Stratum>& strata)
      : fields_(fields), strata_(strata), values_(fields.names.size()), present_(fields.names.size()) {}

  // Forgets the --dedup values seen (before a second pass).
  void reset() { seen_.clear(); }

  // Fills stratum(), key() and length() for an eligible record; `reason` for a bad one.
  Verdict classify(const prefline::JsonlLine& line, std::string& reason) {
    simdjson::dom::element record;
    is_object_ = false;
    std::fill(present_.begin(), present_.end(), 0);
    if (auto error = parser_.parse(line.text.data(), line.text.size(), false).get(record)) {
      reason = prefline::json_error_reason(error);
      return Verdict::bad;
    }
    if (!record.is_object()) {
      reason = fmt::format("expected a JSON object, found {}", prefline::type_name(record));
      return Verdict::bad;
    }
    is_object_ = true;
    const simdjson::dom::object object = record.get_object().value_unsafe();
    for (auto [name, value] : object) {
      for (std::size_t i = 0; i < fields_.names.size(); ++i) {
        if (fields_.names[i] != name) continue;
        if (present_[i]) {
          reason = fmt::format("duplicate key '{}'", name);
          return Verdict::bad;
        }
        present_[i] = 1;
        values_[i] = value;
      }
    }
    for (std::size_t slot : fields_.require_slots)
      if (!present_[slot] || !is_true(values_[slot])) return Verdict::filtered;

    // Every field the record needs from here is checked before --dedup
    // remembers its value: a bad record leaves no trace.
    reason = find_stratum();
    if (reason.empty()) reason = build_key(line.text);
    if (reason.empty()) reason = measure_length();
    if (reason.empty() && fields_.dedup_slot) reason = dedup_value(*fields_.dedup_slot);
    if (!reason.empty()) return Verdict::bad;
    if (fields_.dedup_slot) {
      if (seen_.contains(dedup_)) return Verdict::duplicate;
      seen_.insert(dedup_);
    }
    return stratum_ == strata_.size() ? Verdict::outside_mix : Verdict::eligible;
  }

  // Whether the last record was a JSON object, and which of the run's fields
  // (slots of RecordFields) it has: what the field census of balance counts.
  bool is_object() const { return is_object_; }
  bool has(std::size_t slot) const { return present_[slot] != 0; }

  std::size_t stratum() const { return stratum_; }
  std::string_view key() const { return whole_line_ ? line_key_ : std::string_view(key_); }
  std::uint64_t length() const { return length_; }

 private:
  std::string find_stratum() {
    const std::size_t slot = fields_.stratum_slot;
    const std::string& field = fields_.names[slot];
    if (!present_[slot]) return fmt::format("missing --stratum field '{}'", field);
    const simdjson::dom::element value = values_[slot];
    // A number is named by its shortest form (1.0 is "1").
    if (value.is_string() || value.is_number()) {
      stratum_name_ = prefline::display_text(value);
    } else {
      return fmt::format("--stratum field '{}' is {}, expected a string or a number", field,
                         prefline::type_name(value));
    }
    stratum_ = strata_.size();
    for (std::size_t i = 0; i < strata_.size(); ++i)
      if (strata_[i].name == stratum_name_) stratum_ = i;
    return {};
  }

  std::string build_key(std::string_view line) {
    whole_line_ = fields_.key_slots.empty();
    if (whole_line_) {
      line_key_ = prefline::trim_json_whitespace(line);
      return {};
    }
    key_.clear();
    for (std::size_t slot : fields_.key_slots) {
      if (!present_[slot]) return fmt::format("missing --key field '{}'", fields_.names[slot]);
      append_value(key_, values_[slot]);
    }
    return {};
  }

  std::string measure_length() {
    length_ = 0;
    if (!fields_.length_slot) return {};
    const std::size_t slot = *fields_.length_slot;
    if (!present_[slot]) return fmt::format("missing --length-field '{}'", fields_.names[slot]);
    if (!values_[slot].is_string())
      return fmt::format("--length-field '{}' is {}, expected a string", fields_.names[slot],
                         prefline::type_name(values_[slot]));
    length_ = detail::unicode_length(values_[slot].get_string().value_unsafe());
    return {};
  }

  std::string dedup_value(std::size_t slot) {
    if (!present_[slot] || values_[slot].is_null())
      return fmt::format("{} --dedup field '{}'", present_[slot] ? "null" : "missing", fields_.names[slot]);
    dedup_.clear();
    append_value(dedup_, values_[slot]);
    return {};
  }

  // Strings by their unescaped text, everything else as compact JSON (the
  // bytes --key hashes: see json/typed_key.hpp).
  static void append_value(std::string& key, simdjson::dom::element value) { prefline::append_key_part(key, value); }

  const RecordFields& fields_;
  const std::vector<Stratum>& strata_;
  simdjson::dom::parser parser_;
  std::vector<simdjson::dom::element> values_;
  std::vector<char> present_;
  bool is_object_ = false;
  std::string stratum_name_;
  std::size_t stratum_ = 0;
  bool whole_line_ = true;
  std::string_view line_key_;
  std::string key_;
  std::string dedup_;
  std::uint64_t length_ = 0;
  std::unordered_set<std::string> seen_;
};

}  // namespace prefline::mix
