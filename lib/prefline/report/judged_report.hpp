// The report on judged turns (duel-judge output, routed by bucket), in
// constant memory: counts, streaming moments of the scores, deltas, metrics
// and judges, a score histogram split at the bucket edges, and the --max-rows
// highest-scoring turns (kept in a heap, built only when they get in). The
// edges are the ones the user gives (routed records carry only their bucket's
// name): none given, none drawn, rather than edges that contradict the
// buckets; given, each bucket whose scores straddle one is found.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
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
#include "prefline/stats/moments.hpp"
#include "prefline/text/ordered_string_map.hpp"

namespace prefline::report {

// The score scale of judged turns.
inline constexpr double score_low = 0, score_high = 100;

// Where a record came from, for the turns table.
struct Origin {
  std::string_view file;
  std::uint64_t line;
  std::uint64_t order;  // position among all valid records
};

class JudgedReport {
 public:
  struct Settings {
    std::string bucket_field;           // bucket --bucket-field
    std::vector<std::string> id_fields;  // --id
    bool id_given = false;              // --id named: the column is shown even when no turn has the fields
    std::vector<double> edges;          // increasing, inside (score_low, score_high); empty: none drawn
    int bin_width = 10;                 // of the score histogram, 1-100
    std::size_t max_rows = 20;          // turns in the turns table; 0: no table
  };

  explicit JudgedReport(Settings settings)
      : settings_(std::move(settings)),
        bin_limits_(fixed_limits(score_low, score_high, settings_.bin_width, settings_.edges)),
        bins_(bin_limits_.size() - 1, 0) {}

  // Counts one record; returns the reason when it is bad (nothing counted then).
  std::string add(const Record& record, const Origin& origin) {
    namespace duel_schema = schema::duel;
    // Read and check everything first: a bad record changes no count.
    const simdjson::dom::element duel = *record.duel;
    if (!duel.is_object()) return fmt::format("'{}' must be an object, not {}", duel_schema::duel, type_name(duel));
    std::optional<double> score, delta;
    bool have_score = false, have_parsed = false, have_delta = false, have_metrics = false, have_judges = false;
    bool parsed = false;
    metrics_.clear();
    judges_.clear();
    for (auto [key, value] : object_of(duel)) {
      bool* seen = key == duel_schema::score       ? &have_score
                   : key == duel_schema::parsed    ? &have_parsed
                   : key == duel_schema::delta     ? &have_delta
                   : key == duel_schema::by_metric ? &have_metrics
                   : key == duel_schema::by_judge  ? &have_judges
                                                   : nullptr;
      if (seen == nullptr) continue;
      if (*seen) return fmt::format("'{}' has a duplicate key '{}'", duel_schema::duel, key);
      *seen = true;
      std::string reason;
      if (key == duel_schema::score) {
        reason = read_optional_number(value, duel_schema::duel, key, score);
        if (reason.empty() && score && !(*score >= score_low && *score <= score_high))
          reason = fmt::format("'{}' is {}: a score is 0 to 100", duel_path(key), NumberFormat::value(*score));
      } else if (key == duel_schema::parsed) {
        if (value.get_bool().get(parsed))
          reason = fmt::format("'{}' must be true or false, not {}", duel_path(key), type_name(value));
      } else if (key == duel_schema::delta) {
        reason = read_optional_number(value, duel_schema::duel, key, delta);
      } else if (key == duel_schema::by_metric) {
        reason = read_number_object(value, duel_schema::duel, key, metrics_);
      } else {
        reason = read_number_object(value, duel_schema::duel, key, judges_);
      }
      if (!reason.empty()) return reason;
    }
    if (!have_score) return fmt::format("missing '{}'", duel_path(duel_schema::score));
    if (!have_parsed) return fmt::format("missing '{}'", duel_path(duel_schema::parsed));
    std::optional<std::string_view> bucket;
    if (record.bucket && !record.bucket->is_null()) {
      if (!record.bucket->is_string())
        return fmt::format("'{}' must be a string, not {}", settings_.bucket_field, type_name(*record.bucket));
      bucket = record.bucket->get_string().value_unsafe();
    }

    ++turns_;
    if (parsed) ++parsed_;
    for (const auto& id : record.ids)
      if (id) have_id_ = true;
    if (score) {
      scores_.add(*score);
      const auto limit = std::upper_bound(bin_limits_.begin(), bin_limits_.end(), *score);
      const auto bin = static_cast<std::size_t>(limit - bin_limits_.begin());
      ++bins_[std::min(bin, bins_.size()) - 1];
    }
    if (delta) deltas_.add(*delta);
    if (bucket) have_bucket_field_ = true;
    BucketStats& stats = bucket ? buckets_[*bucket] : no_bucket_;
    ++stats.turns;
    if (score) stats.scores.add(*score);
    // Metrics and judges over the turns with a score only, as duel-judge's
    // summary counts them: an unparsed turn may hold some judges' scores.
    for (const auto& [name, value] : metrics_) {
      stats::Moments& moments = metric_names_[name];  // a metric that is always null is still a column
      if (value && score) moments.add(*value);
    }
    for (const auto& [name, value] : judges_) {
      stats::Moments& moments = judge_names_[name];
      if (value && score) moments.add(*value);
    }
    keep_row(record, origin, score, bucket);
    return {};
  }

