// The files turns reads beside the trajectories: id lists (--exclude,
// --include) and side records joined by instance id (--join ... --on).
// An id is text: a string's characters or a number's JSON text, so that
// 1234 in a trajectory matches the line 1234 of an id file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/turns/layout.hpp"

namespace prefline::turns {

// An id's text: a string's characters, a number's JSON text; false otherwise.
inline bool id_text(simdjson::dom::element value, std::string& text) {
  if (value.is_string()) {
    text.assign(value.get_string().value_unsafe());
    return true;
  }
  if (value.is_number()) {
    text = simdjson::minify(value);
    return true;
  }
  return false;
}

// One id a line; spaces, tabs and a CR around it do not count, blank lines are skipped.
inline std::unordered_set<std::string> read_id_file(const std::string& path) {
  std::unordered_set<std::string> ids;
  InputFile input(path);
  JsonlReader lines(input);
  JsonlLine line;
  while (lines.next(line)) {
    std::string_view text = line.text;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    if (!text.empty()) ids.emplace(text);
  }
  return ids;
}

// --join's side records by the id text of their field `on`, each as compact
// JSON. A record without the field is passed over; a second record of an id
// is an error (which one should a turn get?), and so is a file in which no
// record has the field (a wrong --on).
inline std::unordered_map<std::string, std::string> read_side_records(const std::string& path, const std::string& on) {
  std::unordered_map<std::string, std::string> side;
  std::unordered_map<std::string, std::uint64_t> first_line;
  InputFile input(path);
  JsonlReader lines(input);
  JsonlLine line;
  simdjson::dom::parser parser;
  std::uint64_t records = 0, keyed = 0;
  while (lines.next(line)) {
    const auto bad = [&](std::string_view why) {
      return DataError(fmt::format("{}:{}: {} (--join)", path, line.number, why));
    };
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      throw bad(json_error_reason(error));
    if (!record.is_object()) throw bad("expected a JSON object");
    ++records;
    simdjson::dom::element key;
    if (record[on].get(key)) continue;
    std::string text;
    if (!id_text(key, text)) throw bad(fmt::format("'{}' must be a string or a number (--on {})", on, on));
    ++keyed;
    if (auto [at, fresh] = first_line.emplace(text, line.number); !fresh)
      throw bad(fmt::format("a second side record for '{}' (the first is on line {}); keep one per id", text, at->second));
    Buffer compact;
    JsonWriter json(compact);
    write_dom_value(json, record);
    side.emplace(std::move(text), std::string(compact.view()));
  }
  if (records > 0 && keyed == 0)
    throw DataError(fmt::format("{}: no side record has the key field '{}' (--on {}); name the field that "
                                "holds the instance id with --on",
                                path, on, on));
  return side;
}

}  // namespace prefline::turns
