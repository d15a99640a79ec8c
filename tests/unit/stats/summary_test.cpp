#include "prefline/stats/summary.hpp"

#include <gtest/gtest.h>

#include "prefline/random/generator.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace {

using prefline::stats::RatedValue;
using prefline::stats::Summary;
using prefline::stats::summarize;

using prefline::SplitMix64;

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

void expect_identical(const Summary& a, const Summary& b) {
  EXPECT_EQ(bits(a.mean), bits(b.mean));
  EXPECT_EQ(bits(a.median), bits(b.median));
  EXPECT_EQ(bits(a.trimmed_mean), bits(b.trimmed_mean));
  EXPECT_EQ(bits(a.sd), bits(b.sd));
  EXPECT_EQ(bits(a.min), bits(b.min));
  EXPECT_EQ(bits(a.max), bits(b.max));
  EXPECT_EQ(a.n, b.n);
}

void expect_close(double actual, double expected, const char* what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::max(1.0, std::fabs(expected))) << what;
}

TEST(Stats, SdOfGradesIsExact) {
  // 25 grades whose sample sd is exactly 1.5 (the two-pass formula gave
  // 1.5000000000000004 and a spurious "sd > 1.5" flag).
  const std::vector<double> grades{2, 2, 5, 4, 5, 4, 2, 0, 2, 3, 4, 2, 3, 5, 1, 1, 4, 2, 5, 4, 4, 5, 2, 4, 5};
  EXPECT_EQ(prefline::stats::summarize(grades, 0.1).sd, 1.5);
  EXPECT_EQ(prefline::stats::summarize({1, 2, 3, 4}, 0).sd, std::sqrt(5.0 / 3.0));
  EXPECT_EQ(prefline::stats::summarize({4.5, 3.5}, 0).sd, std::sqrt(0.5));
}

TEST(Stats, FourValues) {
  const Summary s = summarize({4, 1, 3, 2}, 0.1);
  EXPECT_EQ(s.n, 4u);
  EXPECT_EQ(s.mean, 2.5);
  EXPECT_EQ(s.median, 2.5);
  EXPECT_EQ(s.trimmed_mean, 2.5);  // floor(0.1 * 4) = 0: nothing dropped
  EXPECT_DOUBLE_EQ(s.sd, 1.2909944487358056);  // sqrt(5 / 3)
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 4);
}

TEST(Stats, OddCountMedianIsTheMiddleValue) {
  const Summary s = summarize({5, 1, 4, 2, 3}, 0);
  EXPECT_EQ(s.median, 3);
  EXPECT_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(2.5));
}

