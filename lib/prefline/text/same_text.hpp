// Equality of the short keys and names records are matched on (field names,
// judge names, bucket names), faster than operator== for them: it is on the
// hot path of every field lookup.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace prefline {

// a == b, for the short keys and names records are matched on: sizes first,
// then words loaded in place (two overlapping ones cover 4..16 bytes), and
// memcmp only past 16 bytes. Inline, where operator== calls compare() and
// memcmp for every key.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  auto word8 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto word4 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  };
  if (n >= 8) {
    if (word8(x) != word8(y) || word8(x + n - 8) != word8(y + n - 8)) return false;
    return n <= 16 || std::memcmp(x + 8, y + 8, n - 16) == 0;
  }
  if (n >= 4) return word4(x) == word4(y) && word4(x + n - 4) == word4(y + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return false;
  return true;
}

}  // namespace prefline
