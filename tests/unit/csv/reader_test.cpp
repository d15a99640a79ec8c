#include "prefline/csv/reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using prefline::CsvReader;
using namespace std::string_literals;

struct Row {
  CsvReader::Result result;
  std::uint64_t line;
  std::vector<std::string> cells;
  std::string reason;
  std::string raw;
};

std::vector<Row> read_all(const std::string& text, char delimiter = ',') {
  CsvReader reader("test.csv", text.data(), text.size(), {delimiter, true});
  reader.read_header();
  std::vector<Row> rows;
  for (;;) {
    const auto result = reader.next();
    if (result == CsvReader::Result::end) break;
    Row row{result, reader.line(), {}, reader.reason(), std::string(reader.raw())};
    if (result == CsvReader::Result::record)
      for (auto cell : reader.cells()) row.cells.emplace_back(cell);
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> header_of(const std::string& text) {
  CsvReader reader("test.csv", text.data(), text.size(), {',', false});
  return reader.read_header();
}

TEST(JsonNumber, AcceptsTheRfc8259Grammar) {
  for (const char* text : {"0", "4", "-1.5", "2e3", "2E+3", "-0", "0.5", "10", "1.25e-7", "-0e0"})
    EXPECT_TRUE(prefline::is_json_number(text)) << text;
}

TEST(JsonNumber, RejectsEverythingElse) {
  for (const char* text : {"", "007", "+1", ".5", "1.", "-", "1e", "1e+", "NaN", "Infinity", "0x10", " 4", "4 ", "1,5",
                           "--1", "1.2.3", "01.5", "e5"})
    EXPECT_FALSE(prefline::is_json_number(text)) << text;
}

TEST(Delimiter, ParsesOneAsciiCharacterOrTab) {
  EXPECT_EQ(prefline::parse_delimiter(","), ',');
  EXPECT_EQ(prefline::parse_delimiter(";"), ';');
  EXPECT_EQ(prefline::parse_delimiter("\\t"), '\t');
  EXPECT_EQ(prefline::parse_delimiter("\t"), '\t');
  EXPECT_EQ(prefline::parse_delimiter("\""), 0);
  EXPECT_EQ(prefline::parse_delimiter("ab"), 0);
  EXPECT_EQ(prefline::parse_delimiter(""), 0);
  EXPECT_EQ(prefline::parse_delimiter("é"), 0);
}

TEST(CsvReader, ReadsPlainRowsWithLineNumbers) {
  const auto rows = read_all("a,b\n1,2\n\n3,4");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(rows[1].line, 4u);  // the empty line 3 is skipped but counted
}

TEST(CsvReader, QuotedCellsHoldSeparatorsQuotesAndLineBreaks) {
  const auto rows = read_all("a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",\"lf\nonly\"\r\nlast,row\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"x,y", "say \"hi\""}));
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"two\r\nlines", "lf\nonly"}));
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[2].line, 6u);
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"last", "row"}));
}

TEST(CsvReader, EmptyLinesInsideQuotesAreKept) {
  const auto rows = read_all("a\n\"x\n\ny\"\nz\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[0], "x\n\ny");
  EXPECT_EQ(rows[1].line, 5u);
}

TEST(CsvReader, DropsLeadingByteOrderMarkAndRepeatedHeaders) {
  EXPECT_EQ(header_of("\xEF\xBB\xBF" "a,b\n"), (std::vector<std::string>{"a", "b"}));
  const auto rows = read_all("\xEF\xBB\xBF" "a,b\n1,2\na,b\n\xEF\xBB\xBF" "a,b\n3,4\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(rows[1].line, 5u);
}

// The end of the message for a row that a glued header made too long.
constexpr const char* glued_hint = ", and ends with the header: the last row of one file and the header of the next, glued at the file boundary (the first file ends without a newline, and cat joined them); pass the files as arguments (csv2jsonl a.csv b.csv) or end each file with a newline";

TEST(CsvReader, RowGluedToARepeatedHeaderIsSplit) {
  // `cat a.csv b.csv` when a.csv has no final line end (with and without a BOM in b.csv).
  const auto rows = read_all("a,b,c\n1,2,3\n4,5,a,b,c\n6,7,\"x, y\"\xEF\xBB\xBF" "a,b,c\n8,9,10\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"4", "5", ""}));
  EXPECT_EQ(rows[2].result, CsvReader::Result::record);
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"6", "7", "x, y"}));
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"8", "9", "10"}));
  EXPECT_EQ(rows[3].line, 5u);
}

