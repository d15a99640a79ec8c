// concurrency/call_window.hpp: items leave in input order whatever order
// their tasks finish in, no more than `window` are held, every task runs
// once, and a task's exception comes back to the caller.
#include "prefline/concurrency/call_window.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

struct Item {
  std::size_t index = 0;
  std::vector<std::atomic<int>> runs;
  explicit Item(std::size_t tasks) : runs(tasks) {}
};

TEST(CallWindow, ReleasesInInputOrderAndRunsEveryTaskOnce) {
  std::vector<std::size_t> released;
  prefline::CallWindow<Item> window(
      8, 16,
      [](Item& item, std::size_t task, std::size_t worker) {
        EXPECT_LT(worker, 8u);
        // Later items finish sooner: the order must come from the window.
        std::this_thread::sleep_for(std::chrono::microseconds((item.index * 7919 + task * 31) % 300));
        ++item.runs[task];
      },
      [&](Item& item) {
        for (auto& runs : item.runs) EXPECT_EQ(runs.load(), 1);
        released.push_back(item.index);
      });
  for (std::size_t i = 0; i < 500; ++i) {
    const std::size_t tasks = i % 4;  // items without tasks too
    auto item = std::make_unique<Item>(tasks);
    item->index = i;
    window.push(std::move(item), tasks);
  }
  window.finish();
  ASSERT_EQ(released.size(), 500u);
  for (std::size_t i = 0; i < released.size(); ++i) EXPECT_EQ(released[i], i);
}

TEST(CallWindow, CompletionOrderReleasesAFastItemBeforeASlowOneAndEveryItemOnce) {
  std::vector<std::size_t> released;
  std::atomic<bool> slow_may_finish{false};
  {
    prefline::CallWindow<Item> window(
        4, 8,
        [&](Item& item, std::size_t task, std::size_t) {
          // Item 0 waits until item 1 has been released: only completion
          // order can get past it.
          if (item.index == 0)
            while (!slow_may_finish) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          ++item.runs[task];
        },
        [&](Item& item) {
          released.push_back(item.index);
          if (item.index == 1) slow_may_finish = true;
        },
        prefline::CallWindow<Item>::Order::completion);
    for (std::size_t i = 0; i < 6; ++i) {
      auto item = std::make_unique<Item>(i == 5 ? 0 : 2);
      item->index = i;
      window.push(std::move(item), i == 5 ? 0 : 2);
    }
    window.finish();
  }
  ASSERT_EQ(released.size(), 6u);
  EXPECT_NE(released.front(), 0u);
  EXPECT_EQ(std::count(released.begin(), released.end(), 0u), 1);
  std::vector<std::size_t> sorted = released;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
}

TEST(CallWindow, CompletionOrderStillHoldsNoMoreThanTheWindow) {
  constexpr std::size_t limit = 3;
  std::atomic<std::size_t> max_held{0};
  prefline::CallWindow<Item>* self = nullptr;
  prefline::CallWindow<Item> window(
      2, limit,
      [&](Item& item, std::size_t task, std::size_t) {
        std::this_thread::sleep_for(std::chrono::microseconds(200 + (item.index % 3) * 300));
        ++item.runs[task];
      },
      [&](Item&) { max_held = std::max(max_held.load(), self->held()); },
      prefline::CallWindow<Item>::Order::completion);
  self = &window;
  for (std::size_t i = 0; i < 40; ++i) {
    auto item = std::make_unique<Item>(1);
    item->index = i;
    window.push(std::move(item), 1);
  }
  window.finish();
  EXPECT_LE(max_held.load(), limit);
}

TEST(CallWindow, HoldsNoMoreThanTheWindow) {
  constexpr std::size_t limit = 5;
  std::atomic<std::size_t> started{0};
  std::size_t most_held = 0;
  std::unique_ptr<prefline::CallWindow<Item>> window;
  window = std::make_unique<prefline::CallWindow<Item>>(
      4, limit,
      [&](Item& item, std::size_t task, std::size_t) {
        ++started;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++item.runs[task];
      },
      [&](Item&) {});
  for (std::size_t i = 0; i < 100; ++i) {
    window->push(std::make_unique<Item>(2), 2);
    most_held = std::max(most_held, window->held());
    EXPECT_LE(started.load(), 2 * (i + 1));
  }
  window->finish();
  EXPECT_LT(most_held, limit);  // push returns once fewer than `limit` are held
  EXPECT_EQ(window->held(), 0u);
  EXPECT_EQ(started.load(), 200u);
}

TEST(CallWindow, ATaskExceptionComesBackToTheCaller) {
  std::vector<std::size_t> released;
  prefline::CallWindow<Item> window(
      3, 4,
      [](Item& item, std::size_t, std::size_t) {
        if (item.index == 20) throw std::runtime_error("call failed");
      },
      [&](Item& item) { released.push_back(item.index); });
  bool thrown = false;
  try {
    for (std::size_t i = 0; i < 1000; ++i) {
      auto item = std::make_unique<Item>(1);
      item->index = i;
      window.push(std::move(item), 1);
    }
    window.finish();
  } catch (const std::runtime_error& error) {
    thrown = true;
    EXPECT_STREQ(error.what(), "call failed");
  }
  EXPECT_TRUE(thrown);
  // Nothing at or after the failing item was released.
  for (std::size_t i = 0; i < released.size(); ++i) EXPECT_EQ(released[i], i);
  EXPECT_LE(released.size(), 20u);
}

TEST(CallWindow, AReleaseExceptionComesBackToo) {
  prefline::CallWindow<Item> window(
      2, 8, [](Item&, std::size_t, std::size_t) {},
      [](Item& item) {
        if (item.index == 3) throw std::logic_error("write failed");
      });
  EXPECT_THROW(
      {
        for (std::size_t i = 0; i < 10; ++i) {
          auto item = std::make_unique<Item>(0);
          item->index = i;
          window.push(std::move(item), 0);
        }
        window.finish();
      },
      std::logic_error);
}

}  // namespace
