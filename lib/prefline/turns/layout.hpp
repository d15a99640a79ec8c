// The layouts of agent trajectories mapped onto OpenAI chat messages: each
// trajectory set names its fields differently ({role, content}, {role, text},
// OpenAI messages with tool_calls), and some name roles differently ("ai",
// "human"). One message in, {role, content[, tool_calls, tool_call_id, name]}
// out, with a reason (naming the field and the option) when it cannot be read.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/split.hpp"

namespace prefline::turns {

enum class Role { system, user, assistant, tool };

inline constexpr std::array<std::string_view, 4> role_names = {"system", "user", "assistant", "tool"};

inline std::string_view role_name(Role role) { return role_names[static_cast<std::size_t>(role)]; }

// Which fields of a message hold what (--role, --content); the tool-call
// fields keep their OpenAI names in every layout that has them.
struct Layout {
  std::string role = "role";
  std::string content = "content";
  // NAME=ROLE pairs from --roles, searched before the OpenAI names.
  std::vector<std::pair<std::string, Role>> renamed_roles;
};

// "ai=assistant,human=user" -> pairs; every target one of the four roles.
inline std::vector<std::pair<std::string, Role>> parse_roles(std::string_view option, std::string_view text) {
  std::vector<std::pair<std::string, Role>> roles;
  if (text.empty()) return roles;
  for (const std::string& part : split_list(text)) {
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("{}: '{}' is not NAME=ROLE (e.g. ai=assistant)", option, part));
    const std::string name = part.substr(0, eq);
    const std::string_view target = std::string_view(part).substr(eq + 1);
    bool known = false;
    for (std::size_t i = 0; i < role_names.size(); ++i)
      if (target == role_names[i]) {
        for (const auto& [seen, role] : roles)
          if (seen == name) throw UsageError(fmt::format("{}: '{}' is mapped twice", option, name));
        roles.emplace_back(name, static_cast<Role>(i));
        known = true;
      }
    if (!known)
      throw UsageError(fmt::format("{}: '{}' is not one of system, user, assistant, tool (in '{}')", option, target, part));
  }
  return roles;
}

// The role a name means, or false.
inline bool find_role(const Layout& layout, std::string_view name, Role& role) {
  for (const auto& [renamed, target] : layout.renamed_roles)
    if (renamed == name) {
      role = target;
      return true;
    }
  for (std::size_t i = 0; i < role_names.size(); ++i)
    if (name == role_names[i]) {
      role = static_cast<Role>(i);
      return true;
    }
  return false;
}

// Writes any parsed JSON value compactly (strings re-escaped, numbers as parsed).
inline void write_dom_value(JsonWriter& json, simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      const simdjson::dom::object object = value.get_object().value_unsafe();
      json.begin_object();
      for (auto field : object) {
        json.key(field.key);
        write_dom_value(json, field.value);
      }
      json.end_object();
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      const simdjson::dom::array array = value.get_array().value_unsafe();
      json.begin_array();
      for (auto element : array) write_dom_value(json, element);
      json.end_array();
      return;
    }
    case simdjson::dom::element_type::STRING:
      json.string(value.get_string().value_unsafe());
      return;
    case simdjson::dom::element_type::INT64:
      json.integer(value.get_int64().value_unsafe());
      return;
    case simdjson::dom::element_type::UINT64:
      json.raw(fmt::format("{}", value.get_uint64().value_unsafe()));
      return;
    case simdjson::dom::element_type::DOUBLE:
      json.number(value.get_double().value_unsafe());
      return;
    case simdjson::dom::element_type::BOOL:
      json.boolean(value.get_bool().value_unsafe());
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      json.null();
      return;
  }
}

// The names of an object's fields, for "the message has: ...".
inline std::string field_names(simdjson::dom::object object) {
  std::string names;
  for (auto field : object) {
    if (!names.empty()) names += ", ";
    names += field.key;
  }
  return names.empty() ? std::string("no fields") : names;
}

// What map_message learned about one message.
struct MessageInfo {
  Role role = Role::user;
  bool has_tool_calls = false;  // an assistant message calling tools
  bool has_content = false;     // the --content field was present
};

// Reads message `index` of `field` (for messages) and writes it as an OpenAI
// message to `json`; returns "" or the reason it is a bad record.
inline std::string map_message(const Layout& layout, std::string_view field, std::size_t index,
                               simdjson::dom::element message, JsonWriter& json, MessageInfo& info) {
  const auto where = [&] { return fmt::format("{}[{}]", field, index); };
  simdjson::dom::object object;
  if (message.get_object().get(object)) return fmt::format("{}: a message must be a JSON object", where());
  simdjson::dom::element role_value;
  if (object[layout.role].get(role_value))
    return fmt::format("{}: no '{}' field (--role {}); the message has: {}", where(), layout.role, layout.role,
                       field_names(object));
  std::string_view role_text;
  if (role_value.get_string().get(role_text))
    return fmt::format("{}: '{}' must be a string", where(), layout.role);
  if (!find_role(layout, role_text, info.role))
    return fmt::format("{}: unknown role '{}' (known: system, user, assistant, tool); --roles {}=assistant (or "
                       "user, system, tool) maps it",
                       where(), role_text, role_text);
  json.begin_object();
  json.key("role").string(role_name(info.role));
  json.key("content");
  simdjson::dom::element content;
  info.has_content = !object[layout.content].get(content);
  if (!info.has_content) {
    json.null();
  } else if (content.is_string() || content.is_null() || content.is_array()) {
    write_dom_value(json, content);
  } else {
    return fmt::format("{}: '{}' must be a string, an array of parts or null (--content {})", where(), layout.content,
                       layout.content);
  }
  info.has_tool_calls = false;
  simdjson::dom::element value;
  if (!object["tool_calls"].get(value) && !value.is_null()) {
    simdjson::dom::array calls;
    if (value.get_array().get(calls)) return fmt::format("{}: 'tool_calls' must be an array", where());
    info.has_tool_calls = calls.size() > 0;
    json.key("tool_calls");
    write_dom_value(json, value);
  }
  for (std::string_view name : {std::string_view("tool_call_id"), std::string_view("name")}) {
    if (object[name].get(value) || value.is_null()) continue;
    if (!value.is_string()) return fmt::format("{}: '{}' must be a string", where(), name);
    json.key(name).string(value.get_string().value_unsafe());
  }
  json.end_object();
  return {};
}

}  // namespace prefline::turns
