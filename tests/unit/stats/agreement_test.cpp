#include "prefline/stats/agreement.hpp"

#include <gtest/gtest.h>

#include "prefline/random/generator.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using prefline::agreement::krippendorff_alpha;
using prefline::agreement::Metric;
using prefline::stats::RatedValue;

using prefline::SplitMix64;

// Reliability data as published: one row per rater, one column per unit, '*' = missing.
// Returns one vector of values per unit (column).
std::vector<std::vector<double>> units_of(const std::vector<std::string>& rows) {
  std::vector<std::vector<double>> units;
  for (const std::string& row : rows) {
    std::istringstream cells(row);
    std::string cell;
    for (std::size_t unit = 0; cells >> cell; ++unit) {
      if (units.size() <= unit) units.resize(unit + 1);
      if (cell != "*") units[unit].push_back(std::stod(cell));
    }
  }
  return units;
}

double rounded(double alpha) { return std::round(alpha * 1000) / 1000; }

// The example of the Python `krippendorff` package's documentation (README).
const std::vector<std::string> package_example{
    "*  *  *  *  *  3  4  1  2  1  1  3  3  *  3",
    "1  *  2  1  3  3  4  3  *  *  *  *  *  *  *",
    "*  *  2  1  3  4  4  *  2  1  1  3  3  *  4",
};

// Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units.
const std::vector<std::string> krippendorff_example{
    "1 2 3 3 2 1 4 1 2 * * *",
    "1 2 3 3 2 2 4 1 2 5 * 3",
    "* 3 3 3 2 3 4 2 2 5 1 *",
    "1 2 3 3 2 4 4 1 2 5 1 *",
};

TEST(Agreement, KrippendorffPackageExample) {
  const auto units = units_of(package_example);
  ASSERT_EQ(units.size(), 15u);
  const auto nominal = krippendorff_alpha(units, Metric::nominal);
  EXPECT_EQ(rounded(nominal.alpha), 0.691);
  EXPECT_EQ(rounded(krippendorff_alpha(units, Metric::interval).alpha), 0.811);
  // Units 1, 2 and 14 have fewer than 2 values; the other 12 hold 26 values.
  EXPECT_EQ(nominal.units, 12u);
  EXPECT_EQ(nominal.pairable_values, 26u);
}

TEST(Agreement, Krippendorff2011Example) {
  const auto units = units_of(krippendorff_example);
  ASSERT_EQ(units.size(), 12u);
  const auto nominal = krippendorff_alpha(units, Metric::nominal);
  const auto ordinal = krippendorff_alpha(units, Metric::ordinal);
  const auto interval = krippendorff_alpha(units, Metric::interval);
  EXPECT_EQ(rounded(nominal.alpha), 0.743);
  EXPECT_EQ(rounded(ordinal.alpha), 0.815);
  EXPECT_EQ(rounded(interval.alpha), 0.849);
  // Unit 12 has one value and is left out: 11 units, n = 40 as in the paper.
  for (const auto& alpha : {nominal, ordinal, interval}) {
    EXPECT_EQ(alpha.units, 11u);
    EXPECT_EQ(alpha.pairable_values, 40u);
  }
}

TEST(Agreement, PerfectAgreementIsOne) {
  const std::vector<std::vector<double>> units{{1, 1, 1}, {2, 2}, {5, 5, 5, 5}, {3}};
  for (Metric metric : {Metric::nominal, Metric::ordinal, Metric::interval})
    EXPECT_EQ(krippendorff_alpha(units, metric).alpha, 1);
}

TEST(Agreement, UndefinedAlphaIsNaN) {
  const std::vector<std::vector<double>> lonely{{1}, {}, {4}};
  const auto none = krippendorff_alpha(lonely, Metric::interval);
  EXPECT_TRUE(std::isnan(none.alpha));
  EXPECT_EQ(none.units, 0u);
  EXPECT_EQ(none.pairable_values, 0u);
  const std::vector<std::vector<double>> all_same{{3, 3}, {3, 3, 3}, {1}};  // no expected disagreement
  const auto same = krippendorff_alpha(all_same, Metric::nominal);
  EXPECT_TRUE(std::isnan(same.alpha));
  EXPECT_EQ(same.units, 2u);
  EXPECT_EQ(same.pairable_values, 5u);
  EXPECT_TRUE(std::isnan(krippendorff_alpha({}, Metric::ordinal).alpha));
}

