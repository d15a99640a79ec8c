// The items a grader works through, read whole at startup (100 000 items of
// a few KB each fit in memory; the page asks for them a page at a time).
// --rate: records keyed by --item fields (challenge,model) with the answer
// as `response` text or a `files` map (the vizhub layout: file name ->
// content) and the prompt from --prompt-field or joined from --prompts on
// the first key field, as pairup joins it. --compare: records with a prompt
// and two answers (--a, --b) and optionally the two sides' ids.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"

namespace prefline::label {

struct ItemSettings {
  std::vector<std::string> item_fields = {"challenge", "model"};
  std::string prompt_field = "prompt";
  std::string response_field = "response";
  std::string files_field = "files";
  bool compare = false;
  std::string a_field = "chosen";  // --compare: the two answers
  std::string b_field = "rejected";
  std::string a_id_field;  // --compare: dotted paths of the sides' ids; empty: the answer field's name
  std::string b_id_field;
};

struct Item {
  std::vector<std::string> key_json;  // each --item field's value as JSON text (for vote records)
  std::vector<std::string> key_text;  // the same as text: a string's content, else its JSON text
  std::string key;                    // key_text joined by U+001F: unique per item
  std::string prompt;
  std::string response;                                    // a text answer (or side a in --compare)
  std::vector<std::pair<std::string, std::string>> files;  // a files map, in the record's order
  std::string type;                                        // the record's `type`, when a string
  std::string response_b;                                  // --compare: side b
  std::string id_a;
  std::string id_b;
};

namespace detail {
// A dotted path ("metadata.chosen_model") in a record; false when absent.
inline bool find_path(simdjson::dom::element record, std::string_view path, simdjson::dom::element& found) {
  simdjson::dom::element at = record;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    simdjson::dom::object object;
    if (at.get_object().get(object) != simdjson::SUCCESS) return false;
    if (object.at_key(part).get(at) != simdjson::SUCCESS) return false;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  found = at;
  return true;
}

inline std::string json_text(simdjson::dom::element value) { return simdjson::minify(value); }
}  // namespace detail

class ItemList {
 public:
  explicit ItemList(ItemSettings settings) : settings_(std::move(settings)) {}

