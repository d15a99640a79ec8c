#include "prefline/consensus/partial_record.hpp"

#include <gtest/gtest.h>

#include <string>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::grade_of;
using consensus_test::PaddedLine;

TEST(ConsensusPartialRecord, WritesEveryGradeTheStatisticsNeed) {
  const Settings settings = consensus_test::default_settings();
  ItemTable table(settings);
  auto ann = grade_of("c", "m", "ann", {4, not_graded});
  ann.has_time = true;
  ann.time = 42;
  table.add(ann);
  prefline::Buffer out;
  write_partial(out, settings, table.items()[0], table.rater_names());
  EXPECT_EQ(std::string(out.view()),
            R"({"item":{"challenge":"c","model":"m"},"keep":{},"dimensions":["technical","aesthetic"],)"
            R"("duplicate_grades":false,"grades":[{"rater":"ann","time":42,"values":[4,null]}]})"
            "\n");
}

TEST(ConsensusPartialRecord, MergeRestoresTheGrades) {
  const Settings settings = consensus_test::default_settings();
  ItemTable shard(settings);
  auto ann = grade_of("c", "m", "ann", {4, 3});
  auto bob = grade_of("c", "m", "bob", {2, not_graded});
  shard.add(ann);
  shard.add(bob);
  prefline::Buffer out;
  write_partial(out, settings, shard.items()[0], shard.rater_names());

  std::string text(out.view());
  text.pop_back();  // the line end
  const PaddedLine line(text);
  simdjson::ondemand::parser parser;
  ItemTable merged(settings);
  ASSERT_EQ(merge_partial(parser, line.line(), settings, merged), "");
  ASSERT_EQ(merged.items().size(), 1u);
  EXPECT_EQ(merged.items()[0].key_json, shard.items()[0].key_json);
  EXPECT_EQ(merged.rater_names(), (std::vector<std::string>{"ann", "bob"}));
  EXPECT_EQ(merged.items()[0].values[0], 4);
  EXPECT_EQ(merged.items()[0].values[2], 2);
  EXPECT_TRUE(std::isnan(merged.items()[0].values[3]));
}

TEST(ConsensusPartialRecord, RefusesAnotherDimensionList) {
  const Settings settings = consensus_test::default_settings();
  const PaddedLine line(R"({"item":{"challenge":"c","model":"m"},"dimensions":["technical","style"],"grades":[]})");
  simdjson::ondemand::parser parser;
  ItemTable merged(settings);
  EXPECT_EQ(merge_partial(parser, line.line(), settings, merged),
            "partial record has dimension 'style' where --score expects 'aesthetic'");
  EXPECT_TRUE(merged.items().empty());
}

}  // namespace
