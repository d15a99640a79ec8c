// Blind grading against position and order bias: each grader sees the items
// in an order of their own and, in --compare, each pair with its sides
// randomly swapped. Both come from the grader's name alone (no clock, no
// global seed), so a restart shows the same grader the same order and the
// same sides, and two graders see different ones.
#pragma once

#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

#include "prefline/random/generator.hpp"
#include "prefline/random/hashing.hpp"

namespace prefline::label {

// Seeds of the two uses, so that the order and the sides are independent.
inline constexpr std::uint64_t order_seed = 0x6c6162656c2d6f72ULL;  // "label-or"
inline constexpr std::uint64_t sides_seed = 0x6c6162656c2d7364ULL;  // "label-sd"

// The positions 0..count-1 in the grader's order (Fisher-Yates with
// splitmix64 seeded by the XXH3 hash of the name). `shuffle` false keeps
// the input order.
inline std::vector<std::size_t> grader_order(std::size_t count, std::string_view grader, bool shuffle = true) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffle) {
    SplitMix64 generator{stable_hash(grader, order_seed)};
    generator.shuffle(order);
  }
  return order;
}

// Whether this grader sees the pair `item_key` with its B side first (on
// the left): a coin per (grader, item), recorded in each vote as "shown".
inline bool b_shown_first(std::string_view grader, std::string_view item_key) {
  return (stable_hash(item_key, stable_hash(grader, sides_seed)) >> 63) != 0;
}

}  // namespace prefline::label
