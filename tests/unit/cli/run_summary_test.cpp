#include "prefline/cli/run_summary.hpp"

#include <gtest/gtest.h>

namespace {

TEST(RunSummary, SilentWhenNothingWasLeftOut) {
  prefline::RunSummary summary("consensus", "items");
  summary.set_read(15);
  summary.set_written(15);
  EXPECT_EQ(summary.line(), "");
  prefline::RunSummary empty_input("consensus", "items");
  EXPECT_EQ(empty_input.line(), "");
}

TEST(RunSummary, OneRuleWithItsFix) {
  prefline::RunSummary summary("consensus", "items");
  summary.set_read(15);
  summary.set_written(10);
  summary.left_out("low_votes", 5, "no complete grade", "--keep-low keeps them");
  summary.left_out("unused", 0, "never counted");
  EXPECT_EQ(summary.line(), "consensus: 15 items, 10 written, 5 left out: low_votes (no complete grade); --keep-low keeps them");
}

TEST(RunSummary, SeveralRulesAndOtherUnits) {
  prefline::RunSummary summary("pairup", "items", "pairs");
  summary.set_read(12);
  summary.set_written(4);
  summary.left_out("low_votes", 3, "vote_count < 1", "--min-votes 0 keeps them");
  summary.left_out("no_score", 2, "'overall' null or missing");
  EXPECT_EQ(summary.left_out_total(), 5u);
  EXPECT_EQ(summary.line(),
            "pairup: 12 items, 4 pairs written, 5 items left out: 3 low_votes (vote_count < 1; --min-votes 0 keeps "
            "them), 2 no_score ('overall' null or missing)");
}

TEST(RunSummary, AnEmptyResultSaysWhy) {
  prefline::RunSummary summary("pairup", "items", "pairs");
  summary.set_read(3);
  summary.set_written(0);
  summary.set_empty_reason("no group has two items with different scores");
  EXPECT_EQ(summary.line(), "pairup: 3 items, 0 pairs written: no group has two items with different scores");
}

}  // namespace

namespace {
TEST(RunSummary, JsonFormForDrivers) {
  prefline::RunSummary summary("pairup", "items", "pairs");
  summary.set_read(12);
  summary.set_written(4);
  summary.left_out("low_votes", 3, "vote_count < 1", "--min-votes 0 keeps them");
  EXPECT_EQ(summary.json(),
            R"({"tool":"pairup","read":12,"read_unit":"items","written":4,"written_unit":"pairs","left_out":[)"
            R"({"name":"low_votes","count":3,"detail":"vote_count < 1","fix":"--min-votes 0 keeps them"}],"empty_reason":""})");
}
}  // namespace

namespace {
TEST(RunSummary, OneOfAUnitIsSingular) {
  prefline::RunSummary summary("pairup", "items", "pairs");
  summary.set_read(1);
  summary.set_written(0);
  summary.left_out("alone", 1, "the only item of its group");
  EXPECT_EQ(summary.line(), "pairup: 1 item, 0 pairs written, 1 item left out: alone (the only item of its group)");
}
}  // namespace
