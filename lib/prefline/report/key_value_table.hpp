// Any JSON object as a two-column key/value table, in file order, for showing
// a summary file (duel-judge --stats) in a report: nested objects as dotted
// keys, a list of plain values as "a, b, c", other arrays as compact JSON.
#pragma once

#include <string>
#include <utility>

#include <simdjson.h>

#include "prefline/json/dom_value.hpp"
#include "prefline/report/document.hpp"

namespace prefline::report {

namespace detail {

// A string, number, boolean or null as a table cell.
inline std::string scalar_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::BOOL: return value.get_bool().value_unsafe() ? "true" : "false";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    default: return display_text(value);
  }
}

inline void flatten(simdjson::dom::element value, const std::string& path, doc::Table& table) {
  if (value.is_object()) {
    const simdjson::dom::object object = object_of(value);
    if (object.size() == 0 && !path.empty()) {
      table.rows.push_back({path, "{}"});
      return;
    }
    for (auto [key, member] : object) flatten(member, path.empty() ? std::string(key) : path + "." + std::string(key), table);
    return;
  }
  std::string text;
  if (value.is_array()) {
    // A list of strings, numbers, booleans or nulls reads best as "a, b, c";
    // anything nested (or an empty list) as compact JSON.
    const simdjson::dom::array array = array_of(value);
    bool flat = array.size() > 0;
    for (simdjson::dom::element entry : array) flat = flat && !entry.is_array() && !entry.is_object();
    if (flat)
      for (simdjson::dom::element entry : array) text += (text.empty() ? "" : ", ") + scalar_text(entry);
    else
      text = simdjson::minify(value);
  } else {
    text = scalar_text(value);
  }
  table.rows.push_back({path, std::move(text)});
}

}  // namespace detail

// The table of `object` (columns "key" and "value"); an empty object gives no
// rows, an empty nested object the row (key, "{}").
inline doc::Table key_value_table(simdjson::dom::object object) {
  doc::Table table{{{"key"}, {"value"}}, {}};
  for (auto [key, member] : object) detail::flatten(member, std::string(key), table);
  return table;
}

}  // namespace prefline::report
