// Fuzz target: the JSONL reader and record validation. Every line must be
// either a valid object or get a non-empty reason; line numbers only grow.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A small buffer so that refills and growth are exercised too.
  prefline::JsonlReader reader("fuzz", std::string_view(reinterpret_cast<const char*>(data), size), 64);
  simdjson::ondemand::parser parser;
  prefline::JsonlLine line;
  std::uint64_t last = 0;
  while (reader.next(line)) {
    if (line.number <= last) std::abort();
    last = line.number;
    if (line.text.find('\n') != std::string_view::npos) std::abort();
    (void)prefline::validate_object_line(parser, line);
  }
  return 0;
}
