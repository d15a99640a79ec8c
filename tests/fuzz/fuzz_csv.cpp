// Fuzz target: the CSV reader. Any input must give records, bad records or a
// DataError, never a crash; and a record always has as many cells as the header.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "prefline/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Tab-separated when the first line has a tab and no comma.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const char delimiter =
      first_line.find('\t') != std::string_view::npos && first_line.find(',') == std::string_view::npos ? '\t' : ',';
  try {
    prefline::CsvReader reader("fuzz", reinterpret_cast<const char*>(data), size, {delimiter, true});
    const auto& header = reader.read_header();
    for (;;) {
      const auto result = reader.next();
      if (result == prefline::CsvReader::Result::end) break;
      if (result == prefline::CsvReader::Result::record && reader.cells().size() != header.size()) std::abort();
      if (result == prefline::CsvReader::Result::bad && reader.reason().empty()) std::abort();
    }
  } catch (const prefline::DataError&) {
  }
  return 0;
}
