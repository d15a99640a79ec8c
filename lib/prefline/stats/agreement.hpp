// Inter-rater agreement: Krippendorff's alpha over all raters, and per-rater agreement with the
// consensus of the others. Results do not depend on the order of units, of values within a unit,
// or of the grade list (see stats/summary.hpp for how sums are kept order- and machine-independent).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "prefline/stats/summary.hpp"

namespace prefline::agreement {

enum class Metric { nominal, ordinal, interval };

struct Alpha {
  double alpha;
  std::size_t units;            // units with at least 2 values (the pairable ones)
  std::size_t pairable_values;  // n: values in those units
};

// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
//   alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d2(c,k) / sum_ck n_c n_k d2(c,k)
// `units` holds, per unit (item), the values it received: missing ones are simply absent, and any
// number of raters may have graded it. Units with fewer than 2 values are left out (not pairable).
// o_ck = sum over units of (ordered c-k pairs of values in the unit) / (m_u - 1), n_c = its row sums
// (the number of pairable values equal to c), n = all pairable values. Distances d2:
//   nominal  0 if c == k, else 1
//   interval (c - k)^2
//   ordinal  (sum_{g = c..k} n_g - (n_c + n_k) / 2)^2 over the sorted distinct values
// alpha is NaN when there are no pairable values or the expected disagreement D_e is 0 (every
// pairable value the same). Throws std::invalid_argument for a non-finite value.
//
// The coincidence matrix is never built (it has one cell per pair of distinct values, too many for
// continuous grades); its two sums are computed from their definitions directly:
//   sum_ck o_ck d2(c,k)     = sum over units of sum_{i != j in unit} d2(x_i, x_j) / (m_u - 1)
//   sum_ck n_c n_k d2(c,k)  = sum_{i != j} d2(x_i, x_j) over all pairable values
// and for sets of m values (whether one unit or all pairable values),
//   nominal:  sum_{i != j} [x_i != x_j]   = m^2 - sum over distinct values of (count of it)^2
//   interval: sum_{i != j} (x_i - x_j)^2  = 2 m sum_i (x_i - mean)^2
//   ordinal:  with rank position r(c) = sum_{g < c} n_g + n_c / 2, the ordinal distance is
//             (r(k) - r(c))^2, so ordinal alpha is interval alpha on rank positions.
inline Alpha krippendorff_alpha(const std::vector<std::vector<double>>& units, Metric metric) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Alpha result{nan, 0, 0};
  std::vector<double> pairable;
  for (const std::vector<double>& unit : units) {
    for (double x : unit)
      if (!std::isfinite(x)) throw std::invalid_argument("krippendorff_alpha: value is not finite");
    if (unit.size() < 2) continue;
    ++result.units;
    pairable.insert(pairable.end(), unit.begin(), unit.end());
  }
  result.pairable_values = pairable.size();
  if (pairable.empty()) return result;
  std::ranges::sort(pairable, stats::detail::total_order_less);

  // Distinct pairable values (-0 and +0 are one value) and, for ordinal, their rank positions.
  std::vector<double> distinct;
  std::vector<double> rank_position;
  for (std::size_t begin = 0; begin < pairable.size();) {
    std::size_t end = begin;
    while (end < pairable.size() && pairable[end] == pairable[begin]) ++end;
    distinct.push_back(pairable[begin]);
    rank_position.push_back(static_cast<double>(begin) + static_cast<double>(end - begin) / 2);
    begin = end;
  }
  auto position = [&](double x) {
    if (metric != Metric::ordinal) return x;
    return rank_position[static_cast<std::size_t>(std::ranges::lower_bound(distinct, x) - distinct.begin())];
  };

  // sum_{i != j} d2(x_i, x_j) over a set of values sorted ascending.
  std::vector<double> scratch;
  auto pair_disagreement = [&](std::span<const double> sorted) {
    const auto m = static_cast<double>(sorted.size());
    if (metric == Metric::nominal) {
      double same_value_pairs = 0;  // sum of squared counts: exact, counts are small integers
      for (std::size_t begin = 0; begin < sorted.size();) {
        std::size_t end = begin;
        while (end < sorted.size() && sorted[end] == sorted[begin]) ++end;
        const auto count = static_cast<double>(end - begin);
        same_value_pairs = std::fma(count, count, same_value_pairs);
        begin = end;
      }
      return m * m - same_value_pairs;
    }
    scratch.clear();
    for (double x : sorted) scratch.push_back(position(x));  // ascending too: position is monotone
    const double mean = stats::detail::sorted_mean(scratch);
    return 2 * m * stats::detail::sum_squared_deviations(scratch, mean);
  };

