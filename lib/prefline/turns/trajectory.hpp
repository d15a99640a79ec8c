// One trajectory's messages, each mapped once onto an OpenAI message and
// written into one buffer "[m0,m1,...": every turn's history is then a
// prefix of it and its reference a slice, so cutting a trajectory into N
// turns copies no message. Also: whether a reference matches --skip-if.
#pragma once

#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "prefline/json/writer.hpp"
#include "prefline/turns/cutting.hpp"
#include "prefline/turns/layout.hpp"

namespace prefline::turns {

class Trajectory {
 public:
  // Maps every message of `messages` (the array of field `field`); returns ""
  // or the reason of the first one that cannot be read. `on_message(element,
  // info)` sees each message read (for the census of its fields).
  template <class OnMessage>
  std::string map(const Layout& layout, std::string_view field, simdjson::dom::array messages, OnMessage&& on_message) {
    history_.clear();
    history_.push_back('[');
    starts_.clear();
    infos_.clear();
    elements_.clear();
    assistant_turns_ = 0;
    std::size_t index = 0;
    for (simdjson::dom::element message : messages) {
      if (index > 0) history_.push_back(',');
      starts_.push_back(history_.size());
      JsonWriter json(history_);
      MessageInfo info;
      std::string reason = map_message(layout, field, index, message, json, info);
      if (!reason.empty()) return reason;
      on_message(message, info);
      assistant_turns_ += info.role == Role::assistant;
      infos_.push_back(info);
      elements_.push_back(message);
      ++index;
    }
    starts_.push_back(history_.size() + 1);  // where a message after the last would start
    return {};
  }

  std::size_t size() const { return infos_.size(); }
  const MessageInfo& info(std::size_t at) const { return infos_[at]; }
  simdjson::dom::element element(std::size_t at) const { return elements_[at]; }
  std::int64_t assistant_turns() const { return assistant_turns_; }

  // Message `at` as written.
  std::string_view message(std::size_t at) const {
    return history_.view().substr(starts_[at], starts_[at + 1] - 1 - starts_[at]);
  }
  // Messages 0 .. at-1 as written, comma-separated (the history before message `at`).
  std::string_view prefix(std::size_t at) const {
    return at == 0 ? std::string_view() : history_.view().substr(1, starts_[at] - 2);
  }
  // What trimming needs of the history before message `at`.
  const std::vector<HistoryMessage>& sizes(std::size_t at) {
    sizes_.clear();
    for (std::size_t m = 0; m < at; ++m)
      sizes_.push_back(HistoryMessage{infos_[m].role, infos_[m].has_tool_calls, code_points(message(m))});
    return sizes_;
  }

 private:
  Buffer history_;                   // "[m0,m1,..." as written
  std::vector<std::size_t> starts_;  // where each message starts in history_, then one past the end + 1
  std::vector<MessageInfo> infos_;
  std::vector<simdjson::dom::element> elements_;
  std::vector<HistoryMessage> sizes_;
  std::int64_t assistant_turns_ = 0;
};

// Whether a reference (a message as read) matches --skip-if: its content (a
// string, or the text of its parts), its tool calls' function names and arguments.
inline bool reference_matches(const std::regex& pattern, simdjson::dom::element message, const Layout& layout) {
  const auto search = [&](simdjson::dom::element value) {
    std::string_view text;
    if (value.get_string().get(text)) return false;
    return std::regex_search(text.begin(), text.end(), pattern);
  };
  simdjson::dom::element value;
  if (!message[layout.content].get(value)) {
    if (search(value)) return true;
    simdjson::dom::array parts;
    if (!value.get_array().get(parts))
      for (auto part : parts) {
        simdjson::dom::element text;
        if (!part["text"].get(text) && search(text)) return true;
      }
  }
  simdjson::dom::array calls;
  if (!message["tool_calls"].get_array().get(calls))
    for (auto call : calls) {
      simdjson::dom::element function;
      if (call["function"].get(function)) continue;
      simdjson::dom::element field;
      if (!function["name"].get(field) && search(field)) return true;
      if (!function["arguments"].get(field) && search(field)) return true;
    }
  return false;
}

}  // namespace prefline::turns
