// JSON output: compact records into one growing buffer, RFC 8259 escaping,
// shortest round-trip numbers, raw passthrough of bytes that are already JSON.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline {

// The output buffer every tool writes records into: one growing byte array.
// (std::string's push_back and append do not inline on the hot path; these do.)
class Buffer {
 public:
  using value_type = char;

  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  void reserve(std::size_t capacity) {
    if (capacity > capacity_) grow(capacity);
  }
  // Inlined by force: appends of a few bytes are the bulk of every writer's work.
  [[gnu::always_inline]] void append(const char* data, std::size_t size) {
    if (size == 0) return;  // memcpy must not see the null data() of an empty view (UBSan)
    if (size_ + size > capacity_) [[unlikely]] grow(size_ + size);
    std::memcpy(data_.get() + size_, data, size);
    size_ += size;
  }
  [[gnu::always_inline]] void append(std::string_view text) { append(text.data(), text.size()); }
  void append(const char* begin, const char* end) { append(begin, static_cast<std::size_t>(end - begin)); }
  [[gnu::always_inline]] void push_back(char c) {
    if (size_ == capacity_) [[unlikely]] grow(size_ + 1);
    data_[size_++] = c;
  }
  void clear() { size_ = 0; }

  // For writers that know an upper bound: room for `size` more bytes, to be
  // written through the returned pointer; then commit_tail(one past the last
  // byte written).
  [[gnu::always_inline]] char* reserve_tail(std::size_t size) {
    if (size_ + size > capacity_) [[unlikely]] grow(size_ + size);
    return data_.get() + size_;
  }
  void commit_tail(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }

  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char back() const { return data_[size_ - 1]; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  [[gnu::noinline]] void grow(std::size_t needed) {
    std::size_t capacity = capacity_ < 256 ? 256 : capacity_ * 2;
    while (capacity < needed) capacity *= 2;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

namespace detail {
// For each byte: 0 = copy as is, otherwise the character after the backslash
// ('u' = \u00XX). Bytes >= 0x80 pass through: UTF-8 is written unescaped.
struct EscapeTable {
  char code[256]{};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) code[c] = 'u';
    code[static_cast<unsigned char>('"')] = '"';
    code[static_cast<unsigned char>('\\')] = '\\';
    code[static_cast<unsigned char>('\b')] = 'b';
    code[static_cast<unsigned char>('\f')] = 'f';
    code[static_cast<unsigned char>('\n')] = 'n';
    code[static_cast<unsigned char>('\r')] = 'r';
    code[static_cast<unsigned char>('\t')] = 't';
  }
};
inline constexpr EscapeTable escape_table{};
}  // namespace detail

namespace detail {
// Index of the first byte that needs escaping ('"', '\\' or < 0x20), or
// text.size(). Eight bytes at a time (SWAR): most strings need no escaping.
inline std::size_t first_to_escape(std::string_view text) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  const char* data = text.data();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    const std::uint64_t below_space = (word - ones * 0x20) & ~word;  // high bit set where byte < 0x20 (for bytes < 0x80)
    const std::uint64_t quote = word ^ (ones * '"');
    const std::uint64_t backslash = word ^ (ones * '\\');
    const std::uint64_t zero_quote = (quote - ones) & ~quote;
    const std::uint64_t zero_backslash = (backslash - ones) & ~backslash;
    if ((below_space | zero_quote | zero_backslash) & highs) break;
  }
  for (; i < text.size(); ++i)
    if (escape_table.code[static_cast<unsigned char>(data[i])] != 0) return i;
  return text.size();
}
}  // namespace detail

// Appends `text` as a JSON string literal (with the quotes). Runs of bytes that
// need no escaping are found eight bytes at a time and copied in one go, and
// the fast scan resumes after every escaped byte: most answers have a line
// break early on, and a byte-by-byte scan of the rest cost export a third of
// its time.
inline void append_json_string(Buffer& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (;;) {
    const std::size_t clean = detail::first_to_escape(text);
    out.append(text.data(), clean);
    if (clean == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[clean]);
    const char code = detail::escape_table.code[byte];
    out.push_back('\\');
    out.push_back(code);
    if (code == 'u') {
      out.append("00");
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xF]);
    }
    text.remove_prefix(clean + 1);
  }
  out.push_back('"');
}

// `text` as a JSON string literal, for building fixed pieces of output once.
inline std::string json_quoted(std::string_view text) {
  Buffer out;
  append_json_string(out, text);
  return std::string(out.view());
}

// Appends a number in the shortest form that reads back as the same double
// (fmt's Dragonbox): 4.5, 5, 0.1, 1e+21. JSON has no NaN or infinity; those
// are written as null.
inline void append_json_integer(Buffer& out, std::int64_t value) {
  char text[24];
  char* end = text + sizeof text;
  char* at = end;
  // Digits from the right; the magnitude as unsigned so INT64_MIN works too.
  std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  do {
    *--at = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0) *--at = '-';
  out.append(at, static_cast<std::size_t>(end - at));
}

