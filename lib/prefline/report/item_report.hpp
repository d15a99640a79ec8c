// The report on item records (consensus output): totals, items per
// vote_count, flags and the first flagged items, and statistics and a
// histogram of overall and of each dimension's mean. Keeps each item's
// numbers (8 bytes each, for medians and histograms) and one entry per rater,
// flag and dimension.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/dom_value.hpp"
#include "prefline/report/document.hpp"
#include "prefline/report/histogram.hpp"
#include "prefline/report/number_fields.hpp"
#include "prefline/report/number_format.hpp"
#include "prefline/report/record_kind.hpp"
#include "prefline/report/tables.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/summary.hpp"
#include "prefline/text/ordered_string_map.hpp"
#include "prefline/text/string_map.hpp"

namespace prefline::report {

class ItemReport {
  using element = simdjson::dom::element;

 public:
  // max_rows: --max-rows, the flagged items kept for the table.
  explicit ItemReport(std::size_t max_rows) : max_rows_(max_rows) {}

  // Counts one record; returns the reason when it is bad (nothing counted then).
  std::string add(const Record& record) {
    const element scores = *record.scores;
    if (!scores.is_object()) return fmt::format("'{}' must be an object, not {}", schema::item::scores, type_name(scores));
    dimension_values_.clear();
    for (auto [name, statistics] : object_of(scores)) {
      if (!statistics.is_object())
        return fmt::format("'{}' must be an object, not {}", dotted(schema::item::scores, name), type_name(statistics));
      for (const auto& seen : dimension_values_)
        if (seen.first == name) return fmt::format("'{}' has a duplicate key '{}'", schema::item::scores, name);
      std::optional<double> mean;
      element value;
      if (!object_of(statistics)[schema::item::mean].get(value)) {
        if (auto reason = read_optional_number(value, dotted(schema::item::scores, name), schema::item::mean, mean);
            !reason.empty())
          return reason;
      }
      dimension_values_.emplace_back(name, mean);
    }
    std::uint64_t vote_count = 0;
    if (record.vote_count->get_uint64().get(vote_count))
      return fmt::format("'{}' must be a whole number >= 0, not {}", schema::item::vote_count,
                         record.vote_count->is_number() ? "'" + display_text(*record.vote_count) + "'"
                                                        : std::string(type_name(*record.vote_count)));
    std::optional<double> overall;
    if (record.overall) {
      if (auto reason = read_optional_number(*record.overall, schema::item::overall, "", overall); !reason.empty())
        return reason;
    }
    flag_values_.clear();
    for (auto [field, list] : {std::pair{record.flags, &flag_values_}, std::pair{record.raters, &rater_values_}}) {
      list->clear();
      if (!field || field->is_null()) continue;
      const std::string_view name = list == &flag_values_ ? schema::item::flags : schema::item::raters;
      if (!field->is_array()) return fmt::format("'{}' must be an array of strings, not {}", name, type_name(*field));
      for (element entry : array_of(*field)) {
        if (!entry.is_string()) return fmt::format("'{}' must be an array of strings; it holds {}", name, type_name(entry));
        list->push_back(entry.get_string().value_unsafe());
      }
    }

    // Count.
    if (items_ == 0)
      for (const auto& [name, value] : record.key_fields) key_names_.emplace_back(name);
    ++items_;
    if (overall) overall_values_.push_back(*overall);
    for (const auto& [name, mean] : dimension_values_) {
      std::vector<double>& values = dimensions_[name];
      if (mean) values.push_back(*mean);
    }
    ++vote_counts_[vote_count];
    for (std::string_view rater : rater_values_)
      if (raters_.find(rater) == raters_.end()) raters_.emplace(rater);
    std::sort(flag_values_.begin(), flag_values_.end());
    flag_values_.erase(std::unique(flag_values_.begin(), flag_values_.end()), flag_values_.end());
    for (std::string_view flag : flag_values_) ++flags_[flag];
    if (!flag_values_.empty()) {
      ++flagged_;
      if (flagged_rows_.size() < max_rows_) {
        std::vector<std::string> row;
        for (const std::string& key : key_names_) {
          std::string cell(missing_value);
          for (const auto& [name, value] : record.key_fields)
            if (name == key) cell = display_text(value);
          row.push_back(std::move(cell));
        }
        flagged_overall_.push_back(overall ? *overall : std::numeric_limits<double>::quiet_NaN());
        row.emplace_back();  // overall: rounded with the other numbers when written
        row.push_back(NumberFormat::count(vote_count));
        std::string flags;
        for (std::string_view flag : flag_values_) flags += (flags.empty() ? "" : ", ") + std::string(flag);
        row.push_back(std::move(flags));
        flagged_rows_.push_back(std::move(row));
      }
    }
    return {};
  }

  std::uint64_t items() const { return items_; }