  std::uint64_t turns() const { return turns_; }

  // Buckets whose scores straddle an edge: "'refined' has scores 60 to 79.9
  // across edge 66" (none without edges or buckets).
  std::vector<std::string> edge_conflicts() const {
    std::vector<std::string> conflicts;
    for (const auto& [name, stats] : buckets_.entries()) {
      if (stats.scores.n() == 0) continue;
      const double low = stats.scores.min(), high = stats.scores.max();
      for (double edge : settings_.edges) {
        if (!(low < edge && edge <= high)) continue;  // an edge belongs to the bucket above it
        conflicts.push_back(fmt::format("'{}' has scores {} to {} across edge {}", name, NumberFormat::value(low),
                                        NumberFormat::value(high), NumberFormat::value(edge)));
        break;
      }
    }
    return conflicts;
  }

  // Totals, scores, buckets, the score histogram, metrics and judges.
  void write(doc::Document& document, const NumberFormat& numbers) const {
    namespace duel_schema = schema::duel;
    document.heading(2, "Totals");
    doc::Table& totals = document.table({{"figure"}, {"turns", true}, {"share", true}});
    const std::uint64_t unparsed = turns_ - parsed_, with_score = scores_.n();
    totals.rows.push_back({"judged turns", NumberFormat::count(turns_), NumberFormat::share(turns_, turns_)});
    totals.rows.push_back({"parsed", NumberFormat::count(parsed_), NumberFormat::share(parsed_, turns_)});
    totals.rows.push_back({"not parsed", NumberFormat::count(unparsed), NumberFormat::share(unparsed, turns_)});
    totals.rows.push_back({"with a score", NumberFormat::count(with_score), NumberFormat::share(with_score, turns_)});
    totals.rows.push_back({"without a score", NumberFormat::count(turns_ - with_score),
                           NumberFormat::share(turns_ - with_score, turns_)});

    document.heading(2, "Scores");
    document.paragraph(fmt::format("{} (0 to 100) and {} of the turns that have them.",
                                   duel_path(duel_schema::score), duel_path(duel_schema::delta)));
    doc::Table& scores = document.table(moment_columns("value"));
    scores.rows.push_back(moment_row(std::string(duel_schema::score), scores_, numbers));
    scores.rows.push_back(moment_row(std::string(duel_schema::delta), deltas_, numbers));

    write_buckets(document, numbers);
    write_histogram(document);

    document.heading(2, "Metrics");
    if (metric_names_.empty()) {
      document.paragraph(fmt::format("No turn has {}.", duel_path(duel_schema::by_metric)));
    } else {
      document.paragraph(fmt::format("{}: each metric over the turns with a score that have it (valid turns, as "
                                     "duel-judge's summary counts them).",
                                     duel_path(duel_schema::by_metric)));
      doc::Table& metrics = document.table(moment_columns("metric"));
      for (const auto& [name, moments] : metric_names_.entries()) metrics.rows.push_back(moment_row(name, moments, numbers));
    }

    document.heading(2, "Judges");
    if (judge_names_.empty()) {
      document.paragraph(fmt::format("No turn has {}.", duel_path(duel_schema::by_judge)));
    } else {
      document.paragraph(fmt::format("{}: each judge's score over the turns with a score that it judged (valid "
                                     "turns, as duel-judge's summary counts them).",
                                     duel_path(duel_schema::by_judge)));
      doc::Table& judges = document.table(moment_columns("judge"));
      for (const auto& [name, moments] : judge_names_.entries()) judges.rows.push_back(moment_row(name, moments, numbers));
    }
  }

