// One prompt record in flight through generate and its answers (cells x
// samples, in grid order), and the request of one answer's try.
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

#include "prefline/generate/settings.hpp"

namespace prefline::generate {

namespace gen = ::prefline::generate;
namespace field = ::prefline::schema::generation;

// ---------------------------------------------------------------------------
// One prompt record in flight and its answers (cells x samples, in grid order).

struct Answer {
  llm::ChatResult reply;  // of the last call; reply.attempts: requests sent for this answer
  std::string text;       // after --strip-thinking
  std::vector<gen::FencedFile> files;
  std::uint64_t seed = 0;
  std::optional<gen::Rejection> rejected;
  int duplicate_of = -1;
  bool leak = false;
};

struct Prompt {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t number = 0;  // from 1, over all inputs (batch custom_ids)
  simdjson::padded_string text;
  gen::PromptRecord record;
  std::string system;  // from --system-template
  std::vector<Answer> answers;
  std::vector<std::size_t> pending;  // answers left to the workers (the others were in the cache)
  std::string bad;
};

// The request of one answer's try.
inline llm::ChatRequest make_request(const Settings& settings, const Prompt& prompt, const gen::Cell& cell, std::uint64_t seed) {
  const llm::Endpoint& model = settings.grid.models[cell.model];
  llm::ChatRequest request;
  const std::string& variant = settings.grid.systems[cell.system].text;
  const std::string& system = settings.system_template ? prompt.system : variant;
  const bool replace_system = !system.empty();
  if (replace_system) request.messages.push_back({"system", system});
  for (const auto& message : prompt.record.messages)
    if (!(replace_system && message.role == "system")) request.messages.push_back(message);
  request.max_tokens = model.max_tokens;
  request.temperature = cell.temperature;
  request.top_p = model.top_p;
  request.seed = seed;
  request.extra_body = model.extra_body;
  return request;
}


}  // namespace prefline::generate
