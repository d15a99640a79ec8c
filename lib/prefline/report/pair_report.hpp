// The report on pair records (pairup output): totals, pairs per group, the
// score difference (statistics and histogram), how often each candidate is
// chosen and rejected, and the chosen and rejected mean scores per key of
// chosen_scores / rejected_scores. Keeps each pair's score difference (8 bytes)
// and one entry per group, candidate and score key.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/dom_value.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/report/document.hpp"
#include "prefline/report/histogram.hpp"
#include "prefline/report/number_fields.hpp"
#include "prefline/report/number_format.hpp"
#include "prefline/report/record_kind.hpp"
#include "prefline/report/tables.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/moments.hpp"
#include "prefline/stats/summary.hpp"
#include "prefline/text/ordered_string_map.hpp"

namespace prefline::report {

namespace detail {

// A group or candidate value (a string or a number) as a map key: its type
// and its text as shown, so that "7" and 7 stay apart (and 7.0 is 7).
inline std::string name_key(simdjson::dom::element value) {
  return single_value_key(value.is_string() ? key_tag::string : key_tag::number, display_text(value));
}

}  // namespace detail

class PairReport {
  using element = simdjson::dom::element;

 public:
  // group_field and candidate_field: --group and --candidate, or "" to take
  // them from the first pair; max_rows: --max-rows.
  PairReport(std::string group_field, std::string candidate_field, std::size_t max_rows)
      : group_field_(std::move(group_field)), candidate_field_(std::move(candidate_field)), max_rows_(max_rows) {}

  std::string add(const Record& record) {
    const element metadata = *record.metadata;
    if (!metadata.is_object())
      return fmt::format("'{}' must be an object, not {}", schema::pair::metadata, type_name(metadata));
    const simdjson::dom::object object = object_of(metadata);
    std::string group_field = group_field_, candidate_field = candidate_field_;
    if (group_field.empty() || candidate_field.empty()) detect_fields(object, group_field, candidate_field);
    const std::string chosen_key = std::string(schema::pair::chosen_prefix) + candidate_field;
    const std::string rejected_key = std::string(schema::pair::rejected_prefix) + candidate_field;

    std::optional<element> group, chosen, rejected, difference, chosen_scores, rejected_scores;
    for (auto [key, value] : object) {
      std::optional<element>* slot = key == group_field                      ? &group
                                     : key == chosen_key                     ? &chosen
                                     : key == rejected_key                   ? &rejected
                                     : key == schema::pair::score_difference  ? &difference
                                     : key == schema::pair::chosen_scores     ? &chosen_scores
                                     : key == schema::pair::rejected_scores   ? &rejected_scores
                                                                             : nullptr;
      if (slot == nullptr) continue;
      if (*slot) return fmt::format("'{}' has a duplicate key '{}'", schema::pair::metadata, key);
      *slot = value;
    }
    auto path = [](std::string_view key) { return fmt::format("{}.{}", schema::pair::metadata, key); };
    for (auto [slot, key] : {std::pair{&group, std::string_view(group_field)}, std::pair{&chosen, std::string_view(chosen_key)},
                             std::pair{&rejected, std::string_view(rejected_key)}}) {
      if (!*slot)
        return fmt::format("missing '{}' (the {} field: {})", path(key), slot == &group ? "group" : "candidate",
                           slot == &group ? "--group" : "--candidate");
      if (!(*slot)->is_string() && !(*slot)->is_number())
        return fmt::format("'{}' must be a string or a number, not {}", path(key), type_name(**slot));
    }
    if (!difference) return fmt::format("missing '{}'", path(schema::pair::score_difference));
    const std::optional<double> score_difference = number_of(*difference);
    if (!score_difference)
      return fmt::format("'{}' must be a number, not {}", path(schema::pair::score_difference), type_name(*difference));
    chosen_values_.clear();
    rejected_values_.clear();
    if (chosen_scores) {
      if (auto reason = read_number_object(*chosen_scores, schema::pair::metadata, schema::pair::chosen_scores, chosen_values_);
          !reason.empty())
        return reason;
    }
    if (rejected_scores) {
      if (auto reason = read_number_object(*rejected_scores, schema::pair::metadata, schema::pair::rejected_scores, rejected_values_);
          !reason.empty())
        return reason;
    }

    // Count.
    if (group_field_.empty()) group_field_ = group_field;
    if (candidate_field_.empty()) candidate_field_ = candidate_field;
    ++pairs_;
    GroupStats& group_stats = groups_[detail::name_key(*group)];
    if (group_stats.pairs++ == 0) group_stats.name = display_text(*group);
    CandidateStats& chosen_stats = candidates_[detail::name_key(*chosen)];
    if (chosen_stats.name.empty()) chosen_stats.name = display_text(*chosen);
    ++chosen_stats.chosen;
    CandidateStats& rejected_stats = candidates_[detail::name_key(*rejected)];
    if (rejected_stats.name.empty()) rejected_stats.name = display_text(*rejected);
    ++rejected_stats.rejected;
    differences_.push_back(*score_difference);
    for (const auto& [name, number] : chosen_values_) {
      stats::Moments& moments = dimensions_[name].chosen;
      if (number) moments.add(*number);
    }
    for (const auto& [name, number] : rejected_values_) {
      stats::Moments& moments = dimensions_[name].rejected;
      if (number) moments.add(*number);
    }
    return {};
  }

