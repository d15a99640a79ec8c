// One chat-completions request: the messages and sampling parameters, and
// the exact body bytes sent for it ({"model", "messages", "max_tokens",
// "temperature", then "top_p", "seed" and the endpoint's extra members when
// set), the same for HTTP endpoints and commands that read the request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/json/writer.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::llm {

struct ChatMessage {
  std::string role;
  std::string content;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  int max_tokens = 1024;
  double temperature = 0;
  std::optional<double> top_p;
  std::optional<std::uint64_t> seed;
  std::string extra_body;  // JSON members appended to the body

  // The text a prompt-reading command gets: the last message's.
  std::string_view prompt() const { return messages.empty() ? std::string_view() : messages.back().content; }
};

// A request with the endpoint's defaults: an optional system message, then
// the prompt as the user's message.
inline ChatRequest request_for(const Endpoint& endpoint, std::string prompt, std::string system = {}) {
  ChatRequest request;
  if (!system.empty()) request.messages.push_back({"system", std::move(system)});
  request.messages.push_back({"user", std::move(prompt)});
  request.max_tokens = endpoint.max_tokens;
  request.temperature = endpoint.temperature;
  request.top_p = endpoint.top_p;
  request.seed = endpoint.seed;
  request.extra_body = endpoint.extra_body;
  return request;
}

inline void append_request_body(Buffer& body, std::string_view model, const ChatRequest& request) {
  namespace field = schema::judge_config;
  namespace message = schema::duel;
  JsonWriter json(body);
  json.begin_object();
  json.key(field::model).string(model);
  json.key(message::messages).begin_array();
  for (const auto& m : request.messages) {
    json.begin_object();
    json.key(message::role).string(m.role);
    json.key(message::content).string(m.content);
    json.end_object();
  }
  json.end_array();
  json.key(field::max_tokens).integer(request.max_tokens);
  json.key(field::temperature).number(request.temperature);
  if (request.top_p) json.key(endpoint_field::top_p).number(*request.top_p);
  if (request.seed) json.key(endpoint_field::seed).raw(fmt::format("{}", *request.seed));
  if (!request.extra_body.empty()) {
    body.push_back(',');
    body.append(request.extra_body);
  }
  json.end_object();
}

inline std::string request_body(std::string_view model, const ChatRequest& request) {
  Buffer body;
  append_request_body(body, model, request);
  return std::string(body.view());
}

}  // namespace prefline::llm
