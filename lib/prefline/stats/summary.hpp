// Descriptive statistics of grades, and per-rater calibrations (z-score, additive bias).
//
// Every result here is the same to the last bit on every machine and for every order of the
// input values, because the consensus output must be byte-identical across runs and machines:
//  1. values are put in one canonical order first (sorted by IEEE 754 totalOrder, so -0 sorts
//     before +0 and a NaN cannot break std::sort) and every sum runs in that order;
//  2. sums of values are compensated (Neumaier 1974, "Rundungsfehleranalyse einiger Verfahren zur
//     Summation endlicher Summen"), so they are accurate as well as repeatable;
//  3. every product that is accumulated goes through std::fma explicitly. We compile with
//     -march=native, and GCC contracts `s += d * d` into a fused multiply-add by default in C++
//     (also with -std=c++20) when the CPU has FMA, so the plain expression rounds differently on
//     different machines; an explicit std::fma rounds exactly once everywhere.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace prefline::stats {

struct Summary {
  double mean, median, trimmed_mean, sd, min, max;
  std::size_t n;
};

// One grade on one dimension: rater `rater` gave item `item` the value `value`.
struct RatedValue {
  std::size_t item;
  std::size_t rater;
  double value;
};

namespace detail {

inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// IEEE 754 totalOrder as an unsigned key: -NaN < -inf < ... < -0 < +0 < ... < +inf < +NaN.
// A strict weak order on every bit pattern, so sorting is well defined and its result unique.
inline std::uint64_t total_order_key(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}
inline bool total_order_less(double a, double b) { return total_order_key(a) < total_order_key(b); }

// Neumaier's variant of Kahan summation: the rounding error of every addition is kept in a
// second accumulator, so the result is nearly the correctly rounded sum whatever the magnitudes.
class CompensatedSum {
 public:
  void add(double x) {
    const double sum = sum_ + x;
    if (std::fabs(sum_) >= std::fabs(x))
      compensation_ += (sum_ - sum) + x;
    else
      compensation_ += (x - sum) + sum_;
    sum_ = sum;
  }
  // Once the running sum overflowed (or met an infinity) the compensation is meaningless.
  double value() const { return std::isfinite(sum_) ? sum_ + compensation_ : sum_; }

 private:
  double sum_ = 0;
  double compensation_ = 0;
};

// Mean of values sorted ascending. The exact mean lies within [front, back]; clamping keeps the
// rounded one there too, so n copies of 0.1 have mean 0.1, not 0.10000000000000002.
inline double sorted_mean(std::span<const double> sorted) {
  CompensatedSum sum;
  for (double x : sorted) sum.add(x);
  double mean = sum.value() / static_cast<double>(sorted.size());
  if (mean < sorted.front()) mean = sorted.front();
  if (mean > sorted.back()) mean = sorted.back();
  return mean;
}

// Sum of (x - mean)^2: the second pass of the two-pass variance, which does not lose precision
// to cancellation the way sum(x^2) - n * mean^2 does (Chan, Golub & LeVeque 1983).
inline double sum_squared_deviations(std::span<const double> values, double mean) {
  double sum = 0;
  for (double x : values) {
    const double deviation = x - mean;
    sum = std::fma(deviation, deviation, sum);
  }
  return sum;
}

// The sample variance in exact integer arithmetic when every value is a
// multiple of 1/1024 below 2^20 in size (grades like 4, 3.5 or 4.25 always
// are): with y = 1024 x, var = (n sum y^2 - (sum y)^2) / (n (n - 1)) / 1024^2,
// and the numerator is exact in 128 bits, so the result is rounded once. The
// two-pass formula starts from a rounded mean and can land a few ulp off: an
// sd of exactly 1.5 came out as 1.5000000000000004 and tripped a "> 1.5" flag.
// Empty when the values do not qualify (then the two-pass formula is used).
inline std::optional<double> exact_sample_variance(std::span<const double> values) {
  constexpr double scale = 1024.0;
  constexpr double limit = 1048576.0;  // 2^20
  const auto n = static_cast<__int128>(values.size());
  if (n < 2 || n > (static_cast<__int128>(1) << 40)) return std::nullopt;
  __int128 sum = 0, squares = 0;
  for (double x : values) {
    const double y = x * scale;
    if (!(std::fabs(x) < limit) || y != std::trunc(y)) return std::nullopt;
    const auto integer = static_cast<__int128>(static_cast<std::int64_t>(y));
    sum += integer;
    squares += integer * integer;
  }
  const __int128 numerator = n * squares - sum * sum;
  const long double variance = static_cast<long double>(numerator) / static_cast<long double>(n * (n - 1)) /
                               static_cast<long double>(scale * scale);
  return static_cast<double>(variance);
}

// Population standard deviation sqrt(sum (x - mean)^2 / n) of values sorted ascending.
inline double sorted_population_sd(std::span<const double> sorted, double mean) {
  return std::sqrt(sum_squared_deviations(sorted, mean) / static_cast<double>(sorted.size()));
}

inline void check_rated_values(const std::vector<RatedValue>& values, std::size_t items, std::size_t raters,
                               const char* function) {
  for (const RatedValue& v : values) {
    if (v.item >= items)
      throw std::invalid_argument(std::string(function) + ": item " + std::to_string(v.item) + " out of range");
    if (v.rater >= raters)
      throw std::invalid_argument(std::string(function) + ": rater " + std::to_string(v.rater) + " out of range");
    if (!std::isfinite(v.value)) throw std::invalid_argument(std::string(function) + ": value is not finite");
  }
}

// Positions of `values` sorted by (first key, second key, value): the canonical order in which
// the calibrations accumulate, so their results do not depend on the order of the input list.
inline std::vector<std::size_t> canonical_order(const std::vector<RatedValue>& values, bool by_rater) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
    const RatedValue& x = values[a];
    const RatedValue& y = values[b];
    const std::size_t x_first = by_rater ? x.rater : x.item, y_first = by_rater ? y.rater : y.item;
    const std::size_t x_second = by_rater ? x.item : x.rater, y_second = by_rater ? y.item : y.rater;
    if (x_first != y_first) return x_first < y_first;
    if (x_second != y_second) return x_second < y_second;
    const std::uint64_t x_value = total_order_key(x.value), y_value = total_order_key(y.value);
    if (x_value != y_value) return x_value < y_value;
    return a < b;  // exact duplicates: equal in every field, so their relative order is invisible
  });
  return order;
}

}  // namespace detail

