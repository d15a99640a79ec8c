// An in-process chat-completions server on 127.0.0.1 for the llm/ tests:
// each test scripts the replies (status, headers, body, delay) and reads
// back what the server received (bodies, Authorization headers).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

namespace llm_test {

struct Scripted {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  Scripted(int status, std::string body, Headers headers = {}, std::chrono::milliseconds delay = {})
      : status(status), body(std::move(body)), headers(std::move(headers)), delay(delay) {}
  int status;
  std::string body;
  Headers headers;
  std::chrono::milliseconds delay;
};

// A chat-completions response body with `content`.
inline std::string completion(const std::string& content, const std::string& finish_reason = "stop",
                              int prompt_tokens = 11, int completion_tokens = 7) {
  std::string escaped;
  for (char c : content) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":")" + escaped +
         R"("},"finish_reason":")" + finish_reason + R"("}],"usage":{"prompt_tokens":)" +
         std::to_string(prompt_tokens) + R"(,"completion_tokens":)" + std::to_string(completion_tokens) + "}}";
}

class LoopbackServer {
 public:
  // reply(n): the answer to request number n (0-based).
  explicit LoopbackServer(std::function<Scripted(int)> reply) : reply_(std::move(reply)) {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& request, httplib::Response& response) {
      int n;
      {
        std::lock_guard lock(mutex_);
        n = static_cast<int>(bodies_.size());
        bodies_.push_back(request.body);
        authorizations_.push_back(request.get_header_value("Authorization"));
      }
      const Scripted scripted = reply_(n);
      if (scripted.delay.count() > 0) std::this_thread::sleep_for(scripted.delay);
      response.status = scripted.status;
      for (const auto& [name, value] : scripted.headers) response.set_header(name, value);
      response.set_content(scripted.body, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Requests sent before listen() starts wait in the socket's backlog, but a
    // stop() before it would be lost: wait until the server runs.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int requests() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(bodies_.size());
  }
  std::string body(int n) const {
    std::lock_guard lock(mutex_);
    return bodies_.at(static_cast<std::size_t>(n));
  }
  std::string authorization(int n) const {
    std::lock_guard lock(mutex_);
    return authorizations_.at(static_cast<std::size_t>(n));
  }

 private:
  std::function<Scripted(int)> reply_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_, authorizations_;
};

}  // namespace llm_test
