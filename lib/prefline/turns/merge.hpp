// --merge-sample: the bottom N of turn records that other turns runs wrote
// with --with-hash, e.g. each shard's own bottom N. The bottom N of a union is
// the bottom N of its parts' bottom Ns, and a record carries what orders it:
// its rank as source.hash, and its tie as the hash of the record without its
// source. So the merge writes the bytes one run over the whole input writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "prefline/turns/turn_record.hpp"

namespace prefline::turns {

// `,"hash":"` + 16 hex digits + `"}`: how --with-hash ends a source.
inline constexpr std::string_view hash_member_key = ",\"hash\":\"";
inline constexpr std::size_t hash_digits = 16;
inline constexpr std::size_t hash_member_size = hash_member_key.size() + hash_digits + 1;  // with its closing quote

// Where the top-level member "source" (its leading comma included) lies in a
// compact record, as turns writes it; nothing when there is none. Quotes
// inside strings are escaped, so a key is a string at depth 1 followed by ':'.
inline std::optional<SourceSpan> find_source(std::string_view record) {
  constexpr std::string_view key = "\"source\":{";
  int depth = 0;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (c == '"') {
      const std::size_t start = i;
      for (++i; i < record.size() && record[i] != '"'; ++i)
        if (record[i] == '\\') ++i;
      if (depth == 1 && start > 0 && record[start - 1] == ',' && record.substr(start, key.size()) == key) {
        // The value: an object whose end is the brace that brings the depth back.
        int inner = 0;
        for (std::size_t j = start + key.size() - 1; j < record.size(); ++j) {
          const char d = record[j];
          if (d == '"') {
            for (++j; j < record.size() && record[j] != '"'; ++j)
              if (record[j] == '\\') ++j;
          } else if (d == '{' || d == '[') {
            ++inner;
          } else if ((d == '}' || d == ']') && --inner == 0) {
            return SourceSpan{start - 1, j + 1};
          }
        }
        return std::nullopt;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

// The rank a source written with --with-hash carries (its last member), or nothing.
inline std::optional<std::uint64_t> source_hash(std::string_view record, SourceSpan source) {
  const std::string_view text = record.substr(source.begin, source.end - source.begin);
  if (text.size() < hash_member_size + 1 || text.back() != '}') return std::nullopt;
  const std::string_view member = text.substr(text.size() - 1 - hash_member_size, hash_member_size);
  if (!member.starts_with(hash_member_key) || member.back() != '"') return std::nullopt;
  std::uint64_t value = 0;
  for (char c : member.substr(hash_member_key.size(), hash_digits)) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else return std::nullopt;
    value = value << 4 | static_cast<std::uint64_t>(digit);
  }
  return value;
}

// The record without source.hash: the bytes a run without --with-hash writes.
inline void append_without_hash(std::string& out, std::string_view record, SourceSpan source) {
  out.append(record.substr(0, source.end - 1 - hash_member_size));
  out.append(record.substr(source.end - 1));
}

}  // namespace prefline::turns
