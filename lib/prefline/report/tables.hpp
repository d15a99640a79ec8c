// Table pieces the report builders share: the statistics rows (n, mean, sd,
// min, median, max; every number but n to --decimals places, so a column
// reads with one number of decimals), the width of a bar of '█', and the note under a table
// cut at --max-rows. One shape for each, so every section reads alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/report/document.hpp"
#include "prefline/report/number_format.hpp"
#include "prefline/stats/moments.hpp"
#include "prefline/stats/summary.hpp"

namespace prefline::report {

// Longest bar of '█' in a Markdown table, in characters.
inline constexpr int bar_width = 30;

// The text under a table that shows `shown` of `total` entries ("3 more turns
// not shown (--max-rows 20)."); empty when nothing is left out.
inline std::string left_out(std::size_t shown, std::size_t total, std::string_view one, std::string_view many) {
  if (shown >= total) return {};
  return fmt::format("{} more {} not shown (--max-rows {}).", total - shown, total - shown == 1 ? one : many, shown);
}

// Columns and a row of n, mean, sd, min, median and max of a list of values.
inline std::vector<doc::Column> summary_columns(std::string first) {
  return {{std::move(first)}, {"n", true}, {"mean", true}, {"sd", true}, {"min", true}, {"median", true}, {"max", true}};
}
inline std::vector<std::string> summary_row(std::string name, const std::vector<double>& values,
                                            const NumberFormat& numbers) {
  const stats::Summary summary = stats::summarize(values, 0);
  return {std::move(name),
          NumberFormat::count(summary.n),
          numbers.statistic(summary.mean),
          numbers.statistic(summary.sd),
          numbers.statistic(summary.min),
          numbers.statistic(summary.median),
          numbers.statistic(summary.max)};
}

// Columns and a row of n, mean, sd, min and max of a stream (no median).
inline std::vector<doc::Column> moment_columns(std::string first) {
  return {{std::move(first)}, {"n", true}, {"mean", true}, {"sd", true}, {"min", true}, {"max", true}};
}
inline std::vector<std::string> moment_row(std::string name, const stats::Moments& moments, const NumberFormat& numbers) {
  return {std::move(name),
          NumberFormat::count(moments.n()),
          numbers.statistic(moments.mean()),
          numbers.statistic(moments.sd()),
          numbers.statistic(moments.min()),
          numbers.statistic(moments.max())};
}

}  // namespace prefline::report
