// votes/settings.hpp: the options become settings, and every option a user can
// get wrong is refused with a message naming it (usage errors, exit 2).
#include "prefline/votes/settings.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

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

std::string codes_error(const std::string& codes) {
  Options options;
  options.codes = codes;
  return votes_settings_error(options);
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
  Options options;
  options.a = "";
  EXPECT_EQ(votes_settings_error(options), "--a needs a field name");
  options = Options{};
  options.b = "model_a";
  EXPECT_EQ(votes_settings_error(options), "--a and --b must be different fields");
  options = Options{};
  options.wide = "r1,r2";
  options.winner = "w";
  EXPECT_EQ(votes_settings_error(options),
            "--winner is for the long layout; --wide reads each vote from its rater column");
  options.winner = "";
  options.rater = "judge";
  EXPECT_EQ(votes_settings_error(options), "--rater is for the long layout; with --wide the columns are the raters");
  options = Options{};
  options.wide = "r1,r1";
  EXPECT_EQ(votes_settings_error(options), "--wide: 'r1' given twice");
  options = Options{};
  options.item = "";
  EXPECT_EQ(votes_settings_error(options), "--item needs at least one name");
  options = Options{};
  options.criterion = "id";
  EXPECT_EQ(votes_settings_error(options), "--criterion 'id' is one of the --item fields");
  options = Options{};
  options.common.rejects = "bad.jsonl";
  EXPECT_EQ(votes_settings_error(options),
            "--rejects needs --skip-invalid (skipping records is always an explicit choice)");
}

TEST(VotesSettings, NumbersAreChecked) {
  Options options;
  options.rule = "most";
  EXPECT_EQ(votes_settings_error(options), "--rule: 'most' is not majority or unanimous");
  options = Options{};
  options.min_margin = 0;
  EXPECT_EQ(votes_settings_error(options), "--min-margin must be 1 or more");
  options = Options{};
  options.min_overlap = 0;
  EXPECT_EQ(votes_settings_error(options), "--min-overlap must be 1 or more");
  options = Options{};
  options.bootstrap = -1;
  EXPECT_EQ(votes_settings_error(options), "--bootstrap must be 0 or more");
  options = Options{};
  options.prior = -0.5;
  EXPECT_EQ(votes_settings_error(options), "--prior must be a number >= 0");
  options.prior = std::numeric_limits<double>::infinity();
  EXPECT_EQ(votes_settings_error(options), "--prior must be a number >= 0");
  options = Options{};
  options.anchor = "=1000";
  EXPECT_EQ(votes_settings_error(options), "--anchor: '=1000' is not MODEL=RATING");
  options.anchor = "gpt";
  EXPECT_EQ(votes_settings_error(options), "--anchor: 'gpt' is not MODEL=RATING");
  options.anchor = "gpt=high";
  EXPECT_EQ(votes_settings_error(options), "--anchor: 'high' is not a number");
}

TEST(VotesSettings, PairsNeedTheirTexts) {
  Options options;
  options.pairs = true;
  options.prompt = "prompt";
  options.text_a = "response_a";
  EXPECT_EQ(votes_settings_error(options),
            "--pairs needs --prompt, --text-a and --text-b (the fields holding the texts)");
  options.text_b = "response_b";
  EXPECT_EQ(votes_settings_error(options), "no error");
  options.dataset_version = "";
  EXPECT_EQ(votes_settings_error(options), "--dataset-version must not be empty");
  options = Options{};
  options.text_b = "response_b";
  EXPECT_EQ(votes_settings_error(options), "--text-b is for --pairs");
}

TEST(VotesSettings, KeyFieldsNamedLikeWrittenFieldsAreRefused) {
  Options options;
  options.item = "question_id,winner";
  EXPECT_EQ(votes_settings_error(options),
            "--item: 'winner' is also a field that votes writes (a, b, votes, winner, margin, agreement, raters); "
            "rename it first");
  options = Options{};
  options.pairs = true;
  options.prompt = "p";
  options.text_a = "ta";
  options.text_b = "tb";
  options.criterion = "generated_at";
  EXPECT_EQ(votes_settings_error(options),
            "--criterion: 'generated_at' is also a field that votes writes in metadata (chosen_model, "
            "rejected_model, chosen_scores, rejected_scores, score_difference, dataset_version, generated_at); "
            "rename it first");
  options.criterion = "winner";  // written only without --pairs
  EXPECT_EQ(votes_settings_error(options), "no error");
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
