// Stable hashing: the same bytes and seed give the same 64-bit value on any
// machine and in any run (XXH3-64, a fixed, published algorithm), so that
// hash-based splits and samples are reproducible everywhere.
#pragma once

#include <cstdint>
#include <string_view>

#include <xxhash.h>

namespace prefline {

inline std::uint64_t stable_hash(std::string_view bytes, std::uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

// Maps a hash uniformly onto [0, total): floor(hash * total / 2^64), exactly.
inline std::uint64_t scale_hash(std::uint64_t hash, std::uint64_t total) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(hash) * total) >> 64);
}

}  // namespace prefline
