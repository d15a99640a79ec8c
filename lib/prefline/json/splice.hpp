// Passing records through byte for byte while adding a field: the new member
// is spliced in before the final '}', and (for --overwrite) an old member of
// the same name is cut out of the bytes, leaving everything else as it was.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "prefline/json/fields.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/line_blocks.hpp"

namespace prefline {

// The line with its existing --as member cut out (for --overwrite): the
// member's bytes and one adjacent comma go, everything else stays.
inline std::string without_member(simdjson::ondemand::parser& parser, const JsonlLine& line, std::string_view name,
                           bool& now_empty) {
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  std::string text(line.text);
  if (parser.iterate(line.padded()).get(document) || document.get_object().get(object)) return text;
  const char* base = line.text.data();
  const char* previous_end = nullptr;  // end of the previous member's value
  for (auto result : object) {
    simdjson::ondemand::field field;
    if (std::move(result).get(field)) return text;
    const char* key_start = field.key().raw() - 1;  // the opening quote
    std::string_view key;
    if (field.unescaped_key().get(key)) return text;
    std::string_view raw;
    if (raw_value(field.value(), raw)) return text;
    const char* value_end = raw.data() + raw.size();
    if (key == name) {
      std::size_t cut_from, cut_to;
      if (previous_end != nullptr) {  // cut from the end of the previous value: takes the comma before
        cut_from = static_cast<std::size_t>(previous_end - base);
        cut_to = static_cast<std::size_t>(value_end - base);
      } else {  // first member: cut up to the next member (takes the comma after), or to the '}'
        cut_from = static_cast<std::size_t>(key_start - base);
        std::size_t at = static_cast<std::size_t>(value_end - base);
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) ++at;
        if (at < text.size() && text[at] == ',') ++at;
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) ++at;
        cut_to = at;
      }
      text.erase(cut_from, cut_to - cut_from);
      // Empty now when only whitespace is left between the braces.
      const std::size_t open = text.find('{'), close = text.rfind('}');
      now_empty = open != std::string::npos && close != std::string::npos &&
                  text.find_first_not_of(" \t\r\n", open + 1) == close;
      return text;
    }
    previous_end = value_end;
  }
  return text;
}

// The record up to (not including) its final '}': what a new member is
// written after. Whitespace after the '}' is dropped.
inline std::string_view before_final_brace(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] != '}') --end;
  return text.substr(0, end - 1);
}

// Appends the record up to (not including) its final '}' and then
// `member_and_brace`, e.g. ,"bucket":"final"}\n: the record's own bytes stay
// untouched, whitespace after the '}' is dropped.
inline void append_with_member(Buffer& out, std::string_view text, std::string_view member_and_brace) {
  out.append(before_final_brace(text));
  out.append(member_and_brace);
}

// A record ready for a member `name` to be appended: its bytes before the
// final '}', with its own `name` member cut out first when it has one
// (`has_member`; then `scratch` holds the bytes and `line` must be padded).
// `now_empty`: no member is left (the new one then needs no comma before it).
struct RecordHead {
  std::string_view text;
  bool now_empty = false;
};
inline RecordHead record_head(simdjson::ondemand::parser& parser, const JsonlLine& line, std::string_view name,
                              bool has_member, std::string& scratch) {
  RecordHead head;
  std::string_view text = line.text;
  if (has_member) {
    scratch = without_member(parser, line, name, head.now_empty);
    text = scratch;
  }
  head.text = before_final_brace(text);
  return head;
}


}  // namespace prefline
