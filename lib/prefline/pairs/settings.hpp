#pragma once
// What pairup was asked to do, checked before any input is read: the group
// and candidate fields, the score path and statistic, the pairing strategy and
// its limits. The strategy names parse here, next to the enum they name.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prefline::pairs {

// Gaps within this of --min-margin count as reaching it (floating-point rounding).
constexpr double margin_tolerance = 1e-9;

enum class Strategy { best_vs_rest, best_vs_worst, all_pairs, adjacent, best_vs_random };

inline std::optional<Strategy> parse_strategy(std::string_view name) {
  if (name == "best-vs-rest") return Strategy::best_vs_rest;
  if (name == "best-vs-worst") return Strategy::best_vs_worst;
  if (name == "all-pairs") return Strategy::all_pairs;
  if (name == "adjacent") return Strategy::adjacent;
  if (name == "best-vs-random") return Strategy::best_vs_random;
  return std::nullopt;
}

struct Settings {
  std::string group = "challenge";    // --group
  std::string candidate = "model";    // --candidate
  std::string score = "overall";        // --score as given, for messages
  std::vector<std::string> score_path;  // --score split at the dots
  std::string stat = "mean";          // --stat
  Strategy strategy = Strategy::best_vs_rest;
  double min_margin = 0.5;
  std::size_t max_pairs = 0;  // 0: no limit
  std::size_t min_votes = 1;  // a missing vote_count counts as 0
  std::uint64_t seed = 0;
};

}  // namespace prefline::pairs