  const ItemSettings& settings() const { return settings_; }
  const std::vector<Item>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  // The position of an item by its key, or npos.
  std::size_t find(std::string_view key) const {
    const auto found = index_.find(std::string(key));
    return found == index_.end() ? npos : found->second;
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // One input line. Throws DataError "<where>: reason" for a bad record.
  void add(std::string_view line, std::string_view where) {
    simdjson::dom::element record = parse(line, where);
    Item item;
    for (const auto& field : settings_.item_fields) {
      simdjson::dom::element value;
      if (!detail::find_path(record, field, value) || value.is_null())
        throw DataError(fmt::format("{}: --item field '{}' is missing", where, field));
      item.key_json.push_back(detail::json_text(value));
      std::string_view text;
      item.key_text.emplace_back(value.get_string().get(text) == simdjson::SUCCESS ? std::string(text)
                                                                                    : item.key_json.back());
      if (item.key_text.size() > 1) item.key.push_back('\x1f');
      item.key += item.key_text.back();
    }
    if (index_.contains(item.key))
      throw DataError(fmt::format("{}: a second record for item {}", where, describe_key(item)));
    simdjson::dom::element value;
    std::string_view text;
    if (detail::find_path(record, settings_.prompt_field, value) && value.get_string().get(text) == simdjson::SUCCESS)
      item.prompt = std::string(text);
    if (detail::find_path(record, "type", value) && value.get_string().get(text) == simdjson::SUCCESS)
      item.type = std::string(text);
    if (settings_.compare)
      read_sides(record, item, where);
    else
      read_answer(record, item, where);
    index_.emplace(item.key, items_.size());
    items_.push_back(std::move(item));
  }

  // One line of a --prompts file: {<first --item field>: GROUP, "prompt": TEXT}.
  // Throws DataError for a bad record or a second prompt of a group.
  void add_prompt(std::string_view line, std::string_view where) {
    simdjson::dom::element record = parse(line, where);
    const std::string& group_field = settings_.item_fields.front();
    simdjson::dom::element value;
    if (!detail::find_path(record, group_field, value) || value.is_null())
      throw DataError(fmt::format("{}: field '{}' is missing", where, group_field));
    std::string_view text;
    const std::string group =
        value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : detail::json_text(value);
    simdjson::dom::element prompt;
    if (!detail::find_path(record, "prompt", prompt) || prompt.get_string().get(text) != simdjson::SUCCESS)
      throw DataError(fmt::format("{}: field 'prompt' must be a string", where));
    GroupPrompt entry{std::string(text), {}};
    // The group's type (the vizhub challenges carry it: "visualization"),
    // for the sheet's type column of answers that do not name their own.
    simdjson::dom::element type;
    if (detail::find_path(record, "type", type) && type.get_string().get(text) == simdjson::SUCCESS)
      entry.type = std::string(text);
    if (!prompts_.emplace(group, std::move(entry)).second)
      throw DataError(fmt::format("{}: a second prompt for '{}'", where, group));
  }

  // After every record and prompt: an item without a prompt (or a type)
  // of its own takes its group's from --prompts.
  void join_prompts() {
    for (Item& item : items_) {
      const auto found = prompts_.find(item.key_text.front());
      if (found == prompts_.end()) continue;
      if (item.prompt.empty()) item.prompt = found->second.prompt;
      if (item.type.empty()) item.type = found->second.type;
    }
  }

  static std::string describe_key(const Item& item) {
    std::string text;
    for (const auto& part : item.key_json) {
      if (!text.empty()) text += ", ";
      text += part;
    }
    return text;
  }

 private:
  simdjson::dom::element parse(std::string_view line, std::string_view where) {
    padded_ = simdjson::padded_string(line);
    simdjson::dom::element record;
    if (parser_.parse(padded_).get(record) != simdjson::SUCCESS)
      throw DataError(fmt::format("{}: invalid JSON", where));
    if (!record.is_object()) throw DataError(fmt::format("{}: expected a JSON object", where));
    return record;
  }

  void read_answer(simdjson::dom::element record, Item& item, std::string_view where) {
    simdjson::dom::element value;
    std::string_view text;
    if (detail::find_path(record, settings_.response_field, value) &&
        value.get_string().get(text) == simdjson::SUCCESS) {
      item.response = std::string(text);
      return;
    }
    simdjson::dom::object files;
    if (detail::find_path(record, settings_.files_field, value) && value.get_object().get(files) == simdjson::SUCCESS) {
      for (auto [name, content] : files) {
        std::string_view content_text;
        if (content.get_string().get(content_text) != simdjson::SUCCESS)
          throw DataError(fmt::format("{}: file '{}' of '{}' is not a string", where, name, settings_.files_field));
        item.files.emplace_back(std::string(name), std::string(content_text));
      }
      return;
    }
    throw DataError(fmt::format("{}: no answer: neither a '{}' string nor a '{}' object", where,
                                settings_.response_field, settings_.files_field));
  }

  void read_sides(simdjson::dom::element record, Item& item, std::string_view where) {
    const auto side = [&](const std::string& field, const std::string& id_field, std::string& answer,
                          std::string& id) {
      simdjson::dom::element value;
      std::string_view text;
      if (!detail::find_path(record, field, value) || value.get_string().get(text) != simdjson::SUCCESS)
        throw DataError(fmt::format("{}: answer field '{}' must be a string", where, field));
      answer = std::string(text);
      if (id_field.empty()) {
        id = field;
        return;
      }
      if (!detail::find_path(record, id_field, value) || value.is_null())
        throw DataError(fmt::format("{}: side id field '{}' is missing", where, id_field));
      id = value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : detail::json_text(value);
    };
    side(settings_.a_field, settings_.a_id_field, item.response, item.id_a);
    side(settings_.b_field, settings_.b_id_field, item.response_b, item.id_b);
  }

  ItemSettings settings_;
  std::vector<Item> items_;
  std::unordered_map<std::string, std::size_t> index_;
  struct GroupPrompt {
    std::string prompt;
    std::string type;
  };
  std::unordered_map<std::string, GroupPrompt> prompts_;
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
};

}  // namespace prefline::label
