// A report as a list of blocks (headings, paragraphs, tables, charts) that is
// rendered twice from the same content: as Markdown (markdown.hpp) and as one
// HTML page with inline SVG charts (html_page.hpp). Every text is plain text;
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

}  // namespace prefline::doc
