#include "prefline/pairs/texts.hpp"

#include <gtest/gtest.h>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

using pairs_test::parse;

TEST(PairsTexts, RendersOnlyCodeFilesInNameOrder) {
  simdjson::dom::parser parser;
  const auto files = parse(parser, R"({"b.js":"B","notes.txt":"x","a.html":"A","c.css":1})");
  EXPECT_EQ(render_files(files), "**a.html**\n\n```\nA\n```\n\n**b.js**\n\n```\nB\n```");
}

TEST(PairsTexts, ResponsesJoinByGroupAndCandidate) {
  Settings settings;
  settings.score_path = {"overall"};
  pairs_test::ItemSet set(settings);
  ASSERT_EQ(set.add(R"({"challenge":"c","model":"a","overall":1})"), "");
  ASSERT_EQ(set.add(R"({"challenge":"c","model":"b","overall":2})"), "");
  const std::vector<char> needs_text = {1, 0};
  ResponseJoin join(settings, set.groups, set.group_index, set.items, needs_text);
  simdjson::dom::parser parser;
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"c","model":"a","files":{"x.js":"X"}})")), "");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"c","model":"b","response":"unused"})")), "");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"other","model":"a","response":"r"})")), "");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"c","model":"a","response":"again"})")),
            "a second response for \"c\"/\"a\"");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"c","response":"r"})")), "missing candidate field 'model' (--candidate)");
  ASSERT_TRUE(join.texts()[0].has_value());
  EXPECT_EQ(*join.texts()[0], "**x.js**\n\n```\nX\n```");
  EXPECT_FALSE(join.texts()[1].has_value());  // no pair needs it
}

TEST(PairsTexts, PromptsJoinByGroup) {
  Settings settings;
  settings.score_path = {"overall"};
  pairs_test::ItemSet set(settings);
  ASSERT_EQ(set.add(R"({"challenge":7,"model":"a"})"), "");
  const std::vector<char> needs_prompt = {1};
  PromptJoin join(settings, set.group_index, needs_prompt);
  simdjson::dom::parser parser;
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":"7","prompt":"string key: another group"})")), "");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":7,"prompt":5})")), "field 'prompt' must be a string");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":7,"prompt":"Draw"})")), "");
  EXPECT_EQ(join.read(parse(parser, R"({"challenge":7,"prompt":"again"})")), "a second prompt for 7");
  ASSERT_TRUE(join.prompts()[0].has_value());
  EXPECT_EQ(*join.prompts()[0], "Draw");
}

}  // namespace
