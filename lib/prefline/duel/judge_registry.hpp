// The judges named anywhere in a duel, numbered in order of first appearance
// (the configured panel first): votes carry these numbers instead of names,
// and the names numbered since the last look are handed on with the records
// that use them, to whichever thread writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/text/same_text.hpp"
#include "prefline/text/string_map.hpp"

namespace prefline::duel {

class JudgeRegistry {
 public:
  std::uint32_t intern(std::string_view name) {
    // A panel is a few judges: the first ones are found by a look at each.
    for (std::size_t id = 0; id < first_.size(); ++id)
      if (prefline::same_text(first_[id], name)) return static_cast<std::uint32_t>(id);
    if (ids_.size() > first_.size())  // more names than the first ones
      if (auto found = ids_.find(name); found != ids_.end()) return found->second;
    const auto id = static_cast<std::uint32_t>(ids_.size());
    ids_.emplace(std::string(name), id);
    if (first_.size() < first_count) first_.emplace_back(name);
    fresh_.emplace_back(name);
    return id;
  }
  // Moves the names numbered since the last call to the end of `into`.
  void take_fresh(std::vector<std::string>& into) {
    for (auto& name : fresh_) into.push_back(std::move(name));
    fresh_.clear();
  }

 private:
  static constexpr std::size_t first_count = 8;
  prefline::StringMap<std::uint32_t> ids_;
  std::vector<std::string> first_;  // the names of numbers 0..first_count-1
  std::vector<std::string> fresh_;
};

}  // namespace prefline::duel
