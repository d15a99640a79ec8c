// One chat-completions call, with the retries its policy allows: over HTTP
// (libcurl; the API key sent as a bearer header) or through a local command
// (prompt or request JSON on stdin, reply on stdout). Returns the reply text,
// finish_reason, usage, latency, attempts, or the error of the last attempt.
// Retried: network errors and timeouts, HTTP 429 and 5xx, and a 200 whose
// body is not a chat completion (garbage, truncated, no choices: a proxy's
// page or a provider's hiccup, which the same request usually gets past).
// One client per thread: it keeps its connection open between calls.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/llm/chat_request.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/llm/retry_policy.hpp"

namespace prefline::llm {

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

struct ChatResult {
  bool ok = false;
  std::string text;
  std::string finish_reason;   // empty when the endpoint gave none
  std::optional<Usage> usage;  // when the endpoint gave it
  double latency_ms = 0;       // of the attempt that ended the call
  int attempts = 0;            // 0 for a reply taken from a cache
  bool cached = false;
  long http_status = 0;        // of the last HTTP attempt (0: none, or a command)
  std::string error;           // why there is no reply
  // Why each attempt before the last failed (one of the cause names below),
  // and why the last one did when the call failed.
  std::vector<std::string_view> retry_causes;
  std::string_view failure_cause;
};

// The causes of a failed attempt, as counted in statistics.
namespace cause {
inline constexpr std::string_view network = "network";
inline constexpr std::string_view timeout = "timeout";
inline constexpr std::string_view rate_limited = "http_429";
inline constexpr std::string_view server_error = "http_5xx";
inline constexpr std::string_view other_status = "http_other";
inline constexpr std::string_view bad_response = "bad_response";
inline constexpr std::string_view command = "command";
}  // namespace cause

// Calls to one endpoint over a run, counted by the workers that make them:
// attempts (every request sent), retries, and calls that failed after them.
struct CallCounts {
  std::atomic<std::uint64_t> attempts{0}, retries{0}, failures{0};

