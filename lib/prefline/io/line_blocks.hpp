// Blocks of whole JSON Lines, read straight from an input for other threads
// to split and parse (see ordered_pool.hpp). The reading thread only calls
// read(2) into the block and cuts it after its last '\n' (the unfinished line
// is carried to the next block): it never scans or copies the records, so it
// keeps up with any number of parsing threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"

namespace prefline {

struct LineBlock {
  // Bytes read into a block before it is cut after its last line end.
  static constexpr std::size_t target_bytes = std::size_t{512} << 10;

  std::string_view file;     // the input's name: it must outlive the block (the pool's consumer reads it)
  std::size_t file_index = 0; // which input (the same name can be given twice)
  std::unique_ptr<char[]> data;  // capacity + SIMDJSON_PADDING bytes
  std::size_t size = 0, capacity = 0;

  // Room for `needed` bytes, keeping the first `keep`.
  void reserve(std::size_t needed, std::size_t keep) {
    if (needed <= capacity) return;
    std::size_t grown = capacity < target_bytes ? target_bytes : capacity;
    while (grown < needed) grown *= 2;
    std::unique_ptr<char[]> bigger(new char[grown + simdjson::SIMDJSON_PADDING]);
    if (keep > 0) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    capacity = grown;
  }

  void clear() { size = 0; }

  // Calls on_line(line) for each line of the block, blank ones included (their
  // text is empty or JSON whitespace; see is_blank_line), numbered from 1 in
  // the block. Each line is readable SIMDJSON_PADDING bytes past its end.
  // Returns the number of lines.
  template <class OnLine>
  std::uint64_t for_each_line(OnLine&& on_line) const {
    std::uint64_t number = 0;
    std::size_t begin = 0;
    const char* base = data.get();
    while (begin < size) {
      const char* newline = static_cast<const char*>(std::memchr(base + begin, '\n', size - begin));
      const std::size_t end = newline != nullptr ? static_cast<std::size_t>(newline - base) : size;
      on_line(JsonlLine{std::string_view(base + begin, end - begin), ++number,
                        capacity + simdjson::SIMDJSON_PADDING - begin});
      begin = end + 1;
    }
    return number;
  }
};

// Fills blocks with the whole lines of one input, in order.
class LineBlockReader {
 public:
  explicit LineBlockReader(InputFile& input) : input_(input) {}

  // Fills `block` (its earlier content is dropped) with the next whole lines:
  // it reads until the block holds LineBlock::target_bytes (or the input
  // ends), then cuts it after its last '\n' (a line longer than the block
  // grows it); so a block ends at a '\n' or at the end of the input. False at
  // the end of input.
  bool fill(LineBlock& block) {
    block.size = 0;
    block.reserve(std::max(LineBlock::target_bytes, carry_.size()), 0);
    if (!carry_.empty()) std::memcpy(block.data.get(), carry_.data(), carry_.size());
    block.size = carry_.size();
    carry_.clear();
    std::size_t scanned = 0;  // no '\n' before this offset
    for (;;) {
      if (block.size >= LineBlock::target_bytes || eof_) {
        const char* base = block.data.get();
        const void* last = block.size > scanned ? memrchr(base + scanned, '\n', block.size - scanned) : nullptr;
        if (last != nullptr) {
          const std::size_t cut = static_cast<std::size_t>(static_cast<const char*>(last) - base) + 1;
          carry_.assign(base + cut, block.size - cut);
          block.size = cut;
          return true;
        }
        scanned = block.size;
        if (eof_) return block.size > 0;  // the last line has no '\n'
      }
      if (block.size == block.capacity) block.reserve(block.capacity * 2, block.size);
      const std::size_t got = input_.read_some(block.data.get() + block.size, block.capacity - block.size);
      if (got == 0) eof_ = true;
      block.size += got;
    }
  }

 private:
  InputFile& input_;
  std::string carry_;  // the unfinished line after the last block's last '\n'
  bool eof_ = false;
};

}  // namespace prefline
