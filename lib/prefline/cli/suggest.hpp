// "Did you mean ...?": the nearest of a set of names to a mistyped one (an
// option, a field), by edit distance. Used by the option parser for unknown
// options and by FieldCensus for a field no record has.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prefline {

// Optimal string alignment distance: insertions, deletions, substitutions and
// swaps of two neighbours each cost 1 ("mediam" -> "median" is 1, "scor" -> "score" is 1).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

// The candidate nearest to `typed`, or "" when none is near enough: at most
// one edit for names of up to 4 characters, two for longer ones, or `typed`
// is the start of exactly one candidate ("--min-v" -> "--min-votes"). A tie
// between two candidates at the same distance suggests neither.
inline std::string nearest_name(std::string_view typed, const std::vector<std::string>& candidates) {
  const std::size_t limit = typed.size() <= 4 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  bool tie = false;
  for (const std::string& candidate : candidates) {
    if (candidate == typed) continue;
    const std::size_t distance = edit_distance(typed, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
      tie = false;
    } else if (distance == best_distance && candidate != best) {
      tie = true;
    }
  }
  if (best_distance <= limit && !tie) return best;
  std::string prefixed;
  for (const std::string& candidate : candidates) {
    if (typed.size() >= 3 && candidate.size() > typed.size() && candidate.compare(0, typed.size(), typed) == 0) {
      if (!prefixed.empty() && prefixed != candidate) return {};
      prefixed = candidate;
    }
  }
  return prefixed;
}

}  // namespace prefline