  // Counts a call the client made (not one answered from a cache).
  void count(const ChatResult& result) {
    attempts += static_cast<std::uint64_t>(result.attempts);
    if (result.attempts > 1) retries += static_cast<std::uint64_t>(result.attempts - 1);
    if (!result.ok) ++failures;
  }
};

namespace detail {

// What one attempt gave, and whether another may help.
struct Attempt {
  ChatResult result;
  bool retryable = false;
  std::string_view cause;  // when it failed
  double retry_after = 0;  // seconds, from a Retry-After header
};

inline std::size_t curl_write(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Retry-After in delta-seconds (the form rate limiters send).
inline std::size_t curl_header(char* data, std::size_t size, std::size_t count, void* target) {
  const std::string_view line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    if (match) {
      double seconds = 0;
      std::string_view value = line.substr(name.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      std::from_chars(value.data(), value.data() + value.size(), seconds);
      *static_cast<double*>(target) = seconds;
    }
  }
  return size * count;
}

// curl_global_init is not thread-safe: done once, before the first handle.
inline void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A chat-completions response: choices[0].message.content, its
// finish_reason and the usage counts.
inline void read_response(std::string_view response, ChatResult& result) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root, content, element;
  if (parser.parse(response.data(), response.size()).get(root) ||
      root.at_pointer("/choices/0/message/content").get(content) || !content.is_string()) {
    result.error = "the response has no choices[0].message.content";
    return;
  }
  result.ok = true;
  result.text = std::string(content.get_string().value_unsafe());
  if (!root.at_pointer("/choices/0/finish_reason").get(element) && element.is_string())
    result.finish_reason = std::string(element.get_string().value_unsafe());
  std::int64_t prompt = 0, completion = 0;
  if (!root.at_pointer("/usage/prompt_tokens").get_int64().get(prompt) &&
      !root.at_pointer("/usage/completion_tokens").get_int64().get(completion))
    result.usage = Usage{prompt, completion};
}

}  // namespace detail

class ChatClient {
 public:
  // `command_label` names a command endpoint in errors ("the judge command timed out").
  explicit ChatClient(std::string command_label = "the judge command") : command_label_(std::move(command_label)) {
    detail::init_curl_once();
    curl_ = curl_easy_init();
  }
  ~ChatClient() {
    if (curl_) curl_easy_cleanup(curl_);
  }
  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // The reply, after the retries the errors and `policy` allow. `call_id`
  // seeds the jitter of the waits. `before_attempt`, when set, runs before
  // every attempt (a rate limiter waits there).
  ChatResult complete(const Endpoint& endpoint, const ChatRequest& request, const RetryPolicy& policy,
                      std::uint64_t call_id, const std::function<void()>& before_attempt = {}) {
    std::vector<std::string_view> causes;
    for (int attempt = 0;; ++attempt) {
      if (before_attempt) before_attempt();
      const double timeout = endpoint.timeout_seconds.value_or(policy.timeout_seconds);
      const auto start = std::chrono::steady_clock::now();
      detail::Attempt outcome = endpoint.is_command() ? run_command(endpoint, request, timeout)
                                                      : post(endpoint, request, timeout);
      outcome.result.latency_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      outcome.result.attempts = attempt + 1;
      if (outcome.result.ok || !outcome.retryable || attempt >= policy.max_retries) {
        if (!outcome.result.ok) outcome.result.failure_cause = outcome.cause;
        outcome.result.retry_causes = std::move(causes);
        return std::move(outcome.result);
      }
      causes.push_back(outcome.cause);
      const double wait = policy.wait_seconds(attempt, call_id, outcome.retry_after);
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
  }

 private:
  detail::Attempt post(const Endpoint& endpoint, const ChatRequest& request, double timeout) {
    detail::Attempt attempt;
    ChatResult& result = attempt.result;
    if (curl_ == nullptr) {
      result.error = "network error: cannot start libcurl";
      return attempt;
    }
    body_.clear();
    append_request_body(body_, endpoint.model, request);
    std::string response;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!endpoint.api_key.empty())
      headers = curl_slist_append(headers, ("Authorization: Bearer " + endpoint.api_key).c_str());
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, endpoint.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, detail::curl_write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, detail::curl_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &attempt.retry_after);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout * 1000));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      attempt.retryable = true;
      attempt.cause = code == CURLE_OPERATION_TIMEDOUT ? cause::timeout : cause::network;
      result.error = fmt::format("network error: {}", curl_easy_strerror(code));
      return attempt;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.http_status);
    if (result.http_status != 200) {
      attempt.retryable = RetryPolicy::retryable_status(result.http_status);
      attempt.cause = result.http_status == 429  ? cause::rate_limited
                      : result.http_status >= 500 ? cause::server_error
                                                  : cause::other_status;
      result.error = fmt::format("HTTP {}", result.http_status);
      return attempt;
    }
    detail::read_response(response, result);
    if (!result.ok) {
      attempt.retryable = true;
      attempt.cause = cause::bad_response;
    }
    return attempt;
  }

  // Runs the command with the prompt (or the request body) on its standard
  // input; its standard output is the reply (or the response).
  detail::Attempt run_command(const Endpoint& endpoint, const ChatRequest& request, double timeout) {
    detail::Attempt attempt;
    ChatResult& result = attempt.result;
    std::string_view input = request.prompt();
    if (endpoint.command_input == CommandInput::request) {
      body_.clear();
      append_request_body(body_, endpoint.model, request);
      input = body_.view();
    }
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0) {
      result.error = "cannot create a pipe";
      attempt.cause = cause::command;
      return attempt;
    }
    if (::pipe2(from_child, O_CLOEXEC) != 0) {
      ::close(to_child[0]);
      ::close(to_child[1]);
      result.error = "cannot create a pipe";
      attempt.cause = cause::command;
      return attempt;
    }
    std::vector<char*> argv;
    for (const auto& arg : endpoint.command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const char* folder = endpoint.command_folder.empty() ? nullptr : endpoint.command_folder.c_str();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(to_child[0], STDIN_FILENO);
      ::dup2(from_child[1], STDOUT_FILENO);
      if (folder != nullptr && ::chdir(folder) != 0) ::_exit(127);
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (pid < 0) {
      ::close(to_child[1]);
      ::close(from_child[0]);
      result.error = fmt::format("cannot start {}", command_label_);
      attempt.cause = cause::command;
      return attempt;
    }
    // Write the input and read the output at the same time (no deadlock on
    // large texts), until the output ends or the timeout.
    std::string output;
    std::size_t written = 0;
    int in_fd = to_child[1];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    bool timed_out = false;
    char buffer[65536];
    for (;;) {
      pollfd fds[2] = {{from_child[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timed_out = true;
        break;
      }
      if (::poll(fds, in_fd >= 0 ? 2 : 1, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
      if (in_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        const ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 || written == input.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
        if (n <= 0) break;
        output.append(buffer, static_cast<std::size_t>(n));
      }
    }
    if (in_fd >= 0) ::close(in_fd);
    ::close(from_child[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (timed_out) {
      attempt.retryable = true;
      attempt.cause = cause::timeout;
      result.error = fmt::format("{} timed out", command_label_);
      return attempt;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      attempt.retryable = true;
      attempt.cause = cause::command;
      result.error = fmt::format("{} failed (status {})", command_label_, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
      return attempt;
    }
    if (endpoint.command_input == CommandInput::request) {
      detail::read_response(output, result);
      if (!result.ok) {
        attempt.retryable = true;
        attempt.cause = cause::bad_response;
      }
    } else {
      result.ok = true;
      result.text = std::move(output);
    }
    return attempt;
  }

  std::string command_label_;
  CURL* curl_ = nullptr;
  Buffer body_;
};

}  // namespace prefline::llm
