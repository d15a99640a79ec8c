#include "prefline/report/pair_report.hpp"

#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "prefline/report/markdown.hpp"
#include "report_test_support.hpp"

namespace {

namespace report = prefline::report;
namespace doc = prefline::doc;

std::string pair(std::string_view group, std::string_view chosen, std::string_view rejected, double difference) {
  return fmt::format(R"({{"prompt":"p","chosen":"a","rejected":"b","metadata":{{"challenge":{},"chosen_model":"{}",)"
                     R"("rejected_model":"{}","chosen_scores":{{"technical":5}},"rejected_scores":{{"technical":3}},)"
                     R"("score_difference":{}}}}})",
                     group, chosen, rejected, difference);
}

TEST(PairReport, GroupsCandidatesAndDifferences) {
  report::testing::Feeder feed;
  report::PairReport pairs("", "", 20);
  for (const std::string& line : {pair(R"("c1")", "m1", "m2", 2), pair(R"("c1")", "m1", "m3", 1),
                                  pair("7", "m2", "m3", 0.5), pair(R"("7")", "m1", "m2", 1.5),
                                  pair("7.0", "m3", "m2", 1)})
    ASSERT_EQ(pairs.add(feed.record(line)), "") << line;
  EXPECT_EQ(pairs.pairs(), 5u);

  doc::Document document;
  pairs.write(document, report::NumberFormat(2));
  const std::string markdown = doc::render_markdown(document);
  // The string "7" and the number 7 are two groups; 7.0 is the number 7.
  EXPECT_NE(markdown.find("| groups (challenge) | 3 |"), std::string::npos);
  EXPECT_NE(markdown.find("| candidates (model) | 3 |"), std::string::npos);
  const auto number_group = markdown.find("| 7 | 2 | 40.0% |");
  const auto c1 = markdown.find("| c1 | 2 | 40.0% |");
  const auto string_group = markdown.find("| 7 | 1 | 20.0% |");
  ASSERT_NE(number_group, std::string::npos);
  EXPECT_LT(number_group, c1);
  EXPECT_LT(c1, string_group);
  EXPECT_NE(markdown.find("| score_difference | 5 | 1.20 | 0.57 | 0.50 | 1.00 | 2.00 |"), std::string::npos);
  // Most often chosen first, then least often rejected.
  const auto m1 = markdown.find("| m1 | 3 | 0 | 3 | 100.0% |");
  const auto m3 = markdown.find("| m3 | 1 | 2 | 3 | 33.3% |");
  const auto m2 = markdown.find("| m2 | 1 | 3 | 4 | 25.0% |");
  ASSERT_NE(m1, std::string::npos);
  EXPECT_LT(m1, m3);
  EXPECT_LT(m3, m2);
  EXPECT_NE(markdown.find("| technical | 5 | 5.00 | 5 | 3.00 | 2.00 |"), std::string::npos);
}

TEST(PairReport, MaxRowsCutsTheTables) {
  report::testing::Feeder feed;
  report::PairReport pairs("challenge", "model", 1);
  for (const std::string& line : {pair(R"("a")", "m1", "m2", 1), pair(R"("b")", "m1", "m2", 1)})
    ASSERT_EQ(pairs.add(feed.record(line)), "");
  doc::Document document;
  pairs.write(document, report::NumberFormat(2));
  const std::string markdown = doc::render_markdown(document);
  EXPECT_NE(markdown.find("1 more group not shown (--max-rows 1)."), std::string::npos);
  EXPECT_NE(markdown.find("1 more candidate not shown (--max-rows 1)."), std::string::npos);
}

TEST(PairReport, BadRecords) {
  report::testing::Feeder feed;
  report::PairReport pairs("", "", 20);
  EXPECT_EQ(pairs.add(feed.record(R"({"chosen":"a","rejected":"b","metadata":{"challenge":"c","chosen_model":"m",)"
                                  R"("score_difference":1}})")),
            "missing 'metadata.rejected_model' (the candidate field: --candidate)");
  EXPECT_EQ(pairs.add(feed.record(pair("true", "m1", "m2", 1))),
            "'metadata.challenge' must be a string or a number, not a boolean");
  EXPECT_EQ(pairs.add(feed.record(R"({"chosen":"a","rejected":"b","metadata":[]})")),
            "'metadata' must be an object, not an array");
  EXPECT_EQ(pairs.pairs(), 0u);
}

}  // namespace
