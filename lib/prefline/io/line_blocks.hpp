// The one reader of whole lines: read(2) into a reused block, cut after its
// last '\n' (the unfinished line is carried to the next block), every line
// readable SIMDJSON_PADDING bytes past its end so simdjson parses it in
// place. JsonlReader walks the blocks line by line on the reading thread;
// tools that parse on several cores hand whole blocks to OrderedPool workers
// (the reading thread then only calls read(2): it keeps up with any number
// of parsing threads).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "prefline/io/input.hpp"
#include "prefline/text/whitespace.hpp"

namespace prefline {

struct JsonlLine {
  std::string_view text;    // the line without its '\n' (a trailing '\r' stays: JSON whitespace)
  std::uint64_t number = 0; // 1-based physical line number (in its input, or in its block)
  std::size_t capacity = 0; // bytes readable from text.data(), >= text.size() + SIMDJSON_PADDING

  simdjson::padded_string_view padded() const { return simdjson::padded_string_view(text.data(), text.size(), capacity); }
};

struct LineBlock {
  // Bytes read into a block before it is cut after its last line end.
  static constexpr std::size_t target_bytes = std::size_t{512} << 10;

  std::string_view file;     // the input's name: it must outlive the block (the pool's consumer reads it)
  std::size_t file_index = 0; // which input (the same name can be given twice)
  std::unique_ptr<char[]> data;  // capacity + SIMDJSON_PADDING bytes
  std::size_t size = 0, capacity = 0;

  // Room for `needed` bytes (at least `least`), keeping the first `keep`.
  void reserve(std::size_t needed, std::size_t keep, std::size_t least = target_bytes) {
    if (needed <= capacity) return;
    std::size_t grown = std::max<std::size_t>({capacity, least, 1});
    while (grown < needed) grown *= 2;
    std::unique_ptr<char[]> bigger(new char[grown + simdjson::SIMDJSON_PADDING]);
    if (keep > 0) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    capacity = grown;
  }

  void clear() { size = 0; }

  // The line starting at offset `begin` (up to the next '\n' or the end of
  // the block), numbered `number`; moves `begin` past its '\n'.
  JsonlLine line_at(std::size_t& begin, std::uint64_t number) const {
    const char* base = data.get();
    const char* newline = static_cast<const char*>(std::memchr(base + begin, '\n', size - begin));
    const std::size_t end = newline != nullptr ? static_cast<std::size_t>(newline - base) : size;
    JsonlLine line{std::string_view(base + begin, end - begin), number, capacity + simdjson::SIMDJSON_PADDING - begin};
    begin = end + 1;
    return line;
  }

  // Calls on_line(line) for each line of the block, blank ones included (their
  // text is empty or JSON whitespace; see is_blank_line), numbered from 1 in
  // the block. Returns the number of lines.
  template <class OnLine>
  std::uint64_t for_each_line(OnLine&& on_line) const {
    std::uint64_t number = 0;
    std::size_t begin = 0;
    while (begin < size) on_line(line_at(begin, ++number));
    return number;
  }
};

// Fills blocks with the whole lines of one input (a file descriptor, or
// bytes in memory for tests and fuzz targets), in order.
class LineBlockReader {
 public:
  // When a block is handed over: once it holds the target bytes (blocks for
  // parsing threads: few and large), or after any read that completed a line
  // (a serial reader: a record that arrives on a pipe that stays open is
  // processed at once, as `tail -f | tool` expects).
  enum class Handover { full_blocks, as_read };

  explicit LineBlockReader(InputFile& input, std::size_t target_bytes = LineBlock::target_bytes,
                           Handover handover = Handover::full_blocks)
      : input_(&input), target_(std::max<std::size_t>(target_bytes, 1)), handover_(handover) {}
  LineBlockReader(std::string_view data, std::size_t target_bytes = LineBlock::target_bytes,
                  Handover handover = Handover::full_blocks)
      : memory_(data), target_(std::max<std::size_t>(target_bytes, 1)), handover_(handover) {}

  // Fills `block` (its earlier content is dropped) with the next whole lines:
  // it reads until the block holds the target bytes (as_read: until a read
  // brings a '\n'), or the input ends, then cuts it after its last '\n' (a
  // line longer than the block grows it); so a block ends at a '\n' or at the
  // end of the input. False at the end of input.
  bool fill(LineBlock& block) {
    block.size = 0;
    block.reserve(std::max(target_, carry_.size()), 0, target_);
    if (!carry_.empty()) std::memcpy(block.data.get(), carry_.data(), carry_.size());
    block.size = carry_.size();
    carry_.clear();
    std::size_t scanned = 0;  // no '\n' before this offset
    bool read_any = false;
    for (;;) {
      // A UTF-8 byte order mark opens many files saved by Windows editors and
      // spreadsheets: dropped, as csv2jsonl drops it (it is not JSON).
      if (!bom_checked_ && (block.size >= 3 || eof_)) {
        bom_checked_ = true;
        if (block.size >= 3 && std::memcmp(block.data.get(), "\xEF\xBB\xBF", 3) == 0) {
          std::memmove(block.data.get(), block.data.get() + 3, block.size - 3);
          block.size -= 3;
        }
      }
      if (block.size >= target_ || eof_ || (read_any && handover_ == Handover::as_read)) {
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
      if (block.size == block.capacity) block.reserve(block.capacity * 2, block.size, target_);
      const std::size_t got = read_some(block.data.get() + block.size, block.capacity - block.size);
      if (got == 0) eof_ = true;
      block.size += got;
      read_any = true;
    }
  }

 private:
  std::size_t read_some(char* into, std::size_t room) {
    if (input_ != nullptr) return input_->read_some(into, room);
    const std::size_t got = std::min(memory_.size(), room);
    if (got != 0) std::memcpy(into, memory_.data(), got);  // an empty view may have no data()
    memory_.remove_prefix(got);
    return got;
  }

  InputFile* input_ = nullptr;
  std::string_view memory_;
  std::size_t target_;
  Handover handover_;
  std::string carry_;  // the unfinished line after the last block's last '\n'
  bool eof_ = false;
  bool bom_checked_ = false;
};

}  // namespace prefline