TEST(Agreement, RejectsNonFiniteValues) {
  EXPECT_THROW(krippendorff_alpha({{1, std::numeric_limits<double>::quiet_NaN()}}, Metric::nominal),
               std::invalid_argument);
}

TEST(Agreement, AlphaDoesNotDependOnOrder) {
  SplitMix64 random{11};
  std::vector<std::vector<double>> units(50);
  for (auto& unit : units)
    for (std::size_t m = random.below(6); m > 0; --m) unit.push_back(10 * random.uniform());
  for (Metric metric : {Metric::nominal, Metric::ordinal, Metric::interval}) {
    const double reference = krippendorff_alpha(units, metric).alpha;
    auto shuffled = units;
    std::reverse(shuffled.begin(), shuffled.end());
    for (auto& unit : shuffled) std::reverse(unit.begin(), unit.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 17, shuffled.end());
    EXPECT_EQ(std::bit_cast<std::uint64_t>(krippendorff_alpha(shuffled, metric).alpha),
              std::bit_cast<std::uint64_t>(reference));
  }
}

// The second, deliberately direct implementation: alpha = 1 - D_o / D_e with
//   D_o = 1/n sum over units of sum over ordered pairs (i != j) in the unit of d2 / (m_u - 1)
//   D_e = 1/(n (n - 1)) sum over ordered pairs (i != j) of all pairable values of d2
// and the ordinal distance straight from its definition, summing n_g from c to k.
double naive_alpha(const std::vector<std::vector<double>>& units, Metric metric) {
  std::vector<std::vector<double>> pairable_units;
  std::vector<double> all;
  for (const auto& unit : units)
    if (unit.size() >= 2) {
      pairable_units.push_back(unit);
      all.insert(all.end(), unit.begin(), unit.end());
    }
  std::vector<double> distinct = all;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  auto count_of = [&](double value) { return static_cast<double>(std::count(all.begin(), all.end(), value)); };
  auto distance = [&](double c, double k) -> double {
    switch (metric) {
      case Metric::nominal:
        return c == k ? 0 : 1;
      case Metric::interval:
        return (c - k) * (c - k);
      case Metric::ordinal: {
        const double low = std::min(c, k), high = std::max(c, k);
        double between = 0;
        for (double g : distinct)
          if (g >= low && g <= high) between += count_of(g);
        const double d = between - (count_of(c) + count_of(k)) / 2;
        return d * d;
      }
    }
    return 0;
  };
  const double n = static_cast<double>(all.size());
  double observed = 0;
  for (const auto& unit : pairable_units)
    for (std::size_t i = 0; i < unit.size(); ++i)
      for (std::size_t j = 0; j < unit.size(); ++j)
        if (i != j) observed += distance(unit[i], unit[j]) / static_cast<double>(unit.size() - 1);
  observed /= n;
  double expected = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < all.size(); ++j)
      if (i != j) expected += distance(all[i], all[j]);
  expected /= n * (n - 1);
  return 1 - observed / expected;
}

TEST(Agreement, NaiveImplementationReproducesThePublishedValues) {
  const auto units = units_of(krippendorff_example);
  EXPECT_EQ(rounded(naive_alpha(units, Metric::nominal)), 0.743);
  EXPECT_EQ(rounded(naive_alpha(units, Metric::ordinal)), 0.815);
  EXPECT_EQ(rounded(naive_alpha(units, Metric::interval)), 0.849);
}

TEST(Agreement, MatchesNaiveImplementation) {
  SplitMix64 random{3};
  int compared = 0;
  for (int round = 0; round < 300; ++round) {
    const bool continuous = round % 4 == 3;
    const std::size_t scale = 2 + random.below(6);
    std::vector<std::vector<double>> units(1 + random.below(25));
    for (auto& unit : units)
      for (std::size_t m = random.below(6); m > 0; --m)
        unit.push_back(continuous ? 5 * random.uniform() : static_cast<double>(1 + random.below(scale)));
    for (Metric metric : {Metric::nominal, Metric::ordinal, Metric::interval}) {
      const double actual = krippendorff_alpha(units, metric).alpha;
      const double expected = naive_alpha(units, metric);
      SCOPED_TRACE(::testing::Message() << "round " << round << " metric " << static_cast<int>(metric));
      if (std::isnan(expected)) {  // no pairable values, or no expected disagreement (0 / 0)
        EXPECT_TRUE(std::isnan(actual));
        continue;
      }
      EXPECT_NEAR(actual, expected, 1e-10 * std::max(1.0, std::fabs(expected)));
      ++compared;
    }
  }
  EXPECT_GT(compared, 700);  // the comparison is not vacuous
}

