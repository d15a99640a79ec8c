// duel/scoring.hpp: the allocation-free Scorer, checked against hand
// computations and against a second, deliberately naive implementation of
// the formulas of `duel-judge --help` (maps of lists, no reuse, no shortcuts).
#include "prefline/duel/scoring.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using prefline::duel::Order;
using prefline::duel::Scorer;
using prefline::duel::TurnScore;
using prefline::duel::Vote;

// The naive reference: judge j, metric m -> list of the challenger's points
// over the judge's parsed orders; everything recomputed from scratch.
struct Reference {
  bool parsed = false;
  std::optional<double> score;
  std::map<std::size_t, double> by_judge;  // only judges that parsed, 0..100
  std::vector<std::optional<double>> by_metric;
};

Reference reference_score(const std::vector<Vote>& votes, const std::vector<std::uint8_t>& values,
                          const std::vector<double>& weights, std::size_t panel, std::size_t min_judges) {
  const std::size_t metrics = weights.size();
  std::map<std::size_t, std::map<std::size_t, std::vector<double>>> points;
  for (const Vote& vote : votes) {
    if (!vote.has_verdict) continue;
    for (std::size_t m = 0; m < metrics; ++m) {
      const int verdict = values[vote.values + m];
      // MODEL 2 is the challenger in order ab, MODEL 1 in order ba.
      const int challenger = vote.order == Order::ab ? 2 : 1;
      points[vote.judge][m].push_back(verdict == 0 ? 0.5 : verdict == challenger ? 1.0 : 0.0);
    }
  }
  Reference result;
  result.by_metric.assign(metrics, std::nullopt);
  double total_weight = 0;
  for (double w : weights) total_weight += w;
  std::vector<double> metric_total(metrics, 0.0);
  double judge_total = 0;
  for (const auto& [judge, per_metric] : points) {
    double judge_score = 0;
    for (std::size_t m = 0; m < metrics; ++m) {
      const std::vector<double>& list = per_metric.at(m);
      double mean = 0;
      for (double p : list) mean += p;
      mean /= static_cast<double>(list.size());
      judge_score += weights[m] * mean / total_weight;
      metric_total[m] += mean;
    }
    result.by_judge[judge] = 100 * judge_score;
    judge_total += judge_score;
  }
  const std::size_t parsed = points.size();
  result.parsed = parsed > 0 && parsed >= (min_judges == 0 ? panel : min_judges);
  if (result.parsed) {
    result.score = 100 * judge_total / static_cast<double>(parsed);
    for (std::size_t m = 0; m < metrics; ++m) result.by_metric[m] = metric_total[m] / static_cast<double>(parsed);
  }
  return result;
}

TEST(DuelScorer, HandComputedTurn) {
  // Two judges, two metrics weighted 3:1, both orders.
  // Judge 0: ab {2,0} -> (1, 0.5); ba {2,1} -> (0, 1): means (0.5, 0.75);
  //          score = (3 x 0.5 + 1 x 0.75) / 4 = 0.5625.
  // Judge 1: ab {1,1} -> (0, 0); ba unparsed: means (0, 0); score 0.
  // Turn: 100 x (0.5625 + 0) / 2 = 28.125; by_metric (0.25, 0.375).
  const std::vector<std::uint8_t> values = {2, 0, 2, 1, 1, 1};
  const std::vector<Vote> votes = {
      {0, Order::ab, true, 0, {}}, {0, Order::ba, true, 2, {}}, {1, Order::ab, true, 4, {}}, {1, Order::ba, false, 0, "x"}};
  Scorer scorer({3, 1}, 0);
  const TurnScore& turn = scorer.score(votes.data(), votes.size(), values.data(), 2);
  ASSERT_TRUE(turn.parsed);
  EXPECT_DOUBLE_EQ(*turn.score, 28.125);
  EXPECT_DOUBLE_EQ(*turn.delta, 0.28125 - 0.5);
  EXPECT_DOUBLE_EQ(*turn.by_judge[0], 56.25);
  EXPECT_DOUBLE_EQ(*turn.by_judge[1], 0);
  EXPECT_DOUBLE_EQ(*turn.by_metric[0], 0.25);
  EXPECT_DOUBLE_EQ(*turn.by_metric[1], 0.375);
  EXPECT_DOUBLE_EQ(turn.points[0 * 2 + 1], 0.75);
}

