// Fuzz target: how consensus turns grade records into item keys and scores.
// It compiles tools/consensus.cpp itself (its main renamed), so what runs is
// the tool's own GradeReader (lib/prefline/fields.hpp: FieldPicker,
// read_number_field, raw_value; split_list via the option parsing; path_stem;
// parse_iso8601), ItemTable::add, the partial/merge records and the final
// records, not a copy of them.
//
// Input: an optional first line "#KEY=VALUE;KEY=VALUE;..." with consensus
// options (item, rater, score (repeatable), scale, keep, time, trim, overall,
// weight, partial-votes, duplicates, calibrate, min-votes, keep-low, max-sd,
// merge); then JSON Lines: grade records, or with "merge" partial records.
//
// Checked, besides "no crash, no sanitizer report":
// - a record read without a reason is one valid JSON object (simdjson's DOM
//   parser, which validates everything, agrees), its key values and scores
//   are what the DOM parser sees in those fields, and each score is finite,
//   within the scale and never -0;
// - every output record is one valid JSON object;
// - the records written by --partial all merge back (--merge) without a
//   reason, and give byte for byte the same final records as the direct run.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefline/stats/agreement.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/text/path.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/summary.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/text/timestamp.hpp"

#define main consensus_tool_main
#include "../../tools/consensus.cpp"
#undef main

// The tool's subsystems live in lib/prefline/consensus/.
using namespace prefline::consensus;

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_consensus: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