  void write(doc::Document& document, const NumberFormat& numbers) const {
    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"items", true}, {"share", true}});
    totals.rows.push_back({"items", NumberFormat::count(items_), NumberFormat::share(items_, items_)});
    totals.rows.push_back({"flagged", NumberFormat::count(flagged_), NumberFormat::share(flagged_, items_)});
    totals.rows.push_back({"with an overall score", NumberFormat::count(overall_values_.size()),
                           NumberFormat::share(overall_values_.size(), items_)});
    document.paragraph(fmt::format("Raters named in the items' {} lists: {}.", schema::item::raters, raters_.size()));

    document.heading(2, "Vote counts");
    std::vector<double> votes;
    for (const auto& [count, items] : vote_counts_) votes.insert(votes.end(), items, static_cast<double>(count));
    const auto votes_summary = stats::summarize(votes, 0);
    if (items_ == 0) document.paragraph("No items.");
    else document.paragraph(fmt::format("Items per {}; mean {}, median {}.", schema::item::vote_count,
                                   numbers.statistic(votes_summary.mean), numbers.statistic(votes_summary.median)));
    if (!vote_counts_.empty()) {
      doc::Table& table = document.table(
          {{std::string(schema::item::vote_count), true}, {"items", true}, {"share", true}, {"", false, true}});
      std::uint64_t largest = 0;
      for (const auto& entry : vote_counts_) largest = std::max(largest, entry.second);
      doc::BarChart chart;
      chart.right_name = "items";
      for (const auto& [count, items] : vote_counts_) {
        table.rows.push_back({NumberFormat::count(count), NumberFormat::count(items), NumberFormat::share(items, items_),
                              doc::text_bar(items, largest, bar_width)});
        chart.labels.push_back(fmt::format("{} = {}", schema::item::vote_count, count));
        chart.right.push_back(items);
      }
      document.chart_above_last_table(std::move(chart));
    }

    document.heading(2, "Flags");
    if (flags_.size() == 0) {
      document.paragraph("No item is flagged.");
    } else {
      // Most frequent first, then by name.
      std::vector<std::pair<std::string, std::uint64_t>> flags(flags_.entries().begin(), flags_.entries().end());
      std::sort(flags.begin(), flags.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
      });
      document.paragraph(fmt::format("Items per flag ({}; an item may have several); shares of all {} items.",
                                     schema::item::flags, items_));
      doc::Table& table = document.table({{"flag"}, {"items", true}, {"share", true}, {"", false, true}});
      doc::BarChart chart;
      chart.right_name = "items";
      for (const auto& [flag, items] : flags) {
        table.rows.push_back(
            {flag, NumberFormat::count(items), NumberFormat::share(items, items_), doc::text_bar(items, flags.front().second, bar_width)});
        chart.labels.push_back(flag);
        chart.right.push_back(items);
      }
      document.chart_above_last_table(std::move(chart));
      if (max_rows_ > 0) {
        document.heading(3, "Flagged items");
        document.paragraph("The first flagged items in input order.");
        std::vector<doc::Column> columns;
        for (const std::string& key : key_names_) columns.push_back({key});
        columns.push_back({std::string(schema::item::overall), true});
        columns.push_back({std::string(schema::item::vote_count), true});
        columns.push_back({std::string(schema::item::flags)});
        doc::Table& table = document.table(std::move(columns));
        table.rows = flagged_rows_;
        for (std::size_t i = 0; i < table.rows.size(); ++i)
          table.rows[i][key_names_.size()] = numbers.statistic(flagged_overall_[i]);
        if (auto text = left_out(flagged_rows_.size(), flagged_, "flagged item", "flagged items"); !text.empty())
          document.paragraph(text);
      }
    }

    document.heading(2, "Scores");
    document.paragraph(fmt::format("{} and, per dimension of {}, each item's {}; over the items that have a number.",
                                   schema::item::overall, schema::item::scores, schema::item::mean));
    std::vector<std::pair<std::string, std::vector<double>>> lists;
    lists.emplace_back(std::string(schema::item::overall), overall_values_);
    for (auto& [name, values] : dimensions_.entries()) lists.emplace_back(name, values);
    for (auto& [name, values] : lists) std::sort(values.begin(), values.end());
    doc::Table& table = document.table(summary_columns("score"));
    for (const auto& [name, values] : lists) table.rows.push_back(summary_row(name, values, numbers));
    for (const auto& [name, values] : lists) {
      document.heading(3, fmt::format("Histogram of {}", name));
      add_histogram(document, values, "items", values.size());
    }
  }

 private:
  std::size_t max_rows_;
  std::uint64_t items_ = 0, flagged_ = 0;
  std::vector<std::string> key_names_;
  std::vector<double> overall_values_;
  OrderedStringMap<std::vector<double>> dimensions_;
  std::map<std::uint64_t, std::uint64_t> vote_counts_;
  std::unordered_set<std::string, TransparentStringHash, std::equal_to<>> raters_;
  OrderedStringMap<std::uint64_t> flags_;
  std::vector<std::vector<std::string>> flagged_rows_;
  std::vector<double> flagged_overall_;  // the overall cell of each flagged row (NaN: none)
  std::vector<std::pair<std::string_view, std::optional<double>>> dimension_values_;
  std::vector<std::string_view> flag_values_, rater_values_;
};

}  // namespace prefline::report
