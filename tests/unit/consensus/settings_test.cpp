#include "prefline/consensus/settings.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using namespace prefline::consensus;

TEST(ConsensusSettings, ParsesEachDuplicatesMode) {
  EXPECT_EQ(parse_duplicates("latest"), Duplicates::latest);
  EXPECT_EQ(parse_duplicates("first"), Duplicates::first);
  EXPECT_EQ(parse_duplicates("mean"), Duplicates::mean);
  EXPECT_EQ(parse_duplicates("error"), Duplicates::error);
  EXPECT_FALSE(parse_duplicates("Latest").has_value());
  EXPECT_FALSE(parse_duplicates("").has_value());
}

TEST(ConsensusSettings, ParsesCalibrationAndOverallNames) {
  EXPECT_EQ(parse_calibration("none"), Calibration::none);
  EXPECT_EQ(parse_calibration("zscore"), Calibration::zscore);
  EXPECT_EQ(parse_calibration("additive"), Calibration::additive);
  EXPECT_FALSE(parse_calibration("z-score").has_value());
  EXPECT_EQ(parse_overall_stat("mean"), OverallStat::mean);
  EXPECT_EQ(parse_overall_stat("median"), OverallStat::median);
  EXPECT_EQ(parse_overall_stat("trimmed_mean"), OverallStat::trimmed_mean);
  EXPECT_FALSE(parse_overall_stat("trimmed-mean").has_value());
}

TEST(ConsensusSettings, DefaultsMatchTheHelp) {
  const Settings settings;
  EXPECT_EQ(settings.scale_min, 0);
  EXPECT_EQ(settings.scale_max, 5);
  EXPECT_EQ(settings.trim, 0.1);
  EXPECT_EQ(settings.duplicates, Duplicates::latest);
  EXPECT_EQ(settings.min_votes, 1u);
  EXPECT_EQ(settings.max_sd, 1.5);
  EXPECT_TRUE(std::isnan(not_graded));
}

}  // namespace
