#include "prefline/report/markdown.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace doc = prefline::doc;

TEST(Markdown, EscapesWhatWouldTakeAMeaning) {
  EXPECT_EQ(doc::escape_markdown("a*b*c"), "a\\*b\\*c");
  EXPECT_EQ(doc::escape_markdown("x|y"), "x\\|y");
  EXPECT_EQ(doc::escape_markdown("`code` [link](u) ~s~ \\"), "\\`code\\` \\[link\\](u) \\~s\\~ \\\\");
  EXPECT_EQ(doc::escape_markdown("<script>"), "\\<script>");
  EXPECT_EQ(doc::escape_markdown("a < b, 1 <2, end<"), "a < b, 1 <2, end<");
  EXPECT_EQ(doc::escape_markdown("> quote and a > b"), "\\> quote and a > b");
  EXPECT_EQ(doc::escape_markdown("# x #y a#b"), "\\# x \\#y a#b");
  EXPECT_EQ(doc::escape_markdown("&amp; &#35; & x"), "\\&amp; \\&#35; & x");
}

TEST(Markdown, UnderscoresInsideWordsStay) {
  EXPECT_EQ(doc::escape_markdown("vote_count owner__repo"), "vote_count owner__repo");
  EXPECT_EQ(doc::escape_markdown("_emph_ a_ _b"), "\\_emph\\_ a\\_ \\_b");
}

TEST(Markdown, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(doc::escape_markdown("line\nbreak\ttab\x7f"), "line break tab ");
  EXPECT_EQ(doc::escape_markdown("caf\u00e9"), "caf\u00e9");  // UTF-8 passes through
}

TEST(Markdown, RendersATableAndSkipsCharts) {
  doc::Document document;
  document.heading(1, "Report *1*");
  document.paragraph("Two rows.");
  doc::Table& table = document.table({{"name"}, {"n", true}, {"bar", false, true}});
  table.rows.push_back({"a|b", "1", "\u2588"});
  table.rows.push_back({"c", "22", ""});
  document.chart_above_last_table(doc::BarChart{{"a|b", "c"}, {1, 22}, {}, "n", ""});
  EXPECT_EQ(doc::render_markdown(document),
            "# Report \\*1\\*\n"
            "\n"
            "Two rows.\n"
            "\n"
            "| name | n | bar |\n"
            "|---|---:|---|\n"
            "| a\\|b | 1 | \u2588 |\n"
            "| c | 22 |  |\n");
}

TEST(Markdown, HeadingLevelsAreClamped) {
  doc::Document document;
  document.heading(9, "deep");
  document.heading(0, "top");
  EXPECT_EQ(doc::render_markdown(document), "###### deep\n\n# top\n");
}

TEST(Markdown, EmptyDocumentIsEmpty) { EXPECT_EQ(doc::render_markdown(doc::Document{}), ""); }

}  // namespace
