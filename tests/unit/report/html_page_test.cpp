#include "prefline/report/html_page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace doc = prefline::doc;

TEST(HtmlPage, EscapesHostileText) {
  EXPECT_EQ(doc::escape_html("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(doc::escape_html("Tom & Jerry's"), "Tom &amp; Jerry&#39;s");
  EXPECT_EQ(doc::escape_html("&amp;"), "&amp;amp;");
  EXPECT_EQ(doc::escape_html("a\nb\x01"), "a b ");
}

TEST(HtmlPage, NoRawHostileTextInThePage) {
  doc::Document document;
  document.title = "<script>alert(1)</script>";
  document.heading(1, document.title);
  document.paragraph("\"quoted\" & <b>bold</b>");
  doc::Table& table = document.table({{"model <img src=x onerror=alert(1)>"}, {"n", true}});
  table.rows.push_back({"</td><script>steal()</script>", "1"});
  document.chart_above_last_table(doc::BarChart{{"<svg onload=alert(1)>"}, {1}, {}, "n", ""});
  const std::string page = doc::render_html(document);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<svg onload"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;/td&gt;&lt;script&gt;steal()&lt;/script&gt;"), std::string::npos);
}

TEST(HtmlPage, SelfContainedPageWithTheTable) {
  doc::Document document;
  document.title = "T";
  document.heading(1, "T");
  doc::Table& table = document.table({{"name"}, {"n", true}, {"bar", false, true}});
  table.rows.push_back({"a", "1", "\u2588"});
  const std::string page = doc::render_html(document);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<title>T</title>"), std::string::npos);
  EXPECT_NE(page.find("<h1>T</h1>"), std::string::npos);
  EXPECT_NE(page.find("<th>name</th>"), std::string::npos);
  EXPECT_EQ(page.find("<th>bar</th>"), std::string::npos);  // Markdown-only column
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(doc::render_html(document), page);  // byte-identical from run to run
}

}  // namespace
