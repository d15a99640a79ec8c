// label's two HTTP servers: the page (one HTML page, its script and style,
// the JSON API) and, on another port and so another origin, the answers'
// own files for the sandboxed frame. Every request needs the token when
// there is one; no path of a request names a file: answers' files are
// served from memory by item number and name.
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/label/page.hpp"
#include "prefline/label/session.hpp"
#include "prefline/label/settings.hpp"

namespace prefline::label {

inline bool same_token(std::string_view given, std::string_view expected) {
  // Compared in time independent of where they differ.
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return difference == 0;
}

inline void send_error(httplib::Response& response, int status, std::string_view message) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  json.begin_object().key("error").string(message).end_object();
  response.status = status;
  response.set_content(std::string(out.view()), "application/json");
}

inline std::string_view content_type_of(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".csv", "text/csv; charset=utf-8"}, {".svg", "image/svg+xml"}};
  for (const auto& [extension, type] : types)
    if (name.ends_with(extension)) return type;
  return "text/plain; charset=utf-8";
}

// An address as the host part of a URL.
inline std::string host_of(const std::string& bind) {
  return bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
}

// The answers' files, from memory by item number and name, on their own
// port: another origin than the page, so an answer's scripts can never
// read the grader's data or call the page's API. The token is part of the
// path, so relative URLs inside an answer (fetch('data.csv')) carry it.
class AnswerFiles {
 public:
  AnswerFiles(const Settings& settings, const Labeler& labeler) : settings_(settings), labeler_(labeler) {
    server_.set_tcp_nodelay(true);
    server_.set_payload_max_length(settings.max_body);
    port_ = settings.files_port == 0 ? server_.bind_to_any_port(settings.bind)
                                     : (server_.bind_to_port(settings.bind, settings.files_port) ? settings.files_port : -1);
    if (port_ < 0)
      throw prefline::DataError(fmt::format("cannot listen on '{}' port {}", settings.bind, settings.files_port));
    server_.Get(R"(/t/([A-Za-z0-9_-]*)/i/(\d{1,9})/(.+))",
                [this](const httplib::Request& request, httplib::Response& response) { answer(request, response); });
  }
  AnswerFiles(const AnswerFiles&) = delete;
  AnswerFiles& operator=(const AnswerFiles&) = delete;
  ~AnswerFiles() { stop(); }

