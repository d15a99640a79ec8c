// Requests per minute and tokens per minute of one endpoint (a --models
// entry's `rpm` and `tpm`), enforced by spacing starts evenly (a virtual
// clock, GCRA-style, with a burst of 1) rather than by counting calls in a
// minute window, because providers enforce their per-minute limits over
// shorter periods: 60 requests sent in the first second of a minute are
// answered with 429s even under rpm=60.
//
// Two clocks, each the earliest time the next request may start: a request
// takes 60/rpm seconds of the request clock and tokens x 60/tpm seconds of
// the token clock (its reservation: the prompt's tokens plus max_tokens,
// until its real usage is known). It starts at max(now, request clock, token
// clock); both clocks then move to that start plus the request's share. An
// idle period is never saved up as a burst: a clock behind `now` counts as
// `now`. A request larger than tpm is not refused: it starts when the token
// clock allows and holds the clock for more than a minute afterwards.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace prefline::llm {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // 0 = no limit of that kind. A negative or non-finite limit throws
  // std::invalid_argument.
  RateLimiter(double rpm, double tpm) : rpm_(rpm), tpm_(tpm) {
    if (!(rpm >= 0) || !(tpm >= 0) || !std::isfinite(rpm) || !std::isfinite(tpm))
      throw std::invalid_argument("RateLimiter: rpm and tpm must be finite and at least 0");
    if (rpm > 0) request_interval_ = to_duration(60.0 / rpm);
    if (tpm > 0) seconds_per_token_ = 60.0 / tpm;
  }

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  bool limited() const { return rpm_ > 0 || tpm_ > 0; }
  double rpm() const { return rpm_; }
  double tpm() const { return tpm_; }

  // Blocks (sleeps) until a request reserving `tokens` may start;
  // thread-safe (starts are handed out in the order of the calls); returns
  // how long it waited, in seconds. Without limits it returns 0 at once.
  double acquire(std::int64_t tokens) {
    if (!limited()) return 0;
    const Clock::time_point now = Clock::now();
    const Clock::time_point start = reserve(tokens, now);
    if (start <= now) return 0;
    std::this_thread::sleep_until(start);
    return std::chrono::duration<double>(start - now).count();
  }

  // When the call's real usage is known: gives back (used < reserved) or
  // charges (used > reserved) the difference on the token clock, so later
  // requests start earlier or later. Without a tpm limit it does nothing.
  void settle(std::int64_t reserved, std::int64_t used) {
    if (tpm_ <= 0 || reserved == used) return;
    const std::lock_guard lock(mutex_);
    if (token_clock_ == Clock::time_point::min()) return;  // nothing reserved yet
    token_clock_ += token_time(used) - token_time(reserved);
  }

  // For unit tests (and acquire): the start time the next acquire(tokens)
  // would get, given `now`, without sleeping, and reserving it.
  Clock::time_point reserve(std::int64_t tokens, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    const Clock::time_point start = std::max({now, request_clock_, token_clock_});
    if (rpm_ > 0) request_clock_ = start + request_interval_;
    if (tpm_ > 0) token_clock_ = start + token_time(tokens);
    return start;
  }

 private:
  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  // The token clock's share of `tokens` (a negative count is 0).
  Clock::duration token_time(std::int64_t tokens) const {
    return to_duration(static_cast<double>(std::max<std::int64_t>(tokens, 0)) * seconds_per_token_);
  }

  double rpm_;
  double tpm_;
  Clock::duration request_interval_{0};
  double seconds_per_token_ = 0;
  std::mutex mutex_;
  Clock::time_point request_clock_ = Clock::time_point::min();
  Clock::time_point token_clock_ = Clock::time_point::min();
};

}  // namespace prefline::llm
