// Exact mixes and hash-ranked samples: shares of strata turned into exact
// record counts (largest-remainder rounding, integer arithmetic only), and the
// k best-ranked records of a stream kept in a bounded heap, so a sample of k
// from any number of records needs memory for k.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace prefline {

// Splits `total` into counts proportional to `weights` by the largest
// remainder (Hamilton) method: each count is floor(total * w / W), and the
// records left over go one each to the largest remainders
// (total * w mod W); equal remainders go to the earlier weight. Exact:
// products are 128-bit integers. A zero weight gets 0; all weights zero gives
// all 0. Not monotone in `total` (the Alabama paradox): a count can shrink
// when total grows.
inline std::vector<std::uint64_t> apportion(std::uint64_t total, const std::vector<std::uint64_t>& weights) {
  using wide = unsigned __int128;
  std::vector<std::uint64_t> counts(weights.size(), 0);
  wide sum = 0;
  for (std::uint64_t weight : weights) sum += weight;
  if (sum == 0) return counts;
  std::vector<wide> remainders(weights.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const wide product = static_cast<wide>(total) * weights[i];
    counts[i] = static_cast<std::uint64_t>(product / sum);
    remainders[i] = product % sum;
    given += counts[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  // Fewer records are left than weights with a non-zero remainder.
  for (std::size_t i = 0; given < total; ++i, ++given) ++counts[order[i]];
  return counts;
}

// The largest total whose apportion() fits in `available` (no count above
// what its stratum has), i.e. the biggest sample with exactly this mix that
// repeats no record. Because of the Alabama paradox this is not a binary
// search: it walks down from an upper bound, and every total above
// min over strata of ceil(available * W / w) - 1 fits, so the walk is at most
// about W / w steps of the scarcest stratum.
inline std::uint64_t largest_exact_total(const std::vector<std::uint64_t>& weights,
                                         const std::vector<std::uint64_t>& available) {
  using wide = unsigned __int128;
  wide sum = 0;
  for (std::uint64_t weight : weights) sum += weight;
  if (sum == 0) return 0;
  // A stratum's count is at least floor(total * w / W), so total * w < (a + 1) * W;
  // and the counts add up to total, so total <= the sum of the available counts.
  wide bound = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) bound += available[i];
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0) continue;
    const wide limit = ((static_cast<wide>(available[i]) + 1) * sum - 1) / weights[i];
    bound = std::min(bound, limit);
  }
  for (auto total = static_cast<std::uint64_t>(bound);; --total) {
    const std::vector<std::uint64_t> counts = apportion(total, weights);
    bool fits = true;
    for (std::size_t i = 0; i < counts.size() && fits; ++i) fits = counts[i] <= available[i];
    if (fits || total == 0) return total;
  }
}

// A record's place in a hash-ranked sample: lower hash first, and on equal
// hashes (equal keys) the earlier record first.
struct Rank {
  std::uint64_t hash = 0;
  std::uint64_t index = 0;  // position in the input
  friend bool operator<(const Rank& a, const Rank& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.index < b.index;
  }
};

// Keeps the `capacity` best-ranked (smallest Rank) entries offered to it, in
// a max-heap: a new entry replaces the worst kept one when it ranks better.
// `unlimited` keeps everything (and skips the heap work).
template <class Payload>
class BestK {
 public:
  static constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

  struct Entry {
    Rank rank;
    Payload payload;
  };

  explicit BestK(std::size_t capacity) : capacity_(capacity) {}

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return entries_.size(); }

  // Whether an entry of this rank would be kept now (check before building
  // its payload).
  bool wants(const Rank& rank) const {
    if (entries_.size() < capacity_) return true;
    return capacity_ > 0 && rank < entries_.front().rank;
  }

  // Offers an entry; `fill(Payload&)` writes its payload into a slot that may
  // hold an evicted entry's payload (so its storage is reused). Call only
  // when wants(rank).
  template <class Fill>
  void offer(const Rank& rank, Fill&& fill) {
    if (entries_.size() < capacity_) {
      entries_.emplace_back();
      entries_.back().rank = rank;
      fill(entries_.back().payload);
      if (capacity_ != unlimited) std::push_heap(entries_.begin(), entries_.end(), by_rank);
      return;
    }
    std::pop_heap(entries_.begin(), entries_.end(), by_rank);
    entries_.back().rank = rank;
    fill(entries_.back().payload);
    std::push_heap(entries_.begin(), entries_.end(), by_rank);
  }

  // The kept entries, best first; leaves this empty.
  std::vector<Entry> take_sorted() {
    std::sort(entries_.begin(), entries_.end(), by_rank);
    return std::move(entries_);
  }

 private:
  static bool by_rank(const Entry& a, const Entry& b) { return a.rank < b.rank; }

  std::size_t capacity_;
  std::vector<Entry> entries_;
};

}  // namespace prefline
