// text/thinking.hpp: strip_thinking against erasing block by block on random
// texts, and the cases the tools rely on (an unclosed block, whitespace kept,
// the duel:: name still callable).
#include "prefline/text/thinking.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "prefline/duel/reply.hpp"

namespace {

// strip_thinking by its definition: erase the first block until none is left.
std::string naive_strip_thinking(std::string text) {
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"<think>", "</think>"},
                                    std::pair<std::string, std::string>{"<thinking>", "</thinking>"}}) {
    for (;;) {
      const std::size_t start = text.find(open);
      if (start == std::string::npos) break;
      const std::size_t end = text.find(close, start);
      text.erase(start, end == std::string::npos ? std::string::npos : end + close.size() - start);
    }
  }
  return text;
}

TEST(StripThinking, AgreesWithErasingBlockByBlockOnRandomTexts) {
  static const std::vector<std::string> pieces = {"<think>", "</think>", "<thinking>", "</thinking>", "<thi", "nk>",
                                                  "ng>", "</", "<", ">", "x", "{\"a\":1}", "think"};
  std::mt19937_64 random(5);
  std::size_t changed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t count = random() % 30;
    for (std::size_t i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
    const std::string expected = naive_strip_thinking(text);
    ASSERT_EQ(prefline::strip_thinking(text), expected) << text;
    changed += expected != text;
  }
  EXPECT_GT(changed, 10000u);
  EXPECT_EQ(prefline::strip_thinking("a<thi<think>x</think>nk>b</think>c<thinking>d"), "ac");
}

TEST(StripThinking, KeepsTheWhitespaceAroundABlockAndDropsAnUnclosedOne) {
  EXPECT_EQ(prefline::strip_thinking("<think>plan</think>\n\nThe answer is 4."), "\n\nThe answer is 4.");
  EXPECT_EQ(prefline::strip_thinking("Answer: 4 <thinking>still going"), "Answer: 4 ");
  EXPECT_EQ(prefline::strip_thinking("no blocks </think> here"), "no blocks </think> here");
  EXPECT_EQ(prefline::strip_thinking(""), "");
}

TEST(StripThinking, DuelNameIsTheSameFunction) {
  EXPECT_EQ(prefline::duel::strip_thinking("<think>a</think>b"), "b");
  EXPECT_EQ(&prefline::duel::strip_thinking, &prefline::strip_thinking);
}

}  // namespace
