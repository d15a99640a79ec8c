// Fuzz target: the CSV reader. Any input must give records, bad records or a
// DataError, never a crash; a record always has as many cells as the header,
// a bad record always a reason, and records come in line order. raw() (what
// csv2jsonl --rejects writes) is exactly the input bytes of the record's
// physical lines with their line ends (a "\n" added after a last line that
// has none): byte for byte, NUL bytes, CRs and invalid UTF-8 included.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>
#include <string>
#include <string_view>

#include "prefline/csv/reader.hpp"

// fast-cpp-csv-parser's LineReader allocates a 48 MiB buffer (3 blocks of
// 16 MiB) per reader. Under AddressSanitizer every such allocation and free
// poisons 6 MiB of shadow memory, which held the fuzzer to ~50 inputs/s. Here
// (in this harness only; the tools are untouched) that one allocation size is
// served from a buffer kept for the whole run, refilled after each use with
// the bytes a fresh ASan allocation starts with, so every input sees the same
// buffer contents and runs stay reproducible. The buffer itself comes from
// malloc, so ASan still catches reads and writes past its end.
namespace {

constexpr std::size_t line_reader_buffer = std::size_t{3} << 24;
constexpr unsigned char fresh_byte = 0xbe;  // ASan's malloc_fill_byte
char* reused_buffer = nullptr;
bool reused_buffer_in_use = false;
std::size_t reused_buffer_dirty = line_reader_buffer;  // bytes to refill after use

char* take_reused_buffer() {
  if (reused_buffer_in_use) return nullptr;
  if (reused_buffer == nullptr) {
    reused_buffer = static_cast<char*>(std::malloc(line_reader_buffer));
    if (reused_buffer == nullptr) return nullptr;
    std::memset(reused_buffer, fresh_byte, line_reader_buffer);
  }
  reused_buffer_in_use = true;
  return reused_buffer;
}

}  // namespace

void* operator new[](std::size_t size) {
  if (size == line_reader_buffer)
    if (char* buffer = take_reused_buffer()) return buffer;
  return ::operator new(size);
}

void operator delete[](void* pointer) noexcept {
  if (pointer != nullptr && pointer == reused_buffer) {
    std::memset(reused_buffer, fresh_byte, reused_buffer_dirty);
    reused_buffer_in_use = false;
    return;
  }
  ::operator delete(pointer);
}

void operator delete[](void* pointer, std::size_t) noexcept { operator delete[](pointer); }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // LineReader writes the input and at most a few bytes after it.
  reused_buffer_dirty = std::min(line_reader_buffer, size + 64);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Where each physical line starts (LineReader skips a leading BOM).
  static std::vector<std::size_t> line_start;
  line_start.assign({0, text.starts_with("\xEF\xBB\xBF") ? std::size_t{3} : 0});
  for (std::size_t i = line_start[1]; i < size; ++i)
    if (text[i] == '\n') line_start.push_back(i + 1);
  if (line_start.back() != size) line_start.push_back(size);  // the last line has no line end
  const std::size_t lines = line_start.size() - 2;
  static std::string expected_raw;

  // Tab-separated when the first line has a tab and no comma.
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const char delimiter =
      first_line.find('\t') != std::string_view::npos && first_line.find(',') == std::string_view::npos ? '\t' : ',';
  try {
    prefline::CsvReader reader("fuzz", reinterpret_cast<const char*>(data), size, {delimiter, true});
    const auto& header = reader.read_header();
    if (header.empty()) std::abort();
    std::uint64_t last_line = 0;
    for (;;) {
      const auto result = reader.next();
      if (result == prefline::CsvReader::Result::end) break;
      if (reader.line() <= last_line) std::abort();
      last_line = reader.line();
      // The raw bytes: from the start of the record's first line to the end of its last.
      const std::string_view raw = reader.raw();
      const std::size_t first = reader.line();
      const std::size_t count = static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '\n'));
      if (count == 0 || first + count - 1 > lines) std::abort();
      const std::size_t from = line_start[first], to = line_start[first + count];
      expected_raw.assign(text.substr(from, to - from));
      if (expected_raw.empty() || expected_raw.back() != '\n') expected_raw.push_back('\n');
      if (raw != expected_raw) std::abort();
      if (result == prefline::CsvReader::Result::record) {
        if (reader.cells().size() != header.size()) std::abort();
        if (!reader.reason().empty()) std::abort();
      }
      if (result == prefline::CsvReader::Result::bad && reader.reason().empty()) std::abort();
    }
  } catch (const prefline::DataError&) {
  }
  return 0;
}