inline void append_json_number(Buffer& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  // Whole numbers below 2^53 print as integers (the shortest form anyway).
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0 && !(value == 0 && std::signbit(value))) {
    append_json_integer(out, static_cast<std::int64_t>(value));
    return;
  }
  char text[32];
  out.append(text, fmt::format_to(text, "{}", value));
}

// Numbers rounded to a fixed count of decimals and written as JSON, each
// distinct value formatted once: a record stream whose numbers repeat (scores
// rounded to 4 decimals) copies their bytes instead of formatting them again.
// A direct-mapped cache keyed by the unrounded value's bits. One per thread.
class RoundedNumbers {
 public:
  explicit RoundedNumbers(int decimals) : scale_(std::pow(10.0, decimals)) {}

  double round(double value) const { return std::round(value * scale_) / scale_; }

  // The JSON text of round(value) (null when it is not finite).
  std::string_view text(double value) {
    const Slot& slot = find(value);
    return {slot.text, slot.size};
  }

  // Appends that text: whole slots copied, a fixed-size copy instead of a
  // call to memcpy for a few bytes.
  [[gnu::always_inline]] void append(Buffer& out, double value) {
    const Slot& slot = find(value);
    char* at = out.reserve_tail(slot_bytes);
    std::memcpy(at, slot.text, slot_bytes);
    out.commit_tail(at + slot.size);
  }

 private:
  static constexpr int slots_log2 = 10;
  static constexpr std::size_t slot_bytes = 32;
  struct Slot {
    std::uint64_t bits = 0;
    std::uint8_t size = 0;
    char text[slot_bytes];
  };

  [[gnu::always_inline]] const Slot& find(double value) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    // Fibonacci hashing: the top bits of bits x 2^64/phi (the low bits of round
    // numbers like 62.5 are all zero, and their top bits alike).
    Slot& slot = slots_[(bits * 0x9E3779B97F4A7C15ULL) >> (64 - slots_log2)];
    if (slot.size == 0 || slot.bits != bits) [[unlikely]] fill(slot, bits, value);
    return slot;
  }

  [[gnu::noinline]] void fill(Slot& slot, std::uint64_t bits, double value) {
    Buffer text;
    append_json_number(text, round(value));
    slot.bits = bits;
    slot.size = static_cast<std::uint8_t>(text.size());  // a double: at most 24 bytes
    std::memcpy(slot.text, text.data(), text.size());
  }

  double scale_;
  std::unique_ptr<Slot[]> slots_{new Slot[std::size_t{1} << slots_log2]};
};

// A streaming writer for one record at a time. A single "comma needed" flag is
// enough for nesting: every container or value sets it, begin_* clears it.
class JsonWriter {
 public:
  explicit JsonWriter(Buffer& out) : out_(out) {}

  JsonWriter& begin_object() { value_prefix(); out_.push_back('{'); need_comma_ = false; return *this; }
  JsonWriter& end_object() { out_.push_back('}'); need_comma_ = true; return *this; }
  JsonWriter& begin_array() { value_prefix(); out_.push_back('['); need_comma_ = false; return *this; }
  JsonWriter& end_array() { out_.push_back(']'); need_comma_ = true; return *this; }

  // A key already written as a JSON string with its colon, e.g. "\"score\":".
  JsonWriter& quoted_key(std::string_view quoted_with_colon) {
    if (need_comma_) out_.push_back(',');
    out_.append(quoted_with_colon);
    need_comma_ = false;
    after_key_ = true;
    return *this;
  }

  JsonWriter& key(std::string_view name) {
    if (need_comma_) out_.push_back(',');
    append_json_string(out_, name);
    out_.push_back(':');
    need_comma_ = false;
    after_key_ = true;
    return *this;
  }

  JsonWriter& string(std::string_view text) { value_prefix(); append_json_string(out_, text); return done(); }
  JsonWriter& number(double value) { value_prefix(); append_json_number(out_, value); return done(); }
  JsonWriter& integer(std::int64_t value) { value_prefix(); append_json_integer(out_, value); return done(); }
  JsonWriter& boolean(bool value) { value_prefix(); out_.append(value ? "true" : "false"); return done(); }
  JsonWriter& null() { value_prefix(); out_.append("null"); return done(); }
  // A value that is already valid JSON (e.g. the untouched bytes of an input field).
  JsonWriter& raw(std::string_view json) { value_prefix(); out_.append(json); return done(); }
  // A number rounded by `numbers` (and formatted once per distinct value).
  JsonWriter& number(RoundedNumbers& numbers, double value) { value_prefix(); numbers.append(out_, value); return done(); }

  // Ends the record: every record, the last one included, ends with '\n'.
  void end_record() { out_.push_back('\n'); need_comma_ = false; after_key_ = false; }

  Buffer& buffer() { return out_; }

 private:
  void value_prefix() {
    if (!after_key_ && need_comma_) out_.push_back(',');
    after_key_ = false;
  }
  JsonWriter& done() { need_comma_ = true; return *this; }

  Buffer& out_;
  bool need_comma_ = false;
  bool after_key_ = false;
};

}  // namespace prefline
