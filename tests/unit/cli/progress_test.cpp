#include "prefline/cli/progress.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

// Standard error on a pseudo-terminal (so isatty says yes) or on a pipe
// (so it says no), read back from the other end.
class Stderr {
 public:
  explicit Stderr(bool terminal) : saved_(::dup(STDERR_FILENO)) {
    int write_end = -1;
    if (terminal) {
      if (::openpty(&read_end_, &write_end, nullptr, nullptr, nullptr) != 0) std::abort();
    } else {
      int ends[2];
      if (::pipe(ends) != 0) std::abort();
      read_end_ = ends[0];
      write_end = ends[1];
    }
    std::fflush(stderr);
    ::dup2(write_end, STDERR_FILENO);
    ::close(write_end);
  }
  ~Stderr() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(read_end_);
  }
  // Everything written so far (waits briefly for the terminal to pass it on).
  std::string drain() {
    std::fflush(stderr);
    std::string text;
    pollfd ready{read_end_, POLLIN, 0};
    char chunk[512];
    while (::poll(&ready, 1, 100) > 0 && (ready.revents & POLLIN)) {
      const ssize_t got = ::read(read_end_, chunk, sizeof chunk);
      if (got <= 0) break;
      text.append(chunk, static_cast<std::size_t>(got));
    }
    return text;
  }

 private:
  int saved_;
  int read_end_ = -1;
};

constexpr std::uint64_t block = prefline::Progress::check_every;

TEST(Progress, CountsRecordsOneByOneAndInBlocks) {
  Stderr err(false);
  prefline::Progress progress("demo", false);
  for (int i = 0; i < 5; ++i) progress.tick();
  progress.tick(1000);
  progress.tick(0);
  EXPECT_EQ(progress.records(), 1005u);
}

TEST(Progress, SilentWhenStderrIsNotATerminal) {
  Stderr err(false);
  {
    prefline::Progress progress("demo", false);
    std::this_thread::sleep_for(prefline::Progress::first_display + std::chrono::milliseconds(50));
    for (std::uint64_t i = 0; i < 2 * block; ++i) progress.tick();
    progress.tick(4 * block);
    EXPECT_EQ(progress.records(), 6 * block);
  }
  EXPECT_EQ(err.drain(), "");
}

TEST(Progress, SilentWithQuietOnATerminal) {
  Stderr err(true);
  {
    prefline::Progress progress("demo", true);
    std::this_thread::sleep_for(prefline::Progress::first_display + std::chrono::milliseconds(50));
    progress.tick(2 * block);
  }
  EXPECT_EQ(err.drain(), "");
}

TEST(Progress, NothingBeforeTheFirstSecond) {
  Stderr err(true);
  prefline::Progress progress("demo", false);
  progress.tick(3 * block);
  EXPECT_EQ(err.drain(), "");
}

TEST(Progress, OneLineOnATerminalClearedAtTheEnd) {
  Stderr err(true);
  {
    prefline::Progress progress("demo", false);
    std::this_thread::sleep_for(prefline::Progress::first_display + std::chrono::milliseconds(50));
    // The clock is looked at only when a block of check_every records is complete.
    progress.tick(block - 1);
    EXPECT_EQ(err.drain(), "");
    progress.tick();
    const std::string line = err.drain();
    const std::string head = "\rdemo: " + std::to_string(block) + " records, ";
    ASSERT_TRUE(line.starts_with(head)) << line;
    ASSERT_TRUE(line.ends_with(" records/s\033[K")) << line;
    const std::string rate = line.substr(head.size(), line.size() - head.size() - std::string(" records/s\033[K").size());
    ASSERT_FALSE(rate.empty());
    EXPECT_EQ(rate.find_first_not_of("0123456789"), std::string::npos) << rate;
    // More than a second has passed: at most `block` records per second.
    EXPECT_LE(std::stoull(rate), block);
    // The next display waits display_interval, whatever the count.
    progress.tick(block);
    EXPECT_EQ(err.drain(), "");
  }
  // finish() (in the destructor) clears the line once.
  EXPECT_EQ(err.drain(), "\r\033[K");
}

}  // namespace
