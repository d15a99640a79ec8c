// Replies stored on disk so a rerun asks nothing twice: one file per call,
// named by a hash of what determines the reply (endpoint, model, sampling
// parameters, variant, messages; never the API key), written atomically.
// Only replies are stored: a failed call is never cached.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/io/temp_file.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/llm/chat_client.hpp"
#include "prefline/llm/chat_request.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/random/hashing.hpp"

namespace prefline::llm {

namespace detail {
inline constexpr std::string_view content_field = "content";
inline constexpr std::string_view finish_reason_field = "finish_reason";
inline constexpr std::string_view usage_field = "usage";
inline constexpr std::string_view prompt_tokens_field = "prompt_tokens";
inline constexpr std::string_view completion_tokens_field = "completion_tokens";
inline constexpr std::string_view latency_field = "latency_ms";
inline constexpr std::string_view attempts_field = "attempts";
}  // namespace detail

class ReplyCache {
 public:
  // What a file holds: the reply text alone (duel-judge's caches), or a JSON
  // object {"content", "finish_reason", "usage"} for tools that record those.
  enum class Format { text, reply_json };

  // An empty folder: no cache. The folder is created when missing.
  explicit ReplyCache(std::string folder, Format format = Format::text) : folder_(std::move(folder)), format_(format) {
    if (folder_.empty()) return;
    if (::mkdir(folder_.c_str(), 0777) != 0 && errno != EEXIST)
      throw DataError(fmt::format("cannot create the cache folder '{}': {}", folder_, std::strerror(errno)));
    folder_fd_ = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // -1: paths are used instead
  }
  ~ReplyCache() {
    if (folder_fd_ >= 0) ::close(folder_fd_);
  }
  ReplyCache(const ReplyCache&) = delete;
  ReplyCache& operator=(const ReplyCache&) = delete;
  bool enabled() const { return !folder_.empty(); }

  // The key of a call: endpoint name, model, URL, command, max_tokens,
  // temperature, `variant` (e.g. a retry or sample number) and the last
  // message; then, only when present, the earlier messages, top_p, seed, the
  // extra body members and the command's input mode.
  static std::string key(const Endpoint& endpoint, const ChatRequest& request, std::uint64_t variant) {
    std::string material;
    for (std::string_view part : {std::string_view(endpoint.name), std::string_view(endpoint.model),
                                  std::string_view(endpoint.url)}) {
      material.append(part);
      material.push_back('\0');
    }
    for (const auto& arg : endpoint.command) {
      material.append(arg);
      material.push_back('\0');
    }
    material += fmt::format("{}\n{}\n{}\n", request.max_tokens, request.temperature, variant);
    material += request.prompt();
    for (std::size_t i = 0; i + 1 < request.messages.size(); ++i)
      material += fmt::format("\n\x01message {} {} {}\n{}", i, request.messages[i].role, request.messages[i].content.size(),
                              request.messages[i].content);
    if (request.messages.size() == 1 && request.messages.front().role != "user")
      material += fmt::format("\n\x01role {}", request.messages.front().role);
    if (request.top_p) material += fmt::format("\n\x01top_p {}", *request.top_p);
    if (request.seed) material += fmt::format("\n\x01seed {}", *request.seed);
    if (!request.extra_body.empty()) material += fmt::format("\n\x01extra {}", request.extra_body);
    if (endpoint.is_command() && endpoint.command_input == CommandInput::request) material += "\n\x01request";
    return fmt::format("{:016x}{:016x}", stable_hash(material, 1), stable_hash(material, 2));
  }

  // The key of a call by the exact request body sent (which holds the
  // model, messages and every sampling parameter) and `variant` (e.g. the
  // sample number): the same call on another host or port finds it, and
  // the API key (never in the body) is never part of it.
  static std::string key_for_body(std::string_view body, std::uint64_t variant) {
    return fmt::format("{:016x}{:016x}", stable_hash(body, 0x5eed0000 + variant), stable_hash(body, ~variant));
  }

