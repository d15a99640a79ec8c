// Output sinks: standard output, or a file written atomically (a temp file in
// the same folder, renamed over the target only when the tool succeeds; on an
// error or a SIGINT/SIGTERM/SIGHUP no file is left behind: see temp_file.hpp).
// A tool with several output files commits them through an OutputSet.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/io/temp_file.hpp"
#include "prefline/json/writer.hpp"

namespace prefline {

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
    fd_ = temp_.create(target_, path);
  }

  // Opened and not yet committed or discarded.
  bool is_open() const { return fd_ >= 0 || temp_.exists(); }
  const std::string& path() const { return path_; }
  // The regular file that commit() creates or replaces (symbolic links
  // resolved); empty for standard output, a descriptor or a device.
  const std::string& target_file() const { return target_; }

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
    if (temp_.exists()) temp_.closed();
    if (::close(fd) != 0 && errno != EINTR) {
      if (errno == EPIPE) throw ClosedPipe();
      throw WriteError(fmt::format("{}: {}", describe(), std::strerror(errno)));
    }
  }

  // finish_writing(), then, for a file, renames the temp file over the
  // target. Only after commit() does the output exist.
  void commit() {
    finish_writing();
    temp_.commit(target_, path_);
  }

  // Drops a file output that was not committed (error path).
  void discard() {
    if (temp_.exists()) {
      temp_.discard();  // closes fd_ when still open
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
  TempFile temp_;
  Buffer buffer_;
  int fd_ = -1;
};

}  // namespace prefline
