// Which failed calls are tried again and how long to wait first: network
// errors, timeouts, HTTP 429 and 5xx retry; other statuses fail at once.
// Wait before retry k (0-based): min(base x 2^k, cap) x (0.5 + 0.5 u), u from
// splitmix64 seeded with the seed and the call, or the server's Retry-After
// when that is longer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "prefline/random/generator.hpp"

namespace prefline::llm {

struct RetryPolicy {
  int max_retries = 6;
  double base_seconds = 0.5;
  double cap_seconds = 30;
  double timeout_seconds = 120;  // per attempt, unless the endpoint sets its own
  std::uint64_t seed = 0;

  static bool retryable_status(long status) { return status == 429 || status >= 500; }

  // Seconds to wait before retry number `attempt` of call `call_id`.
  double wait_seconds(int attempt, std::uint64_t call_id, double retry_after = 0) const {
    SplitMix64 jitter{seed ^ (call_id * 0x9e3779b97f4a7c15ULL) ^ static_cast<std::uint64_t>(attempt)};
    const double wait = std::min(base_seconds * std::pow(2.0, attempt), cap_seconds) * (0.5 + 0.5 * jitter.uniform());
    return std::max(wait, retry_after);
  }
};

}  // namespace prefline::llm
