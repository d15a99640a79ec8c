// duel/detail/balanced_ends.hpp: the linear-time spans agree with one scan
// per brace on random texts, asked in random order.
#include "prefline/duel/detail/balanced_ends.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../reply_texts.hpp"

namespace {

using duel_test::naive_balanced_end;
using duel_test::random_reply;

TEST(DuelBalancedEnds, AgreesWithOneScanPerBraceOnRandomTexts) {
  std::mt19937_64 random(7);
  std::size_t closed = 0, unclosed = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = random_reply(random);
    prefline::duel::detail::BalancedEnds<std::uint32_t> balanced(text);
    // Ask in a random order: what one answer settles must hold for the rest.
    std::vector<std::size_t> opens;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '{') opens.push_back(i);
    std::shuffle(opens.begin(), opens.end(), random);
    for (const std::size_t open : opens) {
      const std::size_t expected = naive_balanced_end(text, open);
      ASSERT_EQ(balanced.end(open), expected) << text << " at " << open;
      (expected == std::string_view::npos ? unclosed : closed) += 1;
    }
  }
  EXPECT_GT(closed, 10000u);  // both kinds were tried often
  EXPECT_GT(unclosed, 10000u);
}

TEST(DuelBalancedEnds, DepthCountsTheDeepestNesting) {
  const std::string text = R"({"a":{"b":{}},"c":{"d":"{{{"}} {)";
  prefline::duel::detail::BalancedEnds<std::uint32_t> balanced(text);
  EXPECT_EQ(balanced.depth(0), 3u);
  EXPECT_EQ(balanced.depth(5), 2u);
  EXPECT_EQ(balanced.depth(18), 1u);
  EXPECT_EQ(balanced.end(text.size() - 1), std::string_view::npos);
  EXPECT_EQ(balanced.depth(text.size() - 1), 0u);
}

}  // namespace
