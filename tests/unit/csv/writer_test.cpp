#include "prefline/csv/writer.hpp"
#include "prefline/csv/reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string row(const std::vector<std::string>& cells, prefline::CsvFormat format = {}) {
  prefline::Buffer out;
  prefline::append_csv_row(out, cells, format);
  return std::string(out.view());
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(row({"a", "b c", "", "é"}), "a,b c,,é\n");
  EXPECT_EQ(row({"a,b", "say \"hi\"", "two\nlines", "cr\r"}), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\n");
  EXPECT_EQ(row({"\"\""}), "\"\"\"\"\"\"\n");
  EXPECT_EQ(row({"a;b", "c,d"}, {';', "\r\n"}), "\"a;b\";c,d\r\n");
  EXPECT_EQ(row({"a\tb"}, {'\t', "\n"}), "\"a\tb\"\n");
}

TEST(CsvWriter, OneEmptyCellIsNotAnEmptyLine) {
  EXPECT_EQ(row({""}), "\"\"\n");
  EXPECT_EQ(row({"", ""}), ",\n");
  EXPECT_EQ(row({}), "\n");
}

TEST(CsvWriter, ReadsBackCellForCell) {
  const std::vector<std::vector<std::string>> rows = {
      {"id", "text", "note"},
      {"1", "plain", ""},
      {"2", "comma, inside", "quote \" inside"},
      {"3", "line\nbreak", "crlf\r\nbreak"},
      {"4", "naïve café — 日本語", "\"\""},
      {"5", "", "trailing space "},
  };
  std::string text;
  for (const auto& cells : rows) text += row(cells);
  prefline::CsvReader reader("test.csv", text.data(), text.size(), {',', false});
  EXPECT_EQ(reader.read_header(), rows[0]);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(reader.next(), prefline::CsvReader::Result::record) << reader.reason();
    std::vector<std::string> cells(reader.cells().begin(), reader.cells().end());
    EXPECT_EQ(cells, rows[i]);
  }
  EXPECT_EQ(reader.next(), prefline::CsvReader::Result::end);
}

}  // namespace