  // The page that may frame the answers ('none': opened on their own).
  void set_frame_ancestor(std::string origin) { frame_ancestor_ = std::move(origin); }
  void start() {
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::string origin() const { return fmt::format("http://{}:{}", host_of(settings_.bind), port_); }
  // Where item `index`'s index.html is served.
  std::string index_url(std::size_t index) const {
    return fmt::format("{}/t/{}/i/{}/index.html", origin(), settings_.token, index);
  }

 private:
  void answer(const httplib::Request& request, httplib::Response& response) const {
    if (!settings_.token.empty() && !same_token(request.matches[1].str(), settings_.token))
      return send_error(response, 403, "a token is needed");
    const std::string* content = labeler_.answer_file(std::stoul(request.matches[2].str()), request.matches[3].str());
    if (content == nullptr) return send_error(response, 404, "no such file in this answer");
    // The answer may run its own scripts and load libraries from a CDN,
    // but not post forms nor be framed by another page; 'sandbox' gives it
    // an opaque origin even when opened on its own (--tty), and CORS lets
    // that opaque origin fetch its own data files.
    response.set_header("Content-Security-Policy",
                        "default-src 'self' https: data: blob: 'unsafe-inline' 'unsafe-eval'; form-action 'none'; "
                        "sandbox allow-scripts; frame-ancestors " + frame_ancestor_);
    response.set_header("Access-Control-Allow-Origin", "*");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_content(*content, std::string(content_type_of(request.matches[3].str())));
  }

  const Settings& settings_;
  const Labeler& labeler_;
  httplib::Server server_;
  int port_ = -1;
  std::string frame_ancestor_ = "'none'";
  std::thread thread_;
};

// Serves the page until interrupted; prints its URL on stdout once both
// servers listen.
inline void serve_page(const Settings& settings, Labeler& labeler, bool quiet) {
  AnswerFiles files(settings, labeler);
  httplib::Server app;
  // Responses go out at once: with Nagle's algorithm on, httplib's separate
  // writes of headers and body wait for the client's delayed ACK (~40 ms a grade).
  app.set_tcp_nodelay(true);
  // httplib closes a kept-alive connection after 5 requests by default; a
  // grader's page posts thousands over one.
  app.set_keep_alive_max_count(1000000);
  const int port = settings.port == 0 ? app.bind_to_any_port(settings.bind)
                                      : (app.bind_to_port(settings.bind, settings.port) ? settings.port : -1);
  if (port < 0) throw prefline::DataError(fmt::format("cannot listen on '{}' port {}", settings.bind, settings.port));
  const std::string host = host_of(settings.bind);
  const std::string files_origin = files.origin();
  files.set_frame_ancestor(fmt::format("http://{}:{}", host, port));

  const auto authorised = [&](const httplib::Request& request) {
    if (settings.token.empty()) return true;
    const std::string given =
        request.has_header("X-Label-Token") ? request.get_header_value("X-Label-Token") : request.get_param_value("token");
    return same_token(given, settings.token);
  };
  app.set_payload_max_length(settings.max_body);
  app.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    if (!authorised(request)) {
      send_error(response, 403, "a token is needed: open the URL label printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const std::string csp = fmt::format(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
      "frame-src {}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
      files_origin);
  const auto page_headers = [&](httplib::Response& response) {
    response.set_header("Content-Security-Policy", csp);
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Cache-Control", "no-store");
  };
  // The grader of a request: ?grader= (a checked file stem), else --grader.
  const auto grader_of = [&](const httplib::Request& request, httplib::Response& response) -> Grader* {
    std::string name = request.has_param("grader") ? request.get_param_value("grader") : settings.grader;
    if (name.empty()) {
      send_error(response, 400, "no grader: open the page with ?grader=NAME");
      return nullptr;
    }
    if (auto problem = label::grader_name_problem(name)) {
      send_error(response, 400, *problem);
      return nullptr;
    }
    return &labeler.grader(name);
  };
  app.Get("/", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    std::string page(label::page_html);
    const std::string suffix = settings.token.empty() ? std::string() : "?token=" + settings.token;
    for (std::size_t at; (at = page.find("{{TOKEN}}")) != std::string::npos;) page.replace(at, 9, suffix);
    response.set_content(page, "text/html; charset=utf-8");
  });
  // No icon, but an answer (204) rather than a 404 in the grader's console.
  app.Get("/favicon.ico", [&](const httplib::Request&, httplib::Response& response) { response.status = 204; });
  app.Get("/app.js", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    response.set_content(std::string(label::page_js), "text/javascript; charset=utf-8");
  });
  app.Get("/app.css", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    response.set_content(std::string(label::page_css), "text/css; charset=utf-8");
  });
  app.Get("/api/state", [&](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    std::string state = labeler.state_json(*grader);
    state.pop_back();
    state += fmt::format(",\"filesOrigin\":\"{}\",\"filesToken\":\"{}\"}}", files_origin, settings.token);
    response.set_content(state, "application/json");
  });
  app.Get("/api/items", [&](const httplib::Request& request, httplib::Response& response) {
    const auto number = [&](const char* name, std::size_t fallback) -> std::optional<std::size_t> {
      if (!request.has_param(name)) return fallback;
      const std::string text = request.get_param_value(name);
      std::size_t value = 0;
      const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (failed != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return value;
    };
    const auto offset = number("offset", 0);
    const auto limit = number("limit", settings.page_size);
    if (!offset || !limit || *limit == 0 || *limit > settings.page_size)
      return send_error(response, 400, fmt::format("offset must be a number, limit from 1 to {}", settings.page_size));
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    response.set_content(labeler.items_json(*grader, *offset, *limit), "application/json");
  });
  app.Get("/api/agreement", [&](const httplib::Request& request, httplib::Response& response) {
    if (settings.compare) return send_error(response, 404, "agreement of votes: run votes on the vote files");
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    response.set_content(labeler.agreement_json(*grader), "application/json");
  });
  const auto post = [&](bool is_vote) {
    return [&, is_vote](const httplib::Request& request, httplib::Response& response) {
      const auto started = std::chrono::steady_clock::now();
      if (settings.compare != is_vote) return send_error(response, 404, is_vote ? "not in --rate mode" : "not in --compare mode");
      thread_local simdjson::dom::parser parser;
      simdjson::padded_string body(request.body);
      simdjson::dom::object object;
      if (parser.parse(body).get(object) != simdjson::SUCCESS) return send_error(response, 400, "the body is not a JSON object");
      std::lock_guard lock(labeler.mutex());
      Grader* grader = grader_of(request, response);
      if (grader == nullptr) return;
      try {
        const std::string problem = is_vote ? labeler.vote(*grader, object) : labeler.grade(*grader, object);
        if (!problem.empty()) return send_error(response, 400, problem);
      } catch (const std::exception& failure) {
        // Not saved: the page keeps the change and says so.
        fmt::print(stderr, "label: {}\n", failure.what());
        return send_error(response, 500, failure.what());
      }
      response.set_content(R"({"saved":true})", "application/json");
      // The time this server took to save (parse, journal + fdatasync, sheet
      // rewritten), for the page's developer tools and bench/label.sh.
      const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
      response.set_header("Server-Timing", fmt::format("save;dur={:.3f}", took.count()));
    };
  };
  app.Post("/api/grade", post(false));
  app.Post("/api/vote", post(true));

  files.start();
  std::string url = fmt::format("http://{}:{}/", host, port);
  std::string query;
  if (!settings.token.empty()) query += "token=" + settings.token;
  if (!settings.grader.empty()) query += (query.empty() ? "" : "&") + std::string("grader=") + settings.grader;
  if (!query.empty()) url += "?" + query;
  fmt::print("label: {}\n", url);
  std::fflush(stdout);
  if (!quiet)
    fmt::print(stderr, "label: {} items ({}), files in '{}'; answers' files from port {}\n", labeler.items().size(),
               settings.compare ? "compare" : "rate", settings.out, files.port());
  const bool listened = app.listen_after_bind();
  files.stop();
  if (!listened) throw prefline::DataError("the server stopped with an error");
}


}  // namespace prefline::label
