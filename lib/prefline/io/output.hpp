// Output sinks: standard output, or a file written atomically (a temp file in
// the same folder, renamed over the target only when the tool succeeds; on an
// error or a SIGINT/SIGTERM/SIGHUP no file is left behind).
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"

namespace prefline {

namespace detail {
// Temp files that a signal must remove. Fixed-size storage: the handler may
// only call async-signal-safe functions (unlink, signal, raise). Threads may
// register concurrently (duel-judge stores cache entries from its workers): a
// slot is claimed (free -> claimed), filled, then published (-> ready); the
// handler removes only ready ones.
inline constexpr int max_temp_files = 128;
inline constexpr int max_temp_path = 4096;
enum TempSlot : int { temp_free = 0, temp_claimed = 1, temp_ready = 2 };
struct TempRegistry {
  char paths[max_temp_files][max_temp_path];
  std::atomic<int> state[max_temp_files];
};
inline TempRegistry temp_registry{};

extern "C" inline void remove_temps_and_reraise(int signal_number) {
  for (int i = 0; i < max_temp_files; ++i)
    if (temp_registry.state[i].load() == temp_ready) ::unlink(temp_registry.paths[i]);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

inline void install_signal_cleanup() {
  static const bool installed = [] {
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction action {};
      action.sa_handler = remove_temps_and_reraise;
      sigemptyset(&action.sa_mask);
      ::sigaction(signal_number, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

// The slot of `path`, or -1 when the path is too long or every slot is taken
// (the file is then not removed by a signal).
inline int register_temp(const std::string& path) {
  install_signal_cleanup();
  if (path.size() >= max_temp_path) return -1;
  for (int i = 0; i < max_temp_files; ++i) {
    int expected = temp_free;
    if (!temp_registry.state[i].compare_exchange_strong(expected, temp_claimed)) continue;
    std::memcpy(temp_registry.paths[i], path.c_str(), path.size() + 1);
    temp_registry.state[i].store(temp_ready);
    return i;
  }
  return -1;
}

inline void unregister_temp(int slot) {
  if (slot >= 0) temp_registry.state[slot].store(temp_free);
}
}  // namespace detail

// One output stream with a large buffer flushed by write(2).
class Output {
 public:
  static constexpr std::size_t flush_threshold = std::size_t{1} << 20;

  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() { discard(); }

  // "-" is standard output; anything else is written atomically.
  void open(const std::string& path) {
    path_ = path;
    buffer_.reserve(flush_threshold + (flush_threshold >> 2));
    if (path == "-") {
      fd_ = STDOUT_FILENO;
      return;
    }
    // Standard streams named as files (/dev/stdout, /dev/stderr, /dev/fd/N,
    // /proc/self/fd/N) are the tool's own descriptors: duplicated, so the
    // offset and append mode of the caller's redirection are kept. Renaming over
    // them would replace the link in /dev (and lose what was written to it).
    if (const int stream = stream_descriptor(path); stream >= 0) {
      fd_ = ::fcntl(stream, F_DUPFD_CLOEXEC, 3);
      if (fd_ < 0) throw DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
      return;
    }
    // An existing non-regular file (/dev/null, a FIFO) is written in place:
    // renaming over it would replace the device or pipe.
    struct stat status {};
    const bool exists = ::stat(path.c_str(), &status) == 0;
    if (exists && !S_ISREG(status.st_mode)) {
      fd_ = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
      if (fd_ < 0) throw DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
      return;
    }
    // A symbolic link to a regular file: the file it points to is replaced,
    // the link stays.
    target_ = path;
    struct stat link {};
    if (exists && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      if (char* resolved = ::realpath(path.c_str(), nullptr)) {
        target_ = resolved;
        std::free(resolved);
      }
    }
    // mkstemp in the target's folder, so that rename() is atomic.
    temp_path_ = target_ + ".tmp.XXXXXX";
    fd_ = ::mkstemp(temp_path_.data());
    if (fd_ < 0) {
      const int error = errno;
      temp_path_.clear();
      throw DataError(fmt::format("cannot create '{}': {}", path, std::strerror(error)));
    }
    ::fchmod(fd_, 0666 & ~current_umask());
    slot_ = detail::register_temp(temp_path_);
  }

  // Opened and not yet committed or discarded.
  bool is_open() const { return fd_ >= 0 || !temp_path_.empty(); }
  const std::string& path() const { return path_; }

  // The buffer tools append to; call maybe_flush() after each record.
  Buffer& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= flush_threshold) flush();
  }

  void flush() {
    write_all(buffer_.data(), buffer_.size());
    buffer_.clear();
  }

  // Appends bytes made elsewhere (a worker's output for many records): large
  // ones are written straight through, after what the buffer holds.
  void write(std::string_view bytes) {
    if (buffer_.size() + bytes.size() < flush_threshold) {
      buffer_.append(bytes);
      return;
    }
    flush();
    write_all(bytes.data(), bytes.size());
  }

  // Appends `count` pieces in order, after what the buffer holds: into the
  // buffer when they are few bytes (under copy_threshold, and the buffer
  // stays under the flush threshold, like write(bytes)), else by writev(2)
  // straight from where they are, without copying them together.
  static constexpr std::size_t copy_threshold = std::size_t{64} << 10;
  void write(const iovec* pieces, std::size_t count) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) total += pieces[i].iov_len;
    if (total < copy_threshold && buffer_.size() + total < flush_threshold) {
      for (std::size_t i = 0; i < count; ++i) buffer_.append(static_cast<const char*>(pieces[i].iov_base), pieces[i].iov_len);
      return;
    }
    flush();
    while (count > 0) {
      const ssize_t written = ::writev(fd_, pieces, static_cast<int>(std::min<std::size_t>(count, IOV_MAX)));
      if (written < 0) {
        if (errno == EINTR) continue;
        if (errno == EPIPE) throw ClosedPipe();
        throw WriteError(fmt::format("{}: {}", describe(), std::strerror(errno)));
      }
      // Past the pieces written whole; the rest of a piece written in part.
      auto left = static_cast<std::size_t>(written);
      while (count > 0 && left >= pieces->iov_len) {
        left -= pieces->iov_len;
        ++pieces;
        --count;
      }
      if (left > 0) {
        write_all(static_cast<const char*>(pieces->iov_base) + left, pieces->iov_len - left);
        ++pieces;
        --count;
      }
    }
  }

