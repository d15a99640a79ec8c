// An output folder written all or nothing: its files are written into a temp
// folder next to the target (same parent, so rename(2) is atomic), which
// takes the target's name only when the tool succeeds. On an error, or on a
// SIGINT/SIGTERM/SIGHUP, the temp folder is removed and nothing is left.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/temp_file.hpp"

namespace prefline {

class OutputFolder {
 public:
  // Says whether an entry of an existing target (path relative to it, and
  // whether it is a folder) is one the tool writes, so --force may replace it.
  using Owned = std::function<bool(std::string_view relative, bool is_folder)>;

  OutputFolder() = default;
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;
  ~OutputFolder() { discard(); }

  // The target as given, without trailing slashes; throws UsageError (naming
  // `option`) when it cannot be a new folder's name ("", ".", "..", "/").
  static std::string target_name(std::string path, std::string_view option) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const std::size_t slash = path.find_last_of('/');
    const std::string_view base = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    if (base.empty() || base == "." || base == "..")
      throw UsageError(fmt::format("{}: '{}' cannot be the name of a new folder", option, path));
    return path;
  }

  // Checks that the target may be written: it must not exist, or with
  // `replace` be a folder holding only entries that `owned` accepts (so
  // --force never deletes anything the tool did not write). Throws DataError.
  static void check_target(const std::string& path, bool replace, const Owned& owned) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status status = fs::symlink_status(path, error);
    if (error && error != std::errc::no_such_file_or_directory)
      throw DataError(fmt::format("cannot check '{}': {}", path, error.message()));
    if (!fs::exists(status)) return;
    if (!replace) throw DataError(fmt::format("'{}' already exists (use --force to replace it)", path));
    if (!fs::is_directory(status)) throw DataError(fmt::format("'{}' exists and is not a folder; not replacing it", path));
    for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::recursive_directory_iterator();
         it.increment(error)) {
      const fs::file_status entry = it->symlink_status(error);
      if (error) break;
      const std::string relative = it->path().lexically_relative(path).generic_string();
      const bool is_folder = fs::is_directory(entry);
      if ((!is_folder && !fs::is_regular_file(entry)) || !owned(relative, is_folder))
        throw DataError(fmt::format("'{}' holds '{}', which this tool does not write; not replacing it", path, relative));
    }
    if (error) throw DataError(fmt::format("cannot read '{}': {}", path, error.message()));
  }

  // Creates the temp folder next to `path` (check_target() first).
  void open(const std::string& path, bool replace, Owned owned) {
    path_ = path;
    replace_ = replace;
    owned_ = std::move(owned);
    temp_.create(path);
  }

  // Where a file or folder at `relative` goes while the folder is being written.
  std::string file(std::string_view relative) const { return fmt::format("{}/{}", temp_.path(), relative); }

  void make_folder(std::string_view relative) {
    const std::string folder = file(relative);
    if (::mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST)
      throw DataError(fmt::format("cannot create '{}/{}': {}", path_, relative, std::strerror(errno)));
  }

  // Gives the finished folder its name. Every file in it must be committed.
  void commit() {
    if (!temp_.exists()) return;
    const std::string temp_path = temp_.path();
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::symlink_status(path_, error))) {
      check_target(path_, replace_, owned_);  // again: it may have changed while we wrote
      // Swap the two folders in one step, then remove the old one (now at the temp name).
      if (::renameat2(AT_FDCWD, temp_path.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) == 0) {
        std::filesystem::remove_all(temp_path, error);
        forget();
        if (error) throw DataError(fmt::format("cannot remove the old '{}': {}", path_, error.message()));
        return;
      }
      if (errno != EINVAL && errno != ENOSYS) fail_rename();
      // No RENAME_EXCHANGE on this file system: move the old one aside first.
      const std::string aside = temp_path + ".old";
      if (::rename(path_.c_str(), aside.c_str()) != 0) fail_rename();
      if (::rename(temp_path.c_str(), path_.c_str()) != 0) {
        const int rename_error = errno;
        ::rename(aside.c_str(), path_.c_str());
        errno = rename_error;
        fail_rename();
      }
      forget();
      std::filesystem::remove_all(aside, error);
      if (error) throw DataError(fmt::format("cannot remove the old '{}': {}", path_, error.message()));
      return;
    }
    // A plain rename() would replace an empty folder created meanwhile.
    if (::renameat2(AT_FDCWD, temp_path.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST || errno == ENOTEMPTY)
        throw DataError(fmt::format("'{}' appeared while writing; not replacing it", path_));
      if ((errno != EINVAL && errno != ENOSYS) || ::rename(temp_path.c_str(), path_.c_str()) != 0) fail_rename();
    }
    forget();
  }

  // Removes the temp folder and everything in it (error path).
  void discard() { temp_.discard(); }

 private:
  void forget() { temp_.forget(); }

  [[noreturn]] void fail_rename() {
    throw WriteError(fmt::format("cannot rename to '{}': {}", path_, std::strerror(errno)));
  }

  std::string path_;
  TempFolder temp_;
  bool replace_ = false;
  Owned owned_;
};

}  // namespace prefline
