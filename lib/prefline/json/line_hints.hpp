// A bad line's reason made useful: when a line is not JSON because the file
// is something else (CSV, a JSON array, pretty-printed JSON, another text
// encoding), say so and say how to convert it, in the same words in every
// tool. BadRecords applies it to every bad record it reports.
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline {

// The offset of the first byte that breaks UTF-8 (overlong forms, surrogates
// and code points past U+10FFFF included), or npos when the text is valid.
inline std::size_t first_invalid_utf8(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

namespace detail {
inline bool is_json_reason(std::string_view reason) {
  return reason.rfind("invalid JSON", 0) == 0 || reason.rfind("expected a JSON object", 0) == 0 ||
         reason.rfind("invalid UTF-8", 0) == 0;
}

inline std::string_view trim_json_space(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}
}  // namespace detail

inline constexpr std::string_view csv_hint = "this looks like CSV; convert it with csv2jsonl first";
inline constexpr std::string_view tsv_hint =
    "this looks like tab-separated values; convert it with csv2jsonl -d '\\t' first";
inline constexpr std::string_view json_array_hint =
    "this looks like a JSON array; JSON Lines has one object per line (jq -c '.[]' converts it)";
inline constexpr std::string_view inner_bom_hint =
    "a byte order mark (EF BB BF) opens this line: only a file's first line may have one (were files "
    "joined with cat? give them to the tool as arguments instead)";
inline constexpr std::string_view pretty_json_hint =
    "this looks like JSON spread over several lines; JSON Lines has one object per line (jq -c . converts it)";

// `reason` for the line `raw`, with the hint when the line's shape explains
// it. Reasons that are not about JSON syntax (a missing field...) pass unchanged.
inline std::string explain_bad_line(std::string_view raw, std::string_view reason) {
  if (!detail::is_json_reason(reason)) return std::string(reason);
  if (reason.rfind("invalid UTF-8", 0) == 0) {
    const std::size_t at = first_invalid_utf8(raw);
    if (at == std::string_view::npos) return std::string(reason);
    return fmt::format(
        "invalid UTF-8 at byte {} of the line (0x{:02X}); if the file is in another encoding, convert it "
        "first, e.g. iconv -f windows-1252 -t utf-8",
        at + 1, static_cast<unsigned char>(raw[at]));
  }
  const std::string_view line = detail::trim_json_space(raw);
  if (line.empty()) return std::string(reason);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) return std::string(inner_bom_hint);
  const char first = line.front();
  if (first == '[') return std::string(json_array_hint);
  if (line == "{" || line == "}" || line == "]" || line == "}," || line == "},") return std::string(pretty_json_hint);
  if (first == '{') return std::string(reason);
  // A pretty-printed object's inner line: "key": value,
  if (first == '"' && line.find("\":") != std::string_view::npos &&
      (line.back() == ',' || line.back() == '{' || line.back() == '[')) return std::string(pretty_json_hint);
  // A header or row of cells: starts like text (not a byte of a multi-byte
  // character, not JSON punctuation) and has a separator.
  const auto lead = static_cast<unsigned char>(first);
  const bool text_start = lead < 0x80 && (std::isalnum(lead) != 0 || first == '"' || first == '_');
  if (text_start && line.find('\t') != std::string_view::npos && line.find(',') == std::string_view::npos)
    return std::string(tsv_hint);
  if (text_start && line.find_first_of(",\t;") != std::string_view::npos) return std::string(csv_hint);
  return std::string(reason);
}

}  // namespace prefline
