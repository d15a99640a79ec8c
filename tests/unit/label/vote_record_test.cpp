#include "prefline/label/vote_record.hpp"

#include <gtest/gtest.h>

namespace {

using prefline::label::Winner;

TEST(VoteRecord, WrittenInTheVotesSchema) {
  prefline::label::VoteRecord vote;
  vote.key = {{"id", "7"}, {"challenge", "\"add\""}};
  vote.model_a = "chosen";
  vote.model_b = "rejected";
  vote.winner = Winner::b;
  vote.rater = "alice";
  vote.criterion = "safety";
  vote.b_shown_first = true;
  vote.voted_at_ms = 1748962380211;
  prefline::Buffer out;
  prefline::label::write_vote(out, vote);
  EXPECT_EQ(out.view(),
            R"({"id":7,"challenge":"add","model_a":"chosen","model_b":"rejected","winner":"b","rater":"alice",)"
            R"("criterion":"safety","shown":"b","votedAt":"2025-06-03T14:53:00.211Z"})"
            "\n");
}

TEST(VoteRecord, OverallWhenNoCriterion) {
  prefline::label::VoteRecord vote;
  vote.key = {{"id", "1"}};
  prefline::Buffer out;
  prefline::label::write_vote(out, vote);
  EXPECT_NE(out.view().find(R"("winner":"tie","rater":"","criterion":"overall","shown":"a")"), std::string_view::npos);
}

TEST(VoteRecord, ShownSidesMapBackToStoredSides) {
  EXPECT_EQ(prefline::label::winner_from_shown("left", false), Winner::a);
  EXPECT_EQ(prefline::label::winner_from_shown("left", true), Winner::b);
  EXPECT_EQ(prefline::label::winner_from_shown("right", false), Winner::b);
  EXPECT_EQ(prefline::label::winner_from_shown("right", true), Winner::a);
  EXPECT_EQ(prefline::label::winner_from_shown("equal", true), Winner::tie);
}

}  // namespace
