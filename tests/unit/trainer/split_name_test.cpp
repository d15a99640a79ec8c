#include "prefline/trainer/split_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using prefline::trainer::is_split_name;

TEST(SplitName, AcceptsWordsJoinedByDots) {
  EXPECT_TRUE(is_split_name("train"));
  EXPECT_TRUE(is_split_name("validation_2"));
  EXPECT_TRUE(is_split_name("test.hard"));
  EXPECT_TRUE(is_split_name("a.b.c"));
  EXPECT_TRUE(is_split_name(std::string(100, 'x')));
}

TEST(SplitName, RejectsWhatHuggingFaceOrAFileSystemWouldNot) {
  EXPECT_FALSE(is_split_name(""));
  EXPECT_FALSE(is_split_name(".train"));
  EXPECT_FALSE(is_split_name("train."));
  EXPECT_FALSE(is_split_name("a..b"));
  EXPECT_FALSE(is_split_name("a-b"));
  EXPECT_FALSE(is_split_name("a/b"));
  EXPECT_FALSE(is_split_name("tr\xc3\xa4in"));
  EXPECT_FALSE(is_split_name(std::string(101, 'x')));
}

TEST(SplitName, EachSplitHasItsFileUnderData) {
  EXPECT_EQ(prefline::trainer::split_path("train"), "data/train.jsonl");
  EXPECT_EQ(prefline::trainer::split_path("test.hard"), "data/test.hard.jsonl");
}

}  // namespace
