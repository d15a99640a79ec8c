// duel/options.hpp: --metrics, --metric-weight and --orders as duel-judge
// documents them, with its usage errors.
#include "prefline/duel/options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string usage_error(auto&& call) {
  try {
    call();
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(DuelOptions, MetricsKeepTheQuestionsOfDefaultOnes) {
  const auto metrics = prefline::duel::metrics_from_list("progress,style");
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "progress");
  EXPECT_EQ(metrics[0].question, "does it move the task forward without redundancy");
  EXPECT_EQ(metrics[1].name, "style");
  EXPECT_EQ(metrics[1].question, "");
  EXPECT_EQ(prefline::duel::metrics_from_list("").size(), 5u);
}

TEST(DuelOptions, WeightsByMetricName) {
  const auto metrics = prefline::duel::metrics_from_list("a,b,c");
  EXPECT_EQ(prefline::duel::metric_weights("", metrics), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(prefline::duel::metric_weights("c=2.5,a=0", metrics), (std::vector<double>{0, 1, 2.5}));
  EXPECT_EQ(usage_error([&] { prefline::duel::metric_weights("d=1", metrics); }), "--metric-weight: no metric 'd'");
  EXPECT_EQ(usage_error([&] { prefline::duel::metric_weights("a=-1", metrics); }),
            "--metric-weight: expected METRIC=W with W >= 0, got 'a=-1'");
  EXPECT_EQ(usage_error([&] { prefline::duel::metric_weights("a=1x", metrics); }),
            "--metric-weight: expected METRIC=W with W >= 0, got 'a=1x'");
  EXPECT_EQ(usage_error([&] { prefline::duel::metric_weights("a=0,b=0,c=0", metrics); }),
            "--metric-weight: the weights add up to 0");
}

TEST(DuelOptions, OrdersPerRecord) {
  using prefline::duel::Order;
  using prefline::duel::OrderMode;
  EXPECT_EQ(prefline::duel::orders_for(prefline::duel::order_mode("both"), 3), (std::vector<Order>{Order::ab, Order::ba}));
  EXPECT_EQ(prefline::duel::orders_for(prefline::duel::order_mode("ab"), 3), (std::vector<Order>{Order::ab}));
  EXPECT_EQ(prefline::duel::orders_for(OrderMode::alternate, 4), (std::vector<Order>{Order::ab}));
  EXPECT_EQ(prefline::duel::orders_for(OrderMode::alternate, 5), (std::vector<Order>{Order::ba}));
  EXPECT_EQ(usage_error([] { prefline::duel::order_mode("ba"); }), "--orders: 'ba' is not both, ab or alternate");
}

}  // namespace