TEST(CsvReader, RowEndingInSomethingElseIsStillRagged) {
  const auto rows = read_all("a,b,c\n4,5,a,b,d\n4,5,xa,b\n4,5,xa,b,c\n4,5,\"q,a\",b,c\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].reason, "row has 5 cells, header has 3");
  EXPECT_EQ(rows[1].reason, "row has 4 cells, header has 3");
  // An unquoted, non-empty last cell glued to the header would be ambiguous:
  // the row stays bad, and the message names the glue and its fix.
  EXPECT_EQ(rows[2].reason, std::string("row has 5 cells, header has 3") + glued_hint);
  // Never split inside a quoted cell.
  EXPECT_EQ(rows[3].reason, "row has 5 cells, header has 3");
}

TEST(CsvReader, TwoColumnHeaderGlueNeedsABomOrAQuotedCell) {
  const auto rows = read_all("name,value\nx,name,value\ny,\"v\"name,value\nz,\xEF\xBB\xBFname,value\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].reason, std::string("row has 3 cells, header has 2") + glued_hint);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"y", "v"}));
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"z", ""}));
}

TEST(CsvReader, GluedHeaderAfterARaggedLastRowIsNamed) {
  // The first file's last row had 2 cells of 3; a BOM-less, unquoted glue.
  const auto rows = read_all("a,b,c\n1,2,3\n4,xa,b,c\n5,\"xa\",b,c\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].reason, std::string("row has 4 cells, header has 3") + glued_hint);
  EXPECT_EQ(rows[1].line, 3u);
  // A quoted cell cannot hold a glued header: a plain ragged row.
  EXPECT_EQ(rows[2].reason, "row has 4 cells, header has 3");
}

TEST(Delimiter, OneColumnHeaderWithTabsLooksTabSeparated) {
  EXPECT_TRUE(prefline::looks_tab_separated({"challenge\tmodel\tgrade"}, ','));
  EXPECT_FALSE(prefline::looks_tab_separated({"challenge\tmodel\tgrade"}, '\t'));
  EXPECT_FALSE(prefline::looks_tab_separated({"a\tb,c"}, ','));  // a comma: not a TSV header
  EXPECT_FALSE(prefline::looks_tab_separated({"challenge"}, ','));
  EXPECT_FALSE(prefline::looks_tab_separated({"a\tb", "c"}, ','));
  EXPECT_EQ(header_of("challenge\tmodel\n"), (std::vector<std::string>{"challenge\tmodel"}));
}

TEST(CsvReader, ReportsRaggedRowsAndKeepsGoing) {
  const auto rows = read_all("a,b\n1,2,3\n4\n5,6\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].result, CsvReader::Result::bad);
  EXPECT_EQ(rows[0].reason, "row has 3 cells, header has 2");
  EXPECT_EQ(rows[0].raw, "1,2,3\n");
  EXPECT_EQ(rows[1].reason, "row has 1 cell, header has 2");
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[2].result, CsvReader::Result::record);
}

TEST(CsvReader, RejectsStrayQuotesWithoutSwallowingLaterLines) {
  const auto rows = read_all("a,b\n1,a\"b\n\"x\"y,2\n3,4\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].result, CsvReader::Result::bad);
  EXPECT_EQ(rows[0].reason, "quote inside an unquoted field in column 2");
  EXPECT_EQ(rows[1].result, CsvReader::Result::bad);
  EXPECT_EQ(rows[1].reason, "text after the closing quote in column 1");
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"3", "4"}));
}

TEST(CsvReader, UnterminatedQuoteAtEndIsBadAndKeepsItsRawLines) {
  const auto rows = read_all("a,b\n1,2\n3,\"open\r\nmore\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].result, CsvReader::Result::bad);
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].reason, "unterminated quoted field (reaches the end of the input)");
  EXPECT_EQ(rows[1].raw, "3,\"open\r\nmore\n");
}

TEST(CsvReader, NulBytesAndInvalidUtf8AreBadRecords) {
  const auto rows = read_all(std::string("a,b\n1,x\0y\n2,\xff\n3,\xC0\xAF\n4,ok\n", 24));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].reason, "NUL byte in input");
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].reason, "invalid UTF-8");
  EXPECT_EQ(rows[2].reason, "invalid UTF-8");  // overlong encoding of '/'
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"4", "ok"}));
}