// Neumaier-compensated running sum, for tools that average streams.
using detail::CompensatedSum;

// Mean, median, trimmed mean, sample sd, min and max of `values`.
// Sorts the copy and computes every statistic from the sorted order, so the result (to the last
// bit) does not depend on the order of the input values.
//   n == 0: n = 0 and every double is NaN.
//   median: the middle value, or for even n the mean of the two middle values (std::midpoint).
//   trimmed_mean: mean after dropping floor(trim * n) values from each end, trim in [0, 0.5)
//     (so at least one value remains); identical to mean when nothing is dropped.
//   sd: sample standard deviation sqrt(sum (x - mean)^2 / (n - 1)), two-pass; 0 when n == 1.
// Values should be finite; a NaN does not break the sort, but the figures are then meaningless.
// Throws std::invalid_argument when trim is outside [0, 0.5).
inline Summary summarize(std::vector<double> values, double trim) {
  if (!(trim >= 0 && trim < 0.5)) throw std::invalid_argument("summarize: trim must be in [0, 0.5)");
  constexpr double nan = detail::not_a_number;
  Summary summary{nan, nan, nan, nan, nan, nan, values.size()};
  if (values.empty()) return summary;

  std::ranges::sort(values, detail::total_order_less);
  const std::size_t n = values.size();
  const std::span<const double> sorted(values);
  summary.min = sorted.front();
  summary.max = sorted.back();
  summary.mean = detail::sorted_mean(sorted);
  summary.median = n % 2 == 1 ? sorted[n / 2] : std::midpoint(sorted[n / 2 - 1], sorted[n / 2]);
  const auto dropped = static_cast<std::size_t>(std::floor(trim * static_cast<double>(n)));
  summary.trimmed_mean = dropped == 0 ? summary.mean : detail::sorted_mean(sorted.subspan(dropped, n - 2 * dropped));
  if (n == 1) {
    summary.sd = 0.0;
  } else if (const auto exact = detail::exact_sample_variance(sorted)) {
    summary.sd = std::sqrt(*exact);
  } else {
    summary.sd = std::sqrt(detail::sum_squared_deviations(sorted, summary.mean) / static_cast<double>(n - 1));
  }
  return summary;
}

