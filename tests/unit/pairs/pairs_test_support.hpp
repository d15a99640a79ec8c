#pragma once
// Shared by the pairs unit tests: item lines read into groups and items the
// way pairup's read loop does.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "prefline/io/line_blocks.hpp"
#include "prefline/pairs/item_reader.hpp"
#include "prefline/pairs/settings.hpp"

namespace pairs_test {

struct ItemSet {
  explicit ItemSet(const prefline::pairs::Settings& settings) : reader(settings) {}
  // Reads one item line; returns the reason when it is bad.
  std::string add(std::string_view json) {
    lines.push_back(std::make_unique<simdjson::padded_string>(json));
    prefline::JsonlLine line;
    line.text = std::string_view(lines.back()->data(), json.size());
    line.number = lines.size();
    line.capacity = json.size() + simdjson::SIMDJSON_PADDING;
    return reader.read(parser, line, groups, group_index, items, counters);
  }
  simdjson::dom::parser parser;
  std::vector<std::unique_ptr<simdjson::padded_string>> lines;
  std::vector<prefline::pairs::Group> groups;
  std::vector<prefline::pairs::Item> items;
  prefline::pairs::KeyMap group_index;
  prefline::pairs::Counters counters;
  prefline::pairs::ItemReader reader;
};

// One JSON object, parsed with the DOM parser pairup's side files use.
inline simdjson::dom::object parse(simdjson::dom::parser& parser, std::string_view json) {
  return parser.parse(json.data(), json.size()).get_object().value();
}

}  // namespace pairs_test