  // The turns table: it comes last in the report (after the duel stats).
  void write_turns(doc::Document& document, const NumberFormat& numbers) {
    if (settings_.max_rows == 0) return;
    document.heading(2, "Turns by score");
    if (turns_ == 0) {
      document.paragraph("No turns.");
      return;
    }
    std::sort_heap(rows_.begin(), rows_.end(), ranks_before);
    const std::string which = rows_.size() == turns_ ? fmt::format("All {} turns", turns_)
                                                     : fmt::format("The {} highest-scoring of {} turns", rows_.size(), turns_);
    document.paragraph(fmt::format(
        "{}, highest score first (equal scores in input order); turns without a score come after all others, in "
        "input order. record is FILE:LINE of the input.",
        which));
    // The id column: the --id fields, or by default 'id' when a turn has it.
    const bool show_id = settings_.id_given || have_id_;
    std::vector<doc::Column> columns{{"rank", true}, {std::string(schema::duel::score), true}};
    if (show_id) columns.push_back({id_header()});
    columns.push_back({settings_.bucket_field});
    for (const auto& entry : metric_names_.entries()) columns.push_back({entry.first, true});
    columns.push_back({"record"});
    doc::Table& table = document.table(std::move(columns));
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const Row& row = rows_[i];
      std::vector<std::string> cells{NumberFormat::count(i + 1), numbers.statistic(row.score)};
      if (show_id) cells.push_back(row.id);
      cells.push_back(row.bucket);
      for (std::size_t m = 0; m < metric_names_.size(); ++m)
        cells.push_back(m < row.metrics.size() ? numbers.statistic(row.metrics[m]) : std::string(missing_value));
      cells.push_back(row.record);
      table.rows.push_back(std::move(cells));
    }
    if (auto text = left_out(rows_.size(), turns_, "turn", "turns"); !text.empty()) document.paragraph(text);
  }

 private:
  static constexpr std::string_view no_bucket = "(no bucket)";

  struct BucketStats {
    std::uint64_t turns = 0;
    stats::Moments scores;
  };

  struct Row {
    double score;  // NaN: no score
    std::uint64_t order;
    std::string id, bucket, record;
    std::vector<double> metrics;  // by metric index; NaN: not in this turn
  };

  // The turns table's order: scores high to low, then turns without a score;
  // ties in input order.
  static bool ranks_before(const Row& a, const Row& b) {
    const bool a_scored = !std::isnan(a.score), b_scored = !std::isnan(b.score);
    if (a_scored != b_scored) return a_scored;
    if (a_scored && a.score != b.score) return a.score > b.score;
    return a.order < b.order;
  }

  // "instance_id / turn" for --id instance_id,turn.
  std::string id_header() const {
    std::string header;
    for (const auto& field : settings_.id_fields) header += (header.empty() ? "" : " / ") + field;
    return header;
  }

  static std::string duel_path(std::string_view key) { return fmt::format("{}.{}", schema::duel::duel, key); }

