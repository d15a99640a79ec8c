// Test support for the io/ tests: a fresh scratch folder per test and a
// file's whole content, so each test file does not grow its own copies.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

namespace prefline_test {

// An empty folder under the system's temp folder, named by the test and the
// process (ctest runs tests in parallel processes).
inline std::filesystem::path scratch_dir(std::string_view suite, std::string_view name = "") {
  std::string leaf = "prefline-" + std::string(suite);
  if (!name.empty()) leaf += "-" + std::string(name);
  leaf += "-" + std::to_string(::getpid());
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / leaf;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(
      std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

}  // namespace prefline_test
