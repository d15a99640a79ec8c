#include "prefline/pairs/item_reader.hpp"

#include <gtest/gtest.h>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

TEST(PairsItemReader, ReadsScoresObjectPromptAndResponse) {
  Settings settings;
  settings.by_path = {"overall"};
  pairs_test::ItemSet set(settings);
  ASSERT_EQ(set.add(R"({"challenge":"c","model":"m","scores":{"technical":{"mean":4.5,"median":5},)"
                    R"("aesthetic":{"mean":-0.0}},"overall":3,"vote_count":2,"prompt":"p","response":"r"})"),
            "");
  ASSERT_EQ(set.items.size(), 1u);
  const Item& item = set.items[0];
  EXPECT_EQ(item.score, 3);
  EXPECT_EQ(item.vote_count, 2u);
  EXPECT_EQ(item.candidate_json(), "\"m\"");
  EXPECT_EQ(item.scores_json(), R"({"technical":4.5,"aesthetic":0,"overall":3,"vote_count":2})");
  EXPECT_EQ(item.prompt(), "p");
  ASSERT_TRUE(item.response().has_value());
  EXPECT_EQ(*item.response(), "r");
  EXPECT_EQ(set.groups[0].items, (std::vector<std::uint32_t>{0}));
}

TEST(PairsItemReader, CountsItemsWithoutScoreOrVotesAndRefusesTwins) {
  Settings settings;
  settings.by_path = {"scores", "technical", "median"};
  settings.by = "scores.technical.median";
  settings.min_votes = 2;
  pairs_test::ItemSet set(settings);
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"a","scores":{"technical":{"median":null}}})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"b","scores":{"technical":{"median":4}},"vote_count":1})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"c","scores":{"technical":{"median":4}},"vote_count":2})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"c"})"), "the item \"c\"/\"c\" appears twice");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"d","scores":{"technical":{"median":"x"}}})"),
            "--by 'scores.technical.median' is not a number: '\"x\"'");
  EXPECT_EQ(set.counters.items, 3u);
  EXPECT_EQ(set.counters.without_score, 1u);
  EXPECT_EQ(set.counters.below_min_votes, 1u);
  EXPECT_EQ(set.groups[0].members.size(), 3u);
  EXPECT_EQ(set.groups[0].items, (std::vector<std::uint32_t>{2}));
  EXPECT_FALSE(set.items[0].response().has_value());
}

}  // namespace
