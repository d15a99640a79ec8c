// The bootstrap lower confidence bound of a mean (percentile method), with
// its normal limit for large samples, and the standard normal quantile it
// needs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "prefline/random/generator.hpp"

namespace prefline::stats {

// The summary's bootstrap: the lower confidence bound of the mean delta by
// the percentile method — `resamples` means of n values drawn with
// replacement (splitmix64 from `seed`), sorted; lcb = the value at position
// floor(alpha x resamples) (0-based). That costs n x resamples draws; beyond
// `exact_limit` draws the bootstrap distribution of the mean is replaced by
// its normal limit (central limit theorem): mean + z(alpha) x sd / sqrt(n),
// with sd the population sd of the values — what the resampling would give
// to within its Monte-Carlo error at such sizes.
inline constexpr double bootstrap_exact_limit = 5e7;

// The standard normal quantile (Acklam's rational approximation, relative
// error below 1.2e-9), refined by one Newton step on erfc.
inline double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * 3.14159265358979323846) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

inline double bootstrap_lcb(const std::vector<double>& values, int resamples, double alpha, std::uint64_t seed) {
  if (values.empty() || resamples <= 0) return std::nan("");
  const std::size_t n = values.size();
  if (static_cast<double>(n) * resamples > bootstrap_exact_limit) {
    double sum = 0;
    for (double v : values) sum += v;
    const double mean = sum / static_cast<double>(n);
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / static_cast<double>(n));
    return mean + normal_quantile(alpha) * sd / std::sqrt(static_cast<double>(n));
  }
  SplitMix64 random{seed};
  std::vector<double> means(static_cast<std::size_t>(resamples));
  for (auto& mean : means) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += values[random.below(n)];
    mean = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  auto position = static_cast<std::size_t>(std::floor(alpha * resamples));
  if (position >= means.size()) position = means.size() - 1;
  return means[position];
}
}  // namespace prefline::stats
