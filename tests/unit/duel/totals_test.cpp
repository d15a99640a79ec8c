// duel/totals.hpp: tallies of scored turns added to the run's totals, with
// a block's judge numbers mapped to the run's.
#include "prefline/duel/totals.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using prefline::duel::Order;
using prefline::duel::Vote;

TEST(DuelTotals, AddsParsedTurnsByRunJudgeNumbers) {
  prefline::duel::Scorer scorer({1.0}, 1);
  prefline::duel::Tallies tallies;
  const std::vector<std::uint8_t> values{2, 1, 0};
  // Turn 1: block judge 0 (ab: 2 -> 1 point); turn 2: block judges 0 (ba: 1 -> 1) and 1 (ab: 0 -> 0.5).
  std::vector<Vote> turn1{{0, Order::ab, true, 0, {}}};
  tallies.add(scorer.score(turn1.data(), 1, values.data(), 1), {0}, 1);
  std::vector<Vote> turn2{{0, Order::ba, true, 1, {}}, {1, Order::ab, true, 2, {}}};
  tallies.add(scorer.score(turn2.data(), 2, values.data(), 2), {0, 1}, 1);
  std::vector<Vote> unparsed{{0, Order::ab, false, 0, "HTTP 500"}};
  tallies.add(scorer.score(unparsed.data(), 1, values.data(), 1), {0}, 1);
  ASSERT_EQ(tallies.deltas.size(), 2u);
  EXPECT_EQ(tallies.deltas[0], 0.5);
  EXPECT_EQ(tallies.deltas[1], 0.25);

  prefline::duel::DuelTotals totals;
  totals.resize(3, 1);
  const std::uint32_t to_run[] = {2, 0};  // block judge 0 is run judge 2
  totals.add(tallies, to_run, 1);
  EXPECT_EQ(totals.deltas, (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(totals.point_counts, (std::vector<std::uint64_t>{1, 0, 2}));
  EXPECT_EQ(totals.point_sums, (std::vector<double>{0.5, 0, 2}));
  EXPECT_EQ(totals.judge_score_sums, (std::vector<double>{50, 0, 200}));
}

TEST(DuelTotals, AddTurnCountsEveryTurnAndTalliesParsedOnes) {
  prefline::duel::Scorer scorer({1.0}, 0);
  prefline::duel::DuelTotals totals;
  totals.resize(1, 1);
  const std::vector<std::uint8_t> values{0};
  const std::vector<Vote> draw{{0, Order::ab, true, 0, {}}};
  totals.add_turn(scorer.score(draw.data(), 1, values.data(), 1), {0}, 1);
  const std::vector<Vote> failed{{0, Order::ab, false, 0, "x"}};
  totals.add_turn(scorer.score(failed.data(), 1, values.data(), 1), {0}, 1);
  EXPECT_EQ(totals.done, 2u);
  EXPECT_EQ(totals.deltas, (std::vector<double>{0}));
  EXPECT_EQ(totals.point_sums, (std::vector<double>{0.5}));
  EXPECT_EQ(totals.judge_score_sums, (std::vector<double>{50}));
}

}  // namespace
