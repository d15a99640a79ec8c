// How numbers read in a report: counts as whole numbers; in tables every
// other number (a value from the data or a computed statistic) rounded to a
// fixed number of decimals, so a column has one number of decimals; in text
// (labels, edges, messages) values in the shortest form that reads back as
// the same number (as JSON output is); shares as percentages. A missing value
// (NaN) is written as a dash.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline::report {

inline constexpr std::string_view missing_value = "\u2014";  // —

class NumberFormat {
 public:
  explicit NumberFormat(int decimals) : decimals_(decimals) {}

  static std::string count(std::uint64_t value) { return fmt::format("{}", value); }

  // A value from the data in text: 83.3333, 5, 0.75 (-0 is 0).
  static std::string value(double number) {
    if (std::isnan(number)) return std::string(missing_value);
    return fmt::format("{}", number == 0 ? 0.0 : number);
  }

  // A number in a table, rounded like printf's %.Nf (to nearest, ties to
  // even on the binary value); a result that rounds to zero has no sign.
  std::string statistic(double number) const {
    if (std::isnan(number)) return std::string(missing_value);
    std::string text = fmt::format("{:.{}f}", number, decimals_);
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
  }

  // part / total as a percentage with one decimal: "12.5%".
  static std::string share(std::uint64_t part, std::uint64_t total) {
    if (total == 0) return std::string(missing_value);
    return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(total));
  }

 private:
  int decimals_;
};

// "1 turn", "2 turns".
inline std::string counted(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace prefline::report
