#include "prefline/votes/bradley_terry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace {

using namespace prefline::votes;

std::vector<Battle> battles_of(std::initializer_list<Battle> list) { return std::vector<Battle>(list); }

TEST(VotesBradleyTerry, TwoModelsHaveTheClosedForm) {
  // 2 wins of model 0, 1 tie, 1 win of model 1: w_01 = 2.5, w_10 = 1.5, so theta_0 - theta_1 =
  // ln(2.5 / 1.5); around a mean of 1000 the ratings are 1000 +- (400 / ln 10) ln(5/3) / 2.
  const auto battles = battles_of({{0, 1, Vote::a}, {1, 0, Vote::b}, {0, 1, Vote::tie}, {1, 0, Vote::a}});
  const auto pairs = aggregate_battles(battles, 2);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].counts[index_of(Vote::a)], 2);
  EXPECT_EQ(pairs[0].counts[index_of(Vote::tie)], 1);
  EXPECT_EQ(pairs[0].counts[index_of(Vote::b)], 1);
  const Fit fit = fit_bradley_terry(pairs, 2);
  ASSERT_TRUE(fit.fitted);
  const double half_gap = 400 / std::numbers::ln10 * std::log(5.0 / 3) / 2;
  EXPECT_NEAR(fit.ratings[0], 1000 + half_gap, 1e-9);
  EXPECT_NEAR(fit.ratings[1], 1000 - half_gap, 1e-9);
  EXPECT_NEAR(fit.log_strength[1] - fit.log_strength[0], -std::log(5.0 / 3), 1e-12);

  FitOptions anchored;
  anchored.anchor = 1;
  anchored.anchor_rating = 1200;
  const Fit moved = fit_bradley_terry(pairs, 2, anchored);
  EXPECT_DOUBLE_EQ(moved.ratings[1], 1200);
  EXPECT_NEAR(moved.ratings[0], 1200 + 2 * half_gap, 1e-9);
}

TEST(VotesBradleyTerry, ThreeModelsInACycleAreEqual) {
  const auto battles = battles_of({{0, 1, Vote::a}, {1, 2, Vote::a}, {2, 0, Vote::a}});
  const Fit fit = fit_bradley_terry(aggregate_battles(battles, 3), 3);
  ASSERT_TRUE(fit.fitted);
  for (double rating : fit.ratings) EXPECT_NEAR(rating, 1000, 1e-9);
}

TEST(VotesBradleyTerry, MissingEstimateNamesTheModels) {
  // Model 2 never loses, model 3 never wins, model 4 never plays.
  const auto battles = battles_of({{0, 1, Vote::a}, {1, 0, Vote::a}, {2, 0, Vote::a}, {1, 3, Vote::a}});
  const Fit fit = fit_bradley_terry(aggregate_battles(battles, 5), 5);
  EXPECT_FALSE(fit.fitted);
  EXPECT_TRUE(fit.ratings.empty());
  EXPECT_EQ(fit.existence.never_lost, std::vector<std::size_t>{2});
  EXPECT_EQ(fit.existence.never_won, std::vector<std::size_t>{3});
  EXPECT_EQ(fit.existence.unplayed, std::vector<std::size_t>{4});
}

TEST(VotesBradleyTerry, DisconnectedGroupsAreReported) {
  // {0, 1} and {2, 3} each have wins both ways, but never met: every model won and lost.
  const auto battles = battles_of({{0, 1, Vote::a}, {0, 1, Vote::b}, {3, 2, Vote::tie}});
  const Existence existence = check_existence(aggregate_battles(battles, 4), 4);
  EXPECT_FALSE(existence.exists);
  EXPECT_TRUE(existence.never_won.empty() && existence.never_lost.empty());
  const std::vector<std::vector<std::size_t>> groups{{0, 1}, {2, 3}};
  EXPECT_EQ(existence.components, groups);
}

TEST(VotesBradleyTerry, OneWayChainIsNotStronglyConnected) {
  // 0 beats 1 beats 2, and 1 and 2 also drew: {1, 2} never beat 0.
  const auto battles = battles_of({{0, 1, Vote::a}, {1, 2, Vote::a}, {1, 2, Vote::tie}});
  const Existence existence = check_existence(aggregate_battles(battles, 3), 3);
  EXPECT_FALSE(existence.exists);
  EXPECT_EQ(existence.never_lost, std::vector<std::size_t>{0});
  const std::vector<std::vector<std::size_t>> groups{{0}, {1, 2}};
  EXPECT_EQ(existence.components, groups);
}