// Weighted mean sum(w_i * x_i) / sum(w_i), accumulated in the order given (deterministic for a
// given input order; the caller fixes that order, e.g. the order of --score dimensions).
// A value with weight 0 is left out entirely, so it may be NaN (a missing dimension).
// Throws std::invalid_argument when the lengths differ, a weight is negative or NaN, or the
// weights sum to 0.
inline double weighted_mean(std::span<const double> values, std::span<const double> weights) {
  if (values.size() != weights.size())
    throw std::invalid_argument("weighted_mean: values and weights differ in length");
  double weighted_sum = 0;
  detail::CompensatedSum weight_sum;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(weights[i] >= 0)) throw std::invalid_argument("weighted_mean: weight is negative or NaN");
    if (weights[i] == 0) continue;
    weighted_sum = std::fma(weights[i], values[i], weighted_sum);
    weight_sum.add(weights[i]);
  }
  const double total_weight = weight_sum.value();
  if (!(total_weight > 0)) throw std::invalid_argument("weighted_mean: weights sum to 0");
  return weighted_sum / total_weight;
}

// Z-score calibration per rater (standardisation within rater, the usual correction for raters who
// are harsh or lenient and who use more or less of the scale): a rater's grades are put on the scale
// of all grades by matching the rater's mean and spread to the pooled ones,
//   z  = (x - rater_mean) / rater_sd          (population sd over all of that rater's values)
//   x' = pooled_mean + z * pooled_sd          (population mean and sd over all values)
// A rater whose sd is 0 (one value, or always the same value) has no spread to match and is only
// shifted: x' = x - rater_mean + pooled_mean. Returns x' per input value, in input order; the result
// does not depend on the order of `values` (each rater's values are summed in sorted order).
// Throws std::invalid_argument for a rater index >= raters or a non-finite value.
inline std::vector<double> calibrate_zscore(const std::vector<RatedValue>& values, std::size_t raters) {
  detail::check_rated_values(values, std::numeric_limits<std::size_t>::max(), raters, "calibrate_zscore");
  std::vector<double> calibrated(values.size());
  if (values.empty()) return calibrated;

  std::vector<double> pooled;
  pooled.reserve(values.size());
  std::vector<std::vector<double>> by_rater(raters);
  for (const RatedValue& v : values) {
    pooled.push_back(v.value);
    by_rater[v.rater].push_back(v.value);
  }
  std::ranges::sort(pooled, detail::total_order_less);
  const double pooled_mean = detail::sorted_mean(pooled);
  const double pooled_sd = detail::sorted_population_sd(pooled, pooled_mean);

  std::vector<double> rater_mean(raters, detail::not_a_number);
  std::vector<double> rater_sd(raters, detail::not_a_number);
  for (std::size_t r = 0; r < raters; ++r) {
    if (by_rater[r].empty()) continue;
    std::ranges::sort(by_rater[r], detail::total_order_less);
    rater_mean[r] = detail::sorted_mean(by_rater[r]);
    rater_sd[r] = detail::sorted_population_sd(by_rater[r], rater_mean[r]);
  }

  for (std::size_t k = 0; k < values.size(); ++k) {
    const RatedValue& v = values[k];
    const double deviation = v.value - rater_mean[v.rater];
    calibrated[k] = rater_sd[v.rater] > 0 ? std::fma(deviation / rater_sd[v.rater], pooled_sd, pooled_mean)
                                          : deviation + pooled_mean;
  }
  return calibrated;
}

// The additive rater-bias model fitted by calibrate_additive.
struct AdditiveFit {
  std::vector<double> item_effects;  // c_i; NaN for an item without values
  std::vector<double> rater_biases;  // b_r, centred (mean over all values 0); NaN for a rater without values
  int iterations = 0;                // sweeps run
  bool converged = false;            // the last sweep changed no c_i or b_r by tolerance or more
};