  // The stored reply (ok, cached), if any. A text cache has no attempts (0);
  // a reply_json cache gives back the latency and attempts of the call that
  // made the reply.
  std::optional<ChatResult> find(const std::string& key) const {
    if (!enabled()) return std::nullopt;
    // open + read, a parser per thread: a fully cached rerun is this, a
    // million times (an ifstream and a fresh parser cost more than the read).
    thread_local std::string text;
    if (!read_file(key, text)) return std::nullopt;
    ChatResult result;
    result.ok = true;
    result.cached = true;
    if (format_ == Format::text) {
      result.text = text;
      return result;
    }
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root, element;
    if (parser.parse(text).get(root) || root[detail::content_field].get(element) || !element.is_string())
      return std::nullopt;  // not a reply this cache wrote: asked again
    result.text = std::string(element.get_string().value_unsafe());
    if (!root[detail::finish_reason_field].get(element) && element.is_string())
      result.finish_reason = std::string(element.get_string().value_unsafe());
    std::int64_t prompt = 0, completion = 0;
    if (!root[detail::usage_field][detail::prompt_tokens_field].get_int64().get(prompt) &&
        !root[detail::usage_field][detail::completion_tokens_field].get_int64().get(completion))
      result.usage = Usage{prompt, completion};
    if (double latency = 0; !root[detail::latency_field].get_double().get(latency)) result.latency_ms = latency;
    std::int64_t attempts = 0;
    if (!root[detail::attempts_field].get_int64().get(attempts)) result.attempts = static_cast<int>(attempts);
    return result;
  }

  // Stores a reply: a temp file next to its place (io/temp_file.hpp: removed
  // on SIGINT/SIGTERM/SIGHUP; only kill -9 can leave a KEY.txt.tmp.XXXXXX
  // behind, and it is never read), renamed into place once complete. A failed
  // call is not stored (false); nor is a reply when the write fails, which
  // costs a call later, nothing else.
  bool store(const std::string& key, const ChatResult& result) const {
    if (!enabled() || !result.ok) return false;
    Buffer bytes;
    if (format_ == Format::text) {
      bytes.append(result.text);
    } else {
      JsonWriter json(bytes);
      json.begin_object();
      json.key(detail::content_field).string(result.text);
      if (!result.finish_reason.empty()) json.key(detail::finish_reason_field).string(result.finish_reason);
      if (result.usage) {
        json.key(detail::usage_field).begin_object();
        json.key(detail::prompt_tokens_field).integer(result.usage->prompt_tokens);
        json.key(detail::completion_tokens_field).integer(result.usage->completion_tokens);
        json.end_object();
      }
      json.key(detail::latency_field).number(result.latency_ms);
      json.key(detail::attempts_field).integer(result.attempts);
      json.end_object();
      json.end_record();
    }
    const std::string target = path(key);
    try {
      TempFile temp;
      const int fd = temp.create(target);
      for (std::string_view rest = bytes.view(); !rest.empty();) {
        const ssize_t written = ::write(fd, rest.data(), rest.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;  // the temp file goes with `temp`
        rest.remove_prefix(static_cast<std::size_t>(written));
      }
      temp.commit(target);
      return true;
    } catch (const std::runtime_error&) {  // DataError, WriteError: not stored
      return false;
    }
  }

  std::string path(const std::string& key) const { return fmt::format("{}/{}.txt", folder_, key); }

 private:
  // The whole file into `text`; false when it cannot be opened or read.
  // Opened relative to the folder's descriptor (no walk of the folder's path
  // per file); a read that returns less than asked is the end of a regular
  // file, so a reply that fits the buffer costs open, read, close.
  bool read_file(const std::string& key, std::string& text) const {
    const std::string name = key + ".txt";
    const int fd = folder_fd_ >= 0 ? ::openat(folder_fd_, name.c_str(), O_RDONLY | O_CLOEXEC)
                                   : ::open(path(key).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    text.clear();
    char buffer[16384];
    bool ok = true;
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buffer) break;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        ok = n == 0;
        break;
      }
    }
    ::close(fd);
    return ok;
  }

 public:

 private:
  std::string folder_;
  Format format_;
  int folder_fd_ = -1;
};

}  // namespace prefline::llm
