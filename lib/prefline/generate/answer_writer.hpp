// Writing generate's answers: records in input (or completion) order, each
// answer spliced into its prompt record's bytes; rejected answers and failed
// calls to --rejects; the statistics and the summary line.
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
// Writing: records in input (or completion) order, each answer spliced into
// its prompt record's bytes; rejected answers and failed calls to --rejects.

class AnswerWriter {
 public:
  AnswerWriter(const Options& options, const Settings& settings, gen::RunStats& stats)
      : options_(options), settings_(settings), stats_(stats) {
    if (options.emit_batch.empty()) out_ = &outputs_.add(options.common.output);
    else out_ = &outputs_.add(options.emit_batch);
    if (!options.common.rejects.empty()) rejects_ = &outputs_.add(options.common.rejects);
    bad_.emplace(options.common, rejects_ != nullptr ? *rejects_ : no_rejects_);
    if (!options.stats.empty()) stats_file_ = &outputs_.add(options.stats);
  }

  void bad(const Prompt& prompt) {
    bad_->handle(prompt.file, prompt.line, prompt.bad, std::string_view(prompt.text.data(), prompt.text.size()));
  }

  // --emit-batch: the requests of a record, no calls.
  void emit(const Prompt& prompt) {
    for (std::size_t c = 0; c < settings_.cells.size(); ++c) {
      const gen::Cell& cell = settings_.cells[c];
      const llm::Endpoint& model = settings_.grid.models[cell.model];
      for (std::size_t s = 0; s < settings_.grid.samples; ++s) {
        const std::uint64_t seed = gen::request_seed(prompt.record.key, model.name,
                                                     settings_.grid.systems[cell.system].name, cell.temperature, s, 0,
                                                     options_.seed);
        gen::append_batch_request(out_->buffer(), gen::custom_id(prompt.number, settings_.grid, cell, s),
                                  llm::request_body(model.model, make_request(settings_, prompt, cell, seed)));
        ++emitted_;
      }
    }
    out_->maybe_flush();
  }

  void write(Prompt& prompt) {
    ++stats_.prompts;
    if (!prompt.bad.empty()) return bad(prompt);
    const std::string_view head = record_head(prompt);
    const std::size_t samples = settings_.grid.samples;
    for (std::size_t i = 0; i < prompt.answers.size(); ++i) {
      Answer& answer = prompt.answers[i];
      if (answer.reply.ok && !answer.rejected) {
        const std::string normal = gen::normalise_whitespace(answer.text);
        for (std::size_t s = 0; s < i % samples; ++s) {
          const Answer& earlier = prompt.answers[i - i % samples + s];
          if (earlier.reply.ok && !earlier.rejected && earlier.duplicate_of < 0 &&
              gen::normalise_whitespace(earlier.text) == normal) {
            answer.duplicate_of = static_cast<int>(s);
            break;
          }
        }
      }
      prefline::Output* target = out_;
      if (!answer.reply.ok) {
        ++stats_.failed;
        failed(settings_.grid.models[settings_.cells[i / samples].model].name, answer.reply.error);
        target = rejects_;
      } else if (answer.rejected) {
        ++stats_.rejected;
        target = rejects_;
      } else {
        ++stats_.answers;
        if (answer.duplicate_of >= 0) ++stats_.duplicates;
        if (answer.leak) ++stats_.leaks;
      }
      if (target != nullptr) write_answer(target->buffer(), head, prompt, i);
      if (target != nullptr) target->maybe_flush();
    }
  }

  // Publishes every output; returns false when calls failed.
  bool finish(prefline::Progress& progress, double seconds) {
    progress.finish();
    if (stats_file_ != nullptr) {
      prefline::JsonWriter json(stats_file_->buffer());
      std::vector<std::string> names, ids;
      for (const auto& model : settings_.grid.models) {
        names.push_back(model.name);
        ids.push_back(model.model);
      }
      stats_.write(json, names, ids, settings_.prices, seconds);
    }
    outputs_.commit();
    bad_->finish(tool_name);
    for (const auto& [name, errors] : failures_) {
      std::uint64_t total = 0;
      for (const auto& [text, count] : errors) total += count;
      std::string line = fmt::format("{}: model '{}': {} call{} failed: ", tool_name, name, total, total == 1 ? "" : "s");
      for (std::size_t e = 0; e < errors.size(); ++e)
        line += errors.size() == 1 ? errors[e].first : fmt::format("{}{} ({})", e ? ", " : "", errors[e].first, errors[e].second);
      fmt::print(stderr, "{}\n", line);
    }
    prefline::RunSummary summary(tool_name, "prompts", "answers");
    if (!options_.emit_batch.empty()) {
      if (!options_.common.quiet)
        fmt::print(stderr, "{}: {} prompts, {} requests written to {}\n", tool_name, stats_.prompts, emitted_,
                   options_.emit_batch);
      return true;
    }
    summary.set_read(stats_.prompts - bad_->skipped());
    summary.set_left_out_unit("answers");
    summary.set_written(stats_.answers);
    const std::string_view keep = rejects_ != nullptr ? std::string_view() : std::string_view("--rejects FILE keeps them");
    summary.left_out("rejected", stats_.rejected, "a filter rejected every try", keep);
    summary.left_out("failed", stats_.failed, "the call failed after its retries",
                     !options_.from_batch.empty() ? "the batch has no answer for them: run them in a new batch"
                     : options_.cache.empty()     ? "rerun with --cache DIR to ask only for these next time"
                                                  : "rerun with the same --cache to ask only for these");
    if (stats_.prompts > 0 && stats_.answers == 0 && stats_.rejected + stats_.failed == 0)
      summary.set_empty_reason("every prompt record was bad");
    summary.print(options_.common.quiet);
    return stats_.failed == 0;
  }

