// A prompt record as generate reads it: the messages to send (the record's
// OpenAI-style `messages`, or its `prompt` string as one user message, or a
// user message built from a template), the key its seeds derive from, and
// the text a leak check compares replies with. A record that lacks what the
// options name gets a reason, said with its file and line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/generate/template.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/llm/chat_request.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/text/split.hpp"

namespace prefline::generate {

struct PromptFields {
  std::string messages = "messages";
  std::string prompt = "prompt";
  std::vector<std::string> key;  // dotted paths; empty: the messages are the key
  std::string leak;              // dotted path of the hidden reference, or ""
  std::string answer;            // --as: the record must not have it (unless overwrite)
  std::string generation;        // likewise
  std::string model_field;       // likewise, when given
  bool overwrite = false;
};

struct PromptRecord {
  std::vector<llm::ChatMessage> messages;
  std::uint64_t key = 0;
  std::string reference;  // with a leak check
  bool has_answer = false, has_generation = false, has_model_field = false;
};

namespace detail {

// The value at a dotted path ("a.b.c") of an object, if there is one (null counts as none).
inline bool find_path(simdjson::dom::element record, std::string_view path, simdjson::dom::element& value) {
  value = record;
  for (std::string_view rest = path; !rest.empty();) {
    const std::size_t dot = rest.find('.');
    const std::string_view part = rest.substr(0, dot);
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    simdjson::dom::object object;
    if (value.get_object().get(object) || object.at_key(part).get(value)) return false;
  }
  return !value.is_null();
}

// A string's text, or any other value's minified JSON.
inline std::string value_text(simdjson::dom::element value) {
  std::string_view text;
  if (!value.get_string().get(text)) return std::string(text);
  return simdjson::minify(value);
}

// An OpenAI message's content: a string, null (an assistant turn that only
// calls tools), or a list of parts whose "text" members are joined.
inline bool content_text(simdjson::dom::element content, std::string& out) {
  std::string_view text;
  if (!content.get_string().get(text)) {
    out.assign(text);
    return true;
  }
  if (content.is_null()) {
    out.clear();
    return true;
  }
  simdjson::dom::array parts;
  if (content.get_array().get(parts)) return false;
  out.clear();
  for (simdjson::dom::element part : parts) {
    simdjson::dom::element piece;
    if (!part.is_object() || part["text"].get(piece)) continue;
    if (piece.get_string().get(text)) return false;
    out.append(text);
  }
  return true;
}

}  // namespace detail

// Reads `record`; returns "" or why the record cannot be asked.
inline std::string read_prompt(simdjson::dom::element record, const PromptFields& fields, const Template* user_template,
                               PromptRecord& out) {
  out = PromptRecord{};
  simdjson::dom::object object;
  if (record.get_object().get(object)) return fmt::format("expected a JSON object, found {}", type_name(record));
  simdjson::dom::element value;
  out.has_answer = !object.at_key(fields.answer).get(value);
  out.has_generation = !object.at_key(fields.generation).get(value);
  out.has_model_field = !fields.model_field.empty() && !object.at_key(fields.model_field).get(value);
  if (!fields.overwrite) {
    if (out.has_answer)
      return fmt::format("the record has '{}' already: --overwrite replaces it, or --as NAME writes the answer elsewhere",
                         fields.answer);
    if (out.has_generation)
      return fmt::format("the record has '{}' already (from an earlier generate?): --generation-field NAME "
                         "(e.g. {}_generation) keeps both, --overwrite replaces it",
                         fields.generation, fields.answer);
    if (out.has_model_field)
      return fmt::format("the record has '{}' already: --overwrite replaces it, or --model-field NAME names another "
                         "field",
                         fields.model_field);
  }
  bool have_messages = false;
  if (detail::find_path(record, fields.messages, value)) {
    simdjson::dom::array list;
    if (value.get_array().get(list))
      return fmt::format("'{}' is not an array of {{\"role\", \"content\"}} messages", fields.messages);
    std::size_t index = 0;
    for (simdjson::dom::element message : list) {
      std::string_view role;
      simdjson::dom::element content;
      llm::ChatMessage chat;
      if (!message.is_object() || message["role"].get_string().get(role))
        return fmt::format("'{}' message {} has no string 'role'", fields.messages, index + 1);
      if (message["content"].get(content) || !detail::content_text(content, chat.content))
        return fmt::format("'{}' message {} has no 'content' string", fields.messages, index + 1);
      chat.role = std::string(role);
      out.messages.push_back(std::move(chat));
      ++index;
    }
    have_messages = !out.messages.empty();
  }
  if (user_template != nullptr) {
    std::string text, error;
    if (!user_template->render(record, text, error)) return error;
    out.messages.push_back({"user", std::move(text)});
  } else if (!have_messages) {
    std::string_view prompt;
    if (!detail::find_path(record, fields.prompt, value))
      return fmt::format("the record has neither '{}' nor '{}' (--messages, --prompt name them; --template builds "
                         "the prompt from other fields)",
                         fields.messages, fields.prompt);
    if (value.get_string().get(prompt)) return fmt::format("'{}' is not a string", fields.prompt);
    out.messages.push_back({"user", std::string(prompt)});
  }
  std::string material;
  if (fields.key.empty()) {
    for (const auto& message : out.messages) {
      material += message.role;
      material.push_back('\0');
      material += message.content;
      material.push_back('\0');
    }
  } else {
    for (const auto& path : fields.key) {
      if (!detail::find_path(record, path, value)) return fmt::format("the key field '{}' (--key) is missing", path);
      material += detail::value_text(value);
      material.push_back('\0');
    }
  }
  out.key = stable_hash(material, 0);
  if (!fields.leak.empty()) {
    if (!detail::find_path(record, fields.leak, value))
      return fmt::format("the hidden reference '{}' (--leak-check) is missing", fields.leak);
    out.reference = detail::value_text(value);
  }
  return {};
}

}  // namespace prefline::generate
