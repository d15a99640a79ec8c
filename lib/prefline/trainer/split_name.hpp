// Split names of a dataset folder: the names Hugging Face datasets accept
// (^\w+(\.\w+)*$, in ASCII), which are also safe file names, and the file
// each split is written to.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline::trainer {

inline constexpr std::size_t max_split_name = 100;

// Letters, digits and '_' in parts joined by '.', at most max_split_name
// characters.
inline bool is_split_name(std::string_view name) {
  if (name.empty() || name.size() > max_split_name || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word && !(c == '.' && previous != '.')) return false;
    previous = c;
  }
  return true;
}

inline constexpr std::string_view data_folder = "data";

// The split's file, relative to the dataset folder.
inline std::string split_path(std::string_view name) { return fmt::format("{}/{}.jsonl", data_folder, name); }

}  // namespace prefline::trainer
