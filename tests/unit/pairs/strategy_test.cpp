#include "prefline/pairs/strategy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

// Items m0.. of one group with these overall scores, in input order.
std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs_of(Settings settings, const std::vector<double>& scores) {
  settings.score_path = {"overall"};
  settings.min_votes = 0;  // the items have no vote_count
  pairs_test::ItemSet set(settings);
  for (std::size_t i = 0; i < scores.size(); ++i)
    EXPECT_EQ(set.add(fmt::format(R"({{"challenge":"c","model":"m{}","overall":{}}})", i, scores[i])), "");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const Pair& pair : pair_group(set.groups[0], set.items, settings)) out.emplace_back(pair.chosen, pair.rejected);
  return out;
}

using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Why the items of one group with these overall scores are in no pair.
LeftOut left_out_of(Settings settings, const std::vector<double>& scores) {
  settings.score_path = {"overall"};
  settings.min_votes = 0;
  pairs_test::ItemSet set(settings);
  for (std::size_t i = 0; i < scores.size(); ++i)
    EXPECT_EQ(set.add(fmt::format(R"({{"challenge":"c","model":"m{}","overall":{}}})", i, scores[i])), "");
  LeftOut left_out;
  count_left_out(set.groups[0], set.items, settings, pair_group(set.groups[0], set.items, settings), left_out);
  return left_out;
}

TEST(PairsStrategy, BestVsRestHonoursTheMarginWithTolerance) {
  Settings settings;
  settings.min_margin = 0.4;
  // 3 - 2.6 is 0.3999999999999999: it still reaches 0.4.
  EXPECT_EQ(pairs_of(settings, {2.6, 3, 2.8, 1}), (Pairs{{1, 0}, {1, 3}}));
}

TEST(PairsStrategy, WorstAllPairsAndAdjacent) {
  Settings settings;
  settings.strategy = Strategy::best_vs_worst;
  EXPECT_EQ(pairs_of(settings, {3, 5, 1}), (Pairs{{1, 2}}));
  settings.strategy = Strategy::all_pairs;
  EXPECT_EQ(pairs_of(settings, {3, 5, 1, 3}), (Pairs{{1, 0}, {1, 3}, {1, 2}, {0, 2}, {3, 2}}));
  settings.strategy = Strategy::adjacent;
  EXPECT_EQ(pairs_of(settings, {3, 5, 1, 3}), (Pairs{{1, 0}, {0, 2}, {3, 2}}));
  settings.max_pairs = 2;
  EXPECT_EQ(pairs_of(settings, {3, 5, 1, 3}), (Pairs{{1, 0}, {0, 2}}));
}

TEST(PairsStrategy, BestVsRandomDependsOnSeedOnly) {
  Settings settings;
  settings.strategy = Strategy::best_vs_random;
  const std::vector<double> scores = {5, 1, 2, 3, 4, 0};
  const Pairs first = pairs_of(settings, scores);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].first, 0u);
  EXPECT_EQ(pairs_of(settings, scores), first);  // reproducible
  std::vector<std::uint32_t> picks;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    settings.seed = seed;
    picks.push_back(pairs_of(settings, scores)[0].second);
  }
  std::sort(picks.begin(), picks.end());
  picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
  EXPECT_GT(picks.size(), 1u);  // the seed moves the pick
}

TEST(PairsStrategy, CountsWhyItemsAreInNoPair) {
  Settings settings;
  LeftOut one = left_out_of(settings, {4});
  EXPECT_EQ(one.alone, 1u);
  LeftOut tied = left_out_of(settings, {3, 3, 3});
  EXPECT_EQ(tied.all_tied, 3u);
  EXPECT_EQ(tied.alone, 0u);
  // best-vs-rest, margin 0.5: 5 pairs with 3 and 1; 4.8 is too close to 5;
  // the second 5 ties the top.
  LeftOut rest = left_out_of(settings, {5, 4.8, 3, 5, 1});
  EXPECT_EQ(rest.below_margin, 1u);
  EXPECT_EQ(rest.not_paired, 1u);
  EXPECT_EQ(rest.over_max_pairs, 0u);
  settings.max_pairs = 1;
  LeftOut limited = left_out_of(settings, {5, 3, 1});
  EXPECT_EQ(limited.over_max_pairs, 1u);
  settings.max_pairs = 0;
  settings.strategy = Strategy::best_vs_worst;
  LeftOut worst = left_out_of(settings, {5, 3, 2, 1});
  EXPECT_EQ(worst.not_paired, 2u);  // the middle items
  EXPECT_EQ(worst.below_margin, 0u);
  settings.strategy = Strategy::best_vs_random;
  LeftOut random = left_out_of(settings, {5, 3, 2, 4.9});
  EXPECT_EQ(random.not_paired, 1u);    // one of 3 and 2 is drawn, the other is not
  EXPECT_EQ(random.below_margin, 1u);  // 4.9
}

}  // namespace
