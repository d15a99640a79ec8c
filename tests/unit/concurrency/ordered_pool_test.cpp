// OrderedPool: batches worked on in parallel are consumed in production
// order, every batch exactly once; failures reach the producer.
#include "prefline/concurrency/ordered_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

struct Numbers {
  std::vector<std::uint64_t> values;
  std::uint64_t squares_sum = 0;  // set by the worker
  std::size_t worker = 0;
  void clear() {
    values.clear();
    squares_sum = 0;
  }
};

// Work that takes a varying time, so batches finish out of order.
void slow_square_sum(Numbers& batch, std::size_t worker) {
  std::uint64_t sum = 0;
  for (std::uint64_t v : batch.values) sum += v * v;
  batch.squares_sum = sum;
  batch.worker = worker;
  std::this_thread::sleep_for(std::chrono::microseconds((batch.values.empty() ? 0 : batch.values[0]) % 7 * 150));
}

TEST(OrderedPool, ConsumesEveryBatchOnceInProductionOrder) {
  for (std::size_t workers : {1, 2, 4}) {
    std::vector<std::uint64_t> consumed;
    std::uint64_t sum_of_sums = 0;
    std::set<std::size_t> workers_used;
    {
      prefline::OrderedPool<Numbers> pool(workers, slow_square_sum, [&](Numbers& batch) {
        consumed.insert(consumed.end(), batch.values.begin(), batch.values.end());
        sum_of_sums += batch.squares_sum;
        workers_used.insert(batch.worker);
      });
      std::mt19937_64 random(3);
      std::uint64_t next = 0;
      for (int b = 0; b < 300; ++b) {
        const std::size_t size = random() % 5;  // empty batches too
        for (std::size_t i = 0; i < size; ++i) pool.current().values.push_back(next++);
        pool.submit();
      }
      pool.current().values.push_back(next++);
      pool.finish();
      ASSERT_EQ(consumed.size(), next);
    }
    std::uint64_t expected_sum = 0;
    for (std::uint64_t v = 0; v < consumed.size(); ++v) {
      ASSERT_EQ(consumed[v], v) << workers << " workers";
      expected_sum += v * v;
    }
    EXPECT_EQ(sum_of_sums, expected_sum);
    if (workers > 1) {
      EXPECT_GT(workers_used.size(), 1u) << "batches were shared between workers";
    }
  }
}

TEST(OrderedPool, AWorkerFailureReachesTheProducerAndLaterBatchesAreNotConsumed) {
  std::vector<std::uint64_t> consumed;
  prefline::OrderedPool<Numbers> pool(
      2,
      [](Numbers& batch, std::size_t) {
        if (!batch.values.empty() && batch.values[0] == 50) throw std::runtime_error("bad batch 50");
      },
      [&](Numbers& batch) { consumed.insert(consumed.end(), batch.values.begin(), batch.values.end()); });
  bool thrown = false;
  try {
    for (std::uint64_t b = 0; b < 1000; ++b) {
      pool.current().values.push_back(b);
      pool.submit();
    }
    pool.finish();
  } catch (const std::runtime_error& error) {
    thrown = true;
    EXPECT_STREQ(error.what(), "bad batch 50");
  }
  EXPECT_TRUE(thrown);
  ASSERT_LE(consumed.size(), 50u);
  for (std::size_t i = 0; i < consumed.size(); ++i) EXPECT_EQ(consumed[i], i);
}

TEST(OrderedPool, AConsumerFailureReachesTheProducer) {
  std::atomic<int> consumed{0};
  prefline::OrderedPool<Numbers> pool(2, slow_square_sum, [&](Numbers& batch) {
    if (batch.values[0] == 20) throw std::runtime_error("write error");
    ++consumed;
  });
  EXPECT_THROW(
      {
        for (std::uint64_t b = 0; b < 1000; ++b) {
          pool.current().values.push_back(b);
          pool.submit();
        }
        pool.finish();
      },
      std::runtime_error);
  EXPECT_EQ(consumed.load(), 20);
}