// NULs are kept per run of adjacent NULs: the rejected rows' raw bytes come
// back exactly, NUL runs included, also a run cut by the end of one read
// (the reader reads 32 MiB, then 16 MiB at a time) and rows that are mostly
// NULs; rows without NULs between them parse.
TEST(CsvReader, NulRunsAcrossReadsComeBackExactly) {
  const std::size_t first_read = std::size_t{32} << 20;
  std::string text = "a,b\n";
  std::vector<std::string> lines;  // the data rows, without their '\n'
  for (int row = 0; text.size() < first_read + (std::size_t{3} << 20); ++row) {
    std::string line = std::to_string(row) + ",";
    if (row % 5 == 4) {
      line += "clean";
    } else {
      const std::size_t length = std::size_t{1} << 20;
      for (std::size_t i = 0; line.size() < length; ++i) {
        // Runs of 1..40 NULs between runs of text; row 7 is nearly all NULs.
        line.append(row == 7 ? 1 : 1 + i % 13, 'x');
        line.append(1 + (i * 7 + static_cast<std::size_t>(row)) % 40, '\0');
      }
    }
    // Put a NUL run across the first read's end.
    const std::size_t start = text.size();
    if (start < first_read && start + line.size() + 1 > first_read) {
      const std::size_t at = first_read - start;
      for (std::size_t k = at - 5; k < at + 5 && k < line.size(); ++k) line[k] = '\0';
    }
    text += line;
    text += '\n';
    lines.push_back(line);
  }
  const auto rows = read_all(text);
  ASSERT_EQ(rows.size(), lines.size());
  bool crossed = false;
  std::size_t offset = 4;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool has_nul = lines[i].find('\0') != std::string::npos;
    EXPECT_EQ(rows[i].line, i + 2);
    if (has_nul) {
      EXPECT_EQ(rows[i].result, CsvReader::Result::bad) << i;
      EXPECT_EQ(rows[i].reason, "NUL byte in input") << i;
      EXPECT_TRUE(rows[i].raw == lines[i] + "\n") << "row " << i << ": raw bytes differ";
    } else {
      EXPECT_EQ(rows[i].cells, (std::vector<std::string>{std::to_string(i), "clean"}));
    }
    if (offset < first_read && offset + lines[i].size() > first_read) crossed = text[first_read] == '\0' && text[first_read - 1] == '\0';
    offset += lines[i].size() + 1;
  }
  EXPECT_TRUE(crossed);
}

TEST(CsvReader, RawTextKeepsEachLinesOwnEnding) {
  const auto rows = read_all("a,b\n1,2,3\r\n4,\"x\r\ny\nz\",5\n6,7,8");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].raw, "1,2,3\r\n");
  EXPECT_EQ(rows[1].raw, "4,\"x\r\ny\nz\",5\n");
  EXPECT_EQ(rows[2].raw, "6,7,8\n");  // no line end in the input: one is added
}

TEST(CsvReader, ByteOrderMarkInTheMiddleIsBad) {
  const auto rows = read_all("a,b\n\xEF\xBB\xBF" "1,2\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "byte order mark in the middle of the input");
}

TEST(CsvReader, CarriageReturnOnlyLineEndsAreRejected) {
  const std::string text = "a,b\r1,2\r";
  CsvReader reader("cr.csv", text.data(), text.size(), {',', false});
  EXPECT_THROW(reader.read_header(), prefline::DataError);
}

TEST(CsvReader, HeaderProblemsAreFatal) {
  for (const std::string& text : {std::string(""), std::string("\n\n"), std::string("a,,b\n"), std::string("a,b,a\n")}) {
    CsvReader reader("h.csv", text.data(), text.size(), {',', false});
    EXPECT_THROW(reader.read_header(), prefline::DataError) << text;
  }
  try {
    const std::string text = "x,y,x\n";
    CsvReader reader("h.csv", text.data(), text.size(), {',', false});
    reader.read_header();
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "h.csv:1: header: duplicate column name 'x'");
  }
}

TEST(CsvReader, HeaderOnlyInputHasNoRows) {
  EXPECT_TRUE(read_all("a,b\n").empty());
  EXPECT_TRUE(read_all("a,b").empty());
}

