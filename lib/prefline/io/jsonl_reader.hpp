// JSON Lines input, one line at a time: the blocks of whole lines of
// line_blocks.hpp (handed over as soon as a read completes a line) walked
// with memchr, each line parsed in place by simdjson
// ondemand (the block keeps SIMDJSON_PADDING bytes of slack, so no line is
// ever copied). Blank lines are skipped; line numbers count them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "prefline/io/input.hpp"
#include "prefline/io/line_blocks.hpp"

namespace prefline {

class JsonlReader {
 public:
  explicit JsonlReader(InputFile& input, std::size_t block_bytes = LineBlock::target_bytes)
      : name_(input.name()), blocks_(input, block_bytes, LineBlockReader::Handover::as_read) {}
  // Reads from memory (tests, fuzz targets); small blocks exercise the carry
  // of unfinished lines and the growth of a block for a long line.
  JsonlReader(std::string name, std::string_view data, std::size_t block_bytes = LineBlock::target_bytes)
      : name_(std::move(name)), blocks_(data, block_bytes, LineBlockReader::Handover::as_read) {}

  // The next non-blank line, or false at the end of the input. The line's
  // bytes stay valid until the next call.
  bool next(JsonlLine& line) {
    for (;;) {
      while (begin_ < block_.size) {
        line = block_.line_at(begin_, ++line_number_);
        if (!is_blank_line(line.text)) return true;
      }
      if (!blocks_.fill(block_)) return false;
      begin_ = 0;
    }
  }

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  LineBlockReader blocks_;
  LineBlock block_;
  std::size_t begin_ = 0;  // where the next line of block_ starts
  std::uint64_t line_number_ = 0;
};

}  // namespace prefline
