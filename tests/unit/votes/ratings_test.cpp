// votes/ratings.hpp: ratings fitted to a tally's votes against the closed form
// of two models, the anchor, the win counts and matrix, and the errors that
// name the models.
#include "prefline/votes/ratings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using votes_test::TallyRun;

// x beats y 3 times, y beats x once, 2 ties: a tie is half a win, so x scores 4 of 6 and
// P(x beats y) = 2/3 = s(theta_x - theta_y): the ratings differ by (400 / ln 10) ln 2 = 400 log10 2.
void add_two_model_battles(TallyRun& run, std::string_view model_b = R"("y")") {
  run.tally.keep_votes();
  for (const char* winner : {"a", "a", "b", "a", "tie", "tie"})
    ASSERT_EQ(run.add(fmt::format(R"({{"id":1,"model_a":"x","model_b":{},"winner":"{}"}})", model_b, winner)), "");
}

const double two_model_gap = 400 * std::log10(2.0);

std::string ratings_error(TallyRun& run) {
  try {
    prefline::votes::fit_ratings(run.options, run.settings, run.tally);
  } catch (const prefline::DataError& error) {
    return error.what();
  }
  return "no error";
}

TEST(VotesRatings, TwoModelsMatchTheClosedForm) {
  TallyRun run{Options{}};
  add_two_model_battles(run);
  const auto r = prefline::votes::fit_ratings(run.options, run.settings, run.tally);
  EXPECT_EQ(r.battles, 6u);
  EXPECT_EQ(r.order, (std::vector<std::size_t>{0, 1}));
  EXPECT_NEAR(r.fit.ratings[0], 1000 + two_model_gap / 2, 1e-9);
  EXPECT_NEAR(r.fit.ratings[1], 1000 - two_model_gap / 2, 1e-9);
  EXPECT_EQ(r.won(0), 3);
  EXPECT_EQ(r.lost(0), 1);
  EXPECT_EQ(r.tied(0), 2);
  EXPECT_EQ(r.battles_of(1), 6);
  EXPECT_EQ(r.won(1), 1);
  EXPECT_TRUE(std::isnan(r.boot.intervals[0].low));  // no --bootstrap
}

TEST(VotesRatings, AnchorFixesOneModelsRating) {
  Options options;
  options.anchor = "7=1200";  // a number's id is its JSON text
  TallyRun run{options};
  add_two_model_battles(run, "7");
  const auto r = prefline::votes::fit_ratings(run.options, run.settings, run.tally);
  EXPECT_EQ(r.fit_options.anchor, 1u);
  EXPECT_NEAR(r.fit.ratings[1], 1200, 1e-9);
  EXPECT_NEAR(r.fit.ratings[0], 1200 + two_model_gap, 1e-9);

  options.anchor = "z=1000";
  TallyRun missing{options};
  add_two_model_battles(missing, "7");
  EXPECT_EQ(ratings_error(missing), R"(--anchor: no model 'z' in the votes; models: "x", 7)");
}

TEST(VotesRatings, NoEstimateNamesTheModels) {
  TallyRun run{Options{}};
  run.tally.keep_votes();
  for (const char* record : {R"({"id":1,"model_a":"x","model_b":"y","winner":"a"})",
                             R"({"id":2,"model_a":"y","model_b":"x","winner":"b"})"})
    ASSERT_EQ(run.add(record), "");
  EXPECT_EQ(ratings_error(run),
            R"(the Bradley-Terry ratings do not exist (some model's strength is unbounded): never lost nor tied: "x";)"
            R"( never won nor tied: "y"; models split into groups, one of which never loses to another: ["x"] ["y"];)"
            " --prior W (e.g. 1) makes them exist");
  Options with_prior;
  with_prior.prior = 1;
  TallyRun prior{with_prior};
  prior.tally.keep_votes();
  ASSERT_EQ(prior.add(R"({"id":1,"model_a":"x","model_b":"y","winner":"a"})"), "");
  EXPECT_EQ(ratings_error(prior), "no error");
}

TEST(VotesRatings, JsonHasModelsInOrderAndTheWinRateMatrix) {
  Options options;
  options.prior = 0.5;
  options.seed = 9;
  TallyRun run{options};
  add_two_model_battles(run);
  const auto r = prefline::votes::fit_ratings(run.options, run.settings, run.tally);
  prefline::Buffer out;
  prefline::votes::write_ratings(out, run.options, run.tally, r);
  prefline::Buffer ratings;
  prefline::append_json_number(ratings, r.fit.ratings[0]);
  ratings.push_back(' ');
  prefline::append_json_number(ratings, r.fit.ratings[1]);
  const std::string x_y(ratings.view());
  const std::string x = x_y.substr(0, x_y.find(' ')), y = x_y.substr(x_y.find(' ') + 1);
  EXPECT_EQ(votes_test::text_of(out),
            fmt::format(R"({{"battles":6,"prior":0.5,"anchor":null,"iterations":{},)"
                        R"("bootstrap":{{"rounds":0,"failed_rounds":0,"seed":9}},"models":[)"
                        R"({{"model":"x","rating":{},"low":null,"high":null,"battles":6,"wins":3,"losses":1,"ties":2}},)"
                        R"({{"model":"y","rating":{},"low":null,"high":null,"battles":6,"wins":1,"losses":3,"ties":2}}],)"
                        R"("win_rate":[[null,0.6666666666666666],[0.3333333333333333,null]]}})"
                        "\n",
                        r.fit.iterations, x, y));
  // The prior pulls both towards the reference: the gap is smaller than the votes alone give.
  EXPECT_LT(r.fit.ratings[0] - r.fit.ratings[1], two_model_gap);
  EXPECT_GT(r.fit.ratings[0] - r.fit.ratings[1], 0);
}

TEST(VotesRatings, ModelText) {
  EXPECT_EQ(prefline::votes::model_text(R"("gpt \"4\"")"), R"(gpt "4")");
  EXPECT_EQ(prefline::votes::model_text("7.50"), "7.50");
}

}  // namespace
