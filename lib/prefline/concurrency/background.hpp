// Hands batches of work from the reading thread to one consuming thread (for
// example, formatting and writing output), so a filter uses both cores.
// The order of batches is kept; memory stays bounded (at most `depth` batches
// wait); a failure in the consumer (a write error, a closed pipe) comes back
// to the producer as the same exception.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace prefline {

// Batch: default-constructible, with clear().
template <class Batch>
class BackgroundConsumer {
 public:
  explicit BackgroundConsumer(std::function<void(Batch&)> consume, std::size_t depth = 3)
      : consume_(std::move(consume)), depth_(depth), current_(std::make_unique<Batch>()),
        worker_([this] { run(); }) {}

  BackgroundConsumer(const BackgroundConsumer&) = delete;
  BackgroundConsumer& operator=(const BackgroundConsumer&) = delete;

  // On an error path (the producer throws): what was produced so far is still
  // consumed, so the output ends at the last good record; errors are dropped.
  ~BackgroundConsumer() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(current_));
      done_ = true;
    }
    work_.notify_one();
    worker_.join();
  }

  // The batch the producer fills now.
  Batch& current() { return *current_; }

  // Queues current() and starts a fresh one; waits while `depth` batches are
  // queued. Throws what the consumer threw, if it failed.
  void submit() {
    {
      std::unique_lock lock(mutex_);
      space_.wait(lock, [&] { return pending_.size() < depth_ || error_; });
      if (error_) std::rethrow_exception(error_);
      pending_.push_back(std::move(current_));
      if (spare_.empty()) {
        current_ = std::make_unique<Batch>();
      } else {
        current_ = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    work_.notify_one();
  }

  // Queues the last batch, waits until everything is consumed, and throws what
  // the consumer threw, if it failed.
  void finish() {
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(current_));
      done_ = true;
    }
    work_.notify_one();
    worker_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void run() {
    for (;;) {
      std::unique_ptr<Batch> batch;
      {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [&] { return !pending_.empty() || done_; });
        if (pending_.empty()) return;
        batch = std::move(pending_.front());
        pending_.pop_front();
      }
      if (!failed_) {
        try {
          consume_(*batch);
        } catch (...) {
          std::lock_guard lock(mutex_);
          error_ = std::current_exception();
          failed_ = true;
        }
      }
      batch->clear();
      {
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(batch));
      }
      space_.notify_one();
    }
  }

  std::function<void(Batch&)> consume_;
  std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable work_;   // the consumer waits for batches
  std::condition_variable space_;  // the producer waits for room
  std::deque<std::unique_ptr<Batch>> pending_;
  std::vector<std::unique_ptr<Batch>> spare_;
  std::unique_ptr<Batch> current_;
  bool done_ = false;
  bool failed_ = false;  // only touched by the consumer thread
  std::exception_ptr error_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace prefline
