#include "prefline/report/number_format.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace {

using prefline::report::NumberFormat;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(NumberFormat, ValuesInShortestForm) {
  EXPECT_EQ(NumberFormat::value(5), "5");
  EXPECT_EQ(NumberFormat::value(83.3333), "83.3333");
  EXPECT_EQ(NumberFormat::value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(NumberFormat::value(-0.0), "0");
  EXPECT_EQ(NumberFormat::value(1e21), "1e+21");
  EXPECT_EQ(NumberFormat::value(nan), "\u2014");
}

TEST(NumberFormat, StatisticsRoundedToDecimals) {
  const NumberFormat two(2), none(0);
  EXPECT_EQ(two.statistic(2.0 / 3.0), "0.67");
  EXPECT_EQ(two.statistic(5), "5.00");
  EXPECT_EQ(none.statistic(2.5), "2");  // ties to even
  EXPECT_EQ(none.statistic(3.5), "4");
  EXPECT_EQ(two.statistic(-0.001), "0.00");  // no "-0.00"
  EXPECT_EQ(two.statistic(-0.005001), "-0.01");
  EXPECT_EQ(two.statistic(nan), "\u2014");
}

TEST(NumberFormat, CountsAndShares) {
  EXPECT_EQ(NumberFormat::count(0), "0");
  EXPECT_EQ(NumberFormat::count(18446744073709551615u), "18446744073709551615");
  EXPECT_EQ(NumberFormat::share(1, 8), "12.5%");
  EXPECT_EQ(NumberFormat::share(2, 3), "66.7%");
  EXPECT_EQ(NumberFormat::share(0, 5), "0.0%");
  EXPECT_EQ(NumberFormat::share(0, 0), "\u2014");
}

TEST(NumberFormat, CountedPicksSingularOrPlural) {
  EXPECT_EQ(prefline::report::counted(1, "turn", "turns"), "1 turn");
  EXPECT_EQ(prefline::report::counted(0, "turn", "turns"), "0 turns");
  EXPECT_EQ(prefline::report::counted(2, "pair record", "pair records"), "2 pair records");
}

}  // namespace
