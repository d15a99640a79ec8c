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
  settings.by_path = {"overall"};
  pairs_test::ItemSet set(settings);
  for (std::size_t i = 0; i < scores.size(); ++i)
    EXPECT_EQ(set.add(fmt::format(R"({{"challenge":"c","model":"m{}","overall":{}}})", i, scores[i])), "");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const Pair& pair : pair_group(set.groups[0], set.items, settings)) out.emplace_back(pair.chosen, pair.rejected);
  return out;
}

using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

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

}  // namespace
