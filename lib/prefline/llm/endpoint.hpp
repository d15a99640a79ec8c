// Where a chat model is reached and how it is asked by default: an
// OpenAI-compatible HTTP endpoint (URL + model, the API key taken from the
// environment) or a local command; read from a JSON list of endpoints (a
// --judges file) or from a NAME=URL#MODEL spec (--judge).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::llm {

// The members of an endpoint object besides those of schema::judge_config.
namespace endpoint_field {
inline constexpr std::string_view top_p = "top_p";
inline constexpr std::string_view seed = "seed";
inline constexpr std::string_view extra_body = "extra_body";
inline constexpr std::string_view timeout = "timeout";
inline constexpr std::string_view command_input = "command_input";
inline constexpr std::string_view base_url = "base_url";  // the OpenAI SDK's name for "url"
inline constexpr std::string_view concurrency = "concurrency";
inline constexpr std::string_view rpm = "rpm";
inline constexpr std::string_view tpm = "tpm";
}  // namespace endpoint_field

// What a local command reads on standard input: the prompt (the last
// message's text; its standard output is the reply text), or the whole
// request body as JSON (its standard output is a chat-completions response).
enum class CommandInput { prompt, request };

struct Endpoint {
  std::string name;
  std::string url;  // the chat-completions URL
  std::string model;
  std::string api_key;  // from the environment; never written anywhere
  std::vector<std::string> command;
  CommandInput command_input = CommandInput::prompt;
  // Where a command runs: the folder of the file it was read from, so that
  // relative paths in it ("./judge.py", ["python3", "judge.py"]) mean the
  // same from any working directory; empty: the current one.
  std::string command_folder;
  // Request defaults (a tool may override them per request).
  int max_tokens = 1024;
  double temperature = 0;
  std::optional<double> top_p;
  std::optional<std::uint64_t> seed;
  std::string extra_body;  // JSON members added to every request body, e.g. "stop":["\n"]
  std::optional<double> timeout_seconds;  // per attempt; else the retry policy's
  // Limits of this endpoint, for the tools that honour them (generate):
  // calls in flight, requests and tokens per minute; 0 = none.
  int concurrency = 0;
  double rpm = 0;
  double tpm = 0;

  bool is_command() const { return !command.empty(); }
};

// The chat-completions URL of an endpoint base: http://host/v1 and
// http://host/v1/chat/completions both give the latter.
inline std::string chat_completions_url(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/chat/completions")) return base;
  return base + "/chat/completions";
}

// How messages name the list and its entries: "--judges: judge 2 ...".
struct EndpointListNames {
  std::string_view option = "--judges";
  std::string_view noun = "judge";
};

// The API key held by the environment variable `variable`; a usage error
// when it is unset or empty (the key itself never appears in a message).
inline std::string api_key_from_environment(std::string_view endpoint, std::string_view variable,
                                            std::string_view noun = "judge") {
  const std::string name(variable);
  const char* key = std::getenv(name.c_str());
  if (key == nullptr || *key == '\0')
    throw UsageError(fmt::format("{} '{}': the environment variable '{}' (api_key_env) is not set", noun, endpoint, name));
  return key;
}

