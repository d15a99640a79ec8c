// JSON whitespace (RFC 8259: space, tab, CR, LF) around values and lines:
// trimmed off raw value tokens, and the test for a blank JSONL line, which
// every tool skips.
#pragma once

#include <string_view>

namespace prefline {

// The text without JSON whitespace at its end (simdjson's raw tokens keep it).
inline std::string_view trim_json_whitespace(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

// A line holding only JSON whitespace (space, tab, CR) is blank and is skipped.
inline bool is_blank_line(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace prefline
