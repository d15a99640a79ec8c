// votes/tally.hpp: comparisons in first-seen order, swapped sides counted for
// the same side by id, one vote a rater, texts gathered across votes.
#include "prefline/votes/tally.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using prefline::votes::RatedVote;
using prefline::votes::Shown;
using prefline::votes::Vote;
using votes_test::TallyRun;

Options judged_options() {
  Options options;
  options.rater = "judge";
  return options;
}

TEST(VotesTally, SwappedSidesCountForTheSameSide) {
  TallyRun run{Options{}};
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"a"})"), "");  // a vote for y
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"tie"})"), "");
  ASSERT_EQ(run.tally.comparisons().size(), 1u);
  const auto& c = run.tally.comparisons()[0];
  EXPECT_EQ(c.a_json, R"("x")");
  EXPECT_EQ(c.b_json, R"("y")");
  EXPECT_EQ(c.votes_for(Vote::a), 1u);
  EXPECT_EQ(c.votes_for(Vote::b), 1u);
  EXPECT_EQ(c.votes_for(Vote::tie), 1u);
  EXPECT_EQ(c.vote_count(), 3u);
  EXPECT_EQ(c.margin(), 0u);
  EXPECT_EQ(run.tally.vote_count(), 3u);
  EXPECT_EQ(run.tally.rater_count(), 3u);  // without --rater every vote is its own rater
  EXPECT_TRUE(run.tally.rater_names().empty());
  EXPECT_EQ(run.tally.model_names(), (std::vector<std::string>{R"("x")", R"("y")"}));
}

TEST(VotesTally, ComparisonsInFirstSeenOrderWithTypedKeys) {
  TallyRun run{Options{}};
  EXPECT_EQ(run.add(R"({"id":2,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_EQ(run.add(R"({"id":"2","model_a":"x","model_b":"y","winner":"a"})"), "");  // a string is not the number
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":1,"winner":"b"})"), "");
  EXPECT_EQ(run.add(R"({"id":2,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"1","winner":"b"})"), "");
  const auto& comparisons = run.tally.comparisons();
  ASSERT_EQ(comparisons.size(), 4u);
  EXPECT_EQ(comparisons[0].key_json, std::vector<std::string>{"2"});
  EXPECT_EQ(comparisons[0].votes_for(Vote::a), 2u);
  EXPECT_EQ(comparisons[0].margin(), 2u);
  EXPECT_EQ(comparisons[1].key_json, std::vector<std::string>{R"("2")"});
  EXPECT_EQ(comparisons[2].b_json, "1");
  EXPECT_EQ(comparisons[3].b_json, R"("1")");
  EXPECT_EQ(run.tally.model_names(), (std::vector<std::string>{R"("x")", R"("y")", "1", R"("1")"}));
  EXPECT_EQ(comparisons[2].a_model, 0u);
  EXPECT_EQ(comparisons[2].b_model, 2u);
}

TEST(VotesTally, BadRecordsSayWhyAndChangeNothing) {
  TallyRun run{judged_options()};
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a","judge":"j1"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"b","judge":"j1"})"),
            R"(the rater "j1" voted twice on this comparison)");
  EXPECT_EQ(run.add(R"({"model_a":"x","model_b":"y","winner":"a","judge":"j2"})"), "the --item field 'id' is missing");
  EXPECT_EQ(run.add(R"({"id":1,"model_b":"y","winner":"a","judge":"j2"})"), "the side field 'model_a' (--a) is missing");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","winner":"a","judge":"j2"})"), "the side field 'model_b' (--b) is missing");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":null,"model_b":"y","winner":"a","judge":"j2"})"),
            "'model_a' is null, not a string or number");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"x","winner":"a","judge":"j2"})"),
            R"(the same side "x" on both sides)");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"c","judge":"j2"})"),
            R"('winner' is "c", which --codes a=a,b=b,tie=tie does not name)");
  ASSERT_EQ(run.tally.comparisons().size(), 1u);
  EXPECT_EQ(run.tally.vote_count(), 1u);
  EXPECT_EQ(run.tally.rater_names(), std::vector<std::string>{R"("j1")"});
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"b","judge":"j2"})"), "");
  EXPECT_EQ(run.tally.comparisons()[0].raters, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(run.tally.comparisons()[0].votes_for(Vote::a), 2u);
  EXPECT_EQ(run.tally.rater_count(), 2u);
}