TEST(Agreement, RaterAgreementHandExample) {
  // item 0: rater 0 gave 4, rater 1 gave 2, rater 2 gave 3
  // item 1: rater 0 gave 5, rater 1 gave 3
  // item 2: rater 0 gave 1 (alone: no consensus to compare with)
  // rater 3 gave nothing
  const std::vector<RatedValue> values{{0, 0, 4}, {0, 1, 2}, {0, 2, 3}, {1, 0, 5}, {1, 1, 3}, {2, 0, 1}};
  const auto raters = prefline::agreement::rater_agreement(values, 3, 4);
  ASSERT_EQ(raters.size(), 4u);

  // rater 0: 4 vs mean(2, 3) = 2.5 -> +1.5; 5 vs 3 -> +2.
  EXPECT_EQ(raters[0].grades, 3u);
  EXPECT_DOUBLE_EQ(raters[0].mean_score, 10.0 / 3);
  EXPECT_EQ(raters[0].compared_items, 2u);
  EXPECT_EQ(raters[0].mean_deviation, 1.75);
  EXPECT_EQ(raters[0].share_far, 1);
  // rater 1: 2 vs mean(4, 3) = 3.5 -> -1.5; 3 vs 5 -> -2.
  EXPECT_EQ(raters[1].grades, 2u);
  EXPECT_EQ(raters[1].mean_score, 2.5);
  EXPECT_EQ(raters[1].compared_items, 2u);
  EXPECT_EQ(raters[1].mean_deviation, -1.75);
  EXPECT_EQ(raters[1].share_far, 1);
  // rater 2: 3 vs mean(4, 2) = 3 -> 0.
  EXPECT_EQ(raters[2].grades, 1u);
  EXPECT_EQ(raters[2].mean_score, 3);
  EXPECT_EQ(raters[2].compared_items, 1u);
  EXPECT_EQ(raters[2].mean_deviation, 0);
  EXPECT_EQ(raters[2].share_far, 0);
  // rater 3: nothing to report.
  EXPECT_EQ(raters[3].grades, 0u);
  EXPECT_EQ(raters[3].compared_items, 0u);
  EXPECT_TRUE(std::isnan(raters[3].mean_score));
  EXPECT_TRUE(std::isnan(raters[3].mean_deviation));
  EXPECT_TRUE(std::isnan(raters[3].share_far));

  // "far" is strictly greater: with far = 2, rater 0's deviation of exactly 2 is not far.
  const auto strict = prefline::agreement::rater_agreement(values, 3, 4, 2.0);
  EXPECT_EQ(strict[0].share_far, 0);
  EXPECT_EQ(strict[1].share_far, 0);
  const auto lenient = prefline::agreement::rater_agreement(values, 3, 4, 1.6);
  EXPECT_EQ(lenient[0].share_far, 0.5);
}

TEST(Agreement, RaterAgreementOnlyRaterOfAnItemHasNothingToCompare) {
  const auto raters = prefline::agreement::rater_agreement({{0, 0, 4}, {1, 0, 2}}, 2, 1);
  EXPECT_EQ(raters[0].grades, 2u);
  EXPECT_EQ(raters[0].mean_score, 3);
  EXPECT_EQ(raters[0].compared_items, 0u);
  EXPECT_TRUE(std::isnan(raters[0].mean_deviation));
  EXPECT_TRUE(std::isnan(raters[0].share_far));
}

TEST(Agreement, RaterAgreementRejectsBadInput) {
  EXPECT_THROW(prefline::agreement::rater_agreement({{2, 0, 4}}, 2, 1), std::invalid_argument);
  EXPECT_THROW(prefline::agreement::rater_agreement({{0, 1, 4}}, 2, 1), std::invalid_argument);
  EXPECT_THROW(prefline::agreement::rater_agreement({{0, 0, 4}}, 2, 1, -1), std::invalid_argument);
}

}  // namespace
