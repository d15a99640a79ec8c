// Shared by the duel reply tests: the plain definition of a balanced {...}
// (one scan from its '{') and random texts of braces, quotes, backslashes
// and verdict pieces.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace duel_test {

inline std::size_t naive_balanced_end(std::string_view text, std::size_t open) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{') ++depth;
    else if (c == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

// Random texts of braces, quotes, backslashes and verdict pieces.
inline std::string random_reply(std::mt19937_64& random) {
  static const std::vector<std::string> pieces = {
      "{", "}", "\"", "\\", " ", "x", ":", ",", "{\"a\":", "\"correctness\":1,\"grounding\":2,",
      "\"progress\":0,\"protocol\":1,\"efficiency\":2", "{\"correctness\":2,\"grounding\":2,\"progress\":2,"
      "\"protocol\":2,\"efficiency\":2}", "<think>", "</think>", "\"{\"", "[1,{}]"};
  std::string text;
  const std::size_t count = random() % 40;
  for (std::size_t i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
  return text;
}
}  // namespace duel_test
