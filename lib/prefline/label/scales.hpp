// The rating scales of label --rate: "--scale technical=0:5". A grade is a
// whole number from low to high; the vizhub defaults are technical=0:5 and
// aesthetics=0:5 (the grade and aesthetics columns of the sheet).
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"

namespace prefline::label {

struct Scale {
  std::string name;
  int low = 0;
  int high = 5;
  bool contains(int score) const { return score >= low && score <= high; }
};

// The keys 1-5 (and Shift+1-5) set a score; 0 is the auto-fail key.
inline constexpr int highest_key_score = 5;

// Parses NAME=LOW:HIGH. Throws UsageError worded for --scale.
inline Scale parse_scale(std::string_view text) {
  const std::size_t equals = text.find('=');
  const std::size_t colon = text.find(':', equals == std::string_view::npos ? 0 : equals);
  if (equals == std::string_view::npos || equals == 0 || colon == std::string_view::npos)
    throw UsageError(fmt::format("--scale: '{}' is not NAME=LOW:HIGH (e.g. technical=0:5)", text));
  Scale scale;
  scale.name = std::string(text.substr(0, equals));
  const auto whole = [&](std::string_view digits, int& value) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return error == std::errc() && end == digits.data() + digits.size() && !digits.empty();
  };
  if (!whole(text.substr(equals + 1, colon - equals - 1), scale.low) || !whole(text.substr(colon + 1), scale.high))
    throw UsageError(fmt::format("--scale: '{}': LOW and HIGH are whole numbers", text));
  if (scale.low < 0 || scale.high > highest_key_score || scale.low >= scale.high)
    throw UsageError(fmt::format("--scale: '{}': need 0 <= LOW < HIGH <= {} (the score keys)", text,
                                 highest_key_score));
  return scale;
}

}  // namespace prefline::label
