// File names as data: a rater's name taken from the grades file it came from
// ("grades/alice-2024-01-15.csv" -> "alice-2024-01-15").
#pragma once

#include <string_view>

namespace prefline {

// The last path component without its extension (a leading dot is no
// extension: ".hidden" stays ".hidden").
inline std::string_view path_stem(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  const std::size_t dot = path.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) path.remove_suffix(path.size() - dot);
  return path;
}

}  // namespace prefline
