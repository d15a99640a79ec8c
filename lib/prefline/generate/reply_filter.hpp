// Output filters of generate (--reject-regex, --min-chars, --max-chars,
// --require-json): a malformed reply (one starting with a tool-call token, an
// empty or runaway one, a missing JSON answer) is asked for again or sent to
// --rejects with the rule that caught it, never written as an answer and
// never dropped silently. Also the JSON object a reply holds, which
// --require-json looks for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pthread.h>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/duel/detail/balanced_ends.hpp"

namespace prefline::generate {

namespace detail {

inline bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline std::string_view trim_ascii_space(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

// True when `text` is one JSON object (validated whole, depth included).
inline bool is_json_object(std::string_view text) {
  if (text.empty() || text.front() != '{' || text.back() != '}') return false;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element element;
  return !parser.parse(text.data(), text.size()).get(element) && element.is_object();
}

// The content of each fenced block (``` or ~~~, three or more, indented by
// at most three spaces; closed by a fence of the same character at least as
// long with nothing but spaces after it) whose info string is empty or
// starts with "json"; f(content) returns true to stop. An unclosed block is
// not offered (a reply cut off inside it).
template <typename F>
bool for_each_json_fence(std::string_view text, F&& f) {
  std::size_t p = 0;
  while (p < text.size()) {
    std::size_t line_end = std::min(text.find('\n', p), text.size());
    std::string_view line = text.substr(p, line_end - p);
    const std::size_t indent = line.find_first_not_of(' ');
    const char fence = indent == std::string_view::npos ? '\0' : line[indent];
    if (indent > 3 || (fence != '`' && fence != '~')) {
      p = line_end + 1;
      continue;
    }
    const std::size_t length = line.find_first_not_of(fence, indent) == std::string_view::npos
                                   ? line.size() - indent
                                   : line.find_first_not_of(fence, indent) - indent;
    if (length < 3) {
      p = line_end + 1;
      continue;
    }
    const std::string_view info = trim_ascii_space(line.substr(indent + length));
    if (fence == '`' && info.find('`') != std::string_view::npos) {  // inline code, not a fence
      p = line_end + 1;
      continue;
    }
    const bool json = info.empty() || (info.substr(0, 4) == "json" || info.substr(0, 4) == "JSON");
    const std::size_t content_start = std::min(line_end + 1, text.size());
    // Find the closing fence.
    std::size_t q = content_start;
    std::size_t close_start = std::string_view::npos, close_end = 0;
    while (q < text.size()) {
      const std::size_t end = std::min(text.find('\n', q), text.size());
      const std::string_view candidate = text.substr(q, end - q);
      const std::size_t at = candidate.find_first_not_of(' ');
      if (at != std::string_view::npos && at <= 3 && candidate[at] == fence) {
        std::size_t run = candidate.find_first_not_of(fence, at);
        if (run == std::string_view::npos) run = candidate.size();
        if (run - at >= length && trim_ascii_space(candidate.substr(run)).empty()) {
          close_start = q;
          close_end = end;
          break;
        }
      }
      q = end + 1;
    }
    if (close_start == std::string_view::npos) return false;
    if (json && f(text.substr(content_start, close_start - content_start))) return true;
    p = close_end + 1;
  }
  return false;
}

inline std::string regex_problem(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  if (code == rc::error_collate) return "invalid collating element";
  if (code == rc::error_ctype) return "invalid character class";
  if (code == rc::error_escape) return "invalid escape or trailing backslash";
  if (code == rc::error_backref) return "invalid back reference";
  if (code == rc::error_brack) return "unmatched '['";
  if (code == rc::error_paren) return "unmatched '(' or ')'";
  if (code == rc::error_brace) return "unmatched '{'";
  if (code == rc::error_badbrace) return "invalid count in '{...}'";
  if (code == rc::error_range) return "invalid character range";
  if (code == rc::error_space) return "out of memory";
  if (code == rc::error_badrepeat) return "nothing to repeat before '*', '+', '?' or '{'";
  if (code == rc::error_complexity) return "too complex";
  if (code == rc::error_stack) return "too complex (stack)";
  return "not a valid regular expression";
}

// libstdc++'s std::regex matches by recursion, about one stack frame per
// character a repetition like `.*` consumes (~280 bytes each at -O2): a
// 30 000-character line overflows a thread's default 8 MiB stack and kills
// the process. Short texts are searched on the caller's stack; a longer one
// on a thread of its own whose stack grows with the text (reserved, not
// touched: only the pages the recursion reaches are used). Should that
// thread not start, the search runs here as before.
inline constexpr std::size_t inline_regex_bytes = 8 * 1024;
// AddressSanitizer's frames are several times larger (clang -O0 with
// use-after-return detection overflowed 1 KiB a byte).
#if defined(__SANITIZE_ADDRESS__)
#define PREFLINE_REGEX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PREFLINE_REGEX_SANITIZED 1
#endif
#endif
#ifdef PREFLINE_REGEX_SANITIZED
inline constexpr std::size_t regex_stack_per_byte = 8 * 1024;
#else
inline constexpr std::size_t regex_stack_per_byte = 1024;
#endif

inline bool regex_search_text(std::string_view text, const std::regex& regex) {
  if (text.size() <= inline_regex_bytes) return std::regex_search(text.begin(), text.end(), regex);
  struct Job {
    std::string_view text;
    const std::regex* regex;
    bool found = false;
    std::exception_ptr error;
  } job{text, &regex, false, nullptr};
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return std::regex_search(text.begin(), text.end(), regex);
  const std::size_t stack = 8 * 1024 * 1024 + text.size() * regex_stack_per_byte;
  pthread_t thread;
  const bool started =
      pthread_attr_setstacksize(&attributes, stack) == 0 &&
      pthread_create(
          &thread, &attributes,
          [](void* argument) -> void* {
            Job& work = *static_cast<Job*>(argument);
            try {
              work.found = std::regex_search(work.text.begin(), work.text.end(), *work.regex);
            } catch (...) {
              work.error = std::current_exception();
            }
            return nullptr;
          },
          &job) == 0;
  pthread_attr_destroy(&attributes);
  if (!started) return std::regex_search(text.begin(), text.end(), regex);
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
  return job.found;
}

}  // namespace detail

// The first JSON object the reply holds: the whole reply (after trimming
// ASCII whitespace), else the content of the first fenced block tagged
// ```json (or untagged ```) that is one object, else the first balanced
// {...} (braces counted outside strings) that parses as an object. nullopt
// when none. A view into `reply`, trimmed.
inline std::optional<std::string_view> find_json_object(std::string_view reply) {
  const std::string_view whole = detail::trim_ascii_space(reply);
  if (detail::is_json_object(whole)) return whole;
  std::optional<std::string_view> found;
  detail::for_each_json_fence(reply, [&](std::string_view content) {
    content = detail::trim_ascii_space(content);
    if (!detail::is_json_object(content)) return false;
    found = content;
    return true;
  });
  if (found) return found;
  if (reply.find('{') == std::string_view::npos) return std::nullopt;
  duel::detail::with_balanced_ends(reply, [&](auto& balanced) {
    for (std::size_t i = reply.find('{'); i != std::string_view::npos; i = reply.find('{', i + 1)) {
      const std::size_t end = balanced.end(i);
      if (end == std::string_view::npos || balanced.depth(i) > simdjson::DEFAULT_MAX_DEPTH) continue;
      // A JSON object starts with '{' then '"' or '}' (after any whitespace).
      const std::size_t first = reply.find_first_not_of(" \t\r\n", i + 1);
      if (reply[first] != '"' && reply[first] != '}') continue;
      if (detail::is_json_object(reply.substr(i, end - i))) {
        found = reply.substr(i, end - i);
        return;
      }
    }
  });
  return found;
}

// Why a reply was rejected. rule: "reject-regex", "min-chars", "max-chars",
// "require-json" (the option's name without dashes); detail: e.g.
// "matches '^<tool_call>'", "12 characters < --min-chars 20",
// "holds no JSON object".
struct Rejection {
  std::string rule;
  std::string detail;
};

// The rules a reply must pass, checked in the order: every --reject-regex (in
// the order given), --min-chars, --max-chars, --require-json; the first that
// fails is the reason. Lengths count Unicode code points of the UTF-8 text
// (bytes that do not continue a sequence) and both bounds are inclusive: a
// reply of exactly N code points passes --min-chars N and --max-chars N.
class ReplyFilter {
 public:
  // ECMAScript std::regex, searched for anywhere in the reply (anchor with ^
  // or $ to match at an end; ^ and $ match only at the reply's ends; '.'
  // does not match a line break). A bad pattern throws UsageError
  // "--reject-regex 'X': <why>". std::regex backtracks: a pattern such as
  // `.*x` (unanchored, a repetition then a literal) takes time quadratic in
  // a long line; prefer anchored or literal patterns.
  void add_reject_regex(const std::string& pattern) {
    try {
      patterns_.emplace_back(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
    } catch (const std::regex_error& error) {
      throw UsageError(fmt::format("--reject-regex '{}': {}", pattern, detail::regex_problem(error.code())));
    }
  }
  void set_min_chars(std::size_t n) { min_chars_ = n; }
  void set_max_chars(std::size_t n) { max_chars_ = n; }
  void set_require_json(bool on) { require_json_ = on; }

  // True when any rule is set (else check() always passes).
  bool active() const { return !patterns_.empty() || min_chars_ > 0 || max_chars_.has_value() || require_json_; }

  std::optional<Rejection> check(std::string_view reply) const {
    for (const auto& [text, regex] : patterns_)
      if (detail::regex_search_text(reply, regex))
        return Rejection{"reject-regex", fmt::format("matches '{}'", text)};
    if (min_chars_ > 0 || max_chars_) {
      const std::size_t length = code_points(reply);
      if (length < min_chars_)
        return Rejection{"min-chars", fmt::format("{} < --min-chars {}", characters(length), min_chars_)};
      if (max_chars_ && length > *max_chars_)
        return Rejection{"max-chars", fmt::format("{} > --max-chars {}", characters(length), *max_chars_)};
    }
    if (require_json_ && !find_json_object(reply)) return Rejection{"require-json", "holds no JSON object"};
    return std::nullopt;
  }

  // The number of Unicode code points of UTF-8 text (its bytes that are not
  // continuation bytes 10xxxxxx; an invalid sequence counts by its lead bytes).
  static std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (unsigned char c : text) count += (c & 0xC0) != 0x80;
    return count;
  }

 private:
  static std::string characters(std::size_t n) { return fmt::format("{} character{}", n, n == 1 ? "" : "s"); }

  std::vector<std::pair<std::string, std::regex>> patterns_;
  std::size_t min_chars_ = 0;
  std::optional<std::size_t> max_chars_;
  bool require_json_ = false;
};

}  // namespace prefline::generate
