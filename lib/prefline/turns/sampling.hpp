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

// The `capacity` entries of lowest (rank, payload) seen, whatever order they
// arrive in: equal ranks (equal keys) are ordered by the payload's operator<,
// so the result is a function of the set of entries alone. With
// `unique_ranks`, entries of equal rank are one entry (the lowest payload is
// kept): --dedup-prefix, where equal ranks mean equal histories.
template <class Payload>
class BottomSample {
 public:
  struct Entry {
    std::uint64_t rank = 0;
    Payload payload;
    bool operator<(const Entry& other) const {
      if (rank != other.rank) return rank < other.rank;
      return payload < other.payload;
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
  bool add(std::uint64_t rank, Payload payload) {
    if (!may_take(rank)) return false;
    Entry entry{rank, std::move(payload)};
    if (unique_) {
      const auto same = entries_.lower_bound(Rank{rank});
      if (same != entries_.end() && same->rank == rank) {
        if (!(entry < *same)) return false;
        entries_.erase(same);
      }
    }
    const auto at = entries_.insert(std::move(entry));
    if (entries_.size() > capacity_) {
      const auto last = std::prev(entries_.end());
      const bool evicted_self = last == at;
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

}  // namespace prefline::turns
