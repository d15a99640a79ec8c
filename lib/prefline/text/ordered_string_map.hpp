// A map from names to values that remembers the order in which names were
// first seen: a report lists metrics, judges or groups in input order (or
// sorts them itself), never in a hash table's order, so output stays the same
// from one standard library to the next.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prefline/text/string_map.hpp"

namespace prefline {

template <class T>
class OrderedStringMap {
 public:
  using Entry = std::pair<std::string, T>;

  // The value of `name`, added (value-initialised) at the end if it is new.
  T& operator[](std::string_view name) { return entries_[index(name)].second; }

  // The position of `name` in first-seen order, added at the end if it is new.
  std::size_t index(std::string_view name) {
    auto found = index_.find(name);
    if (found != index_.end()) return found->second;
    index_.emplace(std::string(name), entries_.size());
    entries_.emplace_back(std::string(name), T{});
    return entries_.size() - 1;
  }

  // Whether `name` was seen, without adding it.
  bool contains(std::string_view name) const { return index_.find(name) != index_.end(); }

  // The entries in first-seen order (read-only: a renamed entry would no
  // longer be found; change values through operator[]).
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  StringMap<std::size_t> index_;
  std::vector<Entry> entries_;
};

}  // namespace prefline
