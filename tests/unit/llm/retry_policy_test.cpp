// llm/retry_policy.hpp: which statuses retry, and the backoff formula of
// duel-judge --help (capped doubling, jitter in [0.5, 1), Retry-After wins
// when longer), reproducible from the seed.
#include "prefline/llm/retry_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using prefline::llm::RetryPolicy;

TEST(RetryPolicy, RetriesRateLimitsAndServerErrorsOnly) {
  EXPECT_TRUE(RetryPolicy::retryable_status(429));
  EXPECT_TRUE(RetryPolicy::retryable_status(500));
  EXPECT_TRUE(RetryPolicy::retryable_status(503));
  EXPECT_FALSE(RetryPolicy::retryable_status(400));
  EXPECT_FALSE(RetryPolicy::retryable_status(401));
  EXPECT_FALSE(RetryPolicy::retryable_status(404));
}

TEST(RetryPolicy, WaitsDoubleWithJitterUpToTheCap) {
  RetryPolicy policy;
  policy.base_seconds = 0.5;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double full = std::min(0.5 * std::pow(2.0, attempt), 30.0);
    for (std::uint64_t call = 0; call < 50; ++call) {
      const double wait = policy.wait_seconds(attempt, call);
      EXPECT_GE(wait, 0.5 * full);
      EXPECT_LT(wait, full);
    }
  }
}

TEST(RetryPolicy, JitterIsSplitMix64OfSeedCallAndAttempt) {
  RetryPolicy policy;
  policy.base_seconds = 1;
  policy.seed = 9;
  prefline::SplitMix64 jitter{9 ^ (5 * 0x9e3779b97f4a7c15ULL) ^ 2};
  EXPECT_EQ(policy.wait_seconds(2, 5), 4 * (0.5 + 0.5 * jitter.uniform()));
  EXPECT_EQ(policy.wait_seconds(2, 5), policy.wait_seconds(2, 5));
  EXPECT_NE(policy.wait_seconds(2, 5), policy.wait_seconds(2, 6));
}

TEST(RetryPolicy, RetryAfterWinsWhenLonger) {
  RetryPolicy policy;
  policy.base_seconds = 0.1;
  EXPECT_EQ(policy.wait_seconds(0, 1, 7), 7);
  EXPECT_LT(policy.wait_seconds(0, 1, 0.01), 0.1);
  EXPECT_GE(policy.wait_seconds(0, 1, 0.01), 0.05);
}

}  // namespace
