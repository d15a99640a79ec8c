// OpenAI Batch API files, so that generate's requests can run offline (the
// Batch API, or vLLM's run-batch) and come back into the same records:
// input lines {"custom_id", "method": "POST", "url": "/v1/chat/completions",
// "body"}; output lines {"custom_id", "response": {"status_code", "body"}
// or null, "error": {"code", "message"} (or, from vLLM, a string) or null},
// in any order, matched by custom_id (tests/generate/README.md compares the
// formats).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::generate {

inline constexpr std::string_view batch_url = "/v1/chat/completions";

// One input line; `body` is the request body exactly as a live call sends it.
inline void append_batch_request(Buffer& out, std::string_view custom_id, std::string_view body) {
  namespace field = schema::generation;
  JsonWriter json(out);
  json.begin_object();
  json.key(field::custom_id).string(custom_id);
  json.key(field::method).string("POST");
  json.key(field::url).string(batch_url);
  json.key(field::body).raw(body);
  json.end_object();
  json.end_record();
}

// The answers of a batch output file, by custom_id.
class BatchAnswers {
 public:
  void load(const std::string& path) {
    namespace field = schema::generation;
    simdjson::padded_string text;
    if (simdjson::padded_string::load(path).get(text))
      throw UsageError(fmt::format("--from-batch: cannot read '{}'", path));
    simdjson::dom::parser parser;
    std::string_view rest(text.data(), text.size());
    for (std::uint64_t line = 1; !rest.empty(); ++line) {
      const std::size_t end = rest.find('\n');
      const std::string_view row = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      auto bad = [&](std::string_view why) {
        return DataError(fmt::format("{}:{}: {} (a batch output line is {{\"custom_id\", \"response\": "
                                     "{{\"status_code\", \"body\"}}, \"error\"}})",
                                     path, line, why));
      };
      simdjson::dom::element record, response, error, body;
      std::string_view id;
      if (parser.parse(row.data(), row.size()).get(record) || !record.is_object()) throw bad("not a JSON object");
      if (record[field::custom_id].get_string().get(id)) throw bad("no string 'custom_id'");
      Answer answer;
      std::string_view error_text;
      if (!record[field::error].get(error) && !error.get_string().get(error_text)) {
        // vLLM's run-batch writes some errors as a plain string.
        answer.error = fmt::format("batch error: {}", error_text);
      } else if (!record[field::error].get(error) && !error.is_null()) {
        std::string_view code = "error", message;
        if (error[field::code].get_string().get(code)) code = "error";
        if (error[field::message].get_string().get(message)) message = {};
        answer.error = fmt::format("batch error: {}{}{}", code, message.empty() ? "" : ": ", message);
      } else if (record[field::response_object].get(response) || !response.is_object()) {
        throw bad("neither a 'response' object nor an 'error'");
      } else {
        std::int64_t status = 0;
        if (response[field::status_code].get_int64().get(status)) throw bad("'response' has no 'status_code'");
        if (response[field::body].get(body)) throw bad("'response' has no 'body'");
        std::string_view text_body;
        answer.body = body.get_string().get(text_body) ? simdjson::minify(body) : std::string(text_body);
        if (status != 200) answer.error = fmt::format("HTTP {} in the batch output", status);
      }
      if (!answers_.emplace(std::string(id), std::move(answer)).second)
        throw bad(fmt::format("custom_id '{}' is given twice", id));
    }
  }

  std::size_t size() const { return answers_.size(); }

  // Thread-safe (read only). The call's result as a live call would give it (attempts 0: nothing was
  // sent by this run), or a failure naming what is missing.
  llm::ChatResult result(const std::string& custom_id) const {
    llm::ChatResult result;
    const auto found = answers_.find(custom_id);
    if (found == answers_.end()) {
      result.error = fmt::format("'{}' is not in the batch output", custom_id);
      result.failure_cause = "batch_missing";
      return result;
    }
    if (!found->second.error.empty()) {
      result.error = found->second.error;
      result.failure_cause = "batch_error";
      return result;
    }
    llm::detail::read_response(found->second.body, result);
    if (!result.ok) result.failure_cause = llm::cause::bad_response;
    return result;
  }

 private:
  struct Answer {
    std::string body;
    std::string error;
  };
  std::unordered_map<std::string, Answer> answers_;
};

}  // namespace prefline::generate