TEST(CsvReader, OtherDelimiters) {
  const auto rows = read_all("a\tb\n1\t\"x\ty\"\n", '\t');
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"1", "x\ty"}));
  const auto semicolon = read_all("a;b\n1,5;2\n", ';');
  ASSERT_EQ(semicolon.size(), 1u);
  EXPECT_EQ(semicolon[0].cells, (std::vector<std::string>{"1,5", "2"}));
}

TEST(CsvReader, EmptyCellsAndQuotedEmptyCells) {
  const auto rows = read_all("a,b,c\n,\"\",\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"", "", ""}));
}

TEST(CsvReader, ManyRowsAcrossTheLineReadersBlocks) {
  // More than LineReader's 32 MiB first read, so its background reads and
  // buffer shifts are exercised, with a multi-line cell near the block edge.
  std::string text = "id,text\n";
  const std::string filler(200, 'x');
  std::size_t rows = 0;
  while (text.size() < (std::size_t{40} << 20)) {
    text += std::to_string(rows) + ",\"" + filler + "\n" + filler + "\"\n";
    ++rows;
  }
  CsvReader reader("big.csv", text.data(), text.size(), {',', false});
  reader.read_header();
  std::size_t seen = 0;
  while (reader.next() == CsvReader::Result::record) {
    ASSERT_EQ(reader.cells()[0], std::to_string(seen));
    ASSERT_EQ(reader.cells()[1].size(), 401u);
    ASSERT_EQ(reader.line(), 2 + 2 * seen);
    ++seen;
  }
  EXPECT_EQ(seen, rows);
}

}  // namespace

// Every record end RecordEnds reports for the whole of `text` (which starts at
// a record's first line), scanning it in pieces of `step` bytes.
std::vector<std::size_t> record_ends(const std::string& text, std::size_t step, char delimiter = ',') {
  prefline::RecordEnds ends(delimiter);
  std::vector<std::size_t> found;
  std::size_t last = prefline::RecordEnds::none;
  for (std::size_t size = std::min(step, text.size());; size = std::min(size + step, text.size())) {
    const std::size_t end = ends.scan(text.data(), size, size == text.size());
    if (end != last) found.push_back(end);
    last = end;
    if (size == text.size()) break;
  }
  return found;
}

TEST(RecordEnds, FindsTheLastLineEndOutsideQuotes) {
  EXPECT_EQ(record_ends("a,b\nc,d\n", 100), (std::vector<std::size_t>{7}));
  EXPECT_EQ(record_ends("a,\"b\nc\",d\ne", 100), (std::vector<std::size_t>{9}));
  EXPECT_EQ(record_ends("a,\"b\nc", 100), std::vector<std::size_t>{});
  EXPECT_EQ(record_ends("x\n\"b\"\"\nc\"\n", 100), (std::vector<std::size_t>{9}));
  EXPECT_EQ(record_ends("x\n\"b\"\"\nc\"\n", 3), (std::vector<std::size_t>{1, 9}));
  // A quote inside an unquoted cell opens nothing: the LF after it ends the record.
  EXPECT_EQ(record_ends("a,b\"c\nd\n", 100), (std::vector<std::size_t>{7}));
  // After a closing quote, a quote opens nothing either (text after the closing quote).
  EXPECT_EQ(record_ends("\"a\"b\"\nc\n", 100), (std::vector<std::size_t>{7}));
  // With ';' as the delimiter a quote after ',' is a stray quote.
  EXPECT_EQ(record_ends("a,\"b\nc\n", 100, ';'), (std::vector<std::size_t>{6}));
  EXPECT_EQ(record_ends("a,\"b\nc\n", 5, ';'), (std::vector<std::size_t>{4, 6}));
  EXPECT_EQ(record_ends("a;\"b\nc\n", 100, ';'), std::vector<std::size_t>{});
}

TEST(RecordEnds, WaitsForTheByteAfterAQuoteAtTheEndOfWhatIsScanned) {
  // "a,\"x\"" then "\"\ny\"\n": the quote at the end of the first piece is a doubled
  // quote, so the LF after it is inside the cell.
  const std::string text = "a,\"x\"\"\ny\"\n";
  EXPECT_EQ(record_ends(text, 5), (std::vector<std::size_t>{9}));
  for (std::size_t step = 1; step <= text.size(); ++step)
    EXPECT_EQ(record_ends(text, step), (std::vector<std::size_t>{9})) << step;
}

