// A chunk of JSON Lines records of one input, copied out of the reader so
// that another thread can parse them (see ordered_pool.hpp): the records'
// bytes back to back, and where each one is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "prefline/jsonl.hpp"

namespace prefline {

struct LineChunk {
  static constexpr std::size_t target_bytes = std::size_t{256} << 10;

  struct Line {
    std::size_t offset, size;
    std::uint64_t number;  // physical line number in `file`
  };

  std::string_view file;  // the input's name: it must outlive the chunk (the pool's consumer reads it)
  std::string bytes;
  std::vector<Line> lines;
  bool padded = false;

  // Copies one more record in (before pad()).
  void add(const JsonlLine& line) {
    lines.push_back({bytes.size(), line.text.size(), line.number});
    bytes.append(line.text);
  }
  bool full() const { return bytes.size() >= target_bytes; }

  // Makes the records parseable in place (simdjson reads up to
  // SIMDJSON_PADDING bytes past a record's end); no add() after it.
  void pad() {
    if (!padded) bytes.append(simdjson::SIMDJSON_PADDING, ' ');
    padded = true;
  }

  // Record i, with the readable capacity after it (after pad()).
  JsonlLine line(std::size_t i) const {
    const Line& at = lines[i];
    return {std::string_view(bytes.data() + at.offset, at.size), at.number, bytes.size() - at.offset};
  }

  void clear() {
    bytes.clear();
    lines.clear();
    padded = false;
  }
};

}  // namespace prefline
