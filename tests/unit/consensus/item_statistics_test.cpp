#include "prefline/consensus/item_statistics.hpp"

#include <gtest/gtest.h>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::grade_of;

TEST(ConsensusItemStatistics, OnlyCompleteVotesCountByDefault) {
  Settings settings = consensus_test::default_settings();
  ItemTable table(settings);
  auto ann = grade_of("c", "m", "ann", {4, 2});
  auto bob = grade_of("c", "m", "bob", {2, 4});
  auto cat = grade_of("c", "m", "cat", {5, not_graded});  // incomplete: no vote
  table.add(ann);
  table.add(bob);
  table.add(cat);
  table.canonicalize();
  const ItemStatistics statistics(settings, table.items(), table.rater_names().size());
  const FinishedItem done = statistics.finish(0);
  EXPECT_EQ(done.summaries[0].n, 2u);
  EXPECT_EQ(done.summaries[0].mean, 3);
  EXPECT_EQ(done.summaries[1].mean, 3);
  ASSERT_TRUE(done.overall.has_value());
  EXPECT_EQ(*done.overall, 3);
  EXPECT_EQ(done.vote_count, 2u);
  EXPECT_EQ(done.raters, (std::vector<std::uint32_t>{0, 1, 2}));  // cat gave a score: a rater
  EXPECT_FALSE(done.low_votes);
  EXPECT_FALSE(done.high_variance);  // sd = sqrt(2) = 1.414 <= 1.5

  settings.partial_votes = true;
  const ItemStatistics partial(settings, table.items(), table.rater_names().size());
  EXPECT_EQ(partial.finish(0).summaries[0].n, 3u);
  EXPECT_DOUBLE_EQ(partial.finish(0).summaries[0].mean, 11.0 / 3);
}

TEST(ConsensusItemStatistics, FlagsAndWeightedOverall) {
  Settings settings = consensus_test::default_settings();
  settings.dimensions[1].weight = 3;
  settings.min_votes = 3;
  settings.max_sd = 1;
  ItemTable table(settings);
  auto ann = grade_of("c", "m", "ann", {5, 1});
  auto bob = grade_of("c", "m", "bob", {1, 1});
  table.add(ann);
  table.add(bob);
  table.canonicalize();
  const ItemStatistics statistics(settings, table.items(), table.rater_names().size());
  const FinishedItem done = statistics.finish(0);
  EXPECT_EQ(*done.overall, (3.0 * 1 + 1.0 * 3) / 4);  // technical mean 3 weight 1, aesthetic 1 weight 3
  EXPECT_TRUE(done.low_votes);
  EXPECT_TRUE(done.high_variance);
  EXPECT_EQ(statistics.rated_values(0).size(), 2u);
  EXPECT_EQ(statistics.rated_values(0)[0].value, 5);
}

TEST(ConsensusItemStatistics, AdditiveCalibrationRemovesARatersOffset) {
  Settings settings = consensus_test::default_settings();
  settings.dimensions.resize(1);
  settings.calibration = Calibration::additive;
  ItemTable table(settings);
  // bob grades everything 2 points above ann.
  for (auto [item, base] : {std::pair{"m1", 1.0}, std::pair{"m2", 3.0}}) {
    auto ann = grade_of("c", item, "ann", {base});
    auto bob = grade_of("c", item, "bob", {base + 2});
    table.add(ann);
    table.add(bob);
  }
  table.canonicalize();
  const ItemStatistics statistics(settings, table.items(), table.rater_names().size());
  EXPECT_NEAR(statistics.finish(0).summaries[0].sd, 0, 1e-9);
  EXPECT_NEAR(statistics.finish(0).summaries[0].mean, 2, 1e-9);
  EXPECT_NEAR(statistics.finish(1).summaries[0].mean, 4, 1e-9);
}

}  // namespace
