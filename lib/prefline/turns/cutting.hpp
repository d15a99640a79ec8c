// Cutting a trajectory into turns: which assistant turns are taken (--turns),
// and a history trimmed to a size budget (--max-chars) from its oldest
// messages, keeping the system message and the first user message, and never
// separating an assistant's tool calls from the tool results that answer them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/text/split.hpp"
#include "prefline/turns/layout.hpp"

namespace prefline::turns {

// A selection of assistant turns, numbered from 1; a negative number counts
// from the last (-1 is the last). Items are N, or FROM:TO (inclusive, either
// side may be left out), separated by commas: "2:", "-1", "1,3", "-3:".
class TurnSelection {
 public:
  TurnSelection() { items_.push_back(Item{}); }  // every turn

  static TurnSelection parse(std::string_view option, std::string_view text) {
    TurnSelection selection;
    selection.items_.clear();
    if (text.empty()) throw UsageError(fmt::format("{} needs a value such as 2:, -1 or 1,3", option));
    for (const std::string& part : split_list(text)) {
      Item item;
      const std::size_t colon = part.find(':');
      if (colon == std::string::npos) {
        item.from = item.to = number(option, part, part);
        item.range = false;
      } else {
        const std::string from = part.substr(0, colon), to = part.substr(colon + 1);
        if (!from.empty()) item.from = number(option, from, part);
        if (!to.empty()) item.to = number(option, to, part);
      }
      selection.items_.push_back(item);
    }
    return selection;
  }

  // Whether assistant turn `turn` (1-based) of `count` is selected.
  bool selects(std::int64_t turn, std::int64_t count) const {
    for (const Item& item : items_) {
      const std::int64_t from = item.from ? position(*item.from, count) : 1;
      const std::int64_t to = item.to ? position(*item.to, count) : count;
      if (turn >= from && turn <= to) return true;
    }
    return false;
  }

 private:
  struct Item {
    std::optional<std::int64_t> from, to;
    bool range = true;
  };
  static std::int64_t position(std::int64_t n, std::int64_t count) { return n > 0 ? n : count + 1 + n; }
  static std::int64_t number(std::string_view option, const std::string& text, const std::string& part) {
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || value == 0 || text[0] == '+')
      throw UsageError(fmt::format("{}: '{}' in '{}' is not a turn number (1 is the first assistant turn, -1 the last; "
                                   "e.g. 2:, -1, 1,3)",
                                   option, text, part));
    return value;
  }
  std::vector<Item> items_;
};

// What trimming needs to know of each history message.
struct HistoryMessage {
  Role role = Role::user;
  bool has_tool_calls = false;
  std::size_t size = 0;  // characters it adds to the history
};

struct Trimmed {
  std::vector<std::size_t> kept;  // indexes into the history, in order
  std::size_t size = 0;           // the kept messages' total size
  bool trimmed = false;           // a message was dropped
  bool fits = true;               // size <= the budget
};

// Drops the oldest droppable units until the history's size is at most
// `budget`. The system message (the first message, when it is one) and the
// first user message are never dropped. A unit is one message, or an
// assistant message with tool calls together with the tool messages right
// after it (its results): dropped together or not at all.
inline Trimmed trim_history(const std::vector<HistoryMessage>& history, std::size_t budget) {
  Trimmed result;
  std::size_t total = 0;
  for (const HistoryMessage& m : history) total += m.size;
  std::vector<bool> pinned(history.size(), false);
  if (!history.empty() && history[0].role == Role::system) pinned[0] = true;
  for (std::size_t i = 0; i < history.size(); ++i)
    if (history[i].role == Role::user) {
      pinned[i] = true;
      break;
    }
  std::vector<bool> dropped(history.size(), false);
  for (std::size_t i = 0; i < history.size() && total > budget;) {
    std::size_t end = i + 1;
    if (history[i].role == Role::assistant && history[i].has_tool_calls)
      while (end < history.size() && history[end].role == Role::tool) ++end;
    bool droppable = true;
    for (std::size_t j = i; j < end; ++j) droppable = droppable && !pinned[j];
    if (droppable) {
      for (std::size_t j = i; j < end; ++j) {
        dropped[j] = true;
        total -= history[j].size;
      }
      result.trimmed = true;
    }
    i = end;
  }
  for (std::size_t i = 0; i < history.size(); ++i)
    if (!dropped[i]) result.kept.push_back(i);
  result.size = total;
  result.fits = total <= budget;
  return result;
}

// Unicode code points in UTF-8 text (bytes that do not continue a sequence).
inline std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace prefline::turns
