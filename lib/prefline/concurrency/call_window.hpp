// Slow calls (an LLM's replies) made by N workers while results leave in
// input order: items enter one after the other, each with its number of
// tasks; workers run the tasks in the order they were queued; the caller's
// thread releases finished items from the front, and waits while `window`
// items are in flight, so memory stays bounded whatever the latency. With
// Order::completion, items leave as soon as their tasks are done, in the
// order they finished (a slow item then holds no other back). A task that
// throws stops the work; the exception comes back to the caller.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace prefline {

template <class Item>
class CallWindow {
 public:
  // work(item, task number, worker number) runs on the workers; release(item)
  // on the caller's thread (inside push and finish), in input order.
  using Work = std::function<void(Item&, std::size_t task, std::size_t worker)>;
  using Release = std::function<void(Item&)>;
  enum class Order { input, completion };

  CallWindow(std::size_t workers, std::size_t window, Work work, Release release, Order order = Order::input)
      : window_(window < 1 ? 1 : window), order_(order), work_(std::move(work)), release_(std::move(release)) {
    try {
      for (std::size_t w = 0; w < workers; ++w) workers_.emplace_back([this, w] { work_loop(w); });
    } catch (...) {
      stop();
      throw;
    }
  }
  CallWindow(const CallWindow&) = delete;
  CallWindow& operator=(const CallWindow&) = delete;
  // Items not released yet are dropped (an error path).
  ~CallWindow() { stop(); }

  // Queues the item's tasks (none: it is ready at once), then releases the
  // finished items at the front; while `window` items are held, waits for
  // the front one.
  void push(std::unique_ptr<Item> item, std::size_t tasks) {
    {
      std::lock_guard lock(mutex_);
      rethrow_locked();
      held_.push_back(std::make_unique<Entry>(Entry{std::move(item), tasks, {}}));
      Entry* entry = held_.back().get();
      entry->self = std::prev(held_.end());
      if (tasks == 0 && order_ == Order::completion) finished_.push_back(entry);
      for (std::size_t t = 0; t < tasks; ++t) queue_.push_back({entry, t});
    }
    // One task wakes one worker (waking them all for each would cost every
    // worker a futex call per task: most of a fast run's time).
    if (tasks == 1) work_ready_.notify_one();
    else if (tasks > 1) work_ready_.notify_all();
    drain(false);
  }

  // Waits for every task and releases every item.
  void finish() { drain(true); }

  // Items held now (pushed, not yet released).
  std::size_t held() const {
    std::lock_guard lock(mutex_);
    return held_.size();
  }

 private:
  struct Entry {
    std::unique_ptr<Item> item;
    std::size_t pending;
    typename std::list<std::unique_ptr<Entry>>::iterator self;  // its place in held_
  };
  struct Task {
    Entry* entry;
    std::size_t task;
  };

  void drain(bool all) {
    if (order_ == Order::completion) return drain_finished(all);
    for (;;) {
      std::unique_ptr<Entry> entry;
      {
        std::unique_lock lock(mutex_);
        rethrow_locked();
        if (held_.empty()) return;
        if (held_.front()->pending > 0) {
          if (!all && held_.size() < window_) return;
          done_.wait(lock, [&] { return held_.front()->pending == 0 || error_; });
          rethrow_locked();
        }
        entry = std::move(held_.front());
        held_.pop_front();
      }
      release_(*entry->item);
    }
  }

  // Completion order: the finished items, as they finished.
  void drain_finished(bool all) {
    for (;;) {
      std::unique_ptr<Entry> entry;
      {
        std::unique_lock lock(mutex_);
        rethrow_locked();
        if (held_.empty()) return;
        if (finished_.empty()) {
          if (!all && held_.size() < window_) return;
          done_.wait(lock, [&] { return !finished_.empty() || error_; });
          rethrow_locked();
        }
        Entry* ready = finished_.front();
        finished_.pop_front();
        entry = std::move(*ready->self);
        held_.erase(ready->self);
      }
      release_(*entry->item);
    }
  }

  void rethrow_locked() {
    if (error_) std::rethrow_exception(error_);
  }

  void work_loop(std::size_t worker) {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        task = queue_.front();
        queue_.pop_front();
      }
      try {
        work_(*task.entry->item, task.task, worker);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
        stopping_ = true;
        work_ready_.notify_all();
        done_.notify_all();
        return;
      }
      {
        std::lock_guard lock(mutex_);
        if (--task.entry->pending == 0 && order_ == Order::completion) finished_.push_back(task.entry);
      }
      done_.notify_all();
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_)
      if (worker.joinable()) worker.join();
    workers_.clear();
  }

  const std::size_t window_;
  const Order order_;
  Work work_;
  Release release_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_, done_;
  std::list<std::unique_ptr<Entry>> held_;
  std::deque<Entry*> finished_;  // Order::completion: done, not yet released
  std::deque<Task> queue_;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace prefline
