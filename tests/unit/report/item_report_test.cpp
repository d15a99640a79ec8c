#include "prefline/report/item_report.hpp"

#include <gtest/gtest.h>

#include <string>

#include "prefline/report/markdown.hpp"
#include "report_test_support.hpp"

namespace {

namespace report = prefline::report;
namespace doc = prefline::doc;

TEST(ItemReport, VoteCountsFlagsAndScores) {
  report::testing::Feeder feed;
  report::ItemReport items(1);
  const char* lines[] = {
      R"({"challenge":"c","model":"m1","scores":{"technical":{"mean":4}},"overall":4,"vote_count":2,)"
      R"("raters":["ann","bob"],"flags":["low_votes"]})",
      R"({"challenge":"c","model":"m2","scores":{"technical":{"mean":2}},"overall":2,"vote_count":3,)"
      R"("raters":["bob"],"flags":["high_variance","low_votes","low_votes"]})",
      R"({"challenge":"d","model":"m1","scores":{"technical":{"mean":5}},"overall":null,"vote_count":3,)"
      R"("raters":["cy"],"flags":[]})"};
  for (const char* line : lines) ASSERT_EQ(items.add(feed.record(line)), "") << line;
  EXPECT_EQ(items.items(), 3u);

  doc::Document document;
  items.write(document, report::NumberFormat(2));
  const std::string markdown = doc::render_markdown(document);
  EXPECT_NE(markdown.find("| flagged | 2 | 66.7% |"), std::string::npos);
  EXPECT_NE(markdown.find("| with an overall score | 2 | 66.7% |"), std::string::npos);
  EXPECT_NE(markdown.find("Raters named in the items' raters lists: 3."), std::string::npos);
  EXPECT_NE(markdown.find("| 3 | 2 | 66.7% |"), std::string::npos);  // vote_count 3: two items
  // A flag given twice on one item counts once; most frequent first.
  ASSERT_NE(markdown.find("| high_variance | 1 | 33.3% |"), std::string::npos);
  EXPECT_LT(markdown.find("| low_votes | 2 | 66.7% |"), markdown.find("| high_variance | 1 | 33.3% |"));
  // --max-rows 1: the first flagged item, named by the fields before 'scores'.
  EXPECT_NE(markdown.find("| c | m1 | 4.00 | 2 | low_votes |"), std::string::npos);
  EXPECT_NE(markdown.find("1 more flagged item not shown (--max-rows 1)."), std::string::npos);
  EXPECT_NE(markdown.find("| overall | 2 | 3.00 | 1.41 | 2.00 | 3.00 | 4.00 |"), std::string::npos);
  EXPECT_NE(markdown.find("| technical | 3 | 3.67 | 1.53 | 2.00 | 4.00 | 5.00 |"), std::string::npos);
  EXPECT_NE(markdown.find("### Histogram of technical"), std::string::npos);
}

TEST(ItemReport, BadRecords) {
  report::testing::Feeder feed;
  report::ItemReport items(20);
  EXPECT_EQ(items.add(feed.record(R"({"scores":{"t":{"mean":"4"}},"vote_count":1})")),
            "'scores.t.mean' must be a number or null, not a string");
  EXPECT_EQ(items.add(feed.record(R"({"scores":{"t":{}},"vote_count":-1})")),
            "'vote_count' must be a whole number >= 0, not '-1'");
  EXPECT_EQ(items.add(feed.record(R"({"scores":{"t":{}},"vote_count":1,"flags":[1]})")),
            "'flags' must be an array of strings; it holds a number");
  EXPECT_EQ(items.add(feed.record(R"({"scores":{"t":3},"vote_count":1})")),
            "'scores.t' must be an object, not a number");
  EXPECT_EQ(items.items(), 0u);
}

}  // namespace
