#include "prefline/text/split.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using Parts = std::vector<std::string>;

TEST(SplitList, SplitsAtEverySeparator) {
  EXPECT_EQ(prefline::split_list("a,b,c"), (Parts{"a", "b", "c"}));
  EXPECT_EQ(prefline::split_list("duel.score", '.'), (Parts{"duel", "score"}));
  EXPECT_EQ(prefline::split_list("one"), (Parts{"one"}));
}

TEST(SplitList, KeepsEmptyPartsForTheCallerToReport) {
  EXPECT_EQ(prefline::split_list(""), (Parts{""}));
  EXPECT_EQ(prefline::split_list("a,,b"), (Parts{"a", "", "b"}));
  EXPECT_EQ(prefline::split_list(",a,"), (Parts{"", "a", ""}));
}

TEST(SplitList, OtherSeparatorsAreText) {
  EXPECT_EQ(prefline::split_list("a b;c"), (Parts{"a b;c"}));
  EXPECT_EQ(prefline::split_list("x=1;y=2", ';'), (Parts{"x=1", "y=2"}));
}

}  // namespace
