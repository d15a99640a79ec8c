#pragma once
// Ranks a group's items (score, then vote_count, then input order, all
// descending but the last) and forms its pairs by the --strategy rule, with
// --min-margin and --max-pairs applied; and says, for the run's summary line,
// why each ranked item that is in no pair was left out.
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

// Ranked items (those with a score and enough votes) that are in no pair of
// their group, by the first rule that explains it.
struct LeftOut {
  std::size_t alone = 0;           // the only ranked item of its group
  std::size_t all_tied = 0;        // every ranked item of its group has the same score
  std::size_t below_margin = 0;    // paired only with gaps below --min-margin
  std::size_t over_max_pairs = 0;  // its pairs came after the first --max-pairs
  std::size_t not_paired = 0;      // the strategy pairs it with nothing (e.g. tied with the top)
};

// Adds the group's left-out items to `left_out`; `formed` are its pairs as
// pair_group formed them.
inline void count_left_out(const Group& group, const std::vector<Item>& items, const Settings& settings,
                           const std::vector<Pair>& formed, LeftOut& left_out) {
  const std::vector<std::uint32_t>& ranked = group.items;
  if (ranked.empty()) return;
  if (ranked.size() == 1) {
    ++left_out.alone;
    return;
  }
  const bool all_tied = std::all_of(ranked.begin(), ranked.end(),
                                    [&](std::uint32_t i) { return items[i].score == items[ranked.front()].score; });
  if (all_tied) {
    left_out.all_tied += ranked.size();
    return;
  }
  // The pairs the rule would form without --max-pairs, and also without
  // --min-margin. best-vs-random draws one of the items best-vs-rest would
  // pair, so those are the ones it could have used.
  Settings relaxed = settings;
  relaxed.max_pairs = 0;
  if (relaxed.strategy == Strategy::best_vs_random) relaxed.strategy = Strategy::best_vs_rest;
  const std::vector<Pair> without_limit = pair_group(group, items, relaxed);
  relaxed.min_margin = 0;
  const std::vector<Pair> without_margin = pair_group(group, items, relaxed);
  // The items each set of pairs uses, sorted (all-pairs forms n^2/2 pairs:
  // a scan per item would cost n^3).
  auto members = [](const std::vector<Pair>& pairs) {
    std::vector<std::uint32_t> used;
    used.reserve(pairs.size() * 2);
    for (const Pair& pair : pairs) {
      used.push_back(pair.chosen);
      used.push_back(pair.rejected);
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    return used;
  };
  const std::vector<std::uint32_t> in_formed = members(formed);
  const std::vector<std::uint32_t> in_without_limit = members(without_limit);
  const std::vector<std::uint32_t> in_without_margin = members(without_margin);
  auto in = [](const std::vector<std::uint32_t>& used, std::uint32_t item) {
    return std::binary_search(used.begin(), used.end(), item);
  };
  for (const std::uint32_t item : ranked) {
    if (in(in_formed, item)) continue;
    if (in(in_without_limit, item)) {
      if (settings.strategy == Strategy::best_vs_random) ++left_out.not_paired;
      else ++left_out.over_max_pairs;
    } else if (in(in_without_margin, item)) {
      ++left_out.below_margin;
    } else {
      ++left_out.not_paired;
    }
  }
}

}  // namespace prefline::pairs