// Least-squares fit of the additive model x_ir = c_i + b_r + e: item quality plus rater leniency,
// the two-way model without interaction on an incomplete design (the rater-bias part of Piech et al.
// 2013, "Tuned models of peer assessment in MOOCs", model PG1, without its reliability term).
// Alternating least squares, i.e. backfitting (Hastie & Tibshirani 1990, "Generalized Additive
// Models"): block coordinate descent on sum (x - c_i - b_r)^2, starting from b = 0; one sweep:
//   c_i = mean over item i's values of (x - b_r)      (minimises over c with b fixed)
//   b_r = mean over rater r's values of (x - c_i)     (minimises over b with c fixed)
//   b_r -= mean of b_r over all values                (the model fixes c + b only up to a constant:
//                                                       pin it so the average value is unchanged)
// Sweeps repeat until the largest change of any c_i or b_r is < tolerance, or max_iterations sweeps
// ran (then the last estimate is returned with converged = false). Every mean runs in a canonical
// order (item, rater, value), so the fit does not depend on the order of `values`.
// Throws std::invalid_argument for an index out of range, a non-finite value, tolerance < 0 or
// max_iterations < 1.
inline AdditiveFit fit_additive(const std::vector<RatedValue>& values, std::size_t items, std::size_t raters,
                                double tolerance = 1e-9, int max_iterations = 10000) {
  detail::check_rated_values(values, items, raters, "fit_additive");
  if (!(tolerance >= 0)) throw std::invalid_argument("fit_additive: tolerance must be >= 0");
  if (max_iterations < 1) throw std::invalid_argument("fit_additive: max_iterations must be >= 1");

  const std::vector<std::size_t> by_item = detail::canonical_order(values, false);
  const std::vector<std::size_t> by_rater = detail::canonical_order(values, true);
  std::vector<std::size_t> rater_count(raters, 0);
  for (const RatedValue& v : values) ++rater_count[v.rater];

  AdditiveFit fit;
  fit.item_effects.assign(items, detail::not_a_number);
  fit.rater_biases.assign(raters, detail::not_a_number);
  std::vector<double>& c = fit.item_effects;
  std::vector<double>& b = fit.rater_biases;
  for (std::size_t r = 0; r < raters; ++r)
    if (rater_count[r] > 0) b[r] = 0;
  if (values.empty()) {
    fit.converged = true;
    return fit;
  }

  // Mean of `term(value)` over each run of equal keys in `order`, written to estimate[key];
  // returns the largest change (the first estimate of an item, NaN before, counts as infinite).
  auto update = [&](const std::vector<std::size_t>& order, bool by_rater_key, auto term, std::vector<double>& estimate) {
    double largest_change = 0;
    for (std::size_t begin = 0; begin < order.size();) {
      const std::size_t key = by_rater_key ? values[order[begin]].rater : values[order[begin]].item;
      detail::CompensatedSum sum;
      std::size_t end = begin;
      for (; end < order.size(); ++end) {
        const RatedValue& v = values[order[end]];
        if ((by_rater_key ? v.rater : v.item) != key) break;
        sum.add(term(v));
      }
      const double mean = sum.value() / static_cast<double>(end - begin);
      const double change = std::isnan(estimate[key]) ? std::numeric_limits<double>::infinity()
                                                      : std::fabs(mean - estimate[key]);
      largest_change = std::max(largest_change, change);
      estimate[key] = mean;
      begin = end;
    }
    return largest_change;
  };

  std::vector<double> b_before(raters);
  for (fit.iterations = 1; fit.iterations <= max_iterations; ++fit.iterations) {
    const double item_change = update(by_item, false, [&](const RatedValue& v) { return v.value - b[v.rater]; }, c);
    b_before = b;
    update(by_rater, true, [&](const RatedValue& v) { return v.value - c[v.item]; }, b);
    double bias_sum = 0;
    for (std::size_t r = 0; r < raters; ++r)
      if (rater_count[r] > 0) bias_sum = std::fma(static_cast<double>(rater_count[r]), b[r], bias_sum);
    const double bias_mean = bias_sum / static_cast<double>(values.size());
    double rater_change = 0;
    for (std::size_t r = 0; r < raters; ++r) {
      if (rater_count[r] == 0) continue;
      b[r] -= bias_mean;
      rater_change = std::max(rater_change, std::fabs(b[r] - b_before[r]));
    }
    if (std::max(item_change, rater_change) < tolerance) {
      fit.converged = true;
      return fit;
    }
  }
  fit.iterations = max_iterations;
  return fit;
}

// Additive calibration: x' = x - b_r, each value with its rater's estimated bias removed (see
// fit_additive for the model, the fit and the tolerance). Returns x' per input value, in input order.
// Values are not clipped to the grading scale: a lenient rater's 5 may become 5.4.
inline std::vector<double> calibrate_additive(const std::vector<RatedValue>& values, std::size_t items,
                                              std::size_t raters, double tolerance = 1e-9,
                                              int max_iterations = 10000) {
  const AdditiveFit fit = fit_additive(values, items, raters, tolerance, max_iterations);
  std::vector<double> calibrated(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) calibrated[k] = values[k].value - fit.rater_biases[values[k].rater];
  return calibrated;
}

}  // namespace prefline::stats
