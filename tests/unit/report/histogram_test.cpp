#include "prefline/report/histogram.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

namespace report = prefline::report;
namespace doc = prefline::doc;

std::vector<std::string> printed(const std::vector<double>& limits) {
  std::vector<std::string> texts;
  for (double limit : limits) texts.push_back(report::NumberFormat::value(limit));
  return texts;
}

TEST(Histogram, NiceLimitsOfWholeNumbers) {
  const auto bins = report::nice_limits(0, 10);
  EXPECT_EQ(bins.limits, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(bins.width, "1");
}

TEST(Histogram, NiceLimitsAlignToMultiplesOfTheWidth) {
  const auto bins = report::nice_limits(-7, 42);
  EXPECT_EQ(bins.limits, (std::vector<double>{-10, -5, 0, 5, 10, 15, 20, 25, 30, 35, 40, 45}));
  EXPECT_EQ(bins.width, "5");
  const auto twos = report::nice_limits(0, 15);
  EXPECT_EQ(twos.limits, (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14, 16}));
  EXPECT_EQ(twos.width, "2");
}

TEST(Histogram, NiceLimitsOfDecimalsPrintShort) {
  const auto bins = report::nice_limits(0.1, 0.95);
  EXPECT_EQ(printed(bins.limits),
            (std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"}));
  EXPECT_EQ(bins.width, "0.1");
}

TEST(Histogram, NiceLimitsOfOneValueOrAHugeRange) {
  const auto one = report::nice_limits(3, 3);
  EXPECT_EQ(one.limits, (std::vector<double>{3, 3}));
  EXPECT_EQ(one.width, "");
  const auto huge = report::nice_limits(0, 1e300);
  ASSERT_EQ(huge.limits.size(), 11u);  // equal widths, no 1-2-5 width
  EXPECT_EQ(huge.limits.front(), 0);
  EXPECT_EQ(huge.limits.back(), 1e300);
  EXPECT_EQ(huge.width, "");
}

TEST(Histogram, FixedLimitsSplitAtTheEdges) {
  EXPECT_EQ(report::fixed_limits(0, 100, 10, {66, 80}),
            (std::vector<double>{0, 10, 20, 30, 40, 50, 60, 66, 70, 80, 90, 100}));
  EXPECT_EQ(report::fixed_limits(0, 100, 30, {}), (std::vector<double>{0, 30, 60, 90, 100}));
  EXPECT_EQ(report::fixed_limits(0, 100, 100, {50.5}), (std::vector<double>{0, 50.5, 100}));
}

TEST(Histogram, BinLabel) {
  EXPECT_EQ(report::bin_label(60, 66), "60 \u2013 66");
  EXPECT_EQ(report::bin_label(-0.0, 0.5), "0 \u2013 0.5");
}

TEST(Histogram, SectionCountsEachValueOnce) {
  doc::Document document;
  report::add_histogram(document, {1, 1, 2, 9}, "items", 4);
  ASSERT_EQ(document.blocks.size(), 3u);  // paragraph, chart, table
  EXPECT_EQ(std::get<doc::Paragraph>(document.blocks[0]).text,
            "Bins of width 1: a bin \"low \u2013 high\" holds low \u2264 value < high, the last one also its high.");
  const auto& chart = std::get<doc::HistogramChart>(document.blocks[1]);
  const auto& table = std::get<doc::Table>(document.blocks[2]);
  ASSERT_EQ(table.rows.size(), 8u);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"1 \u2013 2", "2", "50.0%", doc::text_bar(2, 2, 30)}));
  EXPECT_EQ(table.rows[1][1], "1");
  EXPECT_EQ(table.rows[7], (std::vector<std::string>{"8 \u2013 9", "1", "25.0%", doc::text_bar(1, 2, 30)}));
  ASSERT_EQ(chart.bins.size(), 8u);
  EXPECT_EQ(chart.tick_labels.size(), 9u);
  EXPECT_EQ(chart.tick_labels.back(), "9");
  EXPECT_EQ(chart.value_name, "items");
}

TEST(Histogram, SectionOfNoValuesOrOneValue) {
  doc::Document empty;
  report::add_histogram(empty, {}, "pairs", 0);
  ASSERT_EQ(empty.blocks.size(), 1u);
  EXPECT_EQ(std::get<doc::Paragraph>(empty.blocks[0]).text, "No values.");
  doc::Document one;
  report::add_histogram(one, {5, 5}, "pairs", 2);
  EXPECT_EQ(std::get<doc::Paragraph>(one.blocks[0]).text, "One bin: every value is 5.");
  const auto& table = std::get<doc::Table>(one.blocks[2]);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0][0], "5 \u2013 5");
  EXPECT_EQ(table.rows[0][2], "100.0%");
}

}  // namespace
