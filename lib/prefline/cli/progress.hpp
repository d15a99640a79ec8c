// A one-line progress display on stderr, only when stderr is a terminal and
// --quiet was not given. Checks the clock once every `check_every` records.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace prefline {

class Progress {
 public:
  static constexpr std::uint64_t check_every = 1 << 16;
  static constexpr auto first_display = std::chrono::seconds(1);
  static constexpr auto display_interval = std::chrono::milliseconds(250);

  Progress(std::string tool, bool quiet)
      : tool_(std::move(tool)), enabled_(!quiet && ::isatty(STDERR_FILENO) == 1), start_(Clock::now()),
        next_display_(start_ + first_display) {}
  ~Progress() { finish(); }

  void tick() {
    if (++records_ % check_every == 0 && enabled_) maybe_display();
  }
  // `count` records at once.
  void tick(std::uint64_t count) {
    const std::uint64_t before = records_;
    records_ += count;
    if (enabled_ && records_ / check_every != before / check_every) maybe_display();
  }

  std::uint64_t records() const { return records_; }
  bool enabled() const { return enabled_; }

  // A tool's own status line, e.g. "12/40 prompts, 8 calls in flight, ETA
  // 3 min": `line()` is called, and shown, at most every display interval.
  template <class Line>
  void show(Line&& line) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now < next_display_) return;
    next_display_ = now + display_interval;
    fmt::print(stderr, "\r{}: {}\033[K", tool_, line());
    std::fflush(stderr);
    shown_ = true;
  }

  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  // Clears the display line, so later messages start at column 0.
  void finish() {
    if (shown_) {
      std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
      shown_ = false;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;

  void maybe_display() {
    const auto now = Clock::now();
    if (now < next_display_) return;
    next_display_ = now + display_interval;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const auto rate = static_cast<std::uint64_t>(static_cast<double>(records_) / seconds);
    fmt::print(stderr, "\r{}: {} records, {} records/s\033[K", tool_, records_, rate);
    std::fflush(stderr);
    shown_ = true;
  }

  std::string tool_;
  bool enabled_;
  bool shown_ = false;
  std::uint64_t records_ = 0;
  Clock::time_point start_;
  Clock::time_point next_display_;
};

}  // namespace prefline
