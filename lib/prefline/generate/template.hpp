// Prompt templates for generate (--template, --system-template): a text with
// placeholders filled from the fields of each prompt record, so a prompt that
// adds hidden reference information (the challenger's) is built from the
// record rather than by a script. Parsed once into literal and field parts,
// then rendered per record with no search through the text.
//
// Syntax:
//   {{field}}        the record's top-level field `field`
//   {{a.b.c}}        a dotted path into nested objects
//   {{ a.b }}        spaces or tabs inside the braces are allowed
//   \{{              a literal "{{" (the backslash is dropped); it is the only
//                    escape: any other backslash, and a "}}" on its own, are
//                    literal text
// A field name is one or more segments of ASCII letters, digits, '_' and '-',
// joined by '.'. A placeholder lies on one line.
//
// Values: a string is inserted as its text (unescaped, no quotes); a number
// in the shortest form that reads back as the same number (5.0 as 5, as our
// JSON writer prints numbers); true/false, an object or an array as compact
// JSON text (json/dom_value.hpp display_text). A field that is
// missing (or null, or below a value that is not an object) fails the render
// with a message naming the template, the line and the field: a prompt with
// a hole in it is never sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/dom_value.hpp"

namespace prefline::generate {

class Template {
 public:
  // `source` names the template in messages (a file path or "--template").
  // Throws prefline::UsageError on a malformed placeholder ("{{" without "}}",
  // empty name, bad characters), naming source and line.
  static Template parse(std::string_view text, std::string source) {
    Template result;
    result.source_ = std::move(source);
    std::string literal;
    std::size_t line = 1;
    std::size_t p = 0;
    while (p < text.size()) {
      const char c = text[p];
      if (c == '\\' && text.substr(p + 1, 2) == "{{") {
        literal += "{{";
        p += 3;
        continue;
      }
      if (c == '{' && text.substr(p, 2) == "{{") {
        const std::size_t line_end = std::min(text.find('\n', p), text.size());
        const std::size_t close = text.substr(0, line_end).find("}}", p + 2);
        if (close == std::string_view::npos)
          throw UsageError(fmt::format("template '{}' line {}: '{{{{' without '}}}}' on the same line (write "
                                       "\\{{{{ for a literal '{{{{')",
                                       result.source_, line));
        const std::string_view inside = text.substr(p + 2, close - p - 2);
        const std::string_view name = trim_blanks(inside);
        if (name.empty())
          throw UsageError(fmt::format("template '{}' line {}: '{{{{{}}}}}' has no field name", result.source_, line,
                                       inside));
        std::vector<std::string> path;
        if (!split_path(name, path))
          throw UsageError(fmt::format(
              "template '{}' line {}: '{}' is not a field name (letters, digits, '_' and '-'; a dotted path as "
              "{{{{a.b}}}})",
              result.source_, line, name));
        if (!literal.empty()) result.parts_.push_back(Part{std::move(literal), npos, 0});
        literal.clear();
        result.parts_.push_back(Part{{}, result.field_index(name, std::move(path)), line});
        p = close + 2;
        continue;
      }
      if (c == '\n') ++line;
      literal.push_back(c);
      ++p;
    }
    if (!literal.empty()) result.parts_.push_back(Part{std::move(literal), npos, 0});
    for (const Part& part : result.parts_) result.literal_size_ += part.literal.size();
    return result;
  }

  // Renders `record` (a JSON object). On success returns true and sets `out`.
  // A placeholder whose field is missing (or null) returns false and sets
  // `error` to e.g. "template 'challenger.md' line 3: field 'commit.patch' is
  // missing from the record".
  bool render(simdjson::dom::element record, std::string& out, std::string& error) const {
    out.clear();
    out.reserve(literal_size_);
    for (const Part& part : parts_) {
      if (part.field == npos) {
        out += part.literal;
        continue;
      }
      const Field& field = fields_data_[part.field];
      simdjson::dom::element value = record;
      for (std::size_t depth = 0; depth < field.path.size(); ++depth) {
        simdjson::dom::object object;
        if (value.get_object().get(object)) {
          if (depth == 0) {
            error = fmt::format("template '{}' line {}: field '{}' is missing: the record is {}, not an object", source_,
                                part.line, fields_[part.field], type_name(value));
            return false;
          }
          error = fmt::format("template '{}' line {}: field '{}' is missing from the record ('{}' is {}, not an object)",
                              source_, part.line, fields_[part.field], prefix_of(field.path, depth), type_name(value));
          return false;
        }
        if (object.at_key(field.path[depth]).get(value) || value.is_null()) {
          error = fmt::format("template '{}' line {}: field '{}' is missing from the record", source_, part.line,
                              fields_[part.field]);
          return false;
        }
      }
      std::string_view text;
      if (!value.get_string().get(text)) out += text;
      else out += display_text(value);
    }
    return true;
  }

  // The dotted paths it uses, in first-use order, once each.
  const std::vector<std::string>& fields() const { return fields_; }

  // The name given to parse().
  const std::string& source() const { return source_; }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  struct Part {
    std::string literal;  // when field == npos
    std::size_t field;    // index into fields_
    std::size_t line;     // of a field: the line of its placeholder
  };
  struct Field {
    std::vector<std::string> path;
  };

  static std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
  }

  static bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  static bool split_path(std::string_view name, std::vector<std::string>& path) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = std::min(name.find('.', start), name.size());
      const std::string_view segment = name.substr(start, dot - start);
      if (segment.empty()) return false;
      for (char c : segment)
        if (!is_name_char(c)) return false;
      path.emplace_back(segment);
      if (dot == name.size()) return true;
      start = dot + 1;
    }
  }

  static std::string prefix_of(const std::vector<std::string>& path, std::size_t depth) {
    std::string prefix;
    for (std::size_t i = 0; i < depth; ++i) {
      if (i > 0) prefix += '.';
      prefix += path[i];
    }
    return prefix;
  }

  std::size_t field_index(std::string_view name, std::vector<std::string> path) {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i] == name) return i;
    fields_.emplace_back(name);
    fields_data_.push_back(Field{std::move(path)});
    return fields_.size() - 1;
  }

  std::string source_;
  std::vector<Part> parts_;
  std::vector<std::string> fields_;
  std::vector<Field> fields_data_;
  std::size_t literal_size_ = 0;
};

}  // namespace prefline::generate
