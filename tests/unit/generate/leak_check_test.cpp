// generate/leak_check.hpp: a 12-word overlap hidden in long texts is found,
// an 11-word one is not; case, punctuation and spacing do not hide a leak;
// the first leaking sequence of the reply is the one reported.
#include "prefline/generate/leak_check.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using prefline::generate::LeakCheck;

// `count` distinct-looking filler words from a seeded generator.
std::string leak_filler(std::uint64_t seed, std::size_t count) {
  std::mt19937_64 random(seed);
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += (i % 17 == 0) ? "\n" : " ";
    text += "w" + std::to_string(random() % 100000);
  }
  return text;
}

const std::string leak_secret =
    "the fix moves the retry counter into the session object so every request shares it";  // 15 words

TEST(GenerateLeakCheck, FindsATwelveWordOverlapHiddenInLongTexts) {
  const std::string reference = leak_filler(1, 20000) + " " + leak_secret + " " + leak_filler(2, 20000);
  const std::string reply = leak_filler(3, 30000) + " so, as I said: " +
                            "The fix moves the retry counter into the session object so every request" + " ... " +
                            leak_filler(4, 1000);
  const LeakCheck check(12);
  EXPECT_EQ(check.ngram(), 12u);
  EXPECT_EQ(check.find(reference, reply),
            std::optional<std::string>("the fix moves the retry counter into the session object so every"));
}

TEST(GenerateLeakCheck, ElevenWordOverlapIsNotALeakOfTwelve) {
  const std::string reference = leak_filler(1, 5000) + " " + leak_secret + " " + leak_filler(2, 5000);
  // The first 11 words of the secret, then a different word.
  const std::string reply =
      leak_filler(5, 5000) + " the fix moves the retry counter into the session object so EVERYONE " +
      leak_filler(6, 100);
  EXPECT_EQ(LeakCheck(12).find(reference, reply), std::nullopt);
  EXPECT_EQ(LeakCheck(11).find(reference, reply),
            std::optional<std::string>("the fix moves the retry counter into the session object so"));
}

TEST(GenerateLeakCheck, CasePunctuationAndSpacingDoNotHideALeak) {
  const std::string reference = "Patch: `retry_count` moves to (Session), -- so every request shares it.";
  const std::string reply = "RETRY_COUNT moves\tto session;\n\nso, Every REQUEST \"shares\" it!";
  EXPECT_EQ(LeakCheck(8).find(reference, reply),
            std::optional<std::string>("retry_count moves to session so every request shares"));
  // "--" strips to nothing and is skipped: "session so" are neighbours.
  EXPECT_EQ(LeakCheck(2).find("a -- b", "A b"), std::optional<std::string>("a b"));
  // Punctuation inside a word stays: "don't" is not "dont".
  EXPECT_EQ(LeakCheck(1).find("don't", "dont"), std::nullopt);
}

TEST(GenerateLeakCheck, ReportsTheFirstLeakingSequenceOfTheReply) {
  const std::string reference = "alpha beta gamma delta epsilon zeta";
  EXPECT_EQ(LeakCheck(2).find(reference, "x epsilon zeta y alpha beta"), std::optional<std::string>("epsilon zeta"));
  EXPECT_EQ(LeakCheck(1).find(reference, "nothing here but Gamma."), std::optional<std::string>("gamma"));
}

TEST(GenerateLeakCheck, TextsShorterThanTheNgramNeverLeak) {
  EXPECT_EQ(LeakCheck(3).find("a b", "a b"), std::nullopt);
  EXPECT_EQ(LeakCheck(3).find("a b c", "a b"), std::nullopt);
  EXPECT_EQ(LeakCheck(3).find("", ""), std::nullopt);
  EXPECT_EQ(LeakCheck(3).find("a b c", "a b c"), std::optional<std::string>("a b c"));
  EXPECT_EQ(LeakCheck(2).find("x x x x", "y x x"), std::optional<std::string>("x x"));
}

TEST(GenerateLeakCheck, ZeroWordsIsInvalid) { EXPECT_THROW(LeakCheck(0), std::invalid_argument); }

}  // namespace