TEST(VotesTally, ManyRatersOnOneComparisonStillVoteOnce) {
  TallyRun run{judged_options()};
  constexpr int raters = 40;  // beyond the scan of a few raters: a set
  for (int r = 0; r < raters; ++r)
    EXPECT_EQ(run.add(fmt::format(R"({{"id":1,"model_a":"x","model_b":"y","winner":"a","judge":{}}})", r)), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"b","judge":5})"),
            "the rater 5 voted twice on this comparison");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"b","judge":"5"})"), "");  // another rater
  EXPECT_EQ(run.tally.comparisons()[0].vote_count(), 41u);
  EXPECT_TRUE(run.tally.comparisons()[0].has_rater(39));
  EXPECT_FALSE(run.tally.comparisons()[0].has_rater(41));
}

TEST(VotesTally, KeptVotesAndShownSidesFollowTheComparisonsOrder) {
  Options options = judged_options();
  options.shown = "left";
  options.criterion = "criterion";
  TallyRun run{options};
  run.tally.keep_votes();
  EXPECT_EQ(run.add(R"({"id":1,"criterion":"help","model_a":"x","model_b":"y","winner":"a","judge":"j1","left":"x"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"criterion":"safe","model_a":"x","model_b":"y","winner":"tie","judge":"j1"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"criterion":"help","model_a":"y","model_b":"x","winner":"a","judge":"j2","left":"a"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"criterion":7,"model_a":"x","model_b":"y","winner":"b","judge":"j2"})"), "");
  EXPECT_EQ(run.add(R"({"id":2,"model_a":"x","model_b":"y","winner":"b","judge":"j2"})"),
            "the criterion field 'criterion' (--criterion) is missing");
  const auto& comparisons = run.tally.comparisons();
  ASSERT_EQ(comparisons.size(), 3u);
  EXPECT_EQ(run.tally.criterion_names(), (std::vector<std::string>{R"("help")", R"("safe")", "7"}));
  EXPECT_EQ(comparisons[0].criterion_json, R"("help")");
  EXPECT_EQ(comparisons[2].criterion, 2u);
  const auto& rated = run.tally.rated();
  ASSERT_EQ(rated.size(), 4u);
  EXPECT_EQ(rated[2].comparison, 0u);
  EXPECT_EQ(rated[2].rater, 1u);
  EXPECT_EQ(rated[2].vote, Vote::b);  // j2 voted for y, side b of the comparison
  const auto& shown = run.tally.shown();
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].shown, Shown::a_first);
  EXPECT_EQ(shown[1].shown, Shown::b_first);  // y shown first: side b of the comparison
  EXPECT_EQ(shown[1].vote, Vote::b);
  EXPECT_EQ(run.tally.shown_comparison(1), 0u);
}

TEST(VotesTally, VotesAreNotKeptUnlessAsked) {
  TallyRun run{Options{}};
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_TRUE(run.tally.rated().empty());
  EXPECT_EQ(run.tally.comparisons()[0].vote_count(), 1u);
}

TEST(VotesTally, TextsComeFromAnyVoteOfTheComparison) {
  TallyRun run{votes_test::pair_options()};
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a","response_a":"X says"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"a","prompt":"Q","response_a":"Y says"})"), "");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"y","model_b":"x","winner":"a","response_b":"X said"})"),
            "'response_a' differs from an earlier vote's on this comparison");
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a","prompt":5})"),
            "'prompt' is a number, not a string or null");
  const auto& c = run.tally.comparisons()[0];
  EXPECT_EQ(c.prompt, "Q");
  EXPECT_EQ(c.text_a, "X says");
  EXPECT_EQ(c.text_b, "Y says");  // given as response_a of a vote with the sides swapped
  EXPECT_EQ(c.vote_count(), 2u);
}

TEST(VotesTally, DecisionFollowsTheRule) {
  Options options;
  options.min_margin = 2;
  TallyRun run{options};
  for (const char* winner : {"a", "a", "b", "tie"})
    EXPECT_EQ(run.add(fmt::format(R"({{"id":1,"model_a":"x","model_b":"y","winner":"{}"}})", winner)), "");
  EXPECT_EQ(prefline::votes::decision_of(run.settings, run.tally.comparisons()[0]), Vote::tie);  // 2 - 1 < 2
  EXPECT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_EQ(prefline::votes::decision_of(run.settings, run.tally.comparisons()[0]), Vote::a);
}

}  // namespace
