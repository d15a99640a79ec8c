#include "prefline/turns/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using prefline::turns::BottomSample;

TEST(TurnsSampling, KeyLayout) {
  EXPECT_EQ(prefline::turns::turn_key("django-1", 0xabcULL, 3), std::string("django-1\x1f") + "0000000000000abc\x1f" "3");
  EXPECT_EQ(prefline::turns::turn_rank("django-1", 0xabcULL, 3, 5),
            prefline::stable_hash(prefline::turns::turn_key("django-1", 0xabcULL, 3), 5));
}

TEST(TurnsSampling, RateThresholdIsPTimesTwoToThe64) {
  const prefline::turns::RateThreshold half(0.5);
  EXPECT_TRUE(half.keeps(0x7fffffffffffffffULL));
  EXPECT_FALSE(half.keeps(0x8000000000000000ULL));
  const prefline::turns::RateThreshold all(1.0);
  EXPECT_TRUE(all.keeps(UINT64_MAX));
}

TEST(TurnsSampling, BottomNIsTheSameInAnyOrder) {
  std::vector<std::uint64_t> ranks;
  for (std::uint64_t i = 0; i < 200; ++i) ranks.push_back(prefline::stable_hash(std::to_string(i), 1));
  std::vector<std::uint64_t> expected = ranks;
  std::sort(expected.begin(), expected.end());
  expected.resize(10);
  for (int pass = 0; pass < 3; ++pass) {
    if (pass == 1) std::reverse(ranks.begin(), ranks.end());
    if (pass == 2) std::rotate(ranks.begin(), ranks.begin() + 77, ranks.end());
    BottomSample<int> sample(10, false);
    for (std::uint64_t r : ranks) sample.add(r, 0, 0);
    std::vector<std::uint64_t> got;
    for (const auto& e : sample.entries()) got.push_back(e.rank);
    EXPECT_EQ(got, expected);
  }
}

TEST(TurnsSampling, EqualRanksBrokenByTieAndUniqueWhenAsked) {
  BottomSample<std::string> plain(2, false);
  EXPECT_TRUE(plain.add(5, 2, "b"));
  EXPECT_TRUE(plain.add(5, 1, "a"));
  EXPECT_FALSE(plain.add(5, 3, "c"));
  EXPECT_EQ(plain.entries().begin()->payload, "a");
  BottomSample<std::string> unique(3, true);
  EXPECT_TRUE(unique.add(4, 9, "q"));
  EXPECT_TRUE(unique.add(5, 2, "b"));
  EXPECT_TRUE(unique.add(5, 1, "a"));
  EXPECT_FALSE(unique.add(5, 3, "c"));
  EXPECT_TRUE(unique.add(7, 0, "z"));
  ASSERT_EQ(unique.entries().size(), 3U);
  EXPECT_EQ(std::next(unique.entries().begin())->payload, "a");
}

TEST(TurnsSampling, AddReportsTheRankPushedOut) {
  BottomSample<int> sample(2, false);
  std::optional<std::uint64_t> left;
  sample.add(10, 0, 1, &left);
  sample.add(20, 0, 2, &left);
  EXPECT_FALSE(left.has_value());
  EXPECT_TRUE(sample.add(15, 0, 3, &left));
  EXPECT_EQ(left, 20U);
  left.reset();
  EXPECT_FALSE(sample.add(16, 0, 4, &left));
  EXPECT_FALSE(left.has_value());
}

TEST(TurnsSampling, RankBoundIsTheNthLowest) {
  prefline::turns::RankBound bound(3);
  EXPECT_EQ(bound.bound(), UINT64_MAX);
  for (std::uint64_t r : {50, 10, 40}) bound.insert(r);
  EXPECT_EQ(bound.bound(), 50U);
  bound.insert(30);
  EXPECT_EQ(bound.bound(), 40U);
  bound.insert(60);
  EXPECT_EQ(bound.bound(), 40U);
  bound.erase(40);  // replaced in its instance by a lower one
  bound.insert(5);
  EXPECT_EQ(bound.bound(), 30U);
  bound.erase(60);
  EXPECT_EQ(bound.bound(), 30U);
  // A simple reference: sort and take the third.
  std::vector<std::uint64_t> held = {50, 10, 30, 5};
  std::sort(held.begin(), held.end());
  EXPECT_EQ(bound.bound(), held[2]);
}

TEST(TurnsSampling, MayTakeOnceFull) {
  BottomSample<int> sample(2, false);
  EXPECT_TRUE(sample.may_take(100));
  sample.add(10, 0, 0);
  sample.add(20, 0, 0);
  EXPECT_TRUE(sample.may_take(20));
  EXPECT_FALSE(sample.may_take(21));
  BottomSample<int> none(0, false);
  EXPECT_FALSE(none.may_take(0));
}

}  // namespace
