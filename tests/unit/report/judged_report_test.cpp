#include "prefline/report/judged_report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prefline/report/markdown.hpp"
#include "report_test_support.hpp"

namespace {

namespace report = prefline::report;
namespace doc = prefline::doc;

report::JudgedReport::Settings settings(std::size_t max_rows) {
  report::JudgedReport::Settings settings;
  settings.bucket_field = "bucket";
  settings.id_fields = {"id"};
  settings.edges = {66, 80};
  settings.bin_width = 50;
  settings.max_rows = max_rows;
  return settings;
}

// Section `heading` of the Markdown (up to the next "## ").
std::string section(const std::string& markdown, const std::string& heading) {
  const auto start = markdown.find("## " + heading + "\n");
  if (start == std::string::npos) return "";
  const auto end = markdown.find("\n## ", start + 1);
  return markdown.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
}

TEST(JudgedReport, CountsScoresBucketsAndTheBestTurns) {
  report::testing::Feeder feed;
  report::JudgedReport judged(settings(2));
  const char* lines[] = {
      R"({"id":"a","duel":{"score":90,"parsed":true,"by_metric":{"correctness":1}},"bucket":"final"})",
      R"({"id":"b","duel":{"score":70,"parsed":true,"delta":-0.5,"by_metric":{"correctness":0.5}},"bucket":"refined"})",
      R"({"id":"c","duel":{"score":null,"parsed":false},"bucket":"parse-fail"})",
      R"({"id":"d","duel":{"score":95,"parsed":true,"by_metric":{"correctness":null}},"bucket":"final"})"};
  for (std::uint64_t i = 0; i < 4; ++i) ASSERT_EQ(judged.add(feed.record(lines[i]), {"t.jsonl", i + 1, i}), "") << i;
  EXPECT_EQ(judged.turns(), 4u);

  doc::Document document;
  judged.write(document, report::NumberFormat(2));
  judged.write_turns(document, report::NumberFormat(2));
  const std::string markdown = doc::render_markdown(document);
  EXPECT_EQ(section(markdown, "Totals"),
            "## Totals\n\n"
            "| figure | turns | share |\n|---|---:|---:|\n"
            "| judged turns | 4 | 100.0% |\n| parsed | 3 | 75.0% |\n| not parsed | 1 | 25.0% |\n"
            "| with a score | 3 | 75.0% |\n| without a score | 1 | 25.0% |\n\n");
  EXPECT_NE(markdown.find("| score | 3 | 85.00 | 13.23 | 70.00 | 95.00 |"), std::string::npos);
  EXPECT_NE(markdown.find("| delta | 1 | -0.50 | 0.00 | -0.50 | -0.50 |"), std::string::npos);
  // Buckets: highest mean score first, the one without scores last.
  const std::string buckets = section(markdown, "Buckets");
  ASSERT_NE(buckets.find("| parse-fail | 1 |"), std::string::npos);
  EXPECT_LT(buckets.find("| final | 2 |"), buckets.find("| refined | 1 |"));
  EXPECT_LT(buckets.find("| refined | 1 |"), buckets.find("| parse-fail | 1 |"));
  // Bins of 50 split at 66 and 80: 0-50, 50-66, 66-80, 80-100.
  EXPECT_NE(markdown.find("| 66 \u2013 80 | 66 \u2013 80 | 1 | 33.3% |"), std::string::npos);
  EXPECT_NE(markdown.find("| 80 \u2013 100 | \u2265 80 | 2 | 66.7% |"), std::string::npos);
  EXPECT_NE(markdown.find("| correctness | 2 | 0.75 |"), std::string::npos);
  // The two best turns, and the note on the two left out.
  const std::string turns = section(markdown, "Turns by score");
  EXPECT_NE(turns.find("| 1 | 95.00 | d | final | \u2014 | t.jsonl:4 |"), std::string::npos);
  EXPECT_NE(turns.find("| 2 | 90.00 | a | final | 1.00 | t.jsonl:1 |"), std::string::npos);
  EXPECT_NE(turns.find("2 more turns not shown (--max-rows 2)."), std::string::npos);
}

TEST(JudgedReport, BadRecordsChangeNoCount) {
  report::testing::Feeder feed;
  report::JudgedReport judged(settings(20));
  EXPECT_EQ(judged.add(feed.record(R"({"duel":{"score":101,"parsed":true}})"), {"-", 1, 0}),
            "'duel.score' is 101: a score is 0 to 100");
  EXPECT_EQ(judged.add(feed.record(R"({"duel":{"score":50}})"), {"-", 2, 0}), "missing 'duel.parsed'");
  EXPECT_EQ(judged.add(feed.record(R"({"duel":{"score":50,"parsed":1}})"), {"-", 3, 0}),
            "'duel.parsed' must be true or false, not a number");
  EXPECT_EQ(judged.add(feed.record(R"({"duel":{"score":50,"parsed":true},"bucket":3})"), {"-", 4, 0}),
            "'bucket' must be a string, not a number");
  EXPECT_EQ(judged.add(feed.record(R"({"duel":[]})"), {"-", 5, 0}), "'duel' must be an object, not an array");
  EXPECT_EQ(judged.turns(), 0u);
}

TEST(JudgedReport, WithoutEdgesNoBandAndTheIdColumnOnlyWhenTurnsHaveIt) {
  report::testing::Feeder feed;
  report::JudgedReport::Settings plain = settings(5);
  plain.edges.clear();
  report::JudgedReport judged(plain);
  ASSERT_EQ(judged.add(feed.record(R"({"duel":{"score":90,"parsed":true},"bucket":"final"})"), {"t", 1, 0}), "");
  ASSERT_EQ(judged.add(feed.record(R"({"duel":{"score":40,"parsed":true},"bucket":"defeat"})"), {"t", 2, 1}), "");
  doc::Document document;
  judged.write(document, report::NumberFormat(1));
  judged.write_turns(document, report::NumberFormat(1));
  const std::string markdown = doc::render_markdown(document);
  const std::string histogram = section(markdown, "Score histogram");
  EXPECT_NE(histogram.find("| bin | turns | share |  |\n"), std::string::npos);
  EXPECT_NE(histogram.find("| 0 \u2013 50 | 1 | 50.0% |"), std::string::npos);
  EXPECT_EQ(histogram.find("band"), std::string::npos);
  EXPECT_NE(section(markdown, "Turns by score").find("| rank | score | bucket | record |\n"), std::string::npos);
  EXPECT_TRUE(judged.edge_conflicts().empty());
}

TEST(JudgedReport, EdgeConflictsNameTheBucketsAcrossAnEdge) {
  report::testing::Feeder feed;
  report::JudgedReport judged(settings(5));  // edges 66, 80
  const char* lines[] = {R"({"duel":{"score":90,"parsed":true},"bucket":"final"})",
                         R"({"duel":{"score":80,"parsed":true},"bucket":"final"})",
                         R"({"duel":{"score":60,"parsed":true},"bucket":"mid"})",
                         R"({"duel":{"score":70,"parsed":true},"bucket":"mid"})",
                         R"({"duel":{"score":65.9,"parsed":true},"bucket":"low"})"};
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_EQ(judged.add(feed.record(lines[i]), {"t", i + 1, i}), "") << i;
  // 80 belongs to the bucket above the edge: 'final' (80 to 90) does not straddle it.
  EXPECT_EQ(judged.edge_conflicts(), (std::vector<std::string>{"'mid' has scores 60 to 70 across edge 66"}));
}

}  // namespace
