#include "prefline/trainer/example_writer.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using namespace prefline::trainer;

std::string write(const Layout& layout, const Example& example) {
  prefline::Buffer out;
  ExampleWriter writer(layout);
  writer.write(out, example);
  return std::string(out.view());
}

Example pair_example() {
  Example example;
  example.context = {{Role::user, "Q"}};
  example.chosen = "A";
  example.rejected = "B";
  example.margin = 2;
  return example;
}

TEST(ExampleWriter, WritesEachPreferenceFormat) {
  const Example example = pair_example();
  EXPECT_EQ(write({find_format("trl"), true, {}}, example), R"({"prompt":"Q","chosen":"A","rejected":"B","margin":2})" "\n");
  EXPECT_EQ(write({find_format("trl-chat"), false, std::string("S")}, example),
            R"({"prompt":[{"role":"system","content":"S"},{"role":"user","content":"Q"}],)"
            R"("chosen":[{"role":"assistant","content":"A"}],"rejected":[{"role":"assistant","content":"B"}]})" "\n");
  EXPECT_EQ(write({find_format("hh-rlhf"), false, {}}, example),
            R"({"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: B"})" "\n");
  EXPECT_EQ(write({find_format("openai-dpo"), false, {}}, example),
            R"({"input":{"messages":[{"role":"user","content":"Q"}]},"preferred_output":[{"role":"assistant",)"
            R"("content":"A"}],"non_preferred_output":[{"role":"assistant","content":"B"}]})" "\n");
}

TEST(ExampleWriter, WritesEachSftFormat) {
  Example example;
  example.context = {{Role::user, "Q1"}, {Role::assistant, "A1"}, {Role::user, "Q2"}};
  example.chosen = "R";
  EXPECT_EQ(write({find_format("openai-sft"), false, {}}, example),
            R"({"messages":[{"role":"user","content":"Q1"},{"role":"assistant","content":"A1"},)"
            R"({"role":"user","content":"Q2"},{"role":"assistant","content":"R"}]})" "\n");
  EXPECT_EQ(write({find_format("sharegpt"), false, std::string("S")}, example),
            R"({"conversations":[{"from":"system","value":"S"},{"from":"human","value":"Q1"},)"
            R"({"from":"gpt","value":"A1"},{"from":"human","value":"Q2"},{"from":"gpt","value":"R"}]})" "\n");
  example.context = {{Role::user, "Q"}};
  EXPECT_EQ(write({find_format("alpaca"), false, {}}, example), R"({"instruction":"Q","input":"","output":"R"})" "\n");
}

TEST(ExampleWriter, HhRlhfTranscriptsShareTheContextAndDifferInTheLastTurn) {
  Example example = pair_example();
  example.context = {{Role::user, "Q1"}, {Role::assistant, "A1"}, {Role::user, "Q2"}};
  const Layout hh{find_format("hh-rlhf"), false, {}};
  ExampleWriter writer(hh);
  prefline::Buffer out;
  writer.write(out, example);
  writer.write(out, pair_example());  // the reused transcript starts afresh
  EXPECT_EQ(std::string(out.view()),
            R"({"chosen":"\n\nHuman: Q1\n\nAssistant: A1\n\nHuman: Q2\n\nAssistant: A",)"
            R"("rejected":"\n\nHuman: Q1\n\nAssistant: A1\n\nHuman: Q2\n\nAssistant: B"})" "\n"
            R"({"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: B"})" "\n");
}

}  // namespace
