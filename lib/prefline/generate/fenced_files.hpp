// The files of a reply that gives each file as a name line then a fenced
// code block (generate --files): a benchmark asks models for whole files and
// keeps them as a `files` map {name: content}, the vizhub layout pairup
// reads (pairs/texts.hpp renders such a map back as "**name**\n\n```\n
// content\n```", so the content here is exactly what sits between the fences).
//
// A name line is a whole line (spaces around it ignored) in one of the forms
//   **index.html**     **index.html**:     **index.html:**
//   `index.html`       `index.html`:
//   ### index.html     (1 to 6 '#'; the name may be in ** or ` as above)
//   File: index.html   (any case of "file:"; the name may be in ** or `)
// directly followed by a fenced block (blank lines between are allowed). A
// name must contain a '.' or a '/' (index.html, src/app, .env; a heading
// such as "### Explanation" or "**Output:**" before a code sample is not a
// file) and no whitespace; a leading "./" is dropped. A name that is not a
// relative path ('..' or '.' parts, a leading '/', '//', a backslash) is an
// error, as is a name given twice and a file whose block never closes (a
// reply cut off mid-file).
//
// Fences as in CommonMark: three or more backticks or tildes indented by at
// most three spaces (a backtick fence's info string has no backtick); the
// closing fence uses the same character, is at least as long and has nothing
// after it but spaces. The content is the lines between the fences, without
// the line break before the closing fence. Code blocks without a name line
// are skipped whole (a name line inside one does not count).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace prefline::generate {

struct FencedFile {
  std::string name;
  std::string content;
};

namespace detail {

inline std::string_view trim_line_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// `text` without one pair of `mark` around it; false when it has none.
inline bool unwrap(std::string_view& text, std::string_view mark) {
  if (text.size() <= 2 * mark.size() || !text.starts_with(mark) || !text.ends_with(mark)) return false;
  text = text.substr(mark.size(), text.size() - 2 * mark.size());
  return true;
}

// A name in ** or ` (or bare, when `bare`), with a ':' after it or inside
// the closing mark.
inline bool marked_name(std::string_view text, bool bare, std::string_view& name) {
  if (text.ends_with(':') && !text.ends_with("::")) {
    std::string_view before = text.substr(0, text.size() - 1);
    if (unwrap(before, "**") || unwrap(before, "`")) {
      name = before;
      return true;
    }
  }
  if (unwrap(text, "**") || unwrap(text, "`")) {
    if (text.ends_with(':')) text.remove_suffix(1);
    name = text;
    return true;
  }
  if (!bare) return false;
  name = text;
  return true;
}

// The name a line gives, if the line is a name line; `name` may still be a
// bad path (checked when a block follows).
inline bool name_line(std::string_view line, std::string_view& name) {
  line = trim_line_blanks(line);
  if (line.starts_with('#')) {
    const std::size_t hashes = line.find_first_not_of('#');
    if (hashes == std::string_view::npos || hashes > 6 || (line[hashes] != ' ' && line[hashes] != '\t')) return false;
    if (!marked_name(trim_line_blanks(line.substr(hashes)), true, name)) return false;
  } else if (line.size() > 5 && (line[0] == 'F' || line[0] == 'f') && (line[1] == 'I' || line[1] == 'i') &&
             (line[2] == 'L' || line[2] == 'l') && (line[3] == 'E' || line[3] == 'e') && line[4] == ':') {
    if (!marked_name(trim_line_blanks(line.substr(5)), true, name)) return false;
  } else if (!marked_name(line, false, name)) {
    return false;
  }
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return false;
  return name.find_first_of("./") != std::string_view::npos;
}

// Why `name` is not a relative path, or "" when it is.
inline std::string bad_path(std::string_view name) {
  if (name.starts_with('/')) return "starts with '/'";
  if (name.find('\\') != std::string_view::npos) return "holds a backslash";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return "holds a control character";
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, slash - start);
    if (part.empty()) return slash == name.size() ? "ends with '/'" : "holds '//'";
    if (part == "." || part == "..") return fmt::format("holds a '{}' part", part);
    if (slash == name.size()) return {};
    start = slash + 1;
  }
}

