#include "prefline/random/sampling.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/random/generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using prefline::apportion;
using Counts = std::vector<std::uint64_t>;

// A second, deliberately simple largest-remainder method: floors first, then
// hand out the seats left one at a time to the largest remaining remainder
// (the first one on ties), scanning the list each time.
Counts apportion_simple(std::uint64_t total, const Counts& weights) {
  std::uint64_t sum = 0;
  for (auto w : weights) sum += w;
  Counts counts(weights.size(), 0);
  if (sum == 0) return counts;
  std::vector<std::uint64_t> remainder(weights.size());
  std::vector<bool> extra(weights.size(), false);
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    counts[i] = total * weights[i] / sum;
    remainder[i] = total * weights[i] % sum;
    given += counts[i];
  }
  while (given < total) {
    std::size_t best = weights.size();
    for (std::size_t i = 0; i < weights.size(); ++i)
      if (!extra[i] && (best == weights.size() || remainder[i] > remainder[best])) best = i;
    extra[best] = true;
    ++counts[best];
    ++given;
  }
  return counts;
}

TEST(Apportion, PresetMixes) {
  EXPECT_EQ(apportion(100, {1, 1, 1}), (Counts{34, 33, 33}));  // tie: the first stratum
  EXPECT_EQ(apportion(101, {1, 1, 1}), (Counts{34, 34, 33}));
  EXPECT_EQ(apportion(99, {1, 1, 1}), (Counts{33, 33, 33}));
  EXPECT_EQ(apportion(100, {50, 30, 20}), (Counts{50, 30, 20}));
  EXPECT_EQ(apportion(7, {50, 30, 20}), (Counts{4, 2, 1}));   // 3.5, 2.1, 1.4
  EXPECT_EQ(apportion(9, {25, 50, 25}), (Counts{2, 5, 2}));   // 2.25, 4.5, 2.25
  EXPECT_EQ(apportion(10, {25, 50, 25}), (Counts{3, 5, 2}));  // 2.5, 5, 2.5: tie to the first
  EXPECT_EQ(apportion(16, {20, 30, 50}), (Counts{3, 5, 8}));  // 3.2, 4.8, 8
}

TEST(Apportion, AlabamaParadox) {
  // Hamilton's method is not house monotone: with weights 6, 6, 2 the third
  // count drops from 2 to 1 when the total grows from 10 to 11.
  EXPECT_EQ(apportion(10, {6, 6, 2}), (Counts{4, 4, 2}));
  EXPECT_EQ(apportion(11, {6, 6, 2}), (Counts{5, 5, 1}));
}

TEST(Apportion, ZeroWeightsGetNothing) {
  EXPECT_EQ(apportion(5, {0, 1, 0}), (Counts{0, 5, 0}));
  EXPECT_EQ(apportion(5, {0, 0}), (Counts{0, 0}));
  EXPECT_EQ(apportion(0, {1, 2}), (Counts{0, 0}));
}

TEST(Apportion, HugeTotalsAreExact) {
  const std::uint64_t total = (std::uint64_t{1} << 62) + 3;
  const Counts counts = apportion(total, {1000000000000ULL, 1000000000000ULL, 1});
  EXPECT_EQ(counts[0] + counts[1] + counts[2], total);
  EXPECT_EQ(counts[0], counts[1]);
}

TEST(Apportion, MatchesTheSimpleMethod) {
  prefline::SplitMix64 random{42};
  for (int round = 0; round < 20000; ++round) {
    Counts weights(1 + random.below(5));
    for (auto& w : weights) w = random.below(4) == 0 ? 0 : 1 + random.below(round % 2 ? 7 : 1000000);
    const std::uint64_t total = random.below(300);
    const Counts counts = apportion(total, weights);
    ASSERT_EQ(counts, apportion_simple(total, weights)) << "round " << round;
    std::uint64_t sum = 0, weight_sum = 0;
    for (auto c : counts) sum += c;
    for (auto w : weights) weight_sum += w;
    ASSERT_EQ(sum, weight_sum == 0 ? 0 : total);
  }
}

// The largest fitting total by brute force: every total from the most
// records there are down to 0.
std::uint64_t largest_simple(const Counts& weights, const Counts& available) {
  std::uint64_t all = 0;
  for (auto a : available) all += a;
  for (std::uint64_t total = all;; --total) {
    const Counts counts = apportion_simple(total, weights);
    bool fits = true;
    for (std::size_t i = 0; i < counts.size(); ++i) fits = fits && counts[i] <= available[i];
    if (fits || total == 0) return total;
  }
}

