// Sampling turns by hash, so that the same turns are chosen on any machine,
// whatever the order of the input files or how the input is sharded: a turn's
// rank is XXH3(key, seed) of a key built from the turn itself (its instance
// id, its trajectory's hash and its number), never from its position.
//   --rate P     keep a turn when rank < P * 2^64
//   --sample N   keep the N turns of lowest rank (bottom-N): the bottom N of
//                a union is the bottom N of the shards' bottom Ns
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <xxhash.h>

#include "prefline/random/hashing.hpp"

namespace prefline::turns {

// The bytes a turn's rank is the hash of: the instance id's text, the
// trajectory's (or, with --dedup-prefix, the history's) 64-bit hash as 16
// lower-case hex digits, and the assistant turn's number, separated by 0x1F.
inline std::string turn_key(std::string_view instance_id, std::uint64_t whole_hash, std::uint64_t turn) {
  return fmt::format("{}\x1f{:016x}\x1f{}", instance_id, whole_hash, turn);
}

inline std::uint64_t turn_rank(std::string_view instance_id, std::uint64_t whole_hash, std::uint64_t turn,
                               std::uint64_t seed) {
  return stable_hash(turn_key(instance_id, whole_hash, turn), seed);
}

// --rate P: ranks below floor(P * 2^64) are kept (P = 1 keeps every turn).
// P * 2^64 is exact in binary floating point, so the threshold is too.
class RateThreshold {
 public:
  explicit RateThreshold(double rate) {
    if (rate >= 1) {
      all_ = true;
      return;
    }
    threshold_ = static_cast<std::uint64_t>(std::ldexp(rate, 64));
  }
  bool keeps(std::uint64_t rank) const { return all_ || rank < threshold_; }

 private:
  bool all_ = false;
  std::uint64_t threshold_ = 0;
};

// The `capacity` entries of lowest (rank, tie) seen, whatever order they
// arrive in. `tie` orders equal ranks (equal keys) by content (turns: a hash
// of the record without its source), so the result is a function of the set of
// entries alone. With `unique_ranks`, entries of equal rank are one entry (the
// lowest tie is kept): --dedup-prefix, where equal ranks mean equal histories.
// The payload takes no part in the order, so it may be dropped in place
// (release()) once its entry can no longer be chosen.
template <class Payload>
class BottomSample {
 public:
  struct Entry {
    std::uint64_t rank = 0;
    std::uint64_t tie = 0;
    mutable Payload payload;
    bool operator<(const Entry& other) const {
      return rank != other.rank ? rank < other.rank : tie < other.tie;
    }
  };
  // A rank alone, to find the first entry of a rank (std::less<> makes the set search by it).
  struct Rank {
    std::uint64_t rank;
  };
  friend bool operator<(const Entry& entry, const Rank& rank) { return entry.rank < rank.rank; }
  friend bool operator<(const Rank& rank, const Entry& entry) { return rank.rank < entry.rank; }

  BottomSample(std::size_t capacity, bool unique_ranks) : capacity_(capacity), unique_(unique_ranks) {}

  // Whether an entry of this rank could enter (checked before the entry is built).
  bool may_take(std::uint64_t rank) const {
    return capacity_ > 0 && (entries_.size() < capacity_ || rank <= std::prev(entries_.end())->rank);
  }

  // Adds an entry; returns false when it is not (or no longer) in the sample.
  // `left` (if given) receives the rank of another entry the new one pushed out.
  bool add(std::uint64_t rank, std::uint64_t tie, Payload payload, std::optional<std::uint64_t>* left = nullptr) {
    if (!may_take(rank)) return false;
    Entry entry{rank, tie, std::move(payload)};
    if (unique_) {
      const auto same = entries_.lower_bound(Rank{rank});
      if (same != entries_.end() && same->rank == rank) {
        if (!(entry < *same)) return false;
        entries_.erase(same);  // replaced by an entry of the same rank: no rank left
      }
    }
    const auto at = entries_.insert(std::move(entry));
    if (entries_.size() > capacity_) {
      const auto last = std::prev(entries_.end());
      const bool evicted_self = last == at;
      if (!evicted_self && left != nullptr) *left = last->rank;
      entries_.erase(last);
      if (evicted_self) return false;
    }
    return true;
  }

  const std::multiset<Entry, std::less<>>& entries() const { return entries_; }
  std::multiset<Entry, std::less<>>& entries() { return entries_; }

 private:
  std::size_t capacity_;
  bool unique_;
  std::multiset<Entry, std::less<>> entries_;
};

// The n-th lowest value of a multiset of ranks that changes by insertions and
// by removals of values inserted before: --per-instance K with --sample N
// keeps the ranks of every instance's bottom K here. A rank that one
// instance's bottom K gives up is always replaced by a lower one, so bound()
// never grows, and a turn ranked above it can never be in the final sample:
// its record need not be built or kept.
class RankBound {
 public:
  explicit RankBound(std::size_t n) : n_(n) {}

  void insert(std::uint64_t rank) {
    if (low_.size() < n_) {
      low_.insert(rank);
      return;
    }
    const auto top = std::prev(low_.end());
    if (n_ > 0 && rank < *top) {
      high_.insert(*top);
      low_.erase(top);
      low_.insert(rank);
    } else {
      high_.insert(rank);
    }
  }

  void erase(std::uint64_t rank) {
    if (const auto it = high_.find(rank); it != high_.end()) {
      high_.erase(it);
      return;
    }
    const auto it = low_.find(rank);
    if (it == low_.end()) return;
    low_.erase(it);
    if (!high_.empty()) {
      low_.insert(*high_.begin());
      high_.erase(high_.begin());
    }
  }

  // The n-th lowest rank held; the largest rank while fewer than n are held.
  std::uint64_t bound() const { return low_.size() < n_ || n_ == 0 ? UINT64_MAX : *std::prev(low_.end()); }

 private:
  std::size_t n_;
  std::multiset<std::uint64_t> low_, high_;  // the n lowest, and the others
};

}  // namespace prefline::turns
