#include "prefline/label/blind_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

TEST(BlindOrder, SameGraderSameOrderOtherGraderOther) {
  const auto alice = prefline::label::grader_order(100, "alice");
  EXPECT_EQ(alice, prefline::label::grader_order(100, "alice"));
  EXPECT_NE(alice, prefline::label::grader_order(100, "bob"));
  auto sorted = alice;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
}

TEST(BlindOrder, NoShuffleKeepsInputOrder) {
  EXPECT_EQ(prefline::label::grader_order(4, "alice", false), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(BlindOrder, SidesAreACoinPerGraderAndItem) {
  int b_first = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "item" + std::to_string(i);
    const bool side = prefline::label::b_shown_first("alice", key);
    EXPECT_EQ(side, prefline::label::b_shown_first("alice", key));
    b_first += side ? 1 : 0;
  }
  // A fair coin: 1000 tosses land within 100 of 500 (about 6 sd).
  EXPECT_GT(b_first, 400);
  EXPECT_LT(b_first, 600);
}

}  // namespace
