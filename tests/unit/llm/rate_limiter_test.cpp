// llm/rate_limiter.hpp: starts spaced by 60/rpm and by tokens x 60/tpm, the
// later of the two, settle giving back or charging time, no saved-up burst
// after idling, a request larger than tpm, and acquire() from threads. Time
// points are made up (reserve); only the last test sleeps, briefly.
#include "prefline/llm/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

using prefline::llm::RateLimiter;
using LimiterClock = RateLimiter::Clock;
using std::chrono::milliseconds;

// Milliseconds from `origin` to `t`.
std::int64_t limiter_ms(LimiterClock::time_point origin, LimiterClock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t - origin).count();
}

const LimiterClock::time_point limiter_origin = LimiterClock::time_point{} + std::chrono::hours(1000);

TEST(LlmRateLimiter, WithoutLimitsEveryRequestStartsNow) {
  RateLimiter limiter(0, 0);
  EXPECT_FALSE(limiter.limited());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.reserve(100000, limiter_origin), limiter_origin);
  EXPECT_EQ(limiter.acquire(100000), 0.0);
}

TEST(LlmRateLimiter, RpmSpacesStartsEvenly) {
  RateLimiter limiter(600, 0);  // one request per 100 ms
  EXPECT_TRUE(limiter.limited());
  std::vector<std::int64_t> starts;
  for (int i = 0; i < 10; ++i) starts.push_back(limiter_ms(limiter_origin, limiter.reserve(1, limiter_origin)));
  EXPECT_EQ(starts, (std::vector<std::int64_t>{0, 100, 200, 300, 400, 500, 600, 700, 800, 900}));
  // A request arriving after the clock runs at once; the next is spaced from it.
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, limiter_origin + milliseconds(5000))), 5000);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, limiter_origin + milliseconds(5000))), 5100);
}

TEST(LlmRateLimiter, IdleTimeIsNotSavedUpAsABurst) {
  RateLimiter limiter(60, 0);  // one per second
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, limiter_origin)), 0);
  const LimiterClock::time_point later = limiter_origin + std::chrono::seconds(60);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, later)), 60000);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, later)), 61000);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, later)), 62000);
}

TEST(LlmRateLimiter, TpmSpacesByTheTokensOfTheRequestBefore) {
  RateLimiter limiter(0, 60000);  // 1000 tokens per second: 1 ms per token
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(500, limiter_origin)), 0);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(2000, limiter_origin)), 500);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(10, limiter_origin)), 2500);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(0, limiter_origin)), 2510);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(0, limiter_origin)), 2510);  // no tokens, no time
}

TEST(LlmRateLimiter, TheSlowerClockDecidesEachStart) {
  RateLimiter limiter(600, 60000);  // 100 ms per request, 1 ms per token
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(50, limiter_origin)), 0);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(300, limiter_origin)), 100);  // request clock
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(50, limiter_origin)), 400);   // token clock
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(50, limiter_origin)), 500);   // request clock again
}

TEST(LlmRateLimiter, SettleGivesBackOrChargesTokenTime) {
  RateLimiter limiter(0, 60000);  // 1 ms per token
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(4000, limiter_origin)), 0);
  limiter.settle(4000, 1000);  // used 3000 tokens fewer: 3 s back
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1000, limiter_origin)), 1000);
  limiter.settle(1000, 1500);  // used 500 more: charged
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(0, limiter_origin)), 2500);
  // Giving back more than the clock is ahead never starts earlier than now.
  limiter.settle(100000, 0);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(10, limiter_origin + milliseconds(3000))), 3000);
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(10, limiter_origin + milliseconds(3000))), 3010);
}

TEST(LlmRateLimiter, SettleWithoutTpmOrBeforeAnyRequestDoesNothing) {
  RateLimiter requests_only(600, 0);
  requests_only.reserve(100, limiter_origin);
  requests_only.settle(100, 100000);
  EXPECT_EQ(limiter_ms(limiter_origin, requests_only.reserve(100, limiter_origin)), 100);
  RateLimiter fresh(0, 60000);
  fresh.settle(1000, 0);
  EXPECT_EQ(fresh.reserve(10, limiter_origin), limiter_origin);
}

TEST(LlmRateLimiter, ARequestLargerThanTpmStillStarts) {
  RateLimiter limiter(0, 1000);  // 60 ms per token
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(5000, limiter_origin)), 0);  // five minutes' worth
  EXPECT_EQ(limiter_ms(limiter_origin, limiter.reserve(1, limiter_origin)), 300000);
}

TEST(LlmRateLimiter, BadLimitsAreRejected) {
  EXPECT_THROW(RateLimiter(-1, 0), std::invalid_argument);
  EXPECT_THROW(RateLimiter(0, -5), std::invalid_argument);
  EXPECT_THROW(RateLimiter(std::numeric_limits<double>::infinity(), 0), std::invalid_argument);
  EXPECT_THROW(RateLimiter(std::numeric_limits<double>::quiet_NaN(), 0), std::invalid_argument);
}

TEST(LlmRateLimiter, AcquireFromThreadsSpacesRealStarts) {
  RateLimiter limiter(60000, 0);  // one request per ms
  const LimiterClock::time_point begin = LimiterClock::now();
  std::vector<std::thread> threads;
  std::vector<double> waits(4);
  for (std::size_t t = 0; t < waits.size(); ++t)
    threads.emplace_back([&, t] {
      double total = 0;
      for (int i = 0; i < 5; ++i) total += limiter.acquire(1);
      waits[t] = total;
    });
  for (auto& thread : threads) thread.join();
  // 20 starts 1 ms apart: the last no earlier than 19 ms after the first.
  EXPECT_GE(std::chrono::duration<double>(LimiterClock::now() - begin).count(), 0.019);
  double total = 0;
  for (double wait : waits) total += wait;
  EXPECT_GT(total, 0.0);
  EXPECT_GE(limiter_ms(begin, limiter.reserve(1, begin)), 19);  // the 21st start
}

}  // namespace
