// CSV output (RFC 4180): a cell is quoted when it holds the delimiter, a
// double quote, a CR or an LF, and quotes inside are doubled; everything else
// is written as it is. What csv/reader.hpp's CsvReader (and csv2jsonl) reads back
// cell for cell.
#pragma once

#include <cstring>
#include <string_view>

#include "prefline/json/writer.hpp"

namespace prefline {

struct CsvFormat {
  char delimiter = ',';
  std::string_view line_end = "\n";  // "\r\n" for RFC 4180's CRLF
};

inline bool csv_needs_quotes(std::string_view cell, char delimiter) {
  for (char c : cell)
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  return false;
}

inline void append_csv_cell(Buffer& out, std::string_view cell, char delimiter) {
  if (cell.empty()) return;  // (an empty view may have no data pointer at all)
  if (!csv_needs_quotes(cell, delimiter)) {
    out.append(cell);
    return;
  }
  out.push_back('"');
  for (;;) {
    const std::size_t quote = cell.find('"');
    if (quote == std::string_view::npos) break;
    out.append(cell.data(), quote + 1);
    out.push_back('"');
    cell.remove_prefix(quote + 1);
  }
  out.append(cell);
  out.push_back('"');
}

// Appends one row of cells (any range of things convertible to
// std::string_view) and the line end. A row of one empty cell is written as
// "" so that it is not an empty line, which readers skip.
template <class Cells>
void append_csv_row(Buffer& out, const Cells& cells, const CsvFormat& format = {}) {
  bool first = true;
  std::size_t count = 0;
  bool only_empty = true;
  for (const auto& cell : cells) {
    const std::string_view text(cell);
    if (!first) out.push_back(format.delimiter);
    first = false;
    append_csv_cell(out, text, format.delimiter);
    ++count;
    only_empty = only_empty && text.empty();
  }
  if (count == 1 && only_empty) out.append("\"\"");
  out.append(format.line_end);
}

}  // namespace prefline