  std::uint64_t pairs() const { return pairs_; }

  void write(doc::Document& document, const NumberFormat& numbers) const {
    const std::size_t max_rows = max_rows_;
    const std::string group_field = group_field_.empty() ? std::string(schema::grade::challenge) : group_field_;
    const std::string candidate_field =
        candidate_field_.empty() ? std::string(schema::grade::model) : candidate_field_;

    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"count", true}});
    totals.rows.push_back({"pairs", NumberFormat::count(pairs_)});
    totals.rows.push_back({fmt::format("groups ({})", group_field), NumberFormat::count(groups_.size())});
    totals.rows.push_back({fmt::format("candidates ({})", candidate_field), NumberFormat::count(candidates_.size())});

    // Pairs per group: most pairs first, then by name.
    document.heading(2, fmt::format("Pairs per {}", group_field));
    std::vector<const GroupStats*> groups;
    for (const auto& entry : groups_.entries()) groups.push_back(&entry.second);
    std::sort(groups.begin(), groups.end(), [](const GroupStats* a, const GroupStats* b) {
      if (a->pairs != b->pairs) return a->pairs > b->pairs;
      return a->name < b->name;
    });
    if (!groups.empty()) {
      std::vector<double> per_group;
      for (const GroupStats* group : groups) per_group.push_back(static_cast<double>(group->pairs));
      const auto summary = stats::summarize(per_group, 0);
      document.paragraph(fmt::format("{}; pairs per group: mean {}, min {}, median {}, max {}. Most pairs first, "
                                     "then by name; shares of all {}.",
                                     counted(groups.size(), "group", "groups"), numbers.statistic(summary.mean),
                                     NumberFormat::value(summary.min), numbers.statistic(summary.median),
                                     NumberFormat::value(summary.max), counted(pairs_, "pair", "pairs")));
    }
    if (groups.empty()) document.paragraph("No pairs.");
    if (max_rows > 0 && !groups.empty()) {
      doc::Table& table = document.table({{group_field}, {"pairs", true}, {"share", true}, {"", false, true}});
      doc::BarChart chart;
      chart.right_name = "pairs";
      const std::uint64_t largest = groups.front()->pairs;
      for (std::size_t i = 0; i < groups.size() && i < max_rows; ++i) {
        table.rows.push_back({groups[i]->name, NumberFormat::count(groups[i]->pairs), NumberFormat::share(groups[i]->pairs, pairs_),
                              doc::text_bar(groups[i]->pairs, largest, bar_width)});
        chart.labels.push_back(groups[i]->name);
        chart.right.push_back(groups[i]->pairs);
      }
      document.chart_above_last_table(std::move(chart));
      if (auto text = left_out(std::min(max_rows, groups.size()), groups.size(), "group", "groups"); !text.empty())
        document.paragraph(text);
    }

    document.heading(2, "Score difference");
    document.paragraph(fmt::format("{}.{}: the chosen score minus the rejected one.", schema::pair::metadata,
                                   schema::pair::score_difference));
    std::vector<double> sorted = differences_;
    std::sort(sorted.begin(), sorted.end());
    doc::Table& differences = document.table(summary_columns("value"));
    differences.rows.push_back(summary_row(std::string(schema::pair::score_difference), sorted, numbers));
    add_histogram(document, sorted, "pairs", pairs_);

    // Candidates: most often chosen first, then least often rejected, then by name.
    document.heading(2, fmt::format("Chosen and rejected per {}", candidate_field));
    std::vector<const CandidateStats*> candidates;
    for (const auto& entry : candidates_.entries()) candidates.push_back(&entry.second);
    std::sort(candidates.begin(), candidates.end(), [](const CandidateStats* a, const CandidateStats* b) {
      if (a->chosen != b->chosen) return a->chosen > b->chosen;
      if (a->rejected != b->rejected) return a->rejected < b->rejected;
      return a->name < b->name;
    });
    if (candidates.empty())
      document.paragraph("No pairs.");
    else
      document.paragraph(fmt::format(
          "How often each {} is the chosen side (a win) and the rejected side (a loss) of a pair; chosen share = "
          "chosen / (chosen + rejected). Most often chosen first, then least often rejected, then by name.",
          candidate_field));
    if (max_rows > 0 && !candidates.empty()) {
      doc::Table& table = document.table({{candidate_field}, {"chosen", true}, {"rejected", true}, {"pairs", true},
                                          {"chosen share", true}});
      doc::BarChart chart;
      chart.right_name = "chosen";
      chart.left_name = "rejected";
      for (std::size_t i = 0; i < candidates.size() && i < max_rows; ++i) {
        const CandidateStats& c = *candidates[i];
        table.rows.push_back({c.name, NumberFormat::count(c.chosen), NumberFormat::count(c.rejected),
                              NumberFormat::count(c.chosen + c.rejected), NumberFormat::share(c.chosen, c.chosen + c.rejected)});
        chart.labels.push_back(c.name);
        chart.right.push_back(c.chosen);
        chart.left.push_back(c.rejected);
      }
      document.chart_above_last_table(std::move(chart));
      if (auto text = left_out(std::min(max_rows, candidates.size()), candidates.size(), "candidate", "candidates"); !text.empty())
        document.paragraph(text);
    }

    document.heading(2, "Scores of chosen and rejected");
    if (dimensions_.size() == 0) {
      document.paragraph(fmt::format("No pair has {} or {}.", schema::pair::chosen_scores, schema::pair::rejected_scores));
    } else {
      document.paragraph(fmt::format(
          "Means of {}.{} and {}.{} per key, over the pairs that have a number there; difference = chosen mean "
          "- rejected mean.",
          schema::pair::metadata, schema::pair::chosen_scores, schema::pair::metadata, schema::pair::rejected_scores));
      doc::Table& table = document.table({{"score"}, {"chosen n", true}, {"chosen mean", true}, {"rejected n", true},
                                          {"rejected mean", true}, {"difference", true}});
      for (const auto& [name, stats] : dimensions_.entries())
        table.rows.push_back({name, NumberFormat::count(stats.chosen.n()), numbers.statistic(stats.chosen.mean()),
                              NumberFormat::count(stats.rejected.n()), numbers.statistic(stats.rejected.mean()),
                              numbers.statistic(stats.chosen.mean() - stats.rejected.mean())});
    }
  }

 private:
  struct GroupStats {
    std::string name;
    std::uint64_t pairs = 0;
  };
  struct CandidateStats {
    std::string name;
    std::uint64_t chosen = 0, rejected = 0;
  };
  struct DimensionStats {
    stats::Moments chosen, rejected;
  };

  // The group and candidate fields from a pair's metadata keys (see --help).
  void detect_fields(const simdjson::dom::object& metadata, std::string& group_field, std::string& candidate_field) const {
    std::vector<std::string_view> groups, candidates;
    for (auto [key, value] : metadata) {
      (void)value;
      if (key.starts_with(schema::pair::chosen_prefix)) {
        if (key != schema::pair::chosen_scores) candidates.push_back(key.substr(schema::pair::chosen_prefix.size()));
      } else if (!key.starts_with(schema::pair::rejected_prefix) && key != schema::pair::score_difference &&
                 key != schema::pair::dataset_version && key != schema::pair::generated_at) {
        groups.push_back(key);
      }
    }
    if (group_field.empty()) group_field = groups.size() == 1 ? std::string(groups[0]) : std::string(schema::grade::challenge);
    if (candidate_field.empty())
      candidate_field = candidates.size() == 1 ? std::string(candidates[0]) : std::string(schema::grade::model);
  }

  std::string group_field_, candidate_field_;  // empty until the first pair (unless given)
  std::size_t max_rows_;
  std::uint64_t pairs_ = 0;
  OrderedStringMap<GroupStats> groups_;
  OrderedStringMap<CandidateStats> candidates_;
  OrderedStringMap<DimensionStats> dimensions_;
  std::vector<double> differences_;
  NumberList chosen_values_, rejected_values_;
};

}  // namespace prefline::report
