// Position bias of raters who see the two sides of a comparison one after the other (left / right,
// first / second): the share of decided votes that went to the side shown first, with its 95 % Wilson
// score interval, per rater and over all votes. An unbiased rater's share is near 0.5.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "prefline/votes/pairwise_agreement.hpp"

namespace prefline::votes {

// z for a two-sided 95 % interval: the standard normal quantile at 0.975.
inline constexpr double wilson_z95 = 1.959963984540054;

struct Proportion {
  double share;  // successes / trials; NaN without trials
  double low;    // Wilson score interval; both NaN without trials
  double high;
};

// The Wilson score interval (Wilson 1927; Newcombe 1998, method 3), without continuity correction:
//   p = k / n,  centre = (p + z^2 / (2n)) / (1 + z^2 / n),
//   half width = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
// It stays inside [0, 1] (clamped against rounding) and is not degenerate at k = 0 or k = n.
inline Proportion wilson_interval(std::size_t successes, std::size_t trials, double z = wilson_z95) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (successes > trials) throw std::invalid_argument("wilson_interval: more successes than trials");
  if (trials == 0) return Proportion{nan, nan, nan};
  const auto n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return Proportion{p, std::fmax(0.0, centre - half), std::fmin(1.0, centre + half)};
}

// Which side a rater saw first.
enum class Shown : unsigned char { a_first, b_first };

struct ShownVote {
  std::size_t rater;
  Vote vote;
  Shown shown;
};

struct PositionCounts {
  std::size_t first = 0;   // decided votes for the side shown first
  std::size_t second = 0;  // decided votes for the side shown second
  std::size_t ties = 0;    // tie votes: counted, but in neither share nor interval
  Proportion first_share{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::quiet_NaN()};  // first / (first + second), Wilson 95 %
};

struct PositionBias {
  PositionCounts overall;
  std::vector<PositionCounts> per_rater;  // index = rater
};

// Ties are left out of the share because a tie favours neither position: counting it as half a
// vote for each would pull every rater towards 0.5 by their tie rate, hiding a bias among the votes
// that did pick a side. Votes whose shown order is unknown are simply not passed in.
inline PositionBias position_bias(std::span<const ShownVote> votes, std::size_t raters) {
  PositionBias result;
  result.per_rater.resize(raters);
  for (const ShownVote& v : votes) {
    if (v.rater >= raters) throw std::invalid_argument("position_bias: rater index out of range");
    PositionCounts& rater = result.per_rater[v.rater];
    if (v.vote == Vote::tie) {
      ++rater.ties;
      ++result.overall.ties;
      continue;
    }
    const bool for_first = (v.vote == Vote::a) == (v.shown == Shown::a_first);
    ++(for_first ? rater.first : rater.second);
    ++(for_first ? result.overall.first : result.overall.second);
  }
  auto finish = [](PositionCounts& counts) {
    counts.first_share = wilson_interval(counts.first, counts.first + counts.second);
  };
  finish(result.overall);
  for (PositionCounts& rater : result.per_rater) finish(rater);
  return result;
}

}  // namespace prefline::votes