TEST(DuelScorer, JudgeWithoutVerdictMakesTheTurnUnparsedUnlessMinJudgesAllows) {
  const std::vector<std::uint8_t> values = {2};
  const std::vector<Vote> votes = {{0, Order::ab, true, 0, {}}, {1, Order::ab, false, 0, "no reply"}};
  Scorer all({1}, 0);
  const TurnScore& strict = all.score(votes.data(), votes.size(), values.data(), 2);
  EXPECT_FALSE(strict.parsed);
  EXPECT_FALSE(strict.score.has_value());
  EXPECT_DOUBLE_EQ(*strict.by_judge[0], 100);  // the judge that parsed is still reported
  EXPECT_FALSE(strict.by_judge[1].has_value());
  EXPECT_TRUE(std::isnan(strict.points[1]));
  Scorer one({1}, 1);
  const TurnScore& relaxed = one.score(votes.data(), votes.size(), values.data(), 2);
  ASSERT_TRUE(relaxed.parsed);
  EXPECT_DOUBLE_EQ(*relaxed.score, 100);
}

TEST(DuelScorer, AgreesWithTheNaiveReferenceOnRandomTurns) {
  std::mt19937_64 random(20261122);
  Scorer scorer({1, 2, 0.5, 1, 3}, 0);
  Scorer relaxed({1, 2, 0.5, 1, 3}, 2);
  const std::vector<double> weights = {1, 2, 0.5, 1, 3};
  for (int round = 0; round < 5000; ++round) {
    const std::size_t panel = 1 + random() % 4;
    std::vector<Vote> votes;
    std::vector<std::uint8_t> values;
    const std::size_t count = random() % 10;
    for (std::size_t i = 0; i < count; ++i) {
      Vote vote;
      vote.judge = static_cast<std::uint32_t>(random() % panel);
      vote.order = random() % 2 ? Order::ab : Order::ba;
      vote.has_verdict = random() % 5 != 0;
      vote.values = static_cast<std::uint32_t>(values.size());
      for (int m = 0; m < 5; ++m) values.push_back(static_cast<std::uint8_t>(random() % 3));
      votes.push_back(vote);
    }
    for (Scorer* s : {&scorer, &relaxed}) {
      const std::size_t min_judges = s == &scorer ? 0 : 2;
      const TurnScore& got = s->score(votes.data(), votes.size(), values.data(), panel);
      const Reference want = reference_score(votes, values, weights, panel, min_judges);
      ASSERT_EQ(got.parsed, want.parsed) << "round " << round;
      ASSERT_EQ(got.score.has_value(), want.score.has_value());
      if (want.score) {
        EXPECT_NEAR(*got.score, *want.score, 1e-9) << "round " << round;
      }
      for (std::size_t j = 0; j < panel; ++j) {
        const auto it = want.by_judge.find(j);
        ASSERT_EQ(got.by_judge[j].has_value(), it != want.by_judge.end());
        if (it != want.by_judge.end()) {
          EXPECT_NEAR(*got.by_judge[j], it->second, 1e-9);
        }
      }
      for (std::size_t m = 0; m < 5; ++m) {
        ASSERT_EQ(got.by_metric[m].has_value(), want.by_metric[m].has_value());
        if (want.by_metric[m]) {
          EXPECT_NEAR(*got.by_metric[m], *want.by_metric[m], 1e-12);
        }
      }
    }
  }
}

}  // namespace
