// votes/settings.hpp: the options become settings, and every option a user can
// get wrong is refused with a message naming it (usage errors, exit 2).
#include "prefline/votes/settings.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using prefline::votes::Rule;
using prefline::votes::Vote;

std::string votes_settings_error(const Options& options) {
  try {
    prefline::votes::make_settings(options);
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

// The error of the default options changed by `change`.
template <class Change>
std::string error_with(Change change) {
  Options options;
  change(options);
  return votes_settings_error(options);
}

std::string codes_error(const std::string& codes) {
  return error_with([&](Options& o) { o.codes = codes; });
}

TEST(VotesSettings, DefaultsReadTheLongLayout) {
  const auto settings = prefline::votes::make_settings(Options{});
  EXPECT_EQ(settings.item_fields, std::vector<std::string>{"id"});
  EXPECT_TRUE(settings.wide_columns.empty());
  EXPECT_EQ(settings.winner, "winner");
  EXPECT_FALSE(settings.named_raters);
  EXPECT_EQ(settings.rule, Rule::majority);
  EXPECT_EQ(settings.min_margin, 1u);
  EXPECT_EQ(settings.codes.size(), 3u);
  EXPECT_EQ(settings.codes.at("a"), Vote::a);
  EXPECT_EQ(settings.codes.at("b"), Vote::b);
  EXPECT_EQ(settings.codes.at("tie"), Vote::tie);
  EXPECT_EQ(settings.anchor_model, "");
  EXPECT_EQ(settings.anchor_rating, 1000);
}

TEST(VotesSettings, DerivedValues) {
  Options options;
  options.item = "question_id,turn";
  options.rater = "judge";
  options.rule = "unanimous";
  options.min_margin = 3;
  options.anchor = "gpt=4=1200.5";  // the last '=' splits: a model id may hold '='
  options.codes = R"c(model_a=a,model_b=b,tie=tie,"tie (bothbad)"=tie,"x,=y"=b,1=a)c";
  auto settings = prefline::votes::make_settings(options);
  EXPECT_EQ(settings.item_fields, (std::vector<std::string>{"question_id", "turn"}));
  EXPECT_TRUE(settings.named_raters);
  EXPECT_EQ(settings.rule, Rule::unanimous);
  EXPECT_EQ(settings.min_margin, 3u);
  EXPECT_EQ(settings.anchor_model, "gpt=4");
  EXPECT_EQ(settings.anchor_rating, 1200.5);
  EXPECT_EQ(settings.codes.size(), 6u);
  EXPECT_EQ(settings.codes.at("model_b"), Vote::b);
  EXPECT_EQ(settings.codes.at("tie (bothbad)"), Vote::tie);
  EXPECT_EQ(settings.codes.at("x,=y"), Vote::b);
  EXPECT_EQ(settings.codes.at("1"), Vote::a);

  Options wide;
  wide.wide = "annotator1,annotator2,annotator3";
  settings = prefline::votes::make_settings(wide);
  EXPECT_EQ(settings.wide_columns, (std::vector<std::string>{"annotator1", "annotator2", "annotator3"}));
  EXPECT_TRUE(settings.named_raters);  // the columns are the raters
  EXPECT_EQ(settings.winner, "");
}

TEST(VotesSettings, LayoutAndFieldOptionsAreChecked) {
  EXPECT_EQ(error_with([](Options& o) { o.a = ""; }), "--a needs a field name");
  EXPECT_EQ(error_with([](Options& o) { o.b = "model_a"; }), "--a and --b must be different fields");
  EXPECT_EQ(error_with([](Options& o) { o.wide = "r1,r2"; o.winner = "w"; }),
            "--winner is for the long layout; --wide reads each vote from its rater column");
  EXPECT_EQ(error_with([](Options& o) { o.wide = "r1,r2"; o.rater = "judge"; }),
            "--rater is for the long layout; with --wide the columns are the raters");
  EXPECT_EQ(error_with([](Options& o) { o.wide = "r1,r1"; }), "--wide: 'r1' given twice");
  EXPECT_EQ(error_with([](Options& o) { o.item = ""; }), "--item needs at least one name");
  EXPECT_EQ(error_with([](Options& o) { o.criterion = "id"; }), "--criterion 'id' is one of the --item fields");
  EXPECT_EQ(error_with([](Options& o) { o.common.rejects = "bad.jsonl"; }),
            "--rejects needs --skip-invalid (skipping records is always an explicit choice)");
}

TEST(VotesSettings, NumbersAreChecked) {
  EXPECT_EQ(error_with([](Options& o) { o.rule = "most"; }), "--rule: 'most' is not majority or unanimous");
  EXPECT_EQ(error_with([](Options& o) { o.min_margin = 0; }), "--min-margin must be 1 or more");
  EXPECT_EQ(error_with([](Options& o) { o.min_overlap = 0; }), "--min-overlap must be 1 or more");
  EXPECT_EQ(error_with([](Options& o) { o.bootstrap = -1; }), "--bootstrap must be 0 or more");
  EXPECT_EQ(error_with([](Options& o) { o.prior = -0.5; }), "--prior must be a number >= 0");
  EXPECT_EQ(error_with([](Options& o) { o.prior = std::numeric_limits<double>::infinity(); }),
            "--prior must be a number >= 0");
  EXPECT_EQ(error_with([](Options& o) { o.anchor = "=1000"; }), "--anchor: '=1000' is not MODEL=RATING");
  EXPECT_EQ(error_with([](Options& o) { o.anchor = "gpt"; }), "--anchor: 'gpt' is not MODEL=RATING");
  EXPECT_EQ(error_with([](Options& o) { o.anchor = "gpt=high"; }), "--anchor: 'high' is not a number");
}

TEST(VotesSettings, PairsNeedTheirTexts) {
  EXPECT_EQ(error_with([](Options& o) { o = votes_test::pair_options(); o.text_b = ""; }),
            "--pairs needs --prompt, --text-a and --text-b (the fields holding the texts)");
  EXPECT_EQ(error_with([](Options& o) { o = votes_test::pair_options(); }), "no error");
  EXPECT_EQ(error_with([](Options& o) { o = votes_test::pair_options(); o.dataset_version = ""; }),
            "--dataset-version must not be empty");
  EXPECT_EQ(error_with([](Options& o) { o.text_b = "response_b"; }), "--text-b is for --pairs");
}

TEST(VotesSettings, KeyFieldsNamedLikeWrittenFieldsAreRefused) {
  EXPECT_EQ(error_with([](Options& o) { o.item = "question_id,winner"; }),
            "--item: 'winner' is also a field that votes writes (a, b, votes, winner, margin, agreement, raters); "
            "rename it first");
  EXPECT_EQ(error_with([](Options& o) { o = votes_test::pair_options(); o.criterion = "generated_at"; }),
            "--criterion: 'generated_at' is also a field that votes writes in metadata (chosen_model, "
            "rejected_model, chosen_scores, rejected_scores, score_difference, dataset_version, generated_at); "
            "rename it first");
  // "winner" is written only without --pairs.
  EXPECT_EQ(error_with([](Options& o) { o = votes_test::pair_options(); o.criterion = "winner"; }), "no error");
}

TEST(VotesSettings, CodesAreChecked) {
  const std::string expected = " (expected CODE=VOTE,..., VOTE one of a, b, tie)";
  EXPECT_EQ(codes_error("1=a,2=first"), "--codes: 'first' is not a, b or tie in '1=a,2=first'" + expected);
  EXPECT_EQ(codes_error("1=a,2"), "--codes: no '=' in '2' in '1=a,2'" + expected);
  EXPECT_EQ(codes_error("x,1=a"), "--codes: no '=' in 'x' in 'x,1=a'" + expected);
  EXPECT_EQ(codes_error(R"("tie=tie)"), R"(--codes: an unclosed quote in '"tie=tie')" + expected);
  EXPECT_EQ(codes_error(R"("tie"tie)"), R"(--codes: no '=' after "tie" in '"tie"tie')" + expected);
  EXPECT_EQ(codes_error("=a"), "--codes: an empty code in '=a'" + expected);
  EXPECT_EQ(codes_error("1=a,1=b"), "--codes: the code '1' twice in '1=a,1=b'" + expected);
}

}  // namespace
