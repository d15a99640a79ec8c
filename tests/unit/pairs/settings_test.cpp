#include "prefline/pairs/settings.hpp"

#include <gtest/gtest.h>

namespace {

using namespace prefline::pairs;

TEST(PairsSettings, ParsesEveryStrategyName) {
  EXPECT_EQ(parse_strategy("best-vs-rest"), Strategy::best_vs_rest);
  EXPECT_EQ(parse_strategy("best-vs-worst"), Strategy::best_vs_worst);
  EXPECT_EQ(parse_strategy("all-pairs"), Strategy::all_pairs);
  EXPECT_EQ(parse_strategy("adjacent"), Strategy::adjacent);
  EXPECT_EQ(parse_strategy("best-vs-random"), Strategy::best_vs_random);
  EXPECT_FALSE(parse_strategy("best_vs_rest").has_value());
  EXPECT_FALSE(parse_strategy("").has_value());
}

TEST(PairsSettings, DefaultsMatchTheHelp) {
  const Settings settings;
  EXPECT_EQ(settings.group, "challenge");
  EXPECT_EQ(settings.candidate, "model");
  EXPECT_EQ(settings.score, "overall");
  EXPECT_EQ(settings.min_votes, 1u);
  EXPECT_EQ(settings.stat, "mean");
  EXPECT_EQ(settings.strategy, Strategy::best_vs_rest);
  EXPECT_EQ(settings.min_margin, 0.5);
  EXPECT_EQ(settings.max_pairs, 0u);
  EXPECT_EQ(margin_tolerance, 1e-9);
}

}  // namespace
