#pragma once
// The texts of pairup's pairs, joined from side files by group and candidate:
// responses (a 'response' string, or 'files' rendered as the reference
// exporter did) and prompts. Only what the pairs use is kept; every record is
// still checked, and a second record for the same key is bad.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/pairs/item_reader.hpp"
#include "prefline/pairs/record_fields.hpp"
#include "prefline/pairs/settings.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/text_arena.hpp"

namespace prefline::pairs {

// The reference exporter's rendering of a candidate's files.
inline std::string render_files(const simdjson::dom::object& files) {
  std::vector<std::pair<std::string_view, std::string_view>> shown;
  for (auto [name, content] : files) {
    const bool code = name.ends_with(".mjs") || name.ends_with(".js") || name.ends_with(".html") || name.ends_with(".css");
    if (code && content.is_string()) shown.emplace_back(name, content.get_string().value_unsafe());
  }
  std::sort(shown.begin(), shown.end());
  std::string text;
  for (const auto& [name, content] : shown) {
    if (!text.empty()) text += "\n\n";
    text += "**";
    text += name;
    text += "**\n\n```\n";
    text += content;
    text += "\n```";
  }
  return text;
}

// --responses: each record names a group and a candidate; read() takes one
// record and returns the reason when it is bad.
class ResponseJoin {
 public:
  ResponseJoin(const Settings& settings, const std::vector<Group>& groups, const KeyMap& group_index,
               const std::vector<Item>& items, const std::vector<char>& needs_text)
      : settings_(settings), groups_(groups), group_index_(group_index), items_(items), needs_text_(needs_text),
        seen_(items.size(), 0), texts_(items.size()) {}

  std::string read(const simdjson::dom::object& record) {
    KeyValue group, candidate;
    simdjson::dom::element element;
    bool present;
    if (auto reason = read_key_field(record, settings_.group, "group", group); !reason.empty()) return reason;
    if (auto reason = read_key_field(record, settings_.candidate, "candidate", candidate); !reason.empty())
      return reason;
    auto found = group_index_.find(std::string_view(group.key));
    if (found == group_index_.end()) return {};  // not a group we read
    const std::int64_t member = find_member(groups_[found->second], items_, candidate.key);
    if (member < 0) return {};  // not an item we read
    const auto i = static_cast<std::size_t>(member);
    if (seen_[i]) return fmt::format("a second response for {}/{}", group.json, candidate.json);
    // Checked whether or not a pair needs the text; only a good record counts as seen.
    if (auto reason = find_field(record, schema::sources::response, element, present); !reason.empty()) return reason;
    if (present) {
      if (!element.is_string()) return fmt::format("field '{}' must be a string", schema::sources::response);
      if (needs_text_[i]) {
        const std::string_view text = element.get_string().value_unsafe();
        texts_[i] = std::string_view(arena_.store({text}), text.size());
      }
    } else {
      if (auto reason = find_field(record, schema::sources::files, element, present); !reason.empty()) return reason;
      if (present) {
        if (!element.is_object()) return fmt::format("field '{}' must be an object", schema::sources::files);
        if (needs_text_[i]) {
          const std::string text = render_files(element.get_object().value_unsafe());
          texts_[i] = std::string_view(arena_.store({text}), text.size());
        }
      }
    }
    seen_[i] = 1;
    return {};
  }

  // Per item: its text, when a record gave one and a pair needs it. The views
  // live as long as this join.
  const std::vector<std::optional<std::string_view>>& texts() const { return texts_; }

 private:
  const Settings& settings_;
  const std::vector<Group>& groups_;
  const KeyMap& group_index_;
  const std::vector<Item>& items_;
  const std::vector<char>& needs_text_;
  std::vector<char> seen_;
  std::vector<std::optional<std::string_view>> texts_;
  TextArena arena_;
};

// --prompts: each record names a group and gives its 'prompt'.
class PromptJoin {
 public:
  PromptJoin(const Settings& settings, const KeyMap& group_index, const std::vector<char>& needs_prompt)
      : settings_(settings), group_index_(group_index), needs_prompt_(needs_prompt), seen_(needs_prompt.size(), 0),
        prompts_(needs_prompt.size()) {}

  std::string read(const simdjson::dom::object& record) {
    KeyValue group;
    simdjson::dom::element element;
    bool has;
    if (auto reason = read_key_field(record, settings_.group, "group", group); !reason.empty()) return reason;
    auto found = group_index_.find(std::string_view(group.key));
    if (found == group_index_.end()) return {};
    if (seen_[found->second]) return fmt::format("a second prompt for {}", group.json);
    if (auto reason = find_field(record, schema::pair::prompt, element, has); !reason.empty()) return reason;
    if (!has || !element.is_string()) return fmt::format("field '{}' must be a string", schema::pair::prompt);
    seen_[found->second] = 1;  // only a good record counts
    if (needs_prompt_[found->second]) prompts_[found->second] = std::string(element.get_string().value_unsafe());
    return {};
  }

  // Per group: its prompt, when a record gave one and the group has pairs.
  std::vector<std::optional<std::string>>& prompts() { return prompts_; }

 private:
  const Settings& settings_;
  const KeyMap& group_index_;
  const std::vector<char>& needs_prompt_;
  std::vector<char> seen_;
  std::vector<std::optional<std::string>> prompts_;
};

}  // namespace prefline::pairs