  // Flushes and closes, checking both: a full disk shows here, and nothing is
  // published yet. A tool with several outputs finishes writing them all
  // before it commits any, so a failure leaves none of them behind.
  void finish_writing() {
    if (fd_ < 0) return;
    flush();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR) {
      if (errno == EPIPE) throw ClosedPipe();
      throw WriteError(fmt::format("{}: {}", describe(), std::strerror(errno)));
    }
  }

  // finish_writing(), then, for a file, renames the temp file over the
  // target. Only after commit() does the output exist.
  void commit() {
    finish_writing();
    if (!temp_path_.empty()) {
      if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp_path_.c_str());
        detail::unregister_temp(slot_);
        temp_path_.clear();
        throw WriteError(fmt::format("cannot rename to '{}': {}", path_, std::strerror(error)));
      }
      detail::unregister_temp(slot_);
      temp_path_.clear();
    }
  }

  // Drops a file output that was not committed (error path).
  void discard() {
    if (!temp_path_.empty()) {
      if (fd_ >= 0) ::close(fd_);
      ::unlink(temp_path_.c_str());
      detail::unregister_temp(slot_);
      temp_path_.clear();
      fd_ = -1;
    }
  }

 private:
  void write_all(const char* data, std::size_t left) {
    while (left > 0) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0) {
        if (errno == EINTR) continue;
        if (errno == EPIPE) throw ClosedPipe();
        throw WriteError(fmt::format("{}: {}", describe(), std::strerror(errno)));
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  }

  static mode_t current_umask() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
  }
  // The descriptor a path names when it is one of the process's standard
  // streams or /dev/fd/N, /proc/self/fd/N; -1 otherwise.
  static int stream_descriptor(std::string_view path) {
    if (path == "/dev/stdout") return STDOUT_FILENO;
    if (path == "/dev/stderr") return STDERR_FILENO;
    for (std::string_view folder : {std::string_view("/dev/fd/"), std::string_view("/proc/self/fd/")}) {
      if (!path.starts_with(folder) || path.size() == folder.size() || path.size() > folder.size() + 9) continue;
      int number = 0;
      for (char c : path.substr(folder.size())) {
        if (c < '0' || c > '9') return -1;
        number = number * 10 + (c - '0');
      }
      return number;
    }
    return -1;
  }
  std::string describe() const { return path_ == "-" ? std::string("standard output") : "'" + path_ + "'"; }

  std::string path_;
  std::string target_;  // the file the temp file is renamed to (symlinks resolved)
  std::string temp_path_;
  Buffer buffer_;
  int fd_ = -1;
  int slot_ = -1;
};

}  // namespace prefline
