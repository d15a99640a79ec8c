// Is this line one well-formed JSON object, and if not, why: the reasons of
// "tool: file:line: reason" for simdjson's errors, the start of every
// record's parse (start_object), the full walk for tools that pass records
// through (validate_object_line), and the nesting limit every tool applies.
#pragma once

#include <cctype>
#include <string>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/io/line_blocks.hpp"

namespace prefline {

// A short, lower-case reason for a simdjson error, for "tool: file:line: reason".
inline std::string json_error_reason(simdjson::error_code error) {
  using simdjson::error_code;
  switch (error) {
    case error_code::UTF8_ERROR: return "invalid UTF-8";
    case error_code::TAPE_ERROR: return "invalid JSON: bad structure (a missing or extra comma, colon, brace or bracket)";
    case error_code::UNCLOSED_STRING: return "invalid JSON: unclosed string";
    case error_code::DEPTH_ERROR: return "invalid JSON: nested too deeply";
    case error_code::STRING_ERROR: return "invalid JSON: bad string escape";
    case error_code::UNESCAPED_CHARS: return "invalid JSON: unescaped control character in string";
    case error_code::NUMBER_ERROR: return "invalid JSON: bad number";
    case error_code::T_ATOM_ERROR: return "invalid JSON: bad 'true' literal";
    case error_code::F_ATOM_ERROR: return "invalid JSON: bad 'false' literal";
    case error_code::N_ATOM_ERROR: return "invalid JSON: bad 'null' literal";
    case error_code::EMPTY: return "invalid JSON: empty document";
    case error_code::TRAILING_CONTENT: return "invalid JSON: content after the record";
    case error_code::INCOMPLETE_ARRAY_OR_OBJECT: return "invalid JSON: truncated object or array";
    case error_code::INCORRECT_TYPE: return "invalid JSON: unexpected value type";
    default: {
      std::string text = simdjson::error_message(error);
      if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
      while (!text.empty() && text.back() == '.') text.pop_back();
      return "invalid JSON: " + text;
    }
  }
}

inline const char* json_type_name(simdjson::ondemand::json_type type) {
  switch (type) {
    case simdjson::ondemand::json_type::array: return "an array";
    case simdjson::ondemand::json_type::object: return "an object";
    case simdjson::ondemand::json_type::number: return "a number";
    case simdjson::ondemand::json_type::string: return "a string";
    case simdjson::ondemand::json_type::boolean: return "a boolean";
    case simdjson::ondemand::json_type::null: return "null";
  }
  return "an unknown value";
}

// Starts parsing `line` as one JSON object. On failure returns the reason
// (empty string on success); `document` stays usable for lazy field access.
inline std::string start_object(simdjson::ondemand::parser& parser, const JsonlLine& line,
                                simdjson::ondemand::document& document) {
  if (auto error = parser.iterate(line.padded()).get(document)) return json_error_reason(error);
  simdjson::ondemand::json_type type;
  if (auto error = document.type().get(type)) return json_error_reason(error);
  if (type != simdjson::ondemand::json_type::object)
    return fmt::format("expected a JSON object, found {}", json_type_name(type));
  return {};
}

// Nesting deeper than this many levels (the record itself is level 1) is a
// bad record ("nested too deeply"), for every tool: what the DOM parser with
// its default limit (simdjson::DEFAULT_MAX_DEPTH = 1024) accepts. The
// recursive ondemand walks check it too, so deep input cannot overflow the
// stack (and ondemand, whose limit is the same, is never asked to go deeper).
inline constexpr std::size_t max_json_depth = simdjson::DEFAULT_MAX_DEPTH - 1;

namespace detail {
inline simdjson::error_code validate_value(simdjson::ondemand::value value, std::size_t depth);

// `depth` is the nesting level of the object or array being walked (1 = the record).
inline simdjson::error_code validate_object(simdjson::ondemand::object object, std::size_t depth = 1) {
  if (depth > max_json_depth) return simdjson::DEPTH_ERROR;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) return error;
    if (auto error = validate_value(value, depth + 1)) return error;
  }
  return simdjson::SUCCESS;
}

inline simdjson::error_code validate_array(simdjson::ondemand::array array, std::size_t depth) {
  if (depth > max_json_depth) return simdjson::DEPTH_ERROR;
  for (auto element : array) {
    simdjson::ondemand::value value;
    if (auto error = element.get(value)) return error;
    if (auto error = validate_value(value, depth + 1)) return error;
  }
  return simdjson::SUCCESS;
}

inline simdjson::error_code validate_value(simdjson::ondemand::value value, std::size_t depth) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      return validate_object(object, depth);
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      return validate_array(array, depth);
    }
    case simdjson::ondemand::json_type::string: return value.get_string().error();
    case simdjson::ondemand::json_type::number: return value.get_number().error();
    case simdjson::ondemand::json_type::boolean: return value.get_bool().error();
    case simdjson::ondemand::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}
}  // namespace detail

// Walks the whole record once (ondemand is lazy: a tool that reads two fields
// would not notice a broken third). Returns the reason, empty if the line is
// one well-formed JSON object. Tools that pass records through call this.
inline std::string validate_object_line(simdjson::ondemand::parser& parser, const JsonlLine& line) {
  simdjson::ondemand::document document;
  std::string reason = start_object(parser, line, document);
  if (!reason.empty()) return reason;
  simdjson::ondemand::object object;
  if (auto error = document.get_object().get(object)) return json_error_reason(error);
  if (auto error = detail::validate_object(object)) return json_error_reason(error);
  // current_location() fails only when the whole line has been consumed.
  if (!document.current_location().error()) return json_error_reason(simdjson::TRAILING_CONTENT);
  return {};
}

}  // namespace prefline
