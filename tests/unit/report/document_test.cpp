#include "prefline/report/document.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace {

namespace doc = prefline::doc;

TEST(Document, BlocksInOrder) {
  doc::Document document;
  document.heading(1, "Title");
  document.paragraph("Text.");
  doc::Table& table = document.table({{"name"}, {"n", true}});
  table.rows.push_back({"a", "1"});
  ASSERT_EQ(document.blocks.size(), 3u);
  EXPECT_EQ(std::get<doc::Heading>(document.blocks[0]).text, "Title");
  EXPECT_EQ(std::get<doc::Paragraph>(document.blocks[1]).text, "Text.");
  EXPECT_EQ(std::get<doc::Table>(document.blocks[2]).rows.size(), 1u);
}

TEST(Document, ChartGoesJustAboveTheLastTable) {
  doc::Document document;
  document.heading(2, "One");
  document.table({{"a"}});
  document.paragraph("between");
  document.table({{"b"}});
  document.paragraph("after");
  doc::BarChart chart;
  chart.labels = {"x"};
  document.chart_above_last_table(chart);
  ASSERT_EQ(document.blocks.size(), 6u);
  EXPECT_TRUE(std::holds_alternative<doc::Paragraph>(document.blocks[2]));
  EXPECT_TRUE(std::holds_alternative<doc::BarChart>(document.blocks[3]));
  EXPECT_EQ(std::get<doc::Table>(document.blocks[4]).columns[0].name, "b");
}

TEST(Document, TextBarIsAShareOfTheWidth) {
  EXPECT_EQ(doc::text_bar(0, 10, 30), "");
  EXPECT_EQ(doc::text_bar(5, 0, 30), "");
  std::string full;
  for (int i = 0; i < 30; ++i) full += "\u2588";
  EXPECT_EQ(doc::text_bar(10, 10, 30), full);
  EXPECT_EQ(doc::text_bar(5, 10, 30), full.substr(0, 15 * 3));  // '█' is 3 bytes
  EXPECT_EQ(doc::text_bar(1, 1000, 30), "\u2588");              // at least one for a count above 0
}

}  // namespace
