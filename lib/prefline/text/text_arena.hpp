#pragma once
// Text kept for many records: appended to large chunks that never move, so
// records hold plain views and a million of them cost a million small records,
// not millions of separately allocated strings.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

namespace prefline {

class TextArena {
 public:
  static constexpr std::size_t chunk_size = std::size_t{16} << 20;

  // Copies the pieces back to back; returns where the first one starts.
  const char* store(std::initializer_list<std::string_view> pieces) {
    std::size_t size = 0;
    for (auto piece : pieces) size += piece.size();
    if (chunks_.empty() || used_ + size > capacity_) {
      capacity_ = std::max(chunk_size, size);
      chunks_.emplace_back(new char[capacity_]);
      used_ = 0;
    }
    char* start = chunks_.back().get() + used_;
    char* at = start;
    for (auto piece : pieces) {
      if (piece.empty()) continue;  // an empty view may have no data pointer at all
      std::memcpy(at, piece.data(), piece.size());
      at += piece.size();
    }
    used_ += size;
    return start;
  }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace prefline
