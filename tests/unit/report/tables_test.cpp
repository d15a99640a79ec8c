#include "prefline/report/tables.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace report = prefline::report;

TEST(ReportTables, LeftOutSaysHowManyMore) {
  EXPECT_EQ(report::left_out(20, 20, "turn", "turns"), "");
  EXPECT_EQ(report::left_out(20, 5, "turn", "turns"), "");
  EXPECT_EQ(report::left_out(2, 3, "turn", "turns"), "1 more turn not shown (--max-rows 2).");
  EXPECT_EQ(report::left_out(0, 7, "group", "groups"), "7 more groups not shown (--max-rows 0).");
}

TEST(ReportTables, SummaryRowOfAList) {
  const report::NumberFormat numbers(2);
  EXPECT_EQ(report::summary_columns("score").size(), 7u);
  EXPECT_EQ(report::summary_row("overall", {4, 1, 3, 2}, numbers),
            (std::vector<std::string>{"overall", "4", "2.50", "1.29", "1.00", "2.50", "4.00"}));
  EXPECT_EQ(report::summary_row("none", {}, numbers),
            (std::vector<std::string>{"none", "0", "\u2014", "\u2014", "\u2014", "\u2014", "\u2014"}));
}

TEST(ReportTables, MomentRowOfAStream) {
  const report::NumberFormat numbers(1);
  prefline::stats::Moments moments;
  for (double x : {80.0, 90.5, 60.0}) moments.add(x);
  EXPECT_EQ(report::moment_columns("value").size(), 6u);
  // mean 76.8333..., sd sqrt(((3.1667)^2 + (13.6667)^2 + (16.8333)^2) / 2) = 15.5...
  EXPECT_EQ(report::moment_row("score", moments, numbers),
            (std::vector<std::string>{"score", "3", "76.8", "15.5", "60.0", "90.5"}));
}

}  // namespace