  std::uint64_t emitted() const { return emitted_; }

 private:
  // The record's bytes before its final '}' (its --as and generation fields
  // cut out with --overwrite), and whether a member needs a comma first.
  std::string_view record_head(const Prompt& prompt) {
    std::string_view text(prompt.text.data(), prompt.text.size());
    if (prompt.record.has_answer || prompt.record.has_generation || prompt.record.has_model_field) {
      bool now_empty = false;
      scratch_ = std::string(text);
      for (const std::string* name : {&settings_.fields.answer, &settings_.fields.generation, &settings_.fields.model_field}) {
        if (name->empty()) continue;
        simdjson::padded_string padded(scratch_);
        prefline::JsonlLine line{std::string_view(padded.data(), padded.size()), prompt.line,
                                 padded.size() + simdjson::SIMDJSON_PADDING};
        scratch_ = prefline::without_member(overwrite_parser_, line, *name, now_empty);
      }
      text = scratch_;
    }
    const std::string_view head = prefline::before_final_brace(text);
    empty_ = head.find_first_not_of(" \t\r\n", head.find('{') + 1) == std::string_view::npos;
    return head;
  }

  void write_answer(prefline::Buffer& out, std::string_view head, const Prompt& prompt, std::size_t i) {
    const std::size_t samples = settings_.grid.samples;
    const Answer& answer = prompt.answers[i];
    const gen::Cell& cell = settings_.cells[i / samples];
    const llm::Endpoint& model = settings_.grid.models[cell.model];
    out.append(head);
    if (!empty_) out.push_back(',');
    prefline::JsonWriter json(out);
    if (!settings_.fields.model_field.empty()) json.key(settings_.fields.model_field).string(model.name);
    json.key(settings_.fields.answer);
    if (!answer.reply.ok) {
      json.null();
    } else if (options_.files && !answer.rejected) {
      json.begin_object();
      for (const auto& file : answer.files) json.key(file.name).string(file.content);
      json.end_object();
    } else {
      json.string(answer.text);
    }
    json.key(settings_.fields.generation).begin_object();
    json.key(field::model).string(model.model);
    json.key(field::endpoint).string(model.name);
    json.key(field::temperature).number(cell.temperature);
    json.key(field::top_p);
    model.top_p ? json.number(*model.top_p) : json.null();
    json.key(field::max_tokens).integer(model.max_tokens);
    json.key(field::system);
    const std::string& system = settings_.grid.systems[cell.system].name;
    system.empty() ? json.null() : json.string(system);
    json.key(field::sample).integer(static_cast<std::int64_t>(i % samples));
    json.key(field::seed).integer(static_cast<std::int64_t>(answer.seed));
    json.key(field::finish_reason);
    answer.reply.finish_reason.empty() ? json.null() : json.string(answer.reply.finish_reason);
    json.key(field::usage);
    if (answer.reply.usage) {
      json.begin_object();
      json.key(field::prompt_tokens).integer(answer.reply.usage->prompt_tokens);
      json.key(field::completion_tokens).integer(answer.reply.usage->completion_tokens);
      json.end_object();
    } else {
      json.null();
    }
    json.key(field::latency_ms).integer(static_cast<std::int64_t>(answer.reply.latency_ms + 0.5));
    json.key(field::attempts).integer(answer.reply.attempts);
    json.key(field::cached).boolean(answer.reply.cached);
    if (answer.duplicate_of >= 0) json.key(field::duplicate_of).integer(answer.duplicate_of);
    if (settings_.leak && answer.reply.ok && !answer.rejected) json.key(field::leak).boolean(answer.leak);
    if (!answer.reply.ok) json.key(field::error).string(answer.reply.error);
    if (answer.reply.ok && answer.rejected) {
      json.key(field::rejected).begin_object();
      json.key(field::rule).string(answer.rejected->rule);
      json.key(field::detail).string(answer.rejected->detail);
      json.end_object();
    }
    json.end_object();
    out.append("}\n");
  }

  void failed(const std::string& model, const std::string& error) {
    auto& errors = failures_[model];
    for (auto& [text, count] : errors)
      if (text == error) {
        ++count;
        return;
      }
    errors.emplace_back(error, 1);
  }

  const Options& options_;
  const Settings& settings_;
  gen::RunStats& stats_;
  prefline::OutputSet outputs_;  // -o (or --emit-batch), --rejects, --stats: all or none
  prefline::Output* out_ = nullptr;
  prefline::Output* rejects_ = nullptr;
  prefline::Output* stats_file_ = nullptr;
  prefline::Output no_rejects_;
  std::optional<prefline::BadRecords> bad_;
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> failures_;
  simdjson::ondemand::parser overwrite_parser_;
  std::string scratch_;
  bool empty_ = false;
  std::uint64_t emitted_ = 0;
};

// Lines of the regular input files, for the progress display's total (0:
// unknown, e.g. standard input). Counted in 1 MiB reads, never loaded whole.

}  // namespace prefline::generate
