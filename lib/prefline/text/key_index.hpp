// Numbers for byte-string keys, in the order they are first seen: an open-
// addressing hash table (XXH3-64, linear probing) over one arena that holds
// every key's bytes back to back. Against a node-based std::unordered_map of
// std::string (one allocation per key, a pointer chase per probe) it keeps
// three flat arrays: a lookup that misses touches one slot line, a hit one
// slot and the key's bytes. Keys are compared whole, so two keys with the same
// hash are still told apart. Numbers are 0, 1, 2, ... by first insertion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace prefline {

class KeyIndex {
 public:
  // The number of `key`, if it was inserted.
  std::optional<std::size_t> find(std::string_view key) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t hash = hash_of(key);
    for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.number == empty) return std::nullopt;
      if (slot.hash == hash && same(slot.number, key)) return slot.number;
    }
  }

  // The number of `key`, inserting it (with the next number) when new;
  // `inserted` says which.
  std::size_t insert(std::string_view key, bool& inserted) {
    if ((size() + 1) * 4 > slots_.size() * 3) grow();  // load factor <= 3/4
    const std::uint64_t hash = hash_of(key);
    std::size_t at = hash & mask_;
    for (;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.number == empty) break;
      if (slot.hash == hash && same(slot.number, key)) {
        inserted = false;
        return slot.number;
      }
    }
    const auto number = static_cast<std::uint32_t>(size());
    slots_[at] = Slot{hash, number};
    starts_.push_back(arena_.size());
    arena_.append(key);
    inserted = true;
    return number;
  }

  std::size_t size() const { return starts_.size(); }
  // The bytes of key number `number`.
  std::string_view key(std::size_t number) const {
    const std::size_t begin = starts_[number];
    const std::size_t end = number + 1 < starts_.size() ? starts_[number + 1] : arena_.size();
    return std::string_view(arena_).substr(begin, end - begin);
  }

 private:
  static constexpr std::uint32_t empty = UINT32_MAX;
  struct Slot {
    std::uint64_t hash;
    std::uint32_t number;
  };

  static std::uint64_t hash_of(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }
  bool same(std::uint32_t number, std::string_view key) const { return this->key(number) == key; }

  void grow() {
    const std::size_t capacity = slots_.empty() ? 64 : slots_.size() * 2;
    std::vector<Slot> bigger(capacity, Slot{0, empty});
    const std::size_t mask = capacity - 1;
    for (const Slot& slot : slots_) {
      if (slot.number == empty) continue;
      std::size_t at = slot.hash & mask;
      while (bigger[at].number != empty) at = (at + 1) & mask;
      bigger[at] = slot;
    }
    slots_ = std::move(bigger);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::size_t> starts_;  // by number: where its key begins in arena_
  std::string arena_;
};

}  // namespace prefline
