// Histograms in a report: limits of bins with a round width (1, 2 or 5 x
// 10^k) for values of any range, the fixed bins of the judged-turn score scale
// (split at the bucket edges), bin labels, and a histogram section (the
// Markdown table plus the chart the HTML page draws).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/report/document.hpp"
#include "prefline/report/number_format.hpp"
#include "prefline/report/tables.hpp"

namespace prefline::report {

// Histograms of any range: at most this many bins of a 1-2-5 width.
inline constexpr int target_bins = 10;

struct HistogramBins {
  std::vector<double> limits;  // bins + 1 limits
  std::string width;           // the bin width, or "" when the bins are not 1-2-5 multiples
};

// Limits for values from `low` to `high`: bins of a width 1, 2 or 5 x 10^k,
// the smallest giving at most target_bins bins, aligned to multiples of the
// width. Each limit is k x m x 10^e computed from whole numbers, so it prints
// as a short decimal (0.3, not 0.30000000000000004). low == high gives one
// bin [low, low].
inline HistogramBins nice_limits(double low, double high) {
  if (!(high > low)) return {{low, high}, ""};
  const double raw = (high - low) / target_bins;
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double power = std::pow(10.0, exponent);
  int multiple = 10;
  for (int candidate : {1, 2, 5})
    if (static_cast<double>(candidate) * power >= raw) {
      multiple = candidate;
      break;
    }
  if (multiple == 10) {
    multiple = 1;
    ++exponent;
  }
  auto ten_to = [](int n) {
    double value = 1;
    for (int i = 0; i < n; ++i) value *= 10;
    return value;
  };
  const double step = static_cast<double>(multiple) * (exponent >= 0 ? ten_to(exponent) : 1 / ten_to(-exponent));
  // Beyond 2^53 steps the whole-number arithmetic is not exact: equal widths instead.
  if (!(std::fabs(low / step) < 1e15 && std::fabs(high / step) < 1e15) || std::abs(exponent) > 22) {
    std::vector<double> limits;
    for (int i = 0; i <= target_bins; ++i)
      limits.push_back(i == target_bins ? high : low + (high - low) * i / target_bins);
    return {limits, ""};
  }
  auto limit = [&](long long k) {
    const double scaled = static_cast<double>(k * multiple);
    return exponent >= 0 ? scaled * ten_to(exponent) : scaled / ten_to(-exponent);
  };
  auto k = static_cast<long long>(std::floor(low / step));
  while (limit(k) > low) --k;
  while (limit(k + 1) <= low) ++k;
  std::vector<double> limits{limit(k)};
  do limits.push_back(limit(++k));
  while (limits.back() < high);
  return {limits, NumberFormat::value(exponent >= 0 ? step : static_cast<double>(multiple) / ten_to(-exponent))};
}

// The limits of bins of `width` from `low` (a whole number) up to `high`,
// with every edge (between them) added as a limit too: 0, 10, ..., 60, 66,
// 70, 80, 90, 100 for a width of 10 and edges 66 and 80.
inline std::vector<double> fixed_limits(double low, double high, int width, const std::vector<double>& edges) {
  std::vector<double> limits;
  for (double limit = low; limit < high; limit += width) limits.push_back(limit);
  limits.push_back(high);
  limits.insert(limits.end(), edges.begin(), edges.end());
  std::sort(limits.begin(), limits.end());
  limits.erase(std::unique(limits.begin(), limits.end()), limits.end());
  return limits;
}

// A bin's label, "60 – 66": it holds 60 <= value < 66 (the last bin also its
// high end; the text before each histogram says so). No brackets: they would
// need escaping in Markdown.
inline std::string bin_label(double low, double high) {
  return fmt::format("{} \u2013 {}", NumberFormat::value(low), NumberFormat::value(high));
}

// A histogram of sorted values with nice_limits bins: a sentence on the bins,
// the table (bin, count, share of `total`, bar) and the chart above it.
inline void add_histogram(doc::Document& document, const std::vector<double>& sorted, std::string_view value_name,
                          std::uint64_t total) {
  if (sorted.empty()) {
    document.paragraph("No values.");
    return;
  }
  const HistogramBins histogram = nice_limits(sorted.front(), sorted.back());
  const std::vector<double>& limits = histogram.limits;
  const std::size_t bins = limits.size() - 1;
  if (bins == 1 && limits[0] == limits[1])
    document.paragraph(fmt::format("One bin: every value is {}.", NumberFormat::value(limits[0])));
  else if (histogram.width.empty())
    document.paragraph(fmt::format("{} bins from the lowest value to the highest: a bin \"low \u2013 high\" holds "
                                   "low \u2264 value < high, the last one also its high.", bins));
  else
    document.paragraph(fmt::format("Bins of width {}: a bin \"low \u2013 high\" holds low \u2264 value < high, the "
                                   "last one also its high.", histogram.width));
  std::vector<std::uint64_t> counts(bins, 0);
  std::size_t bin = 0;
  for (double value : sorted) {
    while (bin + 1 < bins && value >= limits[bin + 1]) ++bin;
    ++counts[bin];
  }
  const std::uint64_t largest = *std::max_element(counts.begin(), counts.end());
  doc::HistogramChart chart;
  chart.value_name = std::string(value_name);
  doc::Table& table = document.table({{"bin"}, {std::string(value_name), true}, {"share", true}, {"", false, true}});
  for (std::size_t i = 0; i < bins; ++i) {
    const std::string label = bin_label(limits[i], limits[i + 1]);
    table.rows.push_back({label, NumberFormat::count(counts[i]), NumberFormat::share(counts[i], total),
                          doc::text_bar(counts[i], largest, bar_width)});
    chart.bins.push_back({limits[i], limits[i + 1], counts[i], label, 0});
    chart.tick_labels.push_back(NumberFormat::value(limits[i]));
  }
  chart.tick_labels.push_back(NumberFormat::value(limits.back()));
  document.chart_above_last_table(std::move(chart));
}

}  // namespace prefline::report
