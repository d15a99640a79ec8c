// duel/turn_writer.hpp: the bytes of a judged turn, worked out by hand, and
// the same bytes whether numbers and verdicts come from its caches or not.
#include "prefline/duel/turn_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using prefline::duel::Order;
using prefline::duel::Vote;

struct Fixture {
  std::vector<prefline::duel::Metric> metrics{{"c", ""}, {"g", ""}};
  prefline::duel::JudgeTexts judges;
  std::vector<std::uint8_t> values{2, 0, 1, 1, 0, 0};
  std::vector<Vote> votes;
  Fixture() {
    judges.add("a");
    judges.add("b\"q");
    votes.push_back({0, Order::ab, true, 0, {}});
    votes.push_back({0, Order::ba, true, 2, {}});
    votes.push_back({1, Order::ab, false, 4, "HTTP 500"});
  }
};

// Judge a: ab [2,0] gives the challenger 1 and 0.5, ba [1,1] gives 1 and 1:
// c = 1, g = 0.75, judge score 87.5; judge b has no verdict.
const std::string expected_duel =
    R"("duel":{"score":87.5,"delta":0.375,"parsed":true,"by_metric":{"c":1,"g":0.75},"by_judge":{"a":87.5,"b\"q":null},)"
    R"("judgements":[{"judge":"a","order":"ab","verdict":{"c":2,"g":0}},{"judge":"a","order":"ba","verdict":{"c":1,"g":1}},)"
    R"({"judge":"b\"q","order":"ab","verdict":null,"error":"HTTP 500"}]}})"
    "\n";

TEST(DuelTurnWriter, WritesTheHandComputedTurn) {
  Fixture f;
  prefline::duel::TurnWriter writer(f.metrics, {1, 1}, 1);
  prefline::Buffer out;
  const auto& score = writer.write(out, R"({"x":1)", false, f.votes.data(), f.votes.size(), f.values.data(), 0, f.judges);
  EXPECT_EQ(out.view(), R"({"x":1,)" + expected_duel);
  EXPECT_TRUE(score.parsed);
  EXPECT_EQ(writer.turn_judges(), (std::vector<std::uint32_t>{0, 1}));
  // Again: numbers and the verdicts now come from the caches.
  out.clear();
  writer.write(out, R"({"x":1)", false, f.votes.data(), f.votes.size(), f.values.data(), 0, f.judges);
  EXPECT_EQ(out.view(), R"({"x":1,)" + expected_duel);
}

TEST(DuelTurnWriter, EmptyRecordAndUnparsedTurn) {
  Fixture f;
  prefline::duel::TurnWriter writer(f.metrics, {1, 1}, 0);  // 0: every judge must parse
  prefline::Buffer out;
  writer.write(out, "{", true, f.votes.data(), f.votes.size(), f.values.data(), 0, f.judges);
  const std::string text(out.view());
  EXPECT_EQ(text.rfind(R"({"duel":{"score":null,"delta":null,"parsed":false,"by_metric":{"c":null,"g":null},)", 0), 0u)
      << text;
}

TEST(DuelTurnWriter, PanelJudgesComeFirstEvenWithoutVotes) {
  Fixture f;
  prefline::duel::TurnWriter writer(f.metrics, {1, 1}, 1);
  prefline::Buffer out;
  const std::vector<Vote> votes{{1, Order::ab, true, 0, {}}};
  writer.write(out, "", false, votes.data(), votes.size(), f.values.data(), 1, f.judges);
  // Panel judge a (number 0) has no vote: null; b: ab [2,0] = 1 and 0.5.
  EXPECT_NE(std::string(out.view()).find(R"("by_judge":{"a":null,"b\"q":75})"), std::string::npos) << out.view();
}

}  // namespace
