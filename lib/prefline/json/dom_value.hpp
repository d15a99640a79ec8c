// Looking at one value of a parsed simdjson DOM: its type in words for error
// messages ("a string", "an array"), its text for a table cell, its number.
// The words are those of json_type_name (json/validate.hpp) for the On
// Demand parser, so a message reads the same whichever parser a tool uses.
#pragma once

#include <optional>
#include <string>

#include <fmt/format.h>
#include <simdjson.h>

namespace prefline {

inline const char* type_name(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "an unknown value";
}

// The number in a value, or nothing when it is not a number (one look at the
// type: cheaper than is_number() and then get_double()). -0 is 0.
inline std::optional<double> number_of(simdjson::dom::element value) {
  double number;
  switch (value.type()) {
    case simdjson::dom::element_type::DOUBLE: number = value.get_double().value_unsafe(); break;
    case simdjson::dom::element_type::INT64: number = static_cast<double>(value.get_int64().value_unsafe()); break;
    case simdjson::dom::element_type::UINT64: number = static_cast<double>(value.get_uint64().value_unsafe()); break;
    default: return std::nullopt;
  }
  return number == 0 ? 0.0 : number;
}

// A value as text for people: a string as it is (unquoted, unescaped), a
// number in the shortest form that reads back as the same number (5, not 5.0;
// -0 as 0), anything else as compact JSON.
inline std::string display_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: return std::string(value.get_string().value_unsafe());
    case simdjson::dom::element_type::INT64: return fmt::format("{}", value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64: return fmt::format("{}", value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE: {
      const double number = value.get_double().value_unsafe();
      return fmt::format("{}", number == 0 ? 0.0 : number);
    }
    default: return simdjson::minify(value);
  }
}

// The object or array in a value known to be one, by value: a range-for over
// the result of get_object() would outlive that temporary.
inline simdjson::dom::object object_of(simdjson::dom::element value) { return value.get_object().value_unsafe(); }
inline simdjson::dom::array array_of(simdjson::dom::element value) { return value.get_array().value_unsafe(); }

}  // namespace prefline
