// The page's keys, remappable with --keys FILE: a JSON object of action ->
// key code or list of codes (KeyboardEvent.code names such as "KeyD",
// "ArrowRight", "Space": key positions, so a layout never moves them). An
// action given replaces its default keys; a key bound to two actions, or a
// key the browser or the page keeps for itself, is a startup error.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"

namespace prefline::label {

// Actions in the order the key map lists them, with their default keys.
using KeyMap = std::vector<std::pair<std::string, std::vector<std::string>>>;

inline KeyMap default_keys(bool compare) {
  if (compare)
    return {{"left", {"Digit1"}},        {"equal", {"Digit2"}},
            {"right", {"Digit3"}},       {"up", {"ArrowUp", "KeyW"}},
            {"down", {"ArrowDown", "KeyS"}}, {"back", {"ArrowLeft", "KeyA"}},
            {"next", {"ArrowRight", "KeyD", "Space"}}};
  return {{"back", {"ArrowLeft", "KeyA"}}, {"next", {"ArrowRight", "KeyD", "Space"}},
          {"clear", {"Backspace"}},        {"notes", {"KeyN"}},
          {"disputed", {"KeyR"}}};
}

// Why `code` cannot be bound, or empty: keys the browser acts on (Tab moves
// the focus, F1-F12 and the modifiers are the browser's) and the page's own
// (Escape leaves the notes, Slash is '?' the key map; with --rate the digits
// are the score keys).
inline std::string reserved_key(std::string_view code, bool compare) {
  static constexpr std::string_view browser[] = {"Tab", "Escape", "Slash", "ShiftLeft", "ShiftRight", "ControlLeft",
                                                 "ControlRight", "AltLeft", "AltRight", "MetaLeft", "MetaRight"};
  if (std::find(std::begin(browser), std::end(browser), code) != std::end(browser))
    return fmt::format("'{}' is kept by the browser or the page", code);
  if (code.size() >= 2 && code.size() <= 3 && code[0] == 'F' &&
      std::all_of(code.begin() + 1, code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fmt::format("'{}' is kept by the browser", code);
  if (!compare && (code.starts_with("Digit") || code.starts_with("Numpad")) && code.size() <= 7 &&
      code.back() >= '0' && code.back() <= '9')
    return fmt::format("'{}' is a score key", code);
  return {};
}

inline bool is_key_code(std::string_view code) {
  if (code.empty() || code.size() > 32 || code[0] < 'A' || code[0] > 'Z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

// Applies a --keys file's text to the defaults. Throws UsageError (the
// keys are options: a bad file stops the start, before any port is bound).
inline KeyMap read_key_map(std::string_view json_text, bool compare, std::string_view file) {
  KeyMap keys = default_keys(compare);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json_text);
  simdjson::dom::object object;
  if (parser.parse(padded).get(object) != simdjson::SUCCESS)
    throw UsageError(fmt::format("--keys '{}': not a JSON object of action -> key codes", file));
  for (auto [action, value] : object) {
    const std::string_view name = action;  // a structured binding cannot be captured before C++20's P1091 (clang 16)
    const auto found = std::find_if(keys.begin(), keys.end(), [&](const auto& entry) { return entry.first == name; });
    if (found == keys.end()) {
      std::string known;
      for (const auto& entry : keys) known += (known.empty() ? "" : ", ") + entry.first;
      throw UsageError(fmt::format("--keys '{}': unknown action '{}' (actions: {})", file, action, known));
    }
    std::vector<std::string> codes;
    std::string_view code;
    simdjson::dom::array list;
    if (value.get_string().get(code) == simdjson::SUCCESS) {
      codes.emplace_back(code);
    } else if (value.get_array().get(list) == simdjson::SUCCESS) {
      for (auto element : list) {
        if (element.get_string().get(code) != simdjson::SUCCESS)
          throw UsageError(fmt::format("--keys '{}': '{}' lists something other than key codes", file, action));
        codes.emplace_back(code);
      }
    } else {
      throw UsageError(fmt::format("--keys '{}': '{}' must be a key code or a list of them", file, action));
    }
    if (codes.empty()) throw UsageError(fmt::format("--keys '{}': '{}' has no key", file, action));
    found->second = std::move(codes);
  }
  std::map<std::string, std::string, std::less<>> action_of;
  for (const auto& [action, codes] : keys)
    for (const auto& code : codes) {
      if (!is_key_code(code))
        throw UsageError(fmt::format("--keys '{}': '{}' is not a key code (such as KeyD, ArrowRight, Space)", file, code));
      if (const std::string reason = reserved_key(code, compare); !reason.empty())
        throw UsageError(fmt::format("--keys '{}': {} ({})", file, reason, action));
      const auto [other, added] = action_of.emplace(code, action);
      if (!added)
        throw UsageError(fmt::format("--keys '{}': '{}' is both {} and {}", file, code, other->second, action));
    }
  return keys;
}

// {"action":["Code",...],...} for the page.
inline void write_key_map(JsonWriter& json, const KeyMap& keys) {
  json.begin_object();
  for (const auto& [action, codes] : keys) {
    json.key(action).begin_array();
    for (const auto& code : codes) json.string(code);
    json.end_array();
  }
  json.end_object();
}

}  // namespace prefline::label
