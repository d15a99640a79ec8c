// What a generate run did, counted by its workers and written as the
// --stats JSON: calls and cache hits, retries and failures by cause, replies
// rejected by each filter, duplicates, leaks, tokens and cost per model,
// wall time and requests per second.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"

namespace prefline::generate {

// Dollars per million tokens (--price NAME=IN/OUT).
struct Price {
  double input = 0, output = 0;
};

struct ModelCounts {
  std::atomic<std::uint64_t> calls{0}, requests{0}, cache_hits{0}, failures{0};
  std::atomic<std::uint64_t> prompt_tokens{0}, completion_tokens{0};  // of the calls made by this run
};

class RunStats {
 public:
  explicit RunStats(std::size_t models) : models_(models) {}

  ModelCounts& model(std::size_t m) { return models_[m]; }

  // A call this run made (not a cache hit): its requests, retries by cause,
  // its failure, its tokens.
  void count_call(std::size_t m, const llm::ChatResult& result) {
    ModelCounts& counts = models_[m];
    ++counts.calls;
    counts.requests += static_cast<std::uint64_t>(result.attempts);
    if (result.usage) {
      counts.prompt_tokens += static_cast<std::uint64_t>(result.usage->prompt_tokens);
      counts.completion_tokens += static_cast<std::uint64_t>(result.usage->completion_tokens);
    }
    std::lock_guard lock(mutex_);
    for (std::string_view cause : result.retry_causes) ++retries_[std::string(cause)];
    if (!result.ok) {
      ++counts.failures;
      ++failures_[std::string(result.failure_cause.empty() ? "other" : result.failure_cause)];
    }
  }
  void count_cache_hit(std::size_t m) { ++models_[m].cache_hits; }
  // A reply a filter rejected (asked again, or finally rejected).
  void count_filtered(std::string_view rule) {
    std::lock_guard lock(mutex_);
    ++filtered_[std::string(rule)];
  }

  // Counted by the writing thread.
  std::uint64_t prompts = 0, answers = 0, rejected = 0, failed = 0, duplicates = 0, leaks = 0;
  std::atomic<std::uint64_t> asked_again{0};  // requests made because a reply was rejected or a duplicate

  std::uint64_t requests() const {
    std::uint64_t total = 0;
    for (const auto& counts : models_) total += counts.requests;
    return total;
  }
  std::uint64_t tokens() const {
    std::uint64_t total = 0;
    for (const auto& counts : models_) total += counts.prompt_tokens + counts.completion_tokens;
    return total;
  }

  // `names` / `models`: the endpoints' names and model ids; prices by name.
  void write(JsonWriter& json, const std::vector<std::string>& names, const std::vector<std::string>& model_ids,
             const std::map<std::string, Price>& prices, double seconds) const {
    std::lock_guard lock(mutex_);
    json.begin_object();
    json.key("prompts").integer(static_cast<std::int64_t>(prompts));
    json.key("answers").integer(static_cast<std::int64_t>(answers));
    json.key("rejected").integer(static_cast<std::int64_t>(rejected));
    json.key("failed").integer(static_cast<std::int64_t>(failed));
    json.key("duplicates").integer(static_cast<std::int64_t>(duplicates));
    json.key("leaks").integer(static_cast<std::int64_t>(leaks));
    std::uint64_t calls = 0, hits = 0;
    for (const auto& counts : models_) {
      calls += counts.calls;
      hits += counts.cache_hits;
    }
    json.key("calls").integer(static_cast<std::int64_t>(calls));
    json.key("requests").integer(static_cast<std::int64_t>(requests()));
    json.key("cache_hits").integer(static_cast<std::int64_t>(hits));
    json.key("asked_again").integer(static_cast<std::int64_t>(asked_again.load()));
    write_counts(json, "retries", retries_);
    write_counts(json, "failures", failures_);
    write_counts(json, "filtered", filtered_);
    json.key("models").begin_object();
    std::optional<double> total_cost = prices.empty() ? std::nullopt : std::optional<double>(0.0);
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const ModelCounts& counts = models_[m];
      json.key(names[m]).begin_object();
      json.key("model").string(model_ids[m]);
      json.key("calls").integer(static_cast<std::int64_t>(counts.calls.load()));
      json.key("requests").integer(static_cast<std::int64_t>(counts.requests.load()));
      json.key("cache_hits").integer(static_cast<std::int64_t>(counts.cache_hits.load()));
      json.key("failures").integer(static_cast<std::int64_t>(counts.failures.load()));
      json.key("prompt_tokens").integer(static_cast<std::int64_t>(counts.prompt_tokens.load()));
      json.key("completion_tokens").integer(static_cast<std::int64_t>(counts.completion_tokens.load()));
      json.key("cost");
      if (const auto price = prices.find(names[m]); price != prices.end()) {
        const double cost = (static_cast<double>(counts.prompt_tokens) * price->second.input +
                             static_cast<double>(counts.completion_tokens) * price->second.output) /
                            1e6;
        json.number(cost);
        if (total_cost) *total_cost += cost;
      } else {
        json.null();
      }
      json.end_object();
    }
    json.end_object();
    json.key("cost");
    total_cost ? json.number(*total_cost) : json.null();
    json.key("wall_seconds").number(seconds);
    json.key("requests_per_second").number(seconds > 0 ? static_cast<double>(requests()) / seconds : 0);
    json.end_object();
    json.end_record();
  }

 private:
  static void write_counts(JsonWriter& json, std::string_view name, const std::map<std::string, std::uint64_t>& counts) {
    std::uint64_t total = 0;
    for (const auto& [cause, count] : counts) total += count;
    json.key(name).begin_object();
    json.key("total").integer(static_cast<std::int64_t>(total));
    for (const auto& [cause, count] : counts) json.key(cause).integer(static_cast<std::int64_t>(count));
    json.end_object();
  }

  std::vector<ModelCounts> models_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> retries_, failures_, filtered_;
};

}  // namespace prefline::generate
