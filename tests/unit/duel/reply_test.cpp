// duel/reply.hpp: verdict objects, and whole replies checked against the
// plain definition (try every '{' in turn) on random texts. (strip_thinking
// is tested in text/thinking_test.cpp.)
#include "prefline/duel/reply.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "reply_texts.hpp"

namespace {

using duel_test::naive_balanced_end;
using duel_test::random_reply;

std::optional<prefline::duel::Verdict> verdict_of(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element = parser.parse(json).value();
  return prefline::duel::read_verdict(element.get_object().value(), prefline::duel::default_metrics());
}

TEST(DuelReadVerdict, AcceptsIntegersDigitStringsAndIntegralDoublesInAnyOrder) {
  const auto verdict =
      verdict_of(R"({"efficiency":"2","correctness":1,"note":"x","grounding":0.0,"progress":2,"protocol":1e0})");
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ(*verdict, (prefline::duel::Verdict{1, 0, 2, 1, 2}));
}

TEST(DuelReadVerdict, FirstOccurrenceOfADuplicateKeyCounts) {
  const auto verdict = verdict_of(
      R"({"correctness":2,"correctness":1,"grounding":1,"progress":1,"protocol":1,"efficiency":1})");
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ((*verdict)[0], 2);
}

TEST(DuelReadVerdict, RejectsMissingMetricsAndValuesOutsideZeroToTwo) {
  EXPECT_FALSE(verdict_of(R"({"correctness":1,"grounding":1,"progress":1,"protocol":1})"));
  EXPECT_FALSE(verdict_of(R"({"correctness":3,"grounding":1,"progress":1,"protocol":1,"efficiency":1})"));
  EXPECT_FALSE(verdict_of(R"({"correctness":-1,"grounding":1,"progress":1,"protocol":1,"efficiency":1})"));
  EXPECT_FALSE(verdict_of(R"({"correctness":1.5,"grounding":1,"progress":1,"protocol":1,"efficiency":1})"));
  EXPECT_FALSE(verdict_of(R"({"correctness":"one","grounding":1,"progress":1,"protocol":1,"efficiency":1})"));
  EXPECT_FALSE(verdict_of(R"({"correctness":null,"grounding":1,"progress":1,"protocol":1,"efficiency":1})"));
}

// parse_reply by its definition: trying every '{' in turn.
std::optional<prefline::duel::Verdict> naive_parse_reply(std::string_view reply,
                                                         const std::vector<prefline::duel::Metric>& metrics) {
  const std::string text = prefline::duel::strip_thinking(reply);
  simdjson::dom::parser parser;
  std::optional<prefline::duel::Verdict> last;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    const std::size_t end = naive_balanced_end(text, i);
    if (end == std::string_view::npos) continue;
    simdjson::dom::element element;
    if (parser.parse(text.data() + i, end - i).get(element) || !element.is_object()) continue;
    if (auto verdict = prefline::duel::read_verdict(element.get_object().value_unsafe(), metrics)) last = verdict;
    i = end - 1;
  }
  return last;
}

TEST(DuelParseReply, AgreesWithTryingEveryBraceOnRandomReplies) {
  std::mt19937_64 random(11);
  const auto& metrics = prefline::duel::default_metrics();
  std::size_t with_verdict = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string reply = random_reply(random);
    const auto expected = naive_parse_reply(reply, metrics);
    ASSERT_EQ(prefline::duel::parse_reply(reply, metrics), expected) << reply;
    with_verdict += expected.has_value();
  }
  EXPECT_GT(with_verdict, 1000u);
}

TEST(DuelParseReply, TakesTheLastVerdictAroundProseFencesAndThinking) {
  const auto& metrics = prefline::duel::default_metrics();
  const std::string reply =
      "<think>{\"correctness\":2,\"grounding\":2,\"progress\":2,\"protocol\":2,\"efficiency\":2}</think>"
      "First {\"correctness\":1,\"grounding\":1,\"progress\":1,\"protocol\":1,\"efficiency\":1}, then\n"
      "```json\n{\"correctness\":0,\"grounding\":1,\"progress\":2,\"protocol\":0,\"efficiency\":1}\n```\n"
      "and a broken one {\"correctness\":2,";
  EXPECT_EQ(prefline::duel::parse_reply(reply, metrics), (prefline::duel::Verdict{0, 1, 2, 0, 1}));
}

}  // namespace
