#include "prefline/cli/suggest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(prefline::edit_distance("", ""), 0u);
  EXPECT_EQ(prefline::edit_distance("abc", ""), 3u);
  EXPECT_EQ(prefline::edit_distance("mediam", "median"), 1u);
  EXPECT_EQ(prefline::edit_distance("scor", "score"), 1u);
  EXPECT_EQ(prefline::edit_distance("teh", "the"), 1u);
  EXPECT_EQ(prefline::edit_distance("kitten", "sitting"), 3u);
}

TEST(NearestName, SuggestsOnlyWhenCloseAndUnambiguous) {
  const std::vector<std::string> options = {"--min-votes", "--min-margin", "--max-pairs", "--seed"};
  EXPECT_EQ(prefline::nearest_name("--min-vote", options), "--min-votes");
  EXPECT_EQ(prefline::nearest_name("--sed", options), "--seed");
  EXPECT_EQ(prefline::nearest_name("--min-m", options), "--min-margin");  // the start of one name
  EXPECT_EQ(prefline::nearest_name("--min-", options), "");               // the start of two
  EXPECT_EQ(prefline::nearest_name("--colour", options), "");
  EXPECT_EQ(prefline::nearest_name("ab", {"ac", "ad"}), "");  // a tie suggests neither
  EXPECT_EQ(prefline::nearest_name("x", {"y"}), "y");
  EXPECT_EQ(prefline::nearest_name("x", {"yz"}), "");
}

}  // namespace