// The rows of `text` read as the tool reads them: the header from the whole
// input, then blocks cut at the first record end after `block` bytes, each
// read by a CsvReader of its own with the lines before it.
std::vector<Row> read_in_blocks(const std::string& text, std::size_t block, char delimiter = ',') {
  CsvReader head("test.csv", text.data(), text.size(), {delimiter, true});
  const std::vector<std::string> header = head.read_header();
  std::string rest(head.unread());
  std::uint64_t lines_before = head.lines_read();
  std::vector<Row> rows;
  while (!rest.empty()) {
    prefline::RecordEnds ends(delimiter);
    std::size_t size = std::min(block, rest.size());
    std::size_t end = prefline::RecordEnds::none;
    for (;;) {
      end = ends.scan(rest.data(), size, size == rest.size());
      if (end != prefline::RecordEnds::none || size == rest.size()) break;
      size = std::min(size + block, rest.size());
    }
    const std::size_t cut = size == rest.size() ? rest.size() : end + 1;
    std::string bytes = rest.substr(0, cut);
    bytes.push_back('\0');  // the spare byte a block reader may write to
    CsvReader reader("test.csv", bytes.data(), cut, lines_before, header, {delimiter, true});
    for (;;) {
      const auto result = reader.next();
      if (result == CsvReader::Result::end) break;
      Row row{result, reader.line(), {}, reader.reason(), std::string(reader.raw())};
      if (result == CsvReader::Result::record)
        for (auto cell : reader.cells()) row.cells.emplace_back(cell);
      rows.push_back(row);
    }
    lines_before += static_cast<std::uint64_t>(std::count(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(cut), '\n'));
    rest.erase(0, cut);
  }
  return rows;
}

void expect_same_rows(const std::vector<Row>& whole, const std::vector<Row>& blocks, std::size_t block) {
  ASSERT_EQ(whole.size(), blocks.size()) << "block " << block;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(whole[i].result, blocks[i].result) << "row " << i << ", block " << block;
    EXPECT_EQ(whole[i].line, blocks[i].line) << "row " << i << ", block " << block;
    EXPECT_EQ(whole[i].cells, blocks[i].cells) << "row " << i << ", block " << block;
    EXPECT_EQ(whole[i].reason, blocks[i].reason) << "row " << i << ", block " << block;
    EXPECT_EQ(whole[i].raw, blocks[i].raw) << "row " << i << ", block " << block;
  }
}

TEST(BlockReader, ReadsLikeTheWholeInputWhereverTheBlocksAreCut) {
  const std::string text = std::string("\xEF\xBB\xBF") +
                           "id,note,score\r\n"
                           "1,\"two\r\nlines\",4\r\n"
                           "\n"
                           "2,\"a \"\"quoted\"\" word\",-1.5\n"
                           "3,plain,\n"
                           "4,\"x\"y,5\n"  // text after the closing quote
                           "5,a\"b,5\n"    // a quote inside an unquoted cell
                           "6,\"\",\"\"\n"
                           "id,note,score\n"  // a repeated header
                           "7,too,many,cells\n"
                           "8,caf\xC3\xA9,1\n"
                           "9,bad\xFF,1\n"
                           "10,\"three\n\nlines\",2\r\n"
                           "11,nul\0here,3\n"s +
                           "12,last,\"open\nquote";
  const auto whole = read_all(text);
  ASSERT_EQ(whole.size(), 12u);
  EXPECT_EQ(whole.back().reason, "unterminated quoted field (reaches the end of the input)");
  EXPECT_EQ(whole.back().line, 18u);
  for (std::size_t block = 1; block <= text.size(); ++block) expect_same_rows(whole, read_in_blocks(text, block), block);
}

TEST(BlockReader, KeepsLineNumbersAndMessagesOfTheWholeInput) {
  std::string text = "a,b\n";
  for (int i = 0; i < 50; ++i) text += i % 7 == 3 ? "1,\"x\ny\"\n" : "1,2\n";
  text += "1,\"bad\"x\n";
  const auto rows = read_in_blocks(text, 16);
  ASSERT_EQ(rows.size(), 51u);
  EXPECT_EQ(rows.back().line, 59u);  // 50 rows, 7 of them two lines, after the header
  EXPECT_EQ(rows.back().reason, "text after the closing quote in column 2");
}
