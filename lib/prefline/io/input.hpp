// Opening inputs: FILE arguments, or standard input when there are none or
// the argument is "-". Errors name the file as the user gave it.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"

namespace prefline {

inline constexpr const char* stdin_name = "-";

// The list of inputs a tool reads: its FILE arguments, or "-" alone.
inline std::vector<std::string> inputs_or_stdin(const std::vector<std::string>& files) {
  if (files.empty()) return {stdin_name};
  return files;
}

// An open input file descriptor, closed when it goes out of scope (stdin is left open).
class InputFile {
 public:
  explicit InputFile(const std::string& name) : name_(name) {
    if (name == stdin_name) {
      fd_ = STDIN_FILENO;
      return;
    }
    fd_ = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw DataError(fmt::format("cannot open '{}': {}", name, std::strerror(errno)));
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    if (fd_ > STDERR_FILENO) ::close(fd_);
  }

  int fd() const { return fd_; }

  // When the input is a pipe: asks for a 1 MiB pipe buffer (Linux' default
  // limit for anyone; 64 KiB otherwise), so a fast writer (cat FILE | tool)
  // blocks, and each of our reads returns, 16 times less often. Quietly
  // keeps the default where that is refused.
  void widen_pipe() const {
    struct stat info {};
    if (::fstat(fd_, &info) == 0 && S_ISFIFO(info.st_mode)) ::fcntl(fd_, F_SETPIPE_SZ, 1 << 20);
  }
  const std::string& name() const { return name_; }

  // read(2) until `size` bytes or end of input; throws on a read error.
  std::size_t read_fully(char* data, std::size_t size) {
    std::size_t total = 0;
    while (total < size) {
      const ssize_t got = ::read(fd_, data + total, size - total);
      if (got == 0) break;
      if (got < 0) {
        if (errno == EINTR) continue;
        throw DataError(fmt::format("{}: read error: {}", name_, std::strerror(errno)));
      }
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

  // One read(2) call (retried on EINTR); 0 at end of input.
  std::size_t read_some(char* data, std::size_t size) {
    for (;;) {
      const ssize_t got = ::read(fd_, data, size);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) throw DataError(fmt::format("{}: read error: {}", name_, std::strerror(errno)));
    }
  }

 private:
  std::string name_;
  int fd_ = -1;
};

}  // namespace prefline
