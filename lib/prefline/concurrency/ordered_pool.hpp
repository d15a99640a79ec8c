// Work on batches in parallel, results in input order: the producer fills
// batches one after the other; `workers` threads each take a whole batch and
// work on it (for example, parsing its records); one more thread consumes
// the worked batches strictly in the order they were produced (for example,
// numbering, scoring and writing them). At most `in_flight` batches exist at
// once, so memory stays bounded; a failure in a worker or in the consumer
// comes back to the producer as the same exception, and nothing after the
// failing batch is consumed. With no workers it is a background consumer:
// the producer's batches go straight to the consuming thread (csv2jsonl reads
// and splits rows on one core while the other formats and writes them).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace prefline {

// How many workers a tool starts to parse: one per core but one (the
// reading thread and the consuming thread share it), at least 1, at most 8.
inline std::size_t parse_workers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 2 ? std::min<std::size_t>(cores - 1, 8) : 1 + (cores == 2);
}

// Batch: default-constructible, with clear().
template <class Batch>
class OrderedPool {
 public:
  // work(batch, worker number) runs on the worker threads, consume(batch) on
  // the consuming thread, in production order.
  OrderedPool(std::size_t workers, std::function<void(Batch&, std::size_t)> work,
              std::function<void(Batch&)> consume, std::size_t in_flight = 0)
      : work_(std::move(work)), consume_(std::move(consume)),
        in_flight_(in_flight != 0 ? in_flight : 2 * workers + 2), current_(std::make_unique<Batch>()) {
    try {
      for (std::size_t w = 0; w < workers; ++w) workers_.emplace_back([this, w] { work_loop(w); });
      consumer_ = std::thread([this] { consume_loop(); });
    } catch (...) {
      stop_all();
      throw;
    }
  }

  // No workers: consume(batch) runs on the consuming thread, in production
  // order, while the producer fills the next batches.
  explicit OrderedPool(std::function<void(Batch&)> consume, std::size_t in_flight = 4)
      : OrderedPool(0, nullptr, std::move(consume), in_flight) {}

  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  // On an error path (the producer throws): what was produced so far is still
  // worked on and consumed, so the output ends where the input stopped;
  // errors are dropped.
  ~OrderedPool() {
    if (consumer_.joinable()) {
      try {
        submit_last();
      } catch (...) {
      }
    }
    stop_all();
  }

  // The batch the producer fills now.
  Batch& current() { return *current_; }

  // Queues current() and starts a fresh one; waits while `in_flight` batches
  // are on their way. Throws what a worker or the consumer threw, if one failed.
  void submit() {
    std::unique_lock lock(mutex_);
    if (error_) std::rethrow_exception(error_);
    queue_current();
    space_.wait(lock, [&] { return slots_.size() < in_flight_ || error_; });
    if (error_) std::rethrow_exception(error_);
    if (spare_.empty()) {
      current_ = std::make_unique<Batch>();
    } else {
      current_ = std::move(spare_.back());
      spare_.pop_back();
    }
  }

  // Queues the last batch, waits until everything is consumed, and throws
  // what a worker or the consumer threw, if one failed.
  void finish() {
    submit_last();
    stop_all();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct Slot {
    std::unique_ptr<Batch> batch;
    enum class State { queued, working, worked } state;
  };

  void submit_last() {
    std::unique_lock lock(mutex_);
    if (!done_) {
      queue_current();
      done_ = true;
      work_ready_.notify_all();
    }
    // Everything is consumed once no slot is left (or a failure stops it all).
    space_.wait(lock, [&] { return slots_.empty() || error_; });
  }

  // With the lock held.
  void queue_current() {
    if (workers_.empty()) {
      slots_.push_back({std::move(current_), Slot::State::worked});
      worked_.notify_one();
    } else {
      slots_.push_back({std::move(current_), Slot::State::queued});
      work_ready_.notify_one();
    }
  }

  void stop_all() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    worked_.notify_all();
    for (auto& worker : workers_)
      if (worker.joinable()) worker.join();
    if (consumer_.joinable()) consumer_.join();
  }

  void fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    space_.notify_all();
    worked_.notify_all();
    work_ready_.notify_all();
  }

  void work_loop(std::size_t worker) {
    for (;;) {
      Slot* slot = nullptr;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] {
          if (stopping_ || error_) return true;
          for (auto& s : slots_)
            if (s.state == Slot::State::queued) return true;
          return false;
        });
        if (stopping_ || error_) return;
        for (auto& s : slots_)
          if (s.state == Slot::State::queued) {
            slot = &s;  // deque elements stay put: only the consumer pops, and only worked slots
            break;
          }
        slot->state = Slot::State::working;
      }
      try {
        work_(*slot->batch, worker);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard lock(mutex_);
        slot->state = Slot::State::worked;
      }
      worked_.notify_one();
    }
  }

  void consume_loop() {
    for (;;) {
      std::unique_ptr<Batch> batch;
      {
        std::unique_lock lock(mutex_);
        worked_.wait(lock, [&] {
          return stopping_ || error_ || (!slots_.empty() && slots_.front().state == Slot::State::worked);
        });
        if (error_ || slots_.empty() || slots_.front().state != Slot::State::worked) return;
        batch = std::move(slots_.front().batch);
      }
      try {
        consume_(*batch);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      batch->clear();
      {
        std::lock_guard lock(mutex_);
        slots_.pop_front();
        spare_.push_back(std::move(batch));
      }
      space_.notify_all();
    }
  }

  std::function<void(Batch&, std::size_t)> work_;
  std::function<void(Batch&)> consume_;
  const std::size_t in_flight_;
  std::mutex mutex_;
  std::condition_variable work_ready_;  // workers wait for a queued batch
  std::condition_variable worked_;      // the consumer waits for the front batch
  std::condition_variable space_;       // the producer waits for room, or for the end
  std::deque<Slot> slots_;              // in production order
  std::vector<std::unique_ptr<Batch>> spare_;
  std::unique_ptr<Batch> current_;
  bool done_ = false;      // the last batch is queued
  bool stopping_ = false;  // the threads are to end
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
  std::thread consumer_;
};

}  // namespace prefline
