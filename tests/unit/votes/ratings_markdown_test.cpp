// votes/ratings_markdown.hpp: the Markdown leaderboard of fitted ratings.
#include "prefline/votes/ratings_markdown.hpp"

#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using votes_test::TallyRun;

std::string leaderboard(const Options& options) {
  TallyRun run{options};
  run.tally.keep_votes();
  // "x*1" beats 7 three times to once, with two ties: 400 log10 2 = 120.4 points apart.
  for (const char* winner : {"a", "a", "b", "a", "tie", "tie"})
    EXPECT_EQ(run.add(fmt::format(R"({{"id":1,"model_a":"x*1","model_b":7,"winner":"{}"}})", winner)), "");
  const auto r = prefline::votes::fit_ratings(run.options, run.settings, run.tally);
  prefline::Buffer out;
  prefline::votes::write_ratings_markdown(out, run.options, run.tally, r);
  return votes_test::text_of(out);
}

const char* const leaderboard_head =
    "| Rank | Model | Rating | 95 % interval | Battles | Wins | Losses | Ties |\n"
    "|---:|---|---:|---|---:|---:|---:|---:|\n";

TEST(VotesRatingsMarkdown, MeanRatingWithoutIntervals) {
  EXPECT_EQ(leaderboard(Options{}),
            std::string("Bradley-Terry ratings from 6 battles (a tie is half a win for each side), Elo scale, "
                        "mean 1000.\n\n") +
                leaderboard_head +
                "| 1 | x\\*1 | 1060.2 | - | 6 | 3 | 1 | 2 |\n"
                "| 2 | 7 | 939.8 | - | 6 | 1 | 3 | 2 |\n");
}

TEST(VotesRatingsMarkdown, AnchorPriorAndBootstrapAreSaid) {
  Options options;
  options.anchor = "x*1=1500.5";
  options.prior = 0.25;
  options.bootstrap = 20;
  options.seed = 4;
  const std::string text = leaderboard(options);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "Bradley-Terry ratings from 6 battles (a tie is half a win for each side), Elo scale, x\\*1 fixed at "
            "1500.5, prior 0.25; 95 % intervals from 20 bootstrap rounds (seed 4).");
  // The anchored model is fixed in every bootstrap round too: its interval is one point.
  EXPECT_NE(text.find("\n| 1 | x\\*1 | 1500.5 | 1500.5 to 1500.5 | 6 | 3 | 1 | 2 |\n| 2 | 7 | "), std::string::npos)
      << text;
}

}  // namespace