TEST(VotesBradleyTerry, PriorMakesTheEstimateExist) {
  // One battle, model 0 wins. With W = 2 virtual games each against the reference at theta = 0,
  // the score equations are 1 - s(t0 - t1) + 1 - 2 s(t0) = 0 and -(1 - s(t0 - t1)) + 1 - 2 s(t1) = 0:
  // by symmetry t1 = -t0, so 1 - s(2 t0) = 2 s(t0) - 1, solved here by bisection.
  const auto battles = battles_of({{0, 1, Vote::a}});
  FitOptions options;
  options.prior = 2;
  const Fit fit = fit_bradley_terry(aggregate_battles(battles, 2), 2, options);
  ASSERT_TRUE(fit.fitted);
  EXPECT_FALSE(fit.existence.exists);
  auto s = [](double x) { return 1 / (1 + std::exp(-x)); };
  double low = 0, high = 5;
  for (int i = 0; i < 200; ++i) {
    const double mid = (low + high) / 2;
    (1 - s(2 * mid) > 2 * s(mid) - 1 ? low : high) = mid;
  }
  EXPECT_NEAR(fit.log_strength[0], low, 1e-10);
  EXPECT_NEAR(fit.log_strength[1], -low, 1e-10);
  EXPECT_NEAR(fit.ratings[0] + fit.ratings[1], 2000, 1e-9);
}

TEST(VotesBradleyTerry, RejectsBadInput) {
  EXPECT_THROW(aggregate_battles(battles_of({{0, 0, Vote::a}}), 1), std::invalid_argument);
  EXPECT_THROW(aggregate_battles(battles_of({{0, 2, Vote::a}}), 2), std::invalid_argument);
  FitOptions negative;
  negative.prior = -1;
  EXPECT_THROW(fit_bradley_terry({}, 2, negative), std::invalid_argument);
  FitOptions far;
  far.anchor = 5;
  EXPECT_THROW(fit_bradley_terry({}, 2, far), std::invalid_argument);
}

TEST(VotesPercentile, LinearBetweenOrderStatistics) {
  const std::vector<double> sorted{1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 0.25), 2);
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 0.975), 4.9);
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 0.025), 1.1);
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 1), 5);
  EXPECT_TRUE(std::isnan(percentile_of_sorted({}, 0.5)));
}

TEST(VotesBootstrap, ReproducibleAndAnchoredAtAPoint) {
  std::vector<Battle> battles;
  for (int k = 0; k < 30; ++k) {
    battles.push_back({0, 1, k % 3 == 0 ? Vote::b : Vote::a});
    battles.push_back({1, 2, k % 4 == 0 ? Vote::tie : Vote::a});
    battles.push_back({2, 0, k % 5 == 0 ? Vote::a : Vote::b});
  }
  FitOptions options;
  const BootstrapResult first = bootstrap_bradley_terry(battles, 3, options, 50, 42);
  const BootstrapResult again = bootstrap_bradley_terry(battles, 3, options, 50, 42);
  const BootstrapResult other = bootstrap_bradley_terry(battles, 3, options, 50, 43);
  const Fit fit = fit_bradley_terry(aggregate_battles(battles, 3), 3, options);
  EXPECT_EQ(first.rounds, 50u);
  EXPECT_EQ(first.failed_rounds, 0u);
  for (std::size_t m = 0; m < 3; ++m) {
    EXPECT_EQ(first.intervals[m].low, again.intervals[m].low);
    EXPECT_EQ(first.intervals[m].high, again.intervals[m].high);
    EXPECT_LT(first.intervals[m].low, fit.ratings[m]);
    EXPECT_GT(first.intervals[m].high, fit.ratings[m]);
  }
  EXPECT_NE(first.intervals[0].low, other.intervals[0].low);
  options.anchor = 0;
  const BootstrapResult anchored = bootstrap_bradley_terry(battles, 3, options, 20, 42);
  EXPECT_EQ(anchored.intervals[0].low, 1000);
  EXPECT_EQ(anchored.intervals[0].high, 1000);
}

TEST(VotesBootstrap, RoundsWithoutAnEstimateAreCounted) {
  // One win each way: a resample of both battles often repeats one of them, and then one model
  // never lost. Those rounds are counted, not fitted.
  const auto battles = battles_of({{0, 1, Vote::a}, {0, 1, Vote::b}});
  const BootstrapResult result = bootstrap_bradley_terry(battles, 2, FitOptions{}, 40, 1);
  EXPECT_GT(result.failed_rounds, 0u);
  EXPECT_LT(result.failed_rounds, 40u);
  const BootstrapResult none = bootstrap_bradley_terry({}, 2, FitOptions{}, 5, 1);
  EXPECT_EQ(none.failed_rounds, 5u);
  EXPECT_TRUE(std::isnan(none.intervals[0].low));
}

}  // namespace
