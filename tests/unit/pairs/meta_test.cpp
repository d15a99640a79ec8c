#include "prefline/pairs/meta.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

TEST(PairsMeta, CountsPairsGroupsCandidatesAndDifferences) {
  Settings settings;
  settings.score_path = {"overall"};
  settings.min_votes = 0;  // the items have no vote_count
  pairs_test::ItemSet set(settings);
  ASSERT_EQ(set.add(R"({"challenge":"c1","model":"a","overall":5})"), "");
  ASSERT_EQ(set.add(R"({"challenge":"c1","model":"b","overall":4})"), "");
  ASSERT_EQ(set.add(R"({"challenge":"c2","model":"b","overall":3})"), "");
  ASSERT_EQ(set.add(R"({"challenge":"c2","model":"c","overall":0})"), "");
  ASSERT_EQ(set.add(R"({"challenge":"c3","model":"a"})"), "");
  set.counters.missing_text = 1;
  PairMeta meta(set.groups.size());
  meta.add(1, set.groups[1], set.items[2], set.items[3], 3);
  meta.add(0, set.groups[0], set.items[0], set.items[1], 1);
  EXPECT_EQ(meta.written(), 2u);
  prefline::Buffer out;
  meta.write(out, settings, set.groups, set.counters, "2025-01-01T00:00:00.000Z", "1.0.0");
  EXPECT_EQ(std::string(out.view()),
            R"({"total_examples":2,"challenges":["c2","c1"],"models":["b","c","a"],)"
            R"("export_timestamp":"2025-01-01T00:00:00.000Z","format_version":"1.0.0",)"
            R"("pairs_per_group":{"c1":1,"c2":1},"score_difference":{"mean":2,"min":1,"max":3},)"
            R"("dropped":{"missing_text":1,"empty_text":0,"identical_texts":0},)"
            R"("items":{"read":5,"without_score":1,"below_min_votes":0}})"
            "\n");
}

TEST(PairsMeta, NoPairsLeavesScoreDifferenceEmpty) {
  Settings settings;
  const std::vector<Group> groups;
  const PairMeta meta(0);
  prefline::Buffer out;
  meta.write(out, settings, groups, Counters{}, "t", "v");
  EXPECT_NE(std::string(out.view()).find(R"("score_difference":{})"), std::string::npos);
}

}  // namespace
