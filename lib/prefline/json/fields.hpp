// Reading named top-level fields out of JSON records in one pass, and
// turning their values into what tools need (keys, numbers, raw JSON).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/validate.hpp"
#include "prefline/text/same_text.hpp"
#include "prefline/text/whitespace.hpp"

namespace prefline {

namespace detail {
// ondemand skips over the inside of an object or array without checking it
// ([1, tru] or 10 000 nested arrays would pass): parse the value's text with
// the DOM parser, which checks everything, depth included: a record may nest
// max_json_depth levels, the record itself being the first, so a field's
// value may nest one less. `raw` lies inside a padded input buffer, so the
// bytes after it are readable padding.
inline simdjson::error_code validate_nested(std::string_view raw) {
  struct Validator {
    simdjson::dom::parser parser;
    Validator() {
      const simdjson::error_code error = parser.allocate(4096, max_json_depth);  // accepts max_json_depth - 1 levels
      (void)error;  // a failed allocation shows again in parse()
    }
  };
  thread_local Validator validator;
  simdjson::dom::element element;
  return validator.parser.parse(raw.data(), raw.size(), false).get(element);
}
}  // namespace detail

// The value's JSON text as it is in the input (objects and arrays whole,
// checked to be valid JSON).
inline simdjson::error_code raw_value(simdjson::ondemand::value value, std::string_view& raw) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (auto error = value.get_object().get(object)) return error;
    if (auto error = object.raw_json().get(raw)) return error;
    return detail::validate_nested(raw);
  }
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (auto error = value.get_array().get(array)) return error;
    if (auto error = array.raw_json().get(raw)) return error;
    return detail::validate_nested(raw);
  }
  raw = trim_json_whitespace(value.raw_json_token());
  // Scalars are only checked when read: make sure the token is valid JSON.
  switch (type) {
    case simdjson::ondemand::json_type::string: return value.get_string().error();
    case simdjson::ondemand::json_type::number: return value.get_double().error();
    case simdjson::ondemand::json_type::boolean: return value.get_bool().error();
    default: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
}

// A score-like value: a JSON number, or a string holding one; null, "" or a
// missing field mean "no value" (never 0).
struct NumberField {
  enum class State { absent, number, invalid } state = State::absent;
  double value = 0;
  std::string text;  // the offending value, for messages
};

// A value a tool skips: it must still be valid JSON (objects and arrays
// included, see raw_value), or the record is bad.
inline simdjson::error_code check_value(simdjson::ondemand::value value) {
  std::string_view raw;
  return raw_value(value, raw);
}

inline NumberField read_number_field(simdjson::ondemand::value value) {
  NumberField field;
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) {
    field.state = NumberField::State::invalid;
    field.text = "?";
    return field;
  }
  switch (type) {
    case simdjson::ondemand::json_type::null: {
      bool is_null = false;  // type() only looked at the first byte ("nul", "nullx")
      if (value.is_null().get(is_null) || !is_null) {
        field.state = NumberField::State::invalid;
        field.text = std::string(trim_json_whitespace(value.raw_json_token()));
      }
      return field;
    }
    case simdjson::ondemand::json_type::number: {
      double number;
      if (value.get_double().get(number) || !std::isfinite(number)) {
        field.state = NumberField::State::invalid;
        field.text = std::string(trim_json_whitespace(value.raw_json_token()));
        return field;
      }
      field.state = NumberField::State::number;
      field.value = number == 0 ? 0.0 : number;  // -0 is 0
      return field;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) {
        field.state = NumberField::State::invalid;
        field.text = "?";
        return field;
      }
      if (text.empty()) return field;
      double number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error == std::errc::result_out_of_range && end == text.data() + text.size()) {
        // The same rule as for JSON numbers (simdjson): a value too small for
        // a double rounds to 0 ("1.0e-400" is 0); one too large stays bad.
        const std::string copy(text);
        number = std::strtod(copy.c_str(), nullptr);
        if (std::isfinite(number)) error = std::errc();
      }
      if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
        field.state = NumberField::State::invalid;
        field.text = text;
        return field;
      }
      field.state = NumberField::State::number;
      field.value = number == 0 ? 0.0 : number;
      return field;
    }
    default: {
      std::string_view raw;
      field.state = NumberField::State::invalid;
      field.text = raw_value(value, raw) ? std::string("?") : std::string(raw);
      return field;
    }
  }
}

