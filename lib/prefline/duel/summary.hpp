// The duel's verdict over a run: challenger and king scores, the mean delta
// with its standard error and bootstrap lower bound, the acceptance gate,
// and the --stats JSON object and stderr line that report them.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/duel/metric.hpp"
#include "prefline/duel/totals.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/bootstrap.hpp"

namespace prefline::duel {

struct GateOptions {
  double win_margin = 2.0;
  int bootstrap = 10000;
  double alpha = 0.05;
  double min_valid_frac = 0.8;
  std::uint64_t seed = 0;
};

// One configured judge's calls over the run.
struct JudgeCalls {
  std::string name, model;
  std::uint64_t calls = 0, retries = 0, parse_failures = 0, failures = 0;
};

// NaN stands for "none" (written null, shown n/a).
struct DuelSummary {
  std::uint64_t done = 0;
  std::size_t valid = 0;
  double valid_frac = 0, challenger_score = NAN, king_score = NAN, win_margin = NAN;
  bool margin_ok = false;
  double mean_delta = NAN, se = NAN, lcb = NAN;
  bool accepted = false;
  std::string winner;
  std::vector<double> by_judge;   // per judge number, 0..100
  std::vector<double> by_metric;  // 0..100
};

// Formulas in duel-judge --help: per judge and metric, the mean points over
// the valid turns the judge parsed in; challenger_score = 100 x the mean over
// judges of their weighted means over metrics.
inline DuelSummary summarise(const DuelTotals& totals, std::size_t judges, const std::vector<double>& weights,
                             const GateOptions& gate) {
  const std::size_t metrics = weights.size();
  DuelSummary s;
  s.done = totals.done;
  s.valid = totals.deltas.size();
  const std::size_t n = s.valid;
  s.valid_frac = totals.done == 0 ? 0 : static_cast<double>(n) / static_cast<double>(totals.done);
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  double challenger = 0;
  std::size_t judges_with_turns = 0;
  std::vector<double> metric_sums(metrics, 0);
  std::vector<std::size_t> metric_judges(metrics, 0);
  s.by_judge.assign(judges, NAN);
  for (std::size_t j = 0; j < judges; ++j) {
    if (totals.point_counts[j] == 0) continue;
    s.by_judge[j] = totals.judge_score_sums[j] / static_cast<double>(totals.point_counts[j]);
    double judge = 0;
    for (std::size_t m = 0; m < metrics; ++m) {
      const double mean = totals.point_sums[j * metrics + m] / static_cast<double>(totals.point_counts[j]);
      judge += weights[m] * mean;
      metric_sums[m] += mean;
      ++metric_judges[m];
    }
    challenger += judge / weight_sum;
    ++judges_with_turns;
  }
  for (std::size_t m = 0; m < metrics; ++m)
    s.by_metric.push_back(metric_judges[m] ? 100 * metric_sums[m] / static_cast<double>(metric_judges[m]) : NAN);
  const bool any = judges_with_turns > 0;
  s.challenger_score = any ? 100 * challenger / static_cast<double>(judges_with_turns) : NAN;
  s.king_score = any ? 100 - s.challenger_score : NAN;
  s.win_margin = s.challenger_score - s.king_score;
  s.margin_ok = any && s.win_margin >= gate.win_margin;
  if (n > 0) {
    double sum = 0;
    for (double d : totals.deltas) sum += d;
    s.mean_delta = sum / static_cast<double>(n);
    double squares = 0;
    for (double d : totals.deltas) squares += (d - s.mean_delta) * (d - s.mean_delta);
    s.se = n > 1 ? std::sqrt(squares / static_cast<double>(n - 1)) / std::sqrt(static_cast<double>(n)) : 0;
  }
  s.lcb = stats::bootstrap_lcb(totals.deltas, gate.bootstrap, gate.alpha, gate.seed);
  s.accepted = s.valid_frac >= gate.min_valid_frac && s.margin_ok && n > 0 && s.lcb > 0;
  s.winner = !any ? "none" : s.win_margin > 0 ? "challenger" : s.win_margin < 0 ? "king" : "tie";
  return s;
}

// The --stats object; judge_names by judge number, panel: the configured judges.
inline void write_summary(JsonWriter& json, const DuelSummary& s, const std::vector<std::string>& judge_names,
                          const std::vector<Metric>& metrics, double min_valid_frac,
                          const std::vector<JudgeCalls>& panel) {
  namespace field = schema::duel_summary;
  auto number = [&](double value) {
    if (std::isnan(value)) json.null();
    else json.number(std::round(value * 1e4) / 1e4);
  };
  json.begin_object();
  json.key(field::n_done).integer(static_cast<std::int64_t>(s.done));
  json.key(field::n_valid).integer(static_cast<std::int64_t>(s.valid));
  json.key(field::valid_frac);
  number(s.valid_frac);
  json.key(field::challenger_score);
  number(s.challenger_score);
  json.key(field::king_score);
  number(s.king_score);
  json.key(schema::duel::by_judge).begin_object();
  for (std::size_t j = 0; j < judge_names.size(); ++j) {
    json.key(judge_names[j]);
    number(s.by_judge[j]);
  }
  json.end_object();
  json.key(schema::duel::by_metric).begin_object();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    json.key(metrics[m].name);
    number(s.by_metric[m]);
  }
  json.end_object();
  json.key(field::winner).string(s.winner);
  json.key(field::win_margin);
  number(s.win_margin);
  json.key(field::margin_ok).boolean(s.margin_ok);
  json.key(field::mean_delta);
  number(s.mean_delta);
  json.key(field::lcb);
  number(s.lcb);
  json.key(field::se);
  number(s.se);
  json.key(field::min_valid_frac).number(min_valid_frac);
  json.key(field::accepted).boolean(s.accepted);
  json.key(field::judges).begin_array();
  for (const auto& judge : panel) {
    json.begin_object();
    json.key(schema::judge_config::name).string(judge.name);
    json.key(schema::judge_config::model).string(judge.model);
    json.key(field::calls).integer(static_cast<std::int64_t>(judge.calls));
    json.key(field::retries).integer(static_cast<std::int64_t>(judge.retries));
    json.key(field::parse_failures).integer(static_cast<std::int64_t>(judge.parse_failures));
    json.key(field::failures).integer(static_cast<std::int64_t>(judge.failures));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

// The one line on standard error.
inline std::string summary_line(std::string_view tool, const DuelSummary& s) {
  auto show = [](double value) { return std::isnan(value) ? std::string("n/a") : fmt::format("{:.2f}", value); };
  return fmt::format("{}: {} turns, {} valid ({}); challenger {} vs king {} (margin {}); mean delta {}, lcb {}; {}\n",
                     tool, s.done, s.valid, show(s.valid_frac), show(s.challenger_score), show(s.king_score),
                     show(s.win_margin), show(s.mean_delta), show(s.lcb), s.accepted ? "accepted" : "not accepted");
}

}  // namespace prefline::duel
