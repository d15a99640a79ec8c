// A report as a list of blocks (headings, paragraphs, tables, charts) that is
// rendered twice from the same content: as Markdown here, and as one HTML
// page with inline SVG charts in html_page.hpp. Every text is plain text;
// each renderer escapes it for its own syntax, so no caller escapes anything.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace prefline::doc {

struct Heading {
  int level;  // 1 = the title
  std::string text;
};

struct Paragraph {
  std::string text;
};

struct Column {
  std::string name;
  bool numeric = false;        // right-aligned
  bool markdown_only = false;  // e.g. a bar of '█': the HTML page draws a chart instead
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
};

// Counts over consecutive ranges of a number line, with optional vertical
// marker lines (e.g. bucket edges). Drawn in HTML only: the Markdown shows the
// table that goes with it.
struct HistogramChart {
  struct Bin {
    double low, high;
    std::uint64_t count;
    std::string label;  // e.g. "[60, 66)", for the tooltip
    int band = 0;       // colour group (0 when there are no markers)
  };
  std::vector<Bin> bins;
  std::vector<std::string> tick_labels;  // bins.size() + 1 labels: every bin's low, then the last high
  std::vector<double> markers;
  std::vector<std::string> marker_labels;
  int bands = 1;
  std::string value_name;  // what is counted ("turns")
};

// Horizontal bars, one per label. With `left` values it is a diverging chart:
// `left` drawn to the left of a middle axis, `right` to the right.
struct BarChart {
  std::vector<std::string> labels;
  std::vector<std::uint64_t> right;
  std::vector<std::uint64_t> left;  // empty: a plain bar chart
  std::string right_name, left_name;
};

using Block = std::variant<Heading, Paragraph, Table, HistogramChart, BarChart>;

struct Document {
  std::string title;  // also the first heading
  std::vector<Block> blocks;

  void heading(int level, std::string text) { blocks.emplace_back(Heading{level, std::move(text)}); }
  void paragraph(std::string text) { blocks.emplace_back(Paragraph{std::move(text)}); }
  Table& table(std::vector<Column> columns) {
    blocks.emplace_back(Table{std::move(columns), {}});
    return std::get<Table>(blocks.back());
  }
  // A chart goes just above the last table (the chart first, then the table
  // with its numbers); the table is usually filled in the same loop.
  void chart_above_last_table(Block chart) {
    auto at = blocks.end();
    while (at != blocks.begin() && !std::holds_alternative<Table>(*(at - 1))) --at;
    if (at != blocks.begin()) --at;
    blocks.insert(at, std::move(chart));
  }
};

// A bar of '█' for a Markdown table: `count` of `largest` as a share of
// `width` characters, rounded to nearest, and at least one character for any
// count above 0 (so a non-empty bin never looks empty).
inline std::string text_bar(std::uint64_t count, std::uint64_t largest, int width) {
  if (count == 0 || largest == 0) return {};
  const double share = static_cast<double>(count) / static_cast<double>(largest);
  const int length = std::max(1, static_cast<int>(std::lround(share * width)));
  std::string bar;
  for (int i = 0; i < length; ++i) bar += "\u2588";
  return bar;
}

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