// One field of a DOM object by its key. A key that appears twice is reported
// (which value would be meant?), as FieldPicker does for ondemand records.
enum class FieldLookup { missing, found, duplicate };

[[gnu::flatten]] inline FieldLookup find_unique(const simdjson::dom::object& object, std::string_view key,
                                                simdjson::dom::element& value) {
  FieldLookup result = FieldLookup::missing;
  for (const simdjson::dom::key_value_pair field : object) {
    if (!same_text(field.key, key)) continue;
    if (result == FieldLookup::found) return FieldLookup::duplicate;
    value = field.value;
    result = FieldLookup::found;
  }
  return result;
}

// Picks the wanted top-level fields of an object in one pass over it. A
// wanted key that appears twice is an error (which value would be meant?).
class FieldPicker {
 public:
  explicit FieldPicker(std::vector<std::string> names)
      : names_(std::move(names)), seen_(names_.size()), plain_names_(all_plain(names_)) {}

  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t index) const { return names_[index]; }

  // Calls on_field(index, value) for each wanted field, in document order.
  // on_field returns an error reason ("" when fine). Returns the first
  // reason, or "" when the record is fine.
  template <class OnField>
  std::string pick(simdjson::ondemand::object& object, OnField&& on_field) {
    std::fill(seen_.begin(), seen_.end(), false);
    for (auto result : object) {
      simdjson::ondemand::field field;
      if (auto error = std::move(result).get(field)) return json_error_reason(error);
      std::size_t index;
      if (auto error = find(field, index)) return json_error_reason(error);
      if (index == names_.size()) {
        // Not wanted: skip the value, but make sure it is well-formed JSON.
        if (auto error = check_value(field.value())) return json_error_reason(error);
        continue;
      }
      if (seen_[index]) return fmt::format("duplicate key '{}'", names_[index]);
      seen_[index] = true;
      std::string reason = on_field(index, field.value());
      if (!reason.empty()) return reason;
    }
    return {};
  }

  bool seen(std::size_t index) const { return seen_[index]; }

 private:
  // Compares the key as it is in the input (no unescaping, the common case);
  // a key with an escape sequence is unescaped first.
  simdjson::error_code find(simdjson::ondemand::field& field, std::size_t& index) {
    index = names_.size();
    const simdjson::ondemand::raw_json_string raw = field.key();
    const char* p = raw.raw();
    bool escaped = false;
    while (*p != '"') {
      if (*p == '\\') {
        escaped = true;
        break;
      }
      ++p;
    }
    if (!escaped && plain_names_) {
      const std::size_t length = static_cast<std::size_t>(p - raw.raw());
      for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i].size() == length && (length == 0 || names_[i][0] == raw.raw()[0]) &&
            std::memcmp(names_[i].data(), raw.raw(), length) == 0) {
          index = i;
          break;
        }
      return simdjson::SUCCESS;
    }
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == key) index = i;
    return simdjson::SUCCESS;
  }

  static bool all_plain(const std::vector<std::string>& names) {
    for (const auto& name : names)
      if (name.find_first_of("\"\\") != std::string::npos) return false;
    for (const auto& name : names)
      for (char c : name)
        if (static_cast<unsigned char>(c) < 0x20) return false;
    return true;
  }

  std::vector<std::string> names_;
  std::vector<char> seen_;
  bool plain_names_;  // no name needs escaping in JSON: raw keys can be compared directly
};

}  // namespace prefline
