// Count, mean, sample standard deviation, minimum and maximum of a stream of
// numbers in constant memory, for reports over inputs too large to keep. For
// medians (which need every value) see summary.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "prefline/stats/summary.hpp"

namespace prefline::stats {

// The mean comes from a compensated sum (Neumaier 1974, see CompensatedSum),
// the sum of squared deviations from Welford's update (Welford 1962, "Note on
// a method for calculating corrected sums of squares and products"). Every
// figure is NaN until a value is added.
class Moments {
 public:
  void add(double x) {
    ++n_;
    sum_.add(x);
    const double delta = x - running_mean_;
    running_mean_ += delta / static_cast<double>(n_);
    squares_ = std::fma(delta, x - running_mean_, squares_);
    min_ = n_ == 1 ? x : std::min(min_, x);
    max_ = n_ == 1 ? x : std::max(max_, x);
  }

  std::uint64_t n() const { return n_; }
  // Clamped to [min, max]: n copies of 0.1 have mean 0.1, not 0.10000000000000002.
  double mean() const {
    if (n_ == 0) return nan;
    return std::clamp(sum_.value() / static_cast<double>(n_), min_, max_);
  }
  // The sample standard deviation (n - 1); 0 for one value.
  double sd() const { return n_ == 0 ? nan : n_ == 1 ? 0.0 : std::sqrt(squares_ / static_cast<double>(n_ - 1)); }
  double min() const { return n_ == 0 ? nan : min_; }
  double max() const { return n_ == 0 ? nan : max_; }

 private:
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t n_ = 0;
  CompensatedSum sum_;
  double running_mean_ = 0, squares_ = 0, min_ = 0, max_ = 0;
};

}  // namespace prefline::stats
