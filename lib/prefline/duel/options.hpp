// What a user chooses about a duel: the metrics (--metrics; the default
// metrics keep their questions), their weights (--metric-weight M=W,...) and
// the orders each judge sees (--orders), parsed with the usage errors
// duel-judge reports for them.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/duel/metric.hpp"
#include "prefline/json/fields.hpp"

namespace prefline::duel {

// `list` empty: the default metrics.
inline std::vector<Metric> metrics_from_list(std::string_view list) {
  const auto defaults = default_metrics();
  if (list.empty()) return defaults;
  std::vector<Metric> metrics;
  for (const auto& name : parse_name_list("--metrics", list)) {
    std::string question;
    for (const auto& metric : defaults)
      if (metric.name == name) question = metric.question;
    metrics.push_back({name, question});
  }
  return metrics;
}

// One weight per metric, 1 unless `list` says otherwise.
inline std::vector<double> metric_weights(const std::string& list, const std::vector<Metric>& metrics) {
  std::vector<double> weights(metrics.size(), 1.0);
  if (list.empty()) return weights;
  for (const auto& part : split_list(list)) {
    const std::size_t equals = part.find('=');
    double weight = -1;
    if (equals != std::string::npos) {
      const auto [end, error] = std::from_chars(part.data() + equals + 1, part.data() + part.size(), weight);
      if (error != std::errc() || end != part.data() + part.size()) weight = -1;
    }
    if (equals == std::string::npos || !(weight >= 0))
      throw UsageError(fmt::format("--metric-weight: expected METRIC=W with W >= 0, got '{}'", part));
    const std::string name = part.substr(0, equals);
    bool found = false;
    for (std::size_t m = 0; m < metrics.size(); ++m)
      if (metrics[m].name == name) {
        weights[m] = weight;
        found = true;
      }
    if (!found) throw UsageError(fmt::format("--metric-weight: no metric '{}'", name));
  }
  double sum = 0;
  for (double w : weights) sum += w;
  if (sum <= 0) throw UsageError("--metric-weight: the weights add up to 0");
  return weights;
}

// both: each judge sees A/B and B/A; ab; alternate: ab for even record
// indices, ba for odd ones.
enum class OrderMode { both, ab, alternate };

inline OrderMode order_mode(std::string_view text) {
  if (text == "both") return OrderMode::both;
  if (text == "ab") return OrderMode::ab;
  if (text == "alternate") return OrderMode::alternate;
  throw UsageError(fmt::format("--orders: '{}' is not both, ab or alternate", text));
}

// The orders record number `index` is judged in.
inline std::vector<Order> orders_for(OrderMode mode, std::uint64_t index) {
  if (mode == OrderMode::both) return {Order::ab, Order::ba};
  if (mode == OrderMode::ab) return {Order::ab};
  return {index % 2 == 0 ? Order::ab : Order::ba};
}

}  // namespace prefline::duel
