// generate's options as parsed from the command line, and the settings made
// from them (every option checked before any input is read: a usage error
// exits 2).
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

namespace prefline::generate {

namespace gen = ::prefline::generate;
namespace field = ::prefline::schema::generation;
inline constexpr std::string_view tool_name = "generate";

struct Options {
  prefline::CommonOptions common;
  std::string messages = "messages";
  std::string prompt = "prompt";
  std::string template_file, system_file, system_template_file, key;
  std::vector<std::string> model_specs;
  std::string models_file;
  std::string only;
  int samples = 1;
  std::string temperatures = "1.0";
  std::optional<double> top_p;
  std::optional<int> max_tokens;
  std::uint64_t seed = 0;
  std::string as = "response";
  std::string generation_field = "generation";
  std::string model_field;
  bool files = false;
  bool overwrite = false;
  bool strip_thinking = false;
  std::vector<std::string> reject_regex;
  std::optional<std::size_t> min_chars, max_chars;
  bool require_json = false;
  int filter_retries = 2;
  bool distinct = false;
  std::string leak_check;
  int leak_ngram = 12;
  int concurrency = 16;
  int window = 1024;
  bool unordered = false;
  double timeout = 120;
  int max_retries = 6;
  double retry_base = 0.5;
  std::string cache;
  std::string emit_batch, from_batch;
  std::string stats;
  std::vector<std::string> prices;
};

struct Settings {
  gen::Grid grid;
  std::vector<gen::Cell> cells;
  gen::PromptFields fields;
  std::optional<gen::Template> user_template, system_template;
  gen::ReplyFilter filter;
  std::optional<gen::LeakCheck> leak;
  llm::RetryPolicy retry;
  std::map<std::string, gen::Price> prices;
};

// A template file's text, without the one line end an editor puts at its end.
inline std::string read_text_file(std::string_view option, const std::string& path) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text))
    throw prefline::UsageError(fmt::format("{}: cannot read '{}'", option, path));
  std::string_view view(text.data(), text.size());
  if (view.ends_with("\r\n")) view.remove_suffix(2);
  else if (view.ends_with('\n')) view.remove_suffix(1);
  return std::string(view);
}

inline gen::Price parse_price(const std::string& spec, const std::vector<llm::Endpoint>& models, std::string& name) {
  const std::size_t equals = spec.find('='), slash = spec.find('/', equals == std::string::npos ? 0 : equals);
  if (equals == std::string::npos || slash == std::string::npos || equals == 0)
    throw prefline::UsageError(fmt::format("--price: expected NAME=IN/OUT (dollars per million tokens), got '{}'", spec));
  name = spec.substr(0, equals);
  if (std::none_of(models.begin(), models.end(), [&](const llm::Endpoint& m) { return m.name == name; }))
    throw prefline::UsageError(fmt::format("--price: no model is named '{}'", name));
  gen::Price price{prefline::parse_number("--price", std::string_view(spec).substr(equals + 1, slash - equals - 1)),
                   prefline::parse_number("--price", std::string_view(spec).substr(slash + 1))};
  if (price.input < 0 || price.output < 0) throw prefline::UsageError("--price: prices must be >= 0");
  return price;
}

