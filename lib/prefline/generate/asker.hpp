// Asking for generate's answers: per model a slot count and a rate limiter,
// per worker a client; each answer's tries until the filters accept one,
// from the cache, the batch output or a call.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/concurrency/call_window.hpp"
#include "prefline/generate/batch.hpp"
#include "prefline/generate/fenced_files.hpp"
#include "prefline/generate/grid.hpp"
#include "prefline/generate/leak_check.hpp"
#include "prefline/generate/normalise.hpp"
#include "prefline/generate/prompt_record.hpp"
#include "prefline/generate/reply_filter.hpp"
#include "prefline/generate/run_stats.hpp"
#include "prefline/generate/template.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"
#include "prefline/llm/chat_request.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/llm/rate_limiter.hpp"
#include "prefline/llm/reply_cache.hpp"
#include "prefline/llm/retry_policy.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/thinking.hpp"

#include "prefline/generate/prompt_job.hpp"

namespace prefline::generate {

namespace gen = ::prefline::generate;
namespace field = ::prefline::schema::generation;

// ---------------------------------------------------------------------------
// Asking: per model, a slot count and a rate limiter; per worker, a client.

struct ModelGate {
  ModelGate(const llm::Endpoint& model, int default_slots)
      : slots(model.concurrency > 0 ? model.concurrency : default_slots), limiter(model.rpm, model.tpm) {}
  std::counting_semaphore<4096> slots;
  llm::RateLimiter limiter;
};

class Asker {
 public:
  Asker(const Options& options, const Settings& settings, gen::RunStats& stats)
      : options_(options), settings_(settings), stats_(stats),
        cache_(options.cache, llm::ReplyCache::Format::reply_json) {
    for (const auto& model : settings.grid.models)
      gates_.push_back(std::make_unique<ModelGate>(model, options.concurrency));
    if (!options.from_batch.empty()) batch_.load(options.from_batch);
  }

  int in_flight() const { return in_flight_.load(); }

  // Task `task` of a prompt: the answer prompt.pending[task], or with
  // --distinct the samples of cell `task` in turn.
  void run(llm::ChatClient& client, Prompt& prompt, std::size_t task) {
    const std::size_t samples = settings_.grid.samples;
    if (!options_.distinct) {
      const std::size_t index = prompt.pending[task];
      answer(&client, prompt, index / samples, index % samples);
      return;
    }
    for (std::size_t s = 0; s < samples; ++s) answer(&client, prompt, task, s);
  }

  // On the reading thread, before any worker: the answers whose every try
  // is in the cache (or the batch output) are made here, without a call and
  // without a hand-over to a worker (a fully cached rerun is then one
  // thread's loop); the others are left in prompt.pending for the workers.
  void answer_known(Prompt& prompt) {
    prompt.pending.clear();
    const std::size_t samples = settings_.grid.samples;
    const bool inline_possible = !options_.distinct && (cache_.enabled() || !options_.from_batch.empty());
    for (std::size_t i = 0; i < prompt.answers.size(); ++i)
      if (!inline_possible || !answer(nullptr, prompt, i / samples, i % samples)) prompt.pending.push_back(i);
  }

 private:
  // What one answer's tries did, counted only once the answer is made.
  struct Tally {
    std::size_t cache_hits = 0;
    std::uint64_t asked_again = 0;
    std::vector<std::string> filtered;
    std::vector<llm::ChatResult> batch_results;
  };

