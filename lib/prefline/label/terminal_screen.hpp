// Text from the data laid out for a terminal: wrapped to the screen's
// width, and made inert. A model's answer may hold escape sequences (a
// title change, a cleared screen, a hyperlink, keys sent back to the
// terminal); every control character is shown in caret notation (ESC as
// ^[) so nothing in the data ever reaches the terminal as a command.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prefline::label {

namespace detail {

// The code point at `at` (valid UTF-8: the items were parsed as JSON) and
// its length in bytes.
inline char32_t code_point_at(std::string_view text, std::size_t at, std::size_t& length) {
  const unsigned char c = static_cast<unsigned char>(text[at]);
  length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (at + length > text.size()) length = text.size() - at;
  if (length == 1) return c;
  char32_t point = c & (0x7f >> length);
  for (std::size_t i = 1; i < length; ++i) point = (point << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3f);
  return point;
}

}  // namespace detail

// Columns a code point takes: 0 for combining marks, 2 for East Asian wide
// and emoji ranges, else 1 (the common ranges; a terminal may differ on rare
// characters, which costs a misplaced cell, never a hidden one).
inline int column_width(char32_t point) {
  if ((point >= 0x0300 && point <= 0x036f) || (point >= 0x200b && point <= 0x200f) || point == 0xfe0f) return 0;
  if ((point >= 0x1100 && point <= 0x115f) || (point >= 0x2e80 && point <= 0xa4cf) ||
      (point >= 0xac00 && point <= 0xd7a3) || (point >= 0xf900 && point <= 0xfaff) ||
      (point >= 0xfe30 && point <= 0xfe4f) || (point >= 0xff00 && point <= 0xff60) ||
      (point >= 0xffe0 && point <= 0xffe6) || (point >= 0x1f300 && point <= 0x1f64f) ||
      (point >= 0x1f900 && point <= 0x1f9ff) || (point >= 0x20000 && point <= 0x3fffd))
    return 2;
  return 1;
}

// One line of data made inert: C0 controls and DEL in caret notation (^[,
// ^?), C1 controls (U+0080-U+009F, which some terminals obey) as <9b>;
// tabs become spaces to the next multiple of 4 columns.
inline std::string inert_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t column = 0;
  for (std::size_t at = 0; at < line.size();) {
    std::size_t length = 0;
    const char32_t point = detail::code_point_at(line, at, length);
    if (point == '\t') {
      do out.push_back(' ');
      while (++column % 4 != 0);
    } else if (point < 0x20 || point == 0x7f) {
      out.push_back('^');
      out.push_back(point == 0x7f ? '?' : static_cast<char>(point + 0x40));
      column += 2;
    } else if (point >= 0x80 && point <= 0x9f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += {'<', hex[point >> 4], hex[point & 15], '>'};
      column += 4;
    } else {
      out.append(line.substr(at, length));
      column += static_cast<std::size_t>(column_width(point));
    }
    at += length;
  }
  return out;
}

// Columns an inert line takes.
inline std::size_t columns_of(std::string_view line) {
  std::size_t columns = 0;
  for (std::size_t at = 0; at < line.size();) {
    std::size_t length = 0;
    columns += static_cast<std::size_t>(column_width(detail::code_point_at(line, at, length)));
    at += length;
  }
  return columns;
}

// The longest start of an inert line that fits `width` columns.
inline std::string_view fit_columns(std::string_view line, std::size_t width) {
  std::size_t columns = 0;
  std::size_t at = 0;
  while (at < line.size()) {
    std::size_t length = 0;
    const auto point_width = static_cast<std::size_t>(column_width(detail::code_point_at(line, at, length)));
    if (columns + point_width > width) break;
    columns += point_width;
    at += length;
  }
  return line.substr(0, at);
}

// Text wrapped to `width` columns (width >= 1): made inert, broken at its
// newlines, and each longer line broken after its last space that fits, or
// mid-word when a word is longer than the width. Nothing is dropped: the
// lines joined give the inert text back, spaces at breaks aside.
inline std::vector<std::string> wrap_text(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  if (width == 0) width = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = inert_line(text.substr(start, end - start));
    std::string_view rest = line;
    while (columns_of(rest) > width) {
      std::string_view head = fit_columns(rest, width);
      const std::size_t space = head.rfind(' ');
      if (space != std::string_view::npos && space > 0) head = head.substr(0, space + 1);
      if (head.empty()) {  // a character wider than the screen: on a line of its own
        std::size_t length = 0;
        detail::code_point_at(rest, 0, length);
        head = rest.substr(0, length);
      }
      std::string piece(head);
      while (!piece.empty() && piece.back() == ' ') piece.pop_back();
      lines.push_back(std::move(piece));
      rest.remove_prefix(head.size());
    }
    lines.emplace_back(rest);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace prefline::label
