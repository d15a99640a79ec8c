#include "prefline/pairs/item_reader.hpp"

#include <gtest/gtest.h>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

TEST(PairsItemReader, ReadsScoresObjectPromptAndResponse) {
  Settings settings;
  settings.score_path = {"overall"};
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
  settings.score_path = {"scores", "technical", "median"};
  settings.score = "scores.technical.median";
  settings.min_votes = 2;
  pairs_test::ItemSet set(settings);
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"a","scores":{"technical":{"median":null}}})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"b","scores":{"technical":{"median":4}},"vote_count":1})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"c","scores":{"technical":{"median":4}},"vote_count":2})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"c"})"),
            "item (challenge 'c', model 'c') seen twice (line 3): pairup reads one record per item; are these "
            "grades? run consensus first");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":"d","scores":{"technical":{"median":"x"}}})"),
            "--score 'scores.technical.median' is not a number: '\"x\"'");
  EXPECT_EQ(set.counters.items, 3u);
  EXPECT_EQ(set.counters.without_score, 1u);
  EXPECT_EQ(set.counters.below_min_votes, 1u);
  EXPECT_EQ(set.groups[0].members.size(), 3u);
  EXPECT_EQ(set.groups[0].items, (std::vector<std::uint32_t>{2}));
  EXPECT_FALSE(set.items[0].response().has_value());
}

TEST(PairsItemReader, NamesTheFileOfAnItemSeenTwiceAcrossFiles) {
  Settings settings;
  settings.score_path = {"overall"};
  pairs_test::ItemSet set(settings);
  set.reader.begin_file("a.jsonl");
  ASSERT_EQ(set.add(R"({"challenge":"c","model":7,"overall":3})"), "");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":7,"overall":2})"),
            "item (challenge 'c', model '7') seen twice (line 1): pairup reads one record per item; are these "
            "grades? run consensus first");
  set.reader.begin_file("b.jsonl");
  EXPECT_EQ(set.add(R"({"challenge":"c","model":7,"overall":2})"),
            "item (challenge 'c', model '7') seen twice (a.jsonl:1): pairup reads one record per item; are these "
            "grades? run consensus first");
}

TEST(PairsItemReader, NotesWhetherTheScorePathIsThere) {
  Settings settings;
  settings.score_path = {"scores", "technical", "median"};
  settings.score = "scores.technical.median";
  pairs_test::ItemSet set(settings);
  ASSERT_EQ(set.add(R"({"challenge":"c","model":"a","scores":{"technical":{"median":null}}})"), "");
  EXPECT_TRUE(set.reader.score_checked());
  EXPECT_TRUE(set.reader.score_found());  // null: there, without a value
  ASSERT_EQ(set.add(R"({"challenge":"c","model":"b","scores":{"technical":{"mediam":4}}})"), "");
  EXPECT_TRUE(set.reader.score_checked());
  EXPECT_FALSE(set.reader.score_found());
  EXPECT_EQ(set.add(R"({"model":"b"})"), "missing group field 'challenge' (--group)");
  EXPECT_FALSE(set.reader.score_checked());
}

}  // namespace
