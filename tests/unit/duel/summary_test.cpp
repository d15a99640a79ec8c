// duel/summary.hpp: the gate's figures from hand-made totals, the JSON
// object and the stderr line.
#include "prefline/duel/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

prefline::duel::DuelTotals two_judges() {
  prefline::duel::DuelTotals totals;
  totals.done = 4;
  totals.deltas = {0.25, 0.25, 0.5};
  totals.resize(2, 2);
  // Judge 0 over 3 turns: metric sums 2.4 and 1.5; judge 1 over 2 turns: 2 and 1.
  totals.point_sums = {2.4, 1.5, 2, 1};
  totals.point_counts = {3, 2};
  totals.judge_score_sums = {210, 150};
  return totals;
}

TEST(DuelSummary, ScoresAndGate) {
  prefline::duel::GateOptions gate;
  gate.bootstrap = 200;
  const auto s = prefline::duel::summarise(two_judges(), 2, {1, 1}, gate);
  EXPECT_EQ(s.valid, 3u);
  EXPECT_EQ(s.valid_frac, 0.75);
  // Judge 0: means 0.8 and 0.5 -> 0.65; judge 1: 1 and 0.5 -> 0.75; mean 0.7.
  EXPECT_NEAR(s.challenger_score, 70, 1e-9);
  EXPECT_NEAR(s.king_score, 30, 1e-9);
  EXPECT_NEAR(s.win_margin, 40, 1e-9);
  EXPECT_TRUE(s.margin_ok);
  EXPECT_EQ(s.winner, "challenger");
  EXPECT_NEAR(s.by_judge[0], 70, 1e-12);
  EXPECT_NEAR(s.by_judge[1], 75, 1e-12);
  EXPECT_NEAR(s.by_metric[0], 90, 1e-9);
  EXPECT_NEAR(s.by_metric[1], 50, 1e-9);
  EXPECT_NEAR(s.mean_delta, 1.0 / 3, 1e-12);
  EXPECT_NEAR(s.se, std::sqrt((2 * std::pow(0.25 - 1.0 / 3, 2) + std::pow(0.5 - 1.0 / 3, 2)) / 2) / std::sqrt(3.0), 1e-12);
  EXPECT_GE(s.lcb, 0.25);
  EXPECT_FALSE(s.accepted);  // valid_frac 0.75 < 0.8
  gate.min_valid_frac = 0.7;
  EXPECT_TRUE(prefline::duel::summarise(two_judges(), 2, {1, 1}, gate).accepted);
}

TEST(DuelSummary, NoValidTurns) {
  prefline::duel::DuelTotals totals;
  totals.done = 2;
  totals.resize(1, 1);
  const auto s = prefline::duel::summarise(totals, 1, {1}, {});
  EXPECT_EQ(s.winner, "none");
  EXPECT_TRUE(std::isnan(s.challenger_score));
  EXPECT_FALSE(s.accepted);
  EXPECT_EQ(prefline::duel::summary_line("duel-judge", s),
            "duel-judge: 2 turns, 0 valid (0.00); challenger n/a vs king n/a (margin n/a); mean delta n/a, lcb n/a; "
            "not accepted\n");
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  prefline::duel::write_summary(json, s, {"j"}, {{"m", ""}}, 0.8, {{"j", "model", 3, 1, 0, 2}});
  EXPECT_EQ(out.view(),
            R"({"n_done":2,"n_valid":0,"valid_frac":0,"challenger_score":null,"king_score":null,"by_judge":{"j":null},)"
            R"("by_metric":{"m":null},"winner":"none","win_margin":null,"margin_ok":false,"mean_delta":null,"lcb":null,)"
            R"("se":null,"min_valid_frac":0.8,"accepted":false,"judges":[{"name":"j","model":"model","calls":3,)"
            R"("retries":1,"parse_failures":0,"failures":2}]})"
            "\n");
}

}  // namespace
