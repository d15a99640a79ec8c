// Whitespace-normalised text, so that generate can tell that two samples of
// one prompt gave the same reply (generation.duplicate_of, --distinct) even
// when they differ only in spacing, line breaks or a trailing newline.
//
// Whitespace is every code point with the Unicode White_Space property:
// ASCII space, tab, LF, VT, FF, CR; U+0085, U+00A0 (no-break space), U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. Every run of them
// becomes one ASCII space, and the text is trimmed at both ends. Nothing else
// changes (no case folding, no Unicode normalisation); bytes that are not
// valid UTF-8 are kept as they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace prefline::generate {

namespace detail {
// The length in bytes of the whitespace code point at text[i], or 0.
inline std::size_t whitespace_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2) return byte(i + 1) == 0x85 || byte(i + 1) == 0xA0 ? 2 : 0;
  if (c == 0xE1) return byte(i + 1) == 0x9A && byte(i + 2) == 0x80 ? 3 : 0;  // U+1680
  if (c == 0xE2) {
    const unsigned b1 = byte(i + 1), b2 = byte(i + 2);
    if (b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) return 3;
    return b1 == 0x81 && b2 == 0x9F ? 3 : 0;  // U+205F
  }
  if (c == 0xE3) return byte(i + 1) == 0x80 && byte(i + 2) == 0x80 ? 3 : 0;  // U+3000
  return 0;
}
}  // namespace detail

inline std::string normalise_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool gap = false;  // whitespace seen since the last kept character
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t length = detail::whitespace_length(text, i)) {
      gap = true;
      i += length;
      continue;
    }
    if (gap && !out.empty()) out.push_back(' ');
    gap = false;
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace prefline::generate
