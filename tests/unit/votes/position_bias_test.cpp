#include "prefline/votes/position_bias.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using namespace prefline::votes;

double four_places(double x) { return std::round(x * 10000) / 10000; }

// Newcombe 1998, "Two-sided confidence intervals for the single proportion", Table I, method 3.
TEST(VotesWilson, NewcombeTableOne) {
  const struct {
    std::size_t k, n;
    double low, high;
  } rows[] = {{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611}, {1, 29, 0.0061, 0.1718}};
  for (const auto& row : rows) {
    const Proportion p = wilson_interval(row.k, row.n);
    EXPECT_DOUBLE_EQ(p.share, static_cast<double>(row.k) / static_cast<double>(row.n));
    EXPECT_EQ(four_places(p.low), row.low) << row.k << "/" << row.n;
    EXPECT_EQ(four_places(p.high), row.high) << row.k << "/" << row.n;
  }
}

TEST(VotesWilson, EdgesAndErrors) {
  const Proportion none = wilson_interval(0, 0);
  EXPECT_TRUE(std::isnan(none.share) && std::isnan(none.low) && std::isnan(none.high));
  const Proportion all = wilson_interval(5, 5);
  EXPECT_EQ(all.high, 1.0);
  EXPECT_LT(all.low, 1.0);
  EXPECT_THROW(wilson_interval(3, 2), std::invalid_argument);
}

TEST(VotesPositionBias, CountsFirstShownSideAndLeavesTiesOut) {
  const std::vector<ShownVote> votes{
      {0, Vote::a, Shown::a_first},    // first
      {0, Vote::b, Shown::b_first},    // first
      {0, Vote::a, Shown::b_first},    // second
      {0, Vote::tie, Shown::a_first},  // tie
      {1, Vote::b, Shown::a_first},    // second
  };
  const PositionBias bias = position_bias(votes, 3);
  EXPECT_EQ(bias.overall.first, 2u);
  EXPECT_EQ(bias.overall.second, 2u);
  EXPECT_EQ(bias.overall.ties, 1u);
  EXPECT_DOUBLE_EQ(bias.overall.first_share.share, 0.5);
  EXPECT_EQ(bias.per_rater[0].first, 2u);
  EXPECT_EQ(bias.per_rater[0].second, 1u);
  EXPECT_DOUBLE_EQ(bias.per_rater[0].first_share.share, 2.0 / 3);
  EXPECT_EQ(bias.per_rater[1].second, 1u);
  EXPECT_DOUBLE_EQ(bias.per_rater[1].first_share.share, 0.0);
  EXPECT_TRUE(std::isnan(bias.per_rater[2].first_share.share));  // no votes
  const std::vector<ShownVote> outside{{3, Vote::a, Shown::a_first}};
  EXPECT_THROW(position_bias(outside, 3), std::invalid_argument);
}

}  // namespace
