// The journal of one grader: every change as one JSON line, appended with a
// single write(2) and synced to disk (fdatasync) before the grader's page is
// told it is saved. Replaying it rebuilds the grader's state after a
// restart, a crash or a kill -9. A kill between write and sync may leave the
// last line torn (no '\n'): replay ignores it, counts it, and cuts it off
// before the next append so that a new line never starts mid-line.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"

namespace prefline::label {

struct JournalReplay {
  std::size_t entries = 0;      // complete lines handed to the reader (blank lines left out)
  std::size_t torn_lines = 0;   // 0 or 1: a last line without its '\n', ignored
  std::size_t kept_bytes = 0;   // the file's length up to the last complete line
};

// Hands every complete non-blank line of a journal's `content` to
// `entry(line, line_number)`; a last line without '\n' is torn: counted,
// not handed over.
template <class Entry>
JournalReplay replay_journal(std::string_view content, Entry&& entry) {
  JournalReplay replay;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    const std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) {
      replay.torn_lines = 1;
      break;
    }
    ++line_number;
    const std::string_view line = content.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      entry(line, line_number);
      ++replay.entries;
    }
    start = end + 1;
  }
  replay.kept_bytes = start < content.size() ? start : content.size();
  return replay;
}

// Reads another process's journal without changing it (a torn last line
// may be a line being written right now). Throws DataError.
template <class Entry>
JournalReplay read_journal(const std::string& path, Entry&& entry) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::string content;
  char block[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, block, sizeof block);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      throw DataError(fmt::format("cannot read '{}': {}", path, std::strerror(error)));
    }
    if (got == 0) break;
    content.append(block, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return replay_journal(content, entry);
}

class Journal {
 public:
  Journal() = default;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal() { close(); }

  // Opens `path` (created when missing), hands every complete non-blank
  // line to `entry(line, line_number)` (1-based), then cuts a torn last line
  // off. Throws DataError when the file cannot be opened or read.
  template <class Entry>
  JournalReplay open(const std::string& path, Entry&& entry) {
    close();
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0) throw DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    std::string content;
    char block[1 << 16];
    for (;;) {
      const ssize_t got = ::pread(fd_, block, sizeof block, static_cast<off_t>(content.size()));
      if (got < 0) {
        if (errno == EINTR) continue;
        throw DataError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
      }
      if (got == 0) break;
      content.append(block, static_cast<std::size_t>(got));
    }
    const JournalReplay replay = replay_journal(content, entry);
    if (replay.torn_lines != 0 && ::ftruncate(fd_, static_cast<off_t>(replay.kept_bytes)) != 0)
      throw DataError(fmt::format("cannot cut the torn last line of '{}': {}", path, std::strerror(errno)));
    return replay;
  }

  // Appends `line` and '\n' in one write, then syncs. Throws WriteError.
  void append(std::string_view line) {
    line_.assign(line);
    line_.push_back('\n');
    std::size_t written = 0;
    while (written < line_.size()) {
      const ssize_t wrote = ::write(fd_, line_.data() + written, line_.size() - written);
      if (wrote < 0) {
        if (errno == EINTR) continue;
        throw WriteError(fmt::format("cannot append to '{}': {}", path_, std::strerror(errno)));
      }
      written += static_cast<std::size_t>(wrote);
    }
    if (::fdatasync(fd_) != 0)
      throw WriteError(fmt::format("cannot sync '{}': {}", path_, std::strerror(errno)));
  }

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  std::string path_;
  std::string line_;  // reused: one allocation for every append
  int fd_ = -1;
};

}  // namespace prefline::label
