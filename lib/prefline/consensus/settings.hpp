#pragma once
// What consensus was asked to do, checked before any input is read: the item
// key, the rater, the score dimensions and their weights, the scale and the
// rules for duplicates, calibration and flags. The mode names parse here so
// the tool's help and its errors name the same words.
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prefline::consensus {

enum class Duplicates { latest, first, mean, error };
enum class Calibration { none, zscore, additive };
enum class OverallStat { mean, median, trimmed_mean };

struct Dimension {
  std::string name;
  std::string field;
  double weight = 1;
};

struct Settings {
  std::vector<std::string> item_fields;
  std::string rater_field;
  std::vector<Dimension> dimensions;
  double scale_min = 0, scale_max = 5;
  std::string scale_text;
  std::vector<std::string> keep_fields;
  std::string time_field;
  double trim = 0.1;
  OverallStat overall = OverallStat::mean;
  bool partial_votes = false;
  Duplicates duplicates = Duplicates::latest;
  Calibration calibration = Calibration::none;
  std::size_t min_votes = 1;
  bool keep_low = false;
  double max_sd = 1.5;
};

// A score that was not given (never 0): NaN, so sums and means skip it.
inline constexpr double not_graded = std::numeric_limits<double>::quiet_NaN();

inline std::optional<Duplicates> parse_duplicates(std::string_view name) {
  if (name == "latest") return Duplicates::latest;
  if (name == "first") return Duplicates::first;
  if (name == "mean") return Duplicates::mean;
  if (name == "error") return Duplicates::error;
  return std::nullopt;
}

inline std::optional<Calibration> parse_calibration(std::string_view name) {
  if (name == "none") return Calibration::none;
  if (name == "zscore") return Calibration::zscore;
  if (name == "additive") return Calibration::additive;
  return std::nullopt;
}

inline std::optional<OverallStat> parse_overall_stat(std::string_view name) {
  if (name == "mean") return OverallStat::mean;
  if (name == "median") return OverallStat::median;
  if (name == "trimmed_mean") return OverallStat::trimmed_mean;
  return std::nullopt;
}

}  // namespace prefline::consensus
