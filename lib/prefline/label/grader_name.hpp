// A grader's name is the stem of that grader's files (grades/<name>.csv,
// <name>.journal.jsonl, <name>.votes.jsonl): only names that are one safe
// path component are accepted, so no name from the command line or from a
// request (?grader=) can reach a file outside the --out folder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline::label {

inline constexpr std::size_t max_grader_name = 64;

// Why `name` is not a safe file stem, or nothing when it is: 1 to 64
// characters from A-Z a-z 0-9 . _ -, not starting with '.' or '-' (no
// hidden file, no name read as an option by a shell tool).
inline std::optional<std::string> grader_name_problem(std::string_view name) {
  if (name.empty()) return std::string("a grader name is empty");
  if (name.size() > max_grader_name)
    return fmt::format("grader name '{}...' is longer than {} characters", name.substr(0, 16), max_grader_name);
  if (name.front() == '.' || name.front() == '-')
    return fmt::format("grader name '{}' starts with '{}'", name, name.front());
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                         c == '_' || c == '-';
    if (!allowed)
      return fmt::format("grader name '{}' has a character other than letters, digits, '.', '_' and '-'", name);
  }
  return std::nullopt;
}

// The files of one grader in the output folder (a name already checked).
struct GraderFiles {
  std::string csv;      // the vizhub grades file, rewritten after each change
  std::string journal;  // every change, appended and synced before the reply
  std::string votes;    // --compare: the vote records, rewritten after each vote
};

inline GraderFiles grader_files(std::string_view out_folder, std::string_view grader) {
  std::string folder(out_folder);
  if (folder.empty()) folder = ".";
  if (folder.back() != '/') folder.push_back('/');
  return {fmt::format("{}{}.csv", folder, grader), fmt::format("{}{}.journal.jsonl", folder, grader),
          fmt::format("{}{}.votes.jsonl", folder, grader)};
}

}  // namespace prefline::label
