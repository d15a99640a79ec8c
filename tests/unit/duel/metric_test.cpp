// duel/metric.hpp: the five default metrics in their documented order, and
// the names of the two orders.
#include "prefline/duel/metric.hpp"

#include <gtest/gtest.h>

namespace {

TEST(DuelMetric, DefaultsAreTheFiveDocumentedMetrics) {
  const auto metrics = prefline::duel::default_metrics();
  ASSERT_EQ(metrics.size(), 5u);
  const char* names[] = {"correctness", "grounding", "progress", "protocol", "efficiency"};
  for (std::size_t m = 0; m < 5; ++m) {
    EXPECT_EQ(metrics[m].name, names[m]);
    EXPECT_FALSE(metrics[m].question.empty());
  }
}

TEST(DuelMetric, OrderNames) {
  EXPECT_EQ(prefline::duel::order_name(prefline::duel::Order::ab), "ab");
  EXPECT_EQ(prefline::duel::order_name(prefline::duel::Order::ba), "ba");
}

}  // namespace