// Entry number `index` (0-based) of an endpoint list.
inline Endpoint read_endpoint(simdjson::dom::object object, std::size_t index, const EndpointListNames& names = {}) {
  namespace field = schema::judge_config;
  Endpoint endpoint;
  const std::string where = fmt::format("{}: {} {}", names.option, names.noun, index + 1);
  simdjson::dom::element element;
  if (object[field::name].get(element) || !element.is_string() || element.get_string().value_unsafe().empty())
    throw UsageError(fmt::format("{}: 'name' must be a non-empty string", where));
  endpoint.name = std::string(element.get_string().value_unsafe());
  auto fail = [&](std::string_view what) { return UsageError(fmt::format("{} '{}': {}", where, endpoint.name, what)); };
  if (!object[endpoint_field::timeout].get(element)) {
    double seconds = 0;
    if (element.get_double().get(seconds) || !(seconds > 0)) throw fail("'timeout' must be a number of seconds > 0");
    endpoint.timeout_seconds = seconds;
  }
  auto positive = [&](std::string_view name, double& value) {
    if (object[name].get(element)) return;
    if (element.get_double().get(value) || !(value > 0)) throw fail(fmt::format("'{}' must be a number > 0", name));
  };
  positive(endpoint_field::rpm, endpoint.rpm);
  positive(endpoint_field::tpm, endpoint.tpm);
  if (!object[endpoint_field::concurrency].get(element)) {
    std::int64_t slots = 0;
    if (element.get_int64().get(slots) || slots < 1 || slots > 4096)
      throw fail("'concurrency' must be a whole number from 1 to 4096");
    endpoint.concurrency = static_cast<int>(slots);
  }
  if (!object[field::command].get(element)) {
    simdjson::dom::array argv;
    if (element.get_array().get(argv) || argv.size() == 0) throw fail("'command' must be a non-empty array of strings");
    for (auto arg : argv) {
      if (!arg.is_string()) throw fail("'command' must be an array of strings");
      endpoint.command.emplace_back(arg.get_string().value_unsafe());
    }
    if (!object[endpoint_field::command_input].get(element)) {
      const std::string_view input = element.is_string() ? element.get_string().value_unsafe() : "";
      if (input == "request") endpoint.command_input = CommandInput::request;
      else if (input != "prompt") throw fail("'command_input' must be \"prompt\" or \"request\"");
    }
    endpoint.model = endpoint.command.front();
    return endpoint;
  }
  if ((object[field::url].get(element) && object[endpoint_field::base_url].get(element)) || !element.is_string())
    throw fail("needs 'url' (or 'base_url') and 'model', or 'command'");
  endpoint.url = chat_completions_url(std::string(element.get_string().value_unsafe()));
  if (object[field::model].get(element) || !element.is_string()) throw fail("'model' must be a string");
  endpoint.model = std::string(element.get_string().value_unsafe());
  if (!object[field::api_key_env].get(element)) {
    if (!element.is_string()) throw fail("'api_key_env' must be a string");
    endpoint.api_key = api_key_from_environment(endpoint.name, element.get_string().value_unsafe(), names.noun);
  }
  if (!object[field::max_tokens].get(element)) {
    std::int64_t tokens;
    if (element.get_int64().get(tokens) || tokens <= 0) throw fail("'max_tokens' must be a positive integer");
    endpoint.max_tokens = static_cast<int>(tokens);
  }
  if (!object[field::temperature].get(element)) {
    if (element.get_double().get(endpoint.temperature) || endpoint.temperature < 0)
      throw fail("'temperature' must be a number >= 0");
  }
  if (!object[endpoint_field::top_p].get(element)) {
    double top_p = -1;
    if (element.get_double().get(top_p) || !(top_p > 0 && top_p <= 1)) throw fail("'top_p' must be a number in (0, 1]");
    endpoint.top_p = top_p;
  }
  if (!object[endpoint_field::seed].get(element)) {
    std::uint64_t seed;
    if (element.get_uint64().get(seed)) throw fail("'seed' must be an integer >= 0");
    endpoint.seed = seed;
  }
  if (!object[endpoint_field::extra_body].get(element)) {
    simdjson::dom::object extra;
    if (element.get_object().get(extra)) throw fail("'extra_body' must be an object");
    const std::string members = simdjson::minify(extra);
    endpoint.extra_body = members.substr(1, members.size() - 2);
  }
  return endpoint;
}

// The endpoints of a JSON array in a file; a command endpoint runs in the
// file's folder.
inline std::vector<Endpoint> read_endpoint_file(const std::string& path, const EndpointListNames& names = {}) {
  simdjson::dom::parser parser;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text))
    throw UsageError(fmt::format("{}: cannot read '{}'", names.option, path));
  simdjson::dom::element root;
  if (parser.parse(text).get(root) || !root.is_array())
    throw UsageError(fmt::format("{}: '{}' is not a JSON array of {}s", names.option, path, names.noun));
  std::vector<Endpoint> endpoints;
  const simdjson::dom::array entries = root.get_array().value_unsafe();
  for (auto entry : entries) {
    if (!entry.is_object())
      throw UsageError(fmt::format("{}: {} {} is not an object", names.option, names.noun, endpoints.size() + 1));
    endpoints.push_back(read_endpoint(entry.get_object().value_unsafe(), endpoints.size(), names));
    if (endpoints.back().is_command()) {
      std::error_code error;
      const std::filesystem::path folder = std::filesystem::absolute(std::filesystem::path(path).parent_path(), error);
      if (!error) {
        std::string& name = endpoints.back().command_folder = folder.lexically_normal().string();
        while (name.size() > 1 && name.back() == '/') name.pop_back();
      }
    }
  }
  return endpoints;
}

// NAME=URL#MODEL (the URL may hold '=' and '#': the first '=' and the last '#' split).
inline Endpoint parse_endpoint_spec(std::string_view spec, std::string_view option = "--judge") {
  const std::size_t equals = spec.find('='), hash = spec.rfind('#');
  if (equals == std::string_view::npos || hash == std::string_view::npos || hash < equals || equals == 0 ||
      hash == equals + 1 || hash + 1 == spec.size())
    throw UsageError(fmt::format("{}: expected NAME=URL#MODEL, got '{}'", option, spec));
  Endpoint endpoint;
  endpoint.name = std::string(spec.substr(0, equals));
  endpoint.url = chat_completions_url(std::string(spec.substr(equals + 1, hash - equals - 1)));
  endpoint.model = std::string(spec.substr(hash + 1));
  return endpoint;
}

inline void check_unique_names(const std::vector<Endpoint>& endpoints, std::string_view noun = "judge") {
  for (std::size_t i = 0; i < endpoints.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (endpoints[i].name == endpoints[j].name)
        throw UsageError(fmt::format("{} '{}' is given twice", noun, endpoints[i].name));
}

}  // namespace prefline::llm
