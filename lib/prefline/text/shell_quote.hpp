// Command lines as a POSIX shell reads them: each argument quoted only when
// it needs it, so a recorded command (a dataset card's "how it was built")
// can be pasted back into a shell and stays readable.
#pragma once

#include <string>
#include <string_view>

namespace prefline {

// The argument as one shell word: as it is when it holds only characters no
// shell treats specially, else in single quotes (a ' inside as '\'').
inline std::string shell_quoted(std::string_view arg) {
  const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789_-./=:,+@%") == std::string_view::npos;
  if (plain) return std::string(arg);
  std::string word = "'";
  for (char c : arg) {
    if (c == '\'') word += "'\\''";
    else word += c;
  }
  word += '\'';
  return word;
}

// `program` followed by argv[1..argc-1], each quoted as needed (the program
// by the name given, not by its path).
inline std::string shell_command_line(std::string_view program, int argc, const char* const* argv) {
  std::string line(program);
  for (int i = 1; i < argc; ++i) {
    line += ' ';
    line += shell_quoted(argv[i]);
  }
  return line;
}

}  // namespace prefline
