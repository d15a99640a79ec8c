#pragma once
// The statistics of each item once every grade is in: which values count
// (complete votes, or every value with --partial-votes), calibration per
// dimension, the per-dimension summaries, overall, vote_count, raters and the
// low_votes / high_variance flags.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/stats/summary.hpp"

namespace prefline::consensus {

struct FinishedItem {
  std::vector<prefline::stats::Summary> summaries;  // per dimension
  std::optional<double> overall;
  std::size_t vote_count = 0;
  std::vector<std::uint32_t> raters;  // sorted
  bool low_votes = false;
  bool high_variance = false;
};

class ItemStatistics {
 public:
  ItemStatistics(const Settings& settings, std::vector<Item>& items, std::size_t raters)
      : settings_(settings), items_(items), raters_(raters), dims_(settings.dimensions.size()) {
    used_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& item = items[i];
      used_[i].assign(item.grades.size() * dims_, not_graded);
      for (std::size_t g = 0; g < item.grades.size(); ++g) {
        bool complete = true;
        for (std::size_t d = 0; d < dims_; ++d) complete = complete && !std::isnan(value(item, g, d));
        for (std::size_t d = 0; d < dims_; ++d)
          if (complete || settings.partial_votes) used_[i][g * dims_ + d] = value(item, g, d);
      }
    }
    calibrated_ = used_;
    if (settings.calibration != Calibration::none) calibrate();
  }

  FinishedItem finish(std::size_t i) const {
    const Item& item = items_[i];
    FinishedItem done;
    std::vector<double> values;
    double weighted = 0, weight_sum = 0;
    for (std::size_t d = 0; d < dims_; ++d) {
      values.clear();
      for (std::size_t g = 0; g < item.grades.size(); ++g) {
        const double v = calibrated_[i][g * dims_ + d];
        if (!std::isnan(v)) values.push_back(v);
      }
      done.summaries.push_back(prefline::stats::summarize(values, settings_.trim));
      const auto& summary = done.summaries.back();
      if (summary.n > 0) {
        const double statistic = settings_.overall == OverallStat::mean     ? summary.mean
                                 : settings_.overall == OverallStat::median ? summary.median
                                                                            : summary.trimmed_mean;
        weighted += settings_.dimensions[d].weight * statistic;
        weight_sum += settings_.dimensions[d].weight;
        if (summary.sd > settings_.max_sd) done.high_variance = true;
      }
    }
    if (weight_sum > 0) done.overall = weighted / weight_sum;
    for (std::size_t g = 0; g < item.grades.size(); ++g) {
      bool complete = true, any = false;
      for (std::size_t d = 0; d < dims_; ++d) {
        const bool has = !std::isnan(value(item, g, d));
        complete = complete && has;
        any = any || has;
      }
      if (complete) ++done.vote_count;
      if (any) done.raters.push_back(item.grades[g].rater);
    }
    std::sort(done.raters.begin(), done.raters.end());
    done.low_votes = done.vote_count < settings_.min_votes;
    return done;
  }

  // The values that count for dimension d, uncalibrated, as (item, rater, value).
  std::vector<prefline::stats::RatedValue> rated_values(std::size_t d) const {
    std::vector<prefline::stats::RatedValue> rated;
    for (std::size_t i = 0; i < items_.size(); ++i)
      for (std::size_t g = 0; g < items_[i].grades.size(); ++g) {
        const double v = used_[i][g * dims_ + d];
        if (!std::isnan(v)) rated.push_back({i, items_[i].grades[g].rater, v});
      }
    return rated;
  }

 private:
  // The rater's value (the mean of the duplicates with --duplicates mean).
  double value(const Item& item, std::size_t g, std::size_t d) const {
    const double v = item.values[g * dims_ + d];
    if (item.counts.empty() || std::isnan(v)) return v;
    const std::uint32_t count = item.counts[g * dims_ + d];
    return count == 0 ? not_graded : v / count;
  }

  void calibrate() {
    for (std::size_t d = 0; d < dims_; ++d) {
      const auto rated = rated_values(d);
      const std::vector<double> adjusted =
          settings_.calibration == Calibration::zscore
              ? prefline::stats::calibrate_zscore(rated, raters_)
              : prefline::stats::calibrate_additive(rated, items_.size(), raters_);
      std::size_t next = 0;
      for (std::size_t i = 0; i < items_.size(); ++i)
        for (std::size_t g = 0; g < items_[i].grades.size(); ++g)
          if (!std::isnan(used_[i][g * dims_ + d])) calibrated_[i][g * dims_ + d] = adjusted[next++];
    }
  }

  const Settings& settings_;
  std::vector<Item>& items_;
  std::size_t raters_;
  std::size_t dims_;
  std::vector<std::vector<double>> used_;        // per item: grades x dims, NaN where it does not count
  std::vector<std::vector<double>> calibrated_;  // same shape, after calibration
};

}  // namespace prefline::consensus