// Every option checked before any input is read (usage errors exit 2).
inline Settings make_settings(const Options& options) {
  prefline::CommonOptions common = options.common;
  if (!common.skip_invalid) common.rejects.clear();  // --rejects also takes rejected answers: no --skip-invalid needed
  prefline::check_common_options(common);
  if (!options.common.rejects.empty() && options.common.rejects == options.common.output)
    throw prefline::UsageError(fmt::format("--rejects and --output name the same file '{}'", options.common.output));
  Settings settings;
  gen::Grid& grid = settings.grid;
  const llm::EndpointListNames names{"--models", "model"};
  if (!options.models_file.empty()) grid.models = llm::read_endpoint_file(options.models_file, names);
  if (!options.only.empty()) {
    if (options.models_file.empty()) throw prefline::UsageError("--only picks models of --models FILE: give it one");
    std::vector<llm::Endpoint> picked;
    for (const auto& name : prefline::parse_name_list("--only", options.only)) {
      const auto found = std::find_if(grid.models.begin(), grid.models.end(),
                                      [&](const llm::Endpoint& model) { return model.name == name; });
      if (found == grid.models.end()) {
        std::string known;
        for (const auto& model : grid.models) known += (known.empty() ? "" : ", ") + model.name;
        throw prefline::UsageError(
            fmt::format("--only: '{}' has no model named '{}' (it has {})", options.models_file, name, known));
      }
      picked.push_back(*found);
    }
    grid.models = std::move(picked);
  }
  for (const auto& spec : options.model_specs) grid.models.push_back(llm::parse_endpoint_spec(spec, "--model"));
  if (grid.models.empty())
    throw prefline::UsageError("no model: give --model NAME=URL#MODEL (repeatable) or --models FILE");
  llm::check_unique_names(grid.models, "model");
  for (auto& model : grid.models)
    if (options.max_tokens) model.max_tokens = *options.max_tokens;
  if (options.max_tokens && *options.max_tokens < 1) throw prefline::UsageError("--max-tokens must be 1 or more");
  if (options.samples < 1) throw prefline::UsageError("--samples must be 1 or more");
  grid.samples = static_cast<std::size_t>(options.samples);
  grid.temperatures = prefline::parse_number_list("--temperature", options.temperatures);
  if (grid.temperatures.empty()) throw prefline::UsageError("--temperature needs at least one value");
  for (std::size_t i = 0; i < grid.temperatures.size(); ++i) {
    if (grid.temperatures[i] < 0 || grid.temperatures[i] > 2)
      throw prefline::UsageError(fmt::format("--temperature: {} is outside 0..2", grid.temperatures[i]));
    for (std::size_t j = 0; j < i; ++j)
      if (grid.temperatures[i] == grid.temperatures[j])
        throw prefline::UsageError(fmt::format("--temperature: {} is given twice", grid.temperatures[i]));
  }
  if (options.top_p && !(*options.top_p > 0 && *options.top_p <= 1))
    throw prefline::UsageError("--top-p must be in (0, 1]");
  if (!options.system_file.empty() && !options.system_template_file.empty())
    throw prefline::UsageError("--system and --system-template exclude each other");
  if (!options.system_file.empty()) grid.systems = gen::read_system_file(options.system_file);
  if (!options.template_file.empty())
    settings.user_template = gen::Template::parse(read_text_file("--template", options.template_file), options.template_file);
  if (!options.system_template_file.empty())
    settings.system_template = gen::Template::parse(read_text_file("--system-template", options.system_template_file),
                                                    options.system_template_file);
  settings.cells = grid.cells();

  if (options.as.empty() || options.generation_field.empty() || options.as == options.generation_field)
    throw prefline::UsageError("--as and --generation-field must name two different fields");
  settings.fields.messages = options.messages;
  settings.fields.prompt = options.prompt;
  if (!options.key.empty()) settings.fields.key = prefline::parse_name_list("--key", options.key);
  settings.fields.leak = options.leak_check;
  settings.fields.answer = options.as;
  settings.fields.generation = options.generation_field;
  settings.fields.model_field = options.model_field;
  if (!options.model_field.empty() &&
      (options.model_field == options.as || options.model_field == options.generation_field))
    throw prefline::UsageError("--model-field must differ from --as and --generation-field");
  settings.fields.overwrite = options.overwrite;

  for (const auto& pattern : options.reject_regex) settings.filter.add_reject_regex(pattern);
  if (options.min_chars) settings.filter.set_min_chars(*options.min_chars);
  if (options.max_chars) settings.filter.set_max_chars(*options.max_chars);
  if (options.min_chars && options.max_chars && *options.min_chars > *options.max_chars)
    throw prefline::UsageError("--min-chars is larger than --max-chars: every reply would be rejected");
  settings.filter.set_require_json(options.require_json);
  if (options.filter_retries < 0) throw prefline::UsageError("--filter-retries must be 0 or more");
  if (options.leak_ngram < 1) throw prefline::UsageError("--leak-ngram must be 1 or more");
  if (!options.leak_check.empty()) settings.leak.emplace(static_cast<std::size_t>(options.leak_ngram));

  if (options.concurrency < 1 || options.concurrency > 4096) throw prefline::UsageError("--concurrency must be 1 to 4096");
  if (options.window < 1) throw prefline::UsageError("--window must be 1 or more");
  if (!(options.timeout > 0)) throw prefline::UsageError("--timeout must be > 0");
  if (options.max_retries < 0) throw prefline::UsageError("--max-retries must be 0 or more");
  if (!(options.retry_base >= 0)) throw prefline::UsageError("--retry-base must be >= 0");
  settings.retry = {options.max_retries, options.retry_base, 30, options.timeout, options.seed};

  if (!options.emit_batch.empty() && !options.from_batch.empty())
    throw prefline::UsageError("--emit-batch and --from-batch exclude each other (emit, run the batch, then read it)");
  if (!options.emit_batch.empty() || !options.from_batch.empty()) {
    for (const auto& model : grid.models)
      if (model.is_command())
        throw prefline::UsageError(fmt::format("model '{}' is a command: batch files are for HTTP endpoints", model.name));
    if (options.distinct)
      throw prefline::UsageError("--distinct asks again for duplicates, which a batch cannot: mark them instead");
    if (!options.cache.empty()) throw prefline::UsageError("--cache has no use with a batch file");
  }
  for (const auto& spec : options.prices) {
    std::string name;
    const gen::Price price = parse_price(spec, grid.models, name);
    if (!settings.prices.emplace(name, price).second)
      throw prefline::UsageError(fmt::format("--price: model '{}' is priced twice", name));
  }
  return settings;
}

}  // namespace prefline::generate
