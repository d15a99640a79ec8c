// A document (document.hpp) as Markdown: CommonMark with GitHub tables,
// every text escaped just enough that it reads as the plain text it is and
// the source stays readable. Charts have no Markdown form: the table that goes
// with each chart carries its numbers (and bars of '█').
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>

#include "prefline/report/document.hpp"

namespace prefline::doc {

// Plain text for Markdown (CommonMark with GitHub tables): a backslash goes
// before the ASCII punctuation that could take a meaning there (CommonMark
// allows one before any ASCII punctuation), and only there, so the source stays
// readable:
//   \ ` * | ~ [ ]   always (escapes, code, emphasis, table cells,
//                    strikethrough, links)
//   <   unless a space, a digit or the end follows (raw HTML and autolinks
//       start with '<' and a letter, '/', '!' or '?')
//   >   at the start (a block quote)
//   _   unless its run of '_' lies between two ASCII letters or digits
//       (vote_count, owner__repo): an intraword run never opens or closes
//       emphasis
//   #   at the start or after a space (a heading, or a heading's closing #s)
//   &   before a letter or '#' (an entity such as &amp; or &#35;)
// Line breaks, tabs and other control characters become spaces, so a table
// cell stays on its line.
inline std::string escape_markdown(std::string_view text) {
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char before = i > 0 ? text[i - 1] : ' ';
    const char after = i + 1 < text.size() ? text[i + 1] : ' ';
    bool escape = false;
    switch (c) {
      case '\\': case '`': case '*': case '|': case '~': case '[': case ']':
        escape = true;
        break;
      case '<': escape = !(i + 1 == text.size() || after == ' ' || (after >= '0' && after <= '9')); break;
      case '>': escape = i == 0; break;
      case '_': {
        std::size_t start = i, end = i;
        while (start > 0 && text[start - 1] == '_') --start;
        while (end < text.size() && text[end] == '_') ++end;
        escape = !(start > 0 && is_word(text[start - 1]) && end < text.size() && is_word(text[end]));
        break;
      }
      case '#': escape = i == 0 || before == ' ' || static_cast<unsigned char>(before) < 0x20; break;
      case '&': escape = after == '#' || (after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z'); break;
      default: break;
    }
    if (escape) out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  }
  return out;
}

inline void render_markdown_table(const Table& table, std::string& out) {
  out += '|';
  for (const Column& column : table.columns) {
    out += ' ';
    out += escape_markdown(column.name);
    out += " |";
  }
  out += "\n|";
  for (const Column& column : table.columns) out += column.numeric ? "---:|" : "---|";
  out += '\n';
  for (const auto& row : table.rows) {
    out += '|';
    for (const std::string& cell : row) {
      out += ' ';
      out += escape_markdown(cell);
      out += " |";
    }
    out += '\n';
  }
}

// Blocks separated by one blank line; the text ends with one '\n'. Charts
// have no Markdown form: their tables carry the numbers (and text bars).
inline std::string render_markdown(const Document& document) {
  std::string out;
  for (const Block& block : document.blocks) {
    if (std::holds_alternative<HistogramChart>(block) || std::holds_alternative<BarChart>(block)) continue;
    if (!out.empty()) out += '\n';
    if (const auto* heading = std::get_if<Heading>(&block)) {
      out.append(static_cast<std::size_t>(std::clamp(heading->level, 1, 6)), '#');
      out += ' ';
      out += escape_markdown(heading->text);
      out += '\n';
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      out += escape_markdown(paragraph->text);
      out += '\n';
    } else if (const auto* table = std::get_if<Table>(&block)) {
      render_markdown_table(*table, out);
    }
  }
  return out;
}

}  // namespace prefline::doc