  // One answer: its tries until the filters accept one. Without a client
  // (the reading thread), only from the cache or the batch output: false,
  // and nothing changed, when a try would need a call.
  bool answer(llm::ChatClient* client, Prompt& prompt, std::size_t c, std::size_t sample) {
    const gen::Cell& cell = settings_.cells[c];
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    Answer out;
    Tally tally;
    const int tries = options_.from_batch.empty() ? options_.filter_retries + 1 : 1;
    int requests = 0;
    for (int attempt = 0; attempt < tries; ++attempt) {
      if (attempt > 0) ++tally.asked_again;
      out.seed = gen::request_seed(prompt.record.key, model.name, settings_.grid.systems[cell.system].name,
                                   cell.temperature, sample, attempt, options_.seed);
      const llm::ChatRequest request = make_request(settings_, prompt, cell, out.seed);
      std::optional<llm::ChatResult> reply = call(client, prompt, cell, sample, request, tally);
      if (!reply) return false;
      out.reply = std::move(*reply);
      requests += out.reply.attempts;
      if (!out.reply.ok) break;
      out.text = options_.strip_thinking ? trimmed(prefline::strip_thinking(out.reply.text)) : out.reply.text;
      out.rejected = check(out);
      if (!out.rejected && options_.distinct) {
        const std::string mine = gen::normalise_whitespace(out.text);
        for (std::size_t s = 0; s < sample && !out.rejected; ++s) {
          const Answer& earlier = prompt.answers[c * settings_.grid.samples + s];
          if (earlier.reply.ok && !earlier.rejected && gen::normalise_whitespace(earlier.text) == mine)
            out.rejected = gen::Rejection{"duplicate", fmt::format("the same as sample {}", s)};
        }
        if (out.rejected && attempt + 1 == tries) out.rejected.reset();  // kept, marked duplicate_of when written
      }
      if (!out.rejected) break;
      tally.filtered.push_back(out.rejected->rule);
    }
    out.reply.attempts = requests;
    if (out.reply.ok && !out.rejected && settings_.leak)
      out.leak = settings_.leak->find(prompt.record.reference, out.text).has_value();
    for (std::size_t h = 0; h < tally.cache_hits; ++h) stats_.count_cache_hit(cell.model);
    for (const auto& result : tally.batch_results) stats_.count_call(cell.model, result);
    for (const auto& rule : tally.filtered) stats_.count_filtered(rule);
    stats_.asked_again += tally.asked_again;
    prompt.answers[c * settings_.grid.samples + sample] = std::move(out);
    return true;
  }

  std::optional<gen::Rejection> check(Answer& out) const {
    if (auto rejection = settings_.filter.check(out.text)) return rejection;
    if (options_.files) {
      std::string error;
      out.files.clear();
      if (!gen::parse_fenced_files(out.text, out.files, error) || out.files.empty())
        return gen::Rejection{"files", error.empty() ? "no **name** line followed by a fenced code block" : error};
    }
    return std::nullopt;
  }

  static std::string trimmed(std::string text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    const std::size_t end = text.find_last_not_of(" \t\r\n");
    return text.substr(start, end - start + 1);
  }

  // The reply of one try: from the batch output, the cache, or (with a
  // client) a call; nullopt when there is no client and the cache lacks it.
  std::optional<llm::ChatResult> call(llm::ChatClient* client, const Prompt& prompt, const gen::Cell& cell,
                                      std::size_t sample, const llm::ChatRequest& request, Tally& tally) {
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    if (!options_.from_batch.empty()) {
      llm::ChatResult result = batch_.result(gen::custom_id(prompt.number, settings_.grid, cell, sample));
      tally.batch_results.push_back(result);
      return result;
    }
    std::string key;
    if (cache_.enabled()) {
      key = llm::ReplyCache::key_for_body(llm::request_body(model.model, request), sample);
      if (std::optional<llm::ChatResult> hit = cache_.find(key)) {
        ++tally.cache_hits;
        return hit;
      }
    }
    if (client == nullptr) return std::nullopt;
    ModelGate& gate = *gates_[cell.model];
    gate.slots.acquire();
    ++in_flight_;
    std::int64_t reserved = 0;
    auto before_attempt = [&] {
      if (!gate.limiter.limited()) return;
      std::int64_t tokens = request.max_tokens;
      for (const auto& message : request.messages) tokens += static_cast<std::int64_t>(message.content.size() / 4);
      gate.limiter.acquire(tokens);
      reserved += tokens;
    };
    llm::ChatResult result =
        client->complete(model, request, settings_.retry, request.seed.value_or(0) * 64 + sample, before_attempt);
    --in_flight_;
    gate.slots.release();
    if (gate.limiter.limited() && result.usage)
      gate.limiter.settle(reserved, result.usage->prompt_tokens + result.usage->completion_tokens);
    stats_.count_call(cell.model, result);
    if (result.ok && cache_.enabled()) cache_.store(key, result);
    return result;
  }

  const Options& options_;
  const Settings& settings_;
  gen::RunStats& stats_;
  llm::ReplyCache cache_;
  gen::BatchAnswers batch_;
  std::vector<std::unique_ptr<ModelGate>> gates_;
  std::atomic<int> in_flight_{0};
};


}  // namespace prefline::generate
