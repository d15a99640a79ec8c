// duel/prompt.hpp: every placeholder filled, unknown ones and single braces
// kept, metric lines and the JSON shape as the help describes them.
#include "prefline/duel/prompt.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace {

TEST(DuelPrompt, FillsEveryPlaceholder) {
  const std::vector<prefline::duel::Metric> metrics = {{"correctness", "would it work"}, {"style", ""}};
  const std::string prompt = prefline::duel::fill_template(
      "C={{context}} 1={{answer1}} 2={{answer2}} B={{boundary}}\n{{metrics}}\n{{json_shape}} {x} {{other}}", "ctx",
      "first", "second", "==B==", metrics);
  EXPECT_EQ(prompt,
            "C=ctx 1=first 2=second B===B==\n- correctness: would it work\n- style: style\n"
            "{\"correctness\":1|2|0,\"style\":1|2|0} {x} {{other}}");
}

TEST(DuelPrompt, ValuesAreNotScannedForPlaceholders) {
  const auto metrics = prefline::duel::default_metrics();
  EXPECT_EQ(prefline::duel::fill_template("{{answer1}}|{{answer2}}", "", "{{answer2}}", "b", "", metrics),
            "{{answer2}}|b");
}

TEST(DuelPrompt, DefaultTemplateHasTheAnswersBetweenBoundaries) {
  const auto metrics = prefline::duel::default_metrics();
  const std::string prompt =
      prefline::duel::fill_template(prefline::duel::default_template, "[user]\nhi", "AAA", "BBB", "=F=", metrics);
  EXPECT_NE(prompt.find("MODEL 1:\n=F=\nAAA\n=F=\n"), std::string::npos);
  EXPECT_NE(prompt.find("MODEL 2:\n=F=\nBBB\n=F=\n"), std::string::npos);
  EXPECT_NE(prompt.find(prefline::duel::json_shape(metrics)), std::string::npos);
  EXPECT_EQ(prompt.find("{{"), std::string::npos);
}

TEST(DuelPrompt, TurnPromptsSwapTheAnswersByOrder) {
  const std::vector<prefline::duel::Metric> metrics{{"correctness", ""}};
  using prefline::duel::Order;
  const auto prompts = prefline::duel::turn_prompts("{{answer1}}|{{answer2}}|{{boundary}}", "", "king MODEL 1",
                                                    "challenger", {Order::ab, Order::ba}, metrics, 0);
  ASSERT_EQ(prompts.size(), 2u);
  const std::string boundary = prefline::duel::boundary_for("king [label removed]", "challenger", 0);
  EXPECT_EQ(prompts[0], "king [label removed]|challenger|" + boundary);
  EXPECT_EQ(prompts[1], "challenger|king [label removed]|" + boundary);
}

TEST(DuelPrompt, LoadTemplateNeedsBothAnswers) {
  EXPECT_EQ(prefline::duel::load_template(""), prefline::duel::default_template);
  const std::string path = ::testing::TempDir() + "template_without_answer2.txt";
  std::ofstream(path) << "{{answer1}} only";
  try {
    prefline::duel::load_template(path);
    FAIL();
  } catch (const prefline::UsageError& error) {
    EXPECT_EQ(std::string(error.what()), "--template: '" + path + "' has no {{answer2}}");
  }
  EXPECT_THROW(prefline::duel::load_template(path + ".missing"), prefline::UsageError);
}

}  // namespace