TEST(LargestExactTotal, Examples) {
  // balanced with 12, 10, 8: 26 = 9, 9, 8 (8.67 each, the two extras to easy and medium)
  EXPECT_EQ(prefline::largest_exact_total({1, 1, 1}, {12, 10, 8}), 26u);
  EXPECT_EQ(prefline::largest_exact_total({50, 30, 20}, {12, 10, 8}), 24u);
  EXPECT_EQ(prefline::largest_exact_total({1, 1, 1}, {5, 5, 0}), 2u);
  EXPECT_EQ(prefline::largest_exact_total({1, 0}, {3, 100}), 3u);
  EXPECT_EQ(prefline::largest_exact_total({0, 0}, {3, 100}), 0u);
}

TEST(LargestExactTotal, MatchesBruteForce) {
  prefline::SplitMix64 random{7};
  for (int round = 0; round < 5000; ++round) {
    const std::size_t strata = 1 + random.below(4);
    Counts weights(strata), available(strata);
    for (auto& w : weights) w = random.below(5) == 0 ? 0 : 1 + random.below(round % 3 ? 10 : 100000);
    for (auto& a : available) a = random.below(40);
    if (std::all_of(weights.begin(), weights.end(), [](std::uint64_t w) { return w == 0; })) weights[0] = 1;
    ASSERT_EQ(prefline::largest_exact_total(weights, available), largest_simple(weights, available))
        << "round " << round;
  }
}

// The simple ranking: every record's (hash, index), sorted, the first k.
std::vector<std::uint64_t> best_k_simple(const std::vector<std::uint64_t>& hashes, std::size_t k) {
  std::vector<prefline::Rank> ranks;
  for (std::size_t i = 0; i < hashes.size(); ++i) ranks.push_back({hashes[i], i});
  std::sort(ranks.begin(), ranks.end(), [](const prefline::Rank& a, const prefline::Rank& b) {
    return a.hash < b.hash || (a.hash == b.hash && a.index < b.index);
  });
  std::vector<std::uint64_t> indexes;
  for (std::size_t i = 0; i < std::min(k, ranks.size()); ++i) indexes.push_back(ranks[i].index);
  return indexes;
}

std::vector<std::uint64_t> best_k(const std::vector<std::uint64_t>& hashes, std::size_t k) {
  prefline::BestK<std::string> heap(k);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const prefline::Rank rank{hashes[i], i};
    if (heap.wants(rank)) heap.offer(rank, [&](std::string& payload) { payload = "record " + std::to_string(i); });
  }
  std::vector<std::uint64_t> indexes;
  for (const auto& entry : heap.take_sorted()) {
    EXPECT_EQ(entry.payload, "record " + std::to_string(entry.rank.index));  // payloads travel with their ranks
    indexes.push_back(entry.rank.index);
  }
  return indexes;
}

TEST(BestK, MatchesSortingEverything) {
  prefline::SplitMix64 random{3};
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint64_t> hashes(random.below(200));
    // Some rounds draw from a few values only: many equal hashes, ordered by index.
    const bool few = round % 2 == 0;
    for (auto& h : hashes) h = few ? random.below(5) : random.next();
    const std::size_t k = random.below(hashes.size() + 3);
    ASSERT_EQ(best_k(hashes, k), best_k_simple(hashes, k)) << "round " << round;
  }
}

TEST(BestK, RanksByXxh3OfTheKey) {
  // The tool's ranking: XXH3-64 of each key with the seed, against sorting.
  for (std::uint64_t seed : {0ULL, 1ULL, 12345ULL}) {
    std::vector<std::uint64_t> hashes;
    for (int i = 0; i < 1000; ++i)
      hashes.push_back(prefline::stable_hash("{\"problem_id\":\"p" + std::to_string(i % 700) + "\"}", seed));
    EXPECT_EQ(best_k(hashes, 50), best_k_simple(hashes, 50));
  }
  // Published XXH3-64 value of the empty input with seed 0 (xxHash's test vectors).
  EXPECT_EQ(prefline::stable_hash("", 0), 0x2D06800538D394C2ULL);
}

TEST(BestK, ZeroAndUnlimitedCapacity) {
  prefline::BestK<int> none(0);
  EXPECT_FALSE(none.wants({0, 0}));
  prefline::BestK<int> all(prefline::BestK<int>::unlimited);
  for (std::uint64_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(all.wants({100 - i, i}));
    all.offer({100 - i, i}, [&](int& payload) { payload = static_cast<int>(i); });
  }
  const auto sorted = all.take_sorted();
  ASSERT_EQ(sorted.size(), 100u);
  EXPECT_EQ(sorted.front().payload, 99);
  EXPECT_EQ(sorted.back().payload, 0);
}

}  // namespace
