// Maps keyed by strings that can be looked up with a string_view, without
// building a std::string per lookup (heterogeneous lookup, C++20).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace prefline {

struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

}  // namespace prefline