TEST(OrderedPool, OnAProducerErrorWhatWasProducedIsStillConsumed) {
  std::vector<std::uint64_t> consumed;
  try {
    prefline::OrderedPool<Numbers> pool(2, slow_square_sum, [&](Numbers& batch) {
      consumed.insert(consumed.end(), batch.values.begin(), batch.values.end());
    });
    for (std::uint64_t b = 0; b < 30; ++b) {
      pool.current().values.push_back(b);
      if (b % 3 == 2) pool.submit();
    }
    throw std::runtime_error("input read error");  // the pool is destroyed without finish()
  } catch (const std::runtime_error&) {
  }
  ASSERT_EQ(consumed.size(), 30u);
  for (std::size_t i = 0; i < consumed.size(); ++i) EXPECT_EQ(consumed[i], i);
}

// No workers: a background consumer. Batches go to the consuming thread in
// order, the producer is held back when `in_flight` batches wait, a consumer
// failure reaches it, and what was produced before an error is consumed.
TEST(OrderedPool, WithoutWorkersConsumesInOrderOnAnotherThread) {
  std::vector<std::uint64_t> consumed;
  std::set<std::thread::id> consumer_threads;
  std::atomic<std::size_t> most_waiting{0};
  std::atomic<std::size_t> produced{0}, done{0};
  {
    prefline::OrderedPool<Numbers> pool(
        [&](Numbers& batch) {
          consumer_threads.insert(std::this_thread::get_id());
          most_waiting = std::max<std::size_t>(most_waiting, produced - done);
          std::this_thread::sleep_for(std::chrono::microseconds(50));
          consumed.insert(consumed.end(), batch.values.begin(), batch.values.end());
          EXPECT_EQ(batch.squares_sum, 0u);  // no worker touched it
          ++done;
        },
        3);
    for (std::uint64_t b = 0; b < 500; ++b) {
      pool.current().values.push_back(b);
      if (b % 2 == 1) {
        ++produced;
        pool.submit();
      }
    }
    ++produced;
    pool.finish();
  }
  ASSERT_EQ(consumed.size(), 500u);
  for (std::size_t i = 0; i < consumed.size(); ++i) ASSERT_EQ(consumed[i], i);
  ASSERT_EQ(consumer_threads.size(), 1u);
  EXPECT_NE(*consumer_threads.begin(), std::this_thread::get_id());
  EXPECT_LE(most_waiting.load(), 4u);  // in_flight, plus the one submit() may count before it waits
}

TEST(OrderedPool, WithoutWorkersAConsumerFailureReachesTheProducer) {
  std::atomic<int> consumed{0};
  prefline::OrderedPool<Numbers> pool([&](Numbers& batch) {
    if (batch.values[0] == 7) throw std::runtime_error("no space left on device");
    ++consumed;
  });
  EXPECT_THROW(
      {
        for (std::uint64_t b = 0; b < 1000; ++b) {
          pool.current().values.push_back(b);
          pool.submit();
        }
        pool.finish();
      },
      std::runtime_error);
  EXPECT_EQ(consumed.load(), 7);
}

TEST(OrderedPool, WithoutWorkersOnAProducerErrorWhatWasProducedIsStillConsumed) {
  std::vector<std::uint64_t> consumed;
  try {
    prefline::OrderedPool<Numbers> pool([&](Numbers& batch) {
      consumed.insert(consumed.end(), batch.values.begin(), batch.values.end());
    });
    for (std::uint64_t b = 0; b < 10; ++b) {
      pool.current().values.push_back(b);
      if (b % 4 == 3) pool.submit();
    }
    throw std::runtime_error("ragged row");  // values 8 and 9 are in the unsubmitted batch
  } catch (const std::runtime_error&) {
  }
  ASSERT_EQ(consumed.size(), 10u);
  for (std::size_t i = 0; i < consumed.size(); ++i) EXPECT_EQ(consumed[i], i);
}

}  // namespace
