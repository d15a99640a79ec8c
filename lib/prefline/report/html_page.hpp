// A document (document.hpp) as one self-contained HTML page: inline CSS, the
// tables, and charts as inline SVG. No script, no external URL, no web font
// (a system font stack), so the file can be opened anywhere, offline, and is
// safe to attach. Every text is escaped for HTML. Coordinates are printed with
// one decimal, so the page is byte-identical from run to run.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <fmt/format.h>

#include "prefline/report/document.hpp"

namespace prefline::doc {

inline std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;  // as in the Markdown
    }
  }
  return out;
}

namespace detail {

inline constexpr std::string_view page_style = R"(body{margin:0;background:#fff;color:#1b1b1f;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.5rem 0 .4rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d0d7;padding:.2rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f3f6}
td.num,th.num{text-align:right}
tbody tr:nth-child(even){background:#fafafc}
figure{margin:.5rem 0}
svg{max-width:100%;height:auto;font-family:inherit}
svg text{font-size:11px;fill:#333}
@media print{h2{break-after:avoid}table,figure{break-inside:avoid}})";

// Band colours from low to high (red to green), and the plain bar colours.
inline constexpr std::string_view band_colours[] = {"#d6604d", "#f4a582", "#e9c46a", "#92c5de", "#4393c3", "#2a9d8f"};
inline constexpr std::string_view bar_colour = "#4393c3";
inline constexpr std::string_view left_colour = "#d6604d";
inline constexpr std::string_view right_colour = "#2a9d8f";

inline std::string_view band_colour(int band, int bands) {
  if (bands <= 1) return bar_colour;
  constexpr int count = static_cast<int>(std::size(band_colours));
  // Spread the bands over the scale: the lowest red, the highest green.
  const int index = band * (count - 1) / (bands - 1);
  return band_colours[std::clamp(index, 0, count - 1)];
}

inline std::string coordinate(double value) { return fmt::format("{:.1f}", value); }

// A label cut to `limit` characters (UTF-8 aware) with an ellipsis; the full
// text goes in the SVG <title> (the tooltip).
inline std::string shorten(std::string_view text, std::size_t limit) {
  std::size_t characters = 0, cut = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (characters == limit) {
      cut = i;
      break;
    }
    ++characters;
  }
  if (cut == text.size()) return std::string(text);
  // Room for the ellipsis: drop one more character.
  std::size_t back = cut;
  do --back;
  while (back > 0 && (static_cast<unsigned char>(text[back]) & 0xC0) == 0x80);
  return std::string(text.substr(0, back)) + "\u2026";
}

inline void render_histogram(const HistogramChart& chart, std::string& out) {
  if (chart.bins.empty()) return;
  constexpr double width = 720, height = 250, left = 52, right = 16, top = 22, bottom = 36;
  constexpr double min_label_gap = 30;
  const double plot_width = width - left - right, plot_height = height - top - bottom;
  const double low = chart.bins.front().low, high = chart.bins.back().high;
  const double span = high > low ? high - low : 1;
  auto x = [&](double value) { return left + (value - low) / span * plot_width; };
  std::uint64_t largest = 0;
  for (const auto& bin : chart.bins) largest = std::max(largest, bin.count);

  out += fmt::format(R"(<figure><svg viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="histogram">)",
                     width, height, width, height);
  out += '\n';
  // Axes.
  const double base = top + plot_height;
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>)", coordinate(left), coordinate(base),
                     coordinate(left + plot_width), coordinate(base));
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>)", coordinate(left), coordinate(top),
                     coordinate(left), coordinate(base));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", coordinate(left - 4),
                     coordinate(top + 4), largest);
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">0</text>)", coordinate(left - 4), coordinate(base));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="start">{}</text>)", coordinate(4), coordinate(12),
                     escape_html(chart.value_name));
  out += '\n';
  // Bars: the width of each bin's range, the height of its count.
  for (const auto& bin : chart.bins) {
    const double x0 = x(bin.low), x1 = x(bin.high);
    const double bar_height = largest == 0 ? 0 : static_cast<double>(bin.count) / static_cast<double>(largest) * plot_height;
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>)",
                       coordinate(x0 + 0.5), coordinate(base - bar_height), coordinate(std::max(0.0, x1 - x0 - 1)),
                       coordinate(bar_height), band_colour(bin.band, chart.bands), escape_html(bin.label), bin.count);
    out += '\n';
  }
  // Tick labels at the bin limits, left to right, skipping any that would
  // overlap the previous one.
  double last_label = -min_label_gap;
  for (std::size_t i = 0; i < chart.tick_labels.size(); ++i) {
    const double at = i < chart.bins.size() ? x(chart.bins[i].low) : x(high);
    if (at - last_label < min_label_gap) continue;
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", coordinate(at), coordinate(base + 14),
                       escape_html(chart.tick_labels[i]));
    last_label = at;
  }
  // Marker lines (bucket edges), labelled above the plot.
  for (std::size_t i = 0; i < chart.markers.size(); ++i) {
    const double at = x(chart.markers[i]);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#222" stroke-dasharray="4 3"/>)",
                       coordinate(at), coordinate(top - 6), coordinate(at), coordinate(base));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", coordinate(at), coordinate(top - 9),
                       escape_html(i < chart.marker_labels.size() ? chart.marker_labels[i] : std::string()));
  }
  out += "\n</svg></figure>\n";
}