  // Keeps the turn if it is among the --max-rows best so far. rows_ is a heap
  // whose front is the worst row kept; a row is built only when it gets in.
  void keep_row(const Record& record, const Origin& origin, std::optional<double> score,
                std::optional<std::string_view> bucket) {
    if (settings_.max_rows == 0) return;
    Row probe{score ? *score : std::numeric_limits<double>::quiet_NaN(), origin.order, {}, {}, {}, {}};
    if (rows_.size() == settings_.max_rows) {
      if (!ranks_before(probe, rows_.front())) return;
      std::pop_heap(rows_.begin(), rows_.end(), ranks_before);
      rows_.pop_back();
    }
    for (const auto& id : record.ids) {
      if (!probe.id.empty()) probe.id += " / ";
      probe.id += id && !id->is_null() ? display_text(*id) : std::string(missing_value);
    }
    probe.bucket = bucket ? std::string(*bucket) : std::string(missing_value);
    probe.record = fmt::format("{}:{}", origin.file, origin.line);
    probe.metrics.assign(metric_names_.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, value] : metrics_)
      if (value) probe.metrics[metric_names_.index(name)] = *value;
    rows_.push_back(std::move(probe));
    std::push_heap(rows_.begin(), rows_.end(), ranks_before);
  }

  void write_buckets(doc::Document& document, const NumberFormat& numbers) const {
    document.heading(2, "Buckets");
    if (!have_bucket_field_) {
      document.paragraph(fmt::format("No turn has a '{}' field (bucket --score {} adds it).", settings_.bucket_field,
                                     duel_path(schema::duel::score)));
      return;
    }
    // Highest mean score first, buckets without scores (parse-fail) last, then by name.
    std::vector<std::pair<std::string, const BucketStats*>> order;
    for (const auto& [name, stats] : buckets_.entries()) order.emplace_back(name, &stats);
    if (no_bucket_.turns > 0) order.emplace_back(std::string(no_bucket), &no_bucket_);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      const double x = a.second->scores.mean(), y = b.second->scores.mean();
      if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
      if (!std::isnan(x) && x != y) return x > y;
      return a.first < b.first;
    });
    document.paragraph(fmt::format(
        "Turns per '{}' value, the highest mean score first; shares of all {} turns.", settings_.bucket_field, turns_));
    doc::Table& table = document.table({{settings_.bucket_field}, {"turns", true}, {"share", true}, {"score mean", true},
                                        {"score min", true}, {"score max", true}, {"", false, true}});
    std::uint64_t largest = 0;
    for (const auto& entry : order) largest = std::max(largest, entry.second->turns);
    doc::BarChart chart;
    chart.right_name = "turns";
    for (const auto& [name, stats] : order) {
      table.rows.push_back({name, NumberFormat::count(stats->turns), NumberFormat::share(stats->turns, turns_),
                            numbers.statistic(stats->scores.mean()), numbers.statistic(stats->scores.min()),
                            numbers.statistic(stats->scores.max()), doc::text_bar(stats->turns, largest, bar_width)});
      chart.labels.push_back(name);
      chart.right.push_back(stats->turns);
    }
    document.chart_above_last_table(std::move(chart));
  }

  // The band of a score range: which edges lie at or below its low end.
  std::string band_label(std::size_t band) const {
    const auto& edges = settings_.edges;
    if (edges.empty()) return "all";
    if (band == 0) return fmt::format("< {}", NumberFormat::value(edges.front()));
    if (band == edges.size()) return fmt::format("\u2265 {}", NumberFormat::value(edges.back()));
    return fmt::format("{} \u2013 {}", NumberFormat::value(edges[band - 1]), NumberFormat::value(edges[band]));
  }

  void write_histogram(doc::Document& document) const {
    document.heading(2, "Score histogram");
    const auto& limits = bin_limits_;
    const bool banded = !settings_.edges.empty();
    std::string edges;
    for (double edge : settings_.edges) edges += (edges.empty() ? "" : ", ") + NumberFormat::value(edge);
    if (banded)
      document.paragraph(fmt::format(
          "{} of the {} turns with a score, in bins of width {} split at the bucket edges given by --edges ({}); a "
          "bin holds low \u2264 score < high, the last one also 100. band: the edges' ranges (an edge belongs to "
          "the band above it).",
          duel_path(schema::duel::score), scores_.n(), settings_.bin_width, edges));
    else
      document.paragraph(fmt::format(
          "{} of the {} turns with a score, in bins of width {}; a bin holds low \u2264 score < high, the last "
          "one also 100. No bucket edges are drawn: the records name their bucket, not its edges (--edges gives "
          "them).",
          duel_path(schema::duel::score), scores_.n(), settings_.bin_width));
    doc::HistogramChart chart;
    chart.value_name = "turns";
    chart.markers = settings_.edges;
    for (double edge : settings_.edges) chart.marker_labels.push_back(NumberFormat::value(edge));
    chart.bands = static_cast<int>(settings_.edges.size()) + 1;
    const std::uint64_t largest = *std::max_element(bins_.begin(), bins_.end());
    std::vector<doc::Column> columns{{"bin"}};
    if (banded) columns.push_back({"band"});
    for (doc::Column column : {doc::Column{"turns", true}, doc::Column{"share", true}, doc::Column{"", false, true}})
      columns.push_back(std::move(column));
    doc::Table& table = document.table(std::move(columns));
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      const auto band = static_cast<std::size_t>(
          std::upper_bound(settings_.edges.begin(), settings_.edges.end(), limits[i]) - settings_.edges.begin());
      const std::string label = bin_label(limits[i], limits[i + 1]);
      std::vector<std::string> cells{label};
      if (banded) cells.push_back(band_label(band));
      for (std::string cell : {NumberFormat::count(bins_[i]), NumberFormat::share(bins_[i], scores_.n()),
                               doc::text_bar(bins_[i], largest, bar_width)})
        cells.push_back(std::move(cell));
      table.rows.push_back(std::move(cells));
      chart.bins.push_back({limits[i], limits[i + 1], bins_[i], label, static_cast<int>(band)});
      chart.tick_labels.push_back(NumberFormat::value(limits[i]));
    }
    chart.tick_labels.push_back(NumberFormat::value(limits.back()));
    document.chart_above_last_table(std::move(chart));
  }

  Settings settings_;
  std::vector<double> bin_limits_;  // the score histogram: 0, ..., 100 with the edges among them
  std::uint64_t turns_ = 0, parsed_ = 0;
  stats::Moments scores_, deltas_;
  std::vector<std::uint64_t> bins_;
  OrderedStringMap<BucketStats> buckets_;
  BucketStats no_bucket_;
  bool have_bucket_field_ = false;
  bool have_id_ = false;  // some turn has an --id field
  OrderedStringMap<stats::Moments> metric_names_, judge_names_;
  std::vector<Row> rows_;
  // The current record's by_metric and by_judge (views into the parser's memory).
  NumberList metrics_, judges_;
};

}  // namespace prefline::report