TEST(Stats, TrimmedMeanDropsFloorOfTrimTimesNFromEachEnd) {
  const std::vector<double> values{100, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(summarize(values, 0.1).trimmed_mean, 5.5);      // drops 1 and 100: mean of 2..9
  EXPECT_EQ(summarize(values, 0.25).trimmed_mean, 5.5);     // floor(2.5) = 2: mean of 3..8
  EXPECT_EQ(summarize(values, 0.0999).trimmed_mean, 14.5);  // floor(0.999) = 0: the plain mean
  EXPECT_EQ(summarize(values, 0.0999).mean, 14.5);
  EXPECT_EQ(summarize(values, 0.45).trimmed_mean, 5.5);     // drops 4 from each end: mean of 5, 6
  EXPECT_EQ(summarize(values, 0).trimmed_mean, summarize(values, 0).mean);
}

TEST(Stats, SingleValueHasZeroSd) {
  const Summary s = summarize({3.25}, 0.4);
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(s.mean, 3.25);
  EXPECT_EQ(s.median, 3.25);
  EXPECT_EQ(s.trimmed_mean, 3.25);
  EXPECT_EQ(s.sd, 0);
  EXPECT_EQ(s.min, 3.25);
  EXPECT_EQ(s.max, 3.25);
}

TEST(Stats, EmptyIsNaN) {
  const Summary s = summarize({}, 0.1);
  EXPECT_EQ(s.n, 0u);
  for (double x : {s.mean, s.median, s.trimmed_mean, s.sd, s.min, s.max}) EXPECT_TRUE(std::isnan(x));
}

TEST(Stats, MeanOfEqualValuesIsThatValue) {
  // Summed naively, seven copies of 0.1 make 0.7000000000000001, and / 7 is not 0.1.
  const Summary s = summarize(std::vector<double>(7, 0.1), 0.2);
  EXPECT_EQ(s.mean, 0.1);
  EXPECT_EQ(s.trimmed_mean, 0.1);
  EXPECT_EQ(s.median, 0.1);
  EXPECT_EQ(s.sd, 0);
}

TEST(Stats, RejectsTrimOutsideZeroToHalf) {
  EXPECT_THROW(summarize({1, 2}, -0.01), std::invalid_argument);
  EXPECT_THROW(summarize({1, 2}, 0.5), std::invalid_argument);
  EXPECT_THROW(summarize({1, 2}, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
}

TEST(Stats, OrderIndependentToTheBit) {
  SplitMix64 random{42};
  std::vector<double> values(1000);
  // Magnitudes from 1e-3 to 1e3 and both signs, so that a sum in input order would differ by order.
  for (double& x : values) x = (random.uniform() - 0.3) * std::pow(10.0, 6 * random.uniform() - 3);
  const Summary reference = summarize(values, 0.1);
  for (int round = 0; round < 20; ++round) {
    random.shuffle(values);
    expect_identical(summarize(values, 0.1), reference);
  }
}

TEST(Stats, SignedZerosDoNotDependOnOrder) {
  expect_identical(summarize({-0.0, 0.0, 0.0}, 0), summarize({0.0, 0.0, -0.0}, 0));
  expect_identical(summarize({0.0, -0.0}, 0), summarize({-0.0, 0.0}, 0));
  EXPECT_TRUE(std::signbit(summarize({0.0, -0.0, 1.0}, 0).min));
}

// The second, deliberately simple implementation: sort, then the textbook formulas in plain loops.
Summary naive_summary(std::vector<double> values, double trim) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  Summary s{};
  s.n = n;
  double sum = 0;
  for (double x : values) sum += x;
  s.mean = sum / n;
  s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  const std::size_t k = static_cast<std::size_t>(trim * n);
  double trimmed_sum = 0;
  for (std::size_t i = k; i < n - k; ++i) trimmed_sum += values[i];
  s.trimmed_mean = trimmed_sum / (n - 2 * k);
  double squares = 0;
  for (double x : values) squares += (x - s.mean) * (x - s.mean);
  s.sd = n == 1 ? 0 : std::sqrt(squares / (n - 1));
  s.min = values.front();
  s.max = values.back();
  return s;
}

TEST(Stats, MatchesNaiveImplementation) {
  SplitMix64 random{7};
  for (int round = 0; round < 500; ++round) {
    const std::size_t n = 1 + random.below(80);
    std::vector<double> values(n);
    const int kind = round % 3;
    for (double& x : values) {
      if (kind == 0) x = static_cast<double>(1 + random.below(5));        // a 1-5 grading scale
      else if (kind == 1) x = 10 * random.uniform();                      // continuous grades
      else x = 1000 + random.uniform() - 0.5;                             // large offset, small spread
    }
    const double trim = 0.49 * random.uniform();
    const Summary actual = summarize(values, trim);
    const Summary expected = naive_summary(values, trim);
    SCOPED_TRACE(round);
    EXPECT_EQ(actual.n, expected.n);
    expect_close(actual.mean, expected.mean, "mean");
    expect_close(actual.median, expected.median, "median");
    expect_close(actual.trimmed_mean, expected.trimmed_mean, "trimmed_mean");
    expect_close(actual.sd, expected.sd, "sd");
    EXPECT_EQ(actual.min, expected.min);
    EXPECT_EQ(actual.max, expected.max);
  }
}

TEST(Stats, WeightedMean) {
  const std::vector<double> values{1, 2, 3};
  const std::vector<double> weights{1, 1, 2};
  EXPECT_EQ(prefline::stats::weighted_mean(values, weights), 2.25);  // (1 + 2 + 6) / 4
  const std::vector<double> equal{1, 1, 1};
  EXPECT_EQ(prefline::stats::weighted_mean(values, equal), 2);
}

TEST(Stats, WeightedMeanLeavesOutZeroWeights) {
  const std::vector<double> values{4, std::numeric_limits<double>::quiet_NaN(), 2};
  const std::vector<double> weights{1, 0, 3};
  EXPECT_EQ(prefline::stats::weighted_mean(values, weights), 2.5);
}

TEST(Stats, WeightedMeanRejectsBadWeights) {
  const std::vector<double> values{1, 2};
  const std::vector<double> short_weights{1};
  const std::vector<double> negative{1, -1};
  const std::vector<double> zero{0, 0};
  EXPECT_THROW(prefline::stats::weighted_mean(values, short_weights), std::invalid_argument);
  EXPECT_THROW(prefline::stats::weighted_mean(values, negative), std::invalid_argument);
  EXPECT_THROW(prefline::stats::weighted_mean(values, zero), std::invalid_argument);
}

// ---- Calibration ----

TEST(Calibration, ZscoreMakesAHarshRaterWithEqualSpreadAgree) {
  // Rater 1 grades every item exactly one point below rater 0, with the same spread.
  const std::vector<RatedValue> values{{0, 0, 3}, {1, 0, 4}, {2, 0, 5}, {0, 1, 2}, {1, 1, 3}, {2, 1, 4}};
  const std::vector<double> calibrated = prefline::stats::calibrate_zscore(values, 2);
  ASSERT_EQ(calibrated.size(), values.size());
  for (std::size_t item = 0; item < 3; ++item) EXPECT_DOUBLE_EQ(calibrated[item], calibrated[item + 3]) << item;
  // Pooled mean 3.5 and population sd sqrt(5.5 / 6); z = -sqrt(1.5), 0, +sqrt(1.5).
  const double pooled_sd = std::sqrt(5.5 / 6);
  EXPECT_DOUBLE_EQ(calibrated[0], 3.5 - std::sqrt(1.5) * pooled_sd);
  EXPECT_DOUBLE_EQ(calibrated[1], 3.5);
  EXPECT_DOUBLE_EQ(calibrated[2], 3.5 + std::sqrt(1.5) * pooled_sd);
}

TEST(Calibration, ZscoreOnlyShiftsARaterWithoutSpread) {
  // Rater 1 gave one value, rater 2 always the same value: both are only shifted to the pooled mean.
  const std::vector<RatedValue> values{{0, 0, 1}, {1, 0, 5}, {0, 1, 2}, {0, 2, 4}, {1, 2, 4}};
  const std::vector<double> calibrated = prefline::stats::calibrate_zscore(values, 4);
  const double pooled_mean = 16.0 / 5;
  EXPECT_DOUBLE_EQ(calibrated[2], pooled_mean);
  EXPECT_DOUBLE_EQ(calibrated[3], pooled_mean);
  EXPECT_DOUBLE_EQ(calibrated[4], pooled_mean);
  // Rater 0: z = -1 and +1.
  const double pooled_sd = std::sqrt((4.84 + 3.24 + 1.44 + 0.64 + 0.64) / 5);
  EXPECT_DOUBLE_EQ(calibrated[0], pooled_mean - pooled_sd);
  EXPECT_DOUBLE_EQ(calibrated[1], pooled_mean + pooled_sd);
}

TEST(Calibration, ZscoreRejectsBadInput) {
  EXPECT_THROW(prefline::stats::calibrate_zscore({{0, 2, 1}}, 2), std::invalid_argument);
  EXPECT_THROW(prefline::stats::calibrate_zscore({{0, 0, std::numeric_limits<double>::infinity()}}, 1),
               std::invalid_argument);
  EXPECT_TRUE(prefline::stats::calibrate_zscore({}, 3).empty());
}

TEST(Calibration, AdditiveRecoversKnownBiases) {
  // x = c_i + b_r exactly, on an incomplete but connected design with unequal counts per rater.
  const std::vector<double> quality{3, 4.5, 2, 5, 1.5, 3.5};
  const std::vector<double> bias{1, -0.5, 0.25};
  const std::vector<std::vector<std::size_t>> graded_by{{0, 1}, {0, 2}, {1, 2}, {0, 1, 2}, {0}, {2}};
  std::vector<RatedValue> values;
  double bias_sum = 0;
  for (std::size_t item = 0; item < quality.size(); ++item)
    for (std::size_t rater : graded_by[item]) {
      values.push_back({item, rater, quality[item] + bias[rater]});
      bias_sum += bias[rater];
    }
  // The model fixes biases up to a constant; the fit centres them so their mean over all values is 0.
  const double mean_bias = bias_sum / static_cast<double>(values.size());

  const auto fit = prefline::stats::fit_additive(values, quality.size(), bias.size());
  EXPECT_TRUE(fit.converged);
  for (std::size_t r = 0; r < bias.size(); ++r) EXPECT_NEAR(fit.rater_biases[r], bias[r] - mean_bias, 1e-8) << r;
  for (std::size_t i = 0; i < quality.size(); ++i) EXPECT_NEAR(fit.item_effects[i], quality[i] + mean_bias, 1e-8) << i;

  const std::vector<double> calibrated = prefline::stats::calibrate_additive(values, quality.size(), bias.size());
  ASSERT_EQ(calibrated.size(), values.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    EXPECT_NEAR(calibrated[k], quality[values[k].item] + mean_bias, 1e-8) << k;
}

TEST(Calibration, AdditiveLeavesAbsentItemsAndRatersNaN) {
  const std::vector<RatedValue> values{{0, 0, 4}, {0, 2, 2}, {2, 0, 5}, {2, 2, 3}};
  const auto fit = prefline::stats::fit_additive(values, 3, 4);
  EXPECT_TRUE(std::isnan(fit.item_effects[1]));
  EXPECT_TRUE(std::isnan(fit.rater_biases[1]));
  EXPECT_TRUE(std::isnan(fit.rater_biases[3]));
  EXPECT_NEAR(fit.rater_biases[0], 1, 1e-9);
  EXPECT_NEAR(fit.rater_biases[2], -1, 1e-9);
}

struct RandomDesign {
  std::vector<RatedValue> values;
  std::size_t items, raters;
};

RandomDesign random_design(SplitMix64& random, std::size_t items, std::size_t raters) {
  std::vector<double> quality(items), bias(raters);
  for (double& c : quality) c = 1 + 4 * random.uniform();
  for (double& b : bias) b = random.uniform() - 0.5;
  RandomDesign design{{}, items, raters};
  for (std::size_t i = 0; i < items; ++i)
    for (std::size_t r = 0; r < raters; ++r)
      if (r == i % raters || random.uniform() < 0.3)  // every item graded at least once
        design.values.push_back({i, r, quality[i] + bias[r] + 0.8 * (random.uniform() - 0.5)});
  return design;
}

TEST(Calibration, AdditiveConvergesToTheLeastSquaresFit) {
  SplitMix64 random{2024};
  for (int round = 0; round < 10; ++round) {
    const RandomDesign design = random_design(random, 40, 8);
    const auto fit = prefline::stats::fit_additive(design.values, design.items, design.raters);
    SCOPED_TRACE(round);
    ASSERT_TRUE(fit.converged);
    EXPECT_LT(fit.iterations, 10000);
    // At the least-squares optimum the residuals x - c_i - b_r average to 0 over every item and over
    // every rater (the normal equations), and the biases average to 0 over all values.
    std::vector<double> item_residual(design.items, 0), rater_residual(design.raters, 0);
    double bias_sum = 0;
    for (const RatedValue& v : design.values) {
      const double residual = v.value - fit.item_effects[v.item] - fit.rater_biases[v.rater];
      item_residual[v.item] += residual;
      rater_residual[v.rater] += residual;
      bias_sum += fit.rater_biases[v.rater];
    }
    for (double residual : item_residual) EXPECT_NEAR(residual, 0, 1e-7);
    for (double residual : rater_residual) EXPECT_NEAR(residual, 0, 1e-7);
    EXPECT_NEAR(bias_sum, 0, 1e-9);
    const std::vector<double> calibrated =
        prefline::stats::calibrate_additive(design.values, design.items, design.raters);
    for (std::size_t k = 0; k < design.values.size(); ++k)
      EXPECT_EQ(calibrated[k], design.values[k].value - fit.rater_biases[design.values[k].rater]);
  }
}

TEST(Calibration, AdditiveStopsAtMaxIterations) {
  SplitMix64 random{5};
  const RandomDesign design = random_design(random, 20, 5);
  const auto fit = prefline::stats::fit_additive(design.values, design.items, design.raters, 1e-9, 1);
  EXPECT_FALSE(fit.converged);
  EXPECT_EQ(fit.iterations, 1);
  EXPECT_EQ(prefline::stats::calibrate_additive(design.values, design.items, design.raters, 1e-9, 1).size(),
            design.values.size());
  EXPECT_THROW(prefline::stats::fit_additive(design.values, design.items, design.raters, 1e-9, 0),
               std::invalid_argument);
  EXPECT_THROW(prefline::stats::fit_additive(design.values, design.items, design.raters, -1), std::invalid_argument);
  EXPECT_THROW(prefline::stats::fit_additive(design.values, design.items - 1, design.raters), std::invalid_argument);
}

TEST(Calibration, DeterministicWhateverTheInputOrder) {
  SplitMix64 random{99};
  const RandomDesign design = random_design(random, 30, 6);
  const std::vector<double> zscore = prefline::stats::calibrate_zscore(design.values, design.raters);
  const std::vector<double> additive = prefline::stats::calibrate_additive(design.values, design.items, design.raters);
  EXPECT_EQ(prefline::stats::calibrate_zscore(design.values, design.raters), zscore);
  EXPECT_EQ(prefline::stats::calibrate_additive(design.values, design.items, design.raters), additive);

  std::vector<std::size_t> order(design.values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (int round = 0; round < 5; ++round) {
    random.shuffle(order);
    std::vector<RatedValue> shuffled;
    for (std::size_t k : order) shuffled.push_back(design.values[k]);
    const std::vector<double> shuffled_zscore = prefline::stats::calibrate_zscore(shuffled, design.raters);
    const std::vector<double> shuffled_additive =
        prefline::stats::calibrate_additive(shuffled, design.items, design.raters);
    for (std::size_t j = 0; j < order.size(); ++j) {
      EXPECT_EQ(bits(shuffled_zscore[j]), bits(zscore[order[j]]));
      EXPECT_EQ(bits(shuffled_additive[j]), bits(additive[order[j]]));
    }
  }
}

}  // namespace