inline void render_bars(const BarChart& chart, std::string& out) {
  if (chart.labels.empty()) return;
  const bool diverging = !chart.left.empty();
  constexpr double width = 720, label_width = 220, value_room = 48, row = 22, top = 24, bar_height = 14;
  constexpr std::size_t label_characters = 32;
  const double height = top + row * static_cast<double>(chart.labels.size()) + 6;
  std::uint64_t largest = 0;
  for (auto value : chart.right) largest = std::max(largest, value);
  for (auto value : chart.left) largest = std::max(largest, value);
  const double area = width - label_width - (diverging ? 2 * value_room : value_room);
  const double half = diverging ? area / 2 : area;
  const double axis = label_width + (diverging ? value_room + half : 0);
  auto length = [&](std::uint64_t value) {
    return largest == 0 ? 0.0 : static_cast<double>(value) / static_cast<double>(largest) * half;
  };

  out += fmt::format(R"(<figure><svg viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="bar chart">)",
                     width, coordinate(height), width, coordinate(height));
  out += '\n';
  // Legend.
  if (diverging) {
    out += fmt::format(R"(<rect x="{}" y="6" width="10" height="10" fill="{}"/><text x="{}" y="15" text-anchor="end">{}</text>)",
                       coordinate(axis - 14), left_colour, coordinate(axis - 18), escape_html(chart.left_name));
    out += fmt::format(R"(<rect x="{}" y="6" width="10" height="10" fill="{}"/><text x="{}" y="15">{}</text>)",
                       coordinate(axis + 4), right_colour, coordinate(axis + 18), escape_html(chart.right_name));
  } else {
    out += fmt::format(R"(<text x="{}" y="15">{}</text>)", coordinate(axis), escape_html(chart.right_name));
  }
  out += '\n';
  for (std::size_t i = 0; i < chart.labels.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    const std::string label = escape_html(chart.labels[i]);
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end"><title>{}</title>{}</text>)",
                       coordinate(label_width - 8), coordinate(y + 11), label,
                       escape_html(shorten(chart.labels[i], label_characters)));
    const std::uint64_t right = chart.right[i];
    const double right_length = length(right);
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>)",
                       coordinate(axis), coordinate(y), coordinate(right_length), coordinate(bar_height),
                       diverging ? right_colour : bar_colour, label, escape_html(chart.right_name), right);
    out += fmt::format(R"(<text x="{}" y="{}">{}</text>)", coordinate(axis + right_length + 4), coordinate(y + 11),
                       right);
    if (diverging) {
      const std::uint64_t left = chart.left[i];
      const double left_length = length(left);
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>)",
                         coordinate(axis - left_length), coordinate(y), coordinate(left_length),
                         coordinate(bar_height), left_colour, label, escape_html(chart.left_name), left);
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)",
                         coordinate(axis - left_length - 4), coordinate(y + 11), left);
    }
    out += '\n';
  }
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>)", coordinate(axis),
                     coordinate(top - 4), coordinate(axis), coordinate(height - 4));
  out += "\n</svg></figure>\n";
}

inline void render_html_table(const Table& table, std::string& out) {
  auto cell_class = [](const Column& column) { return column.numeric ? std::string_view(R"( class="num")") : ""; };
  out += "<table>\n<thead><tr>";
  for (const Column& column : table.columns) {
    if (column.markdown_only) continue;
    out += fmt::format("<th{}>{}</th>", cell_class(column), escape_html(column.name));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
      if (table.columns[i].markdown_only) continue;
      out += fmt::format("<td{}>{}</td>", cell_class(table.columns[i]), escape_html(row[i]));
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace detail

inline std::string render_html(const Document& document) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n<main>\n",
                     escape_html(document.title), detail::page_style);
  for (const Block& block : document.blocks) {
    if (const auto* heading = std::get_if<Heading>(&block)) {
      const int level = std::clamp(heading->level, 1, 6);
      out += fmt::format("<h{}>{}</h{}>\n", level, escape_html(heading->text), level);
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      out += fmt::format("<p>{}</p>\n", escape_html(paragraph->text));
    } else if (const auto* table = std::get_if<Table>(&block)) {
      detail::render_html_table(*table, out);
    } else if (const auto* histogram = std::get_if<HistogramChart>(&block)) {
      detail::render_histogram(*histogram, out);
    } else if (const auto* bars = std::get_if<BarChart>(&block)) {
      detail::render_bars(*bars, out);
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace prefline::doc