template <class Number>
bool read_whole(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// "#item=a,b;score=t=grade;merge" -> options. False for a configuration the
// tool would refuse on its command line.
bool read_options(std::string_view line, Options& options, bool& merge) {
  for (const std::string& part : prefline::split_list(line, ';')) {
    const std::size_t equals = part.find('=');
    const std::string key = part.substr(0, equals);
    const std::string value = equals == std::string::npos ? std::string() : part.substr(equals + 1);
    if (key == "item") options.item = value;
    else if (key == "rater") options.rater = value;
    else if (key == "score") options.scores.push_back(value);
    else if (key == "scale") options.scale = value;
    else if (key == "keep") options.keep = value;
    else if (key == "time") options.time = value;
    else if (key == "overall") options.overall = value;
    else if (key == "weight") options.weights = value;
    else if (key == "duplicates") options.duplicates = value;
    else if (key == "calibrate") options.calibrate = value;
    else if (key == "partial-votes") options.partial_votes = true;
    else if (key == "keep-low") options.keep_low = true;
    else if (key == "merge") merge = true;
    else if (key == "trim") { if (!read_whole(value, options.trim)) return false; }
    else if (key == "max-sd") { if (!read_whole(value, options.max_sd)) return false; }
    else if (key == "min-votes") { if (!read_whole(value, options.min_votes)) return false; }
    else return false;
  }
  return true;
}

// `text` with every integer part of 20 or more digits outside strings cut to
// "1": valid JSON numbers that simdjson's DOM parser refuses (beyond 64 bits)
// but the tools rightly keep as they are written (item keys).
std::string shorten_big_integers(std::string_view text) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) out.push_back(text[++i]);
      else if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') in_string = true;
    if (c >= '0' && c <= '9' && (i == 0 || text[i - 1] < '0' || text[i - 1] > '9')) {
      std::size_t end = i;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      const bool integer_part = i == 0 || (text[i - 1] != '.' && text[i - 1] != 'e' && text[i - 1] != 'E' &&
                                           text[i - 1] != '+' && !(text[i - 1] == '-' && i >= 2 &&
                                                                   (text[i - 2] == 'e' || text[i - 2] == 'E')));
      if (integer_part && end - i >= 20) {
        out.push_back('1');
        i = end;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

simdjson::dom::element parse_dom(simdjson::dom::parser& dom, std::string_view text, std::string_view what) {
  simdjson::dom::element element;
  auto error = dom.parse(text.data(), text.size()).get(element);
  if (error == simdjson::NUMBER_ERROR) {
    const std::string shortened = shorten_big_integers(text);
    if (shortened != text) error = dom.parse(shortened.data(), shortened.size()).get(element);
  }
  if (error)
    fail(what, std::string(simdjson::error_message(error)) + " in: " + std::string(text));
  if (!element.is_object()) fail(what, "not an object: " + std::string(text));
  return element;
}

bool same_number(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

// A grade read without a reason against the DOM parser's view of the record.
void check_grade(simdjson::dom::parser& dom, const prefline::JsonlLine& line, const Settings& settings,
                 const IncomingGrade& grade) {
  const simdjson::dom::object object = parse_dom(dom, line.text, "accepted record is not valid JSON").get_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) {
    simdjson::dom::element value;
    if (object[settings.item_fields[i]].get(value)) fail("item field missing in DOM", line.text);
    const KeyValue& key = grade.key_values[i];
    if (key.is_string ? !(value.is_string() && value.get_string().value_unsafe() == key.text) : !value.is_number())
      fail("item key differs from the DOM value", line.text);
  }
  for (std::size_t d = 0; d < settings.dimensions.size(); ++d) {
    const double got = grade.values[d];
    if (!std::isnan(got) && (!std::isfinite(got) || got < settings.scale_min || got > settings.scale_max))
      fail("accepted score is outside the scale", line.text);
    if (got == 0 && std::signbit(got)) fail("accepted score is -0", line.text);
    double expected = not_graded;
    simdjson::dom::element value;
    if (!object[settings.dimensions[d].field].get(value)) {
      if (value.is_number()) {
        expected = value.get_double().value_unsafe();
      } else if (value.is_string()) {
        const std::string_view text = value.get_string().value_unsafe();
        if (!text.empty() && !read_whole(text, expected)) fail("accepted score string is not a number", line.text);
      } else if (!value.is_null()) {
        fail("accepted score is neither number, string nor null", line.text);
      }
    }
    if (expected == 0) expected = 0;  // -0 counts as 0
    if (!same_number(got, expected)) fail("score differs from the DOM value", line.text);
  }
}

// The final records as `consensus` writes them (without --partial).
std::string final_records(const Settings& settings, ItemTable& consensus) {
  consensus.canonicalize();
  auto& items = consensus.items();
  const ItemStatistics finisher(settings, items, consensus.rater_names().size());
  prefline::Buffer out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const FinishedItem done = finisher.finish(i);
    if (done.low_votes && !settings.keep_low) continue;
    write_item(out, settings, items[i], done, consensus.rater_names());
  }
  return std::string(out.view());
}

void check_records(simdjson::dom::parser& dom, std::string_view records, std::string_view what) {
  while (!records.empty()) {
    const std::size_t end = records.find('\n');
    if (end == std::string_view::npos) fail(what, "record without a line end");
    parse_dom(dom, records.substr(0, end), what);
    records.remove_prefix(end + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Options options;
  bool merge = false;
  if (!input.empty() && input[0] == '#') {
    const std::size_t end = std::min(input.find('\n'), input.size());
    if (!read_options(input.substr(1, end - 1), options, merge)) return 0;
    input.remove_prefix(std::min(end + 1, input.size()));
  }
  std::optional<Settings> maybe_settings;
  try {
    maybe_settings.emplace(make_settings(options));
  } catch (const prefline::UsageError&) {
    return 0;  // consensus stops with exit 2 before reading any input
  }
  const Settings& settings = *maybe_settings;

  static simdjson::ondemand::parser parser;
  static simdjson::dom::parser dom;
  ItemTable consensus(settings);
  GradeReader reader(settings);
  IncomingGrade grade;
  prefline::JsonlReader lines("fuzz", input, 64);  // small: refills and growth run too
  prefline::JsonlLine line;
  while (lines.next(line)) {
    if (merge) {
      if (merge_partial(parser, line, settings, consensus).empty())
        parse_dom(dom, line.text, "merged record is not valid JSON");
      continue;
    }
    if (!reader.read(parser, line, grade).empty()) continue;
    check_grade(dom, line, settings, grade);
    (void)consensus.add(grade);
  }

  // --partial, then --merge of its output.
  prefline::Buffer partial;
  for (const auto& item : consensus.items()) write_partial(partial, settings, item, consensus.rater_names());
  check_records(dom, partial.view(), "--partial record is not valid JSON");
  ItemTable merged(settings);
  prefline::JsonlReader partial_lines("partial", partial.view(), 64);
  while (partial_lines.next(line)) {
    const std::string reason = merge_partial(parser, line, settings, merged);
    if (!reason.empty()) fail("--merge refuses a --partial record", reason + " in: " + std::string(line.text));
  }

  const std::string direct = final_records(settings, consensus);
  check_records(dom, direct, "final record is not valid JSON");
  if (final_records(settings, merged) != direct) fail("--partial then --merge differs from the direct run", direct);
  return 0;
}