  const double expected = pair_disagreement(pairable);
  // Per-unit terms are summed in sorted order, so the order of the units does not matter.
  std::vector<double> unit_terms;
  std::vector<double> unit_values;
  for (const std::vector<double>& unit : units) {
    if (unit.size() < 2) continue;
    unit_values.assign(unit.begin(), unit.end());
    std::ranges::sort(unit_values, stats::detail::total_order_less);
    unit_terms.push_back(pair_disagreement(unit_values) / static_cast<double>(unit.size() - 1));
  }
  std::ranges::sort(unit_terms, stats::detail::total_order_less);
  stats::detail::CompensatedSum observed;
  for (double term : unit_terms) observed.add(term);

  if (!(expected > 0)) return result;
  result.alpha = 1 - static_cast<double>(pairable.size() - 1) * observed.value() / expected;
  return result;
}

// One rater's grades on one dimension, against the leave-one-out consensus: the mean of the OTHER
// raters' values on the same item. Items the rater graded alone have no consensus and are left out of
// the deviation figures (grades and mean_score still count them).
struct RaterAgreement {
  std::size_t grades;           // values given by this rater
  double mean_score;            // mean of them; NaN without grades
  double mean_deviation;        // mean of (value - leave-one-out mean), signed: > 0 lenient, < 0 harsh
  double share_far;             // share of compared items with |value - leave-one-out mean| > far
  std::size_t compared_items;   // items where at least one other rater gave a value
};

// One entry per rater 0..raters-1; mean_deviation and share_far are NaN when compared_items is 0.
// Each rater's value on an item appears at most once in `values` (duplicates are resolved before).
// Throws std::invalid_argument for an index out of range, a non-finite value, or far < 0 or NaN.
inline std::vector<RaterAgreement> rater_agreement(const std::vector<stats::RatedValue>& values, std::size_t items,
                                                   std::size_t raters, double far = 1.0) {
  stats::detail::check_rated_values(values, items, raters, "rater_agreement");
  if (!(far >= 0)) throw std::invalid_argument("rater_agreement: far must be >= 0");

  // Sum and count of the values on each item, summed in (item, rater) order.
  std::vector<stats::detail::CompensatedSum> item_sum(items);
  std::vector<std::size_t> item_count(items, 0);
  for (std::size_t k : stats::detail::canonical_order(values, false)) {
    item_sum[values[k].item].add(values[k].value);
    ++item_count[values[k].item];
  }

  struct Sums {
    stats::detail::CompensatedSum score, deviation;
    std::size_t far_items = 0;
  };
  std::vector<Sums> sums(raters);
  std::vector<RaterAgreement> result(raters, RaterAgreement{0, 0, 0, 0, 0});
  for (std::size_t k : stats::detail::canonical_order(values, true)) {
    const stats::RatedValue& v = values[k];
    RaterAgreement& rater = result[v.rater];
    ++rater.grades;
    sums[v.rater].score.add(v.value);
    const std::size_t others = item_count[v.item] - 1;
    if (others == 0) continue;
    // (item sum - own value) in the compensated accumulator: the others' sum, rounded once.
    stats::detail::CompensatedSum others_sum = item_sum[v.item];
    others_sum.add(-v.value);
    const double deviation = v.value - others_sum.value() / static_cast<double>(others);
    ++rater.compared_items;
    sums[v.rater].deviation.add(deviation);
    if (std::fabs(deviation) > far) ++sums[v.rater].far_items;
  }

  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t r = 0; r < raters; ++r) {
    RaterAgreement& rater = result[r];
    const auto compared = static_cast<double>(rater.compared_items);
    rater.mean_score = rater.grades == 0 ? nan : sums[r].score.value() / static_cast<double>(rater.grades);
    rater.mean_deviation = rater.compared_items == 0 ? nan : sums[r].deviation.value() / compared;
    rater.share_far = rater.compared_items == 0 ? nan : static_cast<double>(sums[r].far_items) / compared;
  }
  return result;
}

}  // namespace prefline::agreement
