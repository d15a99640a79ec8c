// duel/prompt.hpp: every placeholder filled, unknown ones and single braces
// kept, metric lines and the JSON shape as the help describes them.
#include "prefline/duel/prompt.hpp"

#include <gtest/gtest.h>

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

}  // namespace
