// Reading numbers (or null) out of the fields a report reads, with the reason
// a bad record gets: "'duel.score' must be a number or null, not a string".
// Each function returns that reason, or "" when the value is good.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/dom_value.hpp"

namespace prefline::report {

// "duel.score": a field's path for messages, built only when one is needed.
inline std::string dotted(std::string_view path, std::string_view key) {
  return key.empty() ? std::string(path) : fmt::format("{}.{}", path, key);
}

// A number or null at PATH.KEY (KEY may be empty); null leaves `number` empty.
inline std::string read_optional_number(simdjson::dom::element value, std::string_view path, std::string_view key,
                                        std::optional<double>& number) {
  number.reset();
  if (value.is_null()) return {};
  number = number_of(value);
  if (!number) return fmt::format("'{}' must be a number or null, not {}", dotted(path, key), type_name(value));
  return {};
}

// The members of an object of numbers or null (by_metric, chosen_scores...),
// in its order; the names are views into the parser's memory.
using NumberList = std::vector<std::pair<std::string_view, std::optional<double>>>;

// Reads PARENT.NAME, an object of numbers or null, into `values`. A key given
// twice is a bad record (which value would count?).
inline std::string read_number_object(simdjson::dom::element value, std::string_view parent, std::string_view name,
                                      NumberList& values) {
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

}  // namespace prefline::report
