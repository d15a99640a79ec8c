#pragma once
// Ranks a group's items (score, then vote_count, then input order, all
// descending but the last) and forms its pairs by the --strategy rule, with
// --min-margin and --max-pairs applied.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "prefline/pairs/item_reader.hpp"
#include "prefline/pairs/settings.hpp"
#include "prefline/random/generator.hpp"
#include "prefline/random/hashing.hpp"

namespace prefline::pairs {

struct Pair {
  std::uint32_t chosen;
  std::uint32_t rejected;
};

// Rank order: score descending, then vote_count descending, then input order.
inline std::vector<std::uint32_t> rank(const Group& group, const std::vector<Item>& items) {
  std::vector<std::uint32_t> ranked = group.items;
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (items[a].score != items[b].score) return items[a].score > items[b].score;
    if (items[a].vote_count != items[b].vote_count) return items[a].vote_count > items[b].vote_count;
    return items[a].order < items[b].order;
  });
  return ranked;
}

inline std::vector<Pair> pair_group(const Group& group, const std::vector<Item>& items,
                                    const Settings& settings) {
  const std::vector<std::uint32_t> ranked = rank(group, items);
  std::vector<Pair> pairs;
  // Equal scores never pair; otherwise the gap must reach the margin
  // (inclusive, with room for rounding: 3 - 2.6 is 0.3999999999999999).
  auto may_pair = [&](std::uint32_t chosen, std::uint32_t rejected) {
    const double gap = items[chosen].score - items[rejected].score;
    return items[chosen].score > items[rejected].score && gap >= settings.min_margin - margin_tolerance;
  };
  if (ranked.size() < 2) return pairs;
  const std::uint32_t top = ranked.front();
  switch (settings.strategy) {
    case Strategy::best_vs_rest:
      for (std::size_t j = 1; j < ranked.size(); ++j)
        if (may_pair(top, ranked[j])) pairs.push_back({top, ranked[j]});
      break;
    case Strategy::best_vs_worst:
      if (may_pair(top, ranked.back())) pairs.push_back({top, ranked.back()});
      break;
    case Strategy::all_pairs:
      for (std::size_t i = 0; i < ranked.size(); ++i)
        for (std::size_t j = i + 1; j < ranked.size(); ++j)
          if (may_pair(ranked[i], ranked[j])) pairs.push_back({ranked[i], ranked[j]});
      break;
    case Strategy::adjacent:
      for (std::size_t i = 0; i < ranked.size(); ++i) {
        std::size_t j = i + 1;
        while (j < ranked.size() && items[ranked[j]].score == items[ranked[i]].score) ++j;
        if (j < ranked.size() && may_pair(ranked[i], ranked[j])) pairs.push_back({ranked[i], ranked[j]});
      }
      break;
    case Strategy::best_vs_random: {
      std::vector<std::uint32_t> candidates;
      for (std::size_t j = 1; j < ranked.size(); ++j)
        if (may_pair(top, ranked[j])) candidates.push_back(ranked[j]);
      if (!candidates.empty()) {
        prefline::SplitMix64 random{prefline::stable_hash(group.value.key, settings.seed)};
        pairs.push_back({top, candidates[random.below(candidates.size())]});
      }
      break;
    }
  }
  if (settings.max_pairs > 0 && pairs.size() > settings.max_pairs) pairs.resize(settings.max_pairs);
  return pairs;
}

}  // namespace prefline::pairs