struct Fence {
  char mark = '\0';
  std::size_t length = 0;
};

inline bool opening_fence(std::string_view line, Fence& fence) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t at = line.find_first_not_of(' ');
  if (at == std::string_view::npos || at > 3 || (line[at] != '`' && line[at] != '~')) return false;
  const char mark = line[at];
  std::size_t end = line.find_first_not_of(mark, at);
  if (end == std::string_view::npos) end = line.size();
  if (end - at < 3) return false;
  if (mark == '`' && line.find('`', end) != std::string_view::npos) return false;
  fence = {mark, end - at};
  return true;
}

inline bool closing_fence(std::string_view line, const Fence& fence) {
  const std::size_t at = line.find_first_not_of(' ');
  if (at == std::string_view::npos || at > 3 || line[at] != fence.mark) return false;
  std::size_t end = line.find_first_not_of(fence.mark, at);
  if (end == std::string_view::npos) end = line.size();
  return end - at >= fence.length && trim_line_blanks(line.substr(end)).empty();
}

}  // namespace detail

// Returns true and fills `files` (cleared first) with {name, content} in
// order of appearance, empty when the reply names no file; or false with
// `error` set (e.g. "file 'index.html' is given twice (lines 3 and 40)").
inline bool parse_fenced_files(std::string_view reply, std::vector<FencedFile>& files, std::string& error) {
  files.clear();
  std::vector<std::size_t> name_lines;  // per file: its name line, 1-based
  std::string_view pending;             // the name of the last name line, blank lines since
  std::size_t pending_line = 0;
  std::size_t line_number = 0;
  std::size_t p = 0;
  while (p < reply.size()) {
    const std::size_t end = std::min(reply.find('\n', p), reply.size());
    const std::string_view line = reply.substr(p, end - p);
    ++line_number;
    p = end + 1;
    detail::Fence fence;
    if (detail::opening_fence(line, fence)) {
      const std::size_t content_start = std::min(p, reply.size());
      std::size_t content_end = std::string_view::npos;
      while (p < reply.size()) {
        const std::size_t close_end = std::min(reply.find('\n', p), reply.size());
        ++line_number;
        const bool closes = detail::closing_fence(reply.substr(p, close_end - p), fence);
        const std::size_t line_start = p;
        p = close_end + 1;
        if (closes) {
          content_end = line_start;
          break;
        }
      }
      if (!pending.empty()) {
        std::string name(pending);
        if (name.starts_with("./")) name.erase(0, 2);
        if (const std::string why = detail::bad_path(name); !why.empty()) {
          error = fmt::format("file name '{}' (line {}) is not a relative path: it {}", pending, pending_line, why);
          return false;
        }
        if (content_end == std::string_view::npos) {
          error = fmt::format("file '{}' (line {}) has no closing fence", name, pending_line);
          return false;
        }
        for (std::size_t i = 0; i < files.size(); ++i)
          if (files[i].name == name) {
            error = fmt::format("file '{}' is given twice (lines {} and {})", name, name_lines[i], pending_line);
            return false;
          }
        // The line break before the closing fence is not content ("\n", or "\r\n").
        std::size_t content_size = content_end > content_start ? content_end - content_start - 1 : 0;
        if (content_size > 0 && reply[content_start + content_size - 1] == '\r') --content_size;
        files.push_back(FencedFile{std::move(name), std::string(reply.substr(content_start, content_size))});
        name_lines.push_back(pending_line);
      }
      pending = {};
      continue;
    }
    if (detail::trim_line_blanks(line).empty()) continue;  // blank lines may separate a name from its block
    std::string_view name;
    if (detail::name_line(line, name)) {
      pending = name;
      pending_line = line_number;
    } else {
      pending = {};
    }
  }
  return true;
}

}  // namespace prefline::generate
