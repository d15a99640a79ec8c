#pragma once
// The fields pairup reads from items, responses and prompts (simdjson DOM):
// group and candidate values keyed by type and text, lookups that refuse a
// key given twice, and optional text fields (a string, null or missing).
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/string_map.hpp"

namespace prefline::pairs {

// Keys: a group or candidate value (a string or a number), keyed by type and
// text so that "7" and 7 stay apart. The group key seeds best-vs-random's
// pick, so its bytes (single_value_key) are part of the output.

struct KeyValue {
  std::string key;   // single_value_key: type tag + text
  std::string json;  // as written in output
  std::string text;  // as used in the default prompt
};

inline std::string read_key(simdjson::dom::element element, std::string_view field, KeyValue& value) {
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
inline std::string find_field(const simdjson::dom::object& object, std::string_view key, simdjson::dom::element& element,
                       bool& found) {
  const prefline::FieldLookup lookup = prefline::find_unique(object, key, element);
  found = lookup == prefline::FieldLookup::found;
  if (lookup == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", key);
  return {};
}

// An optional text field: a string, or null / missing (no text); anything
// else makes the record bad.
inline std::string read_text_field(const simdjson::dom::object& object, std::string_view key, std::string_view& text,
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

// A group or candidate field that every record of its kind must have: `role`
// names it and its option in the message ("missing group field 'challenge'
// (--group)").
inline std::string read_key_field(const simdjson::dom::object& object, std::string_view field, std::string_view role,
                                  KeyValue& value) {
  simdjson::dom::element element;
  bool present;
  if (auto reason = find_field(object, field, element, present); !reason.empty()) return reason;
  if (!present) return fmt::format("missing {} field '{}' (--{})", role, field, role);
  return read_key(element, field, value);
}

}  // namespace prefline::pairs
