#include "prefline/consensus/item_table.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::grade_of;

TEST(ConsensusItemTable, KeepsItemsInFirstSeenOrderWithOneGradePerRater) {
  const Settings settings = consensus_test::default_settings();
  ItemTable table(settings);
  auto a = grade_of("c1", "m1", "bob", {4, 3});
  auto b = grade_of("c2", "m1", "ann", {2, 1});
  auto c = grade_of("c1", "m1", "ann", {5, 5});
  EXPECT_EQ(table.add(a), "");
  EXPECT_EQ(table.add(b), "");
  EXPECT_EQ(table.add(c), "");
  ASSERT_EQ(table.items().size(), 2u);
  EXPECT_EQ(table.items()[0].key_json, (std::vector<std::string>{"\"c1\"", "\"m1\""}));
  EXPECT_EQ(table.items()[0].grades.size(), 2u);
  EXPECT_EQ(table.items()[0].values, (std::vector<double>{4, 3, 5, 5}));
  EXPECT_EQ(table.rater_names(), (std::vector<std::string>{"bob", "ann"}));
  EXPECT_FALSE(table.items()[0].duplicate_grades);
}

TEST(ConsensusItemTable, LatestTimeWinsAndFlagsTheItem) {
  const Settings settings = consensus_test::default_settings();
  ItemTable table(settings);
  auto newer = grade_of("c", "m", "ann", {5, 5});
  newer.has_time = true;
  newer.time = 200;
  auto older = grade_of("c", "m", "ann", {1, 1});
  older.has_time = true;
  older.time = 100;
  auto untimed = grade_of("c", "m", "ann", {2, 2});
  table.add(newer);
  table.add(older);
  table.add(untimed);  // a grade with a time beats one without
  EXPECT_EQ(table.items()[0].values, (std::vector<double>{5, 5}));
  EXPECT_TRUE(table.items()[0].duplicate_grades);
}

TEST(ConsensusItemTable, FirstErrorAndMeanModes) {
  Settings settings = consensus_test::default_settings();
  settings.duplicates = Duplicates::first;
  ItemTable first(settings);
  auto one = grade_of("c", "m", "ann", {1, 2});
  auto two = grade_of("c", "m", "ann", {3, 4});
  first.add(one);
  first.add(two);
  EXPECT_EQ(first.items()[0].values, (std::vector<double>{1, 2}));

  settings.duplicates = Duplicates::error;
  ItemTable error(settings);
  error.add(one);
  EXPECT_TRUE(error.has_duplicate(two));
  EXPECT_EQ(error.add(two), "duplicate grade: rater 'ann' already graded this item (see --duplicates)");

  settings.duplicates = Duplicates::mean;
  ItemTable mean(settings);
  auto x = grade_of("c", "m", "ann", {1, not_graded}, true);
  auto y = grade_of("c", "m", "ann", {4, 3}, true);
  mean.add(x);
  mean.add(y);
  EXPECT_EQ(mean.items()[0].values, (std::vector<double>{5, 3}));  // sums
  EXPECT_EQ(mean.items()[0].counts, (std::vector<std::uint32_t>{2, 1}));
}

TEST(ConsensusItemTable, CanonicalizeSortsRatersByName) {
  const Settings settings = consensus_test::default_settings();
  ItemTable table(settings);
  auto zed = grade_of("c", "m", "zed", {1, 1});
  auto amy = grade_of("c", "m", "amy", {4, 4});
  table.add(zed);
  table.add(amy);
  table.canonicalize();
  EXPECT_EQ(table.rater_names(), (std::vector<std::string>{"amy", "zed"}));
  EXPECT_EQ(table.items()[0].grades[0].rater, 0u);
  EXPECT_EQ(table.items()[0].values, (std::vector<double>{4, 4, 1, 1}));
}

}  // namespace
