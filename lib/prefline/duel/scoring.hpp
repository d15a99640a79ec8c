// Scoring one turn from its judges' verdicts: the challenger's points per
// judge and metric, the judge scores, the turn score and delta, computed
// without allocations once warm (this runs for every turn of a duel).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/duel/metric.hpp"

namespace prefline::duel {

// The challenger's points for one verdict value: win 1, draw 0.5, loss 0.
// A table, not branches: verdicts are as good as random to the branch predictor.
inline double challenger_points(int verdict, Order order) {
  static constexpr double points[2][3] = {{0.5, 0.0, 1.0},   // ab: the challenger is MODEL 2
                                          {0.5, 1.0, 0.0}};  // ba: the challenger is MODEL 1
  return points[order == Order::ab ? 0 : 1][verdict];
}

struct Judgement {
  std::string judge;
  Order order = Order::ab;
  std::optional<Verdict> verdict;
  std::string error;  // why there is no verdict
};

// One judgement in compact form, for scoring without allocations: the judge
// as an index into the turn's panel, the verdict as `metrics` bytes at
// values[offset] of a store the caller keeps.
struct Vote {
  std::uint32_t judge = 0;
  Order order = Order::ab;
  bool has_verdict = false;
  std::uint32_t values = 0;
  std::string_view error;  // why there is no verdict (storage kept by the caller)
};

struct TurnScore {
  bool parsed = false;
  std::optional<double> score;  // 0..100
  std::optional<double> delta;  // score / 100 - 0.5
  std::vector<std::optional<double>> by_metric;  // per metric: mean over parsed judges, 0..1
  std::vector<std::optional<double>> by_judge;   // per judge: 0..100
  // points[j x metrics + m]: judge j's points for the challenger on metric
  // m, averaged over its parsed orders (NaN when the judge did not parse):
  // the summary's raw material.
  std::vector<double> points;
};

// Formulas (documented in --help): per judge and metric, the challenger's
// points averaged over the orders that parsed; judge score = weighted mean
// over metrics; turn score = 100 x mean over the judges that parsed;
// parsed = at least `min_judges` judges parsed (0: every judge of the panel).
// Sums run in the order of the votes, so a turn scores the same bits however
// it is stored. Reuses its buffers: no allocation once warm.
class Scorer {
 public:
  Scorer(std::vector<double> weights, std::size_t min_judges)
      : weights_(std::move(weights)), min_judges_(min_judges) {
    for (double w : weights_) weight_sum_ += w;
  }

  std::size_t metrics() const { return weights_.size(); }

  // votes[i].judge < panel; the returned score lives until the next call.
  const TurnScore& score(const Vote* votes, std::size_t count, const std::uint8_t* values, std::size_t panel) {
    const std::size_t metrics = weights_.size();
    TurnScore& turn = turn_;
    turn.points.assign(panel * metrics, 0.0);
    turn.by_judge.assign(panel, std::nullopt);
    turn.by_metric.assign(metrics, std::nullopt);
    turn.score.reset();
    turn.delta.reset();
    orders_.assign(panel, 0);
    for (std::size_t i = 0; i < count; ++i) {
      const Vote& vote = votes[i];
      if (!vote.has_verdict) continue;
      ++orders_[vote.judge];
      double* sum = &turn.points[vote.judge * metrics];
      const std::uint8_t* verdict = values + vote.values;
      for (std::size_t m = 0; m < metrics; ++m) sum[m] += challenger_points(verdict[m], vote.order);
    }
    std::size_t parsed_judges = 0;
    double score_sum = 0;
    metric_sum_.assign(metrics, 0.0);
    for (std::size_t j = 0; j < panel; ++j) {
      double* points = &turn.points[j * metrics];
      if (orders_[j] == 0) {
        std::fill(points, points + metrics, std::nan(""));
        continue;
      }
      ++parsed_judges;
      double judge_score = 0;
      for (std::size_t m = 0; m < metrics; ++m) {
        points[m] = points[m] / static_cast<double>(orders_[j]);
        judge_score += weights_[m] * points[m];
        metric_sum_[m] += points[m];
      }
      judge_score /= weight_sum_;
      turn.by_judge[j] = 100 * judge_score;
      score_sum += judge_score;
    }
    const std::size_t needed = min_judges_ == 0 ? panel : min_judges_;
    turn.parsed = parsed_judges > 0 && parsed_judges >= needed;
    if (turn.parsed) {
      turn.score = 100 * score_sum / static_cast<double>(parsed_judges);
      turn.delta = *turn.score / 100 - 0.5;
      for (std::size_t m = 0; m < metrics; ++m) turn.by_metric[m] = metric_sum_[m] / static_cast<double>(parsed_judges);
    }
    return turn;
  }

 private:
  std::vector<double> weights_;
  double weight_sum_ = 0;
  std::size_t min_judges_;
  TurnScore turn_;
  std::vector<std::size_t> orders_;
  std::vector<double> metric_sum_;
};

}  // namespace prefline::duel
