// stats/bootstrap.hpp: the normal quantile against published values, the
// percentile bootstrap against a plain resampling written here, and the
// normal limit past the exact limit.
#include "prefline/stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

TEST(Bootstrap, NormalQuantileMatchesTables) {
  // Abramowitz & Stegun, table 26.5.
  EXPECT_NEAR(prefline::stats::normal_quantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(prefline::stats::normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(prefline::stats::normal_quantile(0.05), -1.644853626951472, 1e-12);
  EXPECT_NEAR(prefline::stats::normal_quantile(0.001), -3.090232306167813, 1e-11);
  EXPECT_NEAR(prefline::stats::normal_quantile(0.01), -2.326347874040841, 1e-12);
}

TEST(Bootstrap, LowerBoundIsThePercentileOfResampledMeans) {
  const std::vector<double> values = {0.1, -0.2, 0.3, 0.05, 0.4, -0.1, 0.2, 0.15};
  const int resamples = 2000;
  // The same draws, written out plainly.
  prefline::SplitMix64 random{17};
  std::vector<double> means;
  for (int r = 0; r < resamples; ++r) {
    double sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) sum += values[random.below(values.size())];
    means.push_back(sum / static_cast<double>(values.size()));
  }
  std::sort(means.begin(), means.end());
  EXPECT_EQ(prefline::stats::bootstrap_lcb(values, resamples, 0.05, 17), means[100]);
  // Below the mean (0.1125), above the smallest value.
  EXPECT_LT(means[100], 0.1125);
  EXPECT_GT(means[100], -0.2);
}

TEST(Bootstrap, NormalLimitForLargeSamples) {
  std::vector<double> values;
  for (int i = 0; i < 60000; ++i) values.push_back(i % 2 ? 1.0 : 0.0);  // mean 0.5, population sd 0.5
  const double expected = 0.5 + prefline::stats::normal_quantile(0.05) * 0.5 / std::sqrt(60000.0);
  EXPECT_NEAR(prefline::stats::bootstrap_lcb(values, 1000, 0.05, 0), expected, 1e-12);
}

TEST(Bootstrap, NoValuesGiveNaN) {
  EXPECT_TRUE(std::isnan(prefline::stats::bootstrap_lcb({}, 100, 0.05, 0)));
  EXPECT_TRUE(std::isnan(prefline::stats::bootstrap_lcb({1.0}, 0, 0.05, 0)));
}

}  // namespace
