// The vocabulary of a duel: the metrics the judges compare the two answers
// on, the order the answers are shown in, and a verdict (one value per
// metric: 1 = MODEL 1 better, 2 = MODEL 2 better, 0 = draw).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prefline::duel {

// The five default metrics and what the judge is asked about each.
struct Metric {
  std::string name;
  std::string question;
};

inline std::vector<Metric> default_metrics() {
  return {{"correctness", "would the action work"},
          {"grounding", "is the reasoning faithful to what was observed"},
          {"progress", "does it move the task forward without redundancy"},
          {"protocol", "exactly one valid action block, only allowed tools"},
          {"efficiency", "is the move economical"}};
}

// In order "ab" MODEL 1 is answer A (the king) and MODEL 2 answer B (the
// challenger); in "ba" they are swapped, against position bias.
enum class Order { ab, ba };
inline std::string_view order_name(Order order) { return order == Order::ab ? "ab" : "ba"; }

// A verdict per metric: 1 = MODEL 1 better, 2 = MODEL 2 better, 0 = draw.
using Verdict = std::vector<int>;


}  // namespace prefline::duel
