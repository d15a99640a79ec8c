// Keys made of JSON values that keep each value's type, so that the string "1"
// and the number 1 are different keys, and that join several values without
// ambiguity ("a","bc" is not "ab","c"). Tools group records by them (consensus
// items, pairup groups, report names) and hash them (bucket --key, balance
// --key, pairup's random pick): hashed bytes decide output, so never change them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace prefline {

// The type tag that starts each part of a key.
namespace key_tag {
inline constexpr char string = 's';  // a string's unescaped text
inline constexpr char number = 'n';  // a number's text
inline constexpr char json = 'j';    // any value as compact JSON
}  // namespace key_tag

// Appends one part of a key: its tag, its length (8 bytes, little-endian on
// every machine) and its bytes. The length keeps any byte usable inside a part.
inline void append_key_part(std::string& key, char tag, std::string_view bytes) {
  key.push_back(tag);
  std::uint64_t size = bytes.size();
  for (int i = 0; i < 8; ++i, size >>= 8) key.push_back(static_cast<char>(size & 0xFF));
  key.append(bytes);
}

// Appends a parsed value: a string by its unescaped text, anything else as
// compact JSON (so 1 and 1.0 stay apart). The key bucket --key and balance
// --key hash.
inline void append_key_part(std::string& key, simdjson::dom::element value) {
  if (value.is_string()) {
    append_key_part(key, key_tag::string, value.get_string().value_unsafe());
  } else {
    append_key_part(key, key_tag::json, simdjson::minify(value));
  }
}

// A key of exactly one value: the tag, then the bytes. Nothing follows the
// bytes, so no length is needed to keep keys apart. pairup seeds its random
// pick with the hash of this form, so it stays as it is.
inline std::string single_value_key(char tag, std::string_view bytes) {
  std::string key;
  key.reserve(bytes.size() + 1);
  key.push_back(tag);
  key.append(bytes);
  return key;
}

}  // namespace prefline
