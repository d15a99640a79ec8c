#include "prefline/stats/moments.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "prefline/random/generator.hpp"

namespace {

using prefline::stats::Moments;

// The textbook two-pass computation: the mean, then the squared deviations from it.
struct TwoPass {
  double mean, sd;
};
TwoPass two_pass(const std::vector<double>& values) {
  long double sum = 0;
  for (double x : values) sum += x;
  const long double mean = sum / values.size();
  long double squares = 0;
  for (double x : values) squares += (x - mean) * (x - mean);
  return {static_cast<double>(mean), static_cast<double>(std::sqrt(squares / (values.size() - 1)))};
}

TEST(Moments, EmptyIsAllNaN) {
  const Moments moments;
  EXPECT_EQ(moments.n(), 0u);
  EXPECT_TRUE(std::isnan(moments.mean()));
  EXPECT_TRUE(std::isnan(moments.sd()));
  EXPECT_TRUE(std::isnan(moments.min()));
  EXPECT_TRUE(std::isnan(moments.max()));
}

TEST(Moments, OneValueHasSdZero) {
  Moments moments;
  moments.add(7.5);
  EXPECT_EQ(moments.n(), 1u);
  EXPECT_EQ(moments.mean(), 7.5);
  EXPECT_EQ(moments.sd(), 0.0);
  EXPECT_EQ(moments.min(), 7.5);
  EXPECT_EQ(moments.max(), 7.5);
}

TEST(Moments, KnownValues) {
  Moments moments;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) moments.add(x);
  EXPECT_EQ(moments.n(), 8u);
  EXPECT_DOUBLE_EQ(moments.mean(), 5.0);
  EXPECT_DOUBLE_EQ(moments.sd(), std::sqrt(32.0 / 7.0));  // sum of squared deviations 32, n - 1 = 7
  EXPECT_EQ(moments.min(), 2.0);
  EXPECT_EQ(moments.max(), 9.0);
}

TEST(Moments, MatchesTwoPassOnRandomData) {
  prefline::SplitMix64 random{17};
  std::vector<double> values;
  Moments moments;
  for (int i = 0; i < 10000; ++i) {
    // A large offset: where a one-pass sum of squares would lose every digit.
    const double x = 1e9 + static_cast<double>(random.below(1000000)) / 1000.0;
    values.push_back(x);
    moments.add(x);
  }
  const TwoPass reference = two_pass(values);
  EXPECT_NEAR(moments.mean(), reference.mean, 1e-6);
  EXPECT_NEAR(moments.sd(), reference.sd, reference.sd * 1e-9);
}

TEST(Moments, MeanOfEqualValuesIsThatValue) {
  Moments moments;
  for (int i = 0; i < 10; ++i) moments.add(0.1);
  EXPECT_EQ(moments.mean(), 0.1);
  EXPECT_EQ(moments.min(), 0.1);
  EXPECT_EQ(moments.max(), 0.1);
}

}  // namespace
