// Fuzz target: the JSONL reader, record validation and compact re-serialising.
// Checked, besides "no crash, no sanitizer report":
// - the reader returns exactly the lines of a plain split of the input at
//   '\n' (a last line without one included), blank lines (only space, tab,
//   CR) left out, each with its 1-based physical line number, whatever the
//   buffer size (64 bytes here: refills and growth run too);
// - validate_object_line accepts a line exactly when simdjson's DOM parser,
//   which validates everything eagerly, reads it as one JSON object with the
//   library's nesting limit (max_json_depth levels, the record included);
// - an accepted record written back by append_compact_json is the same JSON
//   value (compared through the DOM parser), and compacting it again changes
//   no byte.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/compact.hpp"
#include "prefline/json/writer.hpp"

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view line) {
  constexpr std::size_t shown = 300;
  std::fprintf(stderr, "fuzz_jsonl: %.*s: '%.*s'%s (%zu bytes)\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(std::min(line.size(), shown)), line.data(), line.size() > shown ? "..." : "",
               line.size());
  std::abort();
}

struct ReferenceLine {
  std::string_view text;
  std::uint64_t number;
};

// The deliberately simple reading: split at every '\n', number from 1, drop blank lines.
std::vector<ReferenceLine> reference_lines(std::string_view input) {
  std::vector<ReferenceLine> lines;
  std::uint64_t number = 0;
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    const std::string_view text = input.substr(0, end);
    ++number;
    if (text.find_first_not_of(" \t\r") != std::string_view::npos) lines.push_back({text, number});
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  return lines;
}

// The DOM parser's verdict: the line is one JSON object, nested at most
// max_json_depth levels (a DOM parser allocated for depth D reads D levels).
// Its minified form goes to `minified`.
bool dom_object(simdjson::dom::parser& dom, std::string_view text, std::string& minified) {
  if (dom.max_depth() != prefline::max_json_depth || dom.capacity() < text.size())
    if (dom.allocate(std::max<std::size_t>(text.size(), 4096), prefline::max_json_depth)) std::abort();
  simdjson::dom::element element;
  if (dom.parse(text.data(), text.size()).get(element) || !element.is_object()) return false;
  minified = simdjson::minify(element);
  return true;
}

// The record written back by append_compact_json, or false if it refuses.
bool compact(simdjson::ondemand::parser& parser, std::string_view text, prefline::Buffer& out) {
  const simdjson::padded_string padded(text);
  simdjson::ondemand::document document;
  if (parser.iterate(padded).get(document)) return false;
  simdjson::ondemand::value value;
  if (document.get_value().get(value)) return false;
  out.clear();
  return !prefline::append_compact_json(out, value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<ReferenceLine> expected = reference_lines(input);

  static simdjson::ondemand::parser parser;
  static simdjson::dom::parser dom;
  static prefline::Buffer once, twice;
  std::string minified, minified_compact;

  prefline::JsonlReader reader("fuzz", input, 64);
  prefline::JsonlLine line;
  std::size_t index = 0;
  while (reader.next(line)) {
    if (index == expected.size()) fail("a line the plain split does not have", line.text);
    if (line.text != expected[index].text) fail("line text differs from the plain split", line.text);
    if (line.number != expected[index].number) fail("line number differs from the plain split", line.text);
    ++index;

    const bool valid = prefline::validate_object_line(parser, line).empty();
    if (valid != dom_object(dom, line.text, minified))
      fail(valid ? "accepted a line the DOM parser refuses" : "refused a line the DOM parser reads", line.text);
    if (!valid) continue;

    if (!compact(parser, line.text, once)) fail("append_compact_json refuses a valid record", line.text);
    if (!dom_object(dom, once.view(), minified_compact) || minified_compact != minified)
      fail("the compact record is another value", once.view());
    if (!compact(parser, once.view(), twice) || twice.view() != once.view())
      fail("compacting the compact record changes it", once.view());
  }
  if (index != expected.size()) fail("a line of the plain split is missing", expected[index].text);
  return 0;
}
