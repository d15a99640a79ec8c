// Splitting option values such as "a,b,c" (field lists, weights, mixes) or
// "duel.score" (field paths) into their parts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prefline {

// Splits "a,b,c" into its parts, empty ones included ("a,,b" has three):
// an empty part is an error for the caller to report.
inline std::vector<std::string> split_list(std::string_view text, char separator = ',') {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace prefline
