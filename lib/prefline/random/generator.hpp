// Randomness with an explicitly specified generator, so a seed gives the same
// numbers on every machine and standard library (never std::uniform_*_distribution).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace prefline {

// splitmix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators").
struct SplitMix64 {
  std::uint64_t state;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // In [0, bound); the modulo bias is below 2^-40 for bounds under 2^24, fine for tests and sampling.
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }
  // Fisher-Yates shuffle.
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }
};

}  // namespace prefline
